using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Cluster;

// Decides whether a listed object is covered by a reported controller, so the audit reports each problem once at its owner.
// Anyone who may create a pod may write any owner reference into it, so a reference alone proves nothing: an object counts as
// covered only when its controller was listed in the same audit (owners are listed first), the reference names that
// controller's kind, name and uid, the kind is one that controls such objects, and the object's spec is the controller's pod
// template (apart from the fields the control plane fills in on pods, and the defaults admission gives what the template left
// open). Otherwise it is validated as if it had no owner, and
// its findings say why the reference did not count.
internal sealed class AuditOwnership
{
    // The kinds that control each audited kind (a Deployment's pods belong to its ReplicaSets, a CronJob's to its Jobs).
    private static readonly Dictionary<string, string[]> s_controllers = new(StringComparer.Ordinal)
    {
        ["Pod"] = ["ReplicaSet", "StatefulSet", "DaemonSet", "Job"],
        ["ReplicaSet"] = ["Deployment"],
        ["Job"] = ["CronJob"],
    };

    // Pod spec fields the scheduler, the controllers and the built-in admission plugins set on pods and not on templates
    // (node binding, RuntimeClass scheduling and overhead, default tolerations, priority, StatefulSet identity). None of them
    // chooses the runtime class or what the containers run.
    private static readonly string[] s_filledOnPods =
    [
        "nodeName", "serviceAccount", "priority", "preemptionPolicy", "overhead", "enableServiceLinks", "tolerations",
        "nodeSelector", "affinity", "schedulerName", "hostname", "subdomain", "schedulingGates",
    ];

    private readonly Dictionary<string, Listed> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Kind, string Name), Listed> _byName = [];
    private readonly Dictionary<object, Listed> _byItem = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Records <paramref name="item"/> as listed and returns whether it is covered by a reported controller (skip it), and when
    /// its controller reference would have covered it but did not match, why (to append to its findings).
    /// </summary>
    public (bool Covered, string? Mismatch) Judge(IKubernetesObject<V1ObjectMeta> item, string kind, string ns)
    {
        var meta = item.Metadata;
        var listed = new Listed(item, kind, ns);
        if (meta.Uid is { } uid)
        {
            _byUid[uid] = listed;
        }

        _byName[(ns, kind, meta.Name)] = listed;
        _byItem[item] = listed;
        var reference = meta.OwnerReferences?.FirstOrDefault(o => o?.Controller == true);
        if (reference is null)
        {
            return (false, null);
        }

        var byName = reference.Kind is null || reference.Name is null ? null : _byName.GetValueOrDefault((ns, reference.Kind, reference.Name));
        var byUid = reference.Uid is null ? null : _byUid.GetValueOrDefault(reference.Uid);
        if (byName?.Covered != true && !(byUid is { Covered: true } && byUid.Namespace == ns))
        {
            return (false, null); // no reported owner to hide behind: validated on its own, nothing to explain
        }

        string named = $"{reference.Kind} {reference.Name}";
        string? mismatch =
            !s_controllers.TryGetValue(kind, out var controllers) || !controllers.Contains(reference.Kind, StringComparer.Ordinal)
                ? $"its controller reference names {named}, and a {reference.Kind} does not control {kind}s" +
                  (controllers is null ? "" : $" (their controllers are {string.Join(", ", controllers)})")
            : byName is null
                ? $"its controller reference names {named}, which the audit did not list" +
                  (byUid is null ? "" : $" (the reference's uid is {byUid.Kind} {byUid.Item.Metadata.Name}'s)")
            : !string.Equals(Group(reference.ApiVersion), Group(byName.Item.ApiVersion), StringComparison.Ordinal)
                ? $"its controller reference names {named} in apiVersion {reference.ApiVersion}, and the listed {named} is {byName.Item.ApiVersion}"
            : !string.Equals(reference.Uid, byName.Item.Metadata.Uid, StringComparison.Ordinal)
                ? $"its controller reference names {named} with uid {reference.Uid}, and the listed {named} has uid {byName.Item.Metadata.Uid}"
            : TemplateDifference(item, byName.Item) is { } field
                ? $"its spec is not the pod template of {named} ({field} differs)"
            : null;
        if (mismatch is null)
        {
            Cover(item);
            return (true, null);
        }

        return (false, $"It was not taken as covered by its controller: {mismatch}.");
    }

    /// <summary>Marks a listed object as reported (or covered), so what it controls may be covered by it.</summary>
    public void Cover(IKubernetesObject<V1ObjectMeta> item)
    {
        if (_byItem.TryGetValue(item, out var listed))
        {
            listed.Covered = true;
        }
    }

    private static string Group(string? apiVersion) =>
        apiVersion is null ? "" : apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";

    // The first field where the object's pod spec differs from its owner's template, or null when they are the same.
    private static string? TemplateDifference(IKubernetesObject<V1ObjectMeta> item, IKubernetesObject<V1ObjectMeta> owner)
    {
        var (spec, prefix) = item switch
        {
            V1Pod pod => ((object?)pod.Spec, "spec"),
            V1ReplicaSet rs => (rs.Spec?.Template?.Spec, "spec.template.spec"),
            V1Job job => (job.Spec?.Template?.Spec, "spec.template.spec"),
            _ => (null, "spec"),
        };
        var template = owner switch
        {
            V1Deployment d => d.Spec?.Template?.Spec,
            V1ReplicaSet rs => rs.Spec?.Template?.Spec,
            V1StatefulSet ss => ss.Spec?.Template?.Spec,
            V1DaemonSet ds => ds.Spec?.Template?.Spec,
            V1Job job => job.Spec?.Template?.Spec,
            V1CronJob cj => cj.Spec?.JobTemplate?.Spec?.Template?.Spec,
            _ => null,
        };
        if (spec is null || template is null)
        {
            return spec is null && template is null ? null : prefix;
        }

        var actual = JsonNode.Parse(KubernetesJson.Serialize(spec))!.AsObject();
        var expected = JsonNode.Parse(KubernetesJson.Serialize(template))!.AsObject();
        if (item is V1Pod)
        {
            var claims = (owner as V1StatefulSet)?.Spec?.VolumeClaimTemplates?.Select(c => c.Metadata?.Name).OfType<string>() ?? [];
            WithoutControlPlaneFields(actual, [.. claims]);
            WithoutControlPlaneFields(expected, [.. claims]);
            WithoutDefaultsTheTemplateLeftOpen(actual, expected);
        }

        return FirstDifference(actual, expected, prefix);
    }

    // Drops what the control plane adds to a pod: the fields above, the service account token volume (kube-api-access-*) with
    // its mounts, and a StatefulSet's claim volumes.
    private static void WithoutControlPlaneFields(JsonObject spec, string[] claims)
    {
        foreach (var field in s_filledOnPods)
        {
            spec.Remove(field);
        }

        if (spec["volumes"] is JsonArray volumes)
        {
            foreach (var volume in volumes.OfType<JsonObject>().Where(v => IsAdded(v["name"]?.GetValue<string>(), v, claims)).ToList())
            {
                volumes.Remove(volume);
            }

            if (volumes.Count == 0)
            {
                spec.Remove("volumes");
            }
        }

        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (spec[list] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                if (container["volumeMounts"] is not JsonArray mounts)
                {
                    continue;
                }

                foreach (var mount in mounts.OfType<JsonObject>().Where(m => m["name"]?.GetValue<string>() is { } n && n.StartsWith("kube-api-access-", StringComparison.Ordinal)).ToList())
                {
                    mounts.Remove(mount);
                }

                if (mounts.Count == 0)
                {
                    container.Remove("volumeMounts");
                }
            }
        }
    }

    // Admission fills in what a template leaves open: the ServiceAccount plugin names "default", the Priority plugin a global
    // default PriorityClass, the LimitRanger plugin a container's resources from the namespace's LimitRange.
    private static void WithoutDefaultsTheTemplateLeftOpen(JsonObject actual, JsonObject expected)
    {
        foreach (var field in new[] { "serviceAccountName", "priorityClassName" })
        {
            if (expected[field] is null)
            {
                actual.Remove(field);
            }
        }

        foreach (var list in new[] { "containers", "initContainers" })
        {
            var templateContainers = (expected[list] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            foreach (var container in (actual[list] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var template = templateContainers.FirstOrDefault(t => JsonNode.DeepEquals(t["name"], container["name"]));
                if (template is not null && (template["resources"] is not JsonObject resources || resources.Count == 0))
                {
                    container.Remove("resources");
                    template.Remove("resources");
                }
            }
        }
    }

    private static bool IsAdded(string? name, JsonObject volume, string[] claims) =>
        name is not null
        && (name.StartsWith("kube-api-access-", StringComparison.Ordinal) && volume["projected"] is not null
            || claims.Contains(name, StringComparer.Ordinal) && volume["persistentVolumeClaim"] is not null);

    private static string? FirstDifference(JsonNode? actual, JsonNode? expected, string path)
    {
        switch (actual, expected)
        {
            case (JsonObject a, JsonObject e):
                foreach (string key in a.Select(p => p.Key).Union(e.Select(p => p.Key), StringComparer.Ordinal).Order(StringComparer.Ordinal))
                {
                    if (FirstDifference(a[key], e[key], $"{path}.{key}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case (JsonArray a, JsonArray e):
                for (int i = 0; i < Math.Max(a.Count, e.Count); i++)
                {
                    if (FirstDifference(i < a.Count ? a[i] : null, i < e.Count ? e[i] : null, $"{path}[{i}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(actual, expected) ? null : path;
        }
    }

    private sealed class Listed(IKubernetesObject<V1ObjectMeta> item, string kind, string ns)
    {
        public IKubernetesObject<V1ObjectMeta> Item { get; } = item;

        public string Kind { get; } = kind;

        public string Namespace { get; } = ns;

        public bool Covered { get; set; }
    }
}
