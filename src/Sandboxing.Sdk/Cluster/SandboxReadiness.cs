using System.Globalization;
using System.Text;
using k8s.Models;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Cluster;

/// <summary>The outcome of one readiness check.</summary>
public enum ReadinessStatus
{
    /// <summary>The check passed.</summary>
    Passed,

    /// <summary>Something looks wrong but need not stop a deployment (for example an unexpected handler).</summary>
    Warning,

    /// <summary>Sandboxed pods will not run until this is fixed.</summary>
    Failed,

    /// <summary>The check could not be made (nothing to check, or not enough information).</summary>
    Skipped,

    /// <summary>
    /// The cluster could not be read for a check that gates readiness (an error answer, a refused permission): nothing says the
    /// sandboxed pods will run, so the report is not ready unless <see cref="SandboxReadinessOptions.AllowUnverified"/> is set.
    /// </summary>
    Unverified,
}

/// <summary>One check of a readiness preflight: what was checked, the outcome, and how to fix a failure.</summary>
/// <param name="Name">What was checked, for example <c>RuntimeClass kata-vm-isolation</c>.</param>
/// <param name="Status">The outcome.</param>
/// <param name="Message">What was found.</param>
/// <param name="Fix">What to do (an az command, a RuntimeClass to create), or null when nothing is needed.</param>
public sealed record ReadinessCheck(string Name, ReadinessStatus Status, string Message, string? Fix = null);

/// <summary>A node that can run a sandbox runtime (it carries the RuntimeClass's node labels).</summary>
/// <param name="Name">The node name.</param>
/// <param name="Ready">Whether the node's <c>Ready</c> condition is <c>True</c>.</param>
/// <param name="Schedulable">False when the node is cordoned (<c>spec.unschedulable</c>).</param>
/// <param name="AllocatableCpuCores">The node's allocatable CPU, in cores.</param>
/// <param name="AllocatableMemoryBytes">The node's allocatable memory, in bytes.</param>
/// <param name="Taints">The node's <c>NoSchedule</c> and <c>NoExecute</c> taints.</param>
public sealed record SandboxNode(string Name, bool Ready, bool Schedulable, decimal AllocatableCpuCores, decimal AllocatableMemoryBytes, IReadOnlyList<V1Taint> Taints)
{
    /// <summary>Ready and not cordoned.</summary>
    public bool Usable => Ready && Schedulable;
}

/// <summary>
/// What one workload asks the scheduler for: how many pods, and per pod the CPU and memory it reserves, which is the pod's
/// requests (limits where no request is set; the larger of the containers' sum and the largest init container) plus the
/// RuntimeClass's fixed overhead, as the scheduler adds it.
/// </summary>
/// <param name="Workload">The object, as "Kind namespace/name".</param>
/// <param name="RuntimeClassName">The runtime class of its pods.</param>
/// <param name="Pods">The pods it runs at once (replicas, Job parallelism; 1 for a Pod or a CronJob run); for a DaemonSet, 1 per node.</param>
/// <param name="PerNode">True for a DaemonSet: one pod on every node.</param>
/// <param name="CpuCores">CPU reserved per pod, overhead included.</param>
/// <param name="MemoryBytes">Memory reserved per pod, overhead included.</param>
/// <param name="OverheadCpuCores">The part of <paramref name="CpuCores"/> that is RuntimeClass overhead.</param>
/// <param name="OverheadMemoryBytes">The part of <paramref name="MemoryBytes"/> that is RuntimeClass overhead.</param>
/// <param name="Tolerations">The pods' tolerations (the pod spec's and the RuntimeClass's).</param>
public sealed record PodFootprint(
    string Workload, string RuntimeClassName, int Pods, bool PerNode, decimal CpuCores, decimal MemoryBytes,
    decimal OverheadCpuCores, decimal OverheadMemoryBytes, IReadOnlyList<V1Toleration> Tolerations)
{
    /// <summary>
    /// Computes the footprints of workloads with the overheads the SDK knows (<see cref="SandboxRuntime.Overhead"/>), without a
    /// cluster. The preflight uses the overhead of the RuntimeClass the cluster has instead.
    /// </summary>
    public static IReadOnlyList<PodFootprint> For(IEnumerable<object> workloads)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        return Compute(workloads, name => Known(name));
    }

    internal static IReadOnlyList<PodFootprint> Compute(IEnumerable<object> workloads, Func<string, (decimal Cpu, decimal Memory, IReadOnlyList<V1Toleration> Tolerations)> overheadOf)
    {
        // The one footprint model (NodePools.PodDemand): requests, where the scheduler reserves, plus the RuntimeClass overhead.
        var demands = PodDemand.Read(workloads, spec =>
        {
            if (string.IsNullOrWhiteSpace(spec.RuntimeClassName))
            {
                return RuntimeShare.Unknown;
            }

            var (cpu, memory, tolerations) = overheadOf(spec.RuntimeClassName);
            return new RuntimeShare(cpu, memory, tolerations);
        });
        return demands.Where(d => d.RuntimeClassName is not null && d.Site.PodsAtOnce > 0)
            .Select(d => new PodFootprint(d.Workload, d.RuntimeClassName!, d.Pods, d.PerNode,
                d.CpuRequestCores + (d.Runtime.CpuCores ?? 0), d.MemoryRequestBytes + (d.Runtime.MemoryBytes ?? 0),
                d.Runtime.CpuCores ?? 0, d.Runtime.MemoryBytes ?? 0, d.Tolerations))
            .ToList();
    }

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

    private static (decimal Cpu, decimal Memory, IReadOnlyList<V1Toleration> Tolerations) Known(string name)
    {
        if (!KubernetesNames.IsSubdomain(name))
        {
            return (0, 0, []);
        }

        var (memory, cpu) = new SandboxRuntime(name).OverheadValues;
        return (cpu ?? 0, memory ?? 0, []);
    }
}

/// <summary>
/// Checks the planned pods against the sandbox nodes, for example with the node pool capacity planner. Return a check with
/// <see cref="ReadinessStatus.Failed"/> when the pods do not fit.
/// </summary>
/// <param name="footprints">The pods of the workloads, per workload.</param>
/// <param name="nodes">The Ready, schedulable nodes that carry the runtime's labels.</param>
public delegate ReadinessCheck SandboxCapacityCheck(IReadOnlyList<PodFootprint> footprints, IReadOnlyList<SandboxNode> nodes);

/// <summary>What <see cref="SandboxReadinessExtensions.CheckSandboxReadinessAsync"/> checks.</summary>
public sealed record SandboxReadinessOptions
{
    /// <summary>
    /// The workloads to deploy (objects or collections). Their runtime classes, namespaces and pod footprints are checked; other
    /// kinds in the list count as created by the same batch (a <see cref="V1Namespace"/>, a <see cref="V1RuntimeClass"/>).
    /// </summary>
    public IEnumerable<object>? Workloads { get; init; }

    /// <summary>The runtime to check when no workload names one. Default: AKS <c>kata-vm-isolation</c>.</summary>
    public SandboxRuntime Runtime { get; init; }

    /// <summary>
    /// Replaces the built-in fit check (first-fit of every pod on empty nodes); pass the node pool capacity planner here.
    /// </summary>
    public SandboxCapacityCheck? CapacityCheck { get; init; }

    /// <summary>The AKS cluster name, used in the az commands of fixes; null prints a placeholder.</summary>
    public string? ClusterName { get; init; }

    /// <summary>The cluster's resource group, used in the az commands of fixes; null prints a placeholder.</summary>
    public string? ResourceGroup { get; init; }

    /// <summary>How reads are retried. Default <see cref="SandboxRetryPolicy.Default"/>.</summary>
    public SandboxRetryPolicy Retry { get; init; } = SandboxRetryPolicy.Default;

    /// <summary>
    /// Whether checks the cluster did not let the preflight make (<see cref="ReadinessStatus.Unverified"/>) still count as ready.
    /// Default false: the preflight fails closed. Set it for identities that may deploy but not read RuntimeClasses or Nodes.
    /// </summary>
    public bool AllowUnverified { get; init; }
}

/// <summary>The result of a readiness preflight: every check, and what the cluster has.</summary>
public sealed class SandboxReadinessReport
{
    internal SandboxReadinessReport(
        IReadOnlyList<ReadinessCheck> checks, IReadOnlyDictionary<string, V1RuntimeClass?> runtimeClasses,
        IReadOnlyList<SandboxNode> nodes, IReadOnlyList<PodFootprint> footprints, bool allowUnverified = false)
    {
        _allowUnverified = allowUnverified;
        Checks = checks;
        RuntimeClasses = runtimeClasses;
        Nodes = nodes;
        Footprints = footprints;
    }

    private readonly bool _allowUnverified;

    /// <summary>
    /// True when no check failed and every gating check could be made (or <see cref="SandboxReadinessOptions.AllowUnverified"/>
    /// was set): a cluster that cannot be read is not reported ready.
    /// </summary>
    public bool IsReady => Checks.All(c => c.Status != ReadinessStatus.Failed && (_allowUnverified || c.Status != ReadinessStatus.Unverified));

    /// <summary>The checks that could not be made because the cluster could not be read.</summary>
    public IEnumerable<ReadinessCheck> Unverified => Checks.Where(c => c.Status == ReadinessStatus.Unverified);

    /// <summary>Every check, in the order made.</summary>
    public IReadOnlyList<ReadinessCheck> Checks { get; }

    /// <summary>The failed checks.</summary>
    public IEnumerable<ReadinessCheck> Failures => Checks.Where(c => c.Status == ReadinessStatus.Failed);

    /// <summary>Each checked runtime class name and the RuntimeClass the cluster has (null when it has none).</summary>
    public IReadOnlyDictionary<string, V1RuntimeClass?> RuntimeClasses { get; }

    /// <summary>The nodes that carry the runtime classes' labels, Ready or not.</summary>
    public IReadOnlyList<SandboxNode> Nodes { get; }

    /// <summary>The planned pods, with the cluster's RuntimeClass overhead where known.</summary>
    public IReadOnlyList<PodFootprint> Footprints { get; }

    /// <summary>A text report: one line per check, with the fix under each failure.</summary>
    public override string ToString()
    {
        int failed = Checks.Count(c => c.Status == ReadinessStatus.Failed);
        int warnings = Checks.Count(c => c.Status == ReadinessStatus.Warning);
        int unverified = Checks.Count(c => c.Status == ReadinessStatus.Unverified);
        var text = new StringBuilder("Sandbox readiness: ").Append(IsReady ? "ready" : failed == 0 && unverified > 0 ? "COULD NOT VERIFY" : "NOT READY");
        if (failed + warnings + unverified > 0)
        {
            text.Append(" (").Append(failed).Append(" failed, ");
            if (unverified > 0)
            {
                text.Append(unverified).Append(" could not be verified, ");
            }

            text.Append(warnings).Append(warnings == 1 ? " warning)" : " warnings)");
        }

        foreach (var check in Checks)
        {
            string tag = check.Status switch
            {
                ReadinessStatus.Passed => "[ok]  ",
                ReadinessStatus.Warning => "[warn]",
                ReadinessStatus.Failed => "[FAIL]",
                ReadinessStatus.Unverified => "[????]",
                _ => "[skip]",
            };
            text.Append('\n').Append("  ").Append(tag).Append(' ').Append(check.Name).Append(": ").Append(check.Message);
            if (check.Fix is { } fix && check.Status is ReadinessStatus.Failed or ReadinessStatus.Warning or ReadinessStatus.Unverified)
            {
                text.Append("\n         fix: ").Append(fix.Replace("\n", "\n              ", StringComparison.Ordinal));
            }
        }

        return text.ToString();
    }
}
