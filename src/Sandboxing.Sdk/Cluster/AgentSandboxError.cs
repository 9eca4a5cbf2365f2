namespace Sandboxing.Sdk.Cluster;

/// <summary>What went wrong in an <see cref="AgentSandboxClient"/> call, for code to branch on (<see cref="AgentSandboxException.Error"/>).</summary>
public enum AgentSandboxError
{
    /// <summary>The claim could not be created, or the controller refused it for good (InvalidMetadata, EnvVarsInjectionRejected, VolumeClaimTemplatesError).</summary>
    ClaimFailed,

    /// <summary>A claim, sandbox, warm pool or template does not exist (TemplateNotFound, WarmPoolNotFound, a missing claim or router).</summary>
    NotFound,

    /// <summary>The pod template does not name a sandbox runtime class: the agent code would run on the node's shared kernel.</summary>
    NotSandboxed,

    /// <summary>The sandbox is not ready (its claim is not bound or its Ready condition is not True), or the session was released.</summary>
    NotReady,

    /// <summary>One of the client's own deadlines passed (<see cref="AgentSandboxClientOptions.ReadyTimeout"/>, <see cref="AgentSandboxClientOptions.RequestTimeout"/>).</summary>
    Timeout,

    /// <summary>The claim or its sandbox expired (ClaimExpired, SandboxExpired).</summary>
    Expired,

    /// <summary>The claim or its sandbox was deleted while the client waited on it.</summary>
    Deleted,

    /// <summary>The router (or the runtime behind it) answered with an error, or could not be reached after the retries.</summary>
    RouterFailed,

    /// <summary>A response was larger than the client accepts (16 MB for a command, 8 MB for a listing, <see cref="AgentSandboxClientOptions.MaxDownloadBytes"/> for a file).</summary>
    ResponseTooLarge,

    /// <summary>A file path is absolute, climbs out with <c>..</c>, is empty or holds control characters.</summary>
    InvalidPath,
}
