using System.Text;
using CsCheck;
using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Tests.Manifests;

/// <summary>Manifests: no pod slips past lint, fix and Read; no file is damaged; no input crashes the tools.</summary>
public class FailClosedManifestTests
{
    private const string Container = "containers: [{name: c, image: busybox, resources: {limits: {cpu: '1', memory: 256Mi}, requests: {cpu: '1', memory: 256Mi}}}]";

    private static string FlowPod(string name, string extra = "") =>
        $"{{apiVersion: v1, kind: Pod, metadata: {{name: {name}}}, spec: {{{extra}{Container}}}}}";

    [Fact]
    public void A_List_inside_a_List_is_linted_fixed_and_read()
    {
        const string yaml = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: List
              items:
              - apiVersion: v1
                kind: DeploymentList
                items:
                - apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: inner}
                  spec:
                    template:
                      spec:
                        containers: [{name: c, image: busybox}]
            """;
        var lint = ManifestLinter.Lint(yaml, "nested.yaml");
        Assert.Empty(lint.Problems);
        Assert.Equal(1, lint.PodObjects);
        Assert.Contains(lint.Findings, f => f.Finding.RuleId == "SBX1001" && f.Finding.Name == "inner");

        var fix = ManifestFixer.Fix(yaml, "nested.yaml");
        Assert.Single(fix.Edits);
        Assert.DoesNotContain(ManifestLinter.Lint(fix.FixedText).Findings, f => f.Finding.RuleId == "SBX1001");

        var read = Assert.IsType<V1Deployment>(Assert.Single(SandboxManifest.Read(yaml, "nested.yaml")));
        Assert.Equal("inner", read.Metadata.Name);
        Assert.Equal("kata-vm-isolation", read.Sandbox().Spec.Template.Spec.RuntimeClassName);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Random_nesting_of_Lists_hides_no_pod_from_lint_fix_or_Read() =>
        Gen.Int[0, 6].SelectMany(depth => Gen.Int[1, 3].Array[depth + 1].Select(widths => (depth, widths))).Sample(c =>
        {
            int pods = 0;
            string Build(int level)
            {
                if (level > c.depth)
                {
                    return FlowPod($"p{pods++}");
                }

                var items = Enumerable.Range(0, c.widths[level]).Select(_ => Build(level + 1));
                return $"{{apiVersion: v1, kind: List, items: [{string.Join(", ", items)}]}}";
            }

            var yaml = Build(0) + "\n";
            var lint = ManifestLinter.Lint(yaml);
            Assert.Empty(lint.Problems);
            Assert.Equal(pods, lint.PodObjects);
            Assert.Equal(pods, lint.Findings.Count(f => f.Finding.RuleId == "SBX1001"));
            var read = SandboxManifest.Read(yaml);
            Assert.Equal(pods, read.Count);
            Assert.Equal(pods, PodTemplates.FindAll(read).Count);
            var fixedText = ManifestFixer.Fix(yaml).FixedText;
            Assert.Equal(pods, SandboxManifest.Read(fixedText).Cast<V1Pod>().Count(p => p.Spec.RuntimeClassName == "kata-vm-isolation"));
            Assert.Equal(fixedText, ManifestFixer.Fix(fixedText).FixedText);
        }, iter: 200);

    [Fact]
    public void Merge_keys_give_lint_fix_and_Read_the_merged_class_and_host_network()
    {
        var yaml = $"""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Pod
              metadata: {"{name: base}"}
              spec: &base
                runtimeClassName: kata-vm-isolation
                hostNetwork: true
                {Container}
            - apiVersion: v1
              kind: Pod
              metadata: {"{name: merged}"}
              spec:
                <<: *base
                restartPolicy: Never
            """;
        var lint = ManifestLinter.Lint(yaml, "merge.yaml");
        Assert.Empty(lint.Problems);
        Assert.DoesNotContain(lint.Findings, f => f.Finding.RuleId == "SBX1001");
        Assert.Equal(["base", "merged"], lint.Findings.Where(f => f.Finding.RuleId == "SBX2001").Select(f => f.Finding.Name));
        Assert.False(ManifestFixer.Fix(yaml).Changed);

        var merged = (V1Pod)SandboxManifest.Read(yaml)[1];
        Assert.Equal(("kata-vm-isolation", true, "Never"), (merged.Spec.RuntimeClassName, merged.Spec.HostNetwork, merged.Spec.RestartPolicy));
        Assert.Single(merged.Spec.Containers);

        // Without a class in the anchor, fix must still see the merged hostNetwork and leave the pod alone.
        var noClass = yaml.Replace("    runtimeClassName: kata-vm-isolation\n", "", StringComparison.Ordinal);
        var fix = ManifestFixer.Fix(noClass);
        Assert.Empty(fix.Edits);
        Assert.Equal(2, fix.Skipped.Count);
        Assert.All(fix.Skipped, s => Assert.Contains("hostNetwork", s.Message));
    }

    [Fact]
    public void Random_anchors_and_merge_keys_read_as_if_written_out() =>
        Gen.Select(Fields, Fields, Gen.Bool, Gen.Bool).Sample((a, b, sequence, mergeLabels) =>
        {
            // Pod "a" carries the anchored spec; pod "b" merges it (alone, or in a list with an empty mapping) and may override.
            string[] keys = ["runtimeClassName", "hostNetwork", "hostPID"];
            var own = new List<string>();
            var merged = new Dictionary<string, string>();
            for (int i = 0; i < keys.Length; i++)
            {
                if (a[i] is { } av)
                {
                    merged[keys[i]] = av;
                }

                if (b[i] is { } bv)
                {
                    own.Add($"{keys[i]}: {bv}");
                    merged[keys[i]] = bv;
                }
            }

            string aSpec = string.Concat(keys.Select((k, i) => a[i] is { } v ? $"    {k}: {v}\n" : ""));
            string labels = mergeLabels ? "  metadata: {name: b, labels: {<<: *labels, tier: web}}\n" : "  metadata: {name: b}\n";
            string merge = sequence ? "[*spec, {}]" : "*spec";
            var yaml = "apiVersion: v1\nkind: List\nitems:\n" +
                $"- apiVersion: v1\n  kind: Pod\n  metadata: {{name: a, labels: &labels {{app: x}}}}\n  spec: &spec\n{aSpec}    {Container}\n" +
                $"- apiVersion: v1\n  kind: Pod\n{labels}  spec:\n    <<: {merge}\n" + string.Concat(own.Select(o => $"    {o}\n"));
            var written = "apiVersion: v1\nkind: Pod\n" + (mergeLabels ? "metadata: {name: b, labels: {tier: web, app: x}}\n" : "metadata: {name: b}\n") +
                "spec:\n" + string.Concat(merged.Select(kv => $"  {kv.Key}: {kv.Value}\n")) + $"  {Container}\n";

            static string Rules(string text) => string.Join(",", ManifestLinter.Lint(text).Findings
                .Where(f => f.Finding.Name == "b").Select(f => f.Finding.RuleId + " " + f.Finding.Path).Order(StringComparer.Ordinal));
            Assert.Equal(Rules(written), Rules(yaml));
            var viaMerge = SandboxManifest.Read(yaml)[1];
            var viaText = Assert.Single(SandboxManifest.Read(written));
            Assert.Equal(SandboxManifest.ToYaml(viaText), SandboxManifest.ToYaml(viaMerge));

            var fixedMerge = ManifestFixer.Fix(yaml);
            var fixedText = ManifestFixer.Fix(written);
            Assert.Equal(fixedText.Skipped.Count, fixedMerge.Skipped.Count(s => s.Message.StartsWith("Pod b ", StringComparison.Ordinal)));
            Assert.Equal(
                ((V1Pod)SandboxManifest.Read(fixedText.FixedText)[0]).Spec.RuntimeClassName,
                ((V1Pod)SandboxManifest.Read(fixedMerge.FixedText)[1]).Spec.RuntimeClassName);
        }, iter: 300);

    private static readonly Gen<string?> Flag = Gen.OneOfConst<string?>(null, "true", "false");

    /// <summary>runtimeClassName, hostNetwork and hostPID, each absent or set.</summary>
    private static readonly Gen<string?[]> Fields =
        Gen.Select(Gen.OneOfConst<string?>(null, "kata-vm-isolation", "runc"), Flag, Flag).Select((c, n, p) => new[] { c, n, p });

    [Theory]
    [InlineData("spec:\n  ? containers\n  : [{name: c, image: busybox}]\n")]
    [InlineData("spec:\n  ?   containers\n  : [{name: c, image: busybox}]\n  restartPolicy: Never\n")]
    [InlineData("spec:\n  ?\n    containers\n  : [{name: c, image: busybox}]\n")]
    [InlineData("spec: {? containers : [{name: c, image: busybox}]}\n")]
    public void Fix_on_an_explicit_key_writes_yaml_that_parses(string spec)
    {
        var yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n" + spec;
        var fix = ManifestFixer.Fix(yaml, "explicit.yaml");
        Assert.Empty(fix.Problems);
        Assert.Single(fix.Edits);
        var pod = Assert.IsType<V1Pod>(Assert.Single(SandboxManifest.Read(fix.FixedText)));
        Assert.Equal("kata-vm-isolation", pod.Spec.RuntimeClassName);
        Assert.Equal("c", Assert.Single(pod.Spec.Containers).Name);
        Assert.False(ManifestFixer.Fix(fix.FixedText).Changed);
    }

    [Fact]
    public void Random_explicit_keys_stay_valid_after_fix() =>
        Gen.Bool.Array[3].Sample(explicitKeys =>
        {
            string[] entries = ["containers", "[{name: c, image: busybox}]", "restartPolicy", "Never", "dnsPolicy", "Default"];
            var spec = new StringBuilder("spec:\n");
            for (int i = 0; i < 3; i++)
            {
                spec.Append(explicitKeys[i] ? $"  ? {entries[2 * i]}\n  : {entries[(2 * i) + 1]}\n" : $"  {entries[2 * i]}: {entries[(2 * i) + 1]}\n");
            }

            var yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n" + spec;
            var fixedText = ManifestFixer.Fix(yaml).FixedText;
            var pod = (V1Pod)Assert.Single(SandboxManifest.Read(fixedText));
            Assert.Equal(("kata-vm-isolation", "Never", "Default"), (pod.Spec.RuntimeClassName, pod.Spec.RestartPolicy, pod.Spec.DnsPolicy));
        }, iter: 50);

    [Fact]
    public void Fix_in_a_file_with_CR_line_ends_inserts_a_CR_line()
    {
        const string yaml = "apiVersion: v1\rkind: Pod\rmetadata:\r  name: p\rspec:\r  containers:\r  - name: c\r    image: busybox\r";
        var fix = ManifestFixer.Fix(yaml);
        Assert.Single(fix.Edits);
        Assert.DoesNotContain('\n', fix.FixedText);
        Assert.Contains("spec:\r  runtimeClassName: kata-vm-isolation\r  containers:", fix.FixedText);
        Assert.Equal("kata-vm-isolation", ((V1Pod)Assert.Single(SandboxManifest.Read(fix.FixedText))).Spec.RuntimeClassName);
    }

    [Fact]
    public void A_100000_deep_nested_collection_is_visited_without_overflowing_the_stack()
    {
        object nested = new V1Pod { Metadata = new V1ObjectMeta { Name = "deep" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] } };
        for (int i = 0; i < 100_000; i++)
        {
            nested = new List<object> { nested };
        }

        Assert.Equal("deep", Assert.Single(PodTemplates.FindAll(nested)).Name);
        Assert.Contains("name: deep", SandboxManifest.ToYaml(nested));
    }

    [Fact]
    public void A_100000_deep_nested_yaml_list_is_a_clear_problem_naming_no_missing_flag()
    {
        var yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: " + new string('[', 100_000) + new string(']', 100_000) + "\n";
        var problem = Assert.Single(ManifestLinter.Lint(yaml, "deep.yaml").Problems);
        Assert.Contains("nesting deeper than 128 levels", problem.Message);
        Assert.DoesNotContain("--max-depth", problem.Message);
        var error = Assert.Throws<ManifestException>(() => SandboxManifest.Read(yaml, "deep.yaml"));
        Assert.IsAssignableFrom<SandboxException>(error);
        Assert.Equal("deep.yaml", error.Source);
        Assert.Empty(ManifestFixer.Fix(yaml, "deep.yaml").Edits);
    }

    [Fact]
    public void Read_and_lint_agree_on_an_older_api_version_of_a_pod_bearing_kind()
    {
        const string yaml = "apiVersion: apps/v1beta2\nkind: Deployment\nmetadata: {name: old}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: busybox}]\n";
        Assert.Contains(ManifestLinter.Lint(yaml).Findings, f => f.Finding.RuleId == "SBX1001");
        var read = Assert.IsType<V1Deployment>(Assert.Single(SandboxManifest.Read(yaml)));
        Assert.Equal("apps/v1beta2", read.ApiVersion);
    }

    [Fact]
    public void Every_binding_problem_of_a_file_is_carried_by_one_exception()
    {
        const string yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {hostNetwork: sometimes, containers: []}\n---\n" +
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\nspec: {replicas: many}\n";
        var error = Assert.Throws<ManifestException>(() => SandboxManifest.Read(yaml, "two.yaml"));
        Assert.Equal([1, 2], error.Problems.Select(p => p.DocumentIndex));
        Assert.Contains("'sometimes' is not a boolean", error.Problems[0].Message);
        Assert.Contains("'many' is not an integer", error.Problems[1].Message);
        Assert.Equal(2, ManifestLinter.Lint(yaml, "two.yaml").Problems.Count);
    }
}

/// <summary>Template syntax is refused only where the file really is an unrendered template.</summary>
public class TemplateDetectionTests
{
    [Theory]
    [InlineData("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: alerts}\nspec:\n  groups:\n  - name: node\n    rules:\n    - alert: Down\n      annotations:\n        summary: Instance {{ $labels.instance }} is down\n        description: \"{{ $value }} for {{ $labels.job }}\"\n")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dashboards}\ndata:\n  board.json: '{\"title\": \"{{uid}}\", \"expr\": \"rate(x{job=\\\"{{ job }}\\\"}[5m])\"}'\n")]
    [InlineData("name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n    - run: docker build -t app:${{ github.sha }} .\n")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {note: \"{{ not a template here }}\"}\nspec:\n  runtimeClassName: kata-vm-isolation\n  containers: [{name: c, image: busybox, resources: {limits: {cpu: '1', memory: 256Mi}, requests: {cpu: '1', memory: 256Mi}}}]\n")]
    public void Valid_yaml_with_template_syntax_in_values_is_linted_and_read(string yaml)
    {
        var lint = ManifestLinter.Lint(yaml, "valid.yaml");
        Assert.Empty(lint.Problems);
        Assert.Empty(lint.Findings);
        if (yaml.StartsWith("apiVersion: v1", StringComparison.Ordinal))
        {
            Assert.Single(SandboxManifest.Read(yaml));
        }
    }

    [Fact]
    public void Unrendered_values_the_rules_read_are_one_warning_each_with_the_location()
    {
        const string yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  runtimeClassName: \"{{ .Values.class }}\"\n" +
            "  containers:\n  - name: c\n    image: \"acme/app:{{ .Chart.AppVersion }}\"\n    resources:\n      limits: {cpu: '1', memory: \"{{ .Values.memory }}\"}\n      requests: {cpu: '1'}\n";
        var lint = ManifestLinter.Lint(yaml, "chart-output.yaml");
        Assert.Empty(lint.Problems);
        var templated = lint.Findings.Where(f => f.Finding.RuleId == "SBX0002").ToList();
        Assert.Equal(["spec.runtimeClassName", "spec.containers[0].image", "spec.containers[0].resources.limits.memory"], templated.Select(f => f.Finding.Path));
        Assert.Equal([(5, 21), (8, 12), (10, 34)], templated.Select(f => (f.Line, f.Column)));
        Assert.All(templated, f => Assert.Equal(SandboxSeverity.Warning, f.Finding.Severity));
        Assert.DoesNotContain(lint.Findings, f => f.Finding.RuleId is "SBX0001" or "SBX2005");
        Assert.False(ManifestFixer.Fix(yaml).Changed); // a class is written, even if not rendered: fix leaves it
        Assert.Contains("helm template", Assert.Throws<ManifestException>(() => SandboxManifest.Read(yaml)).Message);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec: {containers: [{name: c, image: i}]}\n")]
    [InlineData("{{- if .Values.enabled }}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n{{- end }}\n")]
    public void Files_that_are_templates_stay_input_problems_with_the_helm_hint(string yaml)
    {
        var problem = Assert.Single(ManifestLinter.Lint(yaml, "chart.yaml").Problems);
        Assert.Contains("helm template", problem.Message);
        Assert.Contains("helm template", Assert.Throws<ManifestException>(() => SandboxManifest.Read(yaml)).Message);
    }
}

/// <summary>One pass tells everything; fix keeps comments with their key.</summary>
public class OnePassAndCommentTests
{
    [Fact]
    public void Findings_that_appear_once_the_class_is_added_are_reported_in_the_same_run()
    {
        const string yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: busybox\n    resources: {limits: {cpu: '1', memory: 64Mi}, requests: {cpu: '1', memory: 64Mi}}\n";
        var lint = ManifestLinter.Lint(yaml);
        Assert.Equal(["SBX1001", "SBX2001", "SBX2007"], lint.Findings.Select(f => f.Finding.RuleId).Order(StringComparer.Ordinal));
        Assert.All(lint.Findings.Where(f => f.Finding.RuleId != "SBX1001"), f => Assert.StartsWith("once runtimeClassName is set to 'kata-vm-isolation': ", f.Finding.Message));

        var fixedText = ManifestFixer.Fix(yaml, options: new ManifestFixOptions { Force = true }).FixedText;
        Assert.Equal(["SBX2001", "SBX2007"], ManifestLinter.Lint(fixedText).Findings.Select(f => f.Finding.RuleId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Fix_puts_the_class_above_the_comments_that_describe_the_first_key()
    {
        const string yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: # the pod spec\n  # the containers that run the job\n    # (an odd indent)\n  containers:\n  - name: c\n    image: busybox\n";
        var fix = ManifestFixer.Fix(yaml);
        Assert.Equal("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: # the pod spec\n  runtimeClassName: kata-vm-isolation\n  # the containers that run the job\n    # (an odd indent)\n  containers:\n  - name: c\n    image: busybox\n", fix.FixedText);

        var crlf = ManifestFixer.Fix(yaml.Replace("\n", "\r\n", StringComparison.Ordinal)).FixedText;
        Assert.Equal(fix.FixedText.Replace("\n", "\r\n", StringComparison.Ordinal), crlf);
    }
}

/// <summary>Read: kinds without a model become generic objects that round-trip.</summary>
public class GenericObjectTests
{
    private const string Rendering = """
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata:
          name: web
          namespace: shop
          labels: {release: prom}
        spec:
          endpoints:
          - port: http
            interval: 30s
            honorLabels: true
            scrapeTimeout: "10"
          selector:
            matchLabels: {app: web}
          empty: null
          ratio: 0.5
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              containers: [{name: web, image: nginx}]
        """;

    [Fact]
    public void A_rendering_with_custom_resources_is_read_hardened_and_written_whole()
    {
        var objects = SandboxManifest.Read(Rendering, "chart.yaml");
        var monitor = Assert.IsType<UnstructuredObject>(objects[0]);
        Assert.Equal(("monitoring.coreos.com/v1", "ServiceMonitor", "web", "shop"), (monitor.ApiVersion, monitor.Kind, monitor.Metadata.Name, monitor.Metadata.NamespaceProperty));
        var endpoint = (IDictionary<string, object?>)((IList<object?>)((IDictionary<string, object?>)monitor.Fields["spec"]!)["endpoints"]!)[0]!;
        Assert.Equal(("30s", true, "10"), (endpoint["interval"], endpoint["honorLabels"], endpoint["scrapeTimeout"]));

        objects.Sandbox();
        Assert.Equal("kata-vm-isolation", ((V1Deployment)objects[1]).Spec.Template.Spec.RuntimeClassName);
        var yaml = SandboxManifest.ToYaml(objects);
        var again = SandboxManifest.Read(yaml, "out.yaml");
        Assert.Equal(yaml, SandboxManifest.ToYaml(again));
        var back = Assert.IsType<UnstructuredObject>(again[0]);
        Assert.Equal("prom", back.Metadata.Labels["release"]);
        Assert.Equal(0.5, ((IDictionary<string, object?>)back.Fields["spec"]!)["ratio"]);
        Assert.Null(((IDictionary<string, object?>)back.Fields["spec"]!)["empty"]);
        Assert.Equal(1, ManifestLinter.Lint(Rendering).PodObjects);
    }
}
