using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using k8s;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk.Manifests;

/// <summary>One object read from a manifest, with where it starts.</summary>
/// <param name="Object">The typed object (for example a <c>V1Deployment</c>).</param>
/// <param name="DocumentIndex">The YAML document it came from, counting from 1.</param>
/// <param name="Line">The line (1-based) where the object starts.</param>
/// <param name="Column">The column (1-based) where the object starts.</param>
public sealed record ManifestObject(IKubernetesObject Object, int DocumentIndex, int Line, int Column);

/// <summary>A manifest that cannot be read: says which source, document, line and column, and what is wrong.</summary>
public sealed class ManifestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ManifestException(string source, int documentIndex, int line, int column, string problem, Exception? inner = null)
        : base($"{source}:{line}:{column}: document {documentIndex}: {problem}", inner)
    {
        Source = source;
        DocumentIndex = documentIndex;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The file name or other label of the input.</summary>
    public new string Source { get; }

    /// <summary>The YAML document (1-based) that failed.</summary>
    public int DocumentIndex { get; }

    /// <summary>The line (1-based).</summary>
    public int Line { get; }

    /// <summary>The column (1-based).</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}

/// <summary>
/// Multi-document YAML out and in. Output goes through KubernetesClient's <see cref="KubernetesYaml"/> and is deterministic;
/// input returns typed objects (expanding <c>kind: List</c> and <c>*List</c> items) or fails whole with a
/// <see cref="ManifestException"/> that names the document and line:column: nothing partial is returned.
/// </summary>
public static class SandboxManifest
{
    private static readonly Lazy<IReadOnlyDictionary<string, Type>> s_types = new(BuildTypeMap);

    /// <summary>
    /// Serialises objects (and collections of objects, flattened) as one multi-document YAML string. Objects without
    /// <c>apiVersion</c>/<c>kind</c> get them set from their model type (see <see cref="EnsureTypeMeta"/>).
    /// </summary>
    public static string ToYaml(params object?[] objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var text = new StringBuilder();
        foreach (var obj in Flatten(objects))
        {
            if (text.Length > 0)
            {
                text.Append("---\n");
            }

            EnsureTypeMeta((IKubernetesObject)obj);
            var yaml = KubernetesYaml.Serialize(obj).Replace("\r\n", "\n", StringComparison.Ordinal);
            text.Append(yaml);
            if (!yaml.EndsWith('\n'))
            {
                text.Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Sets <c>apiVersion</c> and <c>kind</c> from the model type when they are missing (as KubernetesClient's <c>Initialize()</c>
    /// does), so that every emitted document can be applied and read back.
    /// </summary>
    public static void EnsureTypeMeta(IKubernetesObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (!string.IsNullOrEmpty(obj.ApiVersion) && !string.IsNullOrEmpty(obj.Kind))
        {
            return;
        }

        var type = obj.GetType();
        if (type.GetField("KubeKind", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is string kind
            && type.GetField("KubeApiVersion", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is string version)
        {
            var group = type.GetField("KubeGroup", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string;
            obj.ApiVersion = string.IsNullOrEmpty(group) ? version : group + "/" + version;
            obj.Kind = kind;
        }
    }

    /// <summary>Reads every Kubernetes object of a multi-document YAML string.</summary>
    /// <param name="yaml">The manifest text.</param>
    /// <param name="source">A name for messages, such as the file path.</param>
    /// <exception cref="ManifestException">The YAML is malformed, or a document is not a Kubernetes object the client knows.</exception>
    public static IReadOnlyList<IKubernetesObject> Read(string yaml, string source = "<input>") =>
        ReadWithLocations(yaml, source).Select(o => o.Object).ToList();

    /// <summary>Reads every Kubernetes object with the document and line:column where it starts.</summary>
    /// <exception cref="ManifestException">The YAML is malformed, or a document is not a Kubernetes object the client knows.</exception>
    public static IReadOnlyList<ManifestObject> ReadWithLocations(string yaml, string source = "<input>")
    {
        ArgumentNullException.ThrowIfNull(yaml);

        // One hardened parser for every YAML input (limits on nesting and alias expansion, Helm templates recognised).
        var result = new List<ManifestObject>();
        int document = 0;
        try
        {
            foreach (var doc in Manifests.ManifestParser.ParseDocuments(Manifests.ManifestSource.FromText(yaml, source)))
            {
                document++;
                var root = doc.RootNode;
                if (root is YamlScalarNode { Value: null or "" })
                {
                    continue; // an empty document, such as a trailing '---'
                }

                ReadObject(root, document, source, result, allowList: true);
            }
        }
        catch (Manifests.ManifestInputException e)
        {
            throw new ManifestException(source, document + 1, e.Problem.Line, e.Problem.Column, e.Problem.Message, e);
        }

        return result;
    }

    private static void ReadObject(YamlNode node, int document, string source, List<ManifestObject> result, bool allowList)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Problem(source, document, node, "expected a Kubernetes object (a mapping with apiVersion and kind)");
        }

        var apiVersion = Scalar(mapping, "apiVersion");
        var kind = Scalar(mapping, "kind");
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            throw Problem(source, document, node, "the object has no apiVersion or no kind");
        }

        if (allowList && kind.EndsWith("List", StringComparison.Ordinal)
            && mapping.Children.TryGetValue(new YamlScalarNode("items"), out var items))
        {
            if (items is YamlSequenceNode sequence)
            {
                foreach (var item in sequence)
                {
                    ReadObject(item, document, source, result, allowList: false);
                }

                return;
            }

            if (items is not YamlScalarNode { Value: null or "" })
            {
                throw Problem(source, document, items, $"the items of {kind} must be a sequence");
            }

            return;
        }

        if (!s_types.Value.TryGetValue(apiVersion + "/" + kind, out var type))
        {
            throw Problem(source, document, node, $"{apiVersion} {kind} is not a kind KubernetesClient knows");
        }

        var text = new StringBuilder();
        using (var writer = new StringWriter(text))
        {
            new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        }

        try
        {
            var obj = (IKubernetesObject)Deserialize(type, text.ToString());
            result.Add(new ManifestObject(obj, document, (int)node.Start.Line, (int)node.Start.Column));
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message ?? e.Message;
            throw Problem(source, document, node, $"{kind} '{NameOf(mapping)}' does not match the {apiVersion} {kind} schema: {inner}", e);
        }
    }

    private static readonly ConcurrentDictionary<Type, Func<string, object>> s_deserializers = new();

    private static object Deserialize(Type type, string yaml) =>
        s_deserializers.GetOrAdd(type, static t =>
        {
            var method = typeof(KubernetesYaml).GetMethod(nameof(KubernetesYaml.Deserialize), [typeof(string), typeof(bool)])!.MakeGenericMethod(t);
            var deserialize = method.CreateDelegate<Func<string, bool, object>>();
            return text => deserialize(text, false);
        })(yaml);

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static string NameOf(YamlMappingNode mapping) =>
        mapping.Children.TryGetValue(new YamlScalarNode("metadata"), out var meta) && meta is YamlMappingNode m ? Scalar(m, "name") ?? "" : "";

    private static ManifestException Problem(string source, int document, YamlNode node, string problem, Exception? inner = null) =>
        new(source, document, (int)node.Start.Line, (int)node.Start.Column, problem, inner);

    private static IEnumerable<object> Flatten(IEnumerable<object?> objects)
    {
        foreach (var obj in objects)
        {
            switch (obj)
            {
                case null:
                    continue;
                case IKubernetesObject k:
                    yield return k;
                    break;
                case System.Collections.IEnumerable many and not string:
                    foreach (var inner in Flatten(many.Cast<object?>()))
                    {
                        yield return inner;
                    }

                    break;
                default:
                    throw new ArgumentException($"{obj.GetType().Name} is not a Kubernetes object; pass KubernetesClient models such as V1Deployment.", nameof(objects));
            }
        }
    }

    /// <summary>apiVersion/kind to model type, from the KubeApiVersion/KubeGroup/KubeKind constants of KubernetesClient's models.</summary>
    private static IReadOnlyDictionary<string, Type> BuildTypeMap()
    {
        var map = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in typeof(k8s.Models.V1Pod).Assembly.GetExportedTypes())
        {
            if (!typeof(IKubernetesObject).IsAssignableFrom(type) || type.IsAbstract
                || type.GetField("KubeKind", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is not string kind
                || type.GetField("KubeApiVersion", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is not string version)
            {
                continue;
            }

            var group = type.GetField("KubeGroup", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string;
            var apiVersion = string.IsNullOrEmpty(group) ? version : group + "/" + version;
            map.TryAdd(apiVersion + "/" + kind, type);
        }

        return map;
    }
}
