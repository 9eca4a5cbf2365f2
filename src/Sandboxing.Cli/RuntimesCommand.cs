using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sandboxing.Sdk;

namespace Sandboxing.Cli;

/// <summary><c>sandboxing runtimes</c>: the runtime presets the SDK knows, as a table.</summary>
public static class RuntimesCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var format = new Option<string>("--format", "-f") { Description = "Output format: text (a table) or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("runtimes", "List the sandbox runtime classes the SDK knows.")
        {
            format,
        };
        examples[command] = """
              sandboxing runtimes
              sandboxing runtimes --format json | jq -r '.[] | select(.status == "Current") | .name'
            """;
        command.SetAction(parse =>
        {
            console.Output.Write(parse.GetValue(format) == "json" ? Json() : Table());
            return ExitCodes.Success;
        });
        return command;
    }

    private static readonly string[] s_header = ["NAME", "PLATFORM", "STATUS", "HANDLER", "OVERHEAD", "NODE LABEL", "REPLACED BY"];

    /// <summary>The table of <see cref="KnownRuntimeClasses.All"/>, one row per class, columns aligned.</summary>
    public static string Table()
    {
        var rows = new List<string[]> { s_header };
        foreach (var known in KnownRuntimeClasses.All)
        {
            var overhead = string.Join(",", new[] { known.OverheadMemory, known.OverheadCpu is null ? null : known.OverheadCpu + " cpu" }.Where(v => v is not null));
            rows.Add(
            [
                known.Name, known.Platform.ToString(), known.Status.ToString(), known.Handler,
                overhead.Length == 0 ? "-" : overhead,
                known.NodeSelectorKey is null ? "-" : $"{known.NodeSelectorKey}={known.NodeSelectorValue}",
                known.ReplacedBy ?? "-",
            ]);
        }

        return TextTable.Format(rows);
    }

    /// <summary>The same table as a JSON array.</summary>
    public static string Json()
    {
        var rows = KnownRuntimeClasses.All.Select(k => new RuntimeRow(
            k.Name,
            k.Platform.ToString(),
            k.Status.ToString(),
            k.Handler,
            k.OverheadMemory,
            k.OverheadCpu,
            k.NodeSelectorKey is null ? null : $"{k.NodeSelectorKey}={k.NodeSelectorValue}",
            k.ReplacedBy,
            k.Description,
            k.Source)).ToList();
        return JsonSerializer.Serialize(rows, RuntimesJsonContext.Default.ListRuntimeRow) + "\n";
    }
}

/// <summary>One row of <c>sandboxing runtimes --format json</c>.</summary>
internal sealed record RuntimeRow(
    string Name,
    string Platform,
    string Status,
    string Handler,
    string? OverheadMemory,
    string? OverheadCpu,
    string? NodeSelector,
    string? ReplacedBy,
    string Description,
    string Source);

/// <summary>The JSON of <see cref="RuntimeRow"/>, generated at build time (no reflection, so the native executable writes it too).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(List<RuntimeRow>))]
internal sealed partial class RuntimesJsonContext : JsonSerializerContext;
