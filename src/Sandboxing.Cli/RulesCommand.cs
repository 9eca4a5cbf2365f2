using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sandboxing.Cli.Config;
using Sandboxing.Sdk;

namespace Sandboxing.Cli;

/// <summary><c>sandboxing rules</c> (the catalog) and <c>sandboxing explain SBXnnnn</c> (one rule's page).</summary>
public static class RulesCommand
{
    /// <summary>Creates <c>rules</c>.</summary>
    public static Command CreateRules(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var format = new Option<string>("--format", "-f") { Description = "Output format: text (a table) or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("rules", "List the rule catalog: ID, default severity, title and where each rule is checked.") { format };
        examples[command] = """
              sandboxing rules
              sandboxing rules --format json | jq -r '.[] | select(.checkedBy | index("admission")) | .id'
            """;
        command.SetAction(parse =>
        {
            console.Output.Write(parse.GetValue(format) == "json" ? Json() : Table());
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Creates <c>explain</c>.</summary>
    public static Command CreateExplain(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var id = new Argument<string>("rule") { Description = "A rule ID, as lint prints it: SBX1001." };
        var command = new Command("explain", "Print a rule's page: cause, why it matters under Kata, how to fix, when to suppress.") { id };
        examples[command] = """
              sandboxing explain SBX2001
              sandboxing explain sbx1001 | less
            """;
        command.SetAction(parse =>
        {
            var text = parse.GetValue(id) ?? "";
            if (SandboxRules.Find(text.Trim()) is not { } rule)
            {
                var close = SandboxingConfigLoader.DidYouMean(text.Trim().ToUpperInvariant(), SandboxRules.All.Select(r => r.Id));
                var hint = close is null ? "; 'sandboxing rules' lists them" : $"; did you mean {close}?";
                console.Error.WriteLine($"{console.ErrorStyles(ColorChoice.Auto).Error}: no rule '{text}'{hint}");
                return ExitCodes.BadInput;
            }

            var page = RuleCatalogView.Page(rule);
            if (page is null)
            {
                // A build without the pages: the catalog's words and the link still explain the rule.
                page = $"# {rule.Id}: {rule.Title}\n\n{rule.Fix}\n\n{rule.HelpLink}\n";
            }

            console.Output.Write(page.ReplaceLineEndings("\n"));
            return ExitCodes.Success;
        });
        return command;
    }

    private static readonly string[] s_header = ["ID", "SEVERITY", "TITLE", "CHECKED BY"];

    /// <summary>The catalog as a table, one row per rule in ID order.</summary>
    public static string Table()
    {
        var rows = new List<string[]> { s_header };
        rows.AddRange(SandboxRules.All.OrderBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new[] { r.Id, Severity(r.DefaultSeverity), r.Title, string.Join(", ", RuleCatalogView.CheckedBy(r)) }));
        return TextTable.Format(rows);
    }

    /// <summary>The catalog as a JSON array.</summary>
    public static string Json()
    {
        var rows = SandboxRules.All.OrderBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new RuleRow(r.Id, Severity(r.DefaultSeverity), r.Category, r.Title, [.. RuleCatalogView.CheckedBy(r)], r.HelpLink))
            .ToList();
        return JsonSerializer.Serialize(rows, RulesJsonContext.Default.ListRuleRow) + "\n";
    }

    private static string Severity(SandboxSeverity severity) => severity switch
    {
        SandboxSeverity.Error => "error",
        SandboxSeverity.Warning => "warning",
        _ => "info",
    };
}

/// <summary>One row of <c>sandboxing rules --format json</c>.</summary>
internal sealed record RuleRow(string Id, string Severity, string Category, string Title, List<string> CheckedBy, string HelpLink);

/// <summary>The JSON of <see cref="RuleRow"/>, generated at build time (no reflection, so the native executable writes it too).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(List<RuleRow>))]
internal sealed partial class RulesJsonContext : JsonSerializerContext;
