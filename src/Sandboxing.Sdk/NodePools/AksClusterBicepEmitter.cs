using System.Text;
using static Sandboxing.Sdk.Aks.EmitterQuoting;

namespace Sandboxing.Sdk.Aks;

/// <summary>Writes a new cluster as a Bicep file: one <c>managedClusters</c> resource with every pool as an agent pool profile.</summary>
internal static class AksClusterBicepEmitter
{
    public static string Emit(AksCluster cluster)
    {
        var text = new StringBuilder()
            .Append("// Sandboxing.Sdk: AKS cluster '").Append(cluster.Name).Append("' with Pod Sandboxing from the start (Kata VM isolation).\n")
            .Append("// Deploy: az deployment group create --resource-group ").Append(cluster.ResourceGroup).Append(" --template-file <this file>\n\n")
            .Append("resource cluster '").Append(NodePoolProperties.ClusterType).Append('@').Append(cluster.ApiVersion).Append("' = {\n")
            .Append("  name: ").Append(BicepString(cluster.Name)).Append('\n')
            .Append("  location: ").Append(BicepString(cluster.Location)).Append('\n')
            .Append("  identity: {\n    type: 'SystemAssigned'\n  }\n")
            .Append("  properties: ");
        BicepEmitter.Value(text, AksClusterProperties.Of(cluster, escapeArmExpressions: false), 1);
        text.Append("\n}\n\n")
            .Append("output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.issuerURL\n");
        return text.ToString();
    }
}
