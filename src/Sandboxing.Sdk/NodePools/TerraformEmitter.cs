using System.Text;
using static Sandboxing.Sdk.Aks.EmitterQuoting;

namespace Sandboxing.Sdk.Aks;

/// <summary>Writes a node pool as Terraform: an <c>azurerm_kubernetes_cluster_node_pool</c> in an existing cluster.</summary>
internal static class TerraformEmitter
{
    /// <summary>The first azurerm release whose <c>workload_runtime</c> accepts <c>KataVmIsolation</c>: 4.78.0 (June 18, 2026),
    /// hashicorp/terraform-provider-azurerm CHANGELOG-v4.md L84–97 @69697b7 ("add support KataVmIsolation for workload_runtime", #32579).</summary>
    internal const string MinimumProvider = "4.78.0";

    /// <summary>
    /// The provider versions the output is written for: azurerm 5.x. 5.0.0 (July 27, 2026) made <c>node_provisioning_profile</c>
    /// required on <c>azurerm_kubernetes_cluster</c> (website/docs/guides/5.0-upgrade-guide.html.markdown), so a 4.x-shaped cluster
    /// fails to validate there; the output is checked against the 5.x schema of hashicorp/terraform-provider-azurerm @69697b7
    /// (5.2.0, tests/Sandboxing.Sdk.Tests/NodePools/Terraform/azurerm-schema.json). The upper bound keeps the next major, which
    /// may change the schema again, out until it is checked.
    /// </summary>
    internal const string ProviderConstraint = ">= 5.0.0, < 6.0.0";

    /// <summary>The note on the provider release, written above <c>required_providers</c>.</summary>
    internal const string ProviderNote =
        "Written for hashicorp/azurerm 5.x (" + ProviderConstraint + "): 5.0.0 requires node_provisioning_profile on the cluster,\n" +
        "# and workload_runtime = \"KataVmIsolation\" needs " + MinimumProvider + " or later (changelog: \"add support KataVmIsolation for\n" +
        "# workload_runtime\", PR #32579).";

    public static string Emit(AksNodePool pool)
    {
        var text = new StringBuilder();
        text.Append("# Sandboxing.Sdk: AKS node pool \"").Append(pool.Name).Append("\" for Pod Sandboxing (Kata VM isolation).\n")
            .Append("# ").Append(ProviderNote).Append('\n');
        if (pool.WorkloadRuntime == AksWorkloadRuntime.KataMshvVmIsolation)
        {
            text.Append("# KataMshvVmIsolation is the deprecated preview runtime; azurerm rejects it. Prefer KataVmIsolation.\n");
        }

        text.Append('\n')
            .Append("terraform {\n")
            .Append("  required_providers {\n")
            .Append("    azurerm = {\n")
            .Append("      source  = \"hashicorp/azurerm\"\n")
            .Append("      version = \"").Append(ProviderConstraint).Append("\"\n")
            .Append("    }\n")
            .Append("  }\n")
            .Append("}\n\n")
            .Append("data \"azurerm_kubernetes_cluster\" \"cluster\" {\n")
            .Append("  name                = ").Append(HclString(pool.ClusterName)).Append('\n')
            .Append("  resource_group_name = ").Append(HclString(pool.ResourceGroup)).Append('\n')
            .Append("}\n\n")
            .Append("resource \"azurerm_kubernetes_cluster_node_pool\" \"").Append(pool.Name).Append("\" {\n");

        var scalars = new List<(string Key, string Value)>
        {
            ("name", HclString(pool.Name)),
            ("kubernetes_cluster_id", "data.azurerm_kubernetes_cluster.cluster.id"),
            ("vm_size", HclString(pool.VmSize)),
            ("mode", HclString(pool.Mode.ToString())),
            ("os_type", HclString(pool.OsType)),
            ("os_sku", HclString(pool.OsSku.Value)),
            ("workload_runtime", HclString(pool.WorkloadRuntime.Value)),
            ("auto_scaling_enabled", pool.EnableAutoScaling ? "true" : "false"),
            ("node_count", Int(pool.Count)),
        };
        if (pool.EnableAutoScaling)
        {
            scalars.Add(("min_count", Int(pool.MinCount!.Value)));
            scalars.Add(("max_count", Int(pool.MaxCount!.Value)));
        }

        if (pool.AvailabilityZones.Count > 0)
        {
            scalars.Add(("zones", "[" + string.Join(", ", pool.AvailabilityZones.Select(HclString)) + "]"));
        }

        if (pool.MaxPods is { } maxPods)
        {
            scalars.Add(("max_pods", Int(maxPods)));
        }

        if (pool.OsDiskType is { } diskType)
        {
            scalars.Add(("os_disk_type", HclString(diskType.ToString())));
        }

        if (pool.OsDiskSizeGB is { } diskSize)
        {
            scalars.Add(("os_disk_size_gb", Int(diskSize)));
        }

        if (pool.OrchestratorVersion is { } version)
        {
            scalars.Add(("orchestrator_version", HclString(version)));
        }

        if (pool.VnetSubnetId is { } vnet)
        {
            scalars.Add(("vnet_subnet_id", HclString(vnet)));
        }

        if (pool.PodSubnetId is { } podSubnet)
        {
            scalars.Add(("pod_subnet_id", HclString(podSubnet)));
        }

        if (pool.EnableEncryptionAtHost)
        {
            scalars.Add(("host_encryption_enabled", "true"));
        }

        scalars.Add(("fips_enabled", pool.EnableFips ? "true" : "false"));
        Arguments(text, 1, scalars);

        if (pool.NodeTaints.Count > 0)
        {
            text.Append("\n  node_taints = [\n");
            foreach (var taint in pool.NodeTaints)
            {
                text.Append("    ").Append(HclString(taint.ToString())).Append(",\n");
            }

            text.Append("  ]\n");
        }

        HclMap(text, "node_labels", pool.NodeLabels);
        HclMap(text, "tags", pool.Tags);
        text.Append("}\n");
        return text.ToString();
    }

    private static void HclMap(StringBuilder text, string name, IReadOnlyDictionary<string, string> map)
    {
        if (map.Count == 0)
        {
            return;
        }

        text.Append("\n  ").Append(name).Append(" = {\n");
        Arguments(text, 2, map.Select(p => (HclString(p.Key), HclString(p.Value))).ToList());

        text.Append("  }\n");
    }

    /// <summary>Writes HCL arguments one a line at <paramref name="depth"/> (two spaces a level), the '=' signs aligned.</summary>
    internal static void Arguments(StringBuilder text, int depth, IReadOnlyList<(string Key, string Value)> args)
    {
        int width = args.Max(a => a.Key.Length);
        foreach (var (key, value) in args)
        {
            text.Append(' ', depth * 2).Append(key.PadRight(width)).Append(" = ").Append(value).Append('\n');
        }
    }
}
