// SBX4xxx: the tenant around the VM (namespace, network, identity, quota, storage). Part of the rule catalog (SandboxRules.cs),
// linked into the analyzer.

namespace Sandboxing.Sdk;

#if SANDBOXING_ANALYZER
internal
#else
public
#endif
static partial class SandboxRules
{
    /// <summary>Rule category for the tenant isolation bundle (namespace, network, identity, quota, storage).</summary>
    public const string TenancyCategory = "Tenancy";

    /// <summary>SBX4001: a tenant setting that cannot produce a working bundle (bad CIDR, quota under the LimitRange, …).</summary>
    internal static readonly SandboxRule TenantInvalidSetting = new(
        "SBX4001", TenancyCategory, SandboxSeverity.Error,
        "Tenant setting is not valid",
        "Tenant '{0}': {1}",
        "Correct the named setting as the message says; the bundle would be rejected by Kubernetes or would not isolate the tenant.");

    /// <summary>SBX4002: a tenant namespace without a default-deny NetworkPolicy for ingress and egress.</summary>
    internal static readonly SandboxRule TenantNoDefaultDeny = new(
        "SBX4002", TenancyCategory, SandboxSeverity.Warning,
        "Tenant namespace has no default-deny NetworkPolicy",
        "Tenant namespace '{0}' has no NetworkPolicy that selects every pod and denies {1} by default, so its pods reach (or are reached by) every other pod; add a default-deny policy",
        "Add a NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress] and no rules (TenantIsolation emits it), then allow only what the tenant needs.");

    /// <summary>SBX4003: egress that reaches the cloud metadata endpoint 169.254.169.254 or Azure's WireServer 168.63.129.16.</summary>
    internal static readonly SandboxRule TenantEgressToMetadata = new(
        "SBX4003", TenancyCategory, SandboxSeverity.Warning,
        "Egress reaches the cloud metadata endpoint or the WireServer",
        "NetworkPolicy {0} lets tenant pods reach {1}; except it from the rule's ipBlock",
        "Except 169.254.0.0/16 (IPv4 link-local, which holds the instance metadata endpoint) and 168.63.129.16/32 (Azure's WireServer) from every ipBlock that covers them, and never allow egress to all destinations.");

    /// <summary>SBX4004: egress that reaches a whole private range, the cluster's networks or every namespace.</summary>
    internal static readonly SandboxRule TenantEgressToPrivateRanges = new(
        "SBX4004", TenancyCategory, SandboxSeverity.Warning,
        "Egress reaches private ranges or other tenants",
        "NetworkPolicy {0} lets tenant pods reach {1}, where other tenants and cluster services live; narrow the rule",
        "Except RFC 1918, 100.64.0.0/10, fc00::/7 and the cluster's pod and service CIDRs from broad ipBlocks, and name namespaces instead of selecting all of them; allow a single private service by its /32.");

    /// <summary>SBX4005: a tenant namespace without a ResourceQuota or without a LimitRange that gives containers a memory limit.</summary>
    internal static readonly SandboxRule TenantNoQuota = new(
        "SBX4005", TenancyCategory, SandboxSeverity.Warning,
        "Tenant namespace has no quota or default memory limit",
        "Tenant namespace '{0}' has {1}, so one tenant can starve the others or get the 512Mi default VM; add it",
        "Add a ResourceQuota (requests and limits for CPU and memory, pods, storage) and a LimitRange whose default gives every container a memory limit, with a minimum of 128Mi.");

    /// <summary>SBX4006: a tenant pod that mounts a service account token.</summary>
    internal static readonly SandboxRule TenantServiceAccountToken = new(
        "SBX4006", TenancyCategory, SandboxSeverity.Warning,
        "Tenant pod mounts a service account token",
        "{0} in tenant namespace '{1}' mounts a service account token ({2}), which lets untrusted code call the API server; set automountServiceAccountToken to false",
        "Set automountServiceAccountToken: false on the pod or on its ServiceAccount (TenantIsolation does both); use Workload ID for cloud access.");

    /// <summary>SBX4007: a pod labelled for Workload ID whose service account has no client-id annotation.</summary>
    internal static readonly SandboxRule TenantWorkloadIdentityMismatch = new(
        "SBX4007", TenancyCategory, SandboxSeverity.Warning,
        "Workload ID label without an annotated service account",
        "{0} has label 'azure.workload.identity/use: \"true\"' but its service account '{1}' {2}; the webhook injects no credentials; annotate the account or use WithWorkloadIdentity",
        "Annotate the pod's ServiceAccount with azure.workload.identity/client-id (TenantIsolation.WithWorkloadIdentity) and make the pod use that account (ForTenant / WithWorkloadIdentity).");

    /// <summary>SBX4008: a tenant that requires customer-managed keys without a StorageClass that uses them.</summary>
    internal static readonly SandboxRule TenantStorageWithoutCustomerKey = new(
        "SBX4008", TenancyCategory, SandboxSeverity.Warning,
        "Tenant storage is not encrypted with a customer-managed key",
        "{0} in tenant '{1}': {2}; use a disk.csi.azure.com StorageClass with parameter diskEncryptionSetID",
        "Give the tenant a StorageClass with provisioner disk.csi.azure.com and parameters.diskEncryptionSetID (TenantIsolation.WithEncryptedStorage), reclaimPolicy Delete, and claim volumes from it.");

    /// <summary>SBX4010: ingress into a tenant namespace from every namespace, every source or a whole range of addresses.</summary>
    internal static readonly SandboxRule TenantIngressFromEverywhere = new(
        "SBX4010", TenancyCategory, SandboxSeverity.Warning,
        "Ingress reaches tenant pods from every namespace or address",
        "NetworkPolicy {0} lets {1} reach tenant pods, so other tenants (or the internet, through any load balancer) reach them too; name the namespace and pods that need to",
        "Allow ingress only from the namespaces and pods that need it (the ingress controller's: namespaceSelector with kubernetes.io/metadata.name and a podSelector), never from namespaceSelector {}, a rule without 'from', or ipBlock 0.0.0.0/0.");

    /// <summary>SBX4009: a tenant namespace whose Pod Security Admission level is not enforced as restricted.</summary>
    internal static readonly SandboxRule TenantPodSecurityNotRestricted = new(
        "SBX4009", TenancyCategory, SandboxSeverity.Warning,
        "Tenant namespace does not enforce the restricted Pod Security Standard",
        "Tenant namespace '{0}' {1}; label it pod-security.kubernetes.io/enforce: restricted with a pinned enforce-version",
        "Label the namespace pod-security.kubernetes.io/enforce, warn and audit: restricted, with a pinned *-version (TenantIsolation does).");

    /// <summary>SBX4011: on the Cilium dataplane, an ipBlock aimed at pod or node addresses, which Cilium never matches.</summary>
    internal static readonly SandboxRule TenantIpBlockInClusterOnCilium = new(
        "SBX4011", TenancyCategory, SandboxSeverity.Warning,
        "ipBlock aimed at pod or node addresses does nothing on Cilium",
        "NetworkPolicy {0}: ipBlock {1} reaches into the cluster network {2}, but Azure CNI powered by Cilium never matches pod or node IPs with an ipBlock, so that part of the rule allows nothing; select the pods with a namespaceSelector and podSelector",
        "Allow in-cluster peers by namespaceSelector and podSelector (WithEgressToNamespace, WithIngressFromNamespace; --allow-namespace, --ingress-from) and keep ipBlock for addresses outside the cluster's pod and node ranges.");
}
