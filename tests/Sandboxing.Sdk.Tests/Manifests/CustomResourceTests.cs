using System.Runtime.CompilerServices;
using k8s.Models;
using Xunit;

namespace Sandboxing.Sdk.Tests.Manifests;

/// <summary>
/// Custom resources that run pods, end to end: every kind of <see cref="PodTemplateRegistry.Default"/> in a fixture shaped as
/// its project documents it, through the linter, the fixer, Read, Sandbox() and ToYaml.
/// </summary>
public class CustomResourceTests
{
    /// <summary>The pod specs in Fixtures/custom-resources.yaml: one per object, two for driver/executor, replica types and groups.</summary>
    private const int FixturePodSpecs = 39;

    private static string Fixture([CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "Fixtures", "custom-resources.yaml"));

    [Fact]
    public void Every_custom_resource_of_the_registry_has_an_example_in_the_fixture()
    {
        var objects = SandboxManifest.Read(Fixture(), "custom-resources.yaml");
        var present = objects.Select(o => (PodTemplateRegistry.GroupOf(o.ApiVersion), o.Kind)).ToHashSet();
        var missing = PodTemplateRegistry.Default.CustomResources.Where(k => !present.Contains((k.Group, k.Kind))).ToList();
        Assert.True(missing.Count == 0, "no example for: " + string.Join(", ", missing));
        Assert.All(objects, o => Assert.IsType<UnstructuredObject>(o));
    }

    [Fact]
    public void The_linter_reports_every_pod_spec_of_every_custom_resource_at_its_line()
    {
        var result = ManifestLinter.Lint(Fixture(), "custom-resources.yaml");
        Assert.Empty(result.Problems);
        Assert.Equal(30, result.PodObjects);
        var missing = result.Findings.Where(f => f.Finding.Rule == SandboxRules.MissingRuntimeClass).ToList();
        Assert.Equal(FixturePodSpecs, missing.Count);
        Assert.Contains(missing, f => f.Finding.Path == "spec.pytorchReplicaSpecs.Worker.template.spec.runtimeClassName" && f.Finding.Kind == "PyTorchJob");
        Assert.Contains(missing, f => f.Finding.Path == "spec.replicatedJobs[1].template.spec.template.spec.runtimeClassName");
        Assert.Contains(missing, f => f.Finding.Path == "spec.workerGroupSpecs[0].template.spec.runtimeClassName" && f.Finding.Kind == "RayCluster");
        Assert.Contains(missing, f => f.Finding.Path == "spec.executor.runtimeClassName" && f.Finding.Kind == "SparkApplication");

        // Each finding points at its own pod spec: the Rollout's is the 'spec:' under 'template:' (line 40 of the fixture).
        var lines = Fixture().Split('\n');
        var rollout = missing.Single(f => f.Finding.Kind == "Rollout");
        Assert.Equal("    spec:", lines[rollout.Line - 1].TrimEnd('\r'));
        Assert.Equal(missing.Count, missing.Select(f => (f.Line, f.Column)).Distinct().Count());
    }

    [Fact]
    public void Fix_sandboxes_every_pod_spec_and_the_fixed_file_lints_clean()
    {
        var fixedResult = ManifestFixer.Fix(Fixture(), "custom-resources.yaml");
        Assert.Empty(fixedResult.Problems);
        Assert.Empty(fixedResult.Skipped);
        Assert.Equal(FixturePodSpecs, fixedResult.Edits.Count);
        Assert.Contains(fixedResult.Edits, e => e.Description == "added runtimeClassName: kata-vm-isolation at spec.template.executor" && e.Object == "ScheduledSparkApplication spark/spark-pi-nightly");

        var relinted = ManifestLinter.Lint(fixedResult.FixedText, "fixed.yaml");
        Assert.Empty(relinted.Problems);
        Assert.Empty(relinted.Findings.Where(f => f.Finding.Severity == SandboxSeverity.Error).Select(f => f.ToString()));
        Assert.Equal(fixedResult.FixedText, ManifestFixer.Fix(fixedResult.FixedText, "fixed.yaml").FixedText); // a second fix changes nothing

        // Everything else keeps its bytes: without the inserted keys the text is the original (two flow-style specs got it inline).
        var inserted = fixedResult.FixedText.Split('\n').Where(l => l.Trim() != "runtimeClassName: kata-vm-isolation").ToList();
        Assert.Equal(2, inserted.Count(l => l.Contains("{runtimeClassName: kata-vm-isolation, ", StringComparison.Ordinal)));
        Assert.Equal(Fixture(), string.Join('\n', inserted).Replace("runtimeClassName: kata-vm-isolation, ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Sandbox_and_ToYaml_keep_every_field_and_sandbox_every_pod_spec()
    {
        var objects = SandboxManifest.Read(Fixture(), "custom-resources.yaml").ToList();
        Assert.Equal(FixturePodSpecs, SandboxValidator.Validate(objects).Count(f => f.Rule == SandboxRules.MissingRuntimeClass));

        objects.Sandbox();
        Assert.Empty(SandboxValidator.Validate(objects).Where(f => f.Severity == SandboxSeverity.Error).Select(f => f.ToString()));
        Assert.All(objects, o => Assert.True(o.IsSandboxed(), o.ToString()));

        var knative = (UnstructuredObject)objects.Single(o => o.Kind == "Service");
        Assert.Equal(10L, knative.Get("spec.template.spec.containerConcurrency")); // a field V1PodSpec does not have, kept as it was
        Assert.Equal("kata-vm-isolation", knative.Get("spec.template.spec.runtimeClassName"));
        var spark = (UnstructuredObject)objects.Single(o => o.Kind == "SparkApplication");
        Assert.Equal("kata-vm-isolation", spark.Get("spec.driver.runtimeClassName"));
        Assert.Equal(2L, spark.Get("spec.executor.instances"));
        Assert.Equal("512m", spark.Get("spec.executor.memory"));

        var yaml = SandboxManifest.ToYaml(objects);
        var again = ManifestLinter.Lint(yaml, "out.yaml");
        Assert.Empty(again.Problems);
        Assert.DoesNotContain(again.Findings, f => f.Finding.Severity == SandboxSeverity.Error);
        Assert.Equal(yaml, SandboxManifest.ToYaml(SandboxManifest.Read(yaml, "out.yaml")));
        Assert.Contains("containerConcurrency: 10\n", yaml, StringComparison.Ordinal);
        var ray = (UnstructuredObject)SandboxManifest.Read(yaml, "out.yaml").Single(o => o.Kind == "RayService");
        Assert.Equal("applications:\n  - name: app\n    import_path: app:deployment\n", ray.Get("spec.serveConfigV2"));
    }

    [Fact]
    public void A_second_Sandbox_changes_nothing_and_an_unchanged_object_keeps_its_values_exactly()
    {
        var objects = SandboxManifest.Read(Fixture(), "custom-resources.yaml").ToList();
        var untouched = SandboxManifest.ToYaml(objects);
        SandboxValidator.Validate(objects); // reading the pod specs changes nothing
        Assert.Equal(untouched, SandboxManifest.ToYaml(objects));

        objects.Sandbox();
        var once = SandboxManifest.ToYaml(objects);
        objects.Sandbox();
        Assert.Equal(once, SandboxManifest.ToYaml(objects));
    }

    [Fact]
    public void A_Helm_rendering_with_CRDs_and_custom_resources_reads_sandboxes_and_writes_whole()
    {
        const string rendering = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: sandboxes.agents.x-k8s.io}
            spec:
              group: agents.x-k8s.io
              names: {kind: Sandbox, plural: sandboxes}
              scope: Namespaced
              versions:
                - name: v1alpha1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            ---
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: agents, namespace: agents}
            spec:
              endpoints: [{port: metrics, interval: 30s}]
            ---
            apiVersion: agents.x-k8s.io/v1alpha1
            kind: Sandbox
            metadata: {name: coder, namespace: agents}
            spec:
              podTemplate:
                spec:
                  containers:
                    - name: coder
                      image: python:3.12-slim
                      resources: {limits: {memory: 1Gi, cpu: "1"}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: coder, namespace: agents}
            spec:
              ports: [{port: 80}]
            """;
        var objects = SandboxManifest.Read(rendering, "chart.yaml").ToList();
        Assert.IsType<V1CustomResourceDefinition>(objects[0]);
        Assert.IsType<UnstructuredObject>(objects[1]);
        Assert.IsType<V1Service>(objects[3]);

        objects.Sandbox(new SandboxOptions { RunAsNonRootUser = true });
        var sandbox = (UnstructuredObject)objects[2];
        Assert.Equal("kata-vm-isolation", sandbox.Get("spec.podTemplate.spec.runtimeClassName"));
        Assert.Equal(25000L, sandbox.Get("spec.podTemplate.spec.securityContext.runAsUser"));
        Assert.Equal("1", sandbox.Get("spec.podTemplate.spec.containers") is IList<object?> c
            ? ((IDictionary<string, object?>)((IDictionary<string, object?>)((IDictionary<string, object?>)c[0]!)["resources"]!)["limits"]!)["cpu"] : null);

        var yaml = SandboxManifest.ToYaml(objects);
        var lint = ManifestLinter.Lint(yaml, "out.yaml");
        Assert.Empty(lint.Problems);
        Assert.Equal(1, lint.PodObjects);
        Assert.DoesNotContain(lint.Findings, f => f.Finding.Severity == SandboxSeverity.Error);
    }

    [Fact]
    public void A_kind_added_by_the_user_is_linted_fixed_and_sandboxed_and_unknown_kinds_are_not()
    {
        const string notebook = """
            apiVersion: kubeflow.org/v1
            kind: Notebook
            metadata: {name: lab, namespace: ds}
            spec:
              template:
                spec:
                  containers: [{name: lab, image: jupyter/base-notebook, resources: {limits: {memory: 1Gi}}}]
            """;
        Assert.Equal(0, ManifestLinter.Lint(notebook).PodObjects);

        var registry = PodTemplateRegistry.Default.With(new PodTemplateKind("kubeflow.org", "Notebook", "notebooks", "spec.template.spec"));
        var lint = ManifestLinter.Lint(notebook, "nb.yaml", new ManifestLintOptions { Validation = new SandboxValidationOptions { PodTemplates = registry } });
        Assert.Equal(1, lint.PodObjects);
        Assert.Equal("spec.template.spec.runtimeClassName", Assert.Single(lint.Findings, f => f.Finding.Rule == SandboxRules.MissingRuntimeClass).Finding.Path);

        var fixedText = ManifestFixer.Fix(notebook, "nb.yaml", new ManifestFixOptions { PodTemplates = registry }).FixedText;
        Assert.Contains("runtimeClassName: kata-vm-isolation", fixedText, StringComparison.Ordinal);

        var obj = (UnstructuredObject)SandboxManifest.Read(notebook)[0];
        obj.Sandbox(new SandboxOptions { PodTemplates = registry });
        Assert.Equal("kata-vm-isolation", obj.Get("spec.template.spec.runtimeClassName"));
    }

    [Fact]
    public void A_kind_added_with_a_replicas_path_reads_its_pod_count_there()
    {
        const string notebook = """
            apiVersion: kubeflow.org/v1
            kind: Notebook
            metadata: {name: lab, namespace: ml}
            spec:
              replicas: 4
              template:
                spec:
                  containers: [{name: lab, image: jupyter/base-notebook}]
            """;
        var kind = new PodTemplateKind("kubeflow.org", "Notebook", "notebooks", "spec.template.spec") { Replicas = "spec.replicas" };
        Assert.Equal(["spec.template.spec"], kind.SpecPaths);
        Assert.Equal("spec.replicas", kind.Replicas);
        var registry = PodTemplateRegistry.Default.With(kind);
        var obj = SandboxManifest.Read(notebook, "nb.yaml")[0];
        Assert.Equal(4, Assert.Single(PodTemplates.FindAll(obj, registry)).PodsAtOnce);

        var withoutReplicas = PodTemplateRegistry.Default.With(new PodTemplateKind("kubeflow.org", "Notebook", "notebooks", "spec.template.spec"));
        Assert.Equal(1, Assert.Single(PodTemplates.FindAll(obj, withoutReplicas)).PodsAtOnce);
        Assert.Contains("is not a key", Assert.ThrowsAny<ArgumentException>(() => new PodTemplateKind("kubeflow.org", "Notebook", "notebooks", "spec.template.spec") { Replicas = "spec.replicas[0]" }).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pods_at_once_come_from_each_kinds_replicas_field()
    {
        var objects = SandboxManifest.Read(Fixture(), "custom-resources.yaml");
        int Pods(string kind, string path) => PodTemplates.FindAll(objects.Single(o => o.Kind == kind)).Single(s => s.SpecPath == path).PodsAtOnce;
        Assert.Equal(3, Pods("Rollout", "spec.template.spec"));
        Assert.Equal(20, Pods("ScaledJob", "spec.jobTargetRef.template.spec"));
        Assert.Equal(0, Pods("SandboxTemplate", "spec.podTemplate.spec"));
        Assert.Equal(1, Pods("Sandbox", "spec.podTemplate.spec"));
        Assert.Equal(2, Pods("PyTorchJob", "spec.pytorchReplicaSpecs.Worker.template.spec"));
        Assert.Equal(4, Pods("JobSet", "spec.replicatedJobs[1].template.spec.template.spec"));
        Assert.Equal(2, Pods("SparkApplication", "spec.executor"));
        Assert.Equal(1, Pods("SparkApplication", "spec.driver"));
    }

    [Fact]
    public void A_custom_resources_pod_spec_that_does_not_fit_is_a_problem_with_its_line_not_a_crash()
    {
        const string bad = """
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata: {name: web}
            spec:
              template:
                spec:
                  containers: not-a-list
            """;
        var lint = ManifestLinter.Lint(bad, "bad.yaml");
        var problem = Assert.Single(lint.Problems);
        Assert.Equal((7, 19), (problem.Line, problem.Column));
        Assert.Contains("Rollout web: spec.template.spec does not match the Kubernetes PodSpec schema", problem.Message, StringComparison.Ordinal);
        Assert.False(ManifestFixer.Fix(bad, "bad.yaml").Changed);

        var obj = (UnstructuredObject)SandboxManifest.Read(bad)[0];
        var e = Assert.Throws<SandboxException>(() => obj.Sandbox());
        Assert.Contains("Rollout web: spec.template.spec is not a valid PodSpec", e.Message, StringComparison.Ordinal);
    }
}
