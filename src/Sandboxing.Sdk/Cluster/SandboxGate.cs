using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Cluster;

/// <summary>The check every apply makes before it sends anything.</summary>
internal static class SandboxGate
{
    /// <summary>The isolation rules that make an object "unsandboxed": no class, a class that is not a sandbox, an obsolete class.</summary>
    private static readonly HashSet<string> s_isolationRules = new(StringComparer.Ordinal)
    {
        SandboxRules.MissingRuntimeClass.Id, SandboxRules.RuntimeClassNotAllowed.Id, SandboxRules.DeprecatedRuntimeClass.Id,
    };

    /// <summary>
    /// Throws a <see cref="SandboxValidationException"/> listing every blocking finding of every object: error-level findings and
    /// SBX1001–SBX1003 (an exemption annotation with a reason silences those, as the validator honors it).
    /// </summary>
    public static void ThrowIfUnsandboxed(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects, SandboxValidationOptions options)
    {
        List<SandboxFinding>? blocking = null;
        foreach (var obj in objects)
        {
            foreach (var finding in SandboxValidator.Validate(obj, options))
            {
                if (finding.Severity == SandboxSeverity.Error || s_isolationRules.Contains(finding.RuleId))
                {
                    (blocking ??= []).Add(finding);
                }
            }
        }

        if (blocking is not null)
        {
            throw new SandboxValidationException(blocking);
        }
    }
}
