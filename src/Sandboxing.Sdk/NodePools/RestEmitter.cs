using System.Text.Json.Nodes;

namespace Sandboxing.Sdk.Aks;

/// <summary>Writes a node pool as the ARM REST request that creates or updates it.</summary>
internal static class RestEmitter
{
    public static AksRestRequest Emit(AksNodePool pool)
    {
        string url = "https://management.azure.com/subscriptions/" + (pool.SubscriptionId is { } s ? Uri.EscapeDataString(s) : "{subscriptionId}") +
            "/resourceGroups/" + Uri.EscapeDataString(pool.ResourceGroup) +
            "/providers/Microsoft.ContainerService/managedClusters/" + Uri.EscapeDataString(pool.ClusterName) +
            "/agentPools/" + Uri.EscapeDataString(pool.Name) + "?api-version=" + Uri.EscapeDataString(pool.ApiVersion);
        var body = new JsonObject { ["properties"] = NodePoolProperties.Of(pool, escapeArmExpressions: false) };
        return new AksRestRequest("PUT", url, body.ToJsonString(NodePoolProperties.Json).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
    }
}
