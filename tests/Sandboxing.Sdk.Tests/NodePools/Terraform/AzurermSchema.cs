using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Sandboxing.Sdk.Tests.NodePools.Terraform;

/// <summary>
/// The argument schema of the azurerm resources the SDK writes, read from azurerm-schema.json: extracted from the provider's Go
/// source by extract-azurerm-schema.py (its "source" names the commit). Checks an HCL resource block against it: every
/// attribute and block known, the Required ones present, string values within a <c>StringInSlice</c>.
/// </summary>
public static class AzurermSchema
{
    public static JsonObject Document { get; } = Load();

    public static string ProviderVersion => (string)Document["providerVersion"]!;

    /// <summary>What is wrong with every <c>resource</c> block of <paramref name="file"/>, one line each; empty when nothing is.</summary>
    public static IReadOnlyList<string> Check(HclBlock file)
    {
        var problems = new List<string>();
        foreach (var resource in file.Blocks.Where(b => b.Type == "resource"))
        {
            string type = resource.Labels[0];
            var schema = Document["resources"]![type]
                ?? throw new InvalidOperationException($"azurerm-schema.json has no {type}: extract it with extract-azurerm-schema.py");
            CheckBlock(resource, schema["arguments"]!.AsObject(), $"{type}.{resource.Labels[1]}", problems);
        }

        return problems;
    }

    private static void CheckBlock(HclBlock block, JsonObject arguments, string path, List<string> problems)
    {
        foreach (var (name, value) in block.Attributes)
        {
            var argument = arguments[name];
            string kind = (string?)argument?["kind"] ?? "unknown";
            if (kind is not ("attribute" or "any"))
            {
                problems.Add($"{path}.{name}: {(argument is null ? "not an argument" : "a block, written as an attribute")}");
            }
            else if (argument!["values"] is JsonArray values && value.StartsWith('"'))
            {
                string literal = value[1..^1];
                if (!values.Any(v => (string?)v == literal))
                {
                    problems.Add($"{path}.{name}: \"{literal}\" is not one of {string.Join(", ", values)}");
                }
            }
        }

        foreach (var nested in block.Blocks)
        {
            var argument = arguments[nested.Type];
            string kind = (string?)argument?["kind"] ?? "unknown";
            if (kind == "block")
            {
                CheckBlock(nested, argument!["arguments"]!.AsObject(), $"{path}.{nested.Type}", problems);
            }
            else if (kind != "any")
            {
                problems.Add($"{path}.{nested.Type}: {(argument is null ? "not an argument" : "an attribute, written as a block")}");
            }
        }

        foreach (var (name, argument) in arguments)
        {
            bool present = block.Attributes.Any(a => a.Name == name) || block.Blocks.Any(b => b.Type == name);
            if ((bool)argument!["required"]! && !present)
            {
                problems.Add($"{path}.{name}: required, missing");
            }
        }
    }

    private static JsonObject Load([CallerFilePath] string self = "") =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(self)!, "azurerm-schema.json")))!.AsObject();
}
