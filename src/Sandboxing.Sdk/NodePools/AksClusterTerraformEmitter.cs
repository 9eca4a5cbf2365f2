using System.Text;
using static Sandboxing.Sdk.Aks.AksClusterProperties;
using static Sandboxing.Sdk.Aks.EmitterQuoting;

namespace Sandboxing.Sdk.Aks;

/// <summary>Writes a new cluster as Terraform: an <c>azurerm_kubernetes_cluster</c> with its System pool as the default node pool,
/// and one <c>azurerm_kubernetes_cluster_node_pool</c> per further pool.</summary>
internal static class AksClusterTerraformEmitter
{
    public static string Emit(AksCluster cluster)
    {
        var text = new StringBuilder()
            .Append("# Sandboxing.Sdk: AKS cluster \"").Append(cluster.Name).Append("\" with Pod Sandboxing from the start (Kata VM isolation).\n")
            .Append("# ").Append(TerraformEmitter.ProviderNote).Append("\n\n")
            .Append("terraform {\n  required_providers {\n    azurerm = {\n      source  = \"hashicorp/azurerm\"\n      version = \"")
            .Append(TerraformEmitter.ProviderConstraint).Append("\"\n    }\n  }\n}\n\n")
            .Append("provider \"azurerm\" {\n  features {}\n");
        if (cluster.SubscriptionId is { } sub)
        {
            text.Append("  subscription_id = ").Append(HclString(sub)).Append('\n');
        }

        text.Append("}\n\n");
        string id = TfName(cluster.Name);
        text.Append("resource \"azurerm_kubernetes_cluster\" \"").Append(id).Append("\" {\n");
        var top = new List<(string, string)>
        {
            ("name", HclString(cluster.Name)),
            ("location", HclString(cluster.Location)),
            ("resource_group_name", HclString(cluster.ResourceGroup)),
            ("dns_prefix", HclString(cluster.DnsPrefix)),
        };
        if (cluster.KubernetesVersion is { } version)
        {
            top.Add(("kubernetes_version", HclString(version)));
        }

        top.Add(("oidc_issuer_enabled", Bool(cluster.OidcIssuer)));
        top.Add(("workload_identity_enabled", Bool(cluster.WorkloadIdentity)));
        top.Add(("local_account_disabled", Bool(cluster.DisableLocalAccounts)));
        if (cluster.DiskEncryptionSetId is { } des)
        {
            top.Add(("disk_encryption_set_id", HclString(des)));
        }

        TerraformEmitter.Arguments(text, 1, top);
        var system = cluster.NodePools[0];
        text.Append("\n  default_node_pool {\n");
        TerraformEmitter.Arguments(text, 2, PoolArguments(cluster, system, defaultPool: true));
        // azurerm 5.x requires the block; Manual keeps node auto-provisioning off, so every node comes from a pool written
        // here with its workload runtime (auto-provisioned nodes would not be Kata pools).
        text.Append("  }\n\n  node_provisioning_profile {\n    mode = \"Manual\"\n  }\n");
        text.Append("\n  identity {\n    type = \"SystemAssigned\"\n  }\n\n  network_profile {\n");
        var network = new List<(string, string)>
        {
            ("network_plugin", HclString("azure")),
            ("network_plugin_mode", HclString("overlay")),
        };

        // azurerm accepts only calico, azure and cilium: no network policy engine is the argument left out.
        if (cluster.NetworkPolicy != AksNetworkPolicy.None)
        {
            network.Add(("network_policy", HclString(NetworkPolicy(cluster))));
        }

        network.Add(("network_data_plane", HclString(cluster.NetworkDataplane)));
        if (cluster.PodCidr is { } podCidr)
        {
            network.Add(("pod_cidr", HclString(podCidr)));
            network.Add(("service_cidr", HclString(cluster.ServiceCidr!)));
            network.Add(("dns_service_ip", HclString(cluster.DnsServiceIp!)));
        }

        TerraformEmitter.Arguments(text, 2, network);
        text.Append("  }\n");
        if (cluster.EntraId)
        {
            text.Append("\n  azure_active_directory_role_based_access_control {\n");
            var aad = new List<(string, string)> { ("azure_rbac_enabled", Bool(cluster.AzureRbac)) };
            if (cluster.AdminGroupObjectIds.Count > 0)
            {
                aad.Add(("admin_group_object_ids", "[" + string.Join(", ", cluster.AdminGroupObjectIds.Select(HclString)) + "]"));
            }

            TerraformEmitter.Arguments(text, 2, aad);
            text.Append("  }\n");
        }

        text.Append("}\n");
        foreach (var pool in cluster.NodePools.Skip(1))
        {
            text.Append("\nresource \"azurerm_kubernetes_cluster_node_pool\" \"").Append(TfName(pool.Name)).Append("\" {\n");
            var args = PoolArguments(cluster, pool, defaultPool: false);
            args.Insert(1, ("kubernetes_cluster_id", $"azurerm_kubernetes_cluster.{id}.id"));
            TerraformEmitter.Arguments(text, 1, args);
            if (pool.NodeTaints.Count > 0)
            {
                text.Append("  node_taints = [").Append(string.Join(", ", pool.NodeTaints.Select(t => HclString(t.ToString())))).Append("]\n");
            }

            text.Append("}\n");
        }

        return text.ToString();
    }

    /// <summary>A pool's arguments, for the <c>default_node_pool</c> block (no <c>mode</c>: it is the System pool) or a node pool resource.</summary>
    private static List<(string, string)> PoolArguments(AksCluster cluster, AksNodePool pool, bool defaultPool)
    {
        var args = new List<(string, string)>
        {
            ("name", HclString(pool.Name)),
            ("vm_size", HclString(pool.VmSize)),
            ("os_sku", HclString(pool.OsSku.Value)),
            ("workload_runtime", HclString(pool.WorkloadRuntime.Value)),
            ("node_count", Int(pool.Count)),
            ("auto_scaling_enabled", Bool(pool.EnableAutoScaling)),
        };
        if (!defaultPool)
        {
            args.Add(("mode", HclString(pool.Mode.ToString())));
        }

        if (pool.EnableAutoScaling)
        {
            args.Add(("min_count", Int(pool.MinCount!.Value)));
            args.Add(("max_count", Int(pool.MaxCount!.Value)));
        }

        if (pool.AvailabilityZones.Count > 0)
        {
            args.Add(("zones", "[" + string.Join(", ", pool.AvailabilityZones.Select(HclString)) + "]"));
        }

        if (pool.MaxPods is { } maxPods)
        {
            args.Add(("max_pods", Int(maxPods)));
        }

        if (pool.OsDiskType is { } diskType)
        {
            args.Add(("os_disk_type", HclString(diskType.ToString())));
        }

        if (pool.OsDiskSizeGB is { } diskSize)
        {
            args.Add(("os_disk_size_gb", Int(diskSize)));
        }

        if (pool.VnetSubnetId is { } vnet)
        {
            args.Add(("vnet_subnet_id", HclString(vnet)));
        }

        if (pool.PodSubnetId is { } podSubnet)
        {
            args.Add(("pod_subnet_id", HclString(podSubnet)));
        }

        args.Add(("host_encryption_enabled", Bool(EncryptsAtHost(cluster, pool))));
        args.Add(("fips_enabled", Bool(pool.EnableFips)));
        if (pool.NodeLabels.Count > 0)
        {
            args.Add(("node_labels", "{ " + string.Join(", ", pool.NodeLabels.Select(l => HclString(l.Key) + " = " + HclString(l.Value))) + " }"));
        }

        return args;
    }

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A Terraform resource name: letters, digits, '_' and '-', starting with a letter or '_'.</summary>
    private static string TfName(string name)
    {
        var id = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
        return id.Length > 0 && (char.IsAsciiLetter(id[0]) || id[0] == '_') ? id : "_" + id;
    }
}
