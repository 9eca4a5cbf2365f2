using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Sandboxing.Sdk.Tests.Docs;

/// <summary>
/// Writes the parts of the docs that the rule catalog already says: the README's rules table, the rules index
/// (docs/rules/README.md) and the header of each rule page (ID, title, severity, category, where it is checked). Each part sits
/// between marker comments; the text around them is written by hand. <c>RuleDocsTests</c> fails when a part is stale and, run
/// with <c>UPDATE_DOCS=1</c>, rewrites it.
/// </summary>
internal static partial class RuleDocs
{
    /// <summary>The command that regenerates every part, for the markers and the test's failure message.</summary>
    internal const string UpdateCommand = "UPDATE_DOCS=1 dotnet test tests/Sandboxing.Sdk.Tests --filter FullyQualifiedName~RuleDocs";

    /// <summary>
    /// Where a rule is checked, from the code itself: a folder of the SDK that names the rule (<c>SandboxRules.X</c>) checks it,
    /// and the analyzer checks what its release file lists. Folders absent here (Catalog, Objects) only declare or share helpers.
    /// </summary>
    internal static readonly (string Folder, string Label)[] Checkers =
    [
        ("Workloads", "builders"),
        ("Validation", "validator"),
        ("Validation", "lint"),          // the linter binds YAML onto the models and runs the validator on them
        ("Manifests", "lint"),
        ("Linting", "lint"),
        ("Capacity", "node pools"),
        ("NodePools", "node pools"),
        ("Tenancy", "tenants"),
        ("Policies", "policies"),
        ("Cluster", "deploy"),
    ];

    /// <summary>What each label means, for the rules index.</summary>
    internal static readonly (string Label, string Meaning)[] Legend =
    [
        ("analyzer", "the Roslyn analyzer, at compile time (`Sandboxing.Sdk` and `Sandboxing.Analyzers` packages)"),
        ("builders", "the builders' `Build()` (`Sandboxed.*`), which throws `SandboxValidationException`"),
        ("validator", "`SandboxValidator` (and so `Build()`, `Validate()`)"),
        ("lint", "the manifest linter: `ManifestLinter`, `sandboxing lint`"),
        ("node pools", "`AksNodePool` and `AksCluster` `Build()`, `sandboxing nodepool`, `sandboxing cluster`"),
        ("tenants", "`TenantIsolation` (`ValidateObjects`, `ValidateYaml`), `sandboxing tenant`"),
        ("policies", "`SandboxPolicy`: `Validate()` (SBX5xxx) and the generated admission policies, which name the rule when they refuse a pod"),
        ("deploy", "`ApplySandboxedAsync`, which refuses an unsandboxed object before sending it"),
    ];

    /// <summary>Every part this generator owns: the file (relative to the repository root) and its expected text.</summary>
    internal static IEnumerable<(string File, string Text)> Expected(string root)
    {
        var checkedBy = CheckedBy(root);
        yield return ("README.md", Replace(Read(root, "README.md"), "rules", ReadmeTable(checkedBy)));
        yield return ("docs/rules/README.md", Replace(Read(root, "docs/rules/README.md"), "rules", Index(checkedBy)));
        foreach (var rule in SandboxRules.All)
        {
            var file = $"docs/rules/{rule.Id}.md";
            yield return (file, Replace(Read(root, file), "rule-header", Header(rule, checkedBy[rule.Id])));
        }
    }

    /// <summary>The labels of <see cref="Checkers"/> (and <c>analyzer</c>) that check each rule, keyed by rule ID.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<string>> CheckedBy(string root)
    {
        var fields = typeof(SandboxRules).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(SandboxRule))
            .ToDictionary(f => ((SandboxRule)f.GetValue(null)!).Id, f => f.Name);
        var sources = Checkers.Select(c => c.Folder).Distinct().ToDictionary(
            folder => folder,
            folder => string.Concat(Directory.GetFiles(Path.Combine(root, "src", "Sandboxing.Sdk", folder), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText)));
        var analyzer = File.ReadAllText(Path.Combine(root, "analyzers", "Sandboxing.Analyzers", "AnalyzerReleases.Unshipped.md"));

        return SandboxRules.All.ToDictionary(
            r => r.Id,
            r =>
            {
                var name = fields[r.Id];
                var labels = new List<string>();
                if (Regex.IsMatch(analyzer, $@"^{r.Id}\s*\|", RegexOptions.Multiline))
                {
                    labels.Add("analyzer");
                }

                labels.AddRange(Checkers.Where(c => Regex.IsMatch(sources[c.Folder], $@"\bSandboxRules\.{name}\b")).Select(c => c.Label));
                return (IReadOnlyList<string>)labels.Distinct().ToList();
            });
    }

    private static string ReadmeTable(IReadOnlyDictionary<string, IReadOnlyList<string>> checkedBy) =>
        Table(checkedBy, id => $"docs/rules/{id}.md");

    private static string Index(IReadOnlyDictionary<string, IReadOnlyList<string>> checkedBy)
    {
        var text = new StringBuilder(Table(checkedBy, id => $"{id}.md"));
        text.Append("\n## Checked by\n\n| label | what checks the rule |\n|---|---|\n");
        foreach (var (label, meaning) in Legend)
        {
            text.Append($"| {label} | {meaning} |\n");
        }

        return text.ToString();
    }

    private static string Table(IReadOnlyDictionary<string, IReadOnlyList<string>> checkedBy, Func<string, string> link)
    {
        var text = new StringBuilder("| ID | title | severity | category | checked by |\n|---|---|---|---|---|\n");
        foreach (var rule in SandboxRules.All.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            text.Append($"| [{rule.Id}]({link(rule.Id)}) | {Cell(rule.Title)} | {rule.DefaultSeverity.ToString().ToLowerInvariant()} | {rule.Category} | {string.Join(", ", checkedBy[rule.Id])} |\n");
        }

        return text.ToString();
    }

    private static string Header(SandboxRule rule, IReadOnlyList<string> checkedBy) => $"""
        # {rule.Id}: {rule.Title}

        | | |
        |---|---|
        | ID | {rule.Id} |
        | Category | {rule.Category} |
        | Default severity | {rule.DefaultSeverity} |
        | Checked by | {string.Join(", ", checkedBy)} ([what each means](README.md#checked-by)) |

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Read(string root, string file)
    {
        var path = Path.Combine(root, file);
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    /// <summary>Replaces the text between the part's markers; a file without them gets the part (with markers) at the top.</summary>
    internal static string Replace(string text, string part, string generated)
    {
        var begin = $"<!-- BEGIN GENERATED {part}: do not edit; {UpdateCommand} -->\n";
        var end = $"<!-- END GENERATED {part} -->";
        var block = begin + generated + end;
        var existing = new Regex($@"<!-- BEGIN GENERATED {Regex.Escape(part)}:[^\n]*-->\n.*?<!-- END GENERATED {Regex.Escape(part)} -->", RegexOptions.Singleline);
        return existing.IsMatch(text) ? existing.Replace(text, block.Replace("$", "$$", StringComparison.Ordinal), 1) : block + "\n\n" + text;
    }
}
