using System.Text;
using static Sandboxing.Sdk.Aks.AksClusterProperties;
using static Sandboxing.Sdk.Aks.EmitterQuoting;

namespace Sandboxing.Sdk.Aks;

/// <summary>Writes a new cluster as <c>az aks create</c> (with its System pool) and one <c>az aks nodepool add</c> per further pool.</summary>
internal static class AksClusterAzCliEmitter
{
    public static string Emit(AksCluster cluster)
    {
        var system = cluster.NodePools[0];
        var text = new StringBuilder()
            .Append("# Sandboxing.Sdk: AKS cluster '").Append(cluster.Name).Append("' with Pod Sandboxing from the start (Kata VM isolation).\n")
            .Append("# Needs Azure CLI 2.80.0 or later (learn.microsoft.com/azure/aks/use-pod-sandboxing).\n");
        if (EncryptsAtHost(cluster, system))
        {
            text.Append("# Encryption at host needs the subscription feature: az feature register --namespace Microsoft.Compute --name EncryptionAtHost\n");
        }

        text.Append(Create(cluster, system).ToMultiLine());
        foreach (var pool in cluster.NodePools.Skip(1))
        {
            // The pool's own command and comments, without the 'az aks update' it suggests for existing clusters.
            var add = AzCliEmitter.NodePoolAdd(pool);
            if (EncryptsAtHost(cluster, pool) && !pool.EnableEncryptionAtHost)
            {
                add.Add("--enable-encryption-at-host"); // the cluster encrypts at host on every pool
            }

            string alone = pool.ToAzCli();
            text.Append('\n').Append(alone, 0, alone.IndexOf(add.Command, StringComparison.Ordinal)).Append(add.ToMultiLine());
        }

        return text.ToString();
    }

    /// <summary>The <c>az aks create</c> command: the cluster's flags and its System pool's.</summary>
    private static AzCommand Create(AksCluster cluster, AksNodePool system)
    {
        var az = new AzCommand("az aks create")
            .Add("--resource-group", cluster.ResourceGroup)
            .Add("--name", cluster.Name)
            .Add("--location", cluster.Location);
        if (cluster.SubscriptionId is { } sub)
        {
            az.Add("--subscription", sub);
        }

        az.Add("--dns-name-prefix", cluster.DnsPrefix);
        if (cluster.KubernetesVersion is { } version)
        {
            az.Add("--kubernetes-version", version);
        }

        az.Add("--nodepool-name", system.Name)
            .Add("--os-sku", system.OsSku.Value)
            .Add("--node-vm-size", system.VmSize)
            .Add("--workload-runtime", system.WorkloadRuntime.Value)
            .Add("--node-count", Int(system.Count));
        if (system.EnableAutoScaling)
        {
            az.Add("--enable-cluster-autoscaler").Add("--min-count", Int(system.MinCount!.Value)).Add("--max-count", Int(system.MaxCount!.Value));
        }

        if (system.AvailabilityZones.Count > 0)
        {
            az.Add("--zones", system.AvailabilityZones.ToArray());
        }

        if (system.NodeLabels.Count > 0)
        {
            az.Add("--nodepool-labels", system.NodeLabels.Select(p => p.Key + "=" + p.Value).ToArray());
        }

        if (system.NodeTaints.Count > 0)
        {
            az.Add("--nodepool-taints", string.Join(",", system.NodeTaints));
        }

        if (system.MaxPods is { } maxPods)
        {
            az.Add("--max-pods", Int(maxPods));
        }

        if (system.OsDiskType is { } diskType)
        {
            az.Add("--node-osdisk-type", diskType.ToString());
        }

        if (system.VnetSubnetId is { } vnet)
        {
            az.Add("--vnet-subnet-id", vnet);
        }

        if (system.PodSubnetId is { } podSubnet)
        {
            az.Add("--pod-subnet-id", podSubnet);
        }

        az.Add("--network-plugin", "azure").Add("--network-plugin-mode", "overlay").Add("--network-policy", NetworkPolicy(cluster));
        if (cluster.NetworkDataplane != "azure")
        {
            az.Add("--network-dataplane", cluster.NetworkDataplane);
        }

        if (cluster.PodCidr is { } podCidr)
        {
            az.Add("--pod-cidr", podCidr).Add("--service-cidr", cluster.ServiceCidr!).Add("--dns-service-ip", cluster.DnsServiceIp!);
        }

        if (cluster.OidcIssuer)
        {
            az.Add("--enable-oidc-issuer");
        }

        if (cluster.WorkloadIdentity)
        {
            az.Add("--enable-workload-identity");
        }

        if (cluster.EntraId)
        {
            az.Add("--enable-aad");
            if (cluster.AzureRbac)
            {
                az.Add("--enable-azure-rbac");
            }

            if (cluster.AdminGroupObjectIds.Count > 0)
            {
                az.Add("--aad-admin-group-object-ids", string.Join(",", cluster.AdminGroupObjectIds));
            }
        }

        if (cluster.DisableLocalAccounts)
        {
            az.Add("--disable-local-accounts");
        }

        if (cluster.DiskEncryptionSetId is { } des)
        {
            az.Add("--node-osdisk-diskencryptionset-id", des);
        }

        if (EncryptsAtHost(cluster, system))
        {
            az.Add("--enable-encryption-at-host");
        }

        return az.Add("--generate-ssh-keys");
    }
}
