using k8s.Models;

namespace Sandboxing.Sdk.Aks;

/// <summary>Turns pod demands (<see cref="PodDemand"/>) into footprints: the one place both views of a pod are computed.</summary>
internal static class Footprints
{
    /// <summary>The pod VM memory AKS gives a pod without a memory limit: 512Mi (learn.microsoft.com/azure/aks/considerations-pod-sandboxing).</summary>
    public const decimal DefaultVmMemoryBytes = 512m * 1024 * 1024;

    /// <summary>
    /// True when the class's memory overhead already holds the default pod VM of a pod without a memory limit: AKS sizes the
    /// <c>kata-vm-isolation</c> overhead as that VM plus the host components: "This default runtime overhead is calculated with
    /// the default pod VM size (512Mi) plus to approximate memory needed by host components for such a VM size (~88Mi)"
    /// (learn.microsoft.com/azure/aks/considerations-pod-sandboxing; MicrosoftDocs/azure-aks-docs
    /// articles/aks/considerations-pod-sandboxing.md L60 @fb060abe6), so 600Mi, not 512Mi + 600Mi, is what such a pod takes from a node.
    /// An overhead smaller than the VM cannot hold it.
    /// </summary>
    public static bool OverheadHoldsDefaultVm(string? runtimeClassName, decimal? memoryLimitBytes, decimal overheadMemoryBytes, decimal defaultVmMemoryBytes) =>
        memoryLimitBytes is null && runtimeClassName == KnownRuntimeClasses.KataVmIsolation && overheadMemoryBytes >= defaultVmMemoryBytes;

    /// <summary>The footprint of one pod demand, with the memory overhead the caller settled on.</summary>
    public static PodFootprint Of(PodDemand demand, decimal overheadMemoryBytes, decimal defaultVmMemoryBytes)
    {
        decimal overheadCpu = demand.Runtime.CpuCores ?? 0;
        int vcpus = demand.CpuLimitCores is { } cpuLimit && cpuLimit > 0 ? (int)Math.Ceiling(cpuLimit) : 1;
        return new PodFootprint(
            demand.Workload, demand.RuntimeClassName, demand.Pods, demand.PerNode,
            demand.CpuRequestCores + overheadCpu, demand.MemoryRequestBytes + overheadMemoryBytes, overheadCpu, overheadMemoryBytes,
            demand.MemoryLimitBytes ?? defaultVmMemoryBytes, vcpus, demand.Tolerations,
            OverheadHoldsDefaultVm(demand.RuntimeClassName, demand.MemoryLimitBytes, overheadMemoryBytes, defaultVmMemoryBytes));
    }

    /// <summary>
    /// The footprints of every pod template of <paramref name="workloads"/> that names a runtime class and runs pods, with the
    /// overhead and tolerations <paramref name="shareOf"/> gives for each runtime class name.
    /// </summary>
    public static IReadOnlyList<PodFootprint> Sandboxed(IEnumerable<object> workloads, Func<string, RuntimeShare> shareOf) =>
        PodDemand.Read(workloads, spec => string.IsNullOrWhiteSpace(spec.RuntimeClassName) ? RuntimeShare.Unknown : shareOf(spec.RuntimeClassName))
            .Where(d => d.RuntimeClassName is not null && (d.Site.PodsAtOnce > 0 || d.WarmPool is not null))
            .Select(d => Of(d, d.Runtime.MemoryBytes ?? 0, DefaultVmMemoryBytes))
            .ToList();

    /// <summary>The overhead the SDK knows for a runtime class name (<see cref="SandboxRuntime.Overhead"/>), without tolerations.</summary>
    public static RuntimeShare KnownShare(string runtimeClassName)
    {
        if (!KubernetesNames.IsSubdomain(runtimeClassName))
        {
            return new RuntimeShare(0, 0, []);
        }

        var (memory, cpu) = new SandboxRuntime(runtimeClassName).OverheadValues;
        return new RuntimeShare(cpu ?? 0, memory ?? 0, Array.Empty<V1Toleration>());
    }
}
