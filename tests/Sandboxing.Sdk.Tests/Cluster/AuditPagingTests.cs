using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>The audit reads every kind at once and page by page, and never reads far ahead of what it has judged.</summary>
public sealed class AuditPagingTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Every_kind_is_listed_at_once()
    {
        _server.Latency = TimeSpan.FromMilliseconds(400);
        _server.Probe = new InFlightProbe();
        using var client = _server.Client();

        var result = await client.AuditSandboxingAsync();

        Assert.True(result.IsClean);
        Assert.Equal(7, _server.Probe.Max); // one list per kind in flight together, not one after another
    }

    [Fact]
    public async Task Pods_are_read_a_few_pages_ahead_while_the_owners_are_still_being_read()
    {
        for (int i = 0; i < 20; i++)
        {
            AuditCluster.BarePod(_server, $"shell-{i:00}", "tenant", runtimeClass: null);
        }

        // The Deployments' answer is slow; the audit judges owners first, so the pods' pages wait in a short queue.
        _server.DelayPath("/apis/apps/v1/deployments", TimeSpan.FromSeconds(2));
        using var client = _server.Client();

        var audit = client.AuditSandboxingAsync(new SandboxAuditOptions { PageSize = 1 });
        await Task.Delay(TimeSpan.FromSeconds(1));
        int podPagesWhileWaiting = _server.Requests.Count(r => r.Path == "/api/v1/pods");
        var result = await audit;

        Assert.InRange(podPagesWhileWaiting, 1, 4); // two queued, one waiting for room, at most one more in flight
        Assert.Equal(20, result.Objects.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"shell-{i:00}"), result.Objects.Select(o => o.Name));
        var pods = _server.Requests.Where(r => r.Path == "/api/v1/pods").ToList();
        Assert.Equal(20, pods.Count);
        Assert.Equal([null, .. Enumerable.Range(1, 19).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            pods.Select(p => p.Query.GetValueOrDefault("continue")));
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task An_expired_continue_token_ends_that_list_with_a_problem_and_keeps_the_pages_read()
    {
        for (int i = 0; i < 3; i++)
        {
            AuditCluster.BarePod(_server, $"shell-{i}", "tenant", runtimeClass: null);
        }

        var pages = 0;
        _server.OnRequest = (path, query) => path == "/api/v1/pods" && query.ContainsKey("continue") && ++pages == 1
            ? new Fault(410, "Expired", "The provided continue parameter is too old to display a consistent list result.")
            : null;
        using var client = _server.Client();

        var result = await client.AuditSandboxingAsync(new SandboxAuditOptions { PageSize = 2 });

        Assert.Equal(["shell-0", "shell-1"], result.Objects.Select(o => o.Name));
        var problem = Assert.Single(result.Problems);
        Assert.Equal("pods", problem.Target);
        Assert.Contains("410 Expired", problem.Message);
        Assert.Contains("continue token expired", problem.Message);
        Assert.Contains("Pods in all namespaces were only partly", problem.Message);
    }
}
