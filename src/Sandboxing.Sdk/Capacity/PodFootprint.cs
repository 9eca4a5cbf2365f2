using System.Globalization;
using k8s.Models;

namespace Sandboxing.Sdk.Aks;

/// <summary>
/// What one workload's pods take from a node, in the two views that matter under Kata: what the scheduler reserves (requests
/// plus the RuntimeClass overhead: <see cref="CpuCores"/>, <see cref="MemoryBytes"/>) and what the pod VM holds (the Kata shim
/// sizes it from the limits: <see cref="VmMemoryBytes"/>, <see cref="VCpus"/>, <see cref="PodMemoryBytes"/>). The capacity plan
/// (<c>AksNodePool.Plan</c>) packs by the pod VM and fills <see cref="PodsPerNode"/>; the deploy preflight fits
/// the scheduler's view on the cluster's nodes.
/// </summary>
public sealed class PodFootprint
{
    internal PodFootprint(
        string workload, string? runtimeClassName, int pods, bool perNode, decimal cpuCores, decimal memoryBytes, decimal overheadCpuCores,
        decimal overheadMemoryBytes, decimal vmMemoryBytes, int vCpus, IReadOnlyList<V1Toleration> tolerations, bool overheadHoldsVm)
    {
        Workload = workload;
        RuntimeClassName = runtimeClassName;
        Pods = pods;
        PerNode = perNode;
        CpuCores = cpuCores;
        MemoryBytes = memoryBytes;
        OverheadCpuCores = overheadCpuCores;
        OverheadMemoryBytes = overheadMemoryBytes;
        VmMemoryBytes = vmMemoryBytes;
        VCpus = vCpus;
        Tolerations = tolerations;
        OverheadHoldsVm = overheadHoldsVm;
    }

    /// <summary>The object, as "Kind namespace/name".</summary>
    public string Workload { get; }

    /// <summary>The runtime class of its pods, or null when they have none.</summary>
    public string? RuntimeClassName { get; }

    /// <summary>The pods it runs at once (replicas, Job parallelism; 1 for a Pod or a CronJob run); for a DaemonSet, 1 per node.</summary>
    public int Pods { get; }

    /// <summary>True for a DaemonSet: one pod on every node whose taints it tolerates.</summary>
    public bool PerNode { get; }

    /// <summary>The CPU the scheduler reserves per pod, in cores: the requests (limits where no request is set) plus the RuntimeClass CPU overhead.</summary>
    public decimal CpuCores { get; }

    /// <summary>The memory the scheduler reserves per pod, in bytes: the requests (limits where no request is set) plus the RuntimeClass memory overhead.</summary>
    public decimal MemoryBytes { get; }

    /// <summary>The part of <see cref="CpuCores"/> that is RuntimeClass overhead.</summary>
    public decimal OverheadCpuCores { get; }

    /// <summary>The RuntimeClass memory overhead (host-side Kata components), part of <see cref="MemoryBytes"/> and <see cref="PodMemoryBytes"/>.</summary>
    public decimal OverheadMemoryBytes { get; }

    /// <summary>The pod VM's memory: the pod's memory limit, or the default (512Mi on AKS) without one.</summary>
    public decimal VmMemoryBytes { get; }

    /// <summary>The pod VM's vCPUs: the CPU limit rounded up, 1 without one.</summary>
    public int VCpus { get; }

    /// <summary>
    /// The memory one pod VM takes from a node: <see cref="VmMemoryBytes"/> plus <see cref="OverheadMemoryBytes"/>, or the overhead
    /// alone when it already holds the VM (a pod without a memory limit on AKS <c>kata-vm-isolation</c>: its 600Mi overhead is
    /// the default 512Mi VM plus about 88Mi of host components).
    /// </summary>
    public decimal PodMemoryBytes => OverheadHoldsVm ? OverheadMemoryBytes : VmMemoryBytes + OverheadMemoryBytes;

    /// <summary>True when <see cref="OverheadMemoryBytes"/> already holds the default pod VM, so it is counted once.</summary>
    internal bool OverheadHoldsVm { get; }

    /// <summary>The pods' tolerations (the pod spec's and the RuntimeClass's): they decide which nodes the pods may use.</summary>
    public IReadOnlyList<V1Toleration> Tolerations { get; }

    /// <summary>
    /// In a capacity plan, how many of these pods one node of the pool holds alone (0 when a pod fits no node; 1 for a DaemonSet);
    /// null outside a plan.
    /// </summary>
    public int? PodsPerNode { get; private init; }

    /// <summary>In a capacity plan, what limits <see cref="PodsPerNode"/>: <c>memory</c>, <c>cpu</c>, <c>max pods</c> or <c>daemonset</c>; null outside a plan.</summary>
    public string? LimitedBy { get; private init; }

    /// <summary>In a capacity plan, the nodes this workload needs on its own (null when its pods fit no node or outside a plan; 0 for a DaemonSet).</summary>
    public int? NodesAlone => PerNode ? 0 : PodsPerNode is null or 0 ? null : (Pods + PodsPerNode.Value - 1) / PodsPerNode.Value;

    /// <summary>The scheduler's CPU reservation in whole millicores, rounded up, as the plan packs it.</summary>
    internal int CpuMillicores => (int)Math.Ceiling(CpuCores * 1000);

    /// <summary>
    /// Computes the footprints of the sandboxed pods (those with a runtime class) of <paramref name="workloads"/> with the
    /// overheads the SDK knows (<see cref="SandboxRuntime.Overhead"/>), without a cluster. The preflight uses the overhead of the
    /// RuntimeClass the cluster has instead.
    /// </summary>
    /// <param name="workloads">The objects to read.</param>
    public static IReadOnlyList<PodFootprint> For(IEnumerable<object> workloads)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        return Footprints.Sandboxed(workloads, Footprints.KnownShare);
    }

    /// <summary>The same footprint with the plan's per-node count.</summary>
    internal PodFootprint WithPlacement(int podsPerNode, string limitedBy) => new(
        Workload, RuntimeClassName, Pods, PerNode, CpuCores, MemoryBytes, OverheadCpuCores, OverheadMemoryBytes, VmMemoryBytes, VCpus, Tolerations,
        OverheadHoldsVm)
    {
        PodsPerNode = podsPerNode,
        LimitedBy = limitedBy,
    };

    /// <summary>"1.25 CPU, 1.6Gi" style text for reports; says so when the pods request nothing the scheduler would reserve.</summary>
    public override string ToString()
    {
        string pods = PerNode ? "1 pod per node" : Pods == 1 ? "1 pod" : $"{Pods} pods";
        string overhead = OverheadCpuCores == 0 && OverheadMemoryBytes == 0
            ? $"RuntimeClass {RuntimeClassName} adds no known overhead"
            : $"incl. RuntimeClass {RuntimeClassName} overhead {Describe(OverheadCpuCores, OverheadMemoryBytes)}";
        return CpuCores == 0 && MemoryBytes == 0
            ? $"{Workload}: {pods} with no CPU or memory requests, so the scheduler reserves nothing for them ({overhead}); set requests equal to limits"
            : $"{Workload}: {pods} of {Describe(CpuCores, MemoryBytes)} ({overhead})";
    }

    internal static string Describe(decimal cpu, decimal memory) =>
        $"{cpu.ToString("0.###", CultureInfo.InvariantCulture)} CPU, {Memory(memory)}";

    internal static string Memory(decimal bytes)
    {
        const decimal mi = 1024m * 1024;
        string exact = Quantities.FormatBytes(bytes);
        return bytes == 0 ? "0Mi" : exact.EndsWith('i') ? exact : (bytes / mi).ToString("0", CultureInfo.InvariantCulture) + "Mi";
    }
}
