using System.Globalization;
using System.Text;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk;

/// <summary>
/// The YAML side of <see cref="UnstructuredObject"/>: reading a mapping node into plain fields (scalars resolved as Kubernetes'
/// YAML reader does) and writing the object back as one document.
/// </summary>
internal static class UnstructuredYaml
{
    /// <summary>The object as one YAML document (without <c>---</c>), <c>\n</c> line ends.</summary>
    public static string Write(UnstructuredObject obj)
    {
        var (apiVersion, kind, metadata, fields) = (obj.ApiVersion, obj.Kind, obj.Metadata, obj.Fields);
        var text = new StringBuilder();
        text.Append("apiVersion: ").Append(Quote(apiVersion)).Append('\n');
        text.Append("kind: ").Append(Quote(kind)).Append('\n');
        text.Append("metadata:\n");
        foreach (var line in ModelYaml.Serialize(metadata).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'))
        {
            text.Append("  ").Append(line).Append('\n');
        }

        if (fields.Count > 0)
        {
            var root = new YamlMappingNode();
            foreach (var (key, value) in fields)
            {
                root.Add(new YamlScalarNode(key), ToNode(value));
            }

            using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
            var body = writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
            body = body.EndsWith("...\n", StringComparison.Ordinal) ? body[..^4] : body;
            text.Append(body.TrimEnd('\n')).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Reads a mapping node (merge keys applied) into an object.</summary>
    public static UnstructuredObject FromNode(YamlMappingNode node, string apiVersion, string kind, V1ObjectMeta? metadata)
    {
        var obj = new UnstructuredObject(apiVersion, kind) { Metadata = metadata ?? new V1ObjectMeta() };
        foreach (var entry in YamlMaps.Entries(node))
        {
            if (entry.Key is YamlScalarNode { Value: "apiVersion" or "kind" or "metadata" })
            {
                continue;
            }

            obj.Fields[(entry.Key as YamlScalarNode)?.Value ?? ""] = Plain(entry.Value, 0);
        }

        return obj;
    }

    private static object? Plain(YamlNode node, int depth)
    {
        if (depth > ManifestReadOptions.AbsoluteMaxDepth)
        {
            throw new YamlBindingError(node, "the object is nested too deeply");
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                return Scalar(scalar);
            case YamlSequenceNode sequence:
                return sequence.Children.Select(c => Plain(c, depth + 1)).ToList();
            case YamlMappingNode mapping:
            {
                var map = new Dictionary<string, object?>(StringComparer.Ordinal); // keeps insertion order while nothing is removed
                foreach (var entry in YamlMaps.Entries(mapping))
                {
                    map[(entry.Key as YamlScalarNode)?.Value ?? ""] = Plain(entry.Value, depth + 1);
                }

                return map;
            }

            default:
                return null;
        }
    }

    /// <summary>A plain scalar resolved as Kubernetes' YAML reader does (null, booleans, integers, floats); a quoted one is a string.</summary>
    private static object? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return value;
        }

        if (YamlModelBinder.IsNull(scalar))
        {
            return null;
        }

        return value switch
        {
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
            _ when value.Any(char.IsDigit) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                && !value.Contains(' ', StringComparison.Ordinal) => d,
            _ => value,
        };
    }

    /// <summary>Plain data (as <see cref="UnstructuredObject.Fields"/> holds it) as a YAML node.</summary>
    public static YamlNode ToNode(object? value) => value switch
    {
        null => new YamlScalarNode("null"),
        string s => Text(s),
        bool b => new YamlScalarNode(b ? "true" : "false"),
        IFormattable f => new YamlScalarNode(f.ToString(null, CultureInfo.InvariantCulture)),
        IDictionary<string, object?> map => new YamlMappingNode(map.Select(kv => new KeyValuePair<YamlNode, YamlNode>(Text(kv.Key), ToNode(kv.Value)))),
        System.Collections.IEnumerable list => new YamlSequenceNode(list.Cast<object?>().Select(ToNode)),
        _ => Text(value.ToString() ?? ""),
    };

    /// <summary>A string node, quoted when a plain scalar would read back as something else (a number, a boolean, null).</summary>
    private static YamlScalarNode Text(string s)
    {
        var plain = new YamlScalarNode(s);
        return s.Length == 0 || Scalar(plain) is not string || s.Trim() != s || s.Contains('\n', StringComparison.Ordinal)
            ? new YamlScalarNode(s) { Style = ScalarStyle.DoubleQuoted }
            : plain;
    }

    private static string Quote(string s) => Scalar(new YamlScalarNode(s)) is string && s.Length > 0 && !s.Contains(':', StringComparison.Ordinal) ? s : $"\"{s}\"";

}
