using k8s.Models;

namespace Sandboxing.Sdk.Aks;

/// <summary>What a RuntimeClass adds to each of its pods: the fixed overhead (null where unknown) and the tolerations of its
/// <c>scheduling</c>.</summary>
/// <param name="CpuCores">The <c>overhead.podFixed</c> CPU in cores, or null when unknown.</param>
/// <param name="MemoryBytes">The <c>overhead.podFixed</c> memory in bytes, or null when unknown.</param>
/// <param name="Tolerations">The RuntimeClass's <c>scheduling.tolerations</c>.</param>
internal readonly record struct RuntimeShare(decimal? CpuCores, decimal? MemoryBytes, IReadOnlyList<V1Toleration> Tolerations)
{
    public static RuntimeShare Unknown { get; } = new(null, null, []);
}

/// <summary>
/// The one model of what a pod template asks of a node, shared by the capacity plan (which sizes pod VMs from limits) and the
/// deploy preflight (which fits the scheduler's requests): the pods it runs at once, its requests and limits as the scheduler and
/// the Kata shim read them, the RuntimeClass's overhead, and the tolerations that decide which nodes it may use.
/// </summary>
/// <param name="Site">The pod template.</param>
/// <param name="Pods">Pods at once (replicas, Job parallelism, 1 for a Pod); 1 for a DaemonSet, which runs one per node.</param>
/// <param name="CpuRequestCores">The scheduler's CPU request: each container's request (its limit where it sets none), summed,
/// and at least the largest init container's.</param>
/// <param name="MemoryRequestBytes">The scheduler's memory request, computed the same way.</param>
/// <param name="CpuLimitCores">The containers' CPU limits summed, or null unless every container has one.</param>
/// <param name="MemoryLimitBytes">The containers' memory limits summed and at least the largest init container's, or null unless
/// every container has one: the Kata shim sizes the pod VM from it.</param>
/// <param name="RequestBelowLimit">True when a container requests less CPU or memory than its limit.</param>
/// <param name="Runtime">The RuntimeClass's overhead and tolerations, as the caller resolved them.</param>
internal sealed record PodDemand(
    PodTemplateSite Site, int Pods, decimal CpuRequestCores, decimal MemoryRequestBytes, decimal? CpuLimitCores, decimal? MemoryLimitBytes,
    bool RequestBelowLimit, RuntimeShare Runtime)
{
    /// <summary>For a warm pool's pods: the pool ("SandboxWarmPool namespace/name"); their spec is its template's.</summary>
    public string? WarmPool { get; init; }

    /// <summary>"Kind namespace/name"; for a warm pool, the pool and its template.</summary>
    public string Workload => WarmPool is { } pool ? $"{pool} (warm pods of {Site.Describe()})" : Site.Describe();

    /// <summary>The pod's runtime class name, or null.</summary>
    public string? RuntimeClassName => string.IsNullOrWhiteSpace(Site.Spec.RuntimeClassName) ? null : Site.Spec.RuntimeClassName;

    /// <summary>True for a DaemonSet: one pod on every node whose taints it tolerates.</summary>
    public bool PerNode => Site.RunsOnEveryNode;

    /// <summary>True when the object or its pod template carries the opt-out annotation (<see cref="SandboxAnnotations.Exempt"/>).</summary>
    public bool OptedOut => SandboxAnnotations.FindExemption(Site.Owner.Metadata, Site.TemplateMetadata, SandboxAnnotations.Exempt, out _) is not null;

    /// <summary>The pod's tolerations and its RuntimeClass's.</summary>
    public IReadOnlyList<V1Toleration> Tolerations =>
        (Site.Spec.Tolerations ?? []).Where(t => t is not null).Concat(Runtime.Tolerations).ToList();

    /// <summary>
    /// Reads every pod template of <paramref name="workloads"/> except PodTemplates (which run nothing by themselves), in visit
    /// order. <paramref name="runtimeOf"/> resolves each pod's RuntimeClass share (overhead and tolerations).
    /// </summary>
    /// <param name="workloads">The objects to read.</param>
    /// <param name="runtimeOf">Resolves a pod's RuntimeClass share.</param>
    /// <param name="registry">The kinds whose pod specs count (default <see cref="PodTemplateRegistry.Default"/>).</param>
    public static List<PodDemand> Read(IEnumerable<object> workloads, Func<V1PodSpec, RuntimeShare> runtimeOf, PodTemplateRegistry? registry = null)
    {
        var result = new List<PodDemand>();
        var inputs = workloads as IReadOnlyCollection<object> ?? workloads.ToList();
        var pools = AgentWarmPools.Resolve(inputs);
        foreach (var workload in inputs)
        {
            PodTemplates.Visit(workload, registry ?? PodTemplateRegistry.Default, site =>
            {
                // Templates run nothing by themselves: a PodTemplate, a custom resource's template (SandboxTemplate), an empty group.
                // The warm pools that name a SandboxTemplate run its pods, each holding a VM.
                if (site.Owner is V1PodTemplate || (site.Owner is UnstructuredObject && site.PodsAtOnce == 0))
                {
                    foreach (var pool in pools.Where(p => ReferenceEquals(p.Template, site.Owner) && p.Replicas > 0))
                    {
                        result.Add(Of(site, runtimeOf(site.Spec)) with { Pods = pool.Replicas, WarmPool = pool.Describe() });
                    }

                    return;
                }

                result.Add(Of(site, runtimeOf(site.Spec)));
            }, writeBack: false);
        }

        return result;
    }

    private static PodDemand Of(PodTemplateSite site, RuntimeShare runtime)
    {
        var spec = site.Spec;
        var containers = spec.Containers?.Where(c => c is not null).ToList() ?? [];
        decimal cpuRequest = 0, memoryRequest = 0, cpuLimit = 0, memoryLimit = 0;
        bool allCpuLimited = containers.Count > 0, allMemoryLimited = containers.Count > 0, requestBelowLimit = false;
        foreach (var c in containers)
        {
            var memLimit = Get(c.Resources?.Limits, "memory");
            var memRequest = Get(c.Resources?.Requests, "memory") ?? memLimit;
            var cLimit = Get(c.Resources?.Limits, "cpu");
            var cRequest = Get(c.Resources?.Requests, "cpu") ?? cLimit;
            allMemoryLimited &= memLimit is not null;
            allCpuLimited &= cLimit is not null;
            memoryLimit += memLimit ?? 0;
            memoryRequest += memRequest ?? 0;
            cpuLimit += cLimit ?? 0;
            cpuRequest += cRequest ?? 0;
            requestBelowLimit |= (memLimit is { } ml && memRequest < ml) || (cLimit is { } cl && cRequest < cl);
        }

        // Init containers run one at a time before the others: the pod needs the larger of their largest value and the sum.
        foreach (var c in spec.InitContainers ?? [])
        {
            if (c is null)
            {
                continue;
            }

            var initMemLimit = Get(c.Resources?.Limits, "memory");
            var initCpuLimit = Get(c.Resources?.Limits, "cpu");
            memoryLimit = Math.Max(memoryLimit, initMemLimit ?? 0);
            memoryRequest = Math.Max(memoryRequest, Get(c.Resources?.Requests, "memory") ?? initMemLimit ?? 0);
            cpuRequest = Math.Max(cpuRequest, Get(c.Resources?.Requests, "cpu") ?? initCpuLimit ?? 0);
        }

        int pods = site.RunsOnEveryNode ? 1 : site.PodsAtOnce;
        return new PodDemand(site, pods, cpuRequest, memoryRequest, allCpuLimited ? cpuLimit : null, allMemoryLimited ? memoryLimit : null,
            requestBelowLimit, runtime);
    }

    internal static decimal? Get(IDictionary<string, ResourceQuantity>? map, string key) =>
        map is not null && map.TryGetValue(key, out var q) && q is not null ? Quantities.ValueOf(q) : null;
}
