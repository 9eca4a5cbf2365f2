namespace Sandboxing.Cli;

/// <summary>Where a command reads and writes: standard output and error, standard input, and the working directory.</summary>
/// <param name="Output">Reports, diffs, tables and YAML.</param>
/// <param name="Error">Input problems and usage errors.</param>
/// <param name="OpenInput">Opens standard input (for the path <c>-</c>).</param>
/// <param name="WorkingDirectory">The directory relative paths are resolved against.</param>
public sealed record CliConsole(TextWriter Output, TextWriter Error, Func<Stream> OpenInput, string WorkingDirectory)
{
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
}
