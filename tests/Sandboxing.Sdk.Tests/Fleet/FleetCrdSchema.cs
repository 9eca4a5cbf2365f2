using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;
using Sandboxing.Sdk.Tests.Policies;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk.Tests.Fleet;

/// <summary>
/// Validates objects against the OpenAPI v3 schemas of the Fleet CRDs vendored in Crds/ (Azure/fleet 942238f, see Crds/README.md).
/// Kubernetes prunes fields a structural schema does not declare, so a misspelt field would vanish silently: here an object schema
/// with properties refuses undeclared fields, unless it preserves unknown fields.
/// </summary>
public static class FleetCrdSchema
{
    private static readonly Dictionary<string, JsonSchema> s_schemas = new(StringComparer.Ordinal);

    /// <summary>The schema errors of <paramref name="yaml"/> (one document) against its kind's CRD at its version, as "path: kind" lines.</summary>
    public static IReadOnlyList<string> Errors(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var plain = (Dictionary<string, object?>)PolicyHarness.ToCel(stream.Documents[0].RootNode)!;
        var apiVersion = (string)plain["apiVersion"]!;
        var kind = (string)plain["kind"]!;
        var schema = Schema(kind, apiVersion[(apiVersion.IndexOf('/') + 1)..]);
        return schema.Validate(JsonSerializer.Serialize(plain)).Select(e => $"{e.Path}: {e.Kind}").ToList();
    }

    private static JsonSchema Schema(string kind, string version)
    {
        lock (s_schemas)
        {
            var key = kind + "/" + version;
            if (!s_schemas.TryGetValue(key, out var schema))
            {
                var file = kind switch
                {
                    "ClusterResourcePlacement" => "placement.kubernetes-fleet.io_clusterresourceplacements.yaml",
                    "ClusterResourceEnvelope" => "placement.kubernetes-fleet.io_clusterresourceenvelopes.yaml",
                    _ => throw new InvalidOperationException($"no vendored CRD for {kind}"),
                };
                var stream = new YamlStream();
                stream.Load(new StringReader(File.ReadAllText(Path.Combine(Folder(), "Crds", file))));
                var crd = JsonSerializer.SerializeToNode(PolicyHarness.ToCel(stream.Documents[0].RootNode))!;
                var served = crd["spec"]!["versions"]!.AsArray().Single(v => (string?)v!["name"] == version)!;
                var openApi = served["schema"]!["openAPIV3Schema"]!.DeepClone();
                Strict(openApi);
                schema = JsonSchema.FromJsonAsync(openApi.ToJsonString()).GetAwaiter().GetResult();
                s_schemas[key] = schema;
            }

            return schema;
        }
    }

    private static void Strict(JsonNode? node)
    {
        if (node is JsonObject schema)
        {
            if (schema["properties"] is JsonObject && schema["additionalProperties"] is null && schema["x-kubernetes-preserve-unknown-fields"] is null)
            {
                schema["additionalProperties"] = false;
            }

            foreach (var (_, child) in schema.ToList())
            {
                Strict(child);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Strict(item);
            }
        }
    }

    private static string Folder([CallerFilePath] string here = "") => Path.GetDirectoryName(here)!;
}
