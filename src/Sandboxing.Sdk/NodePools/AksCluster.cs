
namespace Sandboxing.Sdk.Aks;

/// <summary>The network policy engine of an AKS cluster (ARM <c>networkProfile.networkPolicy</c>), chosen when it is created.</summary>
public enum AksNetworkPolicy
{
    /// <summary><c>none</c>: NetworkPolicies are stored but not enforced (the AKS default). An error for tenant isolation (SBX3030).</summary>
    None = 0,

    /// <summary>
    /// <c>azure</c>: Azure Network Policy Manager (iptables; works with Azure CNI Overlay). AKS ends its support on Linux nodes on
    /// 30 September 2028 (MicrosoftDocs/azure-aks-docs <c>articles/aks/includes/azure-network-policy-manager-linux-retirement.md</c>): prefer Cilium.
    /// </summary>
    Azure,

    /// <summary><c>calico</c>: Calico.</summary>
    Calico,

    /// <summary><c>cilium</c>: Cilium, with the Cilium dataplane (Azure CNI powered by Cilium).</summary>
    Cilium,
}

/// <summary>
/// A new AKS cluster with Pod Sandboxing from the start, as the AKS announcement describes: a Kata-capable system pool
/// (Azure Linux, a nested-virtualization size, <c>KataVmIsolation</c>), Azure CNI Overlay with a network policy engine, the OIDC
/// issuer and Microsoft Entra Workload ID, Entra ID integration with Azure RBAC and no local accounts, optionally a disk
/// encryption set for OS disks and encryption at host. Validated when built (SBX3030–SBX3035 and each pool's SBX3001–SBX3013);
/// emitted as <c>az aks create</c>, Bicep, ARM JSON, Terraform and a REST request.
/// </summary>
/// <example>
/// <code>
/// AksCluster cluster = AksCluster.ForSandboxing("sandbox-aks", "sandbox-rg", "westeurope")
///     .WithNetworkPolicy(AksNetworkPolicy.Cilium)
///     .WithEncryptionAtHost()
///     .Build();
/// string bicep = cluster.ToBicep();
/// </code>
/// </example>
public sealed class AksCluster
{
    /// <summary>The default system pool VM size: Dsv5, Generation 2 with nested virtualization (used by Kata CI).</summary>
    public const string DefaultSystemPoolVmSize = "Standard_D4s_v5";

    internal AksCluster(ClusterSpec spec, IReadOnlyList<AksNodePool> pools, IReadOnlyList<SandboxFinding> findings)
    {
        Name = spec.Name;
        ResourceGroup = spec.ResourceGroup;
        Location = spec.Location;
        SubscriptionId = spec.SubscriptionId;
        DnsPrefix = spec.DnsPrefix ?? spec.Name;
        KubernetesVersion = spec.KubernetesVersion;
        ApiVersion = spec.ApiVersion ?? AksApiVersions.Default;
        NetworkPolicy = spec.NetworkPolicy;
        NetworkDataplane = spec.Dataplane ?? (spec.NetworkPolicy == AksNetworkPolicy.Cilium ? "cilium" : "azure");
        PodCidr = spec.PodCidr;
        ServiceCidr = spec.ServiceCidr;
        DnsServiceIp = spec.DnsServiceIp;
        OidcIssuer = spec.OidcIssuer;
        WorkloadIdentity = spec.WorkloadIdentity;
        EntraId = spec.EntraId;
        AzureRbac = spec.EntraId && spec.AzureRbac;
        DisableLocalAccounts = spec.DisableLocalAccounts;
        AdminGroupObjectIds = spec.AdminGroups.ToArray();
        DiskEncryptionSetId = spec.DiskEncryptionSetId;
        EncryptionAtHost = spec.EncryptionAtHost;
        TenantIsolation = spec.TenantIsolation;
        NodePools = pools;
        Findings = findings;
    }

    /// <summary>Starts a cluster with the SDK's defaults: a 2-node Kata-capable System pool (<see cref="DefaultSystemPoolVmSize"/>),
    /// Azure CNI Overlay with Cilium (network policy and dataplane), OIDC issuer and Workload ID, Entra ID with Azure RBAC, no local
    /// accounts, the tenant isolation profile.</summary>
    public static Builder ForSandboxing(string name, string resourceGroup, string location) => new(name, resourceGroup, location);

    /// <summary>The cluster name.</summary>
    public string Name { get; }

    /// <summary>The resource group.</summary>
    public string ResourceGroup { get; }

    /// <summary>The Azure region, for example <c>westeurope</c>.</summary>
    public string Location { get; }

    /// <summary>The subscription ID, or null for the caller's current one.</summary>
    public string? SubscriptionId { get; }

    /// <summary>The DNS prefix of the API server's FQDN (default: the cluster name).</summary>
    public string DnsPrefix { get; }

    /// <summary>The Kubernetes version, or null for the AKS default.</summary>
    public string? KubernetesVersion { get; }

    /// <summary>The ARM API version of <c>Microsoft.ContainerService/managedClusters</c>.</summary>
    public string ApiVersion { get; }

    /// <summary>The network policy engine.</summary>
    public AksNetworkPolicy NetworkPolicy { get; }

    /// <summary>The network dataplane (<c>azure</c> or <c>cilium</c>).</summary>
    public string NetworkDataplane { get; }

    /// <summary>The pod CIDR (Azure CNI Overlay), or null for the AKS default.</summary>
    public string? PodCidr { get; }

    /// <summary>The service CIDR, or null for the AKS default.</summary>
    public string? ServiceCidr { get; }

    /// <summary>The cluster DNS service IP (inside <see cref="ServiceCidr"/>), or null for the AKS default.</summary>
    public string? DnsServiceIp { get; }

    /// <summary>Whether the OIDC issuer is enabled.</summary>
    public bool OidcIssuer { get; }

    /// <summary>Whether Microsoft Entra Workload ID is enabled.</summary>
    public bool WorkloadIdentity { get; }

    /// <summary>Whether AKS-managed Microsoft Entra ID integration is enabled.</summary>
    public bool EntraId { get; }

    /// <summary>Whether Azure RBAC authorizes Kubernetes requests.</summary>
    public bool AzureRbac { get; }

    /// <summary>Whether local accounts (the static admin credential) are disabled.</summary>
    public bool DisableLocalAccounts { get; }

    /// <summary>The Entra groups (object IDs) that administer the cluster.</summary>
    public IReadOnlyList<string> AdminGroupObjectIds { get; }

    /// <summary>The disk encryption set for the nodes' OS disks (customer-managed key), or null for platform keys.</summary>
    public string? DiskEncryptionSetId { get; }

    /// <summary>Whether every pool encrypts at host (temp disks, caches; needs the <c>EncryptionAtHost</c> subscription feature).</summary>
    public bool EncryptionAtHost { get; }

    /// <summary>Whether the cluster is meant to host isolated tenants (network policy and Workload ID become requirements).</summary>
    public bool TenantIsolation { get; }

    /// <summary>The node pools, the System pool first.</summary>
    public IReadOnlyList<AksNodePool> NodePools { get; }

    /// <summary>The warnings found when the cluster was built.</summary>
    public IReadOnlyList<SandboxFinding> Findings { get; }

    /// <summary>The ARM resource ID; <c>{subscriptionId}</c> stands in when no subscription was given.</summary>
    public string ResourceId =>
        $"/subscriptions/{SubscriptionId ?? "{subscriptionId}"}/resourceGroups/{ResourceGroup}/providers/Microsoft.ContainerService/managedClusters/{Name}";

    /// <summary><c>az aks create</c> with every flag, then <c>az aks nodepool add</c> for each further pool.</summary>
    public string ToAzCli() => AksClusterAzCliEmitter.Emit(this);

    /// <summary>A Bicep file with the <c>Microsoft.ContainerService/managedClusters</c> resource (every pool inline).</summary>
    public string ToBicep() => AksClusterBicepEmitter.Emit(this);

    /// <summary>An ARM deployment template (JSON) with the same resource as <see cref="ToBicep"/>.</summary>
    public string ToArmTemplate() => AksClusterArmEmitter.Emit(this);

    /// <summary>Terraform: <c>azurerm_kubernetes_cluster</c> (and <c>azurerm_kubernetes_cluster_node_pool</c> per further pool), written for azurerm 5.x (<c>node_provisioning_profile</c> in Manual mode, no <c>network_policy</c> argument for <see cref="AksNetworkPolicy.None"/>).</summary>
    public string ToTerraform() => AksClusterTerraformEmitter.Emit(this);

    /// <summary>The ARM REST request that creates the cluster.</summary>
    public AksRestRequest ToRestRequest() => AksClusterRestEmitter.Emit(this);

    /// <summary>Builds an <see cref="AksCluster"/>. Setters record values; <see cref="Build"/> checks them all and reports every problem at once.</summary>
    public sealed class Builder
    {
        private readonly ClusterSpec _spec;
        private bool _built;

        internal Builder(string name, string resourceGroup, string location) => _spec = new ClusterSpec(name ?? "", resourceGroup ?? "", location ?? "");

        /// <summary>Sets the subscription (a GUID).</summary>
        public Builder WithSubscription(string subscriptionId)
        {
            Mutable.SubscriptionId = subscriptionId;
            return this;
        }

        /// <summary>Sets the DNS prefix of the API server's FQDN (default: the cluster name).</summary>
        public Builder WithDnsPrefix(string dnsPrefix)
        {
            Mutable.DnsPrefix = dnsPrefix;
            return this;
        }

        /// <summary>Sets the Kubernetes version (1.27 or later; Azure Linux 3 with Kata needs 1.32 or later on new clusters).</summary>
        public Builder WithKubernetesVersion(string version)
        {
            Mutable.KubernetesVersion = version;
            return this;
        }

        /// <summary>Sets the ARM API version (default <see cref="AksApiVersions.Default"/>).</summary>
        public Builder WithApiVersion(string apiVersion)
        {
            Mutable.ApiVersion = apiVersion;
            return this;
        }

        /// <summary>Sizes the default System pool (Kata-capable, named <c>system</c>).</summary>
        public Builder WithSystemPool(string vmSize = DefaultSystemPoolVmSize, int count = 2)
        {
            Mutable.SystemVmSize = vmSize;
            _spec.SystemCount = count;
            _spec.SystemPool = null;
            return this;
        }

        /// <summary>Uses <paramref name="pool"/> (mode System, in this cluster) as the System pool.</summary>
        public Builder WithSystemPool(AksNodePool pool)
        {
            Mutable.SystemPool = pool ?? throw new ArgumentNullException(nameof(pool));
            return this;
        }

        /// <summary>Adds a further pool (in this cluster), for example a tainted Kata pool for tenant workloads.</summary>
        public Builder WithNodePool(AksNodePool pool)
        {
            Mutable.Pools.Add(pool ?? throw new ArgumentNullException(nameof(pool)));
            return this;
        }

        /// <summary>Chooses the network policy engine; Cilium also chooses the Cilium dataplane unless <paramref name="dataplane"/> says otherwise.</summary>
        public Builder WithNetworkPolicy(AksNetworkPolicy policy, string? dataplane = null)
        {
            Mutable.NetworkPolicy = policy;
            _spec.Dataplane = dataplane;
            return this;
        }

        /// <summary>Sets the overlay pod CIDR, the service CIDR and the cluster DNS service IP (inside the service CIDR).</summary>
        public Builder WithNetwork(string podCidr, string serviceCidr, string dnsServiceIp)
        {
            Mutable.PodCidr = podCidr;
            _spec.ServiceCidr = serviceCidr;
            _spec.DnsServiceIp = dnsServiceIp;
            return this;
        }

        /// <summary>Enables or disables the OIDC issuer (default on).</summary>
        public Builder WithOidcIssuer(bool enabled = true)
        {
            Mutable.OidcIssuer = enabled;
            return this;
        }

        /// <summary>Enables or disables Microsoft Entra Workload ID (default on; needs the OIDC issuer).</summary>
        public Builder WithWorkloadIdentity(bool enabled = true)
        {
            Mutable.WorkloadIdentity = enabled;
            return this;
        }

        /// <summary>Configures Entra ID integration (default on, with Azure RBAC and without local accounts).</summary>
        public Builder WithEntraId(bool enabled = true, IEnumerable<string>? adminGroupObjectIds = null, bool azureRbac = true, bool disableLocalAccounts = true)
        {
            Mutable.EntraId = enabled;
            _spec.AzureRbac = azureRbac;
            _spec.DisableLocalAccounts = enabled && disableLocalAccounts;
            _spec.AdminGroups.Clear();
            _spec.AdminGroups.AddRange(adminGroupObjectIds ?? []);
            return this;
        }

        /// <summary>Encrypts the nodes' OS disks with a customer-managed key (a disk encryption set's resource ID; only at creation).</summary>
        public Builder WithDiskEncryptionSet(string diskEncryptionSetId)
        {
            Mutable.DiskEncryptionSetId = diskEncryptionSetId;
            return this;
        }

        /// <summary>Encrypts at host on every pool (temp disks, caches; the subscription needs the <c>EncryptionAtHost</c> feature).</summary>
        public Builder WithEncryptionAtHost(bool enabled = true)
        {
            Mutable.EncryptionAtHost = enabled;
            return this;
        }

        /// <summary>Drops the tenant isolation profile: a missing network policy engine or Workload ID become warnings.</summary>
        public Builder WithoutTenantIsolation()
        {
            Mutable.TenantIsolation = false;
            return this;
        }

        /// <summary>Every finding for the cluster as it stands, without building it.</summary>
        public IReadOnlyList<SandboxFinding> Validate() => AksClusterValidator.Validate(_spec, out _);

        /// <summary>Validates and creates the cluster. Warnings are kept in <see cref="Findings"/>.</summary>
        /// <exception cref="SandboxValidationException">The cluster or one of its pools has errors; the exception lists every one.</exception>
        /// <exception cref="InvalidOperationException">The builder was already built.</exception>
        public AksCluster Build()
        {
            var findings = AksClusterValidator.Validate(Mutable, out var pools);
            var errors = findings.Where(f => f.Severity == SandboxSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                throw new SandboxValidationException(errors);
            }

            _built = true;
            return new AksCluster(_spec, pools!, findings);
        }

        private ClusterSpec Mutable => _built
            ? throw new InvalidOperationException("This builder has already built its cluster; start a new one with AksCluster.ForSandboxing(name, resourceGroup, location).")
            : _spec;
    }
}

/// <summary>What the cluster builder has recorded, unvalidated.</summary>
internal sealed class ClusterSpec(string name, string resourceGroup, string location)
{
    public string Name { get; } = name;
    public string ResourceGroup { get; } = resourceGroup;
    public string Location { get; } = location;
    public string? SubscriptionId { get; set; }
    public string? DnsPrefix { get; set; }
    public string? KubernetesVersion { get; set; }
    public string? ApiVersion { get; set; }
    public string SystemVmSize { get; set; } = AksCluster.DefaultSystemPoolVmSize;
    public int SystemCount { get; set; } = 2;
    public AksNodePool? SystemPool { get; set; }
    public List<AksNodePool> Pools { get; } = [];
    public AksNetworkPolicy NetworkPolicy { get; set; } = AksNetworkPolicy.Cilium;
    public string? Dataplane { get; set; }
    public string? PodCidr { get; set; }
    public string? ServiceCidr { get; set; }
    public string? DnsServiceIp { get; set; }
    public bool OidcIssuer { get; set; } = true;
    public bool WorkloadIdentity { get; set; } = true;
    public bool EntraId { get; set; } = true;
    public bool AzureRbac { get; set; } = true;
    public bool DisableLocalAccounts { get; set; } = true;
    public List<string> AdminGroups { get; } = [];
    public string? DiskEncryptionSetId { get; set; }
    public bool EncryptionAtHost { get; set; }
    public bool TenantIsolation { get; set; } = true;
}
