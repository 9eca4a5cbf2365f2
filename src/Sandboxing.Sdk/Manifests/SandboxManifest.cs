using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text;
using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// Multi-document YAML out and in. Output is the text of KubernetesClient's <see cref="KubernetesYaml"/> (written without its start-up scan, so native AOT runs it too) and is deterministic;
/// input returns typed objects (expanding <c>kind: List</c> and <c>*List</c> items) or fails whole with a
/// <see cref="ManifestException"/> that names the document and line:column of every problem: nothing partial is returned.
/// Reading goes through the same parser and binder as the manifest linter and <see cref="ManifestFixer"/>, so the
/// three never disagree about a file.
/// </summary>
public static class SandboxManifest
{
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
            var yaml = obj is UnstructuredObject unstructured
                ? UnstructuredYaml.Write(unstructured)
                : ModelYaml.Serialize(obj).Replace("\r\n", "\n", StringComparison.Ordinal);
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
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Only KubernetesClient models, whose namespace (k8s.Models) a trimmed or native app must root whole (the native sandboxing does: src/Sandboxing.Cli/NativeCli.Roots.xml, see docs/cli.md): their KubeKind, KubeApiVersion and KubeGroup constants are kept. Other types have no such fields and are left as they are.")]
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
    /// <exception cref="ManifestException">The YAML is malformed, a document is not a Kubernetes object (no apiVersion or kind), or a value does not fit its model. Kinds without a KubernetesClient model (custom resources) come back as <see cref="UnstructuredObject"/>s.</exception>
    public static IReadOnlyList<IKubernetesObject> Read(string yaml, string source = "<input>") =>
        ReadWithLocations(yaml, source).Select(o => o.Object).ToList();

    /// <summary>Reads every Kubernetes object with the document and line:column where it starts.</summary>
    /// <exception cref="ManifestException">The YAML is malformed, a document is not a Kubernetes object (no apiVersion or kind), or a value does not fit its model. Kinds without a KubernetesClient model (custom resources) come back as <see cref="UnstructuredObject"/>s.</exception>
    public static IReadOnlyList<ManifestObject> ReadWithLocations(string yaml, string source = "<input>")
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return ReadWithLocations(ManifestSource.FromText(yaml, source));
    }

    /// <summary>
    /// Reads every Kubernetes object of a decoded source (see <see cref="ManifestSource.FromFile"/>) within the limits of
    /// <paramref name="options"/>, with the document and line:column where each starts. Every binding problem of the file is
    /// collected before the exception is thrown; a syntax error stops at once.
    /// </summary>
    /// <exception cref="ManifestException">The YAML is malformed or over a limit, or objects do not fit their models.</exception>
    public static IReadOnlyList<ManifestObject> ReadWithLocations(ManifestSource source, ManifestReadOptions? options = null) =>
        ReadCore(source, options);

    /// <summary>
    /// Reads the objects that carry a pod template (the kinds of <see cref="PodTemplateRegistry.Default"/>: built-in workloads and
    /// the custom resources that run pods, List items expanded) with their locations, and skips every other document without
    /// binding it: what a capacity plan or a workload check needs from a folder that also holds Services and ConfigMaps.
    /// </summary>
    /// <exception cref="ManifestException">The YAML is malformed or over a limit, or a workload does not fit its model.</exception>
    public static IReadOnlyList<ManifestObject> ReadWorkloads(ManifestSource source, ManifestReadOptions? options = null) =>
        ReadWorkloads(source, PodTemplateRegistry.Default, options);

    /// <summary>Reads the objects whose kind is in <paramref name="registry"/> (see <see cref="ReadWorkloads(ManifestSource, ManifestReadOptions?)"/>).</summary>
    /// <exception cref="ManifestException">The YAML is malformed or over a limit, or a workload does not fit its model.</exception>
    public static IReadOnlyList<ManifestObject> ReadWorkloads(ManifestSource source, PodTemplateRegistry registry, ManifestReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return ReadCore(source, options, (apiVersion, kind) => registry.Find(apiVersion, kind) is not null);
    }

    /// <summary>
    /// Reads the objects of one custom kind (for example agent-sandbox's <c>SandboxWarmPool</c>, which has no pod spec of its own
    /// but runs its template's pods), unbound, and skips every other document.
    /// </summary>
    internal static IReadOnlyList<ManifestObject> ReadKind(ManifestSource source, string group, string kind, ManifestReadOptions? options = null) =>
        ReadCore(source, options, (apiVersion, k) => k == kind && PodTemplateRegistry.GroupOf(apiVersion) == group);

    /// <summary>
    /// Reads the RuntimeClass objects (<c>node.k8s.io/v1</c>, List items expanded) with their locations, as
    /// <see cref="V1RuntimeClass"/>, and skips every other document without binding it, so a folder that also holds Helm values or
    /// CI files reads. <see cref="RuntimeClassDefinition.FromRuntimeClass"/> turns each into a definition.
    /// </summary>
    /// <exception cref="ManifestException">The YAML is malformed or over a limit, or a RuntimeClass does not fit its model.</exception>
    public static IReadOnlyList<ManifestObject> ReadRuntimeClasses(ManifestSource source, ManifestReadOptions? options = null) =>
        ReadCore(source, options, static (apiVersion, kind) => kind == V1RuntimeClass.KubeKind && apiVersion == V1RuntimeClass.KubeGroup + "/" + V1RuntimeClass.KubeApiVersion);

    /// <summary>Every object of <paramref name="source"/>, each with its YAML node, so a finding's field can be placed.</summary>
    /// <exception cref="ManifestException">The YAML is malformed or holds an object the client does not know.</exception>
    internal static IReadOnlyList<ManifestObject> ReadWithNodes(ManifestSource source, ManifestReadOptions? options) =>
        ReadCore(source, options, keepNodes: true);

    private static IReadOnlyList<ManifestObject> ReadCore(ManifestSource source, ManifestReadOptions? options, Func<string?, string?, bool>? include = null, bool keepNodes = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new List<ManifestObject>();
        var problems = new List<ManifestProblem>();
        var entries = new List<ManifestEntry>();
        int document = 0;
        foreach (var doc in ManifestParser.ParseDocuments(source, options))
        {
            entries.Clear();
            ManifestObjects.Enumerate(doc.RootNode, ++document, entries);
            foreach (var entry in entries)
            {
                if (include is not null && !(entry.BadItemsOf is null && entry.Node is YamlDotNet.RepresentationModel.YamlMappingNode mapping
                    && include(ManifestObjects.ScalarValue(mapping, "apiVersion"), ManifestObjects.ScalarValue(mapping, "kind"))))
                {
                    continue;
                }

                if (entry.BadItemsOf is { } listKind)
                {
                    problems.Add(new ManifestProblem(source.Name, (int)entry.Node.Start.Line, (int)entry.Node.Start.Column,
                        $"the items of {listKind} must be a sequence", document));
                    continue;
                }

                try
                {
                    var obj = ManifestObjects.Bind(entry.Node, source.Name, document);
                    result.Add(new ManifestObject(obj, document, (int)entry.Node.Start.Line, (int)entry.Node.Start.Column, keepNodes ? entry.Node : null));
                }
                catch (ManifestException e)
                {
                    problems.AddRange(e.Problems);
                }
            }
        }

        return problems.Count > 0 ? throw new ManifestException(problems) : result;
    }

    /// <summary>The Kubernetes objects of nested collections, in order, without recursion (a deep nesting cannot overflow the stack).</summary>
    private static IEnumerable<object> Flatten(IEnumerable<object?> objects)
    {
        var stack = new Stack<System.Collections.IEnumerator>();
        stack.Push(objects.GetEnumerator());
        while (stack.Count > 0)
        {
            var top = stack.Peek();
            if (!top.MoveNext())
            {
                (stack.Pop() as IDisposable)?.Dispose();
                continue;
            }

            switch (top.Current)
            {
                case null:
                    continue;
                case IKubernetesObject k:
                    yield return k;
                    break;
                case System.Collections.IEnumerable many and not string:
                    stack.Push(many.GetEnumerator());
                    break;
                case var other:
                    throw new ArgumentException($"{other.GetType().Name} is not a Kubernetes object; pass KubernetesClient models such as V1Deployment.", nameof(objects));
            }
        }
    }
}
