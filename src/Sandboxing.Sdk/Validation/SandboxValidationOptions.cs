
namespace Sandboxing.Sdk;

/// <summary>What the validator accepts. The defaults suit AKS Pod Sandboxing.</summary>
public sealed class SandboxValidationOptions
{
    private readonly IReadOnlyCollection<string>? _allowed;
    private readonly HashSet<string>? _allowedSet;

    /// <summary>The defaults: suggest <c>kata-vm-isolation</c>, allow the one default allow-list (AKS's <c>kata-vm-isolation</c>), honor exemptions.</summary>
    public static SandboxValidationOptions Default { get; } = new();

    /// <summary>The runtime that messages suggest, and that is always allowed. Default: AKS <c>kata-vm-isolation</c>.</summary>
    /// <exception cref="SandboxException">A class that is not a sandbox (<c>runc</c>, <c>nvidia</c>, a typo of a known class, a definition with a host-kernel handler), which would make unsandboxed pods pass.</exception>
    public SandboxRuntime Runtime { get => _runtime; init => _runtime = value.ThrowIfNotSandbox("SandboxValidationOptions.Runtime"); }

    private readonly SandboxRuntime _runtime;

    /// <summary>
    /// The runtime classes that count as sandboxes. Null (the default) allows the SDK's one default allow-list, the one the generated
    /// policies allow by default (AKS's <c>kata-vm-isolation</c>), plus <see cref="Runtime"/> and the sandbox classes of
    /// <see cref="RuntimeClasses"/>. Set it to the classes your cluster has (for example <c>gvisor</c> on GKE); see docs/policies.md.
    /// </summary>
    public IReadOnlyCollection<string>? AllowedRuntimeClasses
    {
        get => _allowed;
        init
        {
            _allowed = value;
            _allowedSet = value is null ? null : new HashSet<string>(value, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Whether <c>sandboxing.sdk/exempt</c> annotations (with a reason) and per-rule <c>sandboxing.sdk/exempt.SBXnnnn</c> annotations
    /// silence findings. Default true; a strict CI gate sets it to false.
    /// </summary>
    public bool HonorExemptions { get; init; } = true;

    /// <summary>
    /// The kinds whose pod specs are checked, and where those specs are: <see cref="PodTemplateRegistry.Default"/> (the built-in
    /// workloads and the custom resources the SDK knows) unless you add your own with <see cref="PodTemplateRegistry.With(PodTemplateKind[])"/>.
    /// </summary>
    public PodTemplateRegistry PodTemplates { get; init; } = PodTemplateRegistry.Default;

    /// <summary>
    /// RuntimeClasses the cluster defines (AKS's <c>small-kata-pods</c> example), for instance read from the manifests with
    /// <see cref="RuntimeClassDefinition.FromRuntimeClass"/>. One whose handler is a sandbox (<see cref="RuntimeClassDefinition.IsSandbox"/>)
    /// is allowed along with the defaults when <see cref="AllowedRuntimeClasses"/> is null (a list that is set is the whole list);
    /// a class with any other handler (<c>runc</c>, <c>crun</c>) is never allowed, whatever the lists say. Default: none.
    /// </summary>
    public IReadOnlyList<RuntimeClassDefinition> RuntimeClasses { get; init; } = [];

    /// <summary>True when <paramref name="runtimeClassName"/> is an allowed sandbox class.</summary>
    public bool IsAllowed(string runtimeClassName)
    {
        if (IsDenied(runtimeClassName))
        {
            return false;
        }

        if (string.Equals(runtimeClassName, Runtime.Name, StringComparison.Ordinal))
        {
            return true;
        }

        if (_allowedSet is not null)
        {
            return _allowedSet.Contains(runtimeClassName);
        }

        return RuntimeClasses.Any(d => d.IsSandbox && string.Equals(d.Name, runtimeClassName, StringComparison.Ordinal))
            || KnownRuntimeClasses.DefaultAllowed.Contains(runtimeClassName, StringComparer.Ordinal);
    }

    /// <summary>
    /// True when a definition of <paramref name="runtimeClassName"/> (in <see cref="RuntimeClasses"/>, or the runtime's own) names a
    /// handler that is not a sandbox: pods of that class run on the node's kernel whatever the class is called.
    /// </summary>
    internal bool IsDenied(string runtimeClassName) =>
        RuntimeClasses.Any(d => !d.IsSandbox && string.Equals(d.Name, runtimeClassName, StringComparison.Ordinal))
        || Runtime.Definition is { IsSandbox: false } own && string.Equals(own.Name, runtimeClassName, StringComparison.Ordinal);

    /// <summary>The allowed classes as a list for messages: every class <see cref="IsAllowed"/> accepts.</summary>
    internal string DescribeAllowed()
    {
        if (_allowed is not null) // a list that is set is the whole list, even an empty one: IsAllowed then takes Runtime alone
        {
            return string.Join(", ", new[] { Runtime.Name }.Concat(_allowed).Distinct(StringComparer.Ordinal).Where(n => !IsDenied(n)));
        }

        var custom = RuntimeClasses.Where(d => d.IsSandbox).Select(d => d.Name);
        return string.Join(", ", new[] { Runtime.Name }.Concat(KnownRuntimeClasses.DefaultAllowed).Concat(custom)
            .Distinct(StringComparer.Ordinal).Where(n => !IsDenied(n)));
    }
}
