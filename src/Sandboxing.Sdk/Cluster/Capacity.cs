using k8s.Models;
using Sandboxing.Sdk.Catalog;
using Sandboxing.Sdk.Objects;
using Sandboxing.Sdk.Runtimes;

namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// The built-in fit check: every planned pod (requests plus RuntimeClass overhead) placed first-fit, largest first, on the usable
/// nodes as if they were empty. Pods already running are not counted, so a pass means "fits on this pool", not "fits now".
/// </summary>
internal static class Capacity
{
    public static ReadinessCheck Check(string runtimeClass, IReadOnlyList<PodFootprint> footprints, IReadOnlyList<SandboxNode> nodes, SandboxRuntime runtime, SandboxReadinessOptions options)
    {
        string name = $"Capacity for {runtimeClass}";
        if (nodes.Count == 0)
        {
            return new ReadinessCheck(name, ReadinessStatus.Skipped, "no Ready node to place the pods on (see the node check).");
        }

        // Each node's free capacity, less one pod per node for every DaemonSet that tolerates it.
        var free = nodes.Select(n => (Node: n, Cpu: n.AllocatableCpuCores, Memory: n.AllocatableMemoryBytes)).ToList();
        var problems = new List<string>();
        foreach (var daemon in footprints.Where(f => f.PerNode))
        {
            for (int i = 0; i < free.Count; i++)
            {
                if (Tolerations.Tolerate(daemon.Tolerations, free[i].Node.Taints))
                {
                    free[i] = (free[i].Node, free[i].Cpu - daemon.CpuCores, free[i].Memory - daemon.MemoryBytes);
                    if (free[i].Cpu < 0 || free[i].Memory < 0)
                    {
                        problems.Add($"{daemon.Workload} does not fit on node {free[i].Node.Name}");
                    }
                }
            }
        }

        int total = 0, placed = 0;
        var unplaced = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var footprint in footprints.Where(f => !f.PerNode).OrderByDescending(f => f.MemoryBytes).ThenByDescending(f => f.CpuCores))
        {
            var candidates = Enumerable.Range(0, free.Count).Where(i => Tolerations.Tolerate(footprint.Tolerations, free[i].Node.Taints)).ToList();
            if (candidates.Count == 0)
            {
                problems.Add($"{footprint.Workload} tolerates none of the nodes' taints ({string.Join(", ", nodes.SelectMany(n => n.Taints).Select(t => $"{t.Key}={t.Value}:{t.Effect}").Distinct())}); add the matching toleration");
                total += footprint.Pods;
                continue;
            }

            var largest = candidates.Select(i => free[i].Node).MaxBy(n => n.AllocatableMemoryBytes)!;
            if (footprint.MemoryBytes > largest.AllocatableMemoryBytes || footprint.CpuCores > largest.AllocatableCpuCores)
            {
                problems.Add($"one pod of {footprint.Workload} needs {PodFootprint.Describe(footprint.CpuCores, footprint.MemoryBytes)} (overhead included) " +
                    $"but the largest node, {largest.Name}, has {PodFootprint.Describe(largest.AllocatableCpuCores, largest.AllocatableMemoryBytes)} allocatable");
                total += footprint.Pods;
                continue;
            }

            for (int pod = 0; pod < footprint.Pods; pod++)
            {
                total++;
                int slot = candidates.FirstOrDefault(i => free[i].Cpu >= footprint.CpuCores && free[i].Memory >= footprint.MemoryBytes, -1);
                if (slot < 0)
                {
                    unplaced[footprint.Workload] = unplaced.GetValueOrDefault(footprint.Workload) + 1;
                    continue;
                }

                free[slot] = (free[slot].Node, free[slot].Cpu - footprint.CpuCores, free[slot].Memory - footprint.MemoryBytes);
                placed++;
            }
        }

        foreach (var (workload, count) in unplaced)
        {
            problems.Add($"{count} pod{(count == 1 ? "" : "s")} of {workload} do not fit on the {nodes.Count} Ready node{(nodes.Count == 1 ? "" : "s")}");
        }

        if (problems.Count == 0)
        {
            return new ReadinessCheck(name, ReadinessStatus.Passed,
                $"{placed} pod{(placed == 1 ? "" : "s")} fit on {nodes.Count} Ready node{(nodes.Count == 1 ? "" : "s")} when the nodes are empty (pods already running are not counted).");
        }

        string fix = runtime.Platform == SandboxPlatform.Aks && runtime.Definition is null
            ? "Scale the Pod Sandboxing pool or enable its autoscaler, or use a larger VM size for a new pool:\n" +
              $"az aks nodepool scale --resource-group {options.ResourceGroup ?? "<resource-group>"} --cluster-name {options.ClusterName ?? "<cluster>"} --name kata --node-count <n>\n" +
              Fixes.AzNodePoolAdd(options.ClusterName, options.ResourceGroup, "katabig", "Standard_D8s_v5")
            : "Add nodes for the runtime, use larger nodes, or lower the pods' limits (the memory limit sizes each pod's VM).";
        return new ReadinessCheck(name, ReadinessStatus.Failed, string.Join("; ", problems) + ".", fix);
    }
}
