using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk;

/// <summary>
/// Reads YAML mappings as Kubernetes tools do, merge keys included: <c>&lt;&lt;: *base</c> (or <c>&lt;&lt;: [*a, *b]</c>) adds
/// the keys of the merged mappings that the mapping does not set itself, earlier mappings of a list winning over later ones
/// (the YAML 1.1 merge type, which kubectl, Helm and go-yaml apply). The one merge-aware reader: the pod finder, the binder
/// (and so <see cref="SandboxManifest"/>, the linter and the fixer) and the field-path resolver all go through it.
/// </summary>
internal static class YamlMaps
{
    /// <summary>True for the merge key: a plain <c>&lt;&lt;</c> scalar (or one tagged <c>!!merge</c>).</summary>
    public static bool IsMergeKey(YamlNode key) =>
        key is YamlScalarNode { Value: "<<" } scalar
        && (scalar.Style is ScalarStyle.Plain or ScalarStyle.Any || scalar.Tag.Value == "tag:yaml.org,2002:merge");

    /// <summary>The mapping's entries after merging: its own keys in order, then merged keys it does not set itself.</summary>
    public static IEnumerable<KeyValuePair<YamlNode, YamlNode>> Entries(YamlMappingNode mapping)
    {
        bool merges = false;
        foreach (var entry in mapping.Children)
        {
            if (IsMergeKey(entry.Key))
            {
                merges = true;
                break;
            }
        }

        return merges ? Merged(mapping) : mapping.Children;
    }

    /// <summary>The entry of <paramref name="key"/>, merged keys included; the key node locates it (in the anchor, when merged).</summary>
    public static bool TryGetEntry(YamlMappingNode mapping, string key, out KeyValuePair<YamlNode, YamlNode> found)
    {
        foreach (var entry in Entries(mapping))
        {
            if (entry.Key is YamlScalarNode { Value: { } value } && string.Equals(value, key, StringComparison.Ordinal))
            {
                found = entry;
                return true;
            }
        }

        found = default;
        return false;
    }

    /// <summary>The value of <paramref name="key"/>, merged keys included, or null.</summary>
    public static YamlNode? Child(YamlMappingNode mapping, string key) => TryGetEntry(mapping, key, out var entry) ? entry.Value : null;

    /// <summary>The scalar value of <paramref name="key"/>, merged keys included, or null.</summary>
    public static string? ScalarValue(YamlMappingNode mapping, string key) => Child(mapping, key) is YamlScalarNode { Value: { } v } ? v : null;

    /// <summary>Adds every mapping merged into <paramref name="mapping"/>, directly or through other merges, to <paramref name="sources"/>.</summary>
    public static void AddMergeSources(YamlMappingNode mapping, HashSet<YamlNode> sources, int depth = 0)
    {
        if (depth > ManifestReadOptions.AbsoluteMaxDepth)
        {
            return;
        }

        foreach (var entry in mapping.Children)
        {
            if (!IsMergeKey(entry.Key))
            {
                continue;
            }

            var merged = entry.Value is YamlSequenceNode list ? list.Children : [entry.Value];
            foreach (var source in merged)
            {
                if (source is YamlMappingNode m && sources.Add(m))
                {
                    AddMergeSources(m, sources, depth + 1);
                }
            }
        }
    }

    private static List<KeyValuePair<YamlNode, YamlNode>> Merged(YamlMappingNode mapping)
    {
        var result = new List<KeyValuePair<YamlNode, YamlNode>>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        Collect(mapping, result, keys, depth: 0);
        return result;
    }

    /// <summary>Adds the entries of <paramref name="mapping"/> whose keys are not set yet: own keys first, then its merges in order.</summary>
    private static void Collect(YamlMappingNode mapping, List<KeyValuePair<YamlNode, YamlNode>> result, HashSet<string> keys, int depth)
    {
        if (depth > ManifestReadOptions.AbsoluteMaxDepth)
        {
            return; // merges of merges this deep come only from hostile input; the parser's limits refuse most before this
        }

        foreach (var entry in mapping.Children)
        {
            if (IsMergeKey(entry.Key))
            {
                continue;
            }

            if (entry.Key is not YamlScalarNode { Value: { } name } || keys.Add(name))
            {
                result.Add(entry);
            }
        }

        foreach (var entry in mapping.Children)
        {
            if (!IsMergeKey(entry.Key))
            {
                continue;
            }

            switch (entry.Value)
            {
                case YamlMappingNode merged:
                    Collect(merged, result, keys, depth + 1);
                    break;
                case YamlSequenceNode list:
                    foreach (var item in list.Children)
                    {
                        if (item is YamlMappingNode each)
                        {
                            Collect(each, result, keys, depth + 1);
                        }
                    }

                    break;
            }
        }
    }
}
