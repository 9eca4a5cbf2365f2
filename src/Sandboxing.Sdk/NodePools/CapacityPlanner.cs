using System.Globalization;
using System.Text;
using k8s.Models;

namespace Sandboxing.Sdk.Aks;

/// <summary>Computes capacity plans (AKS reservations, Kata memory and CPU model).</summary>
internal static class CapacityPlanner
{
    private const decimal Mi = 1024m * 1024;

    public static CapacityPlan Plan(AksNodePool pool, object[] workloads, CapacityPlanOptions options)
    {
        var size = options.NodeSize ?? VmSizes.Find(pool.VmSize) ?? throw new InvalidOperationException(
            $"Capacity plan for node pool '{pool.Name}': VM size '{pool.VmSize}' is not in the SDK's VM size catalog, so its vCPUs and memory are unknown. " +
            "Pass them: new CapacityPlanOptions { NodeSize = new VmSize(\"" + pool.VmSize + "\", vcpus, memoryGiB) }.");
        // DaemonSet pods take their share of every node they tolerate first; pods that tolerate none of the pool's nodes stay
        // unplaced (they would be Pending).
        var taints = pool.NodeTaints.Where(t => t.RepelsPods).Select(t => new V1Taint { Key = t.Key, Value = t.Value, Effect = t.Effect }).ToList();
        var node = NodeCapacity.ForVmSize(size, pool.MaxPods, options.DefaultMaxPods, pool.OrchestratorVersion ?? options.KubernetesVersion, taints);
        var warnings = new List<string>();
        if (node.MaxPodsAssumed)
        {
            warnings.Add($"maxPods is not set: planned with {node.MaxPods} (AKS default with Azure CNI Overlay). AKS reserves 20Mi per max pod, " +
                "so a Kata pool that holds few pod VMs gains memory with a lower WithMaxPods(…).");
        }

        var defaultVm = Quantities.TryParse(options.DefaultVmMemory, out var dv) ? dv : Footprints.DefaultVmMemoryBytes;
        var defaultOverhead = Quantities.TryParse(options.DefaultOverheadMemory, out var dov) ? dov : 600 * Mi;
        var leftOut = new List<string>();
        foreach (var warm in AgentWarmPools.Resolve(workloads).Where(p => p.Template is null && p.Replicas > 0))
        {
            warnings.Add($"{warm.Describe()}: its SandboxTemplate '{warm.TemplateName}' is not among the inputs, so the pool's warm pods " +
                $"({warm.Replicas}, each a VM) are not planned; plan the template's manifest with it.");
        }

        var footprints = PodDemand.Read(workloads, spec => RuntimeShareOf(spec, options), options.PodTemplates)
            .Where(d => IsPlanned(d, options, leftOut))
            .Select(d => Footprint(d, defaultVm, defaultOverhead, warnings)).ToList();

        var empty = new PackingNode(size.Name, (int)(node.AllocatableCpuCores * 1000), node.AllocatableMemoryBytes, node.MaxPods ?? 0, taints);
        var daemons = footprints.Where(f => f.PerNode).Select(Item);
        if (FirstFitPacker.ReserveOnEveryNode(daemons, [empty]).Count > 0)
        {
            warnings.Add("the DaemonSets alone need more than a node offers: no other pod fits.");
            empty.ClampAtZero();
        }

        decimal memory = empty.Memory;
        long cpu = (long)empty.Cpu;
        int pods = empty.Pods;
        var result = new List<PodFootprint>();
        foreach (var f in footprints)
        {
            PodFootprint footprint;
            if (!f.PerNode)
            {
                int byMemory = f.PodMemoryBytes <= 0 ? int.MaxValue : (int)Math.Min(int.MaxValue, Math.Floor(memory / f.PodMemoryBytes));
                int byCpu = f.CpuMillicores <= 0 ? int.MaxValue : (int)(cpu / f.CpuMillicores);
                int perNode = Math.Min(Math.Min(byMemory, byCpu), pods);
                string limitedBy = perNode == byMemory ? "memory" : perNode == byCpu ? "cpu" : "max pods";
                footprint = f.WithPlacement(perNode, limitedBy);
            }
            else
            {
                footprint = f.WithPlacement(1, "daemonset");
            }

            if (!f.PerNode && footprint.PodsPerNode == 0 && f.Pods > 0)
            {
                warnings.Add($"{f.Workload}: a pod VM ({Quantities.FormatBytes(f.PodMemoryBytes)} with overhead, {Millicores(f.CpuMillicores)} CPU) " +
                    $"does not fit a {size.Name} node ({Quantities.FormatBytes(memory)}, {Millicores((int)cpu)} CPU left for pods); choose a larger VM size or smaller limits.");
            }

            if (f.VCpus > size.VCpus)
            {
                warnings.Add($"{f.Workload}: the pod VM gets {f.VCpus} vCPUs, more than a {size.Name} node has ({size.VCpus}); lower the CPU limit or choose a larger VM size.");
            }

            result.Add(footprint);
        }

        var opened = new List<PackingNode>();
        var items = result.Where(f => !f.PerNode && f.PodsPerNode > 0).Select(Item);
        var unplaced = FirstFitPacker.Pack(items, opened, () => empty.Copy(size.Name));
        int nodesNeeded = opened.Count;
        int notPlaced = unplaced.Sum(u => u.Unplaced);
        foreach (var (f, count) in unplaced)
        {
            warnings.Add($"{f.Workload}: {count} pod{(count == 1 ? "" : "s")} not placed: they do not tolerate the pool's taints, so they would stay Pending (SBX3013 below).");
        }
        int poolMax = pool.EnableAutoScaling ? pool.MaxCount ?? pool.Count : pool.Count;
        if (nodesNeeded > poolMax)
        {
            warnings.Add(pool.EnableAutoScaling
                ? $"the workloads need {nodesNeeded} nodes but the pool scales to at most {poolMax}; raise maxCount to {nodesNeeded} or more."
                : $"the workloads need {nodesNeeded} nodes but the pool has {poolMax}; raise the node count to {nodesNeeded} or enable autoscaling.");
        }

        var findings = NodePoolValidator.CheckTolerations(pool, workloads, options.RuntimeClasses);
        return new CapacityPlan(pool.Name, node, result, nodesNeeded, warnings, findings, poolMax, notPlaced, leftOut);
    }

    /// <summary>
    /// Whether a pod template belongs in the Kata plan; when not, says why in <paramref name="leftOut"/>. Left out: pods that opted
    /// out of sandboxing, pods with no runtime class (they run with the node's default runtime), and pods whose class is not Kata
    /// (a known class of another platform, or the OCI runtimes runc and crun).
    /// </summary>
    private static bool IsPlanned(PodDemand demand, CapacityPlanOptions options, List<string> leftOut)
    {
        string? runtimeClass = demand.RuntimeClassName;
        string? why = null;
        if (demand.OptedOut)
        {
            why = $"opted out of sandboxing ({SandboxAnnotations.Exempt})";
        }
        else if (runtimeClass is null)
        {
            why = "no runtimeClassName: it runs with the node's default runtime (runc), not in a Kata VM; call Sandbox() or WithNodePool(pool) to plan it";
        }
        else if (options.RuntimeClasses.Any(d => d.Name == runtimeClass))
        {
            return true;
        }
        else if (runtimeClass is "runc" or "crun")
        {
            why = $"runtime class '{runtimeClass}' is an OCI runtime, not Kata";
        }
        else if (KnownRuntimeClasses.Find(runtimeClass) is { } known && known.Platform is not (SandboxPlatform.Aks or SandboxPlatform.KataDeploy or SandboxPlatform.OpenShift))
        {
            why = $"runtime class '{runtimeClass}' is {known.Description}, not Kata";
        }

        if (why is not null)
        {
            leftOut.Add($"{demand.Workload}: {why}");
        }

        return why is null;
    }

    /// <summary>
    /// The RuntimeClass memory overhead AKS gives for a pod VM size: AKS docs considerations-pod-sandboxing.md "Reference usage
    /// values" L84–99 (MicrosoftDocs/azure-aks-docs @fb060abe6): "As the pod VM memory size increases, the runtime class memory
    /// overhead should be expected to increase alongside it" (L41). Pod VM memory, then the overhead for it.
    /// </summary>
    internal static readonly (decimal VmMemory, decimal Overhead)[] AksHostNeed =
    [
        (128 * Mi, 16 * Mi), (256 * Mi, 32 * Mi), (1024 * Mi, 128 * Mi), (2048 * Mi, 256 * Mi), (4096 * Mi, 374 * Mi),
        (8192 * Mi, 512 * Mi), (32768 * Mi, 640 * Mi), (65536 * Mi, 768 * Mi), (98304 * Mi, 896 * Mi), (131072 * Mi, 1024 * Mi),
    ];

    /// <summary>
    /// The table's overhead for the smallest listed VM size at or above <paramref name="vmMemory"/> (the last row beyond the
    /// table). Rounding up to the next row is the SDK's choice: the docs give no rule between rows.
    /// </summary>
    internal static decimal? HostNeedFor(decimal vmMemory)
    {
        foreach (var (size, overhead) in AksHostNeed)
        {
            if (vmMemory <= size)
            {
                return overhead;
            }
        }

        return AksHostNeed[^1].Overhead;
    }

    private static PackingItem<PodFootprint> Item(PodFootprint f) => new(f, f.Pods, f.CpuMillicores, f.PodMemoryBytes, f.Tolerations);

    /// <summary>The overhead the plan uses: the pod's own (set by RuntimeClass admission), a given custom class's, a known class's.</summary>
    private static RuntimeShare RuntimeShareOf(V1PodSpec spec, CapacityPlanOptions options)
    {
        string? runtimeClass = spec.RuntimeClassName;
        var definition = runtimeClass is null ? null : options.RuntimeClasses.FirstOrDefault(d => d.Name == runtimeClass);
        IReadOnlyList<V1Toleration> tolerations = definition?.Tolerations ?? [];
        decimal? memory = PodDemand.Get(spec.Overhead, "memory");
        decimal? cpu = PodDemand.Get(spec.Overhead, "cpu");
        if (memory is null && runtimeClass is not null)
        {
            if (definition is not null)
            {
                // A custom class that declares no memory overhead has none.
                (memory, cpu) = definition.AsRuntime().OverheadValues;
                memory ??= 0;
            }
            else if (KubernetesNames.IsSubdomain(runtimeClass))
            {
                (memory, cpu) = new SandboxRuntime(runtimeClass).OverheadValues;
            }
        }

        return new RuntimeShare(cpu, memory, tolerations);
    }

    private static PodFootprint Footprint(PodDemand demand, decimal defaultVm, decimal defaultOverhead, List<string> warnings)
    {
        string workload = demand.Workload;

        // VM memory: the pod's memory limit (every container limited), else the default.
        decimal vmMemory = demand.MemoryLimitBytes ?? defaultVm;
        if (demand.MemoryLimitBytes is null)
        {
            warnings.Add($"{workload}: not every container has a memory limit, so the pod VM gets the default {Quantities.FormatBytes(defaultVm)} (SBX2005).");
        }

        if (demand.RequestBelowLimit)
        {
            warnings.Add($"{workload}: requests are below limits. The scheduler packs by requests but the Kata VM is sized by limits, so a node " +
                "may accept more pods than it can hold; make requests equal to limits (SBX2006).");
        }

        string? runtimeClass = demand.Site.Spec.RuntimeClassName;
        decimal? overheadMemory = demand.Runtime.MemoryBytes;
        if (overheadMemory is null)
        {
            overheadMemory = defaultOverhead;
            if (KnownRuntimeClasses.Find(runtimeClass) is null)
            {
                warnings.Add($"{workload}: the overhead of runtime class '{runtimeClass}' is unknown; planned with {Quantities.FormatBytes(defaultOverhead)}. " +
                    "Pass its definition in CapacityPlanOptions.RuntimeClasses.");
            }
        }

        // AKS classes: the host side grows with the pod VM (the AKS table), so reserve at least the table's overhead for the VM size.
        if (runtimeClass is not null && KnownRuntimeClasses.Find(runtimeClass) is { Platform: SandboxPlatform.Aks } && demand.Runtime.MemoryBytes is not null
            && HostNeedFor(vmMemory) is { } hostNeed && hostNeed > overheadMemory)
        {
            overheadMemory = hostNeed;
        }

        var footprint = Footprints.Of(demand, overheadMemory.Value, defaultVm);
        if (footprint.OverheadHoldsVm)
        {
            warnings.Add($"{workload}: the {Quantities.FormatBytes(overheadMemory.Value)} overhead of '{runtimeClass}' already holds the default " +
                $"{Quantities.FormatBytes(defaultVm)} pod VM (AKS: the VM plus about 88Mi of host components), so a pod takes " +
                $"{Quantities.FormatBytes(footprint.PodMemoryBytes)}.");
        }

        return footprint;
    }

    private static string Millicores(int millicores) =>
        millicores % 1000 == 0 ? (millicores / 1000).ToString(CultureInfo.InvariantCulture) : millicores.ToString(CultureInfo.InvariantCulture) + "m";

    private static string Mib(decimal bytes) => Math.Round(bytes / Mi, 0, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + "Mi";

    public static string Render(CapacityPlan plan)
    {
        var n = plan.Node;
        var size = n.VmSize!;
        var text = new StringBuilder();
        text.Append("Capacity plan for node pool '").Append(plan.PoolName).Append("': ").Append(size.Name).Append(" (")
            .Append(size.VCpus.ToString(CultureInfo.InvariantCulture)).Append(" vCPU, ").Append(Mib(size.MemoryBytes)).Append(")\n")
            .Append("Node allocatable (AKS reservations for Kubernetes ").Append(n.KubernetesRules).Append(", ").Append(NodeCapacity.Source).Append("):\n")
            .Append("  memory  ").Append(Mib(size.MemoryBytes)).Append(" - kube-reserved ").Append(Mib(n.KubeReservedMemoryBytes))
            .Append(" - eviction threshold ").Append(Mib(n.EvictionThresholdBytes)).Append(" = ").Append(Mib(n.AllocatableMemoryBytes)).Append('\n')
            .Append("  cpu     ").Append((size.VCpus * 1000).ToString(CultureInfo.InvariantCulture)).Append("m - kube-reserved ")
            .Append(((int)(n.ReservedCpuCores * 1000)).ToString(CultureInfo.InvariantCulture)).Append("m = ")
            .Append(((int)(n.AllocatableCpuCores * 1000)).ToString(CultureInfo.InvariantCulture)).Append("m\n")
            .Append("  pods    ").Append((n.MaxPods ?? 0).ToString(CultureInfo.InvariantCulture)).Append(" max pods per node").Append(n.MaxPodsAssumed ? " (assumed)" : "").Append("\n\n");

        string[] header = ["WORKLOAD", "REPLICAS", "RUNTIME CLASS", "VM MEMORY", "OVERHEAD", "POD MEMORY", "VCPUS", "CPU", "PODS/NODE", "LIMITED BY", "NODES"];
        var rows = new List<string[]> { header };
        foreach (var w in plan.Workloads)
        {
            rows.Add([
                w.Workload,
                w.PerNode ? "1/node" : w.Pods.ToString(CultureInfo.InvariantCulture),
                w.RuntimeClassName ?? "(none)",
                Mib(w.VmMemoryBytes),
                Mib(w.OverheadMemoryBytes),
                Mib(w.PodMemoryBytes),
                w.VCpus.ToString(CultureInfo.InvariantCulture),
                w.CpuMillicores.ToString(CultureInfo.InvariantCulture) + "m",
                (w.PodsPerNode ?? 0).ToString(CultureInfo.InvariantCulture),
                w.LimitedBy ?? "",
                w.PerNode ? "every" : w.NodesAlone?.ToString(CultureInfo.InvariantCulture) ?? "does not fit",
            ]);
        }

        text.Append(TextTable.Format(rows));

        text.Append('\n').Append("Nodes needed: ").Append(plan.NodesNeeded.ToString(CultureInfo.InvariantCulture))
            .Append(" (all replicas packed together); the pool has at most ").Append(plan.PoolMaxNodes.ToString(CultureInfo.InvariantCulture))
            .Append(plan.FitsInPool ? ": enough.\n" : ": NOT enough.\n");
        if (plan.PodsNotPlaced > 0)
        {
            text.Append("Pods not placed: ").Append(plan.PodsNotPlaced.ToString(CultureInfo.InvariantCulture))
                .Append(" (they do not tolerate the pool's taints).\n");
        }

        if (plan.LeftOut.Count > 0)
        {
            text.Append("Left out of the Kata plan:\n");
            foreach (var line in plan.LeftOut)
            {
                text.Append("  - ").Append(line).Append('\n');
            }
        }

        if (plan.Warnings.Count > 0 || plan.Findings.Count > 0)
        {
            text.Append("Warnings:\n");
            foreach (var warning in plan.Warnings.Distinct(StringComparer.Ordinal))
            {
                text.Append("  - ").Append(warning).Append('\n');
            }

            foreach (var finding in plan.Findings.DistinctBy(f => (f.RuleId, f.Message)))
            {
                text.Append("  - ").Append(finding.RuleId).Append(": ").Append(finding.Message).Append('\n');
            }
        }

        return text.ToString();
    }
}
