using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sandboxing.Cli.Config;

/// <summary>A node of a config file, with the line and column (1-based) where it starts.</summary>
internal abstract record ConfigNode(int Line, int Column)
{
    /// <summary>What the node is, for messages ("a list", "a map", "'text'").</summary>
    public abstract string Describe();
}

/// <summary>A scalar; <paramref name="Plain"/> when it was written without quotes (so <c>true</c> is a boolean and <c>~</c> is null).</summary>
internal sealed record ConfigScalar(string Value, bool Plain, int Line, int Column) : ConfigNode(Line, Column)
{
    /// <summary>True for an empty value or a plain <c>~</c>/<c>null</c>.</summary>
    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <inheritdoc />
    public override string Describe() => IsNull ? "an empty value" : $"'{Value}'";
}

/// <summary>A sequence.</summary>
internal sealed record ConfigSequence(IReadOnlyList<ConfigNode> Items, int Line, int Column) : ConfigNode(Line, Column)
{
    /// <inheritdoc />
    public override string Describe() => "a list";
}

/// <summary>A mapping whose keys are scalars, in the order written.</summary>
internal sealed record ConfigMapping(IReadOnlyList<KeyValuePair<ConfigScalar, ConfigNode>> Entries, int Line, int Column) : ConfigNode(Line, Column)
{
    /// <inheritdoc />
    public override string Describe() => "a map";
}

/// <summary>
/// Reads a config file into <see cref="ConfigNode"/>s with their positions. A small reader over YamlDotNet's event parser rather
/// than its object model, so that a duplicate key, a key that is not text or a second document is an error at its line, and
/// no YamlDotNet type leaves this file.
/// </summary>
internal static class ConfigYaml
{
    /// <summary>Parses <paramref name="text"/>: null for an empty file, else the one document's root.</summary>
    /// <exception cref="ConfigException">The YAML is malformed, has a duplicate key or more than one document.</exception>
    public static ConfigNode? Parse(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        var problems = new List<ConfigProblem>();
        ConfigNode? root = null;
        int documents = 0;
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out var start))
            {
                if (++documents > 1)
                {
                    throw new ConfigException(new ConfigProblem(file, (int)start.Start.Line, (int)start.Start.Column,
                        "the file has more than one YAML document ('---'); a config file is one map of settings: remove the second document"));
                }

                root = ReadNode(parser, anchors, problems, file, 0);
                parser.Consume<DocumentEnd>();
            }

            parser.Consume<StreamEnd>();
        }
        catch (YamlException e)
        {
            var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
            throw new ConfigException(new ConfigProblem(file, (int)e.Start.Line, (int)e.Start.Column,
                $"YAML syntax error: {message.TrimEnd('.')}; fix the YAML (indent with spaces, close every quote and bracket)"));
        }

        return problems.Count > 0 ? throw new ConfigException(problems) : root;
    }

    /// <summary>Deeper than any shape of the config: refused before the recursion could exhaust the stack.</summary>
    private const int MaxDepth = 32;

    private static ConfigNode ReadNode(IParser parser, Dictionary<string, ConfigNode> anchors, List<ConfigProblem> problems, string file, int depth)
    {
        if (depth > MaxDepth)
        {
            var at = parser.Current?.Start ?? Mark.Empty;
            throw new ConfigException(new ConfigProblem(file, (int)at.Line, (int)at.Column,
                $"the YAML is nested more than {MaxDepth} levels deep; no setting is that deep: check the indentation"));
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            // The alias shares the anchored node (no copy): the config's shapes are shallow, so nothing is expanded.
            return anchors.TryGetValue(alias.Value.Value, out var target) ? target
                : throw new ConfigException(new ConfigProblem(file, (int)alias.Start.Line, (int)alias.Start.Column, $"the alias *{alias.Value.Value} has no anchor"));
        }

        ConfigNode node;
        string? anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
            node = new ConfigScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, (int)scalar.Start.Line, (int)scalar.Start.Column);
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            anchor = sequenceStart.Anchor.IsEmpty ? null : sequenceStart.Anchor.Value;
            var items = new List<ConfigNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, anchors, problems, file, depth + 1));
            }

            node = new ConfigSequence(items, (int)sequenceStart.Start.Line, (int)sequenceStart.Start.Column);
        }
        else
        {
            var mappingStart = parser.Consume<MappingStart>();
            anchor = mappingStart.Anchor.IsEmpty ? null : mappingStart.Anchor.Value;
            var entries = new List<KeyValuePair<ConfigScalar, ConfigNode>>();
            var seen = new Dictionary<string, ConfigScalar>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = ReadNode(parser, anchors, problems, file, depth + 1);
                var value = ReadNode(parser, anchors, problems, file, depth + 1);
                if (key is not ConfigScalar text)
                {
                    problems.Add(new ConfigProblem(file, key.Line, key.Column, $"a key is {key.Describe()}; write keys as plain text"));
                }
                else if (seen.TryGetValue(text.Value, out var first))
                {
                    problems.Add(new ConfigProblem(file, text.Line, text.Column,
                        $"the key '{text.Value}' is given twice (first at line {first.Line}); keep one, since only one value can apply"));
                }
                else
                {
                    seen[text.Value] = text;
                    entries.Add(new(text, value));
                }
            }

            node = new ConfigMapping(entries, (int)mappingStart.Start.Line, (int)mappingStart.Start.Column);
        }

        if (anchor is not null)
        {
            anchors[anchor] = node;
        }

        return node;
    }
}
