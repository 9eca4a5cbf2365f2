using System.Text;
using System.Text.Json.Nodes;
using static Sandboxing.Sdk.Aks.EmitterQuoting;

namespace Sandboxing.Sdk.Aks;

/// <summary>Writes a node pool as a Bicep file: the cluster as an <c>existing</c> resource and the agent pool as its child.</summary>
internal static class BicepEmitter
{
    public static string Emit(AksNodePool pool)
    {
        var text = new StringBuilder();
        text.Append("// Sandboxing.Sdk: AKS node pool '").Append(pool.Name).Append("' for Pod Sandboxing (Kata VM isolation).\n")
            .Append("// Deploy into the cluster's resource group: az deployment group create --resource-group ")
            .Append(pool.ResourceGroup).Append(" --template-file <this file>\n\n")
            .Append("resource cluster '").Append(NodePoolProperties.ClusterType).Append('@').Append(pool.ApiVersion).Append("' existing = {\n")
            .Append("  name: ").Append(BicepString(pool.ClusterName)).Append('\n')
            .Append("}\n\n")
            .Append("resource pool '").Append(NodePoolProperties.ResourceType).Append('@').Append(pool.ApiVersion).Append("' = {\n")
            .Append("  parent: cluster\n")
            .Append("  name: ").Append(BicepString(pool.Name)).Append('\n')
            .Append("  properties: ");
        Value(text, NodePoolProperties.Of(pool, escapeArmExpressions: false), 1);
        text.Append("\n}\n");
        return text.ToString();
    }

    /// <summary>Writes a JSON value as a Bicep value at <paramref name="depth"/> (two spaces a level); the cluster emitter uses it too.</summary>
    internal static void Value(StringBuilder text, JsonNode? node, int depth)
    {
        string indent = new(' ', depth * 2);
        switch (node)
        {
            case JsonObject obj:
                text.Append("{\n");
                foreach (var (key, value) in obj)
                {
                    text.Append(indent).Append("  ").Append(Key(key)).Append(": ");
                    Value(text, value, depth + 1);
                    text.Append('\n');
                }

                text.Append(indent).Append('}');
                break;
            case JsonArray array:
                text.Append("[\n");
                foreach (var item in array)
                {
                    text.Append(indent).Append("  ");
                    Value(text, item, depth + 1);
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

    private static string Key(string key)
    {
        bool identifier = key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        return identifier ? key : BicepString(key);
    }
}
