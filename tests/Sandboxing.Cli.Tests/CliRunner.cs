using System.Runtime.CompilerServices;
using System.Text;

namespace Sandboxing.Cli.Tests;

/// <summary>The outcome of one in-process run of the CLI.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error);

/// <summary>Runs the CLI in-process with captured standard output, error and input.</summary>
public static class CliRunner
{
    /// <summary>The Fixtures folder beside this source file.</summary>
    public static string FixturesDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Fixtures");

    public static CliRun Run(string workingDirectory, params string[] args) => Run(workingDirectory, stdin: null, args);

    public static CliRun Run(string workingDirectory, byte[]? stdin, params string[] args) => Run(workingDirectory, stdin, console => console, args);

    /// <summary>Runs the CLI with a console that <paramref name="configure"/> adjusts (a terminal, an environment).</summary>
    public static CliRun Run(string workingDirectory, byte[]? stdin, Func<CliConsole, CliConsole> configure, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var console = configure(new CliConsole(output, error, () => new MemoryStream(stdin ?? []), workingDirectory));
        int code = SandboxingCli.Run(args, console);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// A console whose standard output and error are terminals (or not), with exactly these environment variables: the test
    /// process's own NO_COLOR, FORCE_COLOR or TERM never leak in.
    /// </summary>
    public static Func<CliConsole, CliConsole> Terminal(bool output = true, bool error = true, params (string Name, string Value)[] environment) =>
        console => console with
        {
            OutputIsTerminal = output,
            ErrorIsTerminal = error,
            GetEnvironmentVariable = name => environment.FirstOrDefault(e => e.Name == name).Value,
        };

    /// <summary>The text without ANSI SGR sequences.</summary>
    public static string StripColor(string text) => System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;]*m", "");

    private static readonly string s_tempRoot = Path.Combine(Path.GetTempPath(), "sandboxing-cli-tests", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    static CliRunner()
    {
        // Temporary folders (one holds a 50 MB file) go when the test process ends.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(s_tempRoot, recursive: true);
            }
            catch (IOException)
            {
            }
        };
    }

    /// <summary>A fresh temporary folder holding a copy of <paramref name="source"/> (or empty), deleted when the tests end.</summary>
    public static string TempCopy(string? source = null)
    {
        var directory = Path.Combine(s_tempRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        if (source is not null)
        {
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(directory, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        return directory;
    }

    /// <summary>Every file of a folder with its bytes, for before/after comparisons.</summary>
    public static IReadOnlyDictionary<string, byte[]> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'), File.ReadAllBytes);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
