namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// The client's isolation gate: the runtime classes a sandbox's pod template may name. The list is the SDK's one default
/// allow-list (<see cref="KnownRuntimeClasses.DefaultAllowed"/>) unless <see cref="AgentSandboxClientOptions.AllowedRuntimeClasses"/>
/// names others, and every class on it must pass <see cref="SandboxRuntime.ClassProblem"/>: untrusted agent code never lands on
/// the node's shared kernel through the client, whatever the options say.
/// </summary>
internal sealed class AgentSandboxGate
{
    private readonly IReadOnlyList<string> _allowed;

    private AgentSandboxGate(IReadOnlyList<string> allowed) => _allowed = allowed;

    /// <summary>The gate of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">A listed class is not a sandbox class.</exception>
    public static AgentSandboxGate From(AgentSandboxClientOptions options)
    {
        if (options.AllowedRuntimeClasses.Count == 0)
        {
            return new AgentSandboxGate(KnownRuntimeClasses.DefaultAllowed);
        }

        foreach (var name in options.AllowedRuntimeClasses)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("AgentSandboxClientOptions.AllowedRuntimeClasses holds an empty name.", nameof(options));
            }

            if (SandboxRuntime.ClassProblem(name) is { } problem)
            {
                throw new ArgumentException(
                    $"AgentSandboxClientOptions.AllowedRuntimeClasses: '{name}' {problem}. The client only claims sandboxes whose pods run in a VM " +
                    $"sandbox; list sandbox classes only (such as '{KnownRuntimeClasses.Default}').", nameof(options));
            }
        }

        return new AgentSandboxGate([.. options.AllowedRuntimeClasses.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>The allowed classes, for messages.</summary>
    public string Describe() => string.Join(", ", _allowed);

    /// <summary>Null when a pod template naming <paramref name="runtimeClassName"/> may run agent code, otherwise why not.</summary>
    public string? Problem(string? runtimeClassName)
    {
        if (string.IsNullOrEmpty(runtimeClassName))
        {
            return "names no runtimeClassName, so its pods run on the node's shared kernel (runc)";
        }

        if (SandboxRuntime.ClassProblem(runtimeClassName) is { } problem)
        {
            return $"names runtimeClassName '{runtimeClassName}', which {problem}";
        }

        return _allowed.Contains(runtimeClassName, StringComparer.Ordinal)
            ? null
            : $"names runtimeClassName '{runtimeClassName}', which is not among the allowed sandbox classes ({Describe()})";
    }
}
