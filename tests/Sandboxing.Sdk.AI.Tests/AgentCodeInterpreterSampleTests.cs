using AgentCodeInterpreter;

namespace Sandboxing.Sdk.AI.Tests;

/// <summary>
/// The sample's public entry point, as <c>dotnet run --project samples/AgentCodeInterpreter</c> runs it: without a cluster it says
/// what to pass, prints its setup on request, and runs a whole agent turn against the loopback servers.
/// </summary>
public sealed class AgentCodeInterpreterSampleTests
{
    [Fact]
    public async Task Without_a_kubeconfig_it_says_what_to_pass_and_exits_2()
    {
        var output = new StringWriter();

        int exit = await AgentCodeInterpreterSample.RunAsync([], output);

        Assert.Equal(2, exit);
        var text = output.ToString();
        Assert.StartsWith("error: no cluster to run the agent turn against: pass --kubeconfig <file>", text, StringComparison.Ordinal);
        Assert.Contains("--print-setup", text, StringComparison.Ordinal);
        Assert.Contains("usage: AgentCodeInterpreter --kubeconfig <file>", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kubeconfig_that_does_not_exist_is_named_and_exits_2()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-kubeconfig-{Guid.NewGuid():N}");
        var output = new StringWriter();

        int exit = await AgentCodeInterpreterSample.RunAsync(["--kubeconfig", missing], output);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(missing, output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--router-url", "ftp://router", "error: --router-url 'ftp://router' is not an http or https URL")]
    [InlineData("--namespace", null, "error: --namespace needs a value")]
    [InlineData("--bogus", "x", "error: unknown option --bogus")]
    public async Task A_bad_argument_is_named_and_exits_2(string flag, string? value, string expected)
    {
        var output = new StringWriter();

        int exit = await AgentCodeInterpreterSample.RunAsync(value is null ? [flag] : [flag, value], output);

        Assert.Equal(2, exit);
        Assert.StartsWith(expected, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Print_setup_writes_a_kata_template_and_its_warm_pool()
    {
        var output = new StringWriter();

        int exit = await AgentCodeInterpreterSample.RunAsync(["--print-setup", "--namespace", "team-a", "--warm-pool", "coder"], output);

        Assert.Equal(0, exit);
        var yaml = output.ToString();
        Assert.Contains("kind: SandboxTemplate", yaml, StringComparison.Ordinal);
        Assert.Contains("kind: SandboxWarmPool", yaml, StringComparison.Ordinal);
        Assert.Contains("apiVersion: extensions.agents.x-k8s.io/v1beta1", yaml, StringComparison.Ordinal);
        Assert.Contains("runtimeClassName: kata-vm-isolation", yaml, StringComparison.Ordinal);
        Assert.Contains("namespace: team-a", yaml, StringComparison.Ordinal);
        Assert.Contains("name: coder", yaml, StringComparison.Ordinal);
        Assert.Contains(AgentCodeInterpreterSample.RuntimeImage, yaml, StringComparison.Ordinal);
    }
}
