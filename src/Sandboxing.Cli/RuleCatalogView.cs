using System.Text.RegularExpressions;
using Sandboxing.Sdk;

namespace Sandboxing.Cli;

/// <summary>
/// The rule catalog as <c>sandboxing rules</c> and <c>explain</c> show it: every rule of <see cref="SandboxRules.All"/> with where
/// it is checked. "Where" has one source: the rules index (docs/rules/README.md), which the docs generator writes from the code
/// that reports each rule; the index and the rule pages are embedded, so the installed tool says what the docs say.
/// </summary>
internal static partial class RuleCatalogView
{
    private const string PagePrefix = "Sandboxing.Cli.Rules.";

    private static readonly Lazy<Dictionary<string, IReadOnlyList<string>>> s_checkedBy = new(() =>
        IndexRow().Matches(Resource(PagePrefix + "README.md") ?? "").ToDictionary(
            m => m.Groups["id"].Value,
            m => (IReadOnlyList<string>)m.Groups["by"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            StringComparer.Ordinal));

    /// <summary>Where <paramref name="rule"/> is reported (analyzer, builders, validator, lint, node pools, tenants, policies, deploy), as the rules index says.</summary>
    public static IReadOnlyList<string> CheckedBy(SandboxRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return s_checkedBy.Value.TryGetValue(rule.Id, out var where) ? where : [];
    }

    /// <summary>The rule page of <paramref name="rule"/> (docs/rules/SBXnnnn.md), or null when the tool was built without it.</summary>
    public static string? Page(SandboxRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        // The generator's marker comments are for the docs tooling, not for a reader in a terminal.
        return Resource(PagePrefix + rule.Id + ".md") is { } page ? MarkerLine().Replace(page, "") : null;
    }

    private static string? Resource(string name)
    {
        using var stream = typeof(RuleCatalogView).Assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^\| \[(?<id>SBX[0-9]{4})\]\([^)]*\) \|.*\| (?<by>[^|]*) \|$", RegexOptions.Multiline)]
    private static partial Regex IndexRow();

    [GeneratedRegex(@"^<!-- (BEGIN|END) GENERATED[^\n]*-->\n", RegexOptions.Multiline)]
    private static partial Regex MarkerLine();
}
