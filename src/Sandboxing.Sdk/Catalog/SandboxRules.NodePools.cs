// SBX3xxx: AKS node pools (SBX3001-SBX3029) and clusters created for Pod Sandboxing (SBX3030-SBX3049). Part of the rule catalog
// (SandboxRules.cs), linked into the analyzer.

namespace Sandboxing.Sdk;

#if SANDBOXING_ANALYZER
internal
#else
public
#endif
static partial class SandboxRules
{
    /// <summary>SBX3001: an AKS node pool whose OS SKU is not Azure Linux (Pod Sandboxing runs only on Azure Linux).</summary>
    internal static readonly SandboxRule NodePoolOsSkuNotAzureLinux = new(
        "SBX3001", NodePoolCategory, SandboxSeverity.Error,
        "Node pool OS SKU is not Azure Linux",
        "Node pool '{0}' uses OS SKU '{1}', but only Azure Linux supports Pod Sandboxing; use '{2}'",
        "Set the OS SKU to AzureLinux; Ubuntu, Azure Container Linux, Flatcar and Windows pools cannot run Kata pods.");

    /// <summary>SBX3002: a Windows node pool, which cannot run Kata VM isolation.</summary>
    internal static readonly SandboxRule NodePoolWindows = new(
        "SBX3002", NodePoolCategory, SandboxSeverity.Error,
        "Node pool runs Windows",
        "Node pool '{0}' runs {1}, which cannot host Kata VM sandboxes; use a Linux pool with OS SKU AzureLinux",
        "Use osType Linux with osSKU AzureLinux for the sandboxing pool; keep Windows workloads on a separate pool.");

    /// <summary>SBX3003: a VM size without nested virtualization or Generation 2 support.</summary>
    internal static readonly SandboxRule NodePoolVmSizeUnsupported = new(
        "SBX3003", NodePoolCategory, SandboxSeverity.Error,
        "VM size cannot run Kata VM isolation",
        "Node pool '{0}' uses VM size '{1}' ({2}), which cannot run Pod Sandboxing: {3}; choose a Generation 2 size with nested virtualization such as '{4}'",
        "Choose a Generation 2 VM size that supports nested virtualization (for example Standard_D4s_v5 or Standard_E4s_v5).");

    /// <summary>SBX3004: a VM size the SDK's catalog does not know, or whose nested-virtualization support is unconfirmed.</summary>
    internal static readonly SandboxRule NodePoolVmSizeUnknown = new(
        "SBX3004", NodePoolCategory, SandboxSeverity.Warning,
        "VM size is not confirmed for Kata VM isolation",
        "Node pool '{0}' uses VM size '{1}', {2}; check on its Azure size page that it is Generation 2 and supports nested virtualization, or pick a confirmed size such as '{3}'",
        "Check the size's Azure documentation page for 'Nested virtualization: Supported' and Generation 2, or choose a size from the SDK's VM size catalog.");

    /// <summary>SBX3005: a FIPS-enabled node pool.</summary>
    internal static readonly SandboxRule NodePoolFips = new(
        "SBX3005", NodePoolCategory, SandboxSeverity.Error,
        "Node pool enables FIPS",
        "Node pool '{0}' enables FIPS, which AKS rejects on Pod Sandboxing pools since 19 June 2026 (the Kata node image carries no FIPS compliance); disable FIPS on the sandboxing pool",
        "Set enableFIPS to false on the sandboxing pool; run FIPS workloads on a separate, non-sandboxed pool.");

    /// <summary>SBX3006: an ARM API version whose workloadRuntime enum lacks the chosen runtime.</summary>
    internal static readonly SandboxRule NodePoolApiVersionLacksRuntime = new(
        "SBX3006", NodePoolCategory, SandboxSeverity.Error,
        "API version does not know the workload runtime",
        "Node pool '{0}' uses API version '{1}', which does not accept workloadRuntime '{2}' ({3}); use API version '{4}'",
        "Use an API version that lists the runtime: 2025-09-01 or later for KataVmIsolation (the SDK's default), a preview version for KataMshvVmIsolation.");

    /// <summary>SBX3007: the preview workload runtime KataMshvVmIsolation.</summary>
    internal static readonly SandboxRule NodePoolLegacyRuntime = new(
        "SBX3007", NodePoolCategory, SandboxSeverity.Warning,
        "Legacy workload runtime KataMshvVmIsolation",
        "Node pool '{0}' uses the preview workload runtime 'KataMshvVmIsolation', deprecated in favour of 'KataVmIsolation' (GA), which stable API versions require; switch to 'KataVmIsolation'",
        "Use workloadRuntime KataVmIsolation with a stable API version (2025-09-01 or later) and the pod runtime class kata-vm-isolation.");

    /// <summary>SBX3008: a workload runtime that is not Kata VM isolation (OCIContainer, WasmWasi, the retired KataCcIsolation).</summary>
    internal static readonly SandboxRule NodePoolRuntimeNotKata = new(
        "SBX3008", NodePoolCategory, SandboxSeverity.Error,
        "Workload runtime is not Kata VM isolation",
        "Node pool '{0}' uses workload runtime '{1}', {2}; use 'KataVmIsolation'",
        "Set workloadRuntime to KataVmIsolation on the sandboxing pool.");

    /// <summary>SBX3009: an agent pool name AKS rejects.</summary>
    internal static readonly SandboxRule NodePoolInvalidName = new(
        "SBX3009", NodePoolCategory, SandboxSeverity.Error,
        "Node pool name is not valid",
        "Node pool name '{0}' is not valid: {1}; use 1 to 12 lowercase letters and digits, starting with a letter",
        "Name the pool with 1 to 12 lowercase letters and digits, starting with a letter (^[a-z][a-z0-9]{0,11}$), for example 'kata'.");

    /// <summary>SBX3010: a node count or autoscaling bounds out of range.</summary>
    internal static readonly SandboxRule NodePoolCountOutOfRange = new(
        "SBX3010", NodePoolCategory, SandboxSeverity.Error,
        "Node count or autoscaling bounds are out of range",
        "Node pool '{0}': {1}",
        "Keep counts within 0 to 1000 for User pools (1 to 1000 for System pools) and make minCount no greater than maxCount.");

    /// <summary>SBX3011: a node pool setting AKS rejects (empty cluster name, bad label, taint, zone, subnet ID, disk size, …).</summary>
    internal static readonly SandboxRule NodePoolInvalidSetting = new(
        "SBX3011", NodePoolCategory, SandboxSeverity.Error,
        "Node pool setting is not valid",
        "Node pool '{0}': {1}",
        "Correct the named setting as the message says; AKS would reject the pool as written.");

    /// <summary>SBX3012: a Kubernetes version older than Pod Sandboxing supports.</summary>
    internal static readonly SandboxRule NodePoolKubernetesTooOld = new(
        "SBX3012", NodePoolCategory, SandboxSeverity.Error,
        "Kubernetes version is too old for Pod Sandboxing",
        "Node pool '{0}' runs Kubernetes {1}, but Pod Sandboxing needs {2} or later; raise orchestratorVersion",
        "Set the orchestrator version to 1.27.0 or later (or leave it unset to follow the cluster).");

    /// <summary>SBX3013: a workload whose pods do not tolerate the taints of the node pool meant to run them.</summary>
    internal static readonly SandboxRule NodePoolTaintNotTolerated = new(
        "SBX3013", NodePoolCategory, SandboxSeverity.Warning,
        "Pods do not tolerate the node pool's taint",
        "{0} does not tolerate taint '{1}' of node pool '{2}', so its pods will never be scheduled there; add the pool's tolerations",
        "Add the pool's tolerations to the pods: builder.WithNodePool(pool), WithTolerations(pool.PodTolerations) or obj.Sandbox(pool).");

    /// <summary>SBX3014: OS SKU AzureLinux (or Mariner) on Kubernetes before 1.32, which gives the retired Azure Linux 2.0.</summary>
    internal static readonly SandboxRule NodePoolAzureLinux2 = new(
        "SBX3014", NodePoolCategory, SandboxSeverity.Error,
        "OS SKU gives the retired Azure Linux 2.0",
        "Node pool '{0}' uses OS SKU '{1}' on Kubernetes {2}, which gives Azure Linux 2.0 (Kubernetes 1.27 to 1.31): it is retired (support ended 30 November 2025, node images removed 31 March 2026) and receives no Kata image updates; use Kubernetes 1.32 or later with OS SKU 'AzureLinux' (Azure Linux 3.0)",
        "Raise orchestratorVersion to 1.32 or later and keep osSKU AzureLinux, which then gives Azure Linux 3.0.");

    /// <summary>SBX3015: OS SKU AzureLinux3 outside the Kubernetes versions AKS supports it on (1.28 to 1.36).</summary>
    internal static readonly SandboxRule NodePoolAzureLinux3OutOfRange = new(
        "SBX3015", NodePoolCategory, SandboxSeverity.Error,
        "AzureLinux3 is outside its Kubernetes range",
        "Node pool '{0}' uses OS SKU 'AzureLinux3' on Kubernetes {1}, but AKS supports AzureLinux3 only on Kubernetes 1.28 to 1.36; use OS SKU 'AzureLinux', which follows the Kubernetes version",
        "Set osSKU to AzureLinux: AKS picks the Azure Linux version for the Kubernetes version (3.0 from 1.32).");

    /// <summary>SBX3016: OS SKU AzureLinux3, which no source documents for Pod Sandboxing.</summary>
    internal static readonly SandboxRule NodePoolAzureLinux3NotDocumented = new(
        "SBX3016", NodePoolCategory, SandboxSeverity.Warning,
        "AzureLinux3 is not documented for Pod Sandboxing",
        "Node pool '{0}' uses OS SKU 'AzureLinux3', which the AKS Pod Sandboxing docs and azurerm do not name for Kata pools (they use 'AzureLinux', which AKS recommends and which gives Azure Linux 3.0 from Kubernetes 1.32); use 'AzureLinux'",
        "Set osSKU to AzureLinux on Kubernetes 1.32 or later.");

    /// <summary>SBX3017: the deprecated OS SKU names Mariner and CBLMariner.</summary>
    internal static readonly SandboxRule NodePoolOsSkuRenamed = new(
        "SBX3017", NodePoolCategory, SandboxSeverity.Warning,
        "OS SKU uses the deprecated Mariner name",
        "Node pool '{0}' uses OS SKU '{1}', a deprecated name of Azure Linux (Mariner was renamed Azure Linux in April 2023 and the ARM API marks CBLMariner deprecated; azurerm no longer accepts it); use 'AzureLinux'",
        "Replace mariner/Mariner/CBLMariner with AzureLinux (az --os-sku AzureLinux, ARM osSKU AzureLinux, Terraform os_sku = \"AzureLinux\").");

    /// <summary>SBX3018: an Arm64 VM size.</summary>
    internal static readonly SandboxRule NodePoolArm64Size = new(
        "SBX3018", NodePoolCategory, SandboxSeverity.Error,
        "Arm64 VM size cannot run Pod Sandboxing",
        "Node pool '{0}' uses the Arm64 VM size '{1}', and AKS cannot combine Arm64 with Pod Sandboxing; choose an x64 size such as '{2}'",
        "Choose an x64 Generation 2 size with nested virtualization (for example Standard_D4s_v5); keep Arm64 workloads on another pool.");

    /// <summary>SBX3019: Trusted Launch (secure boot or vTPM) on a Pod Sandboxing pool.</summary>
    internal static readonly SandboxRule NodePoolTrustedLaunch = new(
        "SBX3019", NodePoolCategory, SandboxSeverity.Error,
        "Trusted Launch cannot be combined with Pod Sandboxing",
        "Node pool '{0}' enables Trusted Launch ({1}), which AKS cannot enable in the same node pool as Pod Sandboxing; turn off secure boot and vTPM on the sandboxing pool",
        "Remove --enable-secure-boot and --enable-vtpm (ARM securityProfile.enableSecureBoot/enableVTPM) from the sandboxing pool.");

    /// <summary>SBX3020: a confidential VM size.</summary>
    internal static readonly SandboxRule NodePoolConfidentialVmSize = new(
        "SBX3020", NodePoolCategory, SandboxSeverity.Error,
        "Confidential VM size cannot run Pod Sandboxing",
        "Node pool '{0}' uses the confidential VM size '{1}', and AKS confidential VM node pools can't use Pod Sandboxing; choose a general-purpose size such as '{2}'",
        "Choose a general-purpose Generation 2 size with nested virtualization (for example Standard_D4s_v5) for the sandboxing pool.");

    /// <summary>SBX3021: Artifact Streaming on a Pod Sandboxing pool.</summary>
    internal static readonly SandboxRule NodePoolArtifactStreaming = new(
        "SBX3021", NodePoolCategory, SandboxSeverity.Error,
        "Artifact Streaming cannot be combined with Pod Sandboxing",
        "Node pool '{0}' enables Artifact Streaming, which AKS rejects on Pod Sandboxing pools (validation added in the AKS release of 28 April 2026); turn Artifact Streaming off on the sandboxing pool",
        "Remove --enable-artifact-streaming (ARM artifactStreamingProfile.enabled) from the sandboxing pool.");

    /// <summary>SBX3030: a cluster without a network policy engine where tenant isolation needs one.</summary>
    internal static readonly SandboxRule ClusterNoNetworkPolicy = new(
        "SBX3030", NodePoolCategory, SandboxSeverity.Error,
        "Cluster has no network policy engine",
        "Cluster '{0}' uses network policy '{1}', so NetworkPolicies are stored but never enforced and tenants reach each other; choose azure, calico or cilium",
        "Set networkProfile.networkPolicy to azure, calico or cilium (cilium with networkDataplane cilium) when the cluster is created.");

    /// <summary>SBX3031: Workload ID without the OIDC issuer, or a tenant cluster without Workload ID.</summary>
    internal static readonly SandboxRule ClusterWorkloadIdentity = new(
        "SBX3031", NodePoolCategory, SandboxSeverity.Error,
        "Workload ID needs the OIDC issuer",
        "Cluster '{0}': {1}",
        "Enable both oidcIssuerProfile.enabled and securityProfile.workloadIdentity.enabled (az aks create --enable-oidc-issuer --enable-workload-identity).");

    /// <summary>SBX3032: a cluster without Entra ID integration and Azure RBAC, or with local accounts.</summary>
    internal static readonly SandboxRule ClusterIdentityNotEntra = new(
        "SBX3032", NodePoolCategory, SandboxSeverity.Warning,
        "Cluster operators do not sign in with Entra ID and Azure RBAC",
        "Cluster '{0}': {1}; enable Entra ID integration with Azure RBAC and disable local accounts",
        "Set aadProfile.managed, aadProfile.enableAzureRBAC and disableLocalAccounts (az aks create --enable-aad --enable-azure-rbac --disable-local-accounts).");

    /// <summary>SBX3033: a network policy engine the chosen dataplane cannot run, or a known Kata caveat.</summary>
    internal static readonly SandboxRule ClusterNetworkPolicyDataplane = new(
        "SBX3033", NodePoolCategory, SandboxSeverity.Error,
        "Network policy engine does not match the dataplane",
        "Cluster '{0}': {1}",
        "Use networkPolicy cilium only with networkDataplane cilium (Azure CNI powered by Cilium), and azure or calico with the azure dataplane.");

    /// <summary>SBX3034: a cluster setting Azure would reject.</summary>
    internal static readonly SandboxRule ClusterInvalidSetting = new(
        "SBX3034", NodePoolCategory, SandboxSeverity.Error,
        "Cluster setting is not valid",
        "Cluster '{0}': {1}",
        "Correct the named setting as the message says; AKS would reject the cluster as written.");

    /// <summary>SBX3035: a cluster without a pool that can run Kata pods.</summary>
    internal static readonly SandboxRule ClusterNoKataPool = new(
        "SBX3035", NodePoolCategory, SandboxSeverity.Error,
        "Cluster has no Kata-capable node pool",
        "Cluster '{0}' has no node pool with workload runtime KataVmIsolation, so pods with runtimeClassName kata-vm-isolation are never scheduled; add one",
        "Add an AksNodePool.ForSandboxing(name) pool (Azure Linux, a nested-virtualization VM size, KataVmIsolation) to the cluster.");
}
