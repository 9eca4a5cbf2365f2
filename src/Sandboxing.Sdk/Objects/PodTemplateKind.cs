namespace Sandboxing.Sdk;

/// <summary>
/// Where one pod spec sits inside objects of a <see cref="PodTemplateKind"/> (see its constructor for the path syntax), with where
/// its pods' metadata and replica count are.
/// </summary>
internal sealed class PodSpecPath
{
    /// <summary>A pod spec at <paramref name="spec"/>.</summary>
    /// <param name="spec">The pod spec's path.</param>
    /// <exception cref="ArgumentException">The path is empty, has an empty part, or uses brackets other than <c>[*]</c> after a key.</exception>
    public PodSpecPath(string spec)
    {
        Spec = PodTemplateKind.CheckPath(spec, nameof(spec));
        // A pod template is { metadata, spec }: its metadata sits beside its spec. A path that does not end in "spec" is a
        // pod-spec-like object that carries its own labels and annotations (Spark's driver and executor).
        Metadata = Spec == "spec" ? "metadata"
            : Spec.EndsWith(".spec", StringComparison.Ordinal) ? Spec[..^".spec".Length] + ".metadata"
            : Spec;
    }

    /// <summary>The pod spec's path.</summary>
    public string Spec { get; }

    /// <summary>
    /// The path of the metadata (labels and annotations) of the pods made from this spec. Default: beside the spec
    /// (<c>spec.template.metadata</c> for <c>spec.template.spec</c>); the object's own <c>metadata</c> for a spec at <c>spec</c>.
    /// </summary>
    public string Metadata { get => _metadata; init => _metadata = PodTemplateKind.CheckPath(value, nameof(Metadata)); }

    private string _metadata = "";

    /// <summary>
    /// The path of the number of pods of this spec that run at once (<c>spec.replicas</c>), with the same <c>*</c> parts as
    /// <see cref="Spec"/>; null when the kind has no such field.
    /// </summary>
    public string? Replicas { get => _replicas; init => _replicas = value is null ? null : PodTemplateKind.CheckPath(value, nameof(Replicas)); }

    private string? _replicas;

    /// <summary>How many pods run at once when <see cref="Replicas"/> is unset or missing: 1 by default; 0 for a template that runs nothing by itself.</summary>
    public int DefaultReplicas { get; init; } = 1;

    /// <summary>This path with its replica count read from <paramref name="replicas"/>.</summary>
    public PodSpecPath WithReplicas(string? replicas) => new(Spec) { Metadata = Metadata, Replicas = replicas, DefaultReplicas = DefaultReplicas };

    /// <summary>The path's parts: keys, <c>*</c> (every map value) and <c>[*]</c> (every list item) as parts of their own.</summary>
    internal string[] SpecParts => PodTemplateKind.Parts(Spec);
}

/// <summary>
/// A kind whose objects carry pod specs: its API group and kind, where the specs are, the resource name admission policies
/// match, and what its operator needs before a sandboxed pod starts. <see cref="PodTemplateRegistry.Default"/> lists the
/// built-in kinds and the custom resources the SDK knows; add your own with <see cref="PodTemplateRegistry.With(PodTemplateKind[])"/>.
/// </summary>
public sealed class PodTemplateKind
{
    /// <summary>A kind with one pod spec at each of <paramref name="specPaths"/>, each with where its pods' metadata and count are.</summary>
    internal PodTemplateKind(string group, string kind, string resource, params PodSpecPath[] specPaths)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(resource);
        ArgumentNullException.ThrowIfNull(specPaths);
        if (group.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{group}' is an apiVersion; give the API group alone (for apps/v1: apps; for v1: an empty string).", nameof(group));
        }

        if (specPaths.Length == 0 || specPaths.Any(p => p is null))
        {
            throw new ArgumentException($"{kind} needs at least one pod spec path, such as spec.template.spec.", nameof(specPaths));
        }

        Group = group;
        Kind = kind;
        Resource = resource;
        Paths = specPaths;
    }

    /// <summary>
    /// A kind with one pod spec at each of <paramref name="specPaths"/>. Each spec runs one pod unless <see cref="Replicas"/> names
    /// the field that says how many; the pods' labels and annotations are read beside each spec (<c>spec.template.metadata</c>
    /// for <c>spec.template.spec</c>, the object's own <c>metadata</c> for a spec at <c>spec</c>).
    /// </summary>
    /// <param name="group">The API group (<c>""</c> for the core group, <c>apps</c>, <c>agents.x-k8s.io</c>, …), without a version.</param>
    /// <param name="kind">The kind, as Kubernetes spells it (<c>Rollout</c>).</param>
    /// <param name="resource">The plural resource name (<c>rollouts</c>), as admission policies and RBAC name it.</param>
    /// <param name="specPaths">
    /// The pod specs' field paths, as dotted keys in which <c>*</c> stands for every value of a map and <c>key[*]</c> for every item
    /// of a list: <c>spec.template.spec</c>, <c>spec.pytorchReplicaSpecs.*.template.spec</c>,
    /// <c>spec.replicatedJobs[*].template.spec.template.spec</c>. The admission policies need to know which of the two a field is
    /// (CEL iterates a map by its keys, a list by its items).
    /// </param>
    /// <exception cref="ArgumentException">A name is empty, the group has a version (<c>apps/v1</c>), or a path is malformed.</exception>
    public PodTemplateKind(string group, string kind, string resource, params string[] specPaths)
        : this(group, kind, resource, (specPaths ?? throw new ArgumentNullException(nameof(specPaths))).Select(p => new PodSpecPath(p)).ToArray())
    {
    }

    /// <summary>The API group, without a version (<c>""</c> for the core group).</summary>
    public string Group { get; }

    /// <summary>The kind.</summary>
    public string Kind { get; }

    /// <summary>The plural resource name, as admission policies match it.</summary>
    public string Resource { get; }

    /// <summary>The pod specs' field paths, in the syntax the constructor takes.</summary>
    public IReadOnlyList<string> SpecPaths => Paths.Select(p => p.Spec).ToList();

    /// <summary>
    /// The field path of the number of pods each spec runs at once (<c>spec.replicas</c>), with the same <c>*</c> and
    /// <c>key[*]</c> parts as the spec paths (<c>spec.pytorchReplicaSpecs.*.replicas</c>); null when the kind has no such field
    /// (or, for a built-in entry, its specs read different fields).
    /// </summary>
    /// <exception cref="ArgumentException">The path is malformed.</exception>
    public string? Replicas
    {
        get => Paths.Select(p => p.Replicas).Distinct().Count() == 1 ? Paths[0].Replicas : null;
        init => Paths = Paths.Select(p => p.WithReplicas(value)).ToArray();
    }

    /// <summary>Where the pod specs are, with where their metadata and replica counts are.</summary>
    internal IReadOnlyList<PodSpecPath> Paths { get; private init; }

    /// <summary>The API versions admission policies match; default every version (<c>*</c>).</summary>
    public IReadOnlyList<string> Versions { get; init; } = ["*"];

    /// <summary>What the kind's operator needs before a sandboxed pod starts (a feature flag, a field it copies), or null.</summary>
    public string? Note { get; init; }

    /// <summary>Where the paths come from (the project's API reference).</summary>
    public string? Source { get; init; }

    /// <summary>True for a kind that Kubernetes itself serves (Pod, Deployment, …), which the SDK reads as a typed model.</summary>
    public bool IsBuiltIn => PodTemplateRegistry.IsBuiltInGroup(Group);

    /// <summary>"Kind (group)", as messages show the kind.</summary>
    public override string ToString() => Group.Length == 0 ? Kind : $"{Kind} ({Group})";

    internal static string CheckPath(string path, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, parameter);
        foreach (var part in path.Split('.'))
        {
            var key = part.EndsWith("[*]", StringComparison.Ordinal) ? part[..^3] : part;
            if (key.Length == 0 || key.Trim() != key)
            {
                throw new ArgumentException($"'{path}' has an empty or padded part; write dotted keys such as spec.template.spec.", parameter);
            }

            if (key.Contains('[', StringComparison.Ordinal) || key.Contains(']', StringComparison.Ordinal) || (key.Contains('*', StringComparison.Ordinal) && key != "*"))
            {
                throw new ArgumentException(
                    $"'{path}': '{part}' is not a key, * (every value of a map) or key[*] (every item of a list), as in spec.replicatedJobs[*].template.spec.", parameter);
            }
        }

        return path;
    }

    /// <summary>A path's parts, with <c>key[*]</c> split into <c>key</c> and <c>[*]</c>.</summary>
    internal static string[] Parts(string path) =>
        path.Split('.').SelectMany(p => p.EndsWith("[*]", StringComparison.Ordinal) ? new[] { p[..^3], "[*]" } : [p]).ToArray();
}
