using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk;

/// <summary>The limits that keep hostile input from exhausting the machine: nesting depth and alias expansion.</summary>
internal static partial class ManifestParser
{
    /// <summary>Refuses a document whose aliases expand to more nodes than <see cref="ManifestReadOptions.MaxExpandedNodes"/>.</summary>
    private static void CheckAliasExpansion(ManifestSource source, YamlDocument document, int documentIndex, ManifestReadOptions options)
    {
        long size = ExpandedSize(document.RootNode, new Dictionary<YamlNode, long>(ReferenceEqualityComparer.Instance), options.MaxExpandedNodes, 0);
        if (size > options.MaxExpandedNodes)
        {
            var root = document.RootNode;
            throw new ManifestException(new ManifestProblem(source.Name, (int)root.Start.Line, (int)root.Start.Column,
                $"the document's aliases expand to more than {options.MaxExpandedNodes:N0} nodes (an alias bomb, \"billion laughs\"); " +
                "no Kubernetes tool can load it: write the repeated parts out, or use fewer nested aliases", documentIndex));
        }
    }

    private static long ExpandedSize(YamlNode node, Dictionary<YamlNode, long> memo, long limit, int depth)
    {
        if (memo.TryGetValue(node, out var known))
        {
            return known;
        }

        long size = 1;
        if (depth <= ManifestReadOptions.AbsoluteMaxDepth)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    foreach (var entry in mapping.Children)
                    {
                        size += ExpandedSize(entry.Key, memo, limit, depth + 1) + ExpandedSize(entry.Value, memo, limit, depth + 1);
                        if (size > limit)
                        {
                            break;
                        }
                    }

                    break;
                case YamlSequenceNode sequence:
                    foreach (var item in sequence.Children)
                    {
                        size += ExpandedSize(item, memo, limit, depth + 1);
                        if (size > limit)
                        {
                            break;
                        }
                    }

                    break;
            }
        }

        size = Math.Min(size, limit + 1);
        memo[node] = size;
        return size;
    }

    /// <summary>Counts documents and aliases, and refuses nesting deeper than the limit before any node is built.</summary>
    private sealed class GuardingParser(IParser inner, int maxDepth) : IParser
    {
        private int _depth;

        public int Documents { get; private set; }

        public int Aliases { get; private set; }

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            bool moved = inner.MoveNext();
            switch (inner.Current)
            {
                case DocumentStart:
                    Documents++;
                    break;
                case MappingStart or SequenceStart:
                    if (++_depth > maxDepth)
                    {
                        throw new YamlException(inner.Current.Start, inner.Current.End,
                            $"nesting deeper than {maxDepth} levels; no Kubernetes object is this deep: flatten the data, or check for a runaway generator");
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    _depth--;
                    break;
                case AnchorAlias:
                    Aliases++;
                    break;
            }

            return moved;
        }
    }
}
