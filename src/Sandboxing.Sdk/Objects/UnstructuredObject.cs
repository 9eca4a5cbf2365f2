using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// An object of a kind KubernetesClient has no model for (a custom resource such as an agent-sandbox <c>Sandbox</c>, an Argo
/// <c>Rollout</c>, a <c>ServiceMonitor</c>): its metadata typed, every other top-level field as plain data (dictionaries in
/// the file's key order, lists, strings, booleans, 64-bit integers, doubles, null), the shape of Kubernetes' unstructured objects.
/// <c>SandboxManifest.Read</c> returns one for each such document and <c>SandboxManifest.ToYaml</c> writes it back. When its
/// kind is in the <see cref="PodTemplateRegistry"/>, the visitor, <c>Sandbox()</c> and the validator reach its pod specs as
/// typed <see cref="V1PodSpec"/>s and write changes back into <see cref="Fields"/>, keeping every field the model does not know.
/// </summary>
public sealed class UnstructuredObject : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Creates an empty object of the given type.</summary>
    /// <param name="apiVersion">The apiVersion, such as <c>agents.x-k8s.io/v1alpha1</c>.</param>
    /// <param name="kind">The kind, such as <c>Sandbox</c>.</param>
    public UnstructuredObject(string apiVersion, string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiVersion);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ApiVersion = apiVersion;
        Kind = kind;
    }

    /// <inheritdoc />
    public string ApiVersion { get; set; }

    /// <inheritdoc />
    public string Kind { get; set; }

    /// <inheritdoc />
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>
    /// The top-level fields other than <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> (<c>spec</c>, <c>data</c>, …), in order.
    /// Nested maps are <see cref="IDictionary{TKey, TValue}"/> of string to object, lists are <see cref="IList{T}"/> of object.
    /// </summary>
    public IDictionary<string, object?> Fields { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>The value at a dotted path of map keys (<c>spec.podTemplate.spec</c>), or null when a part is missing.</summary>
    public object? Get(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        object? node = Fields;
        foreach (var part in path.Split('.'))
        {
            if (node is not IDictionary<string, object?> map || !map.TryGetValue(part, out node))
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>"Kind namespace/name".</summary>
    public override string ToString() => PodTemplates.Describe(this);
}
