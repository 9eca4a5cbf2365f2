
namespace Sandboxing.Sdk;

/// <summary>Makes a workload builder's object consistent with a tenant bundle.</summary>
public static class TenantWorkloadExtensions
{
    /// <summary>
    /// Places the workload in the tenant: its namespace, its ServiceAccount (token not mounted), the tenant label on the object
    /// and its pods (which the tenant's NetworkPolicies select), and the tenant's pod tolerations.
    /// </summary>
    public static TSelf ForTenant<TSelf, TObject>(this WorkloadBuilder<TSelf, TObject> builder, TenantIsolation tenant)
        where TSelf : WorkloadBuilder<TSelf, TObject>
        where TObject : class, k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tenant);
        return builder.InNamespace(tenant.Name)
            .WithServiceAccount(tenant.ServiceAccountName, mountToken: false)
            .WithLabel(TenantIsolation.TenantLabel, tenant.Name)
            .WithTolerations(tenant.PodTolerations);
    }

    /// <summary>
    /// Runs the workload in the tenant (<see cref="ForTenant"/>) as its Workload ID ServiceAccount and adds the pod label
    /// <c>azure.workload.identity/use: "true"</c>, so the pod and the annotated account cannot disagree.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tenant has no Workload ID (call <c>TenantIsolation.Builder.WithWorkloadIdentity</c>).</exception>
    public static TSelf WithWorkloadIdentity<TSelf, TObject>(this WorkloadBuilder<TSelf, TObject> builder, TenantIsolation tenant)
        where TSelf : WorkloadBuilder<TSelf, TObject>
        where TObject : class, k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (tenant.WorkloadIdentityClientId is null)
        {
            throw new InvalidOperationException(
                $"Tenant '{tenant.Name}' has no Workload ID: its ServiceAccount '{tenant.ServiceAccountName}' carries no {TenantLabels.WorkloadIdentityClientId} annotation; call WithWorkloadIdentity(clientId) on the TenantIsolation builder.");
        }

        return builder.ForTenant(tenant).WithLabel(TenantLabels.WorkloadIdentityUse, "true");
    }
}
