using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Sandboxing.Sdk.Cluster;

/// <summary>The kinds server-side apply supports, and the client call that applies each.</summary>
internal static class ApplyKinds
{
    /// <summary>One supported kind.</summary>
    /// <param name="Name">The kind name.</param>
    /// <param name="Namespaced">Whether objects of the kind live in a namespace.</param>
    /// <param name="Order">Apply order within a batch: namespaces and cluster-wide definitions before workloads.</param>
    /// <param name="Apply">Sends the patch: (client, patch, name, namespace, dryRun, fieldManager, fieldValidation, force, token).</param>
    internal sealed record Kind(
        string Name, bool Namespaced, int Order,
        Func<IKubernetes, V1Patch, string, string?, string?, string, string, bool, CancellationToken, Task<object>> Apply);

    private static readonly Dictionary<Type, Kind> s_kinds = new()
    {
        [typeof(V1Namespace)] = new("Namespace", false, 0, async (c, p, n, _, d, m, v, f, t) =>
            (await c.CoreV1.PatchNamespaceWithHttpMessagesAsync(p, n, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1RuntimeClass)] = new("RuntimeClass", false, 1, async (c, p, n, _, d, m, v, f, t) =>
            (await c.NodeV1.PatchRuntimeClassWithHttpMessagesAsync(p, n, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1ValidatingAdmissionPolicy)] = new("ValidatingAdmissionPolicy", false, 2, async (c, p, n, _, d, m, v, f, t) =>
            (await c.AdmissionregistrationV1.PatchValidatingAdmissionPolicyWithHttpMessagesAsync(p, n, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1ValidatingAdmissionPolicyBinding)] = new("ValidatingAdmissionPolicyBinding", false, 3, async (c, p, n, _, d, m, v, f, t) =>
            (await c.AdmissionregistrationV1.PatchValidatingAdmissionPolicyBindingWithHttpMessagesAsync(p, n, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1MutatingAdmissionPolicy)] = new("MutatingAdmissionPolicy", false, 2, async (c, p, n, _, d, m, v, f, t) =>
            (await c.AdmissionregistrationV1.PatchMutatingAdmissionPolicyWithHttpMessagesAsync(p, n, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1MutatingAdmissionPolicyBinding)] = new("MutatingAdmissionPolicyBinding", false, 3, async (c, p, n, _, d, m, v, f, t) =>
            (await c.AdmissionregistrationV1.PatchMutatingAdmissionPolicyBindingWithHttpMessagesAsync(p, n, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1beta1MutatingAdmissionPolicy)] = new("MutatingAdmissionPolicy", false, 2, async (c, p, n, _, d, m, v, f, t) =>
            (await c.AdmissionregistrationV1beta1.PatchMutatingAdmissionPolicyWithHttpMessagesAsync(p, n, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1beta1MutatingAdmissionPolicyBinding)] = new("MutatingAdmissionPolicyBinding", false, 3, async (c, p, n, _, d, m, v, f, t) =>
            (await c.AdmissionregistrationV1beta1.PatchMutatingAdmissionPolicyBindingWithHttpMessagesAsync(p, n, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1ConfigMap)] = new("ConfigMap", true, 4, async (c, p, n, ns, d, m, v, f, t) =>
            (await c.CoreV1.PatchNamespacedConfigMapWithHttpMessagesAsync(p, n, ns!, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1Pod)] = new("Pod", true, 10, async (c, p, n, ns, d, m, v, f, t) =>
            (await c.CoreV1.PatchNamespacedPodWithHttpMessagesAsync(p, n, ns!, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1Deployment)] = new("Deployment", true, 10, async (c, p, n, ns, d, m, v, f, t) =>
            (await c.AppsV1.PatchNamespacedDeploymentWithHttpMessagesAsync(p, n, ns!, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1StatefulSet)] = new("StatefulSet", true, 10, async (c, p, n, ns, d, m, v, f, t) =>
            (await c.AppsV1.PatchNamespacedStatefulSetWithHttpMessagesAsync(p, n, ns!, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1DaemonSet)] = new("DaemonSet", true, 10, async (c, p, n, ns, d, m, v, f, t) =>
            (await c.AppsV1.PatchNamespacedDaemonSetWithHttpMessagesAsync(p, n, ns!, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1ReplicaSet)] = new("ReplicaSet", true, 10, async (c, p, n, ns, d, m, v, f, t) =>
            (await c.AppsV1.PatchNamespacedReplicaSetWithHttpMessagesAsync(p, n, ns!, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1Job)] = new("Job", true, 10, async (c, p, n, ns, d, m, v, f, t) =>
            (await c.BatchV1.PatchNamespacedJobWithHttpMessagesAsync(p, n, ns!, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
        [typeof(V1CronJob)] = new("CronJob", true, 10, async (c, p, n, ns, d, m, v, f, t) =>
            (await c.BatchV1.PatchNamespacedCronJobWithHttpMessagesAsync(p, n, ns!, d, m, v, f, null, null, t).ConfigureAwait(false)).Detach()),
    };

    /// <summary>The names of the supported kinds, for messages and docs.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. s_kinds.Values.OrderBy(k => k.Order).Select(k => k.Name).Distinct(StringComparer.Ordinal), "the custom resources of PodTemplateRegistry.Default"];

    public static Kind? Find(Type type) => s_kinds.TryGetValue(type, out var kind) ? kind : null;

    /// <summary>The kind of an object: its model's, or for an <see cref="UnstructuredObject"/> a custom resource of the registry.</summary>
    public static Kind? Find(IKubernetesObject obj)
    {
        if (obj is not UnstructuredObject unstructured)
        {
            return Find(obj.GetType());
        }

        if (PodTemplateRegistry.Default.Find(unstructured.ApiVersion, unstructured.Kind) is not { IsBuiltIn: false } known)
        {
            return null;
        }

        // Every custom resource of the registry is namespaced; it is applied through the custom objects API of its group.
        var version = unstructured.ApiVersion[(unstructured.ApiVersion.LastIndexOf('/') + 1)..];
        return new Kind(known.Kind, true, 10, async (c, p, n, ns, d, m, v, f, t) =>
        {
            using var response = await c.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync(p, known.Group, version, ns!, known.Resource, n, d, m, v, f, null, t).ConfigureAwait(false);
            // The custom objects API answers untyped JSON (a JsonElement).
            var json = response.Body switch { JsonElement element => element.GetRawText(), string text => text, var other => KubernetesJson.Serialize(other) };
            return UnstructuredPods.FromJson(JsonNode.Parse(json)!.AsObject());
        });
    }

    /// <summary>Takes the body out of a response and disposes of the response (its HTTP message).</summary>
    private static object Detach<T>(this HttpOperationResponse<T> response)
    {
        using (response)
        {
            return response.Body!;
        }
    }
}
