using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk;

/// <summary>A manifest parsed whole into YAML nodes that keep their marks (line, column, character offset).</summary>
internal sealed class ParsedManifest(ManifestSource source, IReadOnlyList<YamlDocument> documents)
{
    /// <summary>The text that was parsed.</summary>
    public ManifestSource Source { get; } = source;

    /// <summary>The YAML documents, in order. Aliases are references to their anchored nodes, never copies.</summary>
    public IReadOnlyList<YamlDocument> Documents { get; } = documents;

    /// <summary>Every object of a pod-bearing kind, with List items expanded (at any depth), in document order.</summary>
    public IReadOnlyList<ManifestPodObject> PodObjects()
    {
        var result = new List<ManifestPodObject>();
        for (int d = 0; d < Documents.Count; d++)
        {
            ManifestObjects.FindPodObjects(Documents[d], d + 1, result);
        }

        return result;
    }
}

/// <summary>
/// One object of a pod-bearing kind (built-in or a custom resource of the registry) found in a manifest: its YAML node, its
/// registry entry, the document it is in, and its pod specs with their concrete paths.
/// </summary>
/// <param name="Node">The object's mapping node.</param>
/// <param name="Kind">Its kind (<c>Deployment</c>, <c>Sandbox</c>, …).</param>
/// <param name="Entry">Its registry entry.</param>
/// <param name="DocumentIndex">The YAML document (1-based).</param>
internal sealed record ManifestPodObject(YamlMappingNode Node, string Kind, PodTemplateKind Entry, int DocumentIndex)
{
    private static readonly PodSpecLocator s_locator = new(
        (node, key) => node is YamlMappingNode map ? YamlMaps.Child(map, key) : null,
        node => node switch
        {
            YamlMappingNode map => YamlMaps.Entries(map).Select(e => ((e.Key as YamlScalarNode)?.Value ?? "", false, (object)e.Value)),
            YamlSequenceNode list => list.Children.Select((item, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), true, (object)item)),
            _ => null,
        });

    private IReadOnlyList<LocatedPodSpec>? _specs;

    /// <summary>The pod specs present in the node (mappings or not), with their concrete paths, in registry then document order.</summary>
    public IReadOnlyList<LocatedPodSpec> Specs => _specs ??= s_locator.Locate(Node, Entry);

    /// <summary>The first pod spec's path (the only one for a built-in kind), or the registry's first path when none is present.</summary>
    public string SpecPath => Specs.Count > 0 ? Specs[0].SpecPath : Entry.Paths[0].Spec;

    /// <summary>The first pod spec's node when it is a mapping, else null.</summary>
    public YamlMappingNode? SpecNode => Specs.Count > 0 ? Specs[0].Spec as YamlMappingNode : null;

    /// <summary>Binds the node onto its KubernetesClient model (<c>V1Deployment</c>, …), or a custom resource onto an <see cref="UnstructuredObject"/>.</summary>
    /// <exception cref="ManifestException">A value does not fit the model.</exception>
    public IKubernetesObject<V1ObjectMeta> ToModel(string source) =>
        (IKubernetesObject<V1ObjectMeta>)ManifestObjects.Bind(Node, source, DocumentIndex, skipTemplatedQuantities: true);

    /// <summary>Binds the node, or records where and why it does not fit the model (the linter and the fixer share this).</summary>
    /// <param name="source">The file name for the problem.</param>
    /// <param name="advice">What to do, appended to the problem's message.</param>
    /// <param name="problems">Where a binding problem is added.</param>
    /// <param name="model">The bound model, when this returns true.</param>
    public bool TryToModel(string source, string advice, List<ManifestProblem> problems, [NotNullWhen(true)] out IKubernetesObject<V1ObjectMeta>? model)
    {
        try
        {
            model = ToModel(source);
            return true;
        }
        catch (ManifestException e)
        {
            problems.AddRange(e.Problems.Select(p => p.WithMessage($"{p.Message}; {advice}")));
            model = null;
            return false;
        }
    }

    /// <summary>
    /// The pod templates of the bound <paramref name="model"/> with their YAML nodes: a typed model's one template, or each pod
    /// spec of a custom resource bound from its own node (so a problem points at its line), with the path of its metadata.
    /// </summary>
    /// <returns>False when a custom resource's pod spec does not fit the PodSpec model (the problem is added).</returns>
    public bool TryGetSites(IKubernetesObject<V1ObjectMeta> model, string source, string advice, List<ManifestProblem> problems, out List<ManifestPodSite> sites)
    {
        sites = [];
        if (model is not UnstructuredObject)
        {
            if (PodTemplates.TryGet(model, out var site) && SpecNode is { } node)
            {
                sites.Add(new ManifestPodSite(site, node, Specs[0].MetadataPath));
            }

            return true;
        }

        var name = PodTemplates.Describe(model);
        int before = problems.Count;
        foreach (var located in Specs)
        {
            if (located.Spec is not YamlMappingNode specNode)
            {
                continue;
            }

            try
            {
                var spec = (V1PodSpec)YamlModelBinder.Bind(specNode, typeof(V1PodSpec), skipTemplatedQuantities: true)!;
                var metadata = located.MetadataPath == "metadata" ? model.Metadata
                    : ManifestPaths.Walk(Node, located.MetadataPath) is YamlMappingNode metaNode ? (V1ObjectMeta?)YamlModelBinder.Bind(metaNode, typeof(V1ObjectMeta)) : null;
                sites.Add(new ManifestPodSite(new PodTemplateSite(model, metadata, spec, located.SpecPath), specNode, located.MetadataPath));
            }
            catch (YamlBindingError e)
            {
                var problem = ManifestObjects.BindingProblem(e, source, DocumentIndex, $"{name}: {located.SpecPath} does not match the Kubernetes PodSpec schema");
                problems.Add(problem.WithMessage($"{problem.Message}; {advice}"));
            }
        }

        return problems.Count == before;
    }
}

/// <summary>One pod template of a manifest object: the bound site, its spec's YAML node and the path of its metadata.</summary>
/// <param name="Site">The pod template, bound.</param>
/// <param name="SpecNode">The pod spec's node.</param>
/// <param name="MetadataPath">Where the pods' metadata is in the object (<c>spec.template.metadata</c>).</param>
internal readonly record struct ManifestPodSite(PodTemplateSite Site, YamlMappingNode SpecNode, string MetadataPath);

/// <summary>One entry of a document: an object node (perhaps not a mapping), or the <c>items</c> of a List that is not a sequence.</summary>
/// <param name="Node">The node.</param>
/// <param name="DocumentIndex">The YAML document (1-based).</param>
/// <param name="BadItemsOf">The List's kind when <paramref name="Node"/> is its <c>items</c> value and that is not a sequence.</param>
internal readonly record struct ManifestEntry(YamlNode Node, int DocumentIndex, string? BadItemsOf = null);

/// <summary>
/// The one way from YAML documents to objects and models, shared by <see cref="SandboxManifest.Read(string, string)"/>, the
/// linter, the fixer and the CLI: List items are expanded at any depth (kubectl flattens nested Lists), each object's model type
/// comes from its apiVersion and kind, and binding goes through <see cref="YamlModelBinder"/>.
/// </summary>
internal static class ManifestObjects
{
    private static readonly Lazy<IReadOnlyDictionary<string, Type>> s_types = new(BuildTypeMap);

    /// <summary>
    /// The current apiVersion/kind of each pod-bearing model, the entries of the full map the linter needs: a file of workloads is
    /// bound without listing every KubernetesClient type (which costs a native executable's start-up a scan of its metadata).
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, Type> PodModelTypes = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["v1/Pod"] = typeof(V1Pod),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["apps/v1/StatefulSet"] = typeof(V1StatefulSet),
        ["apps/v1/DaemonSet"] = typeof(V1DaemonSet),
        ["apps/v1/ReplicaSet"] = typeof(V1ReplicaSet),
        ["v1/ReplicationController"] = typeof(V1ReplicationController),
        ["batch/v1/Job"] = typeof(V1Job),
        ["batch/v1/CronJob"] = typeof(V1CronJob),
        ["v1/PodTemplate"] = typeof(V1PodTemplate),
    };

    /// <summary>The objects of one document, List items expanded, in order. An empty document gives nothing.</summary>
    public static void Enumerate(YamlNode? root, int documentIndex, List<ManifestEntry> result)
    {
        if (root is null or YamlScalarNode { Value: null or "" })
        {
            return; // an empty document, such as a trailing '---'
        }

        if (root is YamlMappingNode mapping && ScalarValue(mapping, "kind") is { } kind && kind.EndsWith("List", StringComparison.Ordinal)
            && Child(mapping, "items") is { } items)
        {
            switch (items)
            {
                case YamlSequenceNode sequence:
                    foreach (var item in sequence.Children)
                    {
                        Enumerate(item, documentIndex, result); // a List inside a List is flattened too, as kubectl does
                    }

                    return;
                case YamlScalarNode scalar when YamlModelBinder.IsNull(scalar):
                    return;
                default:
                    result.Add(new ManifestEntry(items, documentIndex, kind));
                    return;
            }
        }

        result.Add(new ManifestEntry(root, documentIndex));
    }

    /// <summary>Adds the pod-bearing objects of one document (the document itself, or the items of its Lists) to <paramref name="result"/>.</summary>
    public static void FindPodObjects(YamlDocument document, int documentIndex, List<ManifestPodObject> result) =>
        FindPodObjects(document, documentIndex, PodTemplateRegistry.Default, result);

    /// <summary>
    /// Kinds that embed whole objects of other kinds, and where: Kueue's AppWrapper (project-codeflare/appwrapper
    /// api/v1beta2/appwrapper_types.go at c47080ecafbf3e653540460f0c44d3977882f2ba) wraps any workload in
    /// <c>spec.components[*].template</c>. The linter and the fixer check each embedded object as the object it is (a wrapped
    /// Deployment is a Deployment), since the pod spec path depends on the embedded kind, not on the wrapper.
    /// </summary>
    private static readonly (string Group, string Kind, string List, string Item)[] s_wrappers =
    [
        ("workload.codeflare.dev", "AppWrapper", "components", "template"),
    ];

    /// <summary>True for a kind that embeds whole objects (<see cref="s_wrappers"/>), whose objects are checked instead.</summary>
    public static bool IsWrapper(string group, string kind) => s_wrappers.Any(w => w.Group == group && w.Kind == kind);

    /// <summary>The objects of one document: List items and the objects wrappers embed (an AppWrapper's components) expanded, in order.</summary>
    public static List<ManifestEntry> Objects(YamlDocument document, int documentIndex)
    {
        var entries = new List<ManifestEntry>();
        Enumerate(document.RootNode, documentIndex, entries);
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i].BadItemsOf is null && entries[i].Node is YamlMappingNode node && ScalarValue(node, "kind") is { } kind
                && PodTemplateRegistry.GroupOf(ScalarValue(node, "apiVersion")) is { } group
                && s_wrappers.FirstOrDefault(w => w.Group == group && w.Kind == kind) is { List: not null } wrapper
                && Child(node, "spec") is YamlMappingNode spec && Child(spec, wrapper.List) is YamlSequenceNode components)
            {
                foreach (var component in components.Children.OfType<YamlMappingNode>())
                {
                    if (Child(component, wrapper.Item) is { } embedded)
                    {
                        Enumerate(embedded, documentIndex, entries);
                    }
                }
            }
        }

        return entries;
    }

    /// <summary>Adds the objects of one document whose kind is in <paramref name="registry"/> to <paramref name="result"/>.</summary>
    public static void FindPodObjects(YamlDocument document, int documentIndex, PodTemplateRegistry registry, List<ManifestPodObject> result)
    {
        foreach (var entry in Objects(document, documentIndex))
        {
            if (entry.BadItemsOf is null && entry.Node is YamlMappingNode node && ScalarValue(node, "kind") is { } kind
                && registry.Find(ScalarValue(node, "apiVersion"), kind) is { } known)
            {
                result.Add(new ManifestPodObject(node, kind, known, documentIndex));
            }

            // other kinds and non-Kubernetes YAML are skipped quietly
        }
    }

    /// <summary>
    /// The model type of an object: the KubernetesClient model of its apiVersion and kind; for a pod-bearing kind of another
    /// version (<c>apps/v1beta2</c>, …) the current model of that kind, whose pod spec is the same; else null.
    /// </summary>
    public static Type? ModelType(string? apiVersion, string? kind)
    {
        if (string.IsNullOrEmpty(kind))
        {
            return null;
        }

        if (apiVersion is not null && (PodModelTypes.TryGetValue(apiVersion + "/" + kind, out var type) || s_types.Value.TryGetValue(apiVersion + "/" + kind, out type)))
        {
            return type;
        }

        // A kind of another group that happens to share a built-in name (example.com/v1 Job) is a custom resource.
        return PodTemplateRegistry.GroupOf(apiVersion) is { } group && !PodTemplateRegistry.IsBuiltInGroup(group)
            ? null
            : s_podModelsByKind.GetValueOrDefault(kind);
    }

    /// <summary>The pod-bearing models by kind alone, from <see cref="PodModelTypes"/>: an older version reads as the current model.</summary>
    private static readonly Dictionary<string, Type> s_podModelsByKind =
        PodModelTypes.ToDictionary(e => e.Key[(e.Key.LastIndexOf('/') + 1)..], e => e.Value, StringComparer.Ordinal);

    /// <summary>Binds an object's node onto its model (see <see cref="ModelType"/>).</summary>
    /// <exception cref="ManifestException">The node is not an object (no apiVersion or kind), or a value does not fit the model.
    /// A kind without a model becomes an <see cref="UnstructuredObject"/>.</exception>
    /// <param name="node">The object's node.</param>
    /// <param name="source">The file name for problems.</param>
    /// <param name="documentIndex">The YAML document (1-based).</param>
    /// <param name="skipTemplatedQuantities">Leave out quantities that are unrendered template expressions (lint and fix report them).</param>
    public static IKubernetesObject Bind(YamlNode node, string source, int documentIndex, bool skipTemplatedQuantities = false)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Problem(source, documentIndex, node, "expected a Kubernetes object (a mapping with apiVersion and kind)");
        }

        var apiVersion = ScalarValue(mapping, "apiVersion");
        var kind = ScalarValue(mapping, "kind");
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            throw Problem(source, documentIndex, node, "the object has no apiVersion or no kind");
        }

        var type = ModelType(apiVersion, kind);
        try
        {
            if (type is null)
            {
                // A custom resource or another kind without a model: a generic object that writes back as it was read.
                var metadata = Child(mapping, "metadata") is { } meta ? (V1ObjectMeta?)YamlModelBinder.Bind(meta, typeof(V1ObjectMeta)) : null;
                return UnstructuredYaml.FromNode(mapping, apiVersion, kind, metadata);
            }

            return (IKubernetesObject)YamlModelBinder.Bind(mapping, type, skipTemplatedQuantities)!;
        }
        catch (YamlBindingError e)
        {
            var name = Child(mapping, "metadata") is YamlMappingNode meta ? ScalarValue(meta, "name") ?? "" : "";
            throw new ManifestException(BindingProblem(e, source, documentIndex, $"{kind} '{name}' does not match the {apiVersion} {kind} schema"), e);
        }
    }

    /// <summary>
    /// Where and why a value does not fit its model: an unrendered template gets the Helm hint, anything else
    /// <paramref name="mismatch"/> and the binder's reason. One wording for whole objects and for custom resources' pod specs.
    /// </summary>
    internal static ManifestProblem BindingProblem(YamlBindingError e, string source, int documentIndex, string mismatch)
    {
        var message = YamlModelBinder.IsTemplateShaped(e.Node)
            ? $"this looks like an unrendered Helm or Go template ('{{{{ … }}}}'), not a Kubernetes value; {ManifestParser.HelmHint}"
            : $"{mismatch}: {e.Message}";
        return new ManifestProblem(source, (int)e.Node.Start.Line, (int)e.Node.Start.Column, message, documentIndex);
    }

    /// <summary>The value of <paramref name="key"/> (merge keys applied), or null.</summary>
    public static YamlNode? Child(YamlMappingNode mapping, string key) => YamlMaps.Child(mapping, key);

    /// <summary>The scalar value of <paramref name="key"/> (merge keys applied), or null.</summary>
    public static string? ScalarValue(YamlMappingNode mapping, string key) => YamlMaps.ScalarValue(mapping, key);

    private static ManifestException Problem(string source, int document, YamlNode node, string problem) =>
        new(new ManifestProblem(source, (int)node.Start.Line, (int)node.Start.Column, problem, document));

    /// <summary>apiVersion/kind to model type, from the KubeApiVersion/KubeGroup/KubeKind constants of KubernetesClient's models.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only KubernetesClient models, whose namespace (k8s.Models) a trimmed or native app must root whole (the native sandboxing does: src/Sandboxing.Cli/NativeCli.Roots.xml, see docs/cli.md): every model type is kept.")]
    [UnconditionalSuppressMessage("Trimming", "IL2065", Justification = "Only KubernetesClient models, whose namespace (k8s.Models) a trimmed or native app must root whole (the native sandboxing does: src/Sandboxing.Cli/NativeCli.Roots.xml, see docs/cli.md): their KubeKind, KubeApiVersion and KubeGroup constants are kept.")]
    private static IReadOnlyDictionary<string, Type> BuildTypeMap()
    {
        var map = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in typeof(V1Pod).Assembly.GetExportedTypes())
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
