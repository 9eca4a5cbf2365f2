using Sandboxing.Sdk;

namespace Sandboxing.Cli.Tests;

/// <summary><c>fix --node-pool-taint</c>: pods that get the class also get the toleration of the tainted sandbox pool.</summary>
public class FixTolerationTests
{
    private const string Taint = "sandboxing.sdk/runtime=kata:NoSchedule";
    private const string Toleration = "{key: \"sandboxing.sdk/runtime\", operator: Equal, value: \"kata\", effect: NoSchedule}";

    private static (CliRun Run, string Text) Fix(string yaml, params string[] args)
    {
        var dir = Directory.CreateTempSubdirectory("sandboxing-taint-").FullName;
        File.WriteAllText(Path.Combine(dir, "app.yaml"), yaml);
        var run = CliRunner.Run(dir, ["fix", .. args, "app.yaml"]);
        return (run, File.ReadAllText(Path.Combine(dir, "app.yaml")));
    }

    [Fact]
    public void A_block_pod_spec_gets_the_class_and_a_tolerations_list()
    {
        var (run, text) = Fix("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: nginx}\n", "--node-pool-taint", Taint);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  runtimeClassName: kata-vm-isolation\n  tolerations:\n  - " + Toleration + "\n  containers:\n  - {name: c, image: nginx}\n",
            text);
        var pod = (k8s.Models.V1Pod)SandboxManifest.Read(text).Single();
        Assert.Equal("Equal", Assert.Single(pod.Spec.Tolerations).OperatorProperty);
    }

    [Fact]
    public void A_flow_pod_spec_gets_a_flow_tolerations_list()
    {
        var (_, text) = Fix("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n", "--node-pool-taint", Taint);
        Assert.Contains("spec: {runtimeClassName: kata-vm-isolation, tolerations: [" + Toleration + "], containers: [{name: c, image: nginx}]}", text);
    }

    [Fact]
    public void An_existing_tolerations_list_gets_the_toleration_first()
    {
        var (_, text) = Fix("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  tolerations:\n  - {key: other, operator: Exists}\n  containers: [{name: c, image: nginx}]\n",
            "--node-pool-taint", Taint);
        Assert.Contains("  tolerations:\n  - " + Toleration + "\n  - {key: other, operator: Exists}\n", text);
        Assert.Equal(2, ((k8s.Models.V1Pod)SandboxManifest.Read(text).Single()).Spec.Tolerations.Count);
    }

    [Fact]
    public void A_pod_that_already_tolerates_the_taint_gets_only_the_class()
    {
        var yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  tolerations: [{key: sandboxing.sdk/runtime, operator: Exists}]\n  containers: [{name: c, image: nginx}]\n";
        var (_, text) = Fix(yaml, "--node-pool-taint", Taint);
        Assert.Equal(yaml.Replace("spec:\n", "spec:\n  runtimeClassName: kata-vm-isolation\n", StringComparison.Ordinal), text);
    }

    [Fact]
    public void Fixing_twice_changes_nothing_the_second_time()
    {
        var dir = Directory.CreateTempSubdirectory("sandboxing-taint-").FullName;
        File.WriteAllText(Path.Combine(dir, "app.yaml"), "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: busybox}]\n      restartPolicy: Never\n");
        Assert.Equal(0, CliRunner.Run(dir, "fix", "--node-pool-taint", Taint, "app.yaml").ExitCode);
        var once = File.ReadAllText(Path.Combine(dir, "app.yaml"));
        CliRunner.Run(dir, "fix", "--node-pool-taint", Taint, "app.yaml");
        Assert.Equal(once, File.ReadAllText(Path.Combine(dir, "app.yaml")));
        Assert.Contains("      tolerations:\n      - " + Toleration + "\n", once);
    }

    [Fact]
    public void A_taint_that_is_not_one_is_a_usage_error_and_nothing_is_written()
    {
        var (run, text) = Fix("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n", "--node-pool-taint", "nocolon");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("--node-pool-taint 'nocolon' is not a taint; write key=value:Effect", run.Error);
        Assert.DoesNotContain("runtimeClassName", text);
    }

    [Fact]
    public void Nodepool_with_a_sandbox_taint_names_the_fix_flag()
    {
        var run = CliRunner.Run(CliRunner.FixturesDirectory(), "nodepool", "-c", "aks", "-g", "rg", "--sandbox-taint");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("sandboxing fix --node-pool-taint sandboxing.sdk/runtime=kata:NoSchedule <manifests>", run.Error);
        Assert.DoesNotContain("--node-pool-taint", run.Output);
    }
}
