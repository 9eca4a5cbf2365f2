using System.Text.Json.Nodes;
using k8s;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>
/// The loopback agent-sandbox controller and router, with a template and warm pool built by the SDK's own
/// <see cref="AgentSandboxes.Template(string)"/> in namespace <see cref="Ns"/>, and a client in Direct mode against them.
/// </summary>
internal sealed class AgentSandboxHarness : IAsyncDisposable
{
    public const string Ns = "tenant";
    public const string Template = "coder";

    private AgentSandboxHarness(LoopbackAgentController controller, LoopbackSandboxRouter router, AgentSandboxClientOptions options)
    {
        Controller = controller;
        Router = router;
        Options = options;
        Client = new AgentSandboxClient(controller.Client(), options);
    }

    public LoopbackAgentController Controller { get; }

    public LoopbackSandboxRouter Router { get; }

    public AgentSandboxClientOptions Options { get; }

    public AgentSandboxClient Client { get; }

    /// <summary>Starts both servers; <paramref name="warm"/> null adds no template or pool.</summary>
    public static async Task<AgentSandboxHarness> StartAsync(int? warm = 1, Action<AgentSandboxClientOptions>? configure = null)
    {
        var controller = await LoopbackAgentController.StartAsync();
        controller.ValidateBody = json => CrdSchema.AgentSandbox.Errors(json);
        var router = await LoopbackSandboxRouter.StartAsync(controller);
        if (warm is { } replicas)
        {
            var objects = AgentSandboxes.Template(Template).InNamespace(Ns)
                .WithContainer("runtime", "python:3.12-slim", c => c.WithResources(cpu: "1", memory: "1Gi"))
                .WithWarmPool(replicas).Build();
            foreach (var obj in objects)
            {
                controller.Add(obj);
            }
        }

        var options = new AgentSandboxClientOptions
        {
            RouterUrl = router.BaseUri,
            ReadyTimeout = TimeSpan.FromSeconds(30),
            RequestTimeout = TimeSpan.FromSeconds(30),
            PerAttemptTimeout = TimeSpan.FromSeconds(30),
            CleanupTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return new AgentSandboxHarness(controller, router, options);
    }

    public IReadOnlyList<JsonObject> Claims => Controller.Claims(Ns);

    /// <summary>Fails with the protocol violations either server saw (requests the real ones would refuse).</summary>
    public void AssertNoViolations()
    {
        Assert.Empty(Controller.Server.Violations);
        Assert.Empty(Router.Violations);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Router.DisposeAsync();
        await Controller.DisposeAsync();
    }
}

/// <summary>A clock that reads a fixed time and runs real timers: timestamps are predictable, waits still end.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
