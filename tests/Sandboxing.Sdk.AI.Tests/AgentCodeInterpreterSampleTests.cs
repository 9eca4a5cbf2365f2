using System.Text;
using AgentCodeInterpreter;
using Sandboxing.Sdk.Tests.Cluster;

namespace Sandboxing.Sdk.AI.Tests;

/// <summary>
/// The sample's public entry point, as <c>dotnet run --project samples/AgentCodeInterpreter</c> runs it: a whole agent turn against
/// the loopback controller and router through a kubeconfig, as against a cluster; without a cluster it says what to pass, and it
/// prints its setup on request.
/// </summary>
[Collection(nameof(SampleEnvironment))]
public sealed class AgentCodeInterpreterSampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agent-sample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A kubeconfig for the loopback API server, as <c>az aks get-credentials</c> would write one for a cluster.</summary>
    private string Kubeconfig(Uri server)
    {
        var path = Path.Combine(_dir, "kubeconfig");
        File.WriteAllText(path, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: loopback
              cluster:
                server: {{server}}
            users:
            - name: agent
              user:
                token: not-a-real-token
            contexts:
            - name: loopback
              context:
                cluster: loopback
                user: agent
            current-context: loopback
            """);
        return path;
    }

    private static string[] TurnArgs(string kubeconfig, LoopbackCluster cluster) =>
        ["--kubeconfig", kubeconfig, "--namespace", LoopbackCluster.Namespace, "--warm-pool", LoopbackCluster.Pool, "--router-url", cluster.Router.BaseUri.ToString()];

    [Fact]
    public async Task The_agent_turn_runs_the_models_code_in_a_claimed_sandbox_and_releases_it()
    {
        await using var cluster = await LoopbackCluster.StartAsync();
        cluster.Router.BearerToken = "router-secret";
        var ran = new List<string>();
        cluster.Python(code =>
        {
            ran.Add(code);
            return new LoopbackCommandResult("25 primes below 100, sum 1060\nkernel 6.6.0-kata\n", "", 0);
        });
        var output = new StringWriter();

        Environment.SetEnvironmentVariable("SANDBOX_ROUTER_TOKEN", "router-secret");
        int exit;
        try
        {
            exit = await AgentCodeInterpreterSample.RunAsync(TurnArgs(Kubeconfig(cluster.Controller.Server.BaseUri), cluster), output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SANDBOX_ROUTER_TOKEN", null);
        }

        var text = output.ToString().ReplaceLineEndings("\n");
        Assert.True(exit == 0, text);

        // The model's program reached the sandbox whole, and ran once.
        Assert.Equal([ScriptedModel.Code], ran);

        // What the sample printed: the question, the call with its code, the sandbox's JSON, the answer from it, the claim released.
        var claim = cluster.ClaimRequests("DELETE").Single().Path.Split('/')[^1];
        Assert.StartsWith($"user: {AgentCodeInterpreterSample.Question}\ntool call: run_code_in_kata_sandbox\n    import platform\n", text, StringComparison.Ordinal);
        Assert.Contains("""
            tool result:
                {
                  "exit_code": 0,
                  "stdout": "25 primes below 100, sum 1060\nkernel 6.6.0-kata\n",
                  "stderr": ""
                }
            assistant: I ran the code in the sandbox. It printed:
            25 primes below 100, sum 1060
            kernel 6.6.0-kata

            """, text, StringComparison.Ordinal);
        Assert.EndsWith($"claim: {LoopbackCluster.Namespace}/{claim}\nclaim released.\n", text, StringComparison.Ordinal);

        // What the cluster saw: one claim of the pool, labelled by the sample, used through the router with the token, then deleted.
        var created = System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(cluster.ClaimRequests("POST")).Body)!;
        Assert.Equal(LoopbackCluster.Pool, (string?)created["spec"]!["warmPoolRef"]!["name"]);
        Assert.Equal("agent-code-interpreter", (string?)created["metadata"]!["labels"]!["app.kubernetes.io/name"]);
        Assert.Equal(["POST /upload", "POST /execute"], cluster.Router.Requests.Select(r => $"{r.Method} {r.RawTarget}"));
        Assert.All(cluster.Router.Requests, r => Assert.Equal("Bearer router-secret", r.Headers["Authorization"]));
        Assert.Empty(cluster.Claims);
        Assert.Empty(cluster.Controller.Server.Violations);
        Assert.Empty(cluster.Router.Violations);
    }

    [Fact]
    public async Task A_missing_warm_pool_is_reported_with_exit_code_1_and_nothing_is_claimed()
    {
        await using var cluster = await LoopbackCluster.StartAsync();
        var output = new StringWriter();
        var args = TurnArgs(Kubeconfig(cluster.Controller.Server.BaseUri), cluster);
        args[Array.IndexOf(args, LoopbackCluster.Pool)] = "no-such-pool";

        int exit = await AgentCodeInterpreterSample.RunAsync(args, output);

        Assert.Equal(1, exit);
        Assert.Contains("error: NotFound: SandboxWarmPool 'no-such-pool' does not exist in namespace 'agents'", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(cluster.ClaimRequests("POST"));
    }

    [Fact]
    public async Task A_cancelled_turn_exits_130_and_leaves_no_claim()
    {
        await using var cluster = await LoopbackCluster.StartAsync();
        cluster.Controller.NeverReady = true;
        using var cancellation = new CancellationTokenSource();
        var output = new StringWriter();

        var run = AgentCodeInterpreterSample.RunAsync(TurnArgs(Kubeconfig(cluster.Controller.Server.BaseUri), cluster), output, cancellation.Token);
        for (int i = 0; cluster.Claims.Count == 0; i++)
        {
            Assert.True(i < 1500, "the sample never claimed");
            await Task.Delay(20);
        }

        await cancellation.CancelAsync();

        Assert.Equal(130, await run);
        Assert.EndsWith("cancelled.\n", output.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Empty(cluster.Claims);
    }

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

/// <summary>The sample reads the router's token from the environment: its tests do not run in parallel with each other.</summary>
[CollectionDefinition(nameof(SampleEnvironment), DisableParallelization = true)]
public sealed class SampleEnvironment;
