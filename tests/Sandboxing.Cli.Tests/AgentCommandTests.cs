using Sandboxing.Sdk;

namespace Sandboxing.Cli.Tests;

/// <summary><c>agent template</c>: the SDK's SandboxTemplate and warm pool for the same choices, in the CLI's words on errors.</summary>
public class AgentCommandTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    [Fact]
    public void Agent_template_prints_what_the_sdk_builds_for_the_same_choices()
    {
        var run = CliRunner.Run(Fixtures, "agent", "template", "coder", "--image", "python:3.12-slim", "--warm", "0", "--tenant", "agents",
            "--egress", "internet", "--cluster-networks", "10.244.0.0/16", "--memory", "2Gi");
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        var expected = AgentSandboxes.Template("coder").InNamespace("agents")
            .WithContainer("sandbox", "python:3.12-slim", c => c.WithResources("1", "2Gi"))
            .WithInternetEgress("10.244.0.0/16").WithWarmPool(0).Build();
        Assert.Equal(SandboxManifest.ToYaml([.. expected]), run.Output);
        Assert.Contains("apiVersion: extensions.agents.x-k8s.io/v1beta1", run.Output, StringComparison.Ordinal);
        Assert.Contains("replicas: 0", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void V1alpha1_is_written_on_request_with_the_CRDs_deprecation_warning_on_stderr()
    {
        var run = CliRunner.Run(Fixtures, "agent", "template", "coder", "--image", "python:3.12-slim", "--api-version", "v1alpha1");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("apiVersion: extensions.agents.x-k8s.io/v1alpha1", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("SandboxWarmPool", run.Output, StringComparison.Ordinal);
        Assert.Contains("warning: extensions.agents.x-k8s.io/v1alpha1 SandboxTemplate is deprecated; use extensions.agents.x-k8s.io/v1beta1 SandboxTemplate instead",
            run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Agent_template_help_has_examples_and_a_missing_subcommand_is_a_usage_error()
    {
        var help = CliRunner.Run(Fixtures, "agent", "template", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("sandboxing agent template python-runtime", help.Output, StringComparison.Ordinal);
        var bare = CliRunner.Run(Fixtures, "agent");
        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("Usage: sandboxing agent", bare.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("coder --image python:3 --api-version v1beta2", "Argument 'v1beta2' not recognized. Must be one of:\n\t'v1beta1'")]
    [InlineData("coder --image python:3 --egres internet", "did you mean '--egress'?")]
    [InlineData("coder", "--image")]
    [InlineData("coder --image python:3 --warm -1", "--warm -1 is negative")]
    [InlineData("coder --image python:3 --cluster-networks 10.244.0.0/16", "add --egress internet or leave --cluster-networks out")]
    [InlineData("coder --image python:3 --tenant kube-system", "--tenant 'kube-system' is a system namespace")]
    [InlineData("coder --image python:3 --egress internet --cluster-networks 10.0.0.0/33", "--cluster-networks '10.0.0.0/33': ")]
    [InlineData("Bad_Name --image python:3", "the template name 'Bad_Name' is not valid")]
    [InlineData("coder --image python:3 --memory 10Mi", "SBX2007: ")]
    public void Agent_template_errors_name_the_flag(string arguments, string message)
    {
        var run = CliRunner.Run(Fixtures, ["agent", "template", .. arguments.Split(' ')]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public void Plan_counts_the_warm_pods_agent_template_prints_and_names_a_pool_without_its_template()
    {
        var directory = CliRunner.TempCopy();
        var file = Path.Combine(directory, "agent.yaml");
        Assert.Equal(0, CliRunner.Run(directory, "agent", "template", "py", "--image", "python:3.12-slim", "--warm", "3", "--memory", "2Gi", "-o", file).ExitCode);

        var plan = CliRunner.Run(directory, "plan", "-s", "Standard_D4s_v5", "--count", "1", "--max-pods", "30", "--no-config", file);
        Assert.Equal(0, plan.ExitCode);
        var row = Assert.Single(plan.Output.Split('\n'), l => l.StartsWith("SandboxWarmPool py (warm pods of SandboxTemplate py)", StringComparison.Ordinal));
        Assert.Matches(@"\)\s+3\s+kata-vm-isolation\s+2048Mi", row);

        var yaml = File.ReadAllText(file);
        File.WriteAllText(file, yaml[yaml.IndexOf("apiVersion: extensions.agents.x-k8s.io/v1beta1\nkind: SandboxWarmPool", StringComparison.Ordinal)..]);
        var alone = CliRunner.Run(directory, "plan", "-s", "Standard_D4s_v5", "--count", "1", "--max-pods", "30", "--no-config", file);
        Assert.Contains("SandboxWarmPool py: its SandboxTemplate 'py' is not among the inputs", alone.Output, StringComparison.Ordinal);
    }
}
