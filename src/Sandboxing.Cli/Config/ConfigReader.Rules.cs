using Sandboxing.Sdk;

namespace Sandboxing.Cli.Config;

/// <summary>The <c>rules</c> key: a severity per rule ID.</summary>
internal sealed partial class ConfigReader
{
    /// <summary>The <c>rules</c> map.</summary>
    public IReadOnlyDictionary<string, SandboxSeverity?> Rules(ConfigNode node)
    {
        const string path = "rules";
        var result = new Dictionary<string, SandboxSeverity?>(StringComparer.Ordinal);
        if (Map(node, path, "a map of rule IDs to severities, such as {SBX2005: off, SBX2006: warning}") is not { } map)
        {
            return result;
        }

        var ids = SandboxingConfigLoader.ConfigurableRules.Select(r => r.Id).ToArray();
        foreach (var (key, value) in map.Entries)
        {
            var at = $"{path}.{key.Value}";
            if (!ids.Contains(key.Value, StringComparer.Ordinal))
            {
                Report(key, at, UnknownRule(key.Value, ids));
                continue;
            }

            if (Text(value, at, "a severity: error, warning, info or off") is not { } setting)
            {
                continue;
            }

            if (!SandboxingConfigLoader.RuleSettings.Contains(setting, StringComparer.Ordinal))
            {
                var hint = SandboxingConfigLoader.DidYouMean(setting, SandboxingConfigLoader.RuleSettings) is { } close ? $"did you mean {close}? " : "";
                Report(value, at, $"'{setting}' is not a severity; {hint}write error, warning, info or off");
                continue;
            }

            if (SandboxingConfigLoader.MainRules.Contains(key.Value, StringComparer.Ordinal) && setting is "off" or "info")
            {
                Report(value, at, $"{key.Value} cannot be {setting}: it is the finding that a pod runs without a sandbox, and the tool exists to report it. " +
                    $"Set it to warning or error; to let one workload run without a sandbox, give it the annotation {SandboxAnnotations.Exempt}: \"<reason>\"");
                continue;
            }

            result[key.Value] = setting switch
            {
                "error" => SandboxSeverity.Error,
                "warning" => SandboxSeverity.Warning,
                "info" => SandboxSeverity.Info,
                _ => null,
            };
        }

        return result;
    }

    private static string UnknownRule(string id, IReadOnlyList<string> ids)
    {
        if (SandboxRules.Find(id) is { } other)
        {
            return $"{id} is a {(other.Category == SandboxRules.PolicyCategory ? "policy" : "node pool")} rule, which lint and audit do not report; " +
                "rules takes the IDs of SBX0xxx, SBX1xxx, SBX2xxx and SBX4xxx rules";
        }

        var upper = id.ToUpperInvariant();
        var similar = ids.Where(i => EditDistance.Between(upper, i) <= 1).ToList();
        if (similar.Count == 0 && upper.Length >= 5)
        {
            similar = ids.Where(i => i.StartsWith(upper[..5], StringComparison.Ordinal)).ToList();
        }

        return similar.Count switch
        {
            0 => $"no rule {id}; the IDs are SBXnnnn, as `sandboxing lint` prints them and docs/rules/ lists them",
            1 => $"no rule {id}; did you mean {similar[0]}?",
            _ => $"no rule {id}; similar: {string.Join(", ", similar)}",
        };
    }
}
