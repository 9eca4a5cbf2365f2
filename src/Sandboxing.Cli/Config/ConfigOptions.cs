using System.CommandLine;

namespace Sandboxing.Cli.Config;

/// <summary>Input paths that share one config file (or none).</summary>
/// <param name="Config">The config that applies to them.</param>
/// <param name="Paths">The paths, as given, in command-line order.</param>
internal sealed record ConfigGroup(SandboxingConfig Config, IReadOnlyList<string> Paths);

/// <summary>
/// The <c>--config</c> and <c>--no-config</c> options of a command, and the config each input gets: the nearest
/// <c>.sandboxing.yaml</c> (or <c>.sandboxing.yml</c>) in the input's folder or above it, up to the git root or the
/// filesystem root; or the file <c>--config</c> names; or none with <c>--no-config</c>.
/// </summary>
internal sealed class ConfigOptions
{
    /// <summary><c>--config &lt;file&gt;</c>.</summary>
    public Option<string?> File { get; } = new("--config")
    {
        Description = $"Read settings from this file instead of searching for the nearest {SandboxingConfigLoader.FileName} above the inputs " +
            "(up to the git root). Flags override the file's settings.",
        HelpName = "file",
    };

    /// <summary><c>--no-config</c>.</summary>
    public Option<bool> Skip { get; } = new("--no-config")
    {
        Description = $"Use no config file ({SandboxingConfigLoader.FileName} is not searched for): the flags and the defaults only.",
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(File);
        command.Add(Skip);
    }

    /// <summary>Says in the help of <paramref name="command"/>'s flags which config key each overrides.</summary>
    public static void DescribeOverrides(Command command)
    {
        foreach (var option in command.Options)
        {
            option.Description += option.Name switch
            {
                "--runtime" => " Overrides the config file's runtime.",
                "--allowed-runtime-classes" => " Replaces the config file's allowedRuntimeClasses.",
                "--exclude" => " Adds to the config file's exclude.",
                _ => "",
            };
        }
    }

    /// <summary>
    /// The config of each input path, as groups of paths that share one, in the order of each group's first path. A path's search
    /// starts at the folder it names, the folder of the file it names, or the working directory for <c>-</c>.
    /// </summary>
    /// <exception cref="ConfigException">The config file cannot be used.</exception>
    /// <exception cref="ArgumentException">--config and --no-config are both given.</exception>
    public IReadOnlyList<ConfigGroup> ForInputs(ParseResult parse, IReadOnlyList<string> paths, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (Explicit(parse, console) is { } config)
        {
            return [new ConfigGroup(config, paths)];
        }

        var found = new Dictionary<string, string?>(StringComparer.Ordinal);
        var groups = new List<(string? File, List<string> Paths)>();
        foreach (var path in paths)
        {
            var file = Find(StartOf(path, console), found);
            var group = groups.FindIndex(g => g.File == file);
            if (group < 0)
            {
                groups.Add((file, [path]));
            }
            else
            {
                groups[group].Paths.Add(path);
            }
        }

        return groups.Select(g => new ConfigGroup(g.File is null ? SandboxingConfig.None : Load(g.File, console, found), g.Paths)).ToList();
    }

    /// <summary>The config for a command without inputs (<c>audit</c>): searched from the working directory.</summary>
    /// <exception cref="ConfigException">The config file cannot be used.</exception>
    public SandboxingConfig ForWorkingDirectory(ParseResult parse, CliConsole console) => ForInputs(parse, ["-"], console)[0].Config;

    /// <summary>The config of <c>--config</c>, <see cref="SandboxingConfig.None"/> for <c>--no-config</c>, or null to search.</summary>
    /// <summary>A found file, with the file above it that it replaces (searched from its folder's parent, not past the git root).</summary>
    private static SandboxingConfig Load(string file, CliConsole console, Dictionary<string, string?> found)
    {
        var config = SandboxingConfigLoader.Load(file, Display(file, console));
        var folder = Path.GetDirectoryName(file)!;
        var git = Path.Join(folder, ".git");
        if (Directory.Exists(git) || System.IO.File.Exists(git) || Path.GetDirectoryName(folder) is not { } parent
            || Find(parent, found) is not { } outer)
        {
            return config;
        }

        return config with { Outer = SandboxingConfigLoader.Load(outer, Display(outer, console)) };
    }

    private SandboxingConfig? Explicit(ParseResult parse, CliConsole console)
    {
        var file = parse.GetValue(File);
        if (parse.GetValue(Skip))
        {
            return file is null ? SandboxingConfig.None : throw new ArgumentException("--config and --no-config exclude each other: pass one of them.");
        }

        if (file is null)
        {
            return null;
        }

        var full = console.FullPath(file);
        if (Directory.Exists(full))
        {
            throw new ConfigException(new ConfigProblem(file, 0, 0, $"--config names a folder; name the file, such as {Path.Join(file, SandboxingConfigLoader.FileName)}"));
        }

        if (!System.IO.File.Exists(full))
        {
            throw new ConfigException(new ConfigProblem(file, 0, 0,
                $"--config: no such file; check the path, or drop --config to use the nearest {SandboxingConfigLoader.FileName} above the inputs"));
        }

        return SandboxingConfigLoader.Load(full, file);
    }

    private static string StartOf(string path, CliConsole console)
    {
        if (path == "-")
        {
            return console.WorkingDirectory;
        }

        var full = console.FullPath(path);
        return Directory.Exists(full) ? full : Path.GetDirectoryName(full) ?? console.WorkingDirectory;
    }

    /// <summary>
    /// The nearest config file at or above <paramref name="directory"/>. The search stops after a folder that holds <c>.git</c> (a
    /// folder, or a file in worktrees and submodules), so a config outside the repository never applies, and at the root.
    /// </summary>
    /// <exception cref="ConfigException">A folder holds both spellings.</exception>
    internal static string? Find(string directory, Dictionary<string, string?>? cache = null)
    {
        var visited = new List<string>();
        string? result = null;
        for (var current = directory; current is not null; current = Path.GetDirectoryName(current))
        {
            if (cache is not null && cache.TryGetValue(current, out var known))
            {
                result = known;
                break;
            }

            visited.Add(current);
            var yaml = Path.Join(current, SandboxingConfigLoader.FileName);
            var yml = Path.Join(current, SandboxingConfigLoader.AlternativeFileName);
            bool hasYaml = System.IO.File.Exists(yaml), hasYml = System.IO.File.Exists(yml);
            if (hasYaml && hasYml)
            {
                throw new ConfigException(new ConfigProblem(yml, 0, 0,
                    $"both {SandboxingConfigLoader.FileName} and {SandboxingConfigLoader.AlternativeFileName} are in this folder, and only one can apply; keep one"));
            }

            if (hasYaml || hasYml)
            {
                result = hasYaml ? yaml : yml;
                break;
            }

            var git = Path.Join(current, ".git");
            if (Directory.Exists(git) || System.IO.File.Exists(git))
            {
                break;
            }
        }

        foreach (var folder in visited)
        {
            cache?.TryAdd(folder, result);
        }

        return result;
    }

    /// <summary>The path relative to the working directory when that is shorter to read, with forward slashes.</summary>
    private static string Display(string file, CliConsole console)
    {
        var relative = Path.GetRelativePath(console.WorkingDirectory, file);
        return Path.IsPathRooted(relative) ? file : relative.Replace('\\', '/');
    }
}
