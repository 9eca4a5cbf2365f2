using System.Text;
using System.Text.Json.Nodes;
using Sandboxing.Sdk.Cluster;
using Sandboxing.Sdk.Tests.Cluster;

namespace Sandboxing.Sdk.AI.Tests;

/// <summary>
/// The SDK tests' loopback agent-sandbox controller and router wired together for the interpreter: the sample's Kata template and
/// warm pool <see cref="Pool"/> in <see cref="Namespace"/>, and a real <see cref="AgentSandboxClient"/> that reaches the router by URL.
/// The runtime's <c>python3</c> is a program the test supplies: it gets the uploaded file's text, so a test sees what really
/// reached the sandbox.
/// </summary>
internal sealed class LoopbackCluster : IAsyncDisposable
{
    public const string Namespace = "agents";
    public const string Pool = "python-runtime";

    private LoopbackCluster(LoopbackAgentController controller, LoopbackSandboxRouter router, AgentSandboxClient client)
    {
        Controller = controller;
        Router = router;
        Client = client;
    }

    public LoopbackAgentController Controller { get; }

    public LoopbackSandboxRouter Router { get; }

    public AgentSandboxClient Client { get; }

    /// <summary>The claims that exist now.</summary>
    public IReadOnlyList<JsonObject> Claims => Controller.Claims(Namespace);

    /// <summary>The API server's requests on claims with <paramref name="method"/> (POST creates, DELETE releases).</summary>
    public IReadOnlyList<RecordedRequest> ClaimRequests(string method) =>
        [.. Controller.Server.Requests.Where(r => r.Method == method && r.Path.Contains("/sandboxclaims", StringComparison.Ordinal))];

    /// <summary>The router's requests to <paramref name="target"/> (<c>/execute</c>, <c>/upload</c>, or a prefix such as <c>/download/</c>).</summary>
    public IReadOnlyList<RouterRequest> RouterRequests(string target) =>
        [.. Router.Requests.Where(r => r.RawTarget.StartsWith(target, StringComparison.Ordinal))];

    public static async Task<LoopbackCluster> StartAsync(Action<AgentSandboxClientOptions>? configure = null, string? runtimeClassName = "kata-vm-isolation")
    {
        var controller = await LoopbackAgentController.StartAsync();
        controller.Server.Namespaces.Add(Namespace);
        var router = await LoopbackSandboxRouter.StartAsync(controller);
        if (runtimeClassName == "kata-vm-isolation")
        {
            // The sample's own template and warm pool, as its --print-setup prints them: the SDK's builder, Kata by default.
            foreach (var obj in AgentCodeInterpreter.AgentCodeInterpreterSample.Setup(Namespace, Pool))
            {
                controller.Add(obj);
            }
        }
        else
        {
            controller.AddTemplate(Namespace, Pool, runtimeClassName);
            controller.AddWarmPool(Namespace, Pool, Pool, replicas: 1);
        }
        var options = new AgentSandboxClientOptions { RouterUrl = router.BaseUri };
        configure?.Invoke(options);
        return new LoopbackCluster(controller, router, new AgentSandboxClient(controller.Client(), options));
    }

    /// <summary>
    /// Makes <c>python3 FILE</c> in the sandbox run <paramref name="run"/> on the text of FILE as the router stored it (the
    /// sandbox is the one the <c>/execute</c> request was routed to); a file that was never uploaded is python's own error.
    /// </summary>
    public void Python(Func<string, CancellationToken, Task<LoopbackCommandResult>> run) => Router.AddCommand("python3", async (args, ct) =>
    {
        var sandbox = RouterRequests("/execute")[^1].Headers["X-Sandbox-ID"];
        var code = args.Count == 1 ? Router.GetFile(Namespace, sandbox, args[0]) : null;
        return code is null
            ? new LoopbackCommandResult("", $"python3: can't open file '{string.Join(' ', args)}': [Errno 2] No such file or directory\n", 2)
            : await run(Encoding.UTF8.GetString(code), ct);
    });

    /// <summary>Python that answers at once.</summary>
    public void Python(Func<string, LoopbackCommandResult> run) => Python((code, _) => Task.FromResult(run(code)));

    /// <summary>The name of the Sandbox bound to <paramref name="claimName"/>.</summary>
    public string SandboxOf(string claimName) =>
        (string?)Controller.Get("sandboxclaims", Namespace, claimName)?["status"]?["sandbox"]?["name"] ?? throw new InvalidOperationException($"claim {claimName} is not bound");

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Router.DisposeAsync();
        await Controller.DisposeAsync();
    }
}
