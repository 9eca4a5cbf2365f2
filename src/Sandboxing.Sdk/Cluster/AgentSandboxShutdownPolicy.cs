namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// What the controller does when a claim's <see cref="AgentSandboxClaimOptions.ShutdownAfter"/> passes
/// (<c>spec.lifecycle.shutdownPolicy</c>; agent-sandbox 2fd412d extensions/api/v1beta1/sandboxclaim_types.go:42-59).
/// </summary>
public enum AgentSandboxShutdownPolicy
{
    /// <summary>Deletes the claim; the sandbox and its pod go by garbage collection in the background.</summary>
    Delete,

    /// <summary>Deletes the claim with foreground propagation: the claim stays until the pod is gone.</summary>
    DeleteForeground,

    /// <summary>Deletes the sandbox and keeps the claim, marked Ready=False with the reason ClaimExpired.</summary>
    Retain,
}
