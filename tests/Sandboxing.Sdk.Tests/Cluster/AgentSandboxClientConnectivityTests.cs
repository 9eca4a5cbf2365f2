using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>AgentSandboxClient's watch of the claim, its port-forward mode's choice of router pod, and its spans.</summary>
public class AgentSandboxClientConnectivityTests
{
    private const string Ns = AgentSandboxHarness.Ns;
    private const string Pool = AgentSandboxHarness.Template;

    [Fact]
    public async Task The_client_waits_for_Ready_through_the_watch_and_lists_again_when_the_watch_ends_or_its_version_expires()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        // Ready only after the second watch was cut, whatever the machine's speed.
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Controller.ReadyWhen = cut.Task;
        int watches = 0;
        h.Controller.Server.OnRequest = (path, query) =>
        {
            if (query.ContainsKey("watch"))
            {
                switch (Interlocked.Increment(ref watches))
                {
                    case 1:
                        h.Controller.CompactHistory(); // 410 Expired: the client must list again
                        break;
                    case 2:
                        _ = Task.Run(async () =>
                        {
                            await Task.Delay(50);
                            h.Controller.CloseWatches(); // a proxy cuts the watch
                            cut.TrySetResult();
                        });
                        break;
                }
            }

            return null;
        };

        await using var session = await h.Client.ClaimAsync(Pool, Ns);

        Assert.Equal("ok\n", (await session.RunAsync("echo ok")).Stdout);
        Assert.True(Volatile.Read(ref watches) >= 2);
        var watch = h.Controller.Server.Requests.First(r => r.Query.ContainsKey("watch"));
        Assert.Equal($"metadata.name={session.ClaimName}", watch.Query["fieldSelector"]);
        Assert.False(string.IsNullOrEmpty(watch.Query.GetValueOrDefault("resourceVersion")));
        h.AssertNoViolations();
    }

    [Fact]
    public async Task Port_forward_mode_picks_a_ready_pod_of_the_router_Service_from_its_EndpointSlices()
    {
        await using var h = await AgentSandboxHarness.StartAsync(configure: o => o.RouterUrl = null);
        h.Controller.AddServiceEndpoints(Ns, "sandbox-router-svc", ("sandbox-router-aaaaa", false), ("sandbox-router-bbbbb", true));

        await using var session = await h.Client.ClaimAsync(Pool, Ns);

        var slices = Assert.Single(h.Controller.Server.Requests, r => r.Path.EndsWith("/endpointslices", StringComparison.Ordinal));
        Assert.Equal($"/apis/discovery.k8s.io/v1/namespaces/{Ns}/endpointslices", slices.Path);
        Assert.Equal("kubernetes.io/service-name=sandbox-router-svc", slices.Query["labelSelector"]);
        using var kube = h.Controller.Client();
        var list = await kube.DiscoveryV1.ListNamespacedEndpointSliceAsync(Ns, labelSelector: "kubernetes.io/service-name=sandbox-router-svc");
        Assert.Equal("sandbox-router-bbbbb", AgentSandboxPortForward.RouterPod(list));
        h.AssertNoViolations();
    }

    [Fact]
    public async Task Port_forward_mode_carries_commands_and_files_through_the_API_servers_port_forward_to_the_router_pod()
    {
        await using var h = await AgentSandboxHarness.StartAsync(configure: o => o.RouterUrl = null);
        h.Controller.AddServiceEndpoints(Ns, "sandbox-router-svc", ("sandbox-router-bbbbb", true));
        h.Controller.ForwardPort(Ns, "sandbox-router-bbbbb", 8080, h.Router.BaseUri);
        await using var session = await h.Client.ClaimAsync(Pool, Ns);
        var big = new byte[300 * 1024];
        Random.Shared.NextBytes(big);

        Assert.Equal("one\n", (await session.RunAsync("echo one")).Stdout);
        Assert.Equal("one\n", (await session.RunAsync("echo one")).Stdout); // a second request on the same connection
        await session.WriteFileAsync("data/big.bin", big);
        Assert.Equal(big, await session.ReadFileAsync("data/big.bin"));
        Assert.Equal("two\n", (await session.RunAsync("echo two")).Stdout);
        Assert.True(await session.FileExistsAsync("data/big.bin"));

        Assert.Equal(6, h.Router.Requests.Count);
        Assert.All(h.Controller.PortForwards, p => Assert.Equal($"{Ns}/sandbox-router-bbbbb:8080", p));
        h.AssertNoViolations();
    }

    [Fact]
    public async Task Port_forward_mode_looks_for_the_router_in_RouterNamespace_under_RouterServiceName()
    {
        await using var h = await AgentSandboxHarness.StartAsync(configure: o =>
        {
            o.RouterUrl = null;
            o.RouterNamespace = "agent-sandbox-system";
            o.RouterServiceName = "router";
        });
        h.Controller.AddServiceEndpoints("agent-sandbox-system", "router", ("router-0", true));

        await using var session = await h.Client.ClaimAsync(Pool, Ns);

        var slices = Assert.Single(h.Controller.Server.Requests, r => r.Path.EndsWith("/endpointslices", StringComparison.Ordinal));
        Assert.Equal("/apis/discovery.k8s.io/v1/namespaces/agent-sandbox-system/endpointslices", slices.Path);
        Assert.Equal("kubernetes.io/service-name=router", slices.Query["labelSelector"]);
    }

    [Fact]
    public async Task Port_forward_mode_without_a_ready_router_pod_fails_clearly_and_deletes_the_claim()
    {
        await using var h = await AgentSandboxHarness.StartAsync(configure: o => o.RouterUrl = null);
        h.Controller.AddServiceEndpoints(Ns, "sandbox-router-svc", ("sandbox-router-aaaaa", false));

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => h.Client.ClaimAsync(Pool, Ns));

        Assert.Equal(AgentSandboxError.RouterFailed, ex.Error);
        Assert.Contains($"router Service {Ns}/sandbox-router-svc", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AgentSandboxClientOptions.RouterNamespace/RouterServiceName", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RouterUrl", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Claims);
    }

    [Fact]
    public async Task Spans_name_each_operation_with_its_tags_and_the_claim_carries_the_trace_context()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == AgentSandboxClient.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var h = await AgentSandboxHarness.StartAsync();

        var session = await h.Client.ClaimAsync(Pool, Ns);
        await session.RunAsync("exit-with 4");
        await session.WriteFileAsync("f.txt", Encoding.UTF8.GetBytes("12345"));
        await session.ReadFileAsync("f.txt");
        await session.ListFilesAsync("");
        await session.FileExistsAsync("f.txt");
        await Assert.ThrowsAsync<AgentSandboxException>(() => session.ReadFileAsync("missing.txt"));
        await session.ReleaseAsync();

        var mine = spans.Where(s => (string?)s.GetTagItem("sandbox.claim.name") == session.ClaimName).ToList();
        Assert.Equal(
            ["sandbox-client.claim", "sandbox-client.run", "sandbox-client.write", "sandbox-client.read", "sandbox-client.list", "sandbox-client.exists", "sandbox-client.read", "sandbox-client.release"],
            mine.Select(s => s.OperationName));
        var claim = mine[0];
        Assert.Equal((Ns, Pool, session.SandboxName), ((string?)claim.GetTagItem("sandbox.namespace"), (string?)claim.GetTagItem("sandbox.warm_pool.name"), (string?)claim.GetTagItem("sandbox.name")));
        Assert.Equal(4, mine[1].GetTagItem("sandbox.exit_code"));
        Assert.Equal(ActivityStatusCode.Unset, mine[1].Status); // a non-zero exit is a result
        Assert.Equal(5, mine[2].GetTagItem("sandbox.file.size"));
        Assert.Equal(200, mine[3].GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Error, mine[6].Status);
        Assert.Equal(404, mine[6].GetTagItem("http.response.status_code"));

        // The router sees each operation's trace context; the claim carries the claim span's as a JSON W3C carrier, which the
        // controller propagates to the Sandbox.
        var router = h.Router.Requests[0];
        Assert.Contains(mine[1].TraceId.ToHexString(), router.Headers["traceparent"], StringComparison.Ordinal);
        var create = h.Controller.Server.Requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/sandboxclaims", StringComparison.Ordinal));
        var carrier = JsonNode.Parse((string)JsonNode.Parse(create.Body)!["metadata"]!["annotations"]!["opentelemetry.io/trace-context"]!)!;
        Assert.Contains(claim.TraceId.ToHexString(), (string)carrier["traceparent"]!, StringComparison.Ordinal);
    }
}
