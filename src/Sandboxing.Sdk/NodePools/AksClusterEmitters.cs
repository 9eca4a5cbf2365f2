using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sandboxing.Sdk.NodePools;

/// <summary>
/// Renders a built cluster as az CLI, Bicep, ARM JSON, Terraform and a REST request, all from one ordered property tree
/// (<c>Microsoft.ContainerService/managedClusters</c>, property names from Azure/bicep-types-az containerservice types; the
/// Bicep compiler checks them in the tests). Deterministic output: sorted maps, invariant culture, '\n' line ends.
/// </summary>
internal static class AksClusterEmitters
{
    private const string ClusterType = "Microsoft.ContainerService/managedClusters";

    /// <summary>The first azurerm release whose <c>workload_runtime</c> accepts KataVmIsolation (PR #32579, CHANGELOG-v4.md; DOMAIN.md §12).</summary>
    internal const string TerraformAzurermMinimum = "4.78.0";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Lower(AksNetworkPolicy policy) => policy.ToString().ToLowerInvariant();

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One agent pool profile (ARM <c>ManagedClusterAgentPoolProfile</c>).</summary>
    private static JsonObject PoolProfile(AksCluster cluster, AksNodePool pool, bool escape)
    {
        JsonNode S(string value) => JsonValue.Create(escape && value.StartsWith('[') ? "[" + value : value)!;
        var p = new JsonObject
        {
            ["name"] = S(pool.Name),
            ["mode"] = S(pool.Mode.ToString()),
            ["type"] = "VirtualMachineScaleSets",
            ["osType"] = S(pool.OsType),
            ["osSKU"] = S(pool.OsSku.Value),
            ["vmSize"] = S(pool.VmSize),
            ["workloadRuntime"] = S(pool.WorkloadRuntime.Value),
            ["count"] = pool.Count,
            ["enableAutoScaling"] = pool.EnableAutoScaling,
        };
        if (pool.EnableAutoScaling)
        {
            p["minCount"] = pool.MinCount;
            p["maxCount"] = pool.MaxCount;
        }

        if (pool.AvailabilityZones.Count > 0)
        {
            p["availabilityZones"] = new JsonArray(pool.AvailabilityZones.Select(S).ToArray());
        }

        if (pool.NodeLabels.Count > 0)
        {
            var labels = new JsonObject();
            foreach (var (key, value) in pool.NodeLabels)
            {
                labels[key] = S(value);
            }

            p["nodeLabels"] = labels;
        }

        if (pool.NodeTaints.Count > 0)
        {
            p["nodeTaints"] = new JsonArray(pool.NodeTaints.Select(t => S(t.ToString())).ToArray());
        }

        if (pool.MaxPods is { } maxPods)
        {
            p["maxPods"] = maxPods;
        }

        if (pool.OsDiskType is { } diskType)
        {
            p["osDiskType"] = S(diskType.ToString());
        }

        if (pool.OsDiskSizeGB is { } diskSize)
        {
            p["osDiskSizeGB"] = diskSize;
        }

        if (pool.OrchestratorVersion is { } version)
        {
            p["orchestratorVersion"] = S(version);
        }

        if (pool.VnetSubnetId is { } vnet)
        {
            p["vnetSubnetID"] = S(vnet);
        }

        if (pool.PodSubnetId is { } podSubnet)
        {
            p["podSubnetID"] = S(podSubnet);
        }

        p["enableFIPS"] = pool.EnableFips;
        p["enableEncryptionAtHost"] = EncryptsAtHost(cluster, pool);
        return p;
    }

    private static bool EncryptsAtHost(AksCluster cluster, AksNodePool pool) => cluster.EncryptionAtHost || pool.EnableEncryptionAtHost;

    /// <summary>The cluster's ARM properties, in a fixed order.</summary>
    public static JsonObject Properties(AksCluster cluster, bool escape)
    {
        JsonNode S(string value) => JsonValue.Create(escape && value.StartsWith('[') ? "[" + value : value)!;
        var network = new JsonObject
        {
            ["networkPlugin"] = "azure",
            ["networkPluginMode"] = "overlay",
            ["networkPolicy"] = Lower(cluster.NetworkPolicy),
            ["networkDataplane"] = S(cluster.NetworkDataplane),
        };
        if (cluster.PodCidr is { } podCidr)
        {
            network["podCidr"] = S(podCidr);
            network["serviceCidr"] = S(cluster.ServiceCidr!);
            network["dnsServiceIP"] = S(cluster.DnsServiceIp!);
        }

        var p = new JsonObject { ["dnsPrefix"] = S(cluster.DnsPrefix) };
        if (cluster.KubernetesVersion is { } version)
        {
            p["kubernetesVersion"] = S(version);
        }

        p["agentPoolProfiles"] = new JsonArray(cluster.NodePools.Select(pool => (JsonNode)PoolProfile(cluster, pool, escape)).ToArray());
        p["networkProfile"] = network;
        p["oidcIssuerProfile"] = new JsonObject { ["enabled"] = cluster.OidcIssuer };
        p["securityProfile"] = new JsonObject { ["workloadIdentity"] = new JsonObject { ["enabled"] = cluster.WorkloadIdentity } };
        if (cluster.EntraId)
        {
            var aad = new JsonObject { ["managed"] = true, ["enableAzureRBAC"] = cluster.AzureRbac };
            if (cluster.AdminGroupObjectIds.Count > 0)
            {
                aad["adminGroupObjectIDs"] = new JsonArray(cluster.AdminGroupObjectIds.Select(S).ToArray());
            }

            p["aadProfile"] = aad;
        }

        p["disableLocalAccounts"] = cluster.DisableLocalAccounts;
        if (cluster.DiskEncryptionSetId is { } des)
        {
            p["diskEncryptionSetID"] = S(des);
        }

        return p;
    }

    // ---------------------------------------------------------------- az CLI

    public static string AzCli(AksCluster cluster)
    {
        var system = cluster.NodePools[0];
        var text = new StringBuilder()
            .Append("# Sandboxing.Sdk: AKS cluster '").Append(cluster.Name).Append("' with Pod Sandboxing from the start (Kata VM isolation).\n")
            .Append("# Needs Azure CLI 2.80.0 or later (learn.microsoft.com/azure/aks/use-pod-sandboxing).\n");
        if (EncryptsAtHost(cluster, system))
        {
            text.Append("# Encryption at host needs the subscription feature: az feature register --namespace Microsoft.Compute --name EncryptionAtHost\n");
        }

        var args = new List<(string Flag, string[] Values)>
        {
            ("--resource-group", [cluster.ResourceGroup]),
            ("--name", [cluster.Name]),
            ("--location", [cluster.Location]),
        };
        if (cluster.SubscriptionId is { } sub)
        {
            args.Add(("--subscription", [sub]));
        }

        args.Add(("--dns-name-prefix", [cluster.DnsPrefix]));
        if (cluster.KubernetesVersion is { } version)
        {
            args.Add(("--kubernetes-version", [version]));
        }

        args.Add(("--nodepool-name", [system.Name]));
        args.Add(("--os-sku", [system.OsSku.Value]));
        args.Add(("--node-vm-size", [system.VmSize]));
        args.Add(("--workload-runtime", [system.WorkloadRuntime.Value]));
        args.Add(("--node-count", [Int(system.Count)]));
        if (system.EnableAutoScaling)
        {
            args.Add(("--enable-cluster-autoscaler", []));
            args.Add(("--min-count", [Int(system.MinCount!.Value)]));
            args.Add(("--max-count", [Int(system.MaxCount!.Value)]));
        }

        if (system.AvailabilityZones.Count > 0)
        {
            args.Add(("--zones", system.AvailabilityZones.ToArray()));
        }

        if (system.NodeLabels.Count > 0)
        {
            args.Add(("--nodepool-labels", system.NodeLabels.Select(p => p.Key + "=" + p.Value).ToArray()));
        }

        if (system.NodeTaints.Count > 0)
        {
            args.Add(("--nodepool-taints", [string.Join(",", system.NodeTaints)]));
        }

        if (system.MaxPods is { } maxPods)
        {
            args.Add(("--max-pods", [Int(maxPods)]));
        }

        if (system.OsDiskType is { } diskType)
        {
            args.Add(("--node-osdisk-type", [diskType.ToString()]));
        }

        if (system.VnetSubnetId is { } vnet)
        {
            args.Add(("--vnet-subnet-id", [vnet]));
        }

        if (system.PodSubnetId is { } podSubnet)
        {
            args.Add(("--pod-subnet-id", [podSubnet]));
        }

        args.Add(("--network-plugin", ["azure"]));
        args.Add(("--network-plugin-mode", ["overlay"]));
        args.Add(("--network-policy", [Lower(cluster.NetworkPolicy)]));
        if (cluster.NetworkDataplane != "azure")
        {
            args.Add(("--network-dataplane", [cluster.NetworkDataplane]));
        }

        if (cluster.PodCidr is { } podCidr)
        {
            args.Add(("--pod-cidr", [podCidr]));
            args.Add(("--service-cidr", [cluster.ServiceCidr!]));
            args.Add(("--dns-service-ip", [cluster.DnsServiceIp!]));
        }

        if (cluster.OidcIssuer)
        {
            args.Add(("--enable-oidc-issuer", []));
        }

        if (cluster.WorkloadIdentity)
        {
            args.Add(("--enable-workload-identity", []));
        }

        if (cluster.EntraId)
        {
            args.Add(("--enable-aad", []));
            if (cluster.AzureRbac)
            {
                args.Add(("--enable-azure-rbac", []));
            }

            if (cluster.AdminGroupObjectIds.Count > 0)
            {
                args.Add(("--aad-admin-group-object-ids", [string.Join(",", cluster.AdminGroupObjectIds)]));
            }
        }

        if (cluster.DisableLocalAccounts)
        {
            args.Add(("--disable-local-accounts", []));
        }

        if (cluster.DiskEncryptionSetId is { } des)
        {
            args.Add(("--node-osdisk-diskencryptionset-id", [des]));
        }

        if (EncryptsAtHost(cluster, system))
        {
            args.Add(("--enable-encryption-at-host", []));
        }

        args.Add(("--generate-ssh-keys", []));
        Command(text, "az aks create", args);
        foreach (var pool in cluster.NodePools.Skip(1))
        {
            // The pool's own command, without the 'az aks update' it suggests for existing clusters.
            var add = pool.ToAzCli();
            add = add[..add.IndexOf("\n# Then update", StringComparison.Ordinal)].TrimEnd('\n');
            if (EncryptsAtHost(cluster, pool) && !pool.EnableEncryptionAtHost)
            {
                add += " \\\n  --enable-encryption-at-host"; // the cluster encrypts at host on every pool
            }

            text.Append('\n').Append(add).Append('\n');
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    private static void Command(StringBuilder text, string command, List<(string Flag, string[] Values)> args)
    {
        text.Append(command);
        foreach (var (flag, values) in args)
        {
            text.Append(" \\\n  ").Append(flag);
            foreach (var value in values)
            {
                text.Append(' ').Append(ShellQuote(value));
            }
        }

        text.Append('\n');
    }

    private static string ShellQuote(string value) =>
        value.Length > 0 && value[0] != '-' && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or ':' or '=' or ',' or '@' or '%' or '+' or '-')
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    // ---------------------------------------------------------------- Bicep

    public static string Bicep(AksCluster cluster)
    {
        var text = new StringBuilder()
            .Append("// Sandboxing.Sdk: AKS cluster '").Append(cluster.Name).Append("' with Pod Sandboxing from the start (Kata VM isolation).\n")
            .Append("// Deploy: az deployment group create --resource-group ").Append(cluster.ResourceGroup).Append(" --template-file <this file>\n\n")
            .Append("resource cluster '").Append(ClusterType).Append('@').Append(cluster.ApiVersion).Append("' = {\n")
            .Append("  name: ").Append(BicepString(cluster.Name)).Append('\n')
            .Append("  location: ").Append(BicepString(cluster.Location)).Append('\n')
            .Append("  identity: {\n    type: 'SystemAssigned'\n  }\n")
            .Append("  properties: ");
        BicepValue(text, Properties(cluster, escape: false), 1);
        text.Append("\n}\n\n")
            .Append("output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.issuerURL\n");
        return text.ToString();
    }

    private static void BicepValue(StringBuilder text, JsonNode? node, int depth)
    {
        string indent = new(' ', depth * 2);
        switch (node)
        {
            case JsonObject obj:
                text.Append("{\n");
                foreach (var (key, value) in obj)
                {
                    bool identifier = key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
                    text.Append(indent).Append("  ").Append(identifier ? key : BicepString(key)).Append(": ");
                    BicepValue(text, value, depth + 1);
                    text.Append('\n');
                }

                text.Append(indent).Append('}');
                break;
            case JsonArray array:
                text.Append("[\n");
                foreach (var item in array)
                {
                    text.Append(indent).Append("  ");
                    BicepValue(text, item, depth + 1);
                    text.Append('\n');
                }

                text.Append(indent).Append(']');
                break;
            case JsonValue value when value.TryGetValue(out bool b):
                text.Append(b ? "true" : "false");
                break;
            case JsonValue value when value.TryGetValue(out int i):
                text.Append(Int(i));
                break;
            case JsonValue value when value.TryGetValue(out string? s):
                text.Append(BicepString(s));
                break;
            default:
                text.Append("null");
                break;
        }
    }

    /// <summary>A Bicep single-quoted string: escapes \, ', ${ and control characters.</summary>
    private static string BicepString(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('\'');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            _ = c switch
            {
                '\\' => text.Append("\\\\"),
                '\'' => text.Append("\\'"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                '$' when i + 1 < value.Length && value[i + 1] == '{' => text.Append("\\$"),
                _ when char.IsControl(c) => text.Append("\\u{").Append(((int)c).ToString("X", CultureInfo.InvariantCulture)).Append('}'),
                _ => text.Append(c),
            };
        }

        return text.Append('\'').ToString();
    }

    // ---------------------------------------------------------------- ARM, REST

    private static JsonObject Resource(AksCluster cluster, bool escape) => new()
    {
        ["location"] = cluster.Location,
        ["identity"] = new JsonObject { ["type"] = "SystemAssigned" },
        ["properties"] = Properties(cluster, escape),
    };

    public static string ArmTemplate(AksCluster cluster)
    {
        var resource = new JsonObject { ["type"] = ClusterType, ["apiVersion"] = cluster.ApiVersion, ["name"] = cluster.Name.StartsWith('[') ? "[" + cluster.Name : cluster.Name };
        foreach (var (key, value) in Resource(cluster, escape: true))
        {
            resource[key] = value?.DeepClone();
        }

        var template = new JsonObject
        {
            ["$schema"] = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            ["contentVersion"] = "1.0.0.0",
            ["metadata"] = new JsonObject { ["description"] = $"Sandboxing.Sdk: AKS cluster '{cluster.Name}' with Pod Sandboxing from the start (Kata VM isolation)." },
            ["resources"] = new JsonArray(resource),
        };
        return template.ToJsonString(s_json).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    public static AksRestRequest Rest(AksCluster cluster)
    {
        string url = "https://management.azure.com/subscriptions/" + (cluster.SubscriptionId is { } s ? Uri.EscapeDataString(s) : "{subscriptionId}") +
            "/resourceGroups/" + Uri.EscapeDataString(cluster.ResourceGroup) +
            "/providers/Microsoft.ContainerService/managedClusters/" + Uri.EscapeDataString(cluster.Name) + "?api-version=" + Uri.EscapeDataString(cluster.ApiVersion);
        return new AksRestRequest("PUT", url, Resource(cluster, escape: false).ToJsonString(s_json).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
    }

    // ---------------------------------------------------------------- Terraform

    public static string Terraform(AksCluster cluster)
    {
        var text = new StringBuilder()
            .Append("# Sandboxing.Sdk: AKS cluster \"").Append(cluster.Name).Append("\" with Pod Sandboxing from the start (Kata VM isolation).\n")
            .Append("# azurerm ").Append(TerraformAzurermMinimum).Append(" is the first release whose workload_runtime accepts KataVmIsolation\n")
            .Append("# (hashicorp/terraform-provider-azurerm PR #32579, CHANGELOG-v4.md).\n\n")
            .Append("terraform {\n  required_providers {\n    azurerm = {\n      source  = \"hashicorp/azurerm\"\n      version = \">= ")
            .Append(TerraformAzurermMinimum).Append("\"\n    }\n  }\n}\n\n")
            .Append("provider \"azurerm\" {\n  features {}\n");
        if (cluster.SubscriptionId is { } sub)
        {
            text.Append("  subscription_id = ").Append(Hcl(sub)).Append('\n');
        }

        text.Append("}\n\n");
        string id = TfName(cluster.Name);
        text.Append("resource \"azurerm_kubernetes_cluster\" \"").Append(id).Append("\" {\n");
        var top = new List<(string, string)>
        {
            ("name", Hcl(cluster.Name)),
            ("location", Hcl(cluster.Location)),
            ("resource_group_name", Hcl(cluster.ResourceGroup)),
            ("dns_prefix", Hcl(cluster.DnsPrefix)),
        };
        if (cluster.KubernetesVersion is { } version)
        {
            top.Add(("kubernetes_version", Hcl(version)));
        }

        top.Add(("oidc_issuer_enabled", Bool(cluster.OidcIssuer)));
        top.Add(("workload_identity_enabled", Bool(cluster.WorkloadIdentity)));
        top.Add(("local_account_disabled", Bool(cluster.DisableLocalAccounts)));
        if (cluster.DiskEncryptionSetId is { } des)
        {
            top.Add(("disk_encryption_set_id", Hcl(des)));
        }

        Block(text, 1, top);
        var system = cluster.NodePools[0];
        text.Append("\n  default_node_pool {\n");
        Block(text, 2, PoolArguments(cluster, system, defaultPool: true));
        text.Append("  }\n\n  identity {\n    type = \"SystemAssigned\"\n  }\n\n  network_profile {\n");
        var network = new List<(string, string)>
        {
            ("network_plugin", Hcl("azure")),
            ("network_plugin_mode", Hcl("overlay")),
            ("network_policy", Hcl(Lower(cluster.NetworkPolicy))),
            ("network_data_plane", Hcl(cluster.NetworkDataplane)),
        };
        if (cluster.PodCidr is { } podCidr)
        {
            network.Add(("pod_cidr", Hcl(podCidr)));
            network.Add(("service_cidr", Hcl(cluster.ServiceCidr!)));
            network.Add(("dns_service_ip", Hcl(cluster.DnsServiceIp!)));
        }

        Block(text, 2, network);
        text.Append("  }\n");
        if (cluster.EntraId)
        {
            text.Append("\n  azure_active_directory_role_based_access_control {\n");
            var aad = new List<(string, string)> { ("azure_rbac_enabled", Bool(cluster.AzureRbac)) };
            if (cluster.AdminGroupObjectIds.Count > 0)
            {
                aad.Add(("admin_group_object_ids", "[" + string.Join(", ", cluster.AdminGroupObjectIds.Select(Hcl)) + "]"));
            }

            Block(text, 2, aad);
            text.Append("  }\n");
        }

        text.Append("}\n");
        foreach (var pool in cluster.NodePools.Skip(1))
        {
            text.Append("\nresource \"azurerm_kubernetes_cluster_node_pool\" \"").Append(TfName(pool.Name)).Append("\" {\n");
            var args = PoolArguments(cluster, pool, defaultPool: false);
            args.Insert(1, ("kubernetes_cluster_id", $"azurerm_kubernetes_cluster.{id}.id"));
            Block(text, 1, args);
            if (pool.NodeTaints.Count > 0)
            {
                text.Append("  node_taints = [").Append(string.Join(", ", pool.NodeTaints.Select(t => Hcl(t.ToString())))).Append("]\n");
            }

            text.Append("}\n");
        }

        return text.ToString();
    }

    private static List<(string, string)> PoolArguments(AksCluster cluster, AksNodePool pool, bool defaultPool)
    {
        var args = new List<(string, string)>
        {
            ("name", Hcl(pool.Name)),
            ("vm_size", Hcl(pool.VmSize)),
            ("os_sku", Hcl(pool.OsSku.Value)),
            ("workload_runtime", Hcl(pool.WorkloadRuntime.Value)),
            ("node_count", Int(pool.Count)),
            ("auto_scaling_enabled", Bool(pool.EnableAutoScaling)),
        };
        if (!defaultPool)
        {
            args.Add(("mode", Hcl(pool.Mode.ToString())));
        }

        if (pool.EnableAutoScaling)
        {
            args.Add(("min_count", Int(pool.MinCount!.Value)));
            args.Add(("max_count", Int(pool.MaxCount!.Value)));
        }

        if (pool.AvailabilityZones.Count > 0)
        {
            args.Add(("zones", "[" + string.Join(", ", pool.AvailabilityZones.Select(Hcl)) + "]"));
        }

        if (pool.MaxPods is { } maxPods)
        {
            args.Add(("max_pods", Int(maxPods)));
        }

        if (pool.OsDiskType is { } diskType)
        {
            args.Add(("os_disk_type", Hcl(diskType.ToString())));
        }

        if (pool.OsDiskSizeGB is { } diskSize)
        {
            args.Add(("os_disk_size_gb", Int(diskSize)));
        }

        if (pool.VnetSubnetId is { } vnet)
        {
            args.Add(("vnet_subnet_id", Hcl(vnet)));
        }

        if (pool.PodSubnetId is { } podSubnet)
        {
            args.Add(("pod_subnet_id", Hcl(podSubnet)));
        }

        args.Add(("host_encryption_enabled", Bool(EncryptsAtHost(cluster, pool))));
        args.Add(("fips_enabled", Bool(pool.EnableFips)));
        if (pool.NodeLabels.Count > 0)
        {
            args.Add(("node_labels", "{ " + string.Join(", ", pool.NodeLabels.Select(l => Hcl(l.Key) + " = " + Hcl(l.Value))) + " }"));
        }

        return args;
    }

    private static void Block(StringBuilder text, int depth, List<(string Key, string Value)> args)
    {
        int width = args.Max(a => a.Key.Length);
        foreach (var (key, value) in args)
        {
            text.Append(new string(' ', depth * 2)).Append(key.PadRight(width)).Append(" = ").Append(value).Append('\n');
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string TfName(string name)
    {
        var id = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
        return id.Length > 0 && (char.IsAsciiLetter(id[0]) || id[0] == '_') ? id : "_" + id;
    }

    /// <summary>An HCL double-quoted string: escapes \, ", control characters and the template sequences ${ and %{.</summary>
    private static string Hcl(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool template = i + 1 < value.Length && value[i + 1] == '{';
            _ = c switch
            {
                '\\' => text.Append("\\\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                '$' when template => text.Append("$$"),
                '%' when template => text.Append("%%"),
                _ when char.IsControl(c) => text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }
}
