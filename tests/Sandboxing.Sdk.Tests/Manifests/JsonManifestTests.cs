using System.Text.Json;
using k8s.Models;

namespace Sandboxing.Sdk.Tests.Manifests;

/// <summary>JSON manifests: a stream of objects parses as one document each, at the file's positions, and fixing keeps JSON.</summary>
public class JsonManifestTests
{
    private const string Pod = """{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "NAME"}, "spec": {SPEC"containers": [{"name": "a", "image": "b"}]}}""";

    private static string PodJson(string name, string spec = "") => Pod.Replace("NAME", name, StringComparison.Ordinal).Replace("SPEC", spec, StringComparison.Ordinal);

    [Fact]
    public void Objects_back_to_back_are_separate_documents_at_their_own_lines_and_columns()
    {
        var text = PodJson("a") + PodJson("b") + "\n\n  " + PodJson("c");
        var result = ManifestLinter.Lint(text, "s.json");
        var missing = result.Findings.Where(f => f.Finding.RuleId == "SBX1001").ToList();
        Assert.Equal(3, missing.Count);
        int spec = PodJson("a").IndexOf("\"spec\"", StringComparison.Ordinal) + 1;
        Assert.Equal([(1, spec), (1, PodJson("a").Length + spec), (3, spec + 2)], missing.Select(f => (f.Line, f.Column)));
    }

    [Fact]
    public void A_syntax_error_in_the_second_object_names_that_document()
    {
        var text = PodJson("a") + "\n{\"kind\": \"Pod\", \"spec\": [}\n";
        var problem = Assert.Single(ManifestLinter.Lint(text, "s.json").Problems);
        Assert.Equal(2, problem.Line);
        Assert.Contains("document 2", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"tolerations\": [], ")]
    [InlineData("\"tolerations\": [{\"key\": \"x\", \"operator\": \"Exists\"}], ")]
    public void Fixing_json_writes_json_with_the_class_and_the_tolerations(string spec)
    {
        var options = new ManifestFixOptions
        {
            Tolerations = [new V1Toleration { Key = "sandboxing.sdk/runtime", OperatorProperty = "Equal", Value = "kata", Effect = "NoSchedule" }],
        };
        var result = ManifestFixer.Fix(PodJson("a", spec) + "\n" + PodJson("b", spec), "p.json", options);
        Assert.Empty(result.Problems);
        Assert.Null(JsonStream.Invalid(result.FixedText));
        foreach (var (start, end) in JsonStream.Values(result.FixedText))
        {
            using var json = JsonDocument.Parse(result.FixedText[start..end]);
            var podSpec = json.RootElement.GetProperty("spec");
            Assert.Equal("kata-vm-isolation", podSpec.GetProperty("runtimeClassName").GetString());
            Assert.Contains(podSpec.GetProperty("tolerations").EnumerateArray(), t => t.GetProperty("effect").GetString() == "NoSchedule");
        }
    }

    [Fact]
    public void Fixing_an_empty_json_spec_keeps_json()
    {
        var result = ManifestFixer.Fix("""{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": {}}}}""", "d.json");
        Assert.Null(JsonStream.Invalid(result.FixedText));
        Assert.Contains("\"runtimeClassName\": \"kata-vm-isolation\"", result.FixedText, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_that_starts_with_a_flow_mapping_is_still_yaml()
    {
        Assert.Single(JsonStream.Values("{a: 1}\n---\nkind: Pod\n"));
        Assert.Empty(JsonStream.Values("kind: Pod\n"));
        Assert.Equal(2, JsonStream.Values("{a: '}'}{b: \"}\\\"\"}").Count);
    }
}
