namespace Sandboxing.Sdk.Cluster;

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
    /// within its deadline (<see cref="SandboxDeployReason.ClusterUnreachable"/>), or it
    /// refused the credentials; null when <see cref="Report"/> is set.
    /// </summary>
    public SandboxDeployException? Error { get; }

    /// <summary>How long the cluster took, from loading its credentials to its last page.</summary>
    public TimeSpan Elapsed { get; }
}
