namespace Sandboxing.Sdk.Aks;

/// <summary>Options for <see cref="AksNodePool.Plan(IEnumerable{object}, CapacityPlanOptions)"/>.</summary>
public sealed class CapacityPlanOptions
{
    /// <summary>
    /// The max pods per node assumed when the pool does not set it: 250, the AKS default with Azure CNI Overlay (kubenet: 110,
    /// Azure CNI with node subnet: 30). It matters: AKS reserves 20Mi of memory per max pod.
    /// </summary>
    public int DefaultMaxPods { get; init; } = 250;

    /// <summary>The Kubernetes version whose reservation rules apply when the pool does not set one (default 1.29 and later).</summary>
    public string? KubernetesVersion { get; init; }

    /// <summary>The pod VM memory when a pod has no memory limit: 512Mi on AKS (learn.microsoft.com/azure/aks/considerations-pod-sandboxing).</summary>
    public string DefaultVmMemory { get; init; } = "512Mi";

    /// <summary>The RuntimeClass memory overhead when neither the pod nor a known or given class has one: 600Mi, the AKS
    /// <c>kata-vm-isolation</c> class's.</summary>
    public string DefaultOverheadMemory { get; init; } = "600Mi";

    /// <summary>Custom RuntimeClasses the workloads use, for their overhead and tolerations (for example <c>small-kata-pods</c>).</summary>
    public IReadOnlyList<RuntimeClassDefinition> RuntimeClasses { get; init; } = [];

    /// <summary>The node size to plan with when the VM size is not in <see cref="VmSizes"/>; null uses the catalog.</summary>
    public VmSize? NodeSize { get; init; }

    /// <summary>The kinds whose pod specs are planned: <see cref="PodTemplateRegistry.Default"/> unless you add your own custom resources.</summary>
    public PodTemplateRegistry PodTemplates { get; init; } = PodTemplateRegistry.Default;
}
