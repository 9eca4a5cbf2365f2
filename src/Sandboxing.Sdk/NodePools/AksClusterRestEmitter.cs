namespace Sandboxing.Sdk.Aks;

/// <summary>Writes a new cluster as the ARM REST request that creates it.</summary>
internal static class AksClusterRestEmitter
{
    public static AksRestRequest Emit(AksCluster cluster)
    {
        string url = "https://management.azure.com/subscriptions/" + (cluster.SubscriptionId is { } s ? Uri.EscapeDataString(s) : "{subscriptionId}") +
            "/resourceGroups/" + Uri.EscapeDataString(cluster.ResourceGroup) +
            "/providers/Microsoft.ContainerService/managedClusters/" + Uri.EscapeDataString(cluster.Name) + "?api-version=" + Uri.EscapeDataString(cluster.ApiVersion);
        var body = AksClusterProperties.Resource(cluster, escapeArmExpressions: false);
        return new AksRestRequest("PUT", url, body.ToJsonString(NodePoolProperties.Json).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
    }
}
