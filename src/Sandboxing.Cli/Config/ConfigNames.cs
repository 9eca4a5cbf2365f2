using Sandboxing.Sdk;

namespace Sandboxing.Cli.Config;

/// <summary>
/// How outputs name the config files a run used: each file's path, and for a file nested under another one it replaces, the
/// outer file and every setting in which the nearer file is weaker (a rule turned down, a class allowed, files or kinds left
/// out), so that a committed config never changes the gate without a word.
/// </summary>
internal static class ConfigNames
{
    /// <summary>The word for a run that used no config file.</summary>
    public const string None = "none";

    /// <summary>The names of <paramref name="configs"/>, each once, in order; empty when none was a file.</summary>
    public static IReadOnlyList<string> Of(IEnumerable<SandboxingConfig> configs) =>
        configs.Where(c => c.FullPath is not null).DistinctBy(c => c.FullPath, StringComparer.Ordinal).Select(Describe).ToList();

    /// <summary>The text line: <c>config: .sandboxing.yaml</c>, or <c>config: none</c>.</summary>
    public static string Line(IReadOnlyList<string> names) => "config: " + (names.Count == 0 ? None : string.Join("; ", names));

    private static string Describe(SandboxingConfig config)
    {
        if (config.Outer is not { } outer)
        {
            return config.DisplayPath;
        }

        var weaker = Weakenings(config, outer).ToList();
        return $"{config.DisplayPath} (replaces {outer.DisplayPath}" + (weaker.Count == 0 ? ")" : $"; weaker than it: {string.Join(", ", weaker)})");
    }

    /// <summary>The settings in which <paramref name="inner"/> checks less than <paramref name="outer"/>, in words.</summary>
    internal static IEnumerable<string> Weakenings(SandboxingConfig inner, SandboxingConfig outer)
    {
        foreach (var (id, outerSeverity) in outer.Rules.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var innerSeverity = inner.Rules.TryGetValue(id, out var set) ? set : SandboxRules.Find(id)?.DefaultSeverity;
            if (Rank(innerSeverity) < Rank(outerSeverity))
            {
                yield return $"rules.{id} is {Word(innerSeverity)}, not {Word(outerSeverity)}";
            }
        }

        if (outer.AllowedRuntimeClasses is { } allowed)
        {
            if (inner.AllowedRuntimeClasses is null)
            {
                yield return "allowedRuntimeClasses is the defaults, not its list";
            }
            else if (inner.AllowedRuntimeClasses.Except(allowed, StringComparer.Ordinal).ToList() is { Count: > 0 } added)
            {
                yield return $"allowedRuntimeClasses adds {string.Join(", ", added)}";
            }
        }

        if (inner.Exclude.Except(outer.Exclude, StringComparer.Ordinal).ToList() is { Count: > 0 } excluded)
        {
            yield return $"exclude adds {string.Join(", ", excluded.Select(g => $"'{g}'"))}";
        }

        var kinds = inner.CustomKinds.Select(k => k.ToString()).ToHashSet(StringComparer.Ordinal);
        if (outer.CustomKinds.Where(k => !kinds.Contains(k.ToString())).Select(k => k.ToString()).ToList() is { Count: > 0 } dropped)
        {
            yield return $"podTemplates drops {string.Join(", ", dropped)}";
        }
    }

    private static int Rank(SandboxSeverity? severity) => severity is { } s ? (int)s + 1 : 0;

    private static string Word(SandboxSeverity? severity) => severity?.ToString().ToLowerInvariant() ?? "off";
}
