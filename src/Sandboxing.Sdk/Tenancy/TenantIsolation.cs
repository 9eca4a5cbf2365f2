using System.Collections;
using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>Where a tenant's pods may open connections, besides cluster DNS.</summary>
public enum TenantEgressMode
{
    /// <summary>Cluster DNS only (UDP and TCP 53 to the DNS pods). The default.</summary>
    None = 0,

    /// <summary>
    /// The public internet: <c>0.0.0.0/0</c> and <c>::/0</c> except private, shared, link-local (incl. the metadata endpoint) and
    /// unique-local ranges, the cluster's pod and service CIDRs and the API server address, when given. Plus any allow-list rules.
    /// </summary>
    Internet,

    /// <summary>Cluster DNS and the named CIDRs, ports and namespaces only.</summary>
    AllowList,
}

/// <summary>What a tenant's operators may do in the tenant namespace.</summary>
public enum TenantOperatorRole
{
    /// <summary>The built-in <c>view</c> ClusterRole: read most objects, not Secrets.</summary>
    View = 0,

    /// <summary>
    /// A Role of the bundle's own (<see cref="TenantIsolation.OperatorsRole"/>), not the built-in <c>edit</c> ClusterRole: write
    /// pods, workloads, ConfigMaps, Secrets, claims and Ingresses, exec into pods, and only read NetworkPolicies, Services,
    /// ServiceAccounts and quotas (<c>edit</c> would let them delete the isolation, create Services with <c>externalIPs</c>,
    /// CVE-2020-8554, and impersonate service accounts).
    /// </summary>
    Edit,
}

/// <summary>A port a NetworkPolicy rule opens.</summary>
public readonly struct TenantPort
{
    /// <summary>A port of <paramref name="protocol"/>.</summary>
    /// <param name="port">The port number, 1–65535.</param>
    /// <param name="protocol"><c>TCP</c>, <c>UDP</c> or <c>SCTP</c>.</param>
    public TenantPort(int port, string protocol = "TCP")
    {
        Port = port;
        Protocol = protocol;
    }

    /// <summary>The port number, 1–65535.</summary>
    public int Port { get; }

    /// <summary><c>TCP</c>, <c>UDP</c> or <c>SCTP</c>.</summary>
    public string Protocol { get; }

    /// <summary>A TCP port.</summary>
    public static implicit operator TenantPort(int port) => new(port);
}

/// <summary>
/// The isolation around a tenant's sandboxed pods, as real KubernetesClient models: the tenant Namespace (Pod Security Admission
/// <c>restricted</c> enforced, warned and audited at a pinned version; the label that binds the SDK's admission policies),
/// default-deny NetworkPolicies with DNS to cluster DNS only and the chosen egress and ingress, a ResourceQuota and a LimitRange
/// that gives every container a memory limit (the Kata VM's size), a token-less ServiceAccount (optionally Microsoft Entra
/// Workload ID), an optional RoleBinding of the tenant's operators, and an optional customer-key StorageClass. A Kata VM protects
/// the host kernel; this bundle protects the other tenants, the cloud metadata endpoint, the API server and the cluster's capacity.
/// </summary>
/// <example>
/// <code>
/// TenantIsolation tenant = TenantIsolation.For("tenant-42")
///     .WithInternetEgress()
///     .WithClusterNetworks("10.244.0.0/16", "10.0.0.0/16")
///     .WithIngressFromNamespace("ingress-nginx")
///     .WithQuota(cpu: "8", memory: "16Gi", pods: 50, storage: "100Gi")
///     .WithWorkloadIdentity("00000000-0000-0000-0000-000000000042")
///     .Build();
/// V1Job job = Sandboxed.Job("run-1").ForTenant(tenant).WithContainer("run", "ghcr.io/acme/runner:1.4", c => c.WithResources("1", "1Gi")).Build();
/// string yaml = tenant.ToYaml();
/// </code>
/// </example>
public sealed class TenantIsolation : IEnumerable<IKubernetesObject>
{
    /// <summary>
    /// The Pod Security Standards version the labels pin by default: v1.34, the first with the Baseline check that forbids
    /// <c>host</c> on probes and lifecycle handlers (kubelet-made requests a NetworkPolicy cannot stop; kubernetes/kubernetes
    /// staging/src/k8s.io/pod-security-admission/policy/check_hostProbesAndhostLifecycle.go). A cluster older than the pin
    /// applies the newest version it knows, so AKS's 1.33 LTS clusters still get v1.33.
    /// </summary>
    public const string DefaultPodSecurityVersion = "v1.34";

    /// <summary>
    /// The node-local addresses AKS LocalDNS answers on (MicrosoftDocs/azure-aks-docs articles/aks/aks-local-dns.md @341a8d4:
    /// "the server address of 169.254.10.10 or 169.254.10.11"); <see cref="Builder.WithLocalDns"/> allows DNS to them.
    /// </summary>
    public static IReadOnlyList<string> LocalDnsAddresses { get; } = ["169.254.10.10/32", "169.254.10.11/32"];

    /// <summary>The default ServiceAccount name of a tenant's workloads.</summary>
    public const string DefaultServiceAccountName = "workload";

    /// <summary>
    /// The label naming the tenant, on its namespace, its pods and its cluster-scoped objects (StorageClass, RoleBinding). The tenant
    /// checks treat every Namespace with this label as a tenant namespace.
    /// </summary>
    public const string TenantLabel = "sandboxing.sdk/tenant";

    /// <summary>The label on a tenant namespace that requires the tenant's volumes to use a customer-managed key (SBX4008).</summary>
    public const string CustomerManagedKeyLabel = "sandboxing.sdk/require-customer-managed-key";

    private readonly IKubernetesObject[] _objects;

    internal TenantIsolation(TenantSpec spec, TenantObjects objects)
    {
        Name = spec.Name;
        EgressMode = spec.EgressMode;
        ServiceAccountName = spec.ServiceAccountName;
        WorkloadIdentityClientId = spec.WorkloadIdentityClientId;
        PodTolerations = spec.PodTolerations.ToArray();
        RequiresCustomerManagedKey = spec.RequireCustomerManagedKey;
        Namespace = objects.Namespace;
        ServiceAccount = objects.ServiceAccount;
        ResourceQuota = objects.Quota;
        LimitRange = objects.LimitRange;
        NetworkPolicies = objects.NetworkPolicies;
        OperatorsRole = objects.OperatorsRole;
        OperatorsBinding = objects.OperatorsBinding;
        StorageClass = objects.StorageClass;
        _objects = new IKubernetesObject?[] { Namespace, ServiceAccount, ResourceQuota, LimitRange }
            .Concat(NetworkPolicies).Append(OperatorsRole).Append(OperatorsBinding).Append(StorageClass).OfType<IKubernetesObject>().ToArray();
    }

    /// <summary>Starts a tenant whose namespace is <paramref name="name"/> (a DNS-1123 label; checked by <c>Build()</c>).</summary>
    public static Builder For(string name) => new(name);

    /// <summary>The tenant's name, which is also its namespace.</summary>
    public string Name { get; }

    /// <summary>Where the tenant's pods may connect (besides cluster DNS).</summary>
    public TenantEgressMode EgressMode { get; }

    /// <summary>The ServiceAccount the tenant's workloads run as.</summary>
    public string ServiceAccountName { get; }

    /// <summary>The Workload ID client ID on the ServiceAccount, or null without Workload ID.</summary>
    public string? WorkloadIdentityClientId { get; }

    /// <summary>Whether the tenant's volumes must use a customer-managed key (checked by SBX4008).</summary>
    public bool RequiresCustomerManagedKey { get; }

    /// <summary>Tolerations the tenant's pods get from <c>ForTenant</c> (for example a Kata pool's taint).</summary>
    public IReadOnlyList<V1Toleration> PodTolerations { get; }

    /// <summary>The labels <c>ForTenant</c> puts on workloads and their pods.</summary>
    public IReadOnlyDictionary<string, string> PodLabels => new Dictionary<string, string> { [TenantIsolation.TenantLabel] = Name };

    /// <summary>The tenant Namespace.</summary>
    public V1Namespace Namespace { get; }

    /// <summary>The ServiceAccount (<c>automountServiceAccountToken: false</c>).</summary>
    public V1ServiceAccount ServiceAccount { get; }

    /// <summary>The ResourceQuota.</summary>
    public V1ResourceQuota ResourceQuota { get; }

    /// <summary>The LimitRange (default memory limit for every container, minimum 128Mi).</summary>
    public V1LimitRange LimitRange { get; }

    /// <summary>The NetworkPolicies: default deny first, then DNS, then the allowed traffic.</summary>
    public IReadOnlyList<V1NetworkPolicy> NetworkPolicies { get; }

    /// <summary>
    /// The Role of the tenant's operators with <see cref="TenantOperatorRole.Edit"/> (write workloads, read the isolation), or
    /// null (no operators, or <see cref="TenantOperatorRole.View"/>, which binds the built-in <c>view</c> ClusterRole).
    /// </summary>
    public V1Role? OperatorsRole { get; }

    /// <summary>The RoleBinding of the tenant's operators, or null.</summary>
    public V1RoleBinding? OperatorsBinding { get; }

    /// <summary>The tenant's customer-key StorageClass, or null.</summary>
    public V1StorageClass? StorageClass { get; }

    /// <summary>Every object, Namespace first, in the order to apply them.</summary>
    public IEnumerator<IKubernetesObject> GetEnumerator() => ((IEnumerable<IKubernetesObject>)_objects).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The bundle as multi-document YAML (apply with <c>kubectl apply -f</c>).</summary>
    public string ToYaml() => SandboxManifest.ToYaml(this);

    /// <summary>
    /// The tenant checks (SBX4002–SBX4011) and the sandbox checks over this bundle and <paramref name="workloads"/> (workloads made
    /// with <c>ForTenant(this)</c> produce none).
    /// </summary>
    public IReadOnlyList<SandboxFinding> Validate(params object[] workloads) =>
        TenantValidator.Validate(_objects.Cast<object>().Concat(workloads ?? []));

    /// <summary>
    /// Checks tenants among any set of objects (a bundle, a manifest, a namespace's contents): every Namespace labelled
    /// <see cref="TenantLabel"/> is a tenant namespace, and the NetworkPolicies, quotas, LimitRanges, ServiceAccounts,
    /// StorageClasses, claims and workloads among the objects are checked against it (SBX4002–SBX4011); workloads also get the
    /// sandbox checks (SBX1xxx, SBX2xxx). The checks see only the objects given: a policy already in the cluster is not seen.
    /// </summary>
    /// <param name="objects">The objects; collections among them (such as a <see cref="TenantIsolation"/>) are flattened.</param>
    /// <returns>Every finding, in object order.</returns>
    public static IReadOnlyList<SandboxFinding> ValidateObjects(IEnumerable<object> objects) => TenantValidator.Validate(objects);

    /// <summary>Reads a manifest (multi-document YAML) and checks it as <see cref="ValidateObjects"/> does.</summary>
    /// <param name="yaml">The manifest.</param>
    /// <param name="source">The file name, for messages.</param>
    /// <exception cref="ManifestException">The YAML is malformed or holds an object the client does not know.</exception>
    public static IReadOnlyList<SandboxFinding> ValidateYaml(string yaml, string source = "<input>") => TenantValidator.ValidateYaml(yaml, source);

    /// <summary>Builds a <see cref="TenantIsolation"/>. Setters record values; <see cref="Build"/> checks them all and reports every problem at once (SBX4001).</summary>
    public sealed class Builder
    {
        private readonly TenantSpec _spec;
        private bool _built;

        internal Builder(string name) => _spec = new TenantSpec(name);

        /// <summary>Adds a label to the Namespace.</summary>
        public Builder WithNamespaceLabel(string key, string value)
        {
            ArgumentNullException.ThrowIfNull(key);
            Mutable.NamespaceLabels[key] = value ?? throw new ArgumentNullException(nameof(value));
            return this;
        }

        /// <summary>Pins the Pod Security Standards version (<c>v1.N</c>; default <see cref="DefaultPodSecurityVersion"/>). <c>latest</c> is refused: a cluster upgrade would tighten the rules under running tenants.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="version"/> is null.</exception>
        public Builder WithPodSecurityVersion(string version)
        {
            Mutable.PodSecurityVersion = version ?? throw new ArgumentNullException(nameof(version));
            return this;
        }

        /// <summary>Names the namespace label the admission policies bind to (default <c>sandboxing.sdk/enforce: "true"</c>, as <see cref="SandboxPolicy"/>).</summary>
        public Builder WithAdmissionPolicyLabel(string key, string value = "true")
        {
            Mutable.PolicyLabel = new(key, value);
            return this;
        }

        /// <summary>Where cluster DNS runs: its namespace and its pods' label. Default: <c>kube-system</c>, <c>k8s-app: kube-dns</c> (CoreDNS on AKS and kubeadm).</summary>
        public Builder WithClusterDns(string @namespace = "kube-system", string podLabelKey = "k8s-app", string podLabelValue = "kube-dns")
        {
            Mutable.DnsNamespace = @namespace;
            _spec.DnsPodLabel = new(podLabelKey, podLabelValue);
            return this;
        }

        /// <summary>
        /// Lets the tenant's pods reach AKS LocalDNS, the DNS proxy on each node of a pool with LocalDNS (UDP and TCP 53 to
        /// <see cref="LocalDnsAddresses"/>). Without it, DNS fails on such pools: the default-deny policy allows DNS only to the
        /// cluster DNS pods, and internet egress excepts link-local addresses.
        /// </summary>
        public Builder WithLocalDns()
        {
            Mutable.LocalDns = true;
            return this;
        }

        /// <summary>
        /// Says the cluster runs Azure CNI powered by Cilium (<c>--network-dataplane cilium</c>), where a NetworkPolicy
        /// <c>ipBlock</c> never matches pod or node addresses, not even through <c>0.0.0.0/0</c>. The bundle records it on its
        /// namespace, and the tenant checks then report (SBX4011) every <c>ipBlock</c> that reaches into
        /// <see cref="WithClusterNetworks"/> (AKS's default pod CIDRs when none are given): such a rule allows nothing there.
        /// </summary>
        public Builder WithCiliumDataplane()
        {
            Mutable.CiliumDataplane = true;
            return this;
        }

        /// <summary>
        /// Says the cluster is dual-stack (IPv4 and IPv6). <see cref="TenantEgressMode.Internet"/> egress excepts only fc00::/7 and
        /// fe80::/10 from <c>::/0</c>, so a node subnet or pod range outside them must be named in <see cref="WithClusterNetworks"/>;
        /// the tenant checks report (SBX4004) internet egress on a dual-stack tenant that names no IPv6 cluster network.
        /// </summary>
        public Builder WithDualStack()
        {
            Mutable.DualStack = true;
            return this;
        }

        /// <summary>The cluster's pod and service CIDRs and node subnets (any in-cluster range): excepted from <see cref="TenantEgressMode.Internet"/> egress.</summary>
        public Builder WithClusterNetworks(params string[] cidrs)
        {
            ArgumentNullException.ThrowIfNull(cidrs);
            Mutable.ClusterCidrs.AddRange(cidrs);
            return this;
        }

        /// <summary>
        /// The API server's address as the pods reach it (its public IP, or the private IP of API Server VNet Integration), for
        /// example <c>20.1.2.3/32</c>: excepted from <see cref="TenantEgressMode.Internet"/> egress so tenants cannot reach it.
        /// </summary>
        public Builder WithApiServerAddress(string cidr)
        {
            Mutable.ApiServerCidr = cidr;
            return this;
        }

        /// <summary>Lets the tenant's pods reach the API server at <paramref name="cidr"/> on <paramref name="port"/> (off by default).</summary>
        public Builder WithApiServerAllowed(string cidr, int port = 443)
        {
            Mutable.ApiServerCidr = cidr;
            _spec.AllowApiServer = true;
            _spec.ApiServerPort = port;
            return this;
        }

        /// <summary>Lets the tenant's pods reach the public internet (see <see cref="TenantEgressMode.Internet"/>).</summary>
        public Builder WithInternetEgress()
        {
            Mutable.Internet = true;
            return this;
        }

        /// <summary>
        /// Allows egress to a CIDR block (minus <paramref name="except"/>) on the given ports (none: every port). <c>Build()</c>
        /// refuses a block that reaches the metadata endpoint 169.254.169.254, Azure's WireServer 168.63.129.16, link-local
        /// 169.254.0.0/16 or fe80::/10 (SBX4003) or a cluster network (<see cref="WithClusterNetworks"/>, SBX4004), unless
        /// <paramref name="except"/> takes them out or <paramref name="force"/> is true.
        /// </summary>
        /// <param name="cidr">The block, such as <c>52.1.2.3/32</c>.</param>
        /// <param name="ports">The ports; none allows every port.</param>
        /// <param name="except">Ranges inside the block that stay closed.</param>
        /// <param name="force">Allow a block that reaches the node's platform endpoints or the cluster's networks.</param>
        public Builder WithEgressToCidr(string cidr, IEnumerable<TenantPort>? ports = null, IEnumerable<string>? except = null, bool force = false)
        {
            Mutable.EgressCidrs.Add(new CidrRule(cidr, except?.ToArray() ?? [], ports?.ToArray() ?? [], force));
            return this;
        }

        /// <summary>Allows egress to the pods of a namespace (optionally only those with <paramref name="podLabels"/>) on the given ports (none: every port).</summary>
        public Builder WithEgressToNamespace(string @namespace, IReadOnlyDictionary<string, string>? podLabels = null, params TenantPort[] ports)
        {
            Mutable.EgressPeers.Add(new PeerRule(@namespace, podLabels ?? new Dictionary<string, string>(), ports ?? []));
            return this;
        }

        /// <summary>Allows ingress from the pods of a namespace (for example the ingress controller's), optionally only those with <paramref name="podLabels"/>, to the given ports (none: every port).</summary>
        public Builder WithIngressFromNamespace(string @namespace, IReadOnlyDictionary<string, string>? podLabels = null, params TenantPort[] ports)
        {
            Mutable.IngressPeers.Add(new PeerRule(@namespace, podLabels ?? new Dictionary<string, string>(), ports ?? []));
            return this;
        }

        /// <summary>Lets the tenant's own pods talk to each other (off by default: one tenant's jobs may not trust each other either).</summary>
        public Builder WithTrafficWithinTenant()
        {
            Mutable.WithinTenant = true;
            return this;
        }

        /// <summary>Sets the ResourceQuota: CPU and memory (both requests and limits), pods and requested storage. Default 8 CPUs, 16Gi, 50 pods, 100Gi.</summary>
        public Builder WithQuota(string cpu, string memory, int pods, string storage)
        {
            Mutable.QuotaCpu = cpu;
            _spec.QuotaMemory = memory;
            _spec.QuotaPods = pods;
            _spec.QuotaStorage = storage;
            return this;
        }

        /// <summary>
        /// Sets the LimitRange: the memory and CPU every container gets when it names none (limits and requests alike, since the Kata VM
        /// is sized from limits), and the minimum memory (at least 128Mi, the smallest Kata VM). Default 1Gi, 1 CPU, 128Mi.
        /// </summary>
        public Builder WithContainerDefaults(string memory, string cpu, string minMemory = "128Mi")
        {
            Mutable.DefaultMemory = memory;
            _spec.DefaultCpu = cpu;
            _spec.MinMemory = minMemory;
            return this;
        }

        /// <summary>Names the ServiceAccount (default <see cref="DefaultServiceAccountName"/>).</summary>
        public Builder WithServiceAccount(string name)
        {
            Mutable.ServiceAccountName = name;
            return this;
        }

        /// <summary>Maps the ServiceAccount to a Microsoft Entra identity (Workload ID): the client ID and, optionally, the Entra tenant ID (GUIDs).</summary>
        public Builder WithWorkloadIdentity(string clientId, string? entraTenantId = null)
        {
            Mutable.WorkloadIdentityClientId = clientId;
            _spec.WorkloadIdentityTenantId = entraTenantId;
            return this;
        }

        /// <summary>Binds an Entra group (its object ID) in the tenant namespace to the built-in <c>view</c> ClusterRole, or to the bundle's own edit Role (see <see cref="TenantOperatorRole.Edit"/>).</summary>
        public Builder WithOperators(string entraGroupObjectId, TenantOperatorRole role = TenantOperatorRole.View)
        {
            Mutable.OperatorGroupId = entraGroupObjectId;
            _spec.OperatorRole = role;
            return this;
        }

        /// <summary>
        /// Adds a StorageClass for the tenant's volumes: Azure Disk CSI with a customer-managed key (the disk encryption set's resource
        /// ID), <c>reclaimPolicy: Delete</c>, <c>WaitForFirstConsumer</c>. Default name <c>&lt;tenant&gt;-cmk</c>. The cluster's identity
        /// needs the <c>Reader</c> role on the disk encryption set, or provisioning fails for lack of permission; and the class
        /// encrypts only volumes it provisions from now on: existing claims keep their keys until their disks are detached and
        /// updated through the Azure Disks API (learn.microsoft.com/azure/aks/azure-disk-customer-managed-keys).
        /// </summary>
        public Builder WithEncryptedStorage(string diskEncryptionSetId, string skuName = "Premium_LRS", string? storageClassName = null)
        {
            Mutable.DiskEncryptionSetId = diskEncryptionSetId;
            _spec.DiskSku = skuName;
            _spec.StorageClassName = storageClassName;
            return this;
        }

        /// <summary>Requires a customer-managed key for the tenant's volumes (the namespace is labelled; SBX4008 checks claims and classes).</summary>
        public Builder WithCustomerManagedKeyRequired(bool required = true)
        {
            Mutable.RequireCustomerManagedKey = required;
            return this;
        }

        /// <summary>Tolerations <c>ForTenant</c> adds to the tenant's pods (for example <c>pool.PodTolerations</c> of the Kata pool).</summary>
        public Builder WithPodTolerations(IEnumerable<V1Toleration> tolerations)
        {
            ArgumentNullException.ThrowIfNull(tolerations);
            Mutable.PodTolerations.AddRange(tolerations);
            return this;
        }

        /// <summary>Every SBX4001 finding for the settings as they stand, without building.</summary>
        public IReadOnlyList<SandboxFinding> Validate() => TenantBundleFactory.Check(_spec);

        /// <summary>Checks every setting and creates the bundle.</summary>
        /// <exception cref="SandboxValidationException">A setting is not valid; the exception lists every one (SBX4001), each naming its field.</exception>
        /// <exception cref="InvalidOperationException">The builder was already built.</exception>
        public TenantIsolation Build()
        {
            var findings = TenantBundleFactory.Check(Mutable);
            if (findings.Count > 0)
            {
                throw new SandboxValidationException(findings);
            }

            _built = true;
            return new TenantIsolation(_spec, TenantBundleFactory.Create(_spec));
        }

        private TenantSpec Mutable => _built
            ? throw new InvalidOperationException("This builder has already built its tenant; start a new one with TenantIsolation.For(name).")
            : _spec;
    }
}

internal sealed record CidrRule(string Cidr, string[] Except, TenantPort[] Ports, bool Force = false);

internal sealed record PeerRule(string Namespace, IReadOnlyDictionary<string, string> PodLabels, TenantPort[] Ports);

/// <summary>What the builder has recorded, unvalidated.</summary>
internal sealed class TenantSpec(string name)
{
    public string Name { get; } = name;
    public Dictionary<string, string> NamespaceLabels { get; } = new(StringComparer.Ordinal);
    public string PodSecurityVersion { get; set; } = TenantIsolation.DefaultPodSecurityVersion;
    public KeyValuePair<string, string> PolicyLabel { get; set; } = new(SandboxPolicy.DefaultNamespaceLabel, "true");
    public string DnsNamespace { get; set; } = "kube-system";
    public KeyValuePair<string, string> DnsPodLabel { get; set; } = new("k8s-app", "kube-dns");
    public List<string> ClusterCidrs { get; } = [];
    public string? ApiServerCidr { get; set; }
    public bool AllowApiServer { get; set; }
    public int ApiServerPort { get; set; } = 443;
    public bool Internet { get; set; }
    public bool LocalDns { get; set; }
    public bool CiliumDataplane { get; set; }
    public bool DualStack { get; set; }
    public List<CidrRule> EgressCidrs { get; } = [];
    public List<PeerRule> EgressPeers { get; } = [];
    public List<PeerRule> IngressPeers { get; } = [];
    public bool WithinTenant { get; set; }
    public string QuotaCpu { get; set; } = "8";
    public string QuotaMemory { get; set; } = "16Gi";
    public int QuotaPods { get; set; } = 50;
    public string QuotaStorage { get; set; } = "100Gi";
    public string DefaultMemory { get; set; } = "1Gi";
    public string DefaultCpu { get; set; } = "1";
    public string MinMemory { get; set; } = "128Mi";
    public string ServiceAccountName { get; set; } = TenantIsolation.DefaultServiceAccountName;
    public string? WorkloadIdentityClientId { get; set; }
    public string? WorkloadIdentityTenantId { get; set; }
    public string? OperatorGroupId { get; set; }
    public TenantOperatorRole OperatorRole { get; set; }
    public string? DiskEncryptionSetId { get; set; }
    public string DiskSku { get; set; } = "Premium_LRS";
    public string? StorageClassName { get; set; }
    public bool RequireCustomerManagedKey { get; set; }
    public List<V1Toleration> PodTolerations { get; } = [];

    public TenantEgressMode EgressMode => Internet ? TenantEgressMode.Internet
        : EgressCidrs.Count > 0 || EgressPeers.Count > 0 || AllowApiServer ? TenantEgressMode.AllowList : TenantEgressMode.None;
}

internal sealed record TenantObjects(
    V1Namespace Namespace, V1ServiceAccount ServiceAccount, V1ResourceQuota Quota, V1LimitRange LimitRange,
    IReadOnlyList<V1NetworkPolicy> NetworkPolicies, V1Role? OperatorsRole, V1RoleBinding? OperatorsBinding, V1StorageClass? StorageClass);
