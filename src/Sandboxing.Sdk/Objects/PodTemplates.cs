using System.Diagnostics.CodeAnalysis;
using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// One pod template found inside a Kubernetes object: the object that owns it, the template's metadata and spec, and the field
/// path of the spec (<c>spec.template.spec</c>, <c>spec.jobTemplate.spec.template.spec</c>, …).
/// </summary>
public sealed class PodTemplateSite
{
    internal PodTemplateSite(IKubernetesObject<V1ObjectMeta> owner, V1ObjectMeta? templateMetadata, V1PodSpec spec, string specPath, int? replicas = null)
    {
        Owner = owner;
        TemplateMetadata = templateMetadata;
        Spec = spec;
        SpecPath = specPath;
        Replicas = replicas;
    }

    /// <summary>The top-level object (Deployment, CronJob, Pod, …).</summary>
    public IKubernetesObject<V1ObjectMeta> Owner { get; }

    /// <summary>The pod template's metadata (for a Pod, the Pod's own metadata); may be null.</summary>
    public V1ObjectMeta? TemplateMetadata { get; }

    /// <summary>The pod spec.</summary>
    public V1PodSpec Spec { get; }

    /// <summary>Where <see cref="Spec"/> is within <see cref="Owner"/>.</summary>
    public string SpecPath { get; }

    /// <summary>The owner's kind (from the object, or from its CLR type when <c>kind</c> is unset).</summary>
    public string Kind => PodTemplates.KindOf(Owner);

    /// <summary>The owner's namespace, or null.</summary>
    public string? Namespace => Owner.Metadata?.NamespaceProperty;

    /// <summary>The owner's name, or null.</summary>
    public string? Name => Owner.Metadata?.Name;

    /// <summary>"Kind namespace/name", as messages show the object.</summary>
    public string Describe() => PodTemplates.Describe(Owner);

    /// <summary>True for a DaemonSet: one pod on every node it may run on, rather than a count.</summary>
    public bool RunsOnEveryNode => Owner is V1DaemonSet;

    /// <summary>The pod count read from a custom resource's replicas field (see <see cref="PodTemplateKind.Replicas"/>); null for typed models.</summary>
    internal int? Replicas { get; }

    /// <summary>
    /// How many pods of this template run at once: replicas (default 1) for Deployments, StatefulSets, ReplicaSets and
    /// ReplicationControllers; the smaller of parallelism and completions for a Job or a CronJob run; 1 for a Pod or a DaemonSet
    /// (per node, see <see cref="RunsOnEveryNode"/>); 0 for a PodTemplate, which runs nothing by itself. For a custom resource, the
    /// field its registry entry names (<see cref="PodTemplateKind.Replicas"/>), else that entry's default.
    /// </summary>
    public int PodsAtOnce => Replicas ?? Owner switch
    {
        V1Deployment d => d.Spec?.Replicas ?? 1,
        V1StatefulSet s => s.Spec?.Replicas ?? 1,
        V1ReplicaSet r => r.Spec?.Replicas ?? 1,
        V1ReplicationController rc => rc.Spec?.Replicas ?? 1,
        V1Job j => Math.Min(j.Spec?.Parallelism ?? 1, j.Spec?.Completions ?? int.MaxValue),
        V1CronJob cj => Math.Min(cj.Spec?.JobTemplate?.Spec?.Parallelism ?? 1, cj.Spec?.JobTemplate?.Spec?.Completions ?? int.MaxValue),
        V1PodTemplate => 0,
        _ => 1,
    };
}

/// <summary>
/// The one visitor over pod templates: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob
/// and PodTemplate, their typed lists (<c>V1DeploymentList</c>, …), <see cref="UnstructuredObject"/>s of the custom resources in
/// the <see cref="PodTemplateRegistry"/> (every pod spec of each), and any <see cref="System.Collections.IEnumerable"/> of them.
/// Each template is visited exactly once, even when the same object appears twice in a collection. Objects of other kinds hold no
/// pod template and are skipped. Changes a visitor makes to a custom resource's <see cref="PodTemplateSite.Spec"/> are written
/// back into the object when the visitor returns.
/// </summary>
public static class PodTemplates
{
    /// <summary>The built-in kinds that carry a pod template (custom resources: <see cref="PodTemplateRegistry.Default"/>).</summary>
    public static IReadOnlyList<string> PodBearingKinds { get; } = PodTemplateRegistry.BuiltIn.Kinds.Select(k => k.Kind).ToArray();

    /// <summary>The field path of the pod spec inside an object of a built-in pod-bearing kind; null for other kinds.</summary>
    /// <param name="kind">A kind such as <c>Deployment</c> or <c>CronJob</c> (case-sensitive, as Kubernetes kinds are).</param>
    /// <returns><c>spec</c> for a Pod, <c>spec.jobTemplate.spec.template.spec</c> for a CronJob, <c>template.spec</c> for a
    /// PodTemplate, <c>spec.template.spec</c> for the other workload kinds.</returns>
    public static string? SpecPathOf(string? kind) => PodTemplateRegistry.BuiltIn.Find(null, kind)?.Paths[0].Spec;

    // The typed models' paths, from the one table.
    private static readonly string PodPath = SpecPathOf("Pod")!;
    private static readonly string TemplateSpecPath = SpecPathOf("Deployment")!;
    private static readonly string CronJobSpecPath = SpecPathOf("CronJob")!;
    private static readonly string PodTemplateSpecPath = SpecPathOf("PodTemplate")!;

    /// <summary>Gets the pod template of a single object, without looking into lists.</summary>
    /// <remarks>
    /// For an <see cref="UnstructuredObject"/> this is its first pod spec, read into a detached model: changes to it are not
    /// written back (use <see cref="Visit(object?, Action{PodTemplateSite})"/>), and a custom resource may have more than one.
    /// </remarks>
    /// <returns>False when the object carries no pod template, or its template has no spec.</returns>
    /// <exception cref="SandboxException">A custom resource's pod spec does not fit the PodSpec model.</exception>
    public static bool TryGet(object? obj, [NotNullWhen(true)] out PodTemplateSite? site)
    {
        site = default;
        if (obj is UnstructuredObject unstructured)
        {
            var sites = UnstructuredPods.Sites(unstructured, PodTemplateRegistry.Default);
            if (sites.Count == 0)
            {
                return false;
            }

            site = sites[0].Site;
            return true;
        }

        V1PodTemplateSpec? template;
        string path;
        IKubernetesObject<V1ObjectMeta> owner;
        switch (obj)
        {
            case V1Pod pod:
                if (pod.Spec is null)
                {
                    return false;
                }

                site = new PodTemplateSite(pod, pod.Metadata, pod.Spec, PodPath);
                return true;
            case V1Deployment d: owner = d; template = d.Spec?.Template; path = TemplateSpecPath; break;
            case V1StatefulSet s: owner = s; template = s.Spec?.Template; path = TemplateSpecPath; break;
            case V1DaemonSet ds: owner = ds; template = ds.Spec?.Template; path = TemplateSpecPath; break;
            case V1ReplicaSet rs: owner = rs; template = rs.Spec?.Template; path = TemplateSpecPath; break;
            case V1ReplicationController rc: owner = rc; template = rc.Spec?.Template; path = TemplateSpecPath; break;
            case V1Job j: owner = j; template = j.Spec?.Template; path = TemplateSpecPath; break;
            case V1CronJob cj: owner = cj; template = cj.Spec?.JobTemplate?.Spec?.Template; path = CronJobSpecPath; break;
            case V1PodTemplate pt: owner = pt; template = pt.Template; path = PodTemplateSpecPath; break;
            default: return false;
        }

        if (template?.Spec is null)
        {
            return false;
        }

        site = new PodTemplateSite(owner, template.Metadata, template.Spec, path);
        return true;
    }

    /// <summary>Calls <paramref name="visit"/> once for every pod template in <paramref name="root"/> (an object, a list or a collection).</summary>
    /// <exception cref="SandboxException">A custom resource's pod spec does not fit the PodSpec model.</exception>
    public static void Visit(object? root, Action<PodTemplateSite> visit) => Visit(root, PodTemplateRegistry.Default, visit);

    /// <summary>
    /// Calls <paramref name="visit"/> once for every pod template in <paramref name="root"/>, reading custom resources with
    /// <paramref name="registry"/> (your own kinds added to <see cref="PodTemplateRegistry.Default"/>).
    /// </summary>
    /// <exception cref="SandboxException">A custom resource's pod spec does not fit the PodSpec model.</exception>
    public static void Visit(object? root, PodTemplateRegistry registry, Action<PodTemplateSite> visit) => Visit(root, registry, visit, writeBack: true);

    /// <summary>The visit; <paramref name="writeBack"/> false skips comparing and writing back custom resources' specs (readers only).</summary>
    internal static void Visit(object? root, PodTemplateRegistry registry, Action<PodTemplateSite> visit, bool writeBack)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(visit);
        if (root is UnstructuredObject unstructured)
        {
            UnstructuredPods.Visit(unstructured, registry, visit, writeBack);
            return;
        }

        if (TryGet(root, out var single))
        {
            visit(single);
            return;
        }

        if (root is null or string)
        {
            return;
        }

        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        VisitMany(root, registry, visit, writeBack, seen);
    }

    /// <summary>Every pod template in <paramref name="root"/>, in order (for custom resources, detached copies: see <see cref="TryGet"/>).</summary>
    /// <exception cref="SandboxException">A custom resource's pod spec does not fit the PodSpec model.</exception>
    public static IReadOnlyList<PodTemplateSite> FindAll(object? root) => FindAll(root, PodTemplateRegistry.Default);

    /// <summary>Every pod template in <paramref name="root"/>, reading custom resources with <paramref name="registry"/>.</summary>
    /// <exception cref="SandboxException">A custom resource's pod spec does not fit the PodSpec model.</exception>
    public static IReadOnlyList<PodTemplateSite> FindAll(object? root, PodTemplateRegistry registry)
    {
        var sites = new List<PodTemplateSite>();
        Visit(root, registry, sites.Add, writeBack: false); // detached copies: nothing to write back
        return sites;
    }

    /// <summary>The kind of an object: its <c>kind</c> field, else the model type's <c>KubeKind</c>.</summary>
    public static string KindOf(IKubernetesObject obj) =>
        !string.IsNullOrEmpty(obj.Kind) ? obj.Kind : obj switch
        {
            V1Pod => V1Pod.KubeKind,
            V1Deployment => V1Deployment.KubeKind,
            V1StatefulSet => V1StatefulSet.KubeKind,
            V1DaemonSet => V1DaemonSet.KubeKind,
            V1ReplicaSet => V1ReplicaSet.KubeKind,
            V1ReplicationController => V1ReplicationController.KubeKind,
            V1Job => V1Job.KubeKind,
            V1CronJob => V1CronJob.KubeKind,
            V1PodTemplate => V1PodTemplate.KubeKind,
            _ => obj.GetType().Name.StartsWith("V1", StringComparison.Ordinal) ? obj.GetType().Name[2..] : obj.GetType().Name,
        };

    /// <summary>"Kind namespace/name" (or "Kind name" without a namespace), as findings show an object.</summary>
    public static string Describe(IKubernetesObject<V1ObjectMeta> obj)
    {
        var kind = KindOf(obj);
        var name = string.IsNullOrEmpty(obj.Metadata?.Name) ? "(unnamed)" : obj.Metadata!.Name;
        var ns = obj.Metadata?.NamespaceProperty;
        return string.IsNullOrEmpty(ns) ? $"{kind} {name}" : $"{kind} {ns}/{name}";
    }

    /// <summary>
    /// Visits the templates in a collection of any depth (lists of lists of typed lists, …), in order. It keeps its own stack
    /// of enumerators instead of recursing, so a deeply nested collection cannot overflow the call stack.
    /// </summary>
    private static void VisitMany(object root, PodTemplateRegistry registry, Action<PodTemplateSite> visit, bool writeBack, HashSet<object> seen)
    {
        var stack = new Stack<System.Collections.IEnumerator>();
        object? node = root;
        while (true)
        {
            if (node is not null && seen.Add(node))
            {
                if (node is UnstructuredObject unstructured)
                {
                    UnstructuredPods.Visit(unstructured, registry, visit, writeBack);
                }
                else if (TryGet(node, out var site))
                {
                    visit(site);
                }
                else if (ItemsOf(node) is { } items)
                {
                    stack.Push(items.GetEnumerator());
                }
            }

            node = null;
            while (stack.Count > 0 && node is null)
            {
                var top = stack.Peek();
                if (top.MoveNext())
                {
                    node = top.Current;
                }
                else
                {
                    (stack.Pop() as IDisposable)?.Dispose();
                }
            }

            if (node is null)
            {
                return;
            }
        }
    }

    private static System.Collections.IEnumerable? ItemsOf(object node) => node switch
    {
        V1PodList l => l.Items,
        V1DeploymentList l => l.Items,
        V1StatefulSetList l => l.Items,
        V1DaemonSetList l => l.Items,
        V1ReplicaSetList l => l.Items,
        V1ReplicationControllerList l => l.Items,
        V1JobList l => l.Items,
        V1CronJobList l => l.Items,
        V1PodTemplateList l => l.Items,
        string => null,
        IKubernetesObject => null,
        System.Collections.IDictionary => null,
        System.Collections.IEnumerable e => e,
        _ => null,
    };
}
