using System.Text.Json.Nodes;
using static Sandboxing.Sdk.Aks.EmitterQuoting;

namespace Sandboxing.Sdk.Aks;

/// <summary>Writes a node pool as an ARM deployment template: the same resource <c>bicep build</c> makes of the Bicep output.</summary>
internal static class ArmEmitter
{
    public static string Emit(AksNodePool pool)
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
                ["type"] = NodePoolProperties.ResourceType,
                ["apiVersion"] = pool.ApiVersion,
                ["name"] = $"[format('{{0}}/{{1}}', {ArmExpressionString(pool.ClusterName)}, {ArmExpressionString(pool.Name)})]",
                ["properties"] = NodePoolProperties.Of(pool, escapeArmExpressions: true),
            }),
        };
        return template.ToJsonString(NodePoolProperties.Json).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}
