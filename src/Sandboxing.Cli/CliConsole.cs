namespace Sandboxing.Cli;

/// <summary>Where a command reads and writes: standard output and error, standard input, and the working directory.</summary>
/// <param name="Output">Reports, diffs, tables and YAML.</param>
/// <param name="Error">Input problems and usage errors.</param>
/// <param name="OpenInput">Opens standard input (for the path <c>-</c>).</param>
/// <param name="WorkingDirectory">The directory relative paths are resolved against.</param>
public sealed record CliConsole(TextWriter Output, TextWriter Error, Func<Stream> OpenInput, string WorkingDirectory)
{
    /// <summary>
    /// True when <see cref="Output"/> is a terminal (not redirected to a file or a pipe). Only <see cref="ForProcess"/> sets it: a
    /// console made of other writers (a test's, a host's) is never coloured unless <c>--color always</c> asks for it.
    /// </summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>True when <see cref="Error"/> is a terminal; see <see cref="OutputIsTerminal"/>.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>
    /// Reads an environment variable that bears on colour (<c>NO_COLOR</c>, <c>FORCE_COLOR</c>, <c>TERM</c>). The default reads
    /// none, so that only <see cref="ForProcess"/> lets the environment change the output.
    /// </summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = static _ => null;

    /// <summary>The process's console: standard streams, whether they are terminals, its environment and current directory.</summary>
    public static CliConsole ForProcess() =>
        new(Console.Out, Console.Error, Console.OpenStandardInput, Environment.CurrentDirectory)
        {
            OutputIsTerminal = !Console.IsOutputRedirected,
            ErrorIsTerminal = !Console.IsErrorRedirected,
            GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        };

    /// <summary>Resolves a path given on the command line against <see cref="WorkingDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);

    /// <summary>
    /// Writes a command's result to <paramref name="file"/> (the <c>--output</c> option) or, when it is null, to standard output.
    /// The file is written beside its target and moved into place, so a failed run never leaves it half-written.
    /// </summary>
    public void WriteResult(string? file, string text)
    {
        if (file is null)
        {
            Output.Write(text);
            return;
        }

        string target = FullPath(file);
        string temporary = Path.Combine(Path.GetDirectoryName(target) ?? WorkingDirectory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The renderer for text written to standard output: coloured or plain, as <see cref="UseColor"/> decides.</summary>
    internal StyledText OutputStyles(ColorChoice choice) => new(UseColor(choice, OutputIsTerminal));

    /// <summary>The renderer for text written to standard error: coloured or plain, as <see cref="UseColor"/> decides.</summary>
    internal StyledText ErrorStyles(ColorChoice choice) => new(UseColor(choice, ErrorIsTerminal));

    /// <summary>
    /// The one decision whether to colour a stream. An explicit <c>--color always</c> or <c>never</c> wins over the environment
    /// (no-color.org: command-line arguments override <c>NO_COLOR</c>). Under <c>auto</c>: <c>NO_COLOR</c> set to anything
    /// but empty turns colour off; else <c>FORCE_COLOR</c> set to anything but empty, <c>0</c> or <c>false</c> turns it on
    /// (force-color.org; 0 and false are how Node.js tools say "off"); else <c>TERM=dumb</c> turns it off; else the stream
    /// is coloured when it is a terminal.
    /// </summary>
    internal bool UseColor(ColorChoice choice, bool terminal)
    {
        if (choice != ColorChoice.Auto)
        {
            return choice == ColorChoice.Always;
        }

        if (!string.IsNullOrEmpty(GetEnvironmentVariable("NO_COLOR")))
        {
            return false;
        }

        if (GetEnvironmentVariable("FORCE_COLOR") is { Length: > 0 } force && force is not ("0" or "false"))
        {
            return true;
        }

        return !string.Equals(GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal) && terminal;
    }
}
