using Sandboxing.Sdk;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Cli;

/// <summary>
/// The files a kustomization names as patches (<c>patches</c> entries with a <c>path</c>, <c>patchesStrategicMerge</c>,
/// <c>patchesJson6902</c>). A strategic-merge patch looks like a whole Deployment but holds only the fields it changes, so lint
/// reports only what it sets, fix leaves it alone and plan does not count it. The kustomizations are found in the folder of each
/// input and the folders above it, up to one that holds <c>.git</c> (as the config file search does); each is read once per run.
/// </summary>
internal sealed class KustomizePatches
{
    /// <summary>The names kustomize reads in a folder.</summary>
    public static readonly string[] FileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    private readonly Dictionary<string, IReadOnlyCollection<string>> _byFolder = new(StringComparer.Ordinal);

    /// <summary>True when a kustomization at or above the file's folder names it as a patch; never for standard input.</summary>
    public bool Contains(InputFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.FullPath is null)
        {
            return false;
        }

        var full = Path.GetFullPath(file.FullPath);
        for (var folder = Path.GetDirectoryName(full); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (PatchesIn(folder).Contains(full))
            {
                return true;
            }

            var git = Path.Combine(folder, ".git");
            if (Directory.Exists(git) || File.Exists(git)) // a worktree's .git is a file
            {
                break;
            }
        }

        return false;
    }

    /// <summary>
    /// Only what the patch sets: findings at fields the file has. "No runtimeClassName" or "no memory limit" describe the base the
    /// patch is merged into, not the patch.
    /// </summary>
    public static ManifestLintResult AsPatch(ManifestLintResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.With([.. result.Findings.Where(f => f.FieldExists)], result.Problems);
    }

    /// <summary>The note fix and plan print for a patch they leave out.</summary>
    public static string LeftOut(InputFile file, string what, string command) =>
        $"{file.DisplayName}: {what}: a kustomization names it as a patch, which kustomize merges into its base; " +
        $"{command} the base, or the build: kustomize build <overlay> | sandboxing {command} -";

    private IReadOnlyCollection<string> PatchesIn(string folder)
    {
        if (_byFolder.TryGetValue(folder, out var known))
        {
            return known;
        }

        var patches = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in FileNames)
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                foreach (var relative in PatchPaths(path))
                {
                    patches.Add(Path.GetFullPath(Path.Combine(folder, relative)));
                }

                break; // kustomize reads the first of its names it finds
            }
        }

        _byFolder[folder] = patches;
        return patches;
    }

    /// <summary>The patch file paths a kustomization names; a kustomization that cannot be read names none (kustomize reports it).</summary>
    private static IEnumerable<string> PatchPaths(string kustomization)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(kustomization);
            stream.Load(reader);
        }
        catch (Exception e) when (e is YamlException or IOException or UnauthorizedAccessException)
        {
            return [];
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return [];
        }

        var paths = new List<string>();
        foreach (var key in (string[])["patches", "patchesStrategicMerge", "patchesJson6902"])
        {
            if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node) || node is not YamlSequenceNode list)
            {
                continue;
            }

            foreach (var entry in list)
            {
                var path = entry switch
                {
                    YamlMappingNode map when map.Children.TryGetValue(new YamlScalarNode("path"), out var p) && p is YamlScalarNode s => s.Value,

                    // patchesStrategicMerge lists paths, or inline patches (text with line breaks), which are no file.
                    YamlScalarNode { Value: { } value } when !value.Contains('\n', StringComparison.Ordinal) => value,
                    _ => null,
                };
                if (!string.IsNullOrWhiteSpace(path))
                {
                    paths.Add(path.Trim());
                }
            }
        }

        return paths;
    }
}
