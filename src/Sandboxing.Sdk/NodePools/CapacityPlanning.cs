using System.Globalization;
using System.Text;
using k8s.Models;

namespace Sandboxing.Sdk.Aks;

/// <summary>Options for <see cref="AksNodePool.Plan(IEnumerable{object}, CapacityPlanOptions)"/>.</summary>
public sealed record CapacityPlanOptions
{
    /// <summary>The defaults.</summary>
    public static CapacityPlanOptions Default { get; } = new();

    /// <summary>
    /// The max pods per node assumed when the pool does not set it: 250, the AKS default with Azure CNI Overlay (kubenet: 110,
    /// Azure CNI with node subnet: 30). It matters: AKS reserves 20Mi of memory per max pod.
    /// </summary>
    public int DefaultMaxPods { get; init; } = 250;

    /// <summary>The Kubernetes version whose reservation rules apply when the pool does not set one (default 1.29 and later).</summary>
    public string? KubernetesVersion { get; init; }

    /// <summary>The pod VM memory when a pod has no memory limit: 512Mi on AKS (learn.microsoft.com/azure/aks/considerations-pod-sandboxing).</summary>
    public string DefaultVmMemory { get; init; } = "512Mi";

    /// <summary>The RuntimeClass memory overhead when neither the pod nor a known or given class has one: 600Mi, the AKS
    /// <c>kata-vm-isolation</c> class's.</summary>
    public string DefaultOverheadMemory { get; init; } = "600Mi";

    /// <summary>Custom RuntimeClasses the workloads use, for their overhead and tolerations (for example <c>small-kata-pods</c>).</summary>
    public IReadOnlyList<RuntimeClassDefinition> RuntimeClasses { get; init; } = [];

    /// <summary>The node size to plan with when the VM size is not in <see cref="VmSizes"/>; null uses the catalog.</summary>
    public VmSize? NodeSize { get; init; }

    /// <summary>The kinds whose pod specs are planned: <see cref="PodTemplateRegistry.Default"/> unless you add your own custom resources.</summary>
    public PodTemplateRegistry PodTemplates { get; init; } = PodTemplateRegistry.Default;
}

/// <summary>What one node of the pool offers to pods, after AKS's reservations.</summary>
/// <param name="VmSize">The VM size.</param>
/// <param name="KubernetesRules">Which AKS reservation rules apply: <c>1.29+</c> or <c>before 1.29</c>.</param>
/// <param name="MaxPods">The max pods per node.</param>
/// <param name="MaxPodsAssumed">True when the pool does not set max pods and <see cref="CapacityPlanOptions.DefaultMaxPods"/> was used.</param>
/// <param name="KubeReservedMemoryBytes">The kube-reserved memory.</param>
/// <param name="EvictionThresholdBytes">The kubelet's hard eviction threshold (<c>memory.available</c>).</param>
/// <param name="ReservedCpuMillicores">The kube-reserved CPU.</param>
/// <param name="AllocatableMemoryBytes">Memory left for pods.</param>
/// <param name="AllocatableCpuMillicores">CPU left for pods.</param>
public sealed record NodeCapacity(
    VmSize VmSize, string KubernetesRules, int MaxPods, bool MaxPodsAssumed, decimal KubeReservedMemoryBytes, decimal EvictionThresholdBytes,
    int ReservedCpuMillicores, decimal AllocatableMemoryBytes, int AllocatableCpuMillicores)
{
    /// <summary>The public source of the reservation rules.</summary>
    public const string Source = "learn.microsoft.com/azure/aks/node-resource-reservations";
}

/// <summary>One workload's pods under Kata: what each pod VM costs a node, and how many fit.</summary>
/// <param name="Workload">"Kind namespace/name".</param>
/// <param name="Replicas">Pods the workload runs at once (Deployment/StatefulSet/ReplicaSet replicas, Job parallelism; for a DaemonSet, one per node).</param>
/// <param name="PerNode">True for a DaemonSet: one pod on every node, taken off each node's capacity.</param>
/// <param name="RuntimeClassName">The pod's runtime class, or null when it has none.</param>
/// <param name="VmMemoryBytes">The pod VM's memory: the pod's memory limit, or the default without one.</param>
/// <param name="OverheadMemoryBytes">The RuntimeClass memory overhead (host-side Kata components).</param>
/// <param name="VCpus">The pod VM's vCPUs: the CPU limit rounded up, 1 without one.</param>
/// <param name="CpuMillicores">The CPU the scheduler reserves: the CPU requests plus the RuntimeClass CPU overhead.</param>
/// <param name="PodsPerNode">How many of these pods one node holds alone; 0 when a pod does not fit.</param>
/// <param name="LimitedBy">What limits <paramref name="PodsPerNode"/>: <c>memory</c>, <c>cpu</c> or <c>max pods</c>.</param>
public sealed record WorkloadFootprint(
    string Workload, int Replicas, bool PerNode, string? RuntimeClassName, decimal VmMemoryBytes, decimal OverheadMemoryBytes, int VCpus,
    int CpuMillicores, int PodsPerNode, string LimitedBy)
{
    /// <summary>The memory one pod takes from a node: VM memory plus overhead.</summary>
    public decimal PodMemoryBytes => VmMemoryBytes + OverheadMemoryBytes;

    /// <summary>Nodes this workload needs on its own (null when its pods fit on no node; 0 for a DaemonSet).</summary>
    public int? NodesAlone => PerNode ? 0 : PodsPerNode == 0 ? null : (Replicas + PodsPerNode - 1) / PodsPerNode;
}

/// <summary>
/// A capacity plan for Kata pods on one node pool: each pod's footprint, what a node offers after AKS's reservations, pods per
/// node, the nodes needed for all replicas, and warnings. <see cref="ToTable"/> renders it; the properties are the data.
/// </summary>
/// <param name="PoolName">The node pool.</param>
/// <param name="Node">What one node offers.</param>
/// <param name="Workloads">Every workload's footprint.</param>
/// <param name="NodesNeeded">Nodes needed for every replica that fits, packed together (first-fit decreasing by memory).</param>
/// <param name="Warnings">Pods that cannot fit, requests below limits, too few nodes, assumptions to check.</param>
/// <param name="Findings">SBX3013 findings: pods that do not tolerate the pool's taints.</param>
/// <param name="PoolMaxNodes">The most nodes the pool can have (its max count with autoscaling, else its count).</param>
/// <param name="PodsNotPlaced">Pods that no node of the pool takes because they do not tolerate its taints (SBX3013).</param>
/// <param name="LeftOut">Workloads left out of the Kata plan, each with why: opted out of sandboxing, no runtime class (they run
/// with the node's default runtime, runc), or a runtime class that is not Kata.</param>
public sealed record CapacityPlan(
    string PoolName, NodeCapacity Node, IReadOnlyList<WorkloadFootprint> Workloads, int NodesNeeded, IReadOnlyList<string> Warnings,
    IReadOnlyList<SandboxFinding> Findings, int PoolMaxNodes, int PodsNotPlaced, IReadOnlyList<string> LeftOut)
{
    /// <summary>True when the pool, at its largest, holds every replica that fits a node, and every pod tolerates the pool.</summary>
    public bool FitsInPool => NodesNeeded <= PoolMaxNodes && PodsNotPlaced == 0;

    /// <summary>The plan as a readable text table.</summary>
    public string ToTable() => CapacityPlanner.Render(this);

    /// <inheritdoc cref="ToTable"/>
    public override string ToString() => ToTable();
}

/// <summary>Computes capacity plans (AKS reservations, Kata memory and CPU model).</summary>
internal static class CapacityPlanner
{
    private const decimal Mi = 1024m * 1024;

    public static CapacityPlan Plan(AksNodePool pool, object[] workloads, CapacityPlanOptions options)
    {
        var size = options.NodeSize ?? VmSizes.Find(pool.VmSize) ?? throw new InvalidOperationException(
            $"Capacity plan for node pool '{pool.Name}': VM size '{pool.VmSize}' is not in the SDK's VM size catalog, so its vCPUs and memory are unknown. " +
            "Pass them: new CapacityPlanOptions { NodeSize = new VmSize(\"" + pool.VmSize + "\", vcpus, memoryGiB) }.");
        var node = NodeCapacityOf(size, pool.MaxPods, options.DefaultMaxPods, pool.OrchestratorVersion ?? options.KubernetesVersion);
        var warnings = new List<string>();
        if (node.MaxPodsAssumed)
        {
            warnings.Add($"maxPods is not set: planned with {node.MaxPods} (AKS default with Azure CNI Overlay). AKS reserves 20Mi per max pod, " +
                "so a Kata pool that holds few pod VMs gains memory with a lower WithMaxPods(…).");
        }

        var defaultVm = Quantities.TryParse(options.DefaultVmMemory, out var dv) ? dv : 512 * Mi;
        var defaultOverhead = Quantities.TryParse(options.DefaultOverheadMemory, out var dov) ? dov : 600 * Mi;
        var leftOut = new List<string>();
        var demands = PodDemand.Read(workloads, spec => RuntimeShareOf(spec, options), options.PodTemplates)
            .Where(d => IsPlanned(d, options, leftOut)).ToList();
        var footprints = demands.Select(d => Footprint(d, defaultVm, defaultOverhead, warnings)).ToList();
        var tolerations = new Dictionary<WorkloadFootprint, IReadOnlyList<V1Toleration>>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < footprints.Count; i++)
        {
            tolerations[footprints[i]] = demands[i].Tolerations;
        }

        // DaemonSet pods take their share of every node they tolerate first; pods that tolerate none of the pool's nodes stay
        // unplaced (they would be Pending).
        var taints = pool.NodeTaints.Where(t => t.RepelsPods).Select(t => new V1Taint { Key = t.Key, Value = t.Value, Effect = t.Effect }).ToList();
        var empty = new PackingNode(size.Name, node.AllocatableCpuMillicores, node.AllocatableMemoryBytes, node.MaxPods, taints);
        var daemons = footprints.Where(f => f.PerNode).Select(f => Item(f, tolerations[f]));
        if (FirstFitPacker.ReserveOnEveryNode(daemons, [empty]).Count > 0)
        {
            warnings.Add("the DaemonSets alone need more than a node offers: no other pod fits.");
            empty.ClampAtZero();
        }

        decimal memory = empty.Memory;
        long cpu = (long)empty.Cpu;
        int pods = empty.Pods;
        var result = new List<WorkloadFootprint>();
        var resultTolerations = new List<IReadOnlyList<V1Toleration>>();
        foreach (var f in footprints)
        {
            var footprint = f;
            if (!f.PerNode)
            {
                int byMemory = f.PodMemoryBytes <= 0 ? int.MaxValue : (int)Math.Min(int.MaxValue, Math.Floor(memory / f.PodMemoryBytes));
                int byCpu = f.CpuMillicores <= 0 ? int.MaxValue : (int)(cpu / f.CpuMillicores);
                int perNode = Math.Min(Math.Min(byMemory, byCpu), pods);
                string limitedBy = perNode == byMemory ? "memory" : perNode == byCpu ? "cpu" : "max pods";
                footprint = f with { PodsPerNode = perNode, LimitedBy = limitedBy };
            }
            else
            {
                footprint = f with { PodsPerNode = 1, LimitedBy = "daemonset" };
            }

            if (!f.PerNode && footprint.PodsPerNode == 0 && f.Replicas > 0)
            {
                warnings.Add($"{f.Workload}: a pod VM ({Quantities.FormatBytes(f.PodMemoryBytes)} with overhead, {Millicores(f.CpuMillicores)} CPU) " +
                    $"does not fit a {size.Name} node ({Quantities.FormatBytes(memory)}, {Millicores((int)cpu)} CPU left for pods); choose a larger VM size or smaller limits.");
            }

            if (f.VCpus > size.VCpus)
            {
                warnings.Add($"{f.Workload}: the pod VM gets {f.VCpus} vCPUs, more than a {size.Name} node has ({size.VCpus}); lower the CPU limit or choose a larger VM size.");
            }

            result.Add(footprint);
            resultTolerations.Add(tolerations[f]);
        }

        var opened = new List<PackingNode>();
        var items = result.Select((f, i) => (Footprint: f, Tolerations: resultTolerations[i]))
            .Where(x => !x.Footprint.PerNode && x.Footprint.PodsPerNode > 0).Select(x => Item(x.Footprint, x.Tolerations));
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

    private static PackingItem<WorkloadFootprint> Item(WorkloadFootprint f, IReadOnlyList<V1Toleration> tolerations) =>
        new(f, f.Replicas, f.CpuMillicores, f.PodMemoryBytes, tolerations);

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

    /// <summary>AKS reservations (learn.microsoft.com/azure/aks/node-resource-reservations), MB read as MiB.</summary>
    internal static NodeCapacity NodeCapacityOf(VmSize size, int? poolMaxPods, int defaultMaxPods, string? kubernetesVersion)
    {
        int maxPods = poolMaxPods ?? defaultMaxPods;
        decimal total = size.MemoryBytes;
        bool modern = IsAtLeast129(kubernetesVersion);
        decimal kubeReserved, eviction;
        if (modern)
        {
            // 1.29+: the lesser of 20MB x max pods + 50MB and 25% of memory; eviction at memory.available < 100Mi.
            kubeReserved = Math.Min(20 * Mi * maxPods + 50 * Mi, total * 0.25m);
            eviction = 100 * Mi;
        }
        else
        {
            // Before 1.29: 25% of the first 4GB, 20% of the next 4GB, 10% of the next 8GB, 6% of the next 112GB, 2% above 128GB;
            // eviction at memory.available < 750Mi.
            decimal gi = 1024 * Mi;
            (decimal Upto, decimal Rate)[] tiers = [(4 * gi, 0.25m), (8 * gi, 0.20m), (16 * gi, 0.10m), (128 * gi, 0.06m), (decimal.MaxValue, 0.02m)];
            kubeReserved = 0;
            decimal floor = 0;
            foreach (var (upto, rate) in tiers)
            {
                if (total <= floor)
                {
                    break;
                }

                kubeReserved += (Math.Min(total, upto) - floor) * rate;
                floor = upto;
            }

            eviction = 750 * Mi;
        }

        kubeReserved = Math.Floor(kubeReserved);
        int reservedCpu = ReservedCpu(size.VCpus);
        return new NodeCapacity(size, modern ? "1.29+" : "before 1.29", maxPods, poolMaxPods is null, kubeReserved, eviction, reservedCpu,
            Math.Max(0, total - kubeReserved - eviction), Math.Max(0, size.VCpus * 1000 - reservedCpu));
    }

    /// <summary>
    /// Kube-reserved CPU in millicores. The AKS table gives 1 core: 60, 2: 100, 4: 140, 8: 180, 16: 260, 32: 420, 64: 740; from 4 cores
    /// on it grows by 10m a core, and between the listed counts below 4 it is interpolated (3 cores: 120).
    /// </summary>
    internal static int ReservedCpu(int cores) => cores switch
    {
        <= 0 => 0,
        1 => 60,
        < 4 => 100 + (20 * (cores - 2)),
        _ => 140 + (10 * (cores - 4)),
    };

    private static bool IsAtLeast129(string? version)
    {
        if (string.IsNullOrEmpty(version))
        {
            return true;
        }

        var parts = version.Split('.');
        return parts.Length < 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minor)
            || major > 1 || (major == 1 && minor >= 29);
    }

    private static WorkloadFootprint Footprint(PodDemand demand, decimal defaultVm, decimal defaultOverhead, List<string> warnings)
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

        int vcpus = demand.CpuLimitCores is { } cpuLimit && cpuLimit > 0 ? (int)Math.Ceiling(cpuLimit) : 1;
        int cpuMillicores = (int)Math.Ceiling((demand.CpuRequestCores + (demand.Runtime.CpuCores ?? 0)) * 1000);
        return new WorkloadFootprint(workload, demand.Pods, demand.PerNode, runtimeClass, vmMemory, overheadMemory.Value, vcpus, cpuMillicores, 0, "");
    }

    private static string Millicores(int millicores) =>
        millicores % 1000 == 0 ? (millicores / 1000).ToString(CultureInfo.InvariantCulture) : millicores.ToString(CultureInfo.InvariantCulture) + "m";

    private static string Mib(decimal bytes) => Math.Round(bytes / Mi, 0, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + "Mi";

    public static string Render(CapacityPlan plan)
    {
        var n = plan.Node;
        var text = new StringBuilder();
        text.Append("Capacity plan for node pool '").Append(plan.PoolName).Append("': ").Append(n.VmSize.Name).Append(" (")
            .Append(n.VmSize.VCpus.ToString(CultureInfo.InvariantCulture)).Append(" vCPU, ").Append(Mib(n.VmSize.MemoryBytes)).Append(")\n")
            .Append("Node allocatable (AKS reservations for Kubernetes ").Append(n.KubernetesRules).Append(", ").Append(NodeCapacity.Source).Append("):\n")
            .Append("  memory  ").Append(Mib(n.VmSize.MemoryBytes)).Append(" - kube-reserved ").Append(Mib(n.KubeReservedMemoryBytes))
            .Append(" - eviction threshold ").Append(Mib(n.EvictionThresholdBytes)).Append(" = ").Append(Mib(n.AllocatableMemoryBytes)).Append('\n')
            .Append("  cpu     ").Append((n.VmSize.VCpus * 1000).ToString(CultureInfo.InvariantCulture)).Append("m - kube-reserved ")
            .Append(n.ReservedCpuMillicores.ToString(CultureInfo.InvariantCulture)).Append("m = ")
            .Append(n.AllocatableCpuMillicores.ToString(CultureInfo.InvariantCulture)).Append("m\n")
            .Append("  pods    ").Append(n.MaxPods.ToString(CultureInfo.InvariantCulture)).Append(" max pods per node").Append(n.MaxPodsAssumed ? " (assumed)" : "").Append("\n\n");

        string[] header = ["WORKLOAD", "REPLICAS", "RUNTIME CLASS", "VM MEMORY", "OVERHEAD", "POD MEMORY", "VCPUS", "CPU", "PODS/NODE", "LIMITED BY", "NODES"];
        var rows = new List<string[]> { header };
        foreach (var w in plan.Workloads)
        {
            rows.Add([
                w.Workload,
                w.PerNode ? "1/node" : w.Replicas.ToString(CultureInfo.InvariantCulture),
                w.RuntimeClassName ?? "(none)",
                Mib(w.VmMemoryBytes),
                Mib(w.OverheadMemoryBytes),
                Mib(w.PodMemoryBytes),
                w.VCpus.ToString(CultureInfo.InvariantCulture),
                w.CpuMillicores.ToString(CultureInfo.InvariantCulture) + "m",
                w.PodsPerNode.ToString(CultureInfo.InvariantCulture),
                w.LimitedBy,
                w.PerNode ? "every" : w.NodesAlone?.ToString(CultureInfo.InvariantCulture) ?? "does not fit",
            ]);
        }

        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (int i = 0; i < row.Length; i++)
            {
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

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
            foreach (var warning in plan.Warnings)
            {
                text.Append("  - ").Append(warning).Append('\n');
            }

            foreach (var finding in plan.Findings)
            {
                text.Append("  - ").Append(finding.RuleId).Append(": ").Append(finding.Message).Append('\n');
            }
        }

        return text.ToString();
    }
}
