using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sandboxing.Sdk.NodePools;

/// <summary>
/// Renders a built node pool as az CLI, Bicep, ARM JSON, Terraform and a REST request. Every format is built from the same
/// ordered property list, so the outputs agree; all output is deterministic (sorted maps, invariant culture, '\n' line ends).
/// </summary>
internal static class NodePoolEmitters
{
    private const string ResourceType = "Microsoft.ContainerService/managedClusters/agentPools";
    private const string ClusterType = "Microsoft.ContainerService/managedClusters";

    /// <summary>The Terraform note on the provider release (DOMAIN.md §2.3, §10.7).</summary>
    internal const string TerraformProviderNote =
        "workload_runtime = \"KataVmIsolation\" needs an azurerm provider release that includes hashicorp/terraform-provider-azurerm\n" +
        "# PR #32579 (merged 2026-06-11). The exact release number was not identified: pin the provider to the first release\n" +
        "# after that date whose changelog lists KataVmIsolation. Earlier releases reject the value (issues #30317, #31665).";

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The ARM properties in a fixed order. With <paramref name="escapeArmExpressions"/>, strings that start with '[' are
    /// written '[[' so ARM does not read them as template expressions.</summary>
    public static JsonObject Properties(AksNodePool pool, bool escapeArmExpressions)
    {
        JsonNode S(string value) => JsonValue.Create(escapeArmExpressions && value.StartsWith('[') ? "[" + value : value)!;

        var p = new JsonObject
        {
            ["mode"] = S(pool.Mode.ToString()),
            ["osType"] = S(pool.OsType),
            ["osSKU"] = S(pool.OsSku.Value),
            ["vmSize"] = S(pool.VmSize),
            ["workloadRuntime"] = S(pool.WorkloadRuntime.Value),
            ["enableAutoScaling"] = pool.EnableAutoScaling,
            ["count"] = pool.Count,
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
        if (pool.EnableEncryptionAtHost)
        {
            p["enableEncryptionAtHost"] = true;
        }
        if (pool.Tags.Count > 0)
        {
            var tags = new JsonObject();
            foreach (var (key, value) in pool.Tags)
            {
                tags[key] = S(value);
            }

            p["tags"] = tags;
        }

        return p;
    }

    // ---------------------------------------------------------------- az CLI

    public static string AzCli(AksNodePool pool)
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

        var args = new List<(string Flag, string[] Values)>
        {
            ("--resource-group", [pool.ResourceGroup]),
            ("--cluster-name", [pool.ClusterName]),
            ("--name", [pool.Name]),
        };
        if (pool.SubscriptionId is { } subscription)
        {
            args.Add(("--subscription", [subscription]));
        }

        args.Add(("--mode", [pool.Mode.ToString()]));
        args.Add(("--os-type", [pool.OsType]));
        args.Add(("--os-sku", [pool.OsSku.Value]));
        args.Add(("--node-vm-size", [pool.VmSize]));
        args.Add(("--workload-runtime", [pool.WorkloadRuntime.Value]));
        if (pool.EnableAutoScaling)
        {
            args.Add(("--enable-cluster-autoscaler", []));
            args.Add(("--min-count", [Int(pool.MinCount!.Value)]));
            args.Add(("--max-count", [Int(pool.MaxCount!.Value)]));
        }

        args.Add(("--node-count", [Int(pool.Count)]));
        if (pool.AvailabilityZones.Count > 0)
        {
            args.Add(("--zones", pool.AvailabilityZones.ToArray()));
        }

        if (pool.NodeLabels.Count > 0)
        {
            args.Add(("--labels", pool.NodeLabels.Select(p => p.Key + "=" + p.Value).ToArray()));
        }

        if (pool.NodeTaints.Count > 0)
        {
            args.Add(("--node-taints", [string.Join(",", pool.NodeTaints)]));
        }

        if (pool.MaxPods is { } maxPods)
        {
            args.Add(("--max-pods", [Int(maxPods)]));
        }

        if (pool.OsDiskType is { } diskType)
        {
            args.Add(("--node-osdisk-type", [diskType.ToString()]));
        }

        if (pool.OsDiskSizeGB is { } diskSize)
        {
            args.Add(("--node-osdisk-size", [Int(diskSize)]));
        }

        if (pool.OrchestratorVersion is { } version)
        {
            args.Add(("--kubernetes-version", [version]));
        }

        if (pool.VnetSubnetId is { } vnet)
        {
            args.Add(("--vnet-subnet-id", [vnet]));
        }

        if (pool.PodSubnetId is { } podSubnet)
        {
            args.Add(("--pod-subnet-id", [podSubnet]));
        }

        if (pool.EnableEncryptionAtHost)
        {
            args.Add(("--enable-encryption-at-host", []));
        }

        if (pool.Tags.Count > 0)
        {
            args.Add(("--tags", pool.Tags.Select(p => p.Key + "=" + p.Value).ToArray()));
        }

        Command(text, "az aks nodepool add", args);
        text.Append('\n').Append("# Then update the cluster, as the AKS docs do after adding a Pod Sandboxing pool to an existing cluster.\n");
        var update = new List<(string, string[])> { ("--resource-group", [pool.ResourceGroup]), ("--name", [pool.ClusterName]) };
        if (pool.SubscriptionId is { } sub)
        {
            update.Add(("--subscription", [sub]));
        }

        Command(text, "az aks update", update);
        return text.ToString();
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

    /// <summary>Quotes a value for POSIX shells: bare when it has only safe characters, otherwise in single quotes.</summary>
    internal static string ShellQuote(string value)
    {
        if (value.Length > 0 && value[0] != '-' && value.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '_' or '.' or '/' or ':' or '=' or ',' or '@' or '%' or '+' or '-'))
        {
            return value;
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- Bicep

    public static string Bicep(AksNodePool pool)
    {
        var text = new StringBuilder();
        text.Append("// Sandboxing.Sdk: AKS node pool '").Append(pool.Name).Append("' for Pod Sandboxing (Kata VM isolation).\n")
            .Append("// Deploy into the cluster's resource group: az deployment group create --resource-group ")
            .Append(pool.ResourceGroup).Append(" --template-file <this file>\n\n")
            .Append("resource cluster '").Append(ClusterType).Append('@').Append(pool.ApiVersion).Append("' existing = {\n")
            .Append("  name: ").Append(BicepString(pool.ClusterName)).Append('\n')
            .Append("}\n\n")
            .Append("resource pool '").Append(ResourceType).Append('@').Append(pool.ApiVersion).Append("' = {\n")
            .Append("  parent: cluster\n")
            .Append("  name: ").Append(BicepString(pool.Name)).Append('\n')
            .Append("  properties: ");
        BicepValue(text, Properties(pool, escapeArmExpressions: false), 1);
        text.Append("\n}\n");
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
                    text.Append(indent).Append("  ").Append(BicepKey(key)).Append(": ");
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

    private static string BicepKey(string key)
    {
        bool identifier = key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        return identifier ? key : BicepString(key);
    }

    /// <summary>A Bicep single-quoted string: escapes \, ', ${ and control characters.</summary>
    internal static string BicepString(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('\'');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '\'': text.Append("\\'"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '$' when i + 1 < value.Length && value[i + 1] == '{': text.Append("\\$"); break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append("\\u{").Append(((int)c).ToString("X", CultureInfo.InvariantCulture)).Append('}');
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('\'').ToString();
    }

    // ---------------------------------------------------------------- ARM

    public static string ArmTemplate(AksNodePool pool)
    {
        var template = new JsonObject
        {
            ["$schema"] = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            ["contentVersion"] = "1.0.0.0",
            ["metadata"] = new JsonObject
            {
                ["description"] = $"Sandboxing.Sdk: AKS node pool '{pool.Name}' for Pod Sandboxing (Kata VM isolation).",
            },
            ["resources"] = new JsonArray(new JsonObject
            {
                ["type"] = ResourceType,
                ["apiVersion"] = pool.ApiVersion,
                ["name"] = $"[format('{{0}}/{{1}}', {ArmExpressionString(pool.ClusterName)}, {ArmExpressionString(pool.Name)})]",
                ["properties"] = Properties(pool, escapeArmExpressions: true),
            }),
        };
        return template.ToJsonString(s_json).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static string ArmExpressionString(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    // ---------------------------------------------------------------- REST

    public static AksRestRequest Rest(AksNodePool pool)
    {
        string url = "https://management.azure.com/subscriptions/" + (pool.SubscriptionId is { } s ? Uri.EscapeDataString(s) : "{subscriptionId}") +
            "/resourceGroups/" + Uri.EscapeDataString(pool.ResourceGroup) +
            "/providers/Microsoft.ContainerService/managedClusters/" + Uri.EscapeDataString(pool.ClusterName) +
            "/agentPools/" + Uri.EscapeDataString(pool.Name) + "?api-version=" + Uri.EscapeDataString(pool.ApiVersion);
        var body = new JsonObject { ["properties"] = Properties(pool, escapeArmExpressions: false) };
        return new AksRestRequest("PUT", url, body.ToJsonString(s_json).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
    }

    // ---------------------------------------------------------------- Terraform

    public static string Terraform(AksNodePool pool)
    {
        var text = new StringBuilder();
        text.Append("# Sandboxing.Sdk: AKS node pool \"").Append(pool.Name).Append("\" for Pod Sandboxing (Kata VM isolation).\n")
            .Append("# ").Append(TerraformProviderNote).Append('\n');
        if (pool.WorkloadRuntime == AksWorkloadRuntime.KataMshvVmIsolation)
        {
            text.Append("# KataMshvVmIsolation is the deprecated preview runtime; azurerm 4.x rejects it. Prefer KataVmIsolation.\n");
        }

        text.Append('\n')
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
        int width = scalars.Max(s => s.Key.Length);
        foreach (var (key, value) in scalars)
        {
            text.Append("  ").Append(key.PadRight(width)).Append(" = ").Append(value).Append('\n');
        }

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
        var keys = map.Keys.Select(HclString).ToArray();
        int width = keys.Max(k => k.Length);
        int i = 0;
        foreach (var value in map.Values)
        {
            text.Append("    ").Append(keys[i++].PadRight(width)).Append(" = ").Append(HclString(value)).Append('\n');
        }

        text.Append("  }\n");
    }

    /// <summary>An HCL double-quoted string: escapes \, ", control characters and the template sequences ${ and %{.</summary>
    internal static string HclString(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool template = i + 1 < value.Length && value[i + 1] == '{';
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '$' when template: text.Append("$$"); break;
                case '%' when template: text.Append("%%"); break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
