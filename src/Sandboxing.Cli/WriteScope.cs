namespace Sandboxing.Cli;

/// <summary>
/// Where <c>fix</c> may write: a file whose real path (every symbolic link resolved) is inside the git repository of the input,
/// or, outside a repository, inside the folders named on the command line (a named file's own folder). A link committed to a
/// repository that points elsewhere (<c>/etc/kubernetes/manifests/x.yaml</c>) would otherwise have its target edited.
/// </summary>
internal sealed class WriteScope
{
    private readonly List<string> _given;

    /// <summary>The scope of the paths given on the command line (resolved against <paramref name="console"/>).</summary>
    public WriteScope(IEnumerable<string> paths, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        _given = paths.Where(p => p != "-")
            .Select(console.FullPath)
            .Select(full => Directory.Exists(full) ? full : Path.GetDirectoryName(full) ?? full)
            .Select(InputFiles.RealPath)
            .ToList();
    }

    /// <summary>Null when <paramref name="file"/> may be written; otherwise why not, naming the link and its target.</summary>
    public string? Refusal(InputFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.FullPath is null)
        {
            return null;
        }

        string real = InputFiles.RealPath(file.FullPath);
        if (real == Path.GetFullPath(file.FullPath))
        {
            return null; // no link on the way: the file is where it was named
        }

        if (GitRoot(Path.GetDirectoryName(file.FullPath)!) is { } repository)
        {
            return Inside(real, InputFiles.RealPath(repository)) ? null
                : $"it links to {real}, outside the repository {repository}, so fix does not write through it; fix the target where it is " +
                  "kept, or replace the link with a copy";
        }

        return _given.Any(root => Inside(real, root)) ? null
            : $"it links to {real}, outside the paths given, so fix does not write through it; name the target itself to fix it, " +
              "or replace the link with a copy";
    }

    /// <summary>The nearest folder at or above <paramref name="directory"/> that has a <c>.git</c> folder or file (a worktree's).</summary>
    private static string? GitRoot(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            var git = Path.Join(current.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return current.FullName;
            }
        }

        return null;
    }

    private static bool Inside(string path, string root)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return path.Equals(root, comparison)
            || path.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, comparison);
    }
}
