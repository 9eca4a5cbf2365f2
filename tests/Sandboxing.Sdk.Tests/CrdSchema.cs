using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;
using Sandboxing.Sdk.Tests.Policies;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk.Tests;

/// <summary>
/// Validates objects against the OpenAPI v3 schemas of CRDs vendored as test fixtures: <see cref="Fleet"/> (Fleet/Crds, Azure/fleet
/// 942238f) and <see cref="AgentSandbox"/> (Agents/AgentSandboxCrds, kubernetes-sigs/agent-sandbox 2fd412d); each folder's
/// README.md says where its files come from. Kubernetes prunes fields a structural schema does not declare, so a misspelt field
/// would vanish silently: here an object schema with properties refuses undeclared fields, unless it preserves unknown fields.
/// </summary>
public sealed class CrdSchema
{
    /// <summary>The Fleet CRDs (ClusterResourcePlacement, ClusterResourceEnvelope).</summary>
    public static readonly CrdSchema Fleet = new(Path.Combine("Fleet", "Crds"));

    /// <summary>The agent-sandbox CRDs (Sandbox, SandboxClaim, SandboxTemplate, SandboxWarmPool).</summary>
    public static readonly CrdSchema AgentSandbox = new(Path.Combine("Agents", "AgentSandboxCrds"));

    private readonly string _folder;
    private readonly Dictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private Dictionary<string, JsonNode>? _crds;

    private CrdSchema(string folder) => _folder = Path.Combine(Folder(), folder);

    /// <summary>The schema errors of <paramref name="yaml"/> (one document) against its kind's CRD at its version, as "path: kind" lines.</summary>
    public IReadOnlyList<string> Errors(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var plain = (Dictionary<string, object?>)PolicyHarness.ToCel(stream.Documents[0].RootNode)!;
        var apiVersion = (string)plain["apiVersion"]!;
        var kind = (string)plain["kind"]!;
        var schema = Schema(kind, apiVersion[(apiVersion.IndexOf('/') + 1)..]);
        return schema.Validate(JsonSerializer.Serialize(plain)).Select(e => $"{e.Path}: {e.Kind}").ToList();
    }

    /// <summary>The CRD's <c>deprecationWarning</c> for <paramref name="kind"/> at <paramref name="version"/>, or null when it has none.</summary>
    public string? DeprecationWarning(string kind, string version)
    {
        lock (_schemas)
        {
            return (string?)Version(kind, version)["deprecationWarning"];
        }
    }

    private JsonNode Version(string kind, string version)
    {
        _crds ??= Directory.GetFiles(_folder, "*.yaml").Select(Load).ToDictionary(c => (string)c["spec"]!["names"]!["kind"]!, StringComparer.Ordinal);
        var crd = _crds.TryGetValue(kind, out var found) ? found : throw new InvalidOperationException($"no vendored CRD for {kind} in {_folder}");
        return crd["spec"]!["versions"]!.AsArray().Single(v => (string?)v!["name"] == version)!;
    }

    private JsonSchema Schema(string kind, string version)
    {
        lock (_schemas)
        {
            var key = kind + "/" + version;
            if (!_schemas.TryGetValue(key, out var schema))
            {
                var openApi = Version(kind, version)["schema"]!["openAPIV3Schema"]!.DeepClone();
                Strict(openApi);
                schema = JsonSchema.FromJsonAsync(openApi.ToJsonString()).GetAwaiter().GetResult();
                _schemas[key] = schema;
            }

            return schema;
        }
    }

    private static JsonNode Load(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(file)));
        return JsonSerializer.SerializeToNode(PolicyHarness.ToCel(stream.Documents[0].RootNode))!;
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
