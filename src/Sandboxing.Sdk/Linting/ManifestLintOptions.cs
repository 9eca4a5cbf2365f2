namespace Sandboxing.Sdk;

/// <summary>What the linter accepts, how much it reads and how it groups the inputs for the tenant rules.</summary>
public sealed class ManifestLintOptions
{
    /// <summary>The defaults: <see cref="SandboxValidationOptions.Default"/>, <see cref="ManifestReadOptions.Default"/>, <see cref="ManifestLintProfile.Default"/>.</summary>
    public static ManifestLintOptions Default { get; } = new();

    /// <summary>The validator's options: runtime, allowed classes, whether exemptions count.</summary>
    public SandboxValidationOptions Validation { get; init; } = SandboxValidationOptions.Default;

    /// <summary>The input limits.</summary>
    public ManifestReadOptions Read { get; init; } = ManifestReadOptions.Default;

    /// <summary>How the tenant rules (SBX4xxx) see the inputs: each file alone, or all of them as one tenant's manifests.</summary>
    public ManifestLintProfile Profile { get; init; }
}
