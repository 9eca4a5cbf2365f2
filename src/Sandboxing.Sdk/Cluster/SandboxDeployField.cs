namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// One field the API server named when it refused an object: a field another field manager owns
/// (<see cref="SandboxDeployReason.ApplyConflict"/>, with <see cref="Manager"/>) or a field its validation rejected
/// (<see cref="SandboxDeployReason.InvalidObject"/>, with <see cref="Reason"/>).
/// </summary>
public sealed class SandboxDeployField
{
    internal SandboxDeployField(string field, string message, string? manager = null, string? reason = null)
    {
        Field = field;
        Message = message;
        Manager = manager;
        Reason = reason;
    }

    /// <summary>
    /// The field path as the server reports it (for example <c>.spec.replicas</c> or <c>spec.template.spec.containers[0].image</c>);
    /// empty when the server gave none.
    /// </summary>
    public string Field { get; }

    /// <summary>The server's words about this field.</summary>
    public string Message { get; }

    /// <summary>For an apply conflict: the field manager that owns the field (for example <c>kubectl-client-side-apply</c>); otherwise null.</summary>
    public string? Manager { get; }

    /// <summary>For an invalid object: the machine reason (for example <c>FieldValueRequired</c>); otherwise null.</summary>
    public string? Reason { get; }
}
