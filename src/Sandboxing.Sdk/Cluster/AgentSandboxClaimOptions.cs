namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// What a claim asks of its sandbox beyond the pool: a lifetime, labels, and metadata for the pod
/// (agent-sandbox 2fd412d extensions/api/v1beta1/sandboxclaim_types.go:42-122).
/// </summary>
public sealed class AgentSandboxClaimOptions
{
    /// <summary>
    /// How long the sandbox may live: the claim's <c>spec.lifecycle.shutdownTime</c> is now plus this, and the controller applies
    /// <see cref="ShutdownPolicy"/> then, even if this process died without releasing it. Null (the default): no lifetime.
    /// </summary>
    public TimeSpan? ShutdownAfter { get; set; }

    /// <summary>What the controller does at <see cref="ShutdownAfter"/> (<c>spec.lifecycle.shutdownPolicy</c>). Default <see cref="AgentSandboxShutdownPolicy.Delete"/>.</summary>
    public AgentSandboxShutdownPolicy ShutdownPolicy { get; set; } = AgentSandboxShutdownPolicy.Delete;

    /// <summary>Labels on the claim.</summary>
    public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Labels for the sandbox's pod (<c>spec.additionalPodMetadata.labels</c>). Keys in the <c>kubernetes.io</c>, <c>k8s.io</c> and
    /// <c>agents.x-k8s.io</c> domains are refused, as the controller refuses them.
    /// </summary>
    public IDictionary<string, string> PodLabels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Annotations for the sandbox's pod (<c>spec.additionalPodMetadata.annotations</c>); the same domains are refused, except
    /// <c>cluster-autoscaler.kubernetes.io/safe-to-evict</c>.
    /// </summary>
    public IDictionary<string, string> PodAnnotations { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
