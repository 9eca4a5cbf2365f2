using System.Text;
using Sandboxing.Sdk;

namespace Sandboxing.Cli;

/// <summary>The <c>--color</c> setting of a command.</summary>
internal enum ColorChoice
{
    /// <summary>Colour when the stream is a terminal, unless the environment says otherwise (see <see cref="CliConsole.UseColor"/>).</summary>
    Auto = 0,

    /// <summary>Always colour, whatever the stream and the environment.</summary>
    Always,

    /// <summary>Never colour.</summary>
    Never,
}

/// <summary>What a span of text is; <see cref="StyledText"/> picks its colour.</summary>
internal enum TextRole
{
    /// <summary>The word <c>error</c>, and what failed.</summary>
    Error = 0,

    /// <summary>The word <c>warning</c>, and what needs a look.</summary>
    Warning,

    /// <summary>The words <c>info</c> and <c>note</c>.</summary>
    Note,

    /// <summary>Where: <c>file:line:column</c>, a cluster object.</summary>
    Location,

    /// <summary>A rule ID, <c>SBXnnnn</c>.</summary>
    RuleId,

    /// <summary>A summary that says all is well.</summary>
    Clean,

    /// <summary>Secondary text: field paths, the <c>fix:</c> and <c>help:</c> labels.</summary>
    Dim,

    /// <summary>A line a diff adds.</summary>
    Added,

    /// <summary>A line a diff removes.</summary>
    Removed,

    /// <summary>A diff's hunk header.</summary>
    Hunk,
}

/// <summary>
/// The one place that renders styled text. With colour on it wraps a span in ANSI SGR sequences; with colour off it returns the
/// span unchanged, so the plain output is byte for byte what the tool printed before colour existed. Whether colour is on is
/// decided in one place, <see cref="CliConsole.UseColor"/>; commands never write escape codes themselves.
/// </summary>
internal sealed class StyledText
{
    private const string Escape = "\u001b[";
    private const string Reset = "\u001b[0m";

    /// <summary>No colour: the text as it is.</summary>
    public static StyledText Plain { get; } = new(color: false);

    /// <summary>Creates a renderer; <paramref name="color"/> says whether it colours.</summary>
    public StyledText(bool color) => Color = color;

    /// <summary>Whether this renderer writes escape codes.</summary>
    public bool Color { get; }

    /// <summary><paramref name="text"/> in the colour of <paramref name="role"/>.</summary>
    public string Paint(string text, TextRole role) => !Color || text.Length == 0 ? text : Escape + Sgr(role) + "m" + text + Reset;

    /// <summary>A severity word (<c>error</c>, <c>warning</c>, <c>info</c>, or <paramref name="word"/>) in its colour.</summary>
    public string Severity(SandboxSeverity severity, string? word = null) =>
        Paint(word ?? severity.ToString().ToLowerInvariant(), severity switch
        {
            SandboxSeverity.Error => TextRole.Error,
            SandboxSeverity.Warning => TextRole.Warning,
            _ => TextRole.Note,
        });

    /// <summary>The word <c>error</c>, as it starts a line on standard error.</summary>
    public string Error => Paint("error", TextRole.Error);

    /// <summary>
    /// A finding of a node pool, cluster, tenant or migration as the commands print it: <c>severity SBXnnnn path: message</c>,
    /// in the CLI's words.
    /// </summary>
    public string Finding(SandboxFinding finding) =>
        $"{Severity(finding.Severity)} {Paint(finding.RuleId, TextRole.RuleId)} {Paint(ControlCharacters.Escape(finding.Path), TextRole.Dim)}: {ControlCharacters.Escape(CliWording.Apply(finding.Message))}";

    /// <summary>A unified diff: added lines green, removed lines red, hunk headers cyan, file headers bold.</summary>
    public string Diff(string diff)
    {
        if (!Color)
        {
            return diff;
        }

        return Lines(diff, line => line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal)
            ? Paint(line, TextRole.Location)
            : line.StartsWith('+') ? Paint(line, TextRole.Added)
            : line.StartsWith('-') ? Paint(line, TextRole.Removed)
            : line.StartsWith("@@", StringComparison.Ordinal) ? Paint(line, TextRole.Hunk)
            : line);
    }

    /// <summary>
    /// A capacity plan's table (<c>CapacityPlan.ToTable()</c>): the verdict green when the pool is enough and red when not, the
    /// warnings heading yellow, rule IDs emphasised.
    /// </summary>
    public string Plan(string table)
    {
        if (!Color)
        {
            return table;
        }

        return Lines(table, line =>
            line.StartsWith("Nodes needed:", StringComparison.Ordinal) ? Paint(line, line.EndsWith(": enough.", StringComparison.Ordinal) ? TextRole.Clean : TextRole.Error)
            : line.StartsWith("Pods not placed:", StringComparison.Ordinal) ? Paint(line, TextRole.Error)
            : line == "Warnings:" ? Paint(line, TextRole.Warning)
            : line == "Left out of the Kata plan:" ? Paint(line, TextRole.Note)
            : line.StartsWith("  - SBX", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is > 4 and var colon
                ? "  - " + Paint(line[4..colon], TextRole.RuleId) + line[colon..]
                : line);
    }

    private static string Lines(string text, Func<string, string> style)
    {
        var result = new StringBuilder(text.Length + 64);
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            int stop = end < 0 ? text.Length : end;

            // A CR before the LF stays outside the colour, so the line ends the same way.
            int content = stop > start && text[stop - 1] == '\r' ? stop - 1 : stop;
            result.Append(style(text[start..content])).Append(text, content, stop - content);
            if (end < 0)
            {
                break;
            }

            result.Append('\n');
            start = end + 1;
        }

        return result.ToString();
    }

    private static string Sgr(TextRole role) => role switch
    {
        TextRole.Error => "1;31",
        TextRole.Warning => "1;33",
        TextRole.Note => "36",
        TextRole.Location => "1",
        TextRole.RuleId => "1",
        TextRole.Clean => "32",
        TextRole.Dim => "2",
        TextRole.Added => "32",
        TextRole.Removed => "31",
        TextRole.Hunk => "36",
        _ => "0",
    };
}
