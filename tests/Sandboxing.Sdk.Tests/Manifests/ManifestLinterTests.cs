using CsCheck;

namespace Sandboxing.Sdk.Tests.Manifests;

public class ManifestLinterTests
{
    [Fact]
    public void The_linter_reports_what_the_validator_reports_on_the_same_objects() =>
        ManifestGen.Case.Sample(c =>
        {
            var lint = ManifestLinter.Lint(c.Text, "gen.yaml");
            Assert.Empty(lint.Problems);
            var typed = SandboxManifest.Read(c.Text.TrimStart('\uFEFF'), "gen.yaml");
            var expected = SandboxValidator.Validate(typed).Select(f => $"{f.Kind}/{f.Name} {f.RuleId} {f.Path}").ToList();
            // The "once runtimeClassName is set" findings too: the validator reports them in the same pass.
            Assert.Equal(expected, lint.Findings.Select(f => $"{f.Finding.Kind}/{f.Finding.Name} {f.Finding.RuleId} {f.Finding.Path}").ToList());

            // One pass: what the linter reports "once runtimeClassName is set" is what the validator reports after Sandbox()'s class.
            var fixedText = ManifestFixer.Fix(c.Text, "gen.yaml", new ManifestFixOptions { Force = true }).FixedText;
            var after = SandboxValidator.Validate(SandboxManifest.Read(fixedText.TrimStart('\uFEFF'), "gen.yaml"))
                .Where(f => f.Rule.Category == SandboxRules.CompatibilityCategory).Select(f => $"{f.Kind}/{f.Name} {f.RuleId} {f.Path}").Order(StringComparer.Ordinal);
            var predicted = lint.Findings.Where(f => f.Finding.Rule.Category == SandboxRules.CompatibilityCategory)
                .Select(f => $"{f.Finding.Kind}/{f.Finding.Name} {f.Finding.RuleId} {f.Finding.Path}").Order(StringComparer.Ordinal);
            Assert.Equal(after, predicted);
        }, iter: 300);

    [Fact]
    public void Every_finding_points_at_its_field_or_at_the_pod_spec() =>
        ManifestGen.Case.Sample(c =>
        {
            var source = ManifestSource.FromText(c.Text, "gen.yaml");
            var lines = source.Text.Split('\n');
            foreach (var finding in ManifestLinter.Lint(source).Findings)
            {
                var line = lines[finding.Line - 1];
                var at = line[(finding.Column - 1)..];
                var field = finding.Finding.Path.Split('.', '[')[^1].TrimEnd(']');
                if (finding.FieldExists)
                {
                    Assert.Matches($"^[\"']?{System.Text.RegularExpressions.Regex.Escape(field)}[\"']?:", at);
                }
                else
                {
                    // A missing field: the nearest existing parent, the pod spec for runtimeClassName.
                    Assert.Matches("^[\"']?(spec|resources|limits|containers|\\{)", at.TrimStart('-', ' '));
                }
            }
        }, iter: 200);

    [Theory]
    [InlineData("Pod", "spec")]
    [InlineData("Deployment", "spec.template.spec")]
    [InlineData("StatefulSet", "spec.template.spec")]
    [InlineData("DaemonSet", "spec.template.spec")]
    [InlineData("ReplicaSet", "spec.template.spec")]
    [InlineData("ReplicationController", "spec.template.spec")]
    [InlineData("Job", "spec.template.spec")]
    [InlineData("CronJob", "spec.jobTemplate.spec.template.spec")]
    [InlineData("PodTemplate", "template.spec")]
    public void Every_pod_bearing_kind_is_found_with_the_visitors_spec_path(string kind, string specPath)
    {
        Assert.Contains(kind, PodTemplates.PodBearingKinds);
        Assert.Equal(specPath, PodTemplates.SpecPathOf(kind));
        var doc = new PodDoc(kind, false, 2, ' ', false, null, ' ', false, "1Gi", null, false, false);
        var lint = ManifestLinter.Lint(new ManifestCase([doc], "\n", false, false, false).Text);
        var finding = Assert.Single(lint.Findings);
        Assert.Equal(specPath + ".runtimeClassName", finding.Finding.Path);
        Assert.False(finding.FieldExists);
    }

    [Fact]
    public void Lists_of_every_kind_are_expanded_and_other_kinds_skipped()
    {
        const string yaml = "apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- {apiVersion: apps/v1, kind: Deployment, metadata: {name: a}, spec: {template: {spec: {containers: []}}}}\n- {apiVersion: v1, kind: Service, metadata: {name: s}, spec: {ports: [{port: 80}]}}\n---\nplain: yaml\n---\n- just\n- a list\n---\n";
        var lint = ManifestLinter.Lint(yaml);
        Assert.Equal(1, lint.PodObjects);
        Assert.Equal("SBX1001", Assert.Single(lint.Findings).Finding.RuleId);
        Assert.Empty(lint.Problems);
    }

    [Fact]
    public void Template_annotations_are_located_in_the_template_metadata()
    {
        const string yaml = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    metadata:\n      annotations:\n        sandboxing.sdk/exempt: ''\n    spec:\n      containers: []\n";
        var finding = ManifestLinter.Lint(yaml).Findings.Single(f => f.Finding.RuleId == "SBX1004");
        Assert.Equal((8, 9, true), (finding.Line, finding.Column, finding.FieldExists));
    }

    [Fact]
    public void Strict_options_refuse_exemptions()
    {
        const string yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {sandboxing.sdk/exempt: host agent}\nspec:\n  containers: []\n";
        Assert.Empty(ManifestLinter.Lint(yaml).Findings);
        var strict = new ManifestLintOptions { Validation = new SandboxValidationOptions { HonorExemptions = false } };
        Assert.Equal("SBX1001", Assert.Single(ManifestLinter.Lint(yaml, "pod.yaml", strict).Findings).Finding.RuleId);
    }

    [Theory]
    [InlineData("a: [1, 2\n", 2, 1, "ends too early")]
    [InlineData("a:\n  b: 1\n\tc: 2\n", 3, 1, "indent with spaces")]
    [InlineData("{{- if .Values.on }}\na: 1\n{{- end }}\n", 1, 1, "helm template")]
    [InlineData("a: *missing\n", 1, 4, "names no anchor")]
    public void Syntax_problems_name_line_and_column_and_how_to_fix(string yaml, int line, int column, string hint)
    {
        var problem = Assert.Single(ManifestLinter.Lint(yaml, "bad.yaml").Problems);
        Assert.Equal((line, column), (problem.Line, problem.Column));
        Assert.Contains(hint, problem.Message);
    }

    [Fact]
    public void Documents_before_a_syntax_error_are_still_linted_and_the_fixer_changes_nothing()
    {
        const string yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: []\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: [b\n";
        var lint = ManifestLinter.Lint(yaml, "two.yaml");
        Assert.Equal("SBX1001", Assert.Single(lint.Findings).Finding.RuleId);
        var problem = Assert.Single(lint.Problems);
        Assert.Contains("document 2", problem.Message);
        Assert.Equal(10, problem.Line); // where the file ends, inside the unclosed flow sequence

        var fix = ManifestFixer.Fix(yaml, "two.yaml");
        Assert.False(fix.Changed);
        Assert.Empty(fix.Edits);
        Assert.Single(fix.Problems);
    }

    [Fact]
    public void An_alias_bomb_is_refused_quickly_without_expanding_it()
    {
        var yaml = new System.Text.StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 30; i++)
        {
            yaml.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }

        var problem = Assert.Single(ManifestLinter.Lint(yaml.ToString(), "bomb.yaml").Problems);
        Assert.Contains("alias bomb", problem.Message);
    }

    [Fact]
    public void Read_limits_are_configurable()
    {
        var deep = "a: " + string.Concat(Enumerable.Repeat("[", 20)) + string.Concat(Enumerable.Repeat("]", 20)) + "\n";
        Assert.Empty(ManifestLinter.Lint(deep).Problems);
        var tight = new ManifestLintOptions { Read = new ManifestReadOptions { MaxDepth = 10 } };
        Assert.Contains("nesting deeper than 10 levels", Assert.Single(ManifestLinter.Lint(deep, "deep.yaml", tight).Problems).Message);
        Assert.Throws<ManifestException>(() => ManifestSource.FromBytes(new byte[100], "x", new ManifestReadOptions { MaxFileBytes = 10 }));
    }

    [Fact]
    public void The_size_limit_counts_the_bytes_read_not_the_length_a_file_reports()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /dev/zero is the Linux case
        }

        // A device reports length 0 and never ends: read whole, it would exhaust memory.
        var link = Path.Combine(Path.GetTempPath(), $"zero-{Guid.NewGuid():N}.yaml");
        File.CreateSymbolicLink(link, "/dev/zero");
        try
        {
            Assert.Equal(0, new FileInfo("/dev/zero").Length);
            var e = Assert.Throws<ManifestException>(() => ManifestSource.FromFile(link, "zero.yaml", new ManifestReadOptions { MaxFileBytes = 1024 * 1024 }));
            Assert.Equal("zero.yaml: the file is over the limit of 1,048,576 bytes; split it into smaller files, or raise the limit with --max-file-size if it really is one manifest",
                Assert.Single(e.Problems).ToString());
        }
        finally
        {
            File.Delete(link);
        }
    }
}
