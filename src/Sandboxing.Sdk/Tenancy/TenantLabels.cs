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

    /// <summary>Microsoft Entra Workload ID pod label; the webhook mutates only pods with <c>"true"</c> (azure.github.io/azure-workload-identity, "Service Account Labels and Annotations").</summary>
    internal const string WorkloadIdentityUse = "azure.workload.identity/use";

    /// <summary>Microsoft Entra Workload ID ServiceAccount annotation: the client ID of the identity the account maps to.</summary>
    internal const string WorkloadIdentityClientId = "azure.workload.identity/client-id";

    /// <summary>Microsoft Entra Workload ID ServiceAccount annotation: the Entra tenant ID (optional; defaults to the cluster's).</summary>
    internal const string WorkloadIdentityTenantId = "azure.workload.identity/tenant-id";

    /// <summary>The Azure Disk CSI driver (learn.microsoft.com/azure/aks/azure-disk-csi).</summary>
    internal const string AzureDiskProvisioner = "disk.csi.azure.com";

    /// <summary>The Azure Disk CSI StorageClass parameter naming a disk encryption set (learn.microsoft.com/azure/aks/azure-disk-customer-managed-keys).</summary>
    internal const string DiskEncryptionSetParameter = "diskEncryptionSetID";
}
