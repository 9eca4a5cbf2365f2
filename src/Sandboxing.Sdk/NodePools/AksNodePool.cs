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
public sealed class AksNodePool
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
    public CapacityPlan Plan(params object[] workloads) => CapacityPlanner.Plan(this, workloads, CapacityPlanOptions.Default);

    /// <summary>Plans capacity for <paramref name="workloads"/> on this pool.</summary>
    public CapacityPlan Plan(IEnumerable<object> workloads, CapacityPlanOptions options) =>
        CapacityPlanner.Plan(this, (workloads ?? throw new ArgumentNullException(nameof(workloads))).ToArray(), options ?? throw new ArgumentNullException(nameof(options)));

    /// <summary>The <c>az aks nodepool add</c> command with every flag, then the <c>az aks update</c> the AKS docs run afterwards.</summary>
    public string ToAzCli() => AzCliEmitter.Emit(this);

    /// <summary>A Bicep file: the cluster as an <c>existing</c> resource and the agent pool as its child.</summary>
    public string ToBicep() => BicepEmitter.Emit(this);

    /// <summary>An ARM deployment template (JSON) with the agent pool resource; the same resource <c>bicep build</c> makes of <see cref="ToBicep"/>.</summary>
    public string ToArmTemplate() => ArmEmitter.Emit(this);

    /// <summary>Terraform: an <c>azurerm_kubernetes_cluster_node_pool</c> with <c>workload_runtime</c> and <c>os_sku</c>.</summary>
    public string ToTerraform() => TerraformEmitter.Emit(this);

    /// <summary>The ARM REST request that creates or updates the pool: <c>PUT</c>, URL with <c>api-version</c>, JSON body.</summary>
    public AksRestRequest ToRestRequest() => RestEmitter.Emit(this);

    /// <summary>The pool's ARM properties as a JSON object (the body of <see cref="ToRestRequest"/> without the wrapper).</summary>
    internal System.Text.Json.Nodes.JsonObject ArmProperties() => NodePoolProperties.Of(this, escapeArmExpressions: false);

    /// <summary>
    /// Reads an <c>az aks nodepool add</c> or <c>az aks create</c> command line (for <c>create</c>, its default node pool) into a
    /// builder, so its findings can be listed (<c>Validate()</c>) before anything is built. Flags the SDK does not model are
    /// ignored here and kept by <see cref="AksNodePoolMigration.FromAzCli"/>. Mariner names and the preview runtime are kept as
    /// written, so the findings show them.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not one of those commands, or a number flag has no number.</exception>
    public static Builder FromAzCli(string commandLine) => FromAzCli(commandLine, out _, out _, out _);

    internal static Builder FromAzCli(string commandLine, out List<string> tokens, out int flagsStart, out string command)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        tokens = AksNodePoolMigration.Split(commandLine);
        int start = tokens.IndexOf("az");
        bool add = start >= 0 && tokens.Skip(start + 1).Take(3).SequenceEqual(["aks", "nodepool", "add"]);
        bool create = start >= 0 && tokens.Skip(start + 1).Take(2).SequenceEqual(["aks", "create"]);
        if (!add && !create)
        {
            throw new ArgumentException("Expected an 'az aks nodepool add' or 'az aks create' command line; found " +
                (tokens.Count == 0 ? "nothing" : $"'{string.Join(' ', tokens.Take(4))}'") + ".");
        }

        command = add ? "az aks nodepool add" : "az aks create";
        flagsStart = start + (add ? 4 : 3);
        var flags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = flagsStart; i < tokens.Count; i++)
        {
            if (!IsFlag(tokens[i]))
            {
                continue;
            }

            var values = flags[tokens[i]] = [];
            while (i + 1 < tokens.Count && !IsFlag(tokens[i + 1]))
            {
                values.Add(tokens[++i]);
            }
        }

        string? One(params string[] names) => names.Select(n => flags.GetValueOrDefault(n)).FirstOrDefault(v => v is { Count: > 0 })?[0];
        bool Has(string name) => flags.ContainsKey(name);
        int? Int(params string[] names) => One(names) is { } text
            ? int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int n)
                ? n : throw new ArgumentException($"{names[0]}: '{text}' is not a number.")
            : null;

        var builder = new Builder(add ? One("--name", "-n") ?? "" : One("--nodepool-name") ?? "nodepool1");
        var spec = builder.Spec;
        spec.ClusterName = add ? One("--cluster-name") : One("--name", "-n");
        spec.ResourceGroup = One("--resource-group", "-g");
        spec.SubscriptionId = One("--subscription");
        spec.Mode = One("--mode") is { } mode ? Enum.Parse<AksNodePoolMode>(mode, ignoreCase: true) : add ? AksNodePoolMode.User : AksNodePoolMode.System;
        if (One("--os-sku") is { } sku)
        {
            spec.OsSku = sku;
        }

        // Without --workload-runtime AKS uses OCIContainer; the migration is about Kata pools, so the SDK's default stands in.
        if (One("--workload-runtime") is { } runtime)
        {
            spec.WorkloadRuntime = runtime;
            spec.ApiVersion = AksApiVersions.DefaultFor(spec.WorkloadRuntime);
        }

        spec.VmSize = One("--node-vm-size", "-s");
        spec.Count = Int("--node-count", "-c");
        spec.EnableAutoScaling = Has("--enable-cluster-autoscaler");
        spec.MinCount = Int("--min-count");
        spec.MaxCount = Int("--max-count");
        spec.MaxPods = Int("--max-pods", "-m");
        spec.OsDiskSizeGB = Int("--node-osdisk-size");
        spec.OrchestratorVersion = One("--kubernetes-version", "-k");
        spec.VnetSubnetId = One("--vnet-subnet-id");
        spec.PodSubnetId = One("--pod-subnet-id");
        spec.EnableFips = Has("--enable-fips-image");
        spec.EnableSecureBoot = Has("--enable-secure-boot");
        spec.EnableVtpm = Has("--enable-vtpm");
        spec.EnableArtifactStreaming = Has("--enable-artifact-streaming");
        spec.Zones.AddRange(flags.GetValueOrDefault("--zones") ?? flags.GetValueOrDefault("-z") ?? []);
        foreach (var label in flags.GetValueOrDefault("--labels") ?? flags.GetValueOrDefault("--nodepool-labels") ?? [])
        {
            int eq = label.IndexOf('=', StringComparison.Ordinal);
            spec.Labels[eq < 0 ? label : label[..eq]] = eq < 0 ? "" : label[(eq + 1)..];
        }

        foreach (var taint in (One("--node-taints", "--nodepool-taints") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            builder.WithNodeTaint(taint);
        }

        return builder;
    }

    /// <summary>True for an az flag (<c>--name</c>, <c>-g</c>), false for a value (including negative numbers).</summary>
    internal static bool IsFlag(string token) => token.Length > 1 && token[0] == '-' && (token[1] == '-' || char.IsAsciiLetter(token[1]));

    /// <summary>
    /// Reads the first agent pool of an ARM template (an <c>agentPools</c> resource or a cluster's <c>agentPoolProfiles</c>), an
    /// agent pool resource, or a REST body, into a builder. The cluster and resource group come from the deployment, not the
    /// template, so they are set to placeholders that pass validation.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not JSON or has no agent pool.</exception>
    public static Builder FromArm(string json)
    {
        var migration = AksNodePoolMigration.FirstArmPool(json);
        return FromArmProperties(migration.Name, migration.Properties, migration.ApiVersion);
    }

    internal static Builder FromArmProperties(string name, System.Text.Json.Nodes.JsonObject p, string? apiVersion)
    {
        string? S(string key) => p[key] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out string? text) ? text : null;
        int? I(string key) => p[key] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out int n) ? n : null;
        bool B(System.Text.Json.Nodes.JsonNode? node) => node is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out bool b) && b;

        var builder = new Builder(name);
        var spec = builder.Spec;
        spec.ClusterName = "cluster";
        spec.ResourceGroup = "resourcegroup";
        spec.ApiVersion = apiVersion;
        spec.Mode = S("mode") is { } mode && Enum.TryParse<AksNodePoolMode>(mode, ignoreCase: true, out var m) ? m : AksNodePoolMode.User;
        if (S("osSKU") is { Length: > 0 } sku)
        {
            spec.OsSku = sku;
        }

        if (S("workloadRuntime") is { Length: > 0 } runtime)
        {
            spec.WorkloadRuntime = runtime;
        }

        spec.VmSize = S("vmSize");
        spec.Count = I("count");
        spec.EnableAutoScaling = B(p["enableAutoScaling"]);
        spec.MinCount = I("minCount");
        spec.MaxCount = I("maxCount");
        spec.MaxPods = I("maxPods");
        spec.OsDiskSizeGB = I("osDiskSizeGB");
        spec.OrchestratorVersion = S("orchestratorVersion");
        spec.EnableFips = B(p["enableFIPS"]);
        spec.EnableSecureBoot = B(p["securityProfile"]?["enableSecureBoot"]);
        spec.EnableVtpm = B(p["securityProfile"]?["enableVTPM"]);
        spec.EnableArtifactStreaming = B(p["artifactStreamingProfile"]?["enabled"]);
        foreach (var zone in (p["availabilityZones"] as System.Text.Json.Nodes.JsonArray ?? []).OfType<System.Text.Json.Nodes.JsonValue>())
        {
            spec.Zones.Add(zone.ToString());
        }

        foreach (var taint in (p["nodeTaints"] as System.Text.Json.Nodes.JsonArray ?? []).OfType<System.Text.Json.Nodes.JsonValue>())
        {
            builder.WithNodeTaint(taint.ToString());
        }

        return builder;
    }

    /// <summary>Builds an <see cref="AksNodePool"/>. Setters record values; <see cref="Build"/> checks them all and reports every problem at once.</summary>
    public sealed class Builder
    {
        private readonly NodePoolSpec _spec;
        private bool _built;

        internal Builder(string name) => _spec = new NodePoolSpec(name);

        /// <summary>The recorded values (for the readers of az and ARM input).</summary>
        internal NodePoolSpec Spec => _spec;

        /// <summary>Places the pool in a cluster.</summary>
        /// <param name="clusterName">The AKS cluster name.</param>
        /// <param name="resourceGroup">The cluster's resource group.</param>
        /// <param name="subscriptionId">The subscription ID (a GUID), or null for the caller's current one.</param>
        public Builder InCluster(string clusterName, string resourceGroup, string? subscriptionId = null)
        {
            Mutable.ClusterName = clusterName;
            _spec.ResourceGroup = resourceGroup;
            _spec.SubscriptionId = subscriptionId;
            return this;
        }

        /// <summary>Sets the VM size, for example <c>Standard_D4s_v5</c>: Generation 2 with nested virtualization (see <see cref="VmSizes"/>).</summary>
        public Builder WithVmSize(string vmSize)
        {
            Mutable.VmSize = vmSize;
            return this;
        }

        /// <summary>Sets a fixed node count (default 1) and turns autoscaling off.</summary>
        public Builder WithNodeCount(int count)
        {
            Mutable.Count = count;
            _spec.EnableAutoScaling = false;
            _spec.MinCount = _spec.MaxCount = null;
            return this;
        }

        /// <summary>Lets the cluster autoscaler manage the count between <paramref name="min"/> and <paramref name="max"/>.</summary>
        /// <param name="min">The lower bound (User pools may scale to 0).</param>
        /// <param name="max">The upper bound (at most 1000).</param>
        /// <param name="initialCount">The count to start with, between min and max; null starts with <paramref name="min"/> nodes.</param>
        public Builder WithAutoscaling(int min, int max, int? initialCount = null)
        {
            Mutable.EnableAutoScaling = true;
            _spec.MinCount = min;
            _spec.MaxCount = max;
            _spec.Count = initialCount;
            return this;
        }

        /// <summary>Sets the mode (default <see cref="AksNodePoolMode.User"/>).</summary>
        public Builder WithMode(AksNodePoolMode mode)
        {
            Mutable.Mode = mode;
            return this;
        }

        /// <summary>Sets the OS SKU (default <c>AzureLinux</c>; <c>AzureLinux3</c> is also accepted; others are errors).</summary>
        public Builder WithOsSku(AksOsSku osSku)
        {
            Mutable.OsSku = osSku;
            return this;
        }

        /// <summary>Sets the workload runtime (default <c>KataVmIsolation</c>; the legacy <c>KataMshvVmIsolation</c> is a warning).</summary>
        public Builder WithWorkloadRuntime(AksWorkloadRuntime runtime)
        {
            Mutable.WorkloadRuntime = runtime;
            return this;
        }

        /// <summary>
        /// Sets the ARM API version. Default: <see cref="AksApiVersions.Default"/>, or for the legacy runtime the newest preview.
        /// </summary>
        public Builder WithApiVersion(string apiVersion)
        {
            Mutable.ApiVersion = apiVersion;
            return this;
        }

        /// <summary>Spreads the nodes over availability zones (<c>"1"</c>, <c>"2"</c>, <c>"3"</c>).</summary>
        public Builder WithAvailabilityZones(params string[] zones)
        {
            ArgumentNullException.ThrowIfNull(zones);
            Mutable.Zones.Clear();
            _spec.Zones.AddRange(zones);
            return this;
        }

        /// <summary>Adds a node label.</summary>
        public Builder WithNodeLabel(string key, string value)
        {
            ArgumentNullException.ThrowIfNull(key);
            Mutable.Labels[key] = value ?? throw new ArgumentNullException(nameof(value));
            return this;
        }

        /// <summary>Adds a node taint; pods then need the matching toleration (see <see cref="PodTolerations"/>).</summary>
        public Builder WithNodeTaint(AksNodeTaint taint)
        {
            ArgumentNullException.ThrowIfNull(taint);
            Mutable.Taints.Add(new TaintEntry(taint.ToString(), taint));
            return this;
        }

        /// <summary>Adds a node taint written <c>key=value:Effect</c>.</summary>
        public Builder WithNodeTaint(string taint)
        {
            ArgumentNullException.ThrowIfNull(taint);
            AksNodeTaint? parsed = null;
            try
            {
                parsed = AksNodeTaint.Parse(taint);
            }
            catch (ArgumentException)
            {
                // Reported by Build() with every other problem.
            }

            Mutable.Taints.Add(new TaintEntry(taint, parsed));
            return this;
        }

        /// <summary>Adds a node taint <c>key=value:effect</c>.</summary>
        public Builder WithNodeTaint(string key, string? value, string effect = "NoSchedule") => WithNodeTaint(new AksNodeTaint(key, value, effect));

        /// <summary>Sets the maximum pods per node (10 to 250).</summary>
        public Builder WithMaxPods(int maxPods)
        {
            Mutable.MaxPods = maxPods;
            return this;
        }

        /// <summary>Sets the OS disk type and, optionally, its size in GB (up to 2048).</summary>
        public Builder WithOsDisk(AksOsDiskType type, int? sizeGB = null)
        {
            Mutable.OsDiskType = type;
            _spec.OsDiskSizeGB = sizeGB;
            return this;
        }

        /// <summary>Sets the Kubernetes version of the pool (1.27 or later), for example <c>1.33</c> or <c>1.33.2</c>.</summary>
        public Builder WithOrchestratorVersion(string version)
        {
            Mutable.OrchestratorVersion = version;
            return this;
        }

        /// <summary>Places the nodes (and, optionally, the pods) in subnets, by resource ID.</summary>
        public Builder WithSubnets(string vnetSubnetId, string? podSubnetId = null)
        {
            Mutable.VnetSubnetId = vnetSubnetId;
            _spec.PodSubnetId = podSubnetId;
            return this;
        }

        /// <summary>Adds an Azure tag.</summary>
        public Builder WithTag(string key, string value)
        {
            ArgumentNullException.ThrowIfNull(key);
            Mutable.Tags[key] = value ?? throw new ArgumentNullException(nameof(value));
            return this;
        }

        /// <summary>Enables or disables FIPS. Kata does not support FIPS: enabling it is an error (SBX3005).</summary>
        public Builder WithFips(bool enabled = true)
        {
            Mutable.EnableFips = enabled;
            return this;
        }

        /// <summary>Encrypts at host (temp disks and caches; needs the subscription feature <c>EncryptionAtHost</c>).</summary>
        public Builder WithEncryptionAtHost(bool enabled = true)
        {
            Mutable.EnableEncryptionAtHost = enabled;
            return this;
        }

        /// <summary>
        /// Turns Trusted Launch (secure boot, vTPM) on or off. AKS cannot enable it in the same pool as Pod Sandboxing: enabling
        /// either is an error (SBX3019). It exists so pools read from az or ARM (<c>AksNodePool.FromAzCli</c>, <c>AksNodePool.FromArm</c>)
        /// can be checked.
        /// </summary>
        public Builder WithTrustedLaunch(bool secureBoot = true, bool vtpm = true)
        {
            Mutable.EnableSecureBoot = secureBoot;
            _spec.EnableVtpm = vtpm;
            return this;
        }

        /// <summary>Turns Artifact Streaming on or off. AKS rejects it on Pod Sandboxing pools: enabling it is an error (SBX3021).</summary>
        public Builder WithArtifactStreaming(bool enabled = true)
        {
            Mutable.EnableArtifactStreaming = enabled;
            return this;
        }

        /// <summary>Every finding for the pool as it stands (errors and warnings), without building it.</summary>
        public IReadOnlyList<SandboxFinding> Validate() => NodePoolValidator.Validate(_spec);

        /// <summary>Validates and creates the pool. Warnings are kept in <see cref="Findings"/>.</summary>
        /// <exception cref="SandboxValidationException">The pool has errors; the exception lists every one, with field and fix.</exception>
        /// <exception cref="InvalidOperationException">The builder was already built.</exception>
        public AksNodePool Build()
        {
            var findings = NodePoolValidator.Validate(Mutable);
            var errors = findings.Where(f => f.Severity == SandboxSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                throw new SandboxValidationException(errors);
            }

            _built = true;
            return new AksNodePool(_spec, findings.Where(f => f.Severity != SandboxSeverity.Error).ToArray());
        }

        private NodePoolSpec Mutable => _built
            ? throw new InvalidOperationException("This builder has already built its node pool; start a new one with AksNodePool.ForSandboxing(name).")
            : _spec;
    }
}

/// <summary>An ARM REST request: method, URL (with <c>api-version</c>) and JSON body.</summary>
/// <param name="Method">The HTTP method (<c>PUT</c>).</param>
/// <param name="Url">The request URL, including <c>?api-version=</c>.</param>
/// <param name="Body">The JSON body.</param>
public sealed record AksRestRequest(string Method, string Url, string Body)
{
    /// <summary>The request as <c>METHOD URL</c>, a blank line, and the body.</summary>
    public override string ToString() => $"{Method} {Url}\nContent-Type: application/json\n\n{Body}";
}

internal sealed record TaintEntry(string Text, AksNodeTaint? Parsed);

/// <summary>What the builder has recorded, unvalidated.</summary>
internal sealed class NodePoolSpec(string name)
{
    public string Name { get; } = name;
    public string? ClusterName { get; set; }
    public string? ResourceGroup { get; set; }
    public string? SubscriptionId { get; set; }
    public string? VmSize { get; set; }
    public int? Count { get; set; }
    public bool EnableAutoScaling { get; set; }
    public int? MinCount { get; set; }
    public int? MaxCount { get; set; }
    public AksNodePoolMode Mode { get; set; }
    public AksOsSku OsSku { get; set; } = AksOsSku.AzureLinux;
    public AksWorkloadRuntime WorkloadRuntime { get; set; } = AksWorkloadRuntime.KataVmIsolation;
    public string? ApiVersion { get; set; }
    public List<string> Zones { get; } = [];
    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);
    public List<TaintEntry> Taints { get; } = [];
    public int? MaxPods { get; set; }
    public AksOsDiskType? OsDiskType { get; set; }
    public int? OsDiskSizeGB { get; set; }
    public string? OrchestratorVersion { get; set; }
    public string? VnetSubnetId { get; set; }
    public string? PodSubnetId { get; set; }
    public bool EnableFips { get; set; }
    public bool EnableEncryptionAtHost { get; set; }
    public bool EnableSecureBoot { get; set; }
    public bool EnableVtpm { get; set; }
    public bool EnableArtifactStreaming { get; set; }
    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
}
