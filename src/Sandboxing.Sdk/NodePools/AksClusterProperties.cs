using System.Text.Json.Nodes;

namespace Sandboxing.Sdk.Aks;

/// <summary>
/// The ordered ARM property tree of a new cluster (<c>Microsoft.ContainerService/managedClusters</c>, property names from
/// Azure/bicep-types-az containerservice types; the Bicep compiler checks them in the tests), which the cluster's az CLI, Bicep,
/// ARM, Terraform and REST emitters are built from. Each agent pool profile is the pool's own
/// <see cref="NodePoolProperties.Of"/> plus the profile-only fields, so a pool reads the same alone and in a cluster.
/// </summary>
internal static class AksClusterProperties
{
    /// <summary>The profile's leading fields, in the order the profile writes them; the pool's other properties follow in their own order.</summary>
    private static readonly string[] s_profileLead = ["name", "mode", "type", "osType", "osSKU", "vmSize", "workloadRuntime", "count"];

    /// <summary>Whether <paramref name="pool"/> encrypts at host: the cluster setting applies to every pool.</summary>
    public static bool EncryptsAtHost(AksCluster cluster, AksNodePool pool) => cluster.EncryptionAtHost || pool.EnableEncryptionAtHost;

    /// <summary>The network policy engine as ARM, az and Terraform spell it.</summary>
    public static string NetworkPolicy(AksCluster cluster) => cluster.NetworkPolicy.ToString().ToLowerInvariant();

    /// <summary>The cluster's ARM properties, in a fixed order. With <paramref name="escapeArmExpressions"/>, strings that start
    /// with '[' are written '[[' so ARM does not read them as template expressions.</summary>
    public static JsonObject Of(AksCluster cluster, bool escapeArmExpressions)
    {
        JsonNode S(string value) => Escaped(value, escapeArmExpressions);
        var network = new JsonObject
        {
            ["networkPlugin"] = "azure",
            ["networkPluginMode"] = "overlay",
            ["networkPolicy"] = NetworkPolicy(cluster),
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

        p["agentPoolProfiles"] = new JsonArray(cluster.NodePools.Select(pool => (JsonNode)AgentPoolProfile(cluster, pool, escapeArmExpressions)).ToArray());
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

    /// <summary>The resource body the ARM template and the REST request share: location, identity and properties.</summary>
    public static JsonObject Resource(AksCluster cluster, bool escapeArmExpressions) => new()
    {
        ["location"] = cluster.Location,
        ["identity"] = new JsonObject { ["type"] = "SystemAssigned" },
        ["properties"] = Of(cluster, escapeArmExpressions),
    };

    /// <summary>A string, written '[[...' when escaping and it starts with '[' (the rule <see cref="NodePoolProperties.Of"/> applies).</summary>
    public static JsonNode Escaped(string value, bool escapeArmExpressions) =>
        JsonValue.Create(escapeArmExpressions && value.StartsWith('[') ? "[" + value : value)!;

    /// <summary>One agent pool profile (ARM <c>ManagedClusterAgentPoolProfile</c>): the pool's properties led by its name and the
    /// scale set type, ending with the cluster's encryption at host. Pool tags are not written here (the profiles have never carried them).</summary>
    private static JsonObject AgentPoolProfile(AksCluster cluster, AksNodePool pool, bool escapeArmExpressions)
    {
        var properties = NodePoolProperties.Of(pool, escapeArmExpressions);
        properties.Remove("tags");
        properties.Remove("enableEncryptionAtHost"); // the pool writes it only when set; the profile always, for the cluster
        properties["name"] = Escaped(pool.Name, escapeArmExpressions);
        properties["type"] = "VirtualMachineScaleSets";

        var profile = new JsonObject();
        foreach (string key in s_profileLead.Concat(properties.Select(p => p.Key).Except(s_profileLead)).ToArray())
        {
            properties.TryGetPropertyValue(key, out var value);
            properties.Remove(key); // detach before adding to the profile
            profile[key] = value;
        }

        profile["enableEncryptionAtHost"] = EncryptsAtHost(cluster, pool);
        return profile;
    }
}
