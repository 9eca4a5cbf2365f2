using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// kubernetes-sigs/agent-sandbox objects from a pod the builders made: a <c>Sandbox</c> (one agent's stateful, singleton pod) or a
/// <c>SandboxTemplate</c> (what SandboxClaims and SandboxWarmPools create Sandboxes from). Build the pod with
/// <see cref="Sandboxed.Pod(string)"/> (sandboxed and secure by default, validated by <c>Build()</c>), then convert it: its
/// spec becomes <c>spec.podTemplate.spec</c>, its labels and annotations the pods' metadata. <see cref="Template(string)"/> builds a
/// template with a network policy and a warm pool. Everything is written as v1beta1 unless v1alpha1 is asked for.
/// </summary>
/// <example>
/// <code>
/// UnstructuredObject sandbox = Sandboxed.Pod("coder").InNamespace("agents")
///     .WithContainer("coder", "python:3.12-slim", c => c.WithResources(cpu: "1", memory: "1Gi"))
///     .Build()
///     .ToAgentSandbox();
/// </code>
/// </example>
public static class AgentSandboxes
{
    /// <summary>
    /// The <c>Sandbox</c> API version the SDK writes by default: <c>agents.x-k8s.io/v1beta1</c>, the version the CRD stores.
    /// <c>agents.x-k8s.io/v1alpha1</c> is still served but deprecated by the CRD, whose API server warns "agents.x-k8s.io/v1alpha1
    /// Sandbox is deprecated; use agents.x-k8s.io/v1beta1 Sandbox instead"; ask for it only for a cluster whose CRDs predate v1beta1.
    /// </summary>
    public const string SandboxApiVersion = "agents.x-k8s.io/v1beta1";

    /// <summary>
    /// The <c>SandboxTemplate</c> and <c>SandboxWarmPool</c> API version the SDK writes by default:
    /// <c>extensions.agents.x-k8s.io/v1beta1</c>, the version the CRDs store. <c>extensions.agents.x-k8s.io/v1alpha1</c> is still
    /// served but deprecated ("extensions.agents.x-k8s.io/v1alpha1 SandboxTemplate is deprecated; use
    /// extensions.agents.x-k8s.io/v1beta1 SandboxTemplate instead").
    /// </summary>
    public const string TemplateApiVersion = "extensions.agents.x-k8s.io/v1beta1";

    /// <summary>The API server's warning for a deprecated version (from the CRDs' <c>deprecationWarning</c>), or null.</summary>
    internal static string? DeprecationWarning(string apiVersion, string kind)
    {
        if (!apiVersion.EndsWith("/v1alpha1", StringComparison.Ordinal))
        {
            return null;
        }

        var group = PodTemplateRegistry.GroupOf(apiVersion);
        return $"{apiVersion} {kind} is deprecated; use {group}/v1beta1 {kind} instead";
    }

    /// <summary>Refuses a version other than v1beta1 or v1alpha1 of <paramref name="group"/>.</summary>
    internal static void CheckVersion(string apiVersion, string group, string kind, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiVersion, paramName);
        if (apiVersion != $"{group}/v1beta1" && apiVersion != $"{group}/v1alpha1")
        {
            var what = PodTemplateRegistry.GroupOf(apiVersion) == group ? $"is not a {kind} version the SDK writes" : $"is not in the {group} group of a {kind}";
            throw new ArgumentException($"'{apiVersion}' {what}: use {group}/v1beta1 (the default) or the deprecated {group}/v1alpha1.", paramName);
        }
    }

    /// <summary>
    /// A builder for a <c>SandboxTemplate</c> named <paramref name="name"/> with the tenant bundle's egress as its network policy,
    /// and optionally its <c>SandboxWarmPool</c>.
    /// </summary>
    /// <param name="name">The template's name (and its warm pool's); a DNS-1123 subdomain.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid object name.</exception>
    public static AgentSandboxTemplateBuilder Template(string name) => new(name);

    /// <summary>A <c>Sandbox</c> that runs <paramref name="pod"/>: same name, namespace, labels and annotations.</summary>
    /// <param name="pod">A pod from <see cref="Sandboxed.Pod(string)"/>, or any sandboxed pod.</param>
    /// <param name="apiVersion"><c>agents.x-k8s.io/v1beta1</c> (the default) or the deprecated <c>agents.x-k8s.io/v1alpha1</c>; the pod template is the same in both.</param>
    /// <exception cref="SandboxValidationException">The pod is not sandboxed (SBX1001, SBX1002) or has another error finding.</exception>
    /// <exception cref="ArgumentException"><paramref name="apiVersion"/> is not <c>agents.x-k8s.io/v1beta1</c> or <c>v1alpha1</c>.</exception>
    public static UnstructuredObject ToAgentSandbox(this V1Pod pod, string apiVersion = SandboxApiVersion) =>
        From(pod, apiVersion, "agents.x-k8s.io", "Sandbox");

    /// <summary>A <c>SandboxTemplate</c> whose Sandboxes run <paramref name="pod"/>'s spec.</summary>
    /// <param name="pod">A pod from <see cref="Sandboxed.Pod(string)"/>, or any sandboxed pod.</param>
    /// <param name="apiVersion"><c>extensions.agents.x-k8s.io/v1beta1</c> (the default) or the deprecated <c>extensions.agents.x-k8s.io/v1alpha1</c>.</param>
    /// <exception cref="SandboxValidationException">The pod is not sandboxed (SBX1001, SBX1002) or has another error finding.</exception>
    /// <exception cref="ArgumentException"><paramref name="apiVersion"/> is not <c>extensions.agents.x-k8s.io/v1beta1</c> or <c>v1alpha1</c>.</exception>
    public static UnstructuredObject ToSandboxTemplate(this V1Pod pod, string apiVersion = TemplateApiVersion) =>
        From(pod, apiVersion, "extensions.agents.x-k8s.io", "SandboxTemplate");

    private static UnstructuredObject From(V1Pod pod, string apiVersion, string group, string kind)
    {
        ArgumentNullException.ThrowIfNull(pod);
        CheckVersion(apiVersion, group, kind, nameof(apiVersion));

        if (pod.Spec is null)
        {
            throw new ArgumentException("The pod has no spec; build it with Sandboxed.Pod(name).WithContainer(...).Build().", nameof(pod));
        }

        var errors = SandboxValidator.Validate(pod).Where(f => f.Severity == SandboxSeverity.Error || f.Rule == SandboxRules.MissingRuntimeClass || f.Rule == SandboxRules.RuntimeClassNotAllowed).ToList();
        if (errors.Count > 0)
        {
            throw new SandboxValidationException(errors);
        }

        var source = pod.Metadata ?? new V1ObjectMeta();
        var obj = new UnstructuredObject(apiVersion, kind)
        {
            Metadata = new V1ObjectMeta
            {
                Name = source.Name,
                NamespaceProperty = source.NamespaceProperty,
                Labels = source.Labels is null ? null : new Dictionary<string, string>(source.Labels),
                Annotations = source.Annotations is null ? null : new Dictionary<string, string>(source.Annotations),
            },
        };

        var podTemplate = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (source.Labels is { Count: > 0 } || source.Annotations is { Count: > 0 })
        {
            podTemplate["metadata"] = Plain(new V1ObjectMeta { Labels = source.Labels, Annotations = source.Annotations });
        }

        podTemplate["spec"] = Plain(pod.Spec);
        obj.Fields["spec"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["podTemplate"] = podTemplate };
        return obj;
    }

    internal static object? Plain(object model) => UnstructuredPods.ToPlain(JsonNode.Parse(KubernetesJson.Serialize(model)));
}
