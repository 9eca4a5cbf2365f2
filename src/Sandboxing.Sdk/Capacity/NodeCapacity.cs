using System.Globalization;
using k8s.Models;

namespace Sandboxing.Sdk.Aks;

/// <summary>
/// What one node offers to pods: its allocatable CPU and memory, max pods and the taints that keep pods off it. The capacity plan
/// describes one planned node of a pool's VM size, after AKS's reservations (<see cref="VmSize"/> and the reservation properties
/// are set); the deploy preflight reads the cluster's nodes (<see cref="Ready"/>, <see cref="Schedulable"/>; their allocatable
/// already excludes the reservations).
/// </summary>
public sealed class NodeCapacity
{
    /// <summary>The public source of the reservation rules.</summary>
    public const string Source = "learn.microsoft.com/azure/aks/node-resource-reservations";

    private const decimal Mi = 1024m * 1024;

    internal NodeCapacity(string name, bool ready, bool schedulable, decimal allocatableCpuCores, decimal allocatableMemoryBytes, int? maxPods, IReadOnlyList<V1Taint> taints)
    {
        Name = name;
        Ready = ready;
        Schedulable = schedulable;
        AllocatableCpuCores = allocatableCpuCores;
        AllocatableMemoryBytes = allocatableMemoryBytes;
        MaxPods = maxPods;
        Taints = taints;
    }

    /// <summary>The node name; for a planned node, its VM size.</summary>
    public string Name { get; }

    /// <summary>Whether the node's <c>Ready</c> condition is <c>True</c> (always true for a planned node).</summary>
    public bool Ready { get; }

    /// <summary>False when the node is cordoned (<c>spec.unschedulable</c>); always true for a planned node.</summary>
    public bool Schedulable { get; }

    /// <summary>Ready and not cordoned.</summary>
    public bool Usable => Ready && Schedulable;

    /// <summary>The CPU left for pods, in cores.</summary>
    public decimal AllocatableCpuCores { get; }

    /// <summary>The memory left for pods, in bytes.</summary>
    public decimal AllocatableMemoryBytes { get; }

    /// <summary>The max pods per node, or null when unknown.</summary>
    public int? MaxPods { get; }

    /// <summary>The node's <c>NoSchedule</c> and <c>NoExecute</c> taints.</summary>
    public IReadOnlyList<V1Taint> Taints { get; }

    /// <summary>A planned node's VM size; null for a node read from the cluster.</summary>
    public VmSize? VmSize { get; private init; }

    /// <summary>A planned node's AKS reservation rules: <c>1.29+</c> or <c>before 1.29</c>; null for a node read from the cluster.</summary>
    public string? KubernetesRules { get; private init; }

    /// <summary>True when the pool does not set max pods and the plan assumed <c>CapacityPlanOptions.DefaultMaxPods</c>.</summary>
    public bool MaxPodsAssumed { get; private init; }

    /// <summary>A planned node's kube-reserved memory, in bytes (0 for a node read from the cluster).</summary>
    public decimal KubeReservedMemoryBytes { get; private init; }

    /// <summary>A planned node's kubelet hard eviction threshold (<c>memory.available</c>), in bytes (0 for a node read from the cluster).</summary>
    public decimal EvictionThresholdBytes { get; private init; }

    /// <summary>A planned node's kube-reserved CPU, in cores (0 for a node read from the cluster).</summary>
    public decimal ReservedCpuCores { get; private init; }

    /// <summary>A node the cluster reported: its Ready condition, cordon, allocatable and repelling taints.</summary>
    internal static NodeCapacity FromNode(V1Node node)
    {
        bool ready = node.Status?.Conditions?.Any(c => c?.Type == "Ready" && c.Status == "True") == true;
        var allocatable = node.Status?.Allocatable;
        decimal cpu = Allocatable(allocatable, "cpu") ?? 0;
        decimal memory = Allocatable(allocatable, "memory") ?? 0;
        int? pods = Allocatable(allocatable, "pods") is { } p ? (int)Math.Min(int.MaxValue, p) : null;
        var taints = (node.Spec?.Taints ?? []).Where(t => t?.Effect is "NoSchedule" or "NoExecute").ToList();
        return new NodeCapacity(node.Metadata.Name, ready, node.Spec?.Unschedulable != true, cpu, memory, pods, taints);
    }

    private static decimal? Allocatable(IDictionary<string, ResourceQuantity>? allocatable, string key) =>
        allocatable is not null && allocatable.TryGetValue(key, out var q) && q is not null ? q.ToDecimal() : null;

    /// <summary>
    /// One node of <paramref name="size"/> after AKS's reservations (learn.microsoft.com/azure/aks/node-resource-reservations), MB
    /// read as MiB.
    /// </summary>
    internal static NodeCapacity ForVmSize(VmSize size, int? poolMaxPods, int defaultMaxPods, string? kubernetesVersion, IReadOnlyList<V1Taint> taints)
    {
        int maxPods = poolMaxPods ?? defaultMaxPods;
        decimal total = size.MemoryBytes;
        bool modern = IsAtLeast129(kubernetesVersion);
        decimal kubeReserved, eviction;
        if (modern)
        {
            // 1.29+: the lesser of 20MB x max pods + 50MB and 25% of memory; eviction at memory.available < 100Mi.
            kubeReserved = Math.Min(20 * Mi * maxPods + 50 * Mi, total * 0.25m);
            eviction = 100 * Mi;
        }
        else
        {
            // Before 1.29: 25% of the first 4GB, 20% of the next 4GB, 10% of the next 8GB, 6% of the next 112GB, 2% above 128GB;
            // eviction at memory.available < 750Mi.
            decimal gi = 1024 * Mi;
            (decimal Upto, decimal Rate)[] tiers = [(4 * gi, 0.25m), (8 * gi, 0.20m), (16 * gi, 0.10m), (128 * gi, 0.06m), (decimal.MaxValue, 0.02m)];
            kubeReserved = 0;
            decimal floor = 0;
            foreach (var (upto, rate) in tiers)
            {
                if (total <= floor)
                {
                    break;
                }

                kubeReserved += (Math.Min(total, upto) - floor) * rate;
                floor = upto;
            }

            eviction = 750 * Mi;
        }

        kubeReserved = Math.Floor(kubeReserved);
        int reservedCpu = ReservedCpu(size.VCpus);
        return new NodeCapacity(size.Name, ready: true, schedulable: true, Math.Max(0, size.VCpus * 1000 - reservedCpu) / 1000m,
            Math.Max(0, total - kubeReserved - eviction), maxPods, taints)
        {
            VmSize = size,
            KubernetesRules = modern ? "1.29+" : "before 1.29",
            MaxPodsAssumed = poolMaxPods is null,
            KubeReservedMemoryBytes = kubeReserved,
            EvictionThresholdBytes = eviction,
            ReservedCpuCores = reservedCpu / 1000m,
        };
    }

    /// <summary>
    /// Kube-reserved CPU in millicores. The AKS table gives 1 core: 60, 2: 100, 4: 140, 8: 180, 16: 260, 32: 420, 64: 740; from 4 cores
    /// on it grows by 10m a core, and between the listed counts below 4 it is interpolated (3 cores: 120).
    /// </summary>
    internal static int ReservedCpu(int cores) => cores switch
    {
        <= 0 => 0,
        1 => 60,
        < 4 => 100 + (20 * (cores - 2)),
        _ => 140 + (10 * (cores - 4)),
    };

    private static bool IsAtLeast129(string? version)
    {
        if (string.IsNullOrEmpty(version))
        {
            return true;
        }

        var parts = version.Split('.');
        return parts.Length < 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minor)
            || major > 1 || (major == 1 && minor >= 29);
    }
}
