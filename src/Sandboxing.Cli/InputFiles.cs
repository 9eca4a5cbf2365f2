using Sandboxing.Sdk;

namespace Sandboxing.Cli;

/// <summary>One input: a file (with the name shown in messages) or standard input.</summary>
/// <param name="DisplayName">
/// The name in messages: the path as given (directories joined with the file's relative path) with control characters escaped,
/// so that a file name cannot start a line of its own in any output; or <c>&lt;stdin&gt;</c>.
/// </param>
/// <param name="FullPath">The absolute path, or null for standard input.</param>
/// <param name="Named">True when the file was named on the command line (not found in a folder): then an empty one is a problem.</param>
public sealed record InputFile(string DisplayName, string? FullPath, bool Named = false)
{
    /// <summary>The name used for standard input.</summary>
    public const string StdinName = "<stdin>";

    /// <summary>True for standard input.</summary>
    public bool IsStdin => FullPath is null;

    /// <summary>Reads and decodes the input.</summary>
    /// <exception cref="ManifestException">It cannot be read, is too large or is not UTF-8 text.</exception>
    public ManifestSource Read(CliConsole console, ManifestReadOptions options)
    {
        var source = ReadSource(console, options);
        if ((IsStdin || Named) && string.IsNullOrWhiteSpace(source.Text))
        {
            // An empty stream is what a failed 'helm template … |' or 'kustomize build … |' leaves: passing it would hide that.
            throw new ManifestException(new ManifestProblem(DisplayName, 0, 0, IsStdin
                ? "standard input is empty, so there is nothing to check; did the command before the pipe fail (helm template, kustomize build)?"
                : "the file is empty, so there is nothing to check; name a manifest, or remove the empty file"));
        }

        return source;
    }

    private ManifestSource ReadSource(CliConsole console, ManifestReadOptions options)
    {
        if (FullPath is not null)
        {
            if (FileKind.NotRegular(FullPath) is { } kind)
            {
                throw new ManifestException(new ManifestProblem(DisplayName, 0, 0, FileKind.Refusal(kind)));
            }

            return ManifestSource.FromFile(FullPath, DisplayName, options);
        }

        using var stdin = console.OpenInput();
        return ManifestSource.FromBytes(ManifestSource.ReadLimited(stdin, DisplayName, options.MaxFileBytes,
            $"standard input is over the limit of {options.MaxFileBytes:N0} bytes; split the stream, or raise the limit with --max-file-size"), DisplayName, options);
    }
}

/// <summary>
/// Expands the paths of a command line into files: the files of folders (recursively) that kubectl would apply from them
/// (<see cref="Extensions"/>, hidden ones too, but nothing inside <c>.git</c>), files as given, and <c>-</c>.
/// </summary>
public static class InputFiles
{
    /// <summary>Expands <paramref name="paths"/>; paths that do not exist become problems.</summary>
    /// <param name="paths">Files, folders and <c>-</c>, as given.</param>
    /// <param name="console">The working directory.</param>
    /// <param name="allowStdin">Whether <c>-</c> is allowed.</param>
    /// <param name="exclude">Globs of files found in folders to leave out (see <see cref="IsExcluded"/>); files named explicitly are always read.</param>
    /// <param name="configExclude">The config file's <c>exclude</c> globs: as <paramref name="exclude"/>, and a glob with '/' also matches the path from <paramref name="configDirectory"/>.</param>
    /// <param name="configDirectory">The folder of the config file.</param>
    /// <param name="seen">Real paths already read, shared by several calls so that a file is read once per run.</param>
    /// <param name="excluded">Collects the files the globs left out, each with whether the config's <c>exclude</c> did.</param>
    public static (IReadOnlyList<InputFile> Files, IReadOnlyList<ManifestProblem> Problems) Expand(
        IEnumerable<string> paths, CliConsole console, bool allowStdin = true, IReadOnlyList<string>? exclude = null,
        IReadOnlyList<string>? configExclude = null, string? configDirectory = null, HashSet<string>? seen = null,
        List<(string File, bool ByConfig)>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        var excludes = (exclude ?? []).Select(Glob).ToList();
        var fromConfig = (configExclude ?? []).Select(Glob).ToList();
        var files = new List<InputFile>();
        var problems = new List<ManifestProblem>();
        seen ??= new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (path == "-")
            {
                if (!allowStdin)
                {
                    problems.Add(new ManifestProblem(InputFile.StdinName, 0, 0, "standard input cannot be used here; name files or folders"));
                }
                else if (seen.Add(InputFile.StdinName))
                {
                    files.Add(new InputFile(InputFile.StdinName, null));
                }

                continue;
            }

            var full = console.FullPath(path);
            if (Directory.Exists(full))
            {
                foreach (var (file, real) in Walk(full).OrderBy(f => f.Path, StringComparer.Ordinal))
                {
                    if (seen.Add(real))
                    {
                        var relative = Path.GetRelativePath(full, file).Replace('\\', '/');
                        var display = Display(Path.Join(path, relative));
                        if (excludes.Count > 0 && (IsExcluded(relative, excludes) || IsExcluded(display, excludes)))
                        {
                            excluded?.Add((display, false));
                            continue;
                        }

                        if (fromConfig.Count > 0 && (IsExcluded(relative, fromConfig) || IsExcluded(display, fromConfig)))
                        {
                            excluded?.Add((display, true));
                            continue;
                        }

                        // A FIFO would hang the run and a device never ends: such an entry in a folder is named and left out.
                        if (FileKind.NotRegular(real) is { } kind)
                        {
                            console.Error.WriteLine($"skipped: {ControlCharacters.Escape(display)}: {FileKind.Refusal(kind)}");
                            continue;
                        }

                        // The config's globs are written from its folder, as .gitignore's are.
                        if (fromConfig.Count > 0 && configDirectory is not null
                            && Path.GetRelativePath(configDirectory, file).Replace('\\', '/') is { } fromFolder
                            && !fromFolder.StartsWith("../", StringComparison.Ordinal) && IsExcluded(fromFolder, fromConfig))
                        {
                            excluded?.Add((display, true));
                            continue;
                        }

                        files.Add(new InputFile(ControlCharacters.Escape(display), file));
                    }
                }
            }
            else if (File.Exists(full))
            {
                if (seen.Add(RealPath(full)))
                {
                    files.Add(new InputFile(ControlCharacters.Escape(Display(path)), full, Named: true));
                }
            }
            else
            {
                problems.Add(new ManifestProblem(ControlCharacters.Escape(path), 0, 0, $"no such file or folder; check the path (folders are searched for {ExtensionList} files, '-' reads standard input)"));
            }
        }

        return (files, problems);
    }

    /// <summary>
    /// The problem of a run that found nothing to check, or null: a gate that read no file must not pass. Names what left the
    /// files out: the config file and its <c>exclude</c> key, <c>--exclude</c>, or folders without manifests.
    /// </summary>
    /// <param name="paths">The paths as given.</param>
    /// <param name="files">How many inputs were found (files and standard input).</param>
    /// <param name="problems">How many paths were problems already (a missing path is reported as such).</param>
    /// <param name="excluded">What the globs left out (see <see cref="Expand"/>).</param>
    /// <param name="configs">The config files of the run.</param>
    internal static ManifestProblem? NothingToCheck(IReadOnlyList<string> paths, int files, int problems,
        IReadOnlyList<(string File, bool ByConfig)> excluded, IReadOnlyList<Config.SandboxingConfig> configs)
    {
        if (files > 0 || problems > 0)
        {
            return null;
        }

        var where = ControlCharacters.Escape(string.Join(", ", paths));
        if (excluded.Any(e => e.ByConfig) && configs.FirstOrDefault(c => c.Exclude.Count > 0) is { } config)
        {
            return new ManifestProblem(ControlCharacters.Escape(config.DisplayPath), 0, 0,
                $"exclude ({string.Join(", ", config.Exclude.Select(g => $"'{g}'"))}) leaves out every file of {where} ({excluded.Count} file{(excluded.Count == 1 ? "" : "s")}), " +
                "so nothing was checked; narrow the globs of exclude in this config file, or name the files to check");
        }

        if (excluded.Count > 0)
        {
            return new ManifestProblem(where, 0, 0,
                $"--exclude leaves out every file ({excluded.Count}), so nothing was checked; narrow the globs, or name the files to check");
        }

        return new ManifestProblem(where, 0, 0, $"no {ExtensionList} files here, so nothing was checked; name the files or folders that hold the manifests");
    }

    /// <summary>
    /// The extensions kubectl reads from a folder (<c>kubectl apply -f dir/</c>: k8s.io/cli-runtime pkg/resource
    /// <c>FileExtensions</c>), so that a file the cluster would get is never left out of the check.
    /// </summary>
    public static readonly IReadOnlyList<string> Extensions = [".json", ".yaml", ".yml"];

    /// <summary>The extensions as words for messages: <c>.json, .yaml and .yml</c>.</summary>
    public static string ExtensionList => string.Join(", ", Extensions.Take(Extensions.Count - 1)) + " and " + Extensions[^1];

    /// <summary>
    /// The manifest files under <paramref name="root"/> (this tool's own config files are settings, not manifests), each with its real path (symbolic links resolved). Linked folders are
    /// followed, but each real folder is entered once, so a link cycle ends and a folder linked twice is read once.
    /// </summary>
    private static List<(string Path, string Real)> Walk(string root)
    {
        // Hidden files are read: kubectl applies '.evil.yaml' from a folder as it applies any other. Git's own folder holds no
        // manifests, only objects and hooks.
        var options = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0 };
        var result = new List<(string, string)>();
        var entered = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<(string Path, string Real)>();
        pending.Push((root, RealPath(root)));
        while (pending.Count > 0)
        {
            var (directory, real) = pending.Pop();
            if (!entered.Add(real))
            {
                continue;
            }

            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options))
            {
                string? target = entry.LinkTarget is null ? Path.Join(real, entry.Name) : Resolve(entry);
                if (target is null)
                {
                    continue; // a dangling or cyclic link
                }

                if (Directory.Exists(target))
                {
                    if (entry.Name == ".git")
                    {
                        continue;
                    }

                    pending.Push((entry.FullName, target));
                }
                else if (IsManifest(entry.Name) && entry.Name is not (Config.SandboxingConfigLoader.FileName or Config.SandboxingConfigLoader.AlternativeFileName)
                    && File.Exists(target))
                {
                    result.Add((entry.FullName, target));
                }
            }
        }

        return result;
    }

    /// <summary>The path with every symbolic link in it resolved (what <c>realpath</c> gives), or the full path when one cannot be.</summary>
    internal static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Join(current, part);
            FileSystemInfo info = new FileInfo(next);
            current = info.LinkTarget is null ? next : Resolve(info) ?? next;
        }

        return current;
    }

    private static string? Resolve(FileSystemInfo link)
    {
        try
        {
            var target = link.ResolveLinkTarget(returnFinalTarget: true);
            return target is null || !target.Exists && !Directory.Exists(target.FullName) ? null : RealPath(target.FullName);
        }
        catch (IOException)
        {
            return null; // too many levels of links: a cycle
        }
    }

    /// <summary>
    /// Whether a path (forward slashes) matches one of the globs: a glob with a '/' matches the whole path (relative to the folder
    /// named on the command line, or as displayed), <c>**</c> spanning folders and <c>*</c>/<c>?</c> staying within one name; a
    /// glob without '/' matches any single folder or file name in the path, as in .gitignore (<c>charts</c>, <c>*.tmpl.yaml</c>).
    /// A trailing '/' means everything below.
    /// </summary>
    internal static bool IsExcluded(string path, IReadOnlyList<(bool Anchored, System.Text.RegularExpressions.Regex Pattern)> globs)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (anchored, pattern) in globs)
        {
            if (anchored ? pattern.IsMatch(path) : segments.Any(pattern.IsMatch))
            {
                return true;
            }
        }

        return false;
    }

    internal static (bool Anchored, System.Text.RegularExpressions.Regex Pattern) Glob(string glob)
    {
        var text = glob.Trim().Replace('\\', '/');
        while (text.StartsWith("./", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        bool anchored = text.TrimEnd('/').Contains('/', StringComparison.Ordinal) || text.EndsWith('/');
        if (text.EndsWith('/'))
        {
            text += "**";
        }

        var regex = new System.Text.StringBuilder("^");
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '*' && i + 1 < text.Length && text[i + 1] == '*')
            {
                bool slash = i + 2 < text.Length && text[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                regex.Append(text[i] switch { '*' => "[^/]*", '?' => "[^/]", var c => System.Text.RegularExpressions.Regex.Escape(c.ToString()) });
            }
        }

        return (anchored, new System.Text.RegularExpressions.Regex(regex.Append('$').ToString(), System.Text.RegularExpressions.RegexOptions.CultureInvariant));
    }

    /// <summary>Forward slashes, without a leading <c>./</c>.</summary>
    private static string Display(string path)
    {
        var display = path.Replace('\\', '/');
        while (display.StartsWith("./", StringComparison.Ordinal) && display.Length > 2)
        {
            display = display[2..];
        }

        return display;
    }

    private static bool IsManifest(string file) => Extensions.Any(e => file.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
