using System.Globalization;

namespace Sandboxing.Sdk;

/// <summary>
/// The <c>SandboxWarmPool</c>s among some objects, each with the <c>SandboxTemplate</c> it names. A pool has no pod spec: its
/// warm pods are the template's (the same namespace, <c>spec.sandboxTemplateRef.name</c>), <c>spec.replicas</c> of them
/// (default 1, agent-sandbox 2fd412d <c>k8s/crds/extensions.agents.x-k8s.io_sandboxwarmpools.yaml</c>), each holding its VM.
/// </summary>
internal static class AgentWarmPools
{
    private const string Group = "extensions.agents.x-k8s.io";

    /// <summary>Every pool among <paramref name="objects"/>, in order, with its template or null when no input is that template.</summary>
    public static List<AgentWarmPool> Resolve(IEnumerable<object> objects)
    {
        var all = objects.OfType<UnstructuredObject>().Where(o => PodTemplateRegistry.GroupOf(o.ApiVersion) == Group).ToList();
        var templates = all.Where(o => o.Kind == "SandboxTemplate").ToList();
        var pools = new List<AgentWarmPool>();
        foreach (var pool in all.Where(o => o.Kind == "SandboxWarmPool"))
        {
            var name = pool.Get("spec.sandboxTemplateRef.name") as string;
            var template = templates.FirstOrDefault(t => t.Metadata.Name == name && t.Metadata.NamespaceProperty == pool.Metadata.NamespaceProperty);
            pools.Add(new AgentWarmPool(pool, name, template, Replicas(pool.Get("spec.replicas"))));
        }

        return pools;
    }

    private static int Replicas(object? value) => value switch
    {
        null => 1,
        int i => Math.Max(i, 0),
        long l => (int)Math.Clamp(l, 0, int.MaxValue),
        double d => (int)Math.Clamp(d, 0, int.MaxValue),
        string s when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => 1,
    };
}

/// <summary>A warm pool, the template it names (null when not among the inputs) and its warm pods.</summary>
internal sealed record AgentWarmPool(UnstructuredObject Pool, string? TemplateName, UnstructuredObject? Template, int Replicas)
{
    /// <summary>"SandboxWarmPool namespace/name".</summary>
    public string Describe() => $"SandboxWarmPool {(Pool.Metadata.NamespaceProperty is { } ns ? ns + "/" : "")}{Pool.Metadata.Name}";
}
