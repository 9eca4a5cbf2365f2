using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>Options for <c>Sandbox()</c>.</summary>
public sealed class SandboxOptions
{
    /// <summary>The defaults: AKS <c>kata-vm-isolation</c>, throw on opted-out objects, no extra tolerations.</summary>
    public static SandboxOptions Default { get; } = new();

    /// <summary>
    /// The runtime to set. Default: AKS <c>kata-vm-isolation</c>. A plain name within a few edits of a preset of
    /// <see cref="SandboxRuntime.Presets"/> but not one (<c>kata-vm-isolaton</c>) is refused as a typo, and so is any other name
    /// that is not a sandbox class (<c>nvidia</c>); a custom sandbox class is declared with its <see cref="RuntimeClassDefinition"/>.
    /// </summary>
    /// <exception cref="SandboxException">The runtime is not a sandbox: <c>runc</c>, a typo of a preset, or a name that is no sandbox class.</exception>
    public SandboxRuntime Runtime { get => _runtime; init => _runtime = value.ThrowIfNotSandbox("SandboxOptions.Runtime"); }

    private readonly SandboxRuntime _runtime;

    /// <summary>
    /// True to leave objects annotated <c>sandboxing.sdk/exempt</c> as they are and harden the rest. Default false: <c>Sandbox()</c>
    /// throws a <see cref="SandboxException"/> naming the opted-out object and its reason, because hardening was asked for explicitly.
    /// </summary>
    public bool SkipOptedOut { get; init; }

    /// <summary>
    /// Tolerations to add besides the runtime's own, for example those of a tainted Kata node pool
    /// (<c>AksNodePool.PodTolerations</c>). Existing equal tolerations are not duplicated.
    /// </summary>
    /// <exception cref="ArgumentNullException">The list, or one of its tolerations, is null.</exception>
    public IReadOnlyList<V1Toleration> Tolerations
    {
        get => _tolerations;
        init
        {
            if (value is null)
            {
                throw new ArgumentNullException(nameof(Tolerations), "SandboxOptions.Tolerations is null; give an empty list for no extra tolerations.");
            }

            for (int i = 0; i < value.Count; i++)
            {
                if (value[i] is null)
                {
                    throw new ArgumentNullException(nameof(Tolerations), $"SandboxOptions.Tolerations[{i}] is null; every toleration needs at least a key or the operator Exists.");
                }
            }

            _tolerations = value;
        }
    }

    private readonly IReadOnlyList<V1Toleration> _tolerations = [];

    /// <summary>
    /// Optional hardening: when true, <c>Sandbox()</c> also makes each pod run as a non-root user, as the builders do: in the pod
    /// <c>securityContext</c> it sets <c>runAsNonRoot: true</c> where unset, and, when the pod names no user, <c>runAsUser</c>
    /// <see cref="RunAsUser"/> and <c>runAsGroup</c> <see cref="RunAsGroup"/> (default 25000/26000).
    /// Values already set are kept, and a container's own <c>runAsUser</c> still wins over the pod's. Default false: <c>Sandbox()</c> changes only the runtime class and tolerations.
    /// </summary>
    public bool RunAsNonRootUser { get; init; }

    /// <summary>
    /// The kinds whose pod specs <c>Sandbox()</c> reaches: <see cref="PodTemplateRegistry.Default"/> (built-in workloads and the
    /// custom resources the SDK knows, as <see cref="UnstructuredObject"/>s) unless you add your own.
    /// </summary>
    public PodTemplateRegistry PodTemplates { get; init; } = PodTemplateRegistry.Default;

    /// <summary>The user id <see cref="RunAsNonRootUser"/> sets (default 25000); not 0.</summary>
    public long RunAsUser
    {
        get => _runAsUser;
        init => _runAsUser = value > 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(RunAsUser), value, "SandboxOptions.RunAsUser must be a non-root user id (1 or more).");
    }

    private readonly long _runAsUser = SecureDefaults.UserId;

    /// <summary>The group id <see cref="RunAsNonRootUser"/> sets with <see cref="RunAsUser"/> (default 26000).</summary>
    public long RunAsGroup
    {
        get => _runAsGroup;
        init => _runAsGroup = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(RunAsGroup), value, "SandboxOptions.RunAsGroup cannot be negative.");
    }

    private readonly long _runAsGroup = SecureDefaults.GroupId;
}
