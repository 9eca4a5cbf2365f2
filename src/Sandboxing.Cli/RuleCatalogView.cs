using System.Text.RegularExpressions;
using Sandboxing.Sdk;

namespace Sandboxing.Cli;

/// <summary>
/// The rule catalog as <c>sandboxing rules</c> and <c>explain</c> show it: every rule of <see cref="SandboxRules.All"/> with where
/// it is checked, read from what already says so: the analyzer's release file (embedded from the analyzer project) for the
/// analyzer, the rules the generated ValidatingAdmissionPolicy names for admission, and the rule's category for the SDK
/// validators and the commands that run them. The rule pages (docs/rules) are embedded too, so <c>explain</c> works from the
/// installed tool.
/// </summary>
internal static partial class RuleCatalogView
{
    private const string PagePrefix = "Sandboxing.Cli.Rules.";

    private static readonly Lazy<HashSet<string>> s_analyzer = new(() => IdsIn(Resource("Sandboxing.Cli.AnalyzerReleases.md") ?? ""));

    private static readonly Lazy<HashSet<string>> s_admission = new(() =>
    {
        // Every check the validating policy can carry: the IDs its messages name are the rules admission enforces.
        var vap = SandboxPolicy.RequireSandbox().WithChecks(SandboxPolicyChecks.Hardened).ToValidatingAdmissionPolicy();
        return IdsIn(string.Join("\n", vap.Spec.Validations.Select(v => v.Message)));
    });

    /// <summary>Where <paramref name="rule"/> is reported, as the tools' names: analyzer, SDK validator, lint, audit, admission, …</summary>
    public static IReadOnlyList<string> CheckedBy(SandboxRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var where = new List<string>();
        if (s_analyzer.Value.Contains(rule.Id))
        {
            where.Add("analyzer");
        }

        where.AddRange(rule.Category switch
        {
            SandboxRules.CorrectnessCategory or SandboxRules.IsolationCategory or SandboxRules.CompatibilityCategory => ["SDK validator", "lint", "audit"],
            SandboxRules.TenancyCategory => ["tenant validator", "lint", "tenant"],
            SandboxRules.PolicyCategory => ["policy"],

            // The catalog numbers the cluster rules SBX3030–SBX3049, the node pool rules below them.
            SandboxRules.NodePoolCategory when string.CompareOrdinal(rule.Id, "SBX3030") >= 0 => ["cluster validator", "cluster"],
            SandboxRules.NodePoolCategory => ["node pool validator", "nodepool", "plan"],
            _ => [],
        });
        if (s_admission.Value.Contains(rule.Id))
        {
            where.Add("admission");
        }

        return where;
    }

    /// <summary>The rule page of <paramref name="rule"/> (docs/rules/SBXnnnn.md), or null when the tool was built without it.</summary>
    public static string? Page(SandboxRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Resource(PagePrefix + rule.Id + ".md") is { } page ? GeneratedMarker().Replace(page, "") : null;
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

    private static HashSet<string> IdsIn(string text) =>
        new(RuleId().Matches(text).Select(m => m.Value), StringComparer.Ordinal);

    // The page's generated-section markers are HTML comments for the docs build, not text for the terminal.
    [GeneratedRegex(@"^<!-- (BEGIN|END) GENERATED [^\n]*-->\r?\n", RegexOptions.Multiline)]
    private static partial Regex GeneratedMarker();

    [GeneratedRegex(@"\bSBX[0-9]{4}\b")]
    private static partial Regex RuleId();
}
