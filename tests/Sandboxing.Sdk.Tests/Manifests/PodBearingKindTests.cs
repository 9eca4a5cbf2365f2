using Xunit;

namespace Sandboxing.Sdk.Tests.Manifests;

/// <summary>
/// Pod-bearing kinds that used to pass unseen: a pod spec under an undeclared kind is reported (SBX0003), an AppWrapper's
/// embedded objects are checked as what they are, and Tekton's partial pod templates get no container findings.
/// </summary>
public class PodBearingKindTests
{
    private const string Mystery = """
        apiVersion: example.com/v1
        kind: Runner
        metadata: {name: mystery, namespace: ci}
        spec:
          pool:
            template:
              spec:
                containers:
                - {name: x, image: evil}
          workers:
          - spec: {containers: [{name: y, image: z}]}
          - spec: {containers: [{name: y, image: z}]}
          notes: {containers: [not, containers]}
        """;

    [Fact]
    public void A_pod_spec_under_an_undeclared_kind_is_reported_at_its_path_and_line()
    {
        var findings = ManifestLinter.Lint(Mystery, "m.yaml").Findings.Where(f => f.Finding.RuleId == "SBX0003").ToList();
        Assert.Equal(["spec.pool.template.spec", "spec.workers[*].spec"], findings.Select(f => f.Finding.Path));
        Assert.Equal((8, 9), (findings[0].Line, findings[0].Column)); // the pod spec mapping starts at its first key
        Assert.Equal(SandboxSeverity.Warning, findings[0].Finding.Severity);
        Assert.Contains("declare kind Runner of group 'example.com' with the path spec.pool.template.spec (PodTemplateRegistry.With)", findings[0].Finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declared_kind_is_checked_instead_of_reported()
    {
        var registry = PodTemplateRegistry.Default.With(new PodTemplateKind("example.com", "Runner", "runners", "spec.pool.template.spec", "spec.workers[*].spec"));
        var result = ManifestLinter.Lint(Mystery, "m.yaml", new ManifestLintOptions { Validation = new SandboxValidationOptions { PodTemplates = registry } });
        Assert.DoesNotContain(result.Findings, f => f.Finding.RuleId == "SBX0003");
        Assert.Equal(3, result.Findings.Count(f => f.Finding.RuleId == "SBX1001"));
    }

    [Fact]
    public void A_declared_kind_whose_paths_match_nothing_in_an_object_is_reported_with_where_its_pod_spec_is()
    {
        var registry = PodTemplateRegistry.Default.With(new PodTemplateKind("example.com", "Runner", "runners", "spec.podTemplate.spec"));
        var result = ManifestLinter.Lint(Mystery, "m.yaml", new ManifestLintOptions { Validation = new SandboxValidationOptions { PodTemplates = registry } });
        var finding = Assert.Single(result.Findings);
        Assert.Equal(("SBX0003", 1, 1), (finding.Finding.RuleId, finding.Line, finding.Column));
        Assert.Equal("Runner ci/mystery has none of the pod spec paths declared for Runner (spec.podTemplate.spec), so none of its pods are checked " +
            "(a pod spec is at spec.pool.template.spec, spec.workers[*].spec); correct the paths declared for Runner (PodTemplateRegistry.With)", finding.Finding.Message);

        // A built-in kind, or one the SDK knows, may lack a path (a Tekton run without podTemplate): no such finding.
        Assert.Empty(ManifestLinter.Lint("apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: t}\nspec: {taskRef: {name: b}}\n", "t.yaml").Findings);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {x: y}\n")]
    [InlineData("apiVersion: apps/v1\nkind: ControllerRevision\nmetadata: {name: r}\ndata: {spec: {template: {spec: {containers: [{name: a, image: b}]}}}}\n")]
    [InlineData("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {containers: 3, template: {containers: [{name: no-image}]}}\n")]
    public void Objects_without_a_pod_spec_or_in_kubernetes_own_groups_are_not_reported(string yaml) =>
        Assert.DoesNotContain(ManifestLinter.Lint(yaml, "x.yaml").Findings, f => f.Finding.RuleId == "SBX0003");

    [Fact]
    public void An_AppWrapper_s_components_are_linted_and_fixed_as_the_objects_they_are()
    {
        const string yaml = """
            apiVersion: workload.codeflare.dev/v1beta2
            kind: AppWrapper
            metadata: {name: aw, namespace: ml}
            spec:
              components:
              - podSets: [{replicas: 1, path: template.spec.template}]
                template:
                  apiVersion: batch/v1
                  kind: Job
                  metadata: {name: wrapped}
                  spec:
                    template:
                      spec:
                        restartPolicy: Never
                        containers: [{name: a, image: b, resources: {limits: {memory: 1Gi}}}]
            """;
        var lint = ManifestLinter.Lint(yaml, "aw.yaml");
        var missing = Assert.Single(lint.Findings, f => f.Finding.RuleId == "SBX1001");
        Assert.Equal(("Job", "wrapped", 13), (missing.Finding.Kind, missing.Finding.Name, missing.Line));
        Assert.DoesNotContain(lint.Findings, f => f.Finding.RuleId == "SBX0003");

        var fix = ManifestFixer.Fix(yaml, "aw.yaml");
        Assert.Single(fix.Edits);
        Assert.DoesNotContain(ManifestLinter.Lint(fix.FixedText, "aw.yaml").Findings, f => f.Finding.RuleId == "SBX1001");
    }

    [Fact]
    public void A_tekton_pod_template_without_containers_gets_the_class_and_no_container_findings()
    {
        const string yaml = """
            apiVersion: tekton.dev/v1
            kind: PipelineRun
            metadata: {name: release-1, namespace: ci}
            spec:
              pipelineRef: {name: release}
              taskRunTemplate:
                podTemplate:
                  securityContext: {runAsNonRoot: true, runAsUser: 1001}
              taskRunSpecs:
              - pipelineTaskName: test
                podTemplate:
                  runtimeClassName: kata-vm-isolation
            """;
        var lint = ManifestLinter.Lint(yaml, "pr.yaml");
        Assert.Empty(lint.Problems);
        var finding = Assert.Single(lint.Findings);
        Assert.Equal(("SBX1001", "spec.taskRunTemplate.podTemplate.runtimeClassName"), (finding.Finding.RuleId, finding.Finding.Path));

        var fix = ManifestFixer.Fix(yaml, "pr.yaml");
        Assert.Empty(ManifestLinter.Lint(fix.FixedText, "pr.yaml").Findings);

        var objects = SandboxManifest.Read(yaml, "pr.yaml").ToList();
        objects.Sandbox();
        Assert.Empty(SandboxValidator.Validate(objects));
    }

    [Theory]
    [InlineData("apps.openshift.io/v1", "DeploymentConfig", "spec.template.spec")]
    [InlineData("actions.github.com/v1alpha1", "AutoscalingRunnerSet", "spec.template.spec")]
    [InlineData("actions.github.com/v1alpha1", "EphemeralRunnerSet", "spec.ephemeralRunnerSpec.spec")]
    [InlineData("actions.github.com/v1alpha1", "EphemeralRunner", "spec.spec")]
    [InlineData("actions.summerwind.dev/v1alpha1", "RunnerDeployment", "spec.template.spec")]
    [InlineData("actions.summerwind.dev/v1alpha1", "RunnerReplicaSet", "spec.template.spec")]
    [InlineData("actions.summerwind.dev/v1alpha1", "RunnerSet", "spec.template.spec")]
    [InlineData("actions.summerwind.dev/v1alpha1", "Runner", "spec")]
    [InlineData("tekton.dev/v1beta1", "TaskRun", "spec.podTemplate")]
    [InlineData("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", "spec.leaderWorkerTemplate.workerTemplate.spec")]
    public void The_registry_knows_the_kinds_ci_runners_and_ai_serving_use(string apiVersion, string kind, string path)
    {
        var found = PodTemplateRegistry.Default.Find(apiVersion, kind);
        Assert.NotNull(found);
        Assert.Contains(path, found.SpecPaths);
        Assert.NotNull(found.Source);
    }
}
