using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema;
using Sandboxing.Cli.Config;
using Sandboxing.Sdk;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Cli.Tests.Config;

/// <summary>
/// schemas/sandboxing.schema.json against the loader: the schema names exactly the loader's keys, and every example config of the
/// docs and the tests is valid for both.
/// </summary>
public partial class ConfigSchemaTests
{
    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));

    private static string SchemaPath => Path.Combine(RepositoryRoot(), "schemas", "sandboxing.schema.json");

    private static JsonNode Schema => JsonNode.Parse(File.ReadAllText(SchemaPath))!;

    private static List<string> PropertyNames(JsonNode? node) => node!["properties"]!.AsObject().Select(p => p.Key).ToList();

    /// <summary>The config examples of the docs: ```yaml blocks that start with '# .sandboxing.yaml' or the schema line.</summary>
    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var document in new[] { "README.md", "docs/config.md", "docs/cli.md" })
        {
            var text = File.ReadAllText(Path.Combine(RepositoryRoot(), document)).Replace("\r\n", "\n", StringComparison.Ordinal);
            int index = 0;
            foreach (Match block in YamlBlock().Matches(text))
            {
                var yaml = block.Groups[1].Value;
                if (yaml.StartsWith("# .sandboxing.yaml", StringComparison.Ordinal) || yaml.StartsWith("# yaml-language-server: $schema=", StringComparison.Ordinal))
                {
                    data.Add($"{document} #{++index}", yaml);
                }
            }
        }

        foreach (var field in typeof(ConfigExamples).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
        {
            data.Add($"{nameof(ConfigExamples)}.{field.Name}", (string)field.GetRawConstantValue()!);
        }

        return data;
    }

    [Fact]
    public void The_docs_have_config_examples() =>
        Assert.True(Examples().Count(e => ((string)e[0]).StartsWith("docs/config.md", StringComparison.Ordinal)) >= 3);

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Every_example_config_is_valid_for_the_schema_and_the_loader(string name, string yaml)
    {
        var schema = await JsonSchema.FromFileAsync(SchemaPath);
        var json = ToJson(yaml)!;
        var errors = schema.Validate(json.ToJsonString());
        Assert.True(errors.Count == 0, $"{name}:\n" + string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));

        var config = SandboxingConfigLoader.Parse(yaml, "/x/.sandboxing.yaml", ".sandboxing.yaml");
        Assert.NotNull(config);
    }

    public static TheoryData<string> ConfigsTheSchemaRefuses() => new()
    {
        "runtme: kata-clh\n",
        "rules: {SBX2070: off}\n",
        "rules: {SBX3001: off}\n",
        "rules: {SBX2007: warn}\n",
        "rules: {SBX1001: off}\n",
        "rules: {SBX1002: info}\n",
        "runtime: runc\n",
        "allowedRuntimeClasses: []\n",
        "exclude: charts\n",
        "readRuntimeClassesFromInputs: yes\n",
        "runtimeClasses: [{name: plain, handler: runc}]\n",
        "runtimeClasses: [{name: small, handler: kata, overhead: {memory: 120MB}}]\n",
        "runtimeClasses: [{handler: kata}]\n",
        "podTemplates: [{apiVersion: dev.example.com/v1, kind: Workspace, resource: workspaces, paths: ['spec.containers[0]']}]\n",
        "podTemplates: [{apiVersion: dev.example.com/v1, group: dev.example.com, kind: Workspace, resource: workspaces, paths: [spec]}]\n",
        "podTemplates: [{kind: Workspace, resource: workspaces, paths: [spec]}]\n",
        "podTemplates: [{group: dev.example.com, kind: workspace, resource: workspaces, paths: [spec]}]\n",
    };

    /// <summary>What an editor flags, the tool refuses too (the reverse cannot hold: the schema cannot see a duplicate name).</summary>
    [Theory]
    [MemberData(nameof(ConfigsTheSchemaRefuses))]
    public async Task A_config_the_schema_refuses_the_loader_refuses(string yaml)
    {
        var schema = await JsonSchema.FromFileAsync(SchemaPath);
        Assert.NotEmpty(schema.Validate(ToJson(yaml)!.ToJsonString()));
        Assert.NotEmpty(Assert.Throws<ConfigException>(() => SandboxingConfigLoader.Parse(yaml, "/x/.sandboxing.yaml", ".sandboxing.yaml")).Problems);
    }

    [Fact]
    public void The_schema_names_the_loaders_keys_and_nothing_else()
    {
        var schema = Schema;
        Assert.Equal("http://json-schema.org/draft-07/schema#", (string?)schema["$schema"]);
        Assert.Equal("https://raw.githubusercontent.com/sandboxing-sdk/Sandboxing.Sdk/main/schemas/sandboxing.schema.json", (string?)schema["$id"]);
        Assert.False((bool)schema["additionalProperties"]!);
        Assert.Equal(SandboxingConfigLoader.Keys.Select(k => k.Name), PropertyNames(schema));

        var definitions = schema["definitions"]!;
        Assert.Equal(SandboxingConfigLoader.RuntimeClassKeys, PropertyNames(definitions["runtimeClass"]));
        Assert.Equal(SandboxingConfigLoader.OverheadKeys, PropertyNames(definitions["runtimeClass"]!["properties"]!["overhead"]));
        Assert.Equal(SandboxingConfigLoader.TolerationKeys, PropertyNames(definitions["runtimeClass"]!["properties"]!["tolerations"]!["items"]));
        Assert.Equal(SandboxingConfigLoader.PodTemplateKeys, PropertyNames(definitions["podTemplate"]));

        var rules = schema["properties"]!["rules"]!;
        Assert.Equal(SandboxingConfigLoader.ConfigurableRules.Select(r => r.Id), PropertyNames(rules));
        Assert.Equal(SandboxingConfigLoader.RuleSettings, definitions["ruleSetting"]!["enum"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["error", "warning"], definitions["mainRuleSetting"]!["enum"]!.AsArray().Select(v => (string)v!));
        var main = rules["properties"]!.AsObject().Where(p => (string?)p.Value!["$ref"] == "#/definitions/mainRuleSetting").Select(p => p.Key);
        Assert.Equal(SandboxingConfigLoader.MainRules, main);
        foreach (var rule in SandboxingConfigLoader.ConfigurableRules)
        {
            Assert.StartsWith(rule.Title + $" (default {rule.DefaultSeverity.ToString().ToLowerInvariant()})", (string)rules["properties"]![rule.Id]!["description"]!);
        }

        // The handlers the schema offers beside kata and kata-*: the catalog's other sandbox handlers.
        var handlers = definitions["runtimeClass"]!["properties"]!["handler"]!["anyOf"]![1]!["enum"]!.AsArray().Select(v => (string)v!).Order(StringComparer.Ordinal);
        var known = KnownRuntimeClasses.All.Select(k => k.Handler).Where(h => RuntimeClassDefinition.IsSandboxHandler(h) && !h.StartsWith("kata", StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(known, handlers);
    }

    [Fact]
    public void Every_key_has_a_section_in_the_docs()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "config.md"));
        foreach (var key in SandboxingConfigLoader.Keys)
        {
            Assert.Contains($"### `{key.Name}`", docs);
        }

        Assert.Contains("# yaml-language-server: $schema=" + (string?)Schema["$id"], docs);
    }

    /// <summary>YAML as JSON the way an editor's YAML language server sees it: plain true/false are booleans, plain integers numbers.</summary>
    private static JsonNode? ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);

        static JsonNode? Convert(YamlNode node) => node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, Convert(p.Value)))),
            YamlSequenceNode list => new JsonArray(list.Children.Select(Convert).ToArray()),
            YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" } => null,
            YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } flag => JsonValue.Create(flag.Value == "true"),
            YamlScalarNode { Style: ScalarStyle.Plain } number when long.TryParse(number.Value, out var n) => JsonValue.Create(n),
            YamlScalarNode scalar => JsonValue.Create(scalar.Value),
            _ => throw new InvalidOperationException(node.GetType().Name),
        };
    }

    [GeneratedRegex("```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
