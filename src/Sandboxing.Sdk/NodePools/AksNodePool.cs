using k8s.Models;

namespace Sandboxing.Sdk.Aks;

/// <summary>
/// An AKS agent pool that runs Kata pods (Pod Sandboxing): Azure Linux, a Generation 2 VM size with nested virtualization,
/// <c>workloadRuntime: KataVmIsolation</c> on an API version that knows it, and usually a taint so only sandboxed pods land there.
/// Validated when built (SBX3001–SBX3021); emitted as az CLI, Bicep, ARM JSON, Terraform and a REST request; and it plans capacity.
/// </summary>
/// <example>
/// <code>
/// AksNodePool pool = AksNodePool.ForSandboxing("kata")
///     .InCluster("myAKSCluster", resourceGroup: "myResourceGroup")
///     .WithVmSize("Standard_D4s_v5")
///     .WithAutoscaling(min: 1, max: 5)
///     .WithNodeTaint(AksNodeTaint.SandboxDefault)
///     .Build();
/// string az = pool.ToAzCli();
/// </code>
/// </example>
public sealed partial class AksNodePool
{
    internal AksNodePool(NodePoolSpec spec, IReadOnlyList<SandboxFinding> findings)
    {
        Name = spec.Name;
        ClusterName = spec.ClusterName ?? "";
        ResourceGroup = spec.ResourceGroup ?? "";
        SubscriptionId = spec.SubscriptionId;
        VmSize = spec.VmSize ?? "";
        Mode = spec.Mode;
        OsSku = spec.OsSku;
        WorkloadRuntime = spec.WorkloadRuntime;
        ApiVersion = spec.ApiVersion ?? AksApiVersions.DefaultFor(spec.WorkloadRuntime);
        EnableAutoScaling = spec.EnableAutoScaling;
        Count = spec.Count ?? (spec.EnableAutoScaling ? spec.MinCount ?? 1 : 1);
        MinCount = spec.EnableAutoScaling ? spec.MinCount : null;
        MaxCount = spec.EnableAutoScaling ? spec.MaxCount : null;
        AvailabilityZones = spec.Zones.ToArray();
        NodeLabels = new SortedDictionary<string, string>(spec.Labels, StringComparer.Ordinal);
        NodeTaints = spec.Taints.Select(t => t.Parsed ?? new AksNodeTaint(t.Text, null, "")).ToArray();
        MaxPods = spec.MaxPods;
        OsDiskType = spec.OsDiskType;
        OsDiskSizeGB = spec.OsDiskSizeGB;
        OrchestratorVersion = spec.OrchestratorVersion;
        VnetSubnetId = spec.VnetSubnetId;
        PodSubnetId = spec.PodSubnetId;
        EnableFips = spec.EnableFips;
        EnableEncryptionAtHost = spec.EnableEncryptionAtHost;
        Tags = new SortedDictionary<string, string>(spec.Tags, StringComparer.Ordinal);
        Findings = findings;
    }

    /// <summary>Starts a node pool for Kata pods with the SDK's defaults: mode User, OS SKU AzureLinux, workload runtime
    /// KataVmIsolation, one node, API version <see cref="AksApiVersions.Default"/>.</summary>
    /// <param name="name">The agent pool name: 1 to 12 lowercase letters and digits, starting with a letter (checked by <c>Build()</c>).</param>
    public static Builder ForSandboxing(string name) => new(name);

    /// <summary>The agent pool name (ARM <c>name</c>).</summary>
    public string Name { get; }

    /// <summary>The AKS cluster the pool belongs to.</summary>
    public string ClusterName { get; }

    /// <summary>The cluster's resource group.</summary>
    public string ResourceGroup { get; }

    /// <summary>The subscription ID, or null to use the caller's current subscription.</summary>
    public string? SubscriptionId { get; }

    /// <summary>The VM size (ARM <c>properties.vmSize</c>).</summary>
    public string VmSize { get; }

    /// <summary>The pool mode (ARM <c>properties.mode</c>); <see cref="AksNodePoolMode.User"/> by default.</summary>
    public AksNodePoolMode Mode { get; }

    /// <summary>The OS SKU (ARM <c>properties.osSKU</c>); <c>AzureLinux</c> by default.</summary>
    public AksOsSku OsSku { get; }

    /// <summary>The OS type (ARM <c>properties.osType</c>): <c>Windows</c> for a Windows SKU, otherwise <c>Linux</c>.</summary>
    public string OsType => OsSku.IsWindows ? "Windows" : "Linux";

    /// <summary>The workload runtime (ARM <c>properties.workloadRuntime</c>); <c>KataVmIsolation</c> by default.</summary>
    public AksWorkloadRuntime WorkloadRuntime { get; }

    /// <summary>The ARM API version of the agent pool resource.</summary>
    public string ApiVersion { get; }

    /// <summary>Whether the cluster autoscaler manages the node count.</summary>
    public bool EnableAutoScaling { get; }

    /// <summary>The node count (with autoscaling: the initial count, by default <see cref="MinCount"/>).</summary>
    public int Count { get; }

    /// <summary>The autoscaler's lower bound, or null without autoscaling.</summary>
    public int? MinCount { get; }

    /// <summary>The autoscaler's upper bound, or null without autoscaling.</summary>
    public int? MaxCount { get; }

    /// <summary>The availability zones (<c>"1"</c>, <c>"2"</c>, <c>"3"</c>); empty for none.</summary>
    public IReadOnlyList<string> AvailabilityZones { get; }

    /// <summary>The node labels, sorted by key.</summary>
    public IReadOnlyDictionary<string, string> NodeLabels { get; }

    /// <summary>The node taints, in the order added.</summary>
    public IReadOnlyList<AksNodeTaint> NodeTaints { get; }

    /// <summary>The maximum pods per node, or null for the network plugin's default.</summary>
    public int? MaxPods { get; }

    /// <summary>The OS disk type, or null for the AKS default.</summary>
    public AksOsDiskType? OsDiskType { get; }

    /// <summary>The OS disk size in GB, or null for the AKS default.</summary>
    public int? OsDiskSizeGB { get; }

    /// <summary>The Kubernetes version of the pool, or null to follow the cluster.</summary>
    public string? OrchestratorVersion { get; }

    /// <summary>The node subnet's resource ID, or null.</summary>
    public string? VnetSubnetId { get; }

    /// <summary>The pod subnet's resource ID (Azure CNI with dynamic pod IPs), or null.</summary>
    public string? PodSubnetId { get; }

    /// <summary>Whether FIPS is enabled; always false on a built pool, since Kata does not support FIPS (SBX3005).</summary>
    public bool EnableFips { get; }

    /// <summary>
    /// Whether the pool encrypts at host: temp disks and OS/data disk caches encrypted on the VM host (ARM
    /// <c>enableEncryptionAtHost</c>, az <c>--enable-encryption-at-host</c>, Terraform <c>host_encryption_enabled</c>); set at
    /// creation; the subscription needs the <c>EncryptionAtHost</c> feature and the VM size must support it
    /// (learn.microsoft.com/azure/aks/enable-host-encryption).
    /// </summary>
    public bool EnableEncryptionAtHost { get; }

    /// <summary>The Azure tags, sorted by key.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>The warnings found when the pool was built (errors make <c>Build()</c> throw).</summary>
    public IReadOnlyList<SandboxFinding> Findings { get; }

    /// <summary>The pod runtime class name this pool serves (<c>kata-vm-isolation</c> by default).</summary>
    public string RuntimeClassName => WorkloadRuntime.RuntimeClassName ?? KnownRuntimeClasses.Default;

    /// <summary>
    /// The tolerations pods need to land on this pool: one per <c>NoSchedule</c> or <c>NoExecute</c> taint. Pass them to
    /// <c>WithTolerations</c>, <c>WithNodePool</c> or <c>Sandbox(pool)</c>. A fresh list on each call.
    /// </summary>
    public IReadOnlyList<V1Toleration> PodTolerations => NodeTaints.Where(t => t.RepelsPods).Select(t => t.ToToleration()).ToList();

    /// <summary>The ARM resource ID of the pool; <c>{subscriptionId}</c> stands in when no subscription was given.</summary>
    public string ResourceId =>
        $"/subscriptions/{SubscriptionId ?? "{subscriptionId}"}/resourceGroups/{ResourceGroup}/providers/Microsoft.ContainerService/managedClusters/{ClusterName}/agentPools/{Name}";

    /// <summary>Options for <c>Sandbox()</c> that set <paramref name="runtime"/> (default: this pool's runtime class) and add this pool's tolerations.</summary>
    public SandboxOptions ToSandboxOptions(SandboxRuntime? runtime = null) =>
        new SandboxOptions { Runtime = runtime ?? new SandboxRuntime(RuntimeClassName), Tolerations = PodTolerations };

    /// <summary>
    /// The findings for workloads meant to run on this pool: SBX3013 for every pod template that does not tolerate one of the
    /// pool's <c>NoSchedule</c>/<c>NoExecute</c> taints (a custom RuntimeClass's <c>scheduling.tolerations</c> count).
    /// </summary>
    public IReadOnlyList<SandboxFinding> ValidateWorkloads(params object[] workloads) => NodePoolValidator.CheckTolerations(this, workloads, []);

    /// <summary>Plans capacity for <paramref name="workloads"/> on this pool with the default options.</summary>
    public CapacityPlan Plan(params object[] workloads) => CapacityPlanner.Plan(this, workloads, new CapacityPlanOptions());

    /// <summary>Plans capacity for <paramref name="workloads"/> on this pool.</summary>
    public CapacityPlan Plan(IEnumerable<object> workloads, CapacityPlanOptions options) =>
        CapacityPlanner.Plan(this, (workloads ?? throw new ArgumentNullException(nameof(workloads))).ToArray(), options ?? throw new ArgumentNullException(nameof(options)));

    /// <summary>The <c>az aks nodepool add</c> command with every flag, then the <c>az aks update</c> the AKS docs run afterwards.</summary>
    public string ToAzCli() => AzCliEmitter.Emit(this);

    /// <summary>A Bicep file: the cluster as an <c>existing</c> resource and the agent pool as its child.</summary>
    public string ToBicep() => BicepEmitter.Emit(this);

    /// <summary>An ARM deployment template (JSON) with the agent pool resource; the same resource <c>bicep build</c> makes of <see cref="ToBicep"/>.</summary>
    public string ToArmTemplate() => ArmEmitter.Emit(this);

    /// <summary>Terraform: an <c>azurerm_kubernetes_cluster_node_pool</c> with <c>workload_runtime</c> and <c>os_sku</c>, written for azurerm 5.x.</summary>
    public string ToTerraform() => TerraformEmitter.Emit(this);

    /// <summary>The ARM REST request that creates or updates the pool: <c>PUT</c>, URL with <c>api-version</c>, JSON body.</summary>
    public AksRestRequest ToRestRequest() => RestEmitter.Emit(this);

    /// <summary>The pool's ARM properties as a JSON object (the body of <see cref="ToRestRequest"/> without the wrapper).</summary>
    internal System.Text.Json.Nodes.JsonObject ArmProperties() => NodePoolProperties.Of(this, escapeArmExpressions: false);
}
