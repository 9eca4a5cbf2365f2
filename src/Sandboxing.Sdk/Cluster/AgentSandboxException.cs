namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// An <see cref="AgentSandboxClient"/> or <see cref="AgentSandboxSession"/> call failed: the message says what, where (namespace and
/// claim, the router's URL) and how to fix it. A cancellation asked for by the caller's token is never wrapped: it propagates as
/// an <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class AgentSandboxException : SandboxException
{
    internal AgentSandboxException(
        AgentSandboxError error, string message, string @namespace, string? claimName = null, string? reason = null, int? statusCode = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        Namespace = @namespace;
        ClaimName = claimName;
        Reason = reason;
        StatusCode = statusCode;
    }

    /// <summary>What went wrong, for code to branch on.</summary>
    public AgentSandboxError Error { get; }

    /// <summary>The namespace of the claim.</summary>
    public string Namespace { get; }

    /// <summary>The claim's name, once it exists.</summary>
    public string? ClaimName { get; }

    /// <summary>The claim's or sandbox's condition reason (<c>WarmPoolNotFound</c>, <c>ClaimExpired</c>…), when one explains the failure.</summary>
    public string? Reason { get; }

    /// <summary>The HTTP status of the router's or the API server's answer, when there was one.</summary>
    public int? StatusCode { get; }
}
