using System.Text.Json.Nodes;

namespace Sandboxing.Sdk.Aks;

/// <summary>Writes a new cluster as an ARM deployment template: the same resource <c>bicep build</c> makes of the Bicep output.</summary>
internal static class AksClusterArmEmitter
{
    public static string Emit(AksCluster cluster)
    {
        var resource = new JsonObject
        {
            ["type"] = NodePoolProperties.ClusterType,
            ["apiVersion"] = cluster.ApiVersion,
            ["name"] = AksClusterProperties.Escaped(cluster.Name, escapeArmExpressions: true),
        };
        foreach (var (key, value) in AksClusterProperties.Resource(cluster, escapeArmExpressions: true))
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
        return template.ToJsonString(NodePoolProperties.Json).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}
