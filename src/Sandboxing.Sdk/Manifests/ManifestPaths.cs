using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk;

/// <summary>
/// Maps the field paths of findings (<c>spec.template.spec.containers[0].securityContext.privileged</c>,
/// <c>metadata.annotations['sandboxing.sdk/exempt']</c>) onto YAML nodes.
/// </summary>
internal static class ManifestPaths
{
    /// <summary>The node at <paramref name="path"/> below <paramref name="root"/>, or null when a part of it is missing.</summary>
    public static YamlNode? Walk(YamlNode root, string path)
    {
        var (node, complete) = Resolve(root, path, out _);
        return complete ? node : null;
    }

    /// <summary>
    /// Where a finding at <paramref name="path"/> points: the key of the field when it exists (or the item of a sequence);
    /// otherwise the key of the deepest part of the path that exists, which is at least the pod spec for a missing field.
    /// </summary>
    /// <param name="root">The object's node.</param>
    /// <param name="path">The finding's path.</param>
    /// <param name="exists">Whether the whole path exists.</param>
    public static Mark Locate(YamlNode root, string path, out bool exists)
    {
        ArgumentNullException.ThrowIfNull(root);
        var (_, complete) = Resolve(root, path, out var mark);
        exists = complete;
        return mark;
    }

    private static (YamlNode Node, bool Complete) Resolve(YamlNode root, string path, out Mark mark)
    {
        var node = root;
        mark = root.Start;
        int i = 0;
        int depth = 0;
        while (i < path.Length && depth++ < ManifestReadOptions.AbsoluteMaxDepth)
        {
            if (path[i] == '.')
            {
                i++;
                continue;
            }

            if (path[i] == '[')
            {
                int close = path[i + 1] == '\'' ? path.IndexOf("']", i, StringComparison.Ordinal) : path.IndexOf(']', i);
                if (close < 0)
                {
                    return (node, false);
                }

                if (path[i + 1] == '\'')
                {
                    var key = path[(i + 2)..close];
                    i = close + 2;
                    if (!TryKey(node, key, ref node, ref mark))
                    {
                        return (node, false);
                    }
                }
                else
                {
                    if (!int.TryParse(path.AsSpan(i + 1, close - i - 1), out int index) || node is not YamlSequenceNode sequence || index < 0 || index >= sequence.Children.Count)
                    {
                        return (node, false);
                    }

                    node = sequence.Children[index];
                    mark = node.Start;
                    i = close + 1;
                }

                continue;
            }

            int end = i;
            while (end < path.Length && path[end] is not ('.' or '['))
            {
                end++;
            }

            if (!TryKey(node, path[i..end], ref node, ref mark))
            {
                return (node, false);
            }

            i = end;
        }

        return (node, true);
    }

    private static bool TryKey(YamlNode node, string key, ref YamlNode current, ref Mark mark)
    {
        if (node is not YamlMappingNode mapping)
        {
            return false;
        }

        if (!YamlMaps.TryGetEntry(mapping, key, out var entry))
        {
            return false;
        }

        current = entry.Value;
        mark = entry.Key.Start;
        return true;
    }
}
