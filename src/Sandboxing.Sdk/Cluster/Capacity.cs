using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// The built-in fit check: every planned pod (requests plus RuntimeClass overhead) placed first-fit, largest first, on the usable
/// nodes as if they were empty. Pods already running are not counted, so a pass means "fits on this pool", not "fits now".
/// </summary>
internal static class Capacity
{
    public static ReadinessCheck Check(string runtimeClass, IReadOnlyList<PodFootprint> footprints, IReadOnlyList<NodeCapacity> nodes, SandboxRuntime runtime, SandboxReadinessOptions options)
    {
        string name = $"Capacity for {runtimeClass}";
        if (nodes.Count == 0)
        {
            return new ReadinessCheck(name, ReadinessStatus.Skipped, "no Ready node to place the pods on (see the node check).");
        }

        // Each node's free capacity, less one pod per node for every DaemonSet that tolerates it (the one packer, NodePools).
        var free = nodes.Select(n => new PackingNode(n.Name, n.AllocatableCpuCores, n.AllocatableMemoryBytes, int.MaxValue, n.Taints)).ToList();
        var problems = new List<string>();
        var daemons = footprints.Where(f => f.PerNode).Select(f => new PackingItem<PodFootprint>(f, 1, f.CpuCores, f.MemoryBytes, f.Tolerations));
        foreach (var (daemon, node) in FirstFitPacker.ReserveOnEveryNode(daemons, free))
        {
            problems.Add($"{daemon.Workload} does not fit on node {node.Name}");
        }

        // Pods that no node tolerates, or that exceed the largest node they may use, are reported whole; the rest are packed.
        var items = new List<PackingItem<PodFootprint>>();
        foreach (var footprint in footprints.Where(f => !f.PerNode).OrderByDescending(f => f.MemoryBytes).ThenByDescending(f => f.CpuCores))
        {
            var candidates = nodes.Where(n => Tolerations.Tolerate(footprint.Tolerations, n.Taints)).ToList();
            if (candidates.Count == 0)
            {
                problems.Add($"{footprint.Workload} tolerates none of the nodes' taints ({string.Join(", ", nodes.SelectMany(n => n.Taints).Select(t => $"{t.Key}={t.Value}:{t.Effect}").Distinct())}); add the matching toleration");
                continue;
            }

            var largest = candidates.MaxBy(n => n.AllocatableMemoryBytes)!;
            if (footprint.MemoryBytes > largest.AllocatableMemoryBytes || footprint.CpuCores > largest.AllocatableCpuCores)
            {
                problems.Add($"one pod of {footprint.Workload} needs {PodFootprint.Describe(footprint.CpuCores, footprint.MemoryBytes)} (overhead included) " +
                    $"but the largest node, {largest.Name}, has {PodFootprint.Describe(largest.AllocatableCpuCores, largest.AllocatableMemoryBytes)} allocatable");
                continue;
            }

            items.Add(new PackingItem<PodFootprint>(footprint, footprint.Pods, footprint.CpuCores, footprint.MemoryBytes, footprint.Tolerations));
        }

        var unplaced = FirstFitPacker.Pack(items, free, open: null);
        int placed = items.Sum(i => i.Pods) - unplaced.Sum(u => u.Unplaced);
        foreach (var (footprint, count) in unplaced)
        {
            problems.Add($"{count} pod{(count == 1 ? "" : "s")} of {footprint.Workload} do not fit on the {nodes.Count} Ready node{(nodes.Count == 1 ? "" : "s")}");
        }

        if (problems.Count == 0)
        {
            return new ReadinessCheck(name, ReadinessStatus.Passed,
                $"{placed} pod{(placed == 1 ? "" : "s")} fit on {nodes.Count} Ready node{(nodes.Count == 1 ? "" : "s")} when the nodes are empty (pods already running are not counted).");
        }

        string fix = runtime.Platform == SandboxPlatform.Aks && runtime.Definition is null
            ? "Scale the Pod Sandboxing pool or enable its autoscaler, or use a larger VM size for a new pool:\n" +
              Fixes.AzNodePoolScale(options.ClusterName, options.ResourceGroup) + "\n" +
              Fixes.AzNodePoolAdd(options.ClusterName, options.ResourceGroup, "katabig", "Standard_D8s_v5")
            : "Add nodes for the runtime, use larger nodes, or lower the pods' limits (the memory limit sizes each pod's VM).";
        return new ReadinessCheck(name, ReadinessStatus.Failed, string.Join("; ", problems) + ".", fix);
    }
}
