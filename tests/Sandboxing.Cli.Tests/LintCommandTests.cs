using System.Text.Json;
using NJsonSchema;
using Sandboxing.Sdk.Tests;

namespace Sandboxing.Cli.Tests;

public class LintCommandTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    /// <summary>
    /// The OASIS SARIF 2.1.0 JSON schema (draft-04), kept in the repository (a copy of the workplace's shared/schemas file) so a
    /// clean clone can validate our SARIF anywhere.
    /// </summary>
    private static string SchemaPath([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Schemas", "sarif-schema-2.1.0.json");

    /// <summary>SARIF names the base folder as an absolute URI; goldens must not depend on where the repository is cloned.</summary>
    private static string PortableSarif(string sarif, string baseDirectory)
    {
        var baseUri = new Uri(Path.GetFullPath(baseDirectory).TrimEnd('/') + "/").AbsoluteUri;
        return sarif.Replace(baseUri, "file:///SRCROOT/", StringComparison.Ordinal);
    }

    [Fact]
    public void Text_report_of_the_fixtures_matches_the_golden_file()
    {
        var run = CliRunner.Run(Fixtures, "lint", "manifests");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Golden.Match(run.Output, "txt");
    }

    [Fact]
    public void Json_report_of_the_fixtures_matches_the_golden_file()
    {
        var run = CliRunner.Run(Fixtures, "lint", "--format", "json", "manifests");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        using var document = JsonDocument.Parse(run.Output);
        Assert.Equal(document.RootElement.GetProperty("findings").GetArrayLength(), document.RootElement.GetProperty("summary").GetProperty("findings").GetInt32());
        Golden.Match(run.Output, "json");
    }

    [Fact]
    public async Task Sarif_report_of_the_fixtures_matches_the_golden_file_and_the_schema()
    {
        var run = CliRunner.Run(Fixtures, "lint", "--format", "sarif", "manifests");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        var schema = await JsonSchema.FromFileAsync(SchemaPath());
        var errors = schema.Validate(run.Output);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
        Golden.Match(PortableSarif(run.Output, Fixtures), "sarif.json");
    }

    [Fact]
    public async Task Clean_input_gives_sarif_with_an_empty_results_array_that_validates()
    {
        var run = CliRunner.Run(Fixtures, "lint", "--format", "sarif", "manifests/nested/clean.yaml");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var document = JsonDocument.Parse(run.Output);
        var sarifRun = document.RootElement.GetProperty("runs")[0];
        Assert.Equal(JsonValueKind.Array, sarifRun.GetProperty("results").ValueKind);
        Assert.Equal(0, sarifRun.GetProperty("results").GetArrayLength());
        Assert.True(sarifRun.GetProperty("invocations")[0].GetProperty("executionSuccessful").GetBoolean());
        var schema = await JsonSchema.FromFileAsync(SchemaPath());
        Assert.Empty(schema.Validate(run.Output));
    }

    [Fact]
    public async Task Sarif_has_rules_with_help_uris_relative_uris_with_a_base_and_notifications_for_bad_input()
    {
        var run = CliRunner.Run(Fixtures, "lint", "--format", "sarif", "manifests/cronjob.yaml", "malformed/truncated.yaml");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        var schema = await JsonSchema.FromFileAsync(SchemaPath());
        Assert.Empty(schema.Validate(run.Output));
        using var document = JsonDocument.Parse(run.Output);
        var sarifRun = document.RootElement.GetProperty("runs")[0];
        foreach (var rule in sarifRun.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray())
        {
            var id = rule.GetProperty("id").GetString();
            Assert.Equal($"https://github.com/sandboxing-sdk/Sandboxing.Sdk/blob/main/docs/rules/{id}.md", rule.GetProperty("helpUri").GetString());
        }

        Assert.StartsWith("file:///", sarifRun.GetProperty("originalUriBaseIds").GetProperty("SRCROOT").GetProperty("uri").GetString());
        var result = sarifRun.GetProperty("results")[0];
        var artifact = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation");
        Assert.Equal("manifests/cronjob.yaml", artifact.GetProperty("uri").GetString());
        Assert.Equal("SRCROOT", artifact.GetProperty("uriBaseId").GetString());
        var invocation = sarifRun.GetProperty("invocations")[0];
        Assert.False(invocation.GetProperty("executionSuccessful").GetBoolean());
        Assert.Contains("ends too early", invocation.GetProperty("toolExecutionNotifications")[0].GetProperty("message").GetProperty("text").GetString());
    }

    [Fact]
    public void Sarif_fingerprints_are_stable_when_lines_move_and_differ_between_findings()
    {
        var directory = CliRunner.TempCopy();
        var file = Path.Combine(directory, "pod.yaml");
        const string pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: false\n  containers:\n  - name: a\n    image: b\n    securityContext: {privileged: true}\n";
        File.WriteAllText(file, pod.Replace("spec:\n", "spec:\n  runtimeClassName: kata-vm-isolation\n", StringComparison.Ordinal));
        var first = Fingerprints(CliRunner.Run(directory, "lint", "-f", "sarif", "pod.yaml").Output);
        File.WriteAllText(file, "# a comment that moves every line down\n\n" + File.ReadAllText(file));
        var second = Fingerprints(CliRunner.Run(directory, "lint", "-f", "sarif", "pod.yaml").Output);

        Assert.Equal(2, first.Count); // SBX2003 privileged, SBX2005 no memory limit
        Assert.Equal(first, second);
        Assert.Equal(first.Count, first.Distinct().Count());

        static List<string> Fingerprints(string sarif)
        {
            using var document = JsonDocument.Parse(sarif);
            return document.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
                .Select(r => r.GetProperty("partialFingerprints").GetProperty("sandboxingFinding/v1").GetString()!)
                .ToList();
        }
    }

    [Fact]
    public void Findings_point_at_the_field_or_at_the_pod_spec_when_the_field_is_missing()
    {
        var run = CliRunner.Run(Fixtures, "lint", "--format", "json", "manifests/multi-document.yaml");
        using var document = JsonDocument.Parse(run.Output);
        var findings = document.RootElement.GetProperty("findings").EnumerateArray()
            .ToDictionary(f => f.GetProperty("ruleId").GetString()!, f => (Line: f.GetProperty("line").GetInt32(), Column: f.GetProperty("column").GetInt32(), Exists: f.GetProperty("fieldExists").GetBoolean()));

        Assert.Equal((14, 5, false), findings["SBX1001"]);   // "    spec:" of the Deployment's template: the field is missing
        Assert.Equal((44, 11, true), findings["SBX2003"]);   // "          privileged: true"
        var lines = File.ReadAllLines(Path.Combine(Fixtures, "manifests/multi-document.yaml"));
        Assert.StartsWith("spec:", lines[13][4..], StringComparison.Ordinal);
        Assert.StartsWith("privileged:", lines[43][10..], StringComparison.Ordinal);
    }

    [Fact]
    public void Exemptions_need_a_reason_and_strict_refuses_them()
    {
        var normal = CliRunner.Run(Fixtures, "lint", "-f", "json", "manifests/list.yaml", "manifests/cronjob.yaml", "manifests/nested/deeper/deep-nesting.yml");
        var strict = CliRunner.Run(Fixtures, "lint", "-f", "json", "--strict", "manifests/list.yaml", "manifests/cronjob.yaml", "manifests/nested/deeper/deep-nesting.yml");

        var normalIds = RuleIds(normal.Output);
        var strictIds = RuleIds(strict.Output);
        Assert.DoesNotContain("DaemonSet/log-agent/SBX1001", normalIds);   // exempt with a reason
        Assert.DoesNotContain("CronJob/nightly-report/SBX2004", normalIds); // exempt from one rule
        Assert.Contains("Job/deep/SBX1004", normalIds);                     // blank reason: a finding, and no exemption
        Assert.Contains("Job/deep/SBX1001", normalIds);
        Assert.Contains("DaemonSet/log-agent/SBX1001", strictIds);
        Assert.Contains("CronJob/nightly-report/SBX2004", strictIds);

        static HashSet<string> RuleIds(string json)
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.GetProperty("findings").EnumerateArray()
                .Select(f => $"{f.GetProperty("kind").GetString()}/{f.GetProperty("name").GetString()}/{f.GetProperty("ruleId").GetString()}")
                .ToHashSet();
        }
    }

    [Theory]
    [InlineData("warning", ExitCodes.Findings)]
    [InlineData("error", ExitCodes.Success)]
    [InlineData("none", ExitCodes.Success)]
    [InlineData("info", ExitCodes.Findings)]
    public void Fail_on_sets_the_threshold_of_the_exit_code(string failOn, int expected)
    {
        // cronjob.yaml has warnings (SBX1003) and an info finding (SBX2006), but no error.
        Assert.Equal(expected, CliRunner.Run(Fixtures, "lint", "--fail-on", failOn, "manifests/cronjob.yaml").ExitCode);
    }

    [Fact]
    public void Info_findings_alone_fail_only_with_fail_on_info()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "pod.yaml"),
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  runtimeClassName: kata-vm-isolation\n  containers: [{name: a, image: b}]\n");
        Assert.Equal(ExitCodes.Success, CliRunner.Run(directory, "lint", "pod.yaml").ExitCode);
        Assert.Equal(ExitCodes.Findings, CliRunner.Run(directory, "lint", "--fail-on", "info", "pod.yaml").ExitCode);
    }

    [Fact]
    public void Runtime_and_allowed_runtime_classes_change_what_is_allowed()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "pod.yaml"),
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  runtimeClassName: kata-clh\n  containers: [{name: a, image: b, resources: {limits: {memory: 1Gi}}}]\n");
        // A known kata-deploy class, but AKS has none: the one default allow-list (the policy's too) refuses it until listed.
        var byDefault = CliRunner.Run(directory, "lint", "pod.yaml");
        Assert.Equal(ExitCodes.Findings, byDefault.ExitCode);
        Assert.Contains("SBX1002", byDefault.Output);
        Assert.Equal(ExitCodes.Success, CliRunner.Run(directory, "lint", "--allowed-runtime-classes", "kata-clh", "pod.yaml").ExitCode);
        var restricted = CliRunner.Run(directory, "lint", "--allowed-runtime-classes", "kata-vm-isolation", "pod.yaml");
        Assert.Equal(ExitCodes.Findings, restricted.ExitCode);
        Assert.Contains("SBX1002", restricted.Output);
        Assert.Equal(ExitCodes.Success, CliRunner.Run(directory, "lint", "--runtime", "kata-clh", "--allowed-runtime-classes", "kata-qemu", "pod.yaml").ExitCode);
    }

    [Fact]
    public void Output_writes_the_report_to_a_file()
    {
        var directory = CliRunner.TempCopy(Path.Combine(Fixtures, "manifests"));
        var run = CliRunner.Run(directory, "lint", "-f", "sarif", "-o", "out/sandboxing.sarif", "cronjob.yaml");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode); // the folder out/ does not exist
        Directory.CreateDirectory(Path.Combine(directory, "out"));
        run = CliRunner.Run(directory, "lint", "-f", "sarif", "-o", "out/sandboxing.sarif", "cronjob.yaml");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Equal("", run.Output);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "out", "sandboxing.sarif")));
        Assert.Equal("SBX1003", document.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("ruleId").GetString());
    }

    [Fact]
    public void Standard_input_is_linted_when_the_path_is_a_dash()
    {
        var yaml = File.ReadAllBytes(Path.Combine(Fixtures, "manifests/cronjob.yaml"));
        var run = CliRunner.Run(Fixtures, yaml, "lint", "-");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("<stdin>:15:11: warning SBX1003", run.Output);
    }

    [Fact]
    public void Other_kinds_and_non_kubernetes_yaml_are_skipped_quietly()
    {
        var run = CliRunner.Run(Fixtures, "lint", "manifests/nested/not-kubernetes.yml");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("0 findings (0 errors, 0 warnings, 0 info) in 0 pod-bearing objects of 1 file\nconfig: none\n", run.Output);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void A_large_generated_file_is_linted_whole()
    {
        var directory = CliRunner.TempCopy();
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < 2000; i++)
        {
            text.Append($"---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n");
        }

        File.WriteAllText(Path.Combine(directory, "large.yaml"), text.ToString());
        var run = CliRunner.Run(directory, "lint", "-f", "json", "large.yaml");
        using var document = JsonDocument.Parse(run.Output);
        Assert.Equal(2000, document.RootElement.GetProperty("summary").GetProperty("objects").GetInt32());
        Assert.Equal(2000, document.RootElement.GetProperty("findings").EnumerateArray().Count(f => f.GetProperty("ruleId").GetString() == "SBX1001"));
        var last = document.RootElement.GetProperty("findings").EnumerateArray().Last(f => f.GetProperty("ruleId").GetString() == "SBX1001");
        Assert.Equal((2000 * 11) - 3, last.GetProperty("line").GetInt32()); // "    spec:" of the last document
    }
}
