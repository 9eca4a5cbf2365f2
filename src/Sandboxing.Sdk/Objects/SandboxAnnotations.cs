using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>The annotations the SDK, the linter and the admission policies read and write.</summary>
public static class SandboxAnnotations
{
    /// <summary>
    /// Opts a workload out of sandboxing; the value is the reason (required). Example:
    /// <c>sandboxing.sdk/exempt: "node agent needs host networking"</c>.
    /// </summary>
    public const string Exempt = "sandboxing.sdk/exempt";

    /// <summary>The prefix of a per-rule exemption: <c>sandboxing.sdk/exempt.SBX2004: "reason"</c> silences one rule.</summary>
    public const string ExemptRulePrefix = "sandboxing.sdk/exempt.";

    /// <summary>The annotation that exempts a workload from one rule.</summary>
    public static string ExemptRule(string ruleId) => ExemptRulePrefix + ruleId;

    /// <summary>Finds an exemption on the object or its pod template; returns the reason (possibly blank) or null when there is none.</summary>
    internal static string? FindExemption(V1ObjectMeta? owner, V1ObjectMeta? template, string key, out string path)
    {
        if (owner?.Annotations is { } ownerAnnotations && ownerAnnotations.TryGetValue(key, out var reason))
        {
            path = $"metadata.annotations['{key}']";
            return reason ?? string.Empty;
        }

        if (template is not null && !ReferenceEquals(template, owner) && template.Annotations is { } templateAnnotations
            && templateAnnotations.TryGetValue(key, out reason))
        {
            path = $"template metadata.annotations['{key}']";
            return reason ?? string.Empty;
        }

        path = string.Empty;
        return null;
    }
}
