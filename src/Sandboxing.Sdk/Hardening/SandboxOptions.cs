using k8s.Models;
using Sandboxing.Sdk.Objects;
using Sandboxing.Sdk.Runtimes;

namespace Sandboxing.Sdk.Hardening;

/// <summary>What <c>Sandbox()</c> does with objects that opted out of sandboxing.</summary>
public enum OptOutHandling
{
    /// <summary>Throw a <see cref="SandboxException"/> naming the object and its reason (the default: hardening was asked for explicitly).</summary>
    Throw = 0,

    /// <summary>Leave opted-out objects as they are and harden the rest.</summary>
    Skip,
}

/// <summary>Options for <c>Sandbox()</c>.</summary>
public sealed record SandboxOptions
{
    /// <summary>The defaults: AKS <c>kata-vm-isolation</c>, throw on opted-out objects, no extra tolerations.</summary>
    public static SandboxOptions Default { get; } = new();

    /// <summary>The runtime to set. Default: AKS <c>kata-vm-isolation</c>.</summary>
    public SandboxRuntime Runtime { get; init; }

    /// <summary>What to do with objects annotated <c>sandboxing.sdk/exempt</c>.</summary>
    public OptOutHandling OptOuts { get; init; }

    /// <summary>
    /// Tolerations to add besides the runtime's own, for example those of a tainted Kata node pool
    /// (<c>AksNodePool.PodTolerations</c>). Existing equal tolerations are not duplicated.
    /// </summary>
    public IReadOnlyList<V1Toleration> Tolerations { get; init; } = [];
}
