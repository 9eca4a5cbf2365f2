namespace Sandboxing.Sdk.Cluster;

/// <summary>Which clusters of a kubeconfig <see cref="SandboxFleetAudit.AuditAsync"/> reads, how many at once, and for how long each.</summary>
public sealed class SandboxFleetAuditOptions
{
    private readonly int _maxParallelism = 8;
    private readonly TimeSpan _clusterTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The kubeconfig file; null for <see cref="SandboxKubeconfig.DefaultPath"/>.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The contexts to audit, one cluster each; null or empty audits every context of the kubeconfig.</summary>
    public IReadOnlyCollection<string>? Contexts { get; init; }

    /// <summary>What each cluster's audit reads and how it judges it (namespaces, selector, validation, retries, page size).</summary>
    public SandboxAuditOptions Audit { get; init; } = new();

    /// <summary>
    /// How many clusters are audited at once (each lists its kinds at once too). Default 8: the audit waits on API servers, not on
    /// the processor, and each cluster in flight holds a few pages per kind.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxParallelism
    {
        get => _maxParallelism;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxParallelism = value;
        }
    }

    /// <summary>
    /// How long one cluster may take, its kubeconfig credentials (an exec plugin such as kubelogin), every list and every retry
    /// included; a cluster that takes longer is reported as failed and the others go on. Default 2 minutes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan ClusterTimeout
    {
        get => _clusterTimeout;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _clusterTimeout = value;
        }
    }
}

/// <summary>The audit of one cluster of a fleet: its report, or why it has none.</summary>
public sealed class SandboxContextAudit
{
    internal SandboxContextAudit(string context, Uri? server, SandboxAuditReport? report, SandboxDeployException? error, TimeSpan elapsed)
    {
        Context = context;
        Server = server;
        Report = report;
        Error = error;
        Elapsed = elapsed;
    }

    /// <summary>The kubeconfig context.</summary>
    public string Context { get; }

    /// <summary>The API server the context points at; null when the kubeconfig could not be used for it.</summary>
    public Uri? Server { get; }

    /// <summary>The cluster's audit; null when it failed (see <see cref="Error"/>).</summary>
    public SandboxAuditReport? Report { get; }

    /// <summary>
    /// Why the cluster was not audited: its kubeconfig entry cannot be used, the API server could not be reached or did not finish
    /// within <see cref="SandboxFleetAuditOptions.ClusterTimeout"/> (<see cref="SandboxDeployReason.ClusterUnreachable"/>), or it
    /// refused the credentials; null when <see cref="Report"/> is set.
    /// </summary>
    public SandboxDeployException? Error { get; }

    /// <summary>How long the cluster took, from loading its credentials to its last page.</summary>
    public TimeSpan Elapsed { get; }
}
