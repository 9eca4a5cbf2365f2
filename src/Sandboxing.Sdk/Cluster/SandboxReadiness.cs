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
public sealed class ReadinessCheck
{
    internal ReadinessCheck(string name, ReadinessStatus status, string message, string? fix = null)
    {
        Name = name;
        Status = status;
        Message = message;
        Fix = fix;
    }

    /// <summary>What was checked, for example <c>RuntimeClass kata-vm-isolation</c>.</summary>
    public string Name { get; }

    /// <summary>The outcome.</summary>
    public ReadinessStatus Status { get; }

    /// <summary>What was found.</summary>
    public string Message { get; }

    /// <summary>What to do (an az command, a RuntimeClass to create), or null when nothing is needed.</summary>
    public string? Fix { get; }

    /// <summary>"Name: Status: Message".</summary>
    public override string ToString() => $"{Name}: {Status}: {Message}";
}

/// <summary>Fits the planned pods on the sandbox nodes; returns a <see cref="ReadinessStatus.Failed"/> check when they do not fit.</summary>
/// <param name="footprints">The pods of the workloads, per workload.</param>
/// <param name="nodes">The Ready, schedulable nodes that carry the runtime's labels.</param>
internal delegate ReadinessCheck SandboxCapacityCheck(IReadOnlyList<PodFootprint> footprints, IReadOnlyList<NodeCapacity> nodes);

/// <summary>What <see cref="SandboxClusterExtensions.CheckSandboxReadinessAsync"/> checks.</summary>
public sealed class SandboxReadinessOptions
{
    /// <summary>
    /// The workloads to deploy (objects or collections). Their runtime classes, namespaces and pod footprints are checked; other
    /// kinds in the list count as created by the same batch (a <see cref="V1Namespace"/>, a <see cref="V1RuntimeClass"/>).
    /// </summary>
    public IEnumerable<object>? Workloads { get; init; }

    /// <summary>The runtime to check when no workload names one. Default: AKS <c>kata-vm-isolation</c>.</summary>
    public SandboxRuntime Runtime { get; init; }

    /// <summary>
    /// The node pool the sandboxed pods run on. When set, the capacity check is the pool's capacity plan for
    /// <see cref="Workloads"/> (<see cref="AksNodePool.Plan(object[])"/>): it fails when a pod VM fits no node of the pool's VM
    /// size, when pods do not tolerate its taints, or when the pool at its largest has fewer nodes than the plan needs. When null,
    /// every pod is fitted first-fit on the cluster's empty sandbox nodes.
    /// </summary>
    public AksNodePool? NodePool { get; init; }

    /// <summary>Replaces the capacity check (tests); <see cref="NodePool"/> is the public way to plan with a pool.</summary>
    internal SandboxCapacityCheck? CapacityCheck { get; init; }

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

    /// <summary>A copy of these options for other workloads.</summary>
    internal SandboxReadinessOptions ForWorkloads(IEnumerable<object> workloads) => new()
    {
        Workloads = workloads,
        Runtime = Runtime,
        NodePool = NodePool,
        CapacityCheck = CapacityCheck,
        ClusterName = ClusterName,
        ResourceGroup = ResourceGroup,
        Retry = Retry,
        AllowUnverified = AllowUnverified,
    };
}

/// <summary>The result of a readiness preflight: every check, and what the cluster has.</summary>
public sealed class SandboxReadinessReport
{
    internal SandboxReadinessReport(
        IReadOnlyList<ReadinessCheck> checks, IReadOnlyDictionary<string, V1RuntimeClass?> runtimeClasses,
        IReadOnlyList<NodeCapacity> nodes, IReadOnlyList<PodFootprint> footprints, bool allowUnverified = false)
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
    public IReadOnlyList<NodeCapacity> Nodes { get; }

    /// <summary>The planned pods, with the cluster's RuntimeClass overhead where known.</summary>
    public IReadOnlyList<PodFootprint> Footprints { get; }

    /// <summary>
    /// Throws when the cluster is not ready (<see cref="IsReady"/> is false): a <see cref="SandboxDeployException"/> with
    /// <see cref="SandboxDeployReason.NotReady"/> whose message lists each failed check with its fix.
    /// </summary>
    /// <exception cref="SandboxDeployException">The cluster is not ready.</exception>
    public void ThrowIfNotReady()
    {
        if (!IsReady)
        {
            throw SandboxDeployException.NotReady(this);
        }
    }

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
