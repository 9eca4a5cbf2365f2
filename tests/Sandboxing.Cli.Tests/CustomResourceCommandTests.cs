using System.Runtime.CompilerServices;
using Sandboxing.Cli;
using Xunit;

namespace Sandboxing.Cli.Tests;

/// <summary>The CLI on custom resources that run pods (the SDK's fixture of every registry kind), end to end.</summary>
public class CustomResourceCommandTests
{
    private static string Fixture([CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "..", "Sandboxing.Sdk.Tests", "Manifests", "Fixtures", "custom-resources.yaml");

    private static string Copy()
    {
        var directory = CliRunner.TempCopy();
        File.Copy(Fixture(), Path.Combine(directory, "crs.yaml"));
        return directory;
    }

    [Fact]
    public void Lint_reports_each_pod_spec_fix_sandboxes_them_and_lint_then_passes()
    {
        var directory = Copy();
        var lint = CliRunner.Run(directory, "lint", "crs.yaml");
        Assert.Equal(ExitCodes.Findings, lint.ExitCode);
        Assert.Contains("SBX1001", lint.Output, StringComparison.Ordinal);
        Assert.Contains("PyTorchJob ml/mnist", lint.Output, StringComparison.Ordinal);
        Assert.Contains("spec.pytorchReplicaSpecs.Worker.template.spec", lint.Output, StringComparison.Ordinal);

        var fix = CliRunner.Run(directory, "fix", "crs.yaml");
        Assert.Equal(ExitCodes.Success, fix.ExitCode);
        var relint = CliRunner.Run(directory, "lint", "crs.yaml");
        Assert.DoesNotContain("SBX1001", relint.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(": error ", relint.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_counts_the_pods_of_custom_resources_and_names_the_ones_it_cannot_size()
    {
        var directory = Copy();
        Assert.Equal(ExitCodes.Success, CliRunner.Run(directory, "fix", "crs.yaml").ExitCode);
        var plan = CliRunner.Run(directory, "plan", "--min", "1", "--max", "50", "crs.yaml");
        Assert.Contains("Rollout shop/web", plan.Output, StringComparison.Ordinal);
        Assert.Contains("JobSet ml/training", plan.Output, StringComparison.Ordinal);
        Assert.Contains("SparkApplication spark/spark-pi declares no containers in its pod specs", plan.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lint")]
    [InlineData("fix")]
    public void A_host_kernel_runtime_is_refused_as_the_runtime_to_suggest_or_add(string command)
    {
        var directory = Copy();
        var before = File.ReadAllText(Path.Combine(directory, "crs.yaml"));
        var run = CliRunner.Run(directory, command, "--runtime", "runc", "crs.yaml");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("--runtime 'runc' runs pods on the node's shared kernel", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(directory, "crs.yaml")));
    }

    [Fact]
    public void Policy_covers_the_custom_resources_named_and_refuses_unknown_ones()
    {
        var run = CliRunner.Run(CliRunner.TempCopy(), "policy", "--custom-resources", "Rollout,agents.x-k8s.io/Sandbox");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("argoproj.io", run.Output, StringComparison.Ordinal);
        Assert.Contains("- sandboxes", run.Output, StringComparison.Ordinal);
        Assert.Contains("object.spec.podTemplate.spec", run.Output, StringComparison.Ordinal);

        var kyverno = CliRunner.Run(CliRunner.TempCopy(), "policy", "--engine", "kyverno", "--custom-resources", "all");
        Assert.Equal(ExitCodes.Success, kyverno.ExitCode);
        Assert.Contains("ray.io/*/RayCluster", kyverno.Output, StringComparison.Ordinal);

        var unknown = CliRunner.Run(CliRunner.TempCopy(), "policy", "--custom-resources", "Notebook");
        Assert.Equal(ExitCodes.BadInput, unknown.ExitCode);
        Assert.Contains("--custom-resources 'Notebook' is not a custom resource the SDK knows", unknown.Error, StringComparison.Ordinal);
        Assert.Equal("", unknown.Output);
    }

    [Fact]
    public void A_config_kind_with_a_list_of_pod_specs_is_linted_at_each_item()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, ".sandboxing.yaml"),
            "podTemplates:\n  - group: dev.example.com\n    kind: Fleet\n    resource: fleets\n    paths:\n      - spec.workers[*].template.spec\n    replicas: spec.workers[*].count\n");
        File.WriteAllText(Path.Combine(directory, "fleet.yaml"),
            "apiVersion: dev.example.com/v1\nkind: Fleet\nmetadata: {name: f, namespace: ns}\nspec:\n  workers:\n" +
            "    - {count: 2, template: {spec: {containers: [{name: a, image: busybox, resources: {limits: {memory: 256Mi}}}]}}}\n" +
            "    - {count: 1, template: {spec: {runtimeClassName: kata-vm-isolation, containers: [{name: b, image: busybox, resources: {limits: {memory: 256Mi}}}]}}}\n");
        var lint = CliRunner.Run(directory, "lint", "fleet.yaml");
        Assert.Equal(ExitCodes.Findings, lint.ExitCode);
        Assert.Contains("[spec.workers[0].template.spec.runtimeClassName]", lint.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("spec.workers[1].template.spec.runtimeClassName", lint.Output, StringComparison.Ordinal);
    }
}
