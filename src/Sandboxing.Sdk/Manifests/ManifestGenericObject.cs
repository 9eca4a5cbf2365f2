using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk.Manifests;

/// <summary>
/// An object of a kind KubernetesClient has no model for (a ServiceMonitor, a Certificate, any custom resource), as
/// <see cref="SandboxManifest.Read(string, string)"/> returns it: its metadata typed, every other top-level field as plain data
/// (dictionaries in the file's key order, lists, strings, booleans, numbers, null). <see cref="SandboxManifest.ToYaml"/> writes
/// it back, so a rendering that mixes built-in kinds and custom resources reads, hardens and writes as a whole.
/// </summary>
public sealed class ManifestGenericObject : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Creates an empty object of the given type.</summary>
    public ManifestGenericObject(string apiVersion, string kind)
    {
        ApiVersion = apiVersion;
        Kind = kind;
    }

    /// <inheritdoc />
    public string ApiVersion { get; set; }

    /// <inheritdoc />
    public string Kind { get; set; }

    /// <inheritdoc />
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The top-level fields other than <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> (<c>spec</c>, <c>data</c>, …), in order.</summary>
    public IDictionary<string, object?> Fields { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>The object as one YAML document (without <c>---</c>), <c>\n</c> line ends.</summary>
    public string ToYaml()
    {
        var text = new StringBuilder();
        text.Append("apiVersion: ").Append(Quote(ApiVersion)).Append('\n');
        text.Append("kind: ").Append(Quote(Kind)).Append('\n');
        text.Append("metadata:\n");
        foreach (var line in ModelYaml.Serialize(Metadata).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'))
        {
            text.Append("  ").Append(line).Append('\n');
        }

        if (Fields.Count > 0)
        {
            var root = new YamlMappingNode();
            foreach (var (key, value) in Fields)
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
    internal static ManifestGenericObject FromNode(YamlMappingNode node, string apiVersion, string kind, V1ObjectMeta? metadata)
    {
        var obj = new ManifestGenericObject(apiVersion, kind) { Metadata = metadata ?? new V1ObjectMeta() };
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

    private static YamlNode ToNode(object? value) => value switch
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
