namespace Sandboxing.Sdk;

/// <summary>
/// The Kubernetes and Azure keys the tenant bundle writes and the tenant checks read (Pod Security, Workload ID, the Azure Disk
/// driver). The SDK's own labels are public on <see cref="TenantIsolation"/> (<see cref="TenantIsolation.TenantLabel"/>,
/// <see cref="TenantIsolation.CustomerManagedKeyLabel"/>).
/// </summary>
internal static class TenantLabels
{
    /// <summary>The name label the API server sets on every namespace (Kubernetes 1.21+, immutable): NetworkPolicies select namespaces by it.</summary>
    internal const string NamespaceName = "kubernetes.io/metadata.name";

    /// <summary>Pod Security Admission label prefix (kubernetes.io/docs/concepts/security/pod-security-admission).</summary>
    internal const string PodSecurityPrefix = "pod-security.kubernetes.io/";

    /// <summary>
    /// Microsoft Entra Workload ID pod label; the webhook mutates only pods labelled exactly <c>"true"</c> (its
    /// MutatingWebhookConfiguration's <c>objectSelector.matchLabels</c>: Azure/azure-workload-identity @04d01a2
    /// <c>config/webhook/webhook_patch.yaml</c>, <c>deploy/azure-wi-webhook.yaml</c>; label values are compared exactly).
    /// </summary>
    internal const string WorkloadIdentityUse = "azure.workload.identity/use";

    /// <summary>Microsoft Entra Workload ID ServiceAccount annotation: the client ID of the identity the account maps to.</summary>
    internal const string WorkloadIdentityClientId = "azure.workload.identity/client-id";

    /// <summary>Microsoft Entra Workload ID ServiceAccount annotation: the Entra tenant ID (optional; defaults to the cluster's).</summary>
    internal const string WorkloadIdentityTenantId = "azure.workload.identity/tenant-id";

    /// <summary>The Azure Disk CSI driver (learn.microsoft.com/azure/aks/azure-disk-csi).</summary>
    internal const string AzureDiskProvisioner = "disk.csi.azure.com";

    /// <summary>The Azure Disk CSI StorageClass parameter naming a disk encryption set (learn.microsoft.com/azure/aks/azure-disk-customer-managed-keys).</summary>
    internal const string DiskEncryptionSetParameter = "diskEncryptionSetID";

    /// <summary>
    /// The SDK's Namespace annotation naming the cluster's network dataplane (<c>cilium</c>), written by
    /// <see cref="TenantIsolation.Builder.WithCiliumDataplane"/> and read by the tenant checks (SBX4011).
    /// </summary>
    internal const string NetworkDataplaneAnnotation = "sandboxing.sdk/network-dataplane";

    /// <summary>The SDK's Namespace annotation listing the cluster's pod, service and node ranges (comma-separated), written with the dataplane.</summary>
    internal const string ClusterNetworksAnnotation = "sandboxing.sdk/cluster-networks";

    /// <summary>The SDK's Namespace annotation naming the cluster's IP families (<c>IPv4,IPv6</c> on a dual-stack cluster), as a Service's <c>ipFamilies</c> does.</summary>
    internal const string IpFamiliesAnnotation = "sandboxing.sdk/ip-families";
}
