using System.Text;
using static Sandboxing.Sdk.Aks.EmitterQuoting;

namespace Sandboxing.Sdk.Aks;

/// <summary>Writes a node pool as the <c>az aks nodepool add</c> command and the <c>az aks update</c> the AKS docs run after it.</summary>
internal static class AzCliEmitter
{
    public static string Emit(AksNodePool pool)
    {
        var text = new StringBuilder();
        text.Append("# Sandboxing.Sdk: AKS node pool '").Append(pool.Name).Append("' for Pod Sandboxing (Kata VM isolation).\n");
        if (pool.WorkloadRuntime == AksWorkloadRuntime.KataMshvVmIsolation)
        {
            text.Append("# KataMshvVmIsolation is the deprecated preview runtime: it needs the aks-preview extension (az extension add --name aks-preview)\n")
                .Append("# and the KataVMIsolationPreview feature. Prefer --workload-runtime KataVmIsolation.\n");
        }
        else
        {
            text.Append("# Needs Azure CLI 2.80.0 or later and Kubernetes 1.27.0 or later (learn.microsoft.com/azure/aks/use-pod-sandboxing).\n");
        }

        text.Append(NodePoolAdd(pool).ToMultiLine());
        text.Append('\n').Append("# Then update the cluster, as the AKS docs do after adding a Pod Sandboxing pool to an existing cluster.\n");
        var update = new AzCommand("az aks update").Add("--resource-group", pool.ResourceGroup).Add("--name", pool.ClusterName);
        if (pool.SubscriptionId is { } sub)
        {
            update.Add("--subscription", sub);
        }

        text.Append(update.ToMultiLine());
        return text.ToString();
    }

    /// <summary>The <c>az aks nodepool add</c> command with every flag the pool sets.</summary>
    public static AzCommand NodePoolAdd(AksNodePool pool)
    {
        var az = new AzCommand("az aks nodepool add")
            .Add("--resource-group", pool.ResourceGroup)
            .Add("--cluster-name", pool.ClusterName)
            .Add("--name", pool.Name);
        if (pool.SubscriptionId is { } subscription)
        {
            az.Add("--subscription", subscription);
        }

        az.Add("--mode", pool.Mode.ToString())
            .Add("--os-type", pool.OsType)
            .Add("--os-sku", pool.OsSku.Value)
            .Add("--node-vm-size", pool.VmSize)
            .Add("--workload-runtime", pool.WorkloadRuntime.Value);
        if (pool.EnableAutoScaling)
        {
            az.Add("--enable-cluster-autoscaler").Add("--min-count", Int(pool.MinCount!.Value)).Add("--max-count", Int(pool.MaxCount!.Value));
        }

        az.Add("--node-count", Int(pool.Count));
        if (pool.AvailabilityZones.Count > 0)
        {
            az.Add("--zones", pool.AvailabilityZones.ToArray());
        }

        if (pool.NodeLabels.Count > 0)
        {
            az.Add("--labels", pool.NodeLabels.Select(p => p.Key + "=" + p.Value).ToArray());
        }

        if (pool.NodeTaints.Count > 0)
        {
            az.Add("--node-taints", string.Join(",", pool.NodeTaints));
        }

        if (pool.MaxPods is { } maxPods)
        {
            az.Add("--max-pods", Int(maxPods));
        }

        if (pool.OsDiskType is { } diskType)
        {
            az.Add("--node-osdisk-type", diskType.ToString());
        }

        if (pool.OsDiskSizeGB is { } diskSize)
        {
            az.Add("--node-osdisk-size", Int(diskSize));
        }

        if (pool.OrchestratorVersion is { } version)
        {
            az.Add("--kubernetes-version", version);
        }

        if (pool.VnetSubnetId is { } vnet)
        {
            az.Add("--vnet-subnet-id", vnet);
        }

        if (pool.PodSubnetId is { } podSubnet)
        {
            az.Add("--pod-subnet-id", podSubnet);
        }

        if (pool.EnableEncryptionAtHost)
        {
            az.Add("--enable-encryption-at-host");
        }

        if (pool.Tags.Count > 0)
        {
            az.Add("--tags", pool.Tags.Select(p => p.Key + "=" + p.Value).ToArray());
        }

        return az;
    }
}
