
namespace Sandboxing.Sdk.Cluster;

/// <summary>How <see cref="SandboxClusterExtensions.ApplySandboxedAsync{T}"/> applies objects. The defaults suit a platform that owns its objects.</summary>
public sealed class SandboxApplyOptions
{
    /// <summary>
    /// Take over fields that other field managers own (<c>force=true</c>, kubectl's <c>--force-conflicts</c>). Default false: a
    /// conflict fails with an <see cref="SandboxDeployException"/> (<see cref="SandboxDeployReason.ApplyConflict"/>) that lists the fields and their owners.
    /// </summary>
    public bool Force { get; init; }

    /// <summary>Server dry run (<c>dryRun=All</c>): the server validates, admits and answers, but stores nothing. Default false.</summary>
    public bool DryRun { get; init; }

    /// <summary>The namespace for namespaced objects that have none. Default null: such objects are refused with an <see cref="ArgumentException"/>.</summary>
    public string? DefaultNamespace { get; init; }

    /// <summary>The sandbox rules the objects must pass before anything is sent. Default <see cref="SandboxValidationOptions.Default"/>.</summary>
    public SandboxValidationOptions Validation { get; init; } = SandboxValidationOptions.Default;

    /// <summary>How 429, 5xx and failed connections are retried. Default <see cref="SandboxRetryPolicy.Default"/>.</summary>
    public SandboxRetryPolicy Retry { get; init; } = SandboxRetryPolicy.Default;

    /// <summary>
    /// How the server treats unknown or duplicate fields (<c>fieldValidation</c>: <c>Strict</c>, <c>Warn</c> or <c>Ignore</c>).
    /// Default <c>Strict</c>, so a misspelt field fails instead of vanishing.
    /// </summary>
    public string FieldValidation { get; init; } = "Strict";

    /// <summary>
    /// Run <see cref="SandboxClusterExtensions.CheckSandboxReadinessAsync"/> for the objects first and throw a
    /// <see cref="SandboxDeployException"/> (<see cref="SandboxDeployReason.NotReady"/>), sending nothing, when a check fails. Default false.
    /// </summary>
    public bool Preflight { get; init; }

    /// <summary>The readiness options used when <see cref="Preflight"/> is on; null uses the defaults with this policy's retries.</summary>
    public SandboxReadinessOptions? PreflightOptions { get; init; }
}
