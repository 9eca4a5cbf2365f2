using System.Net;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>The audit of every cluster of a kubeconfig: loopback API servers, one context each.</summary>
public sealed class FleetAuditTests : IAsyncLifetime
{
    private readonly List<FakeApiServer> _servers = [];
    private string _kubeconfig = null!;

    public Task InitializeAsync()
    {
        _kubeconfig = Path.Combine(Path.GetTempPath(), $"fleet-{Guid.NewGuid():N}.kubeconfig");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        File.Delete(_kubeconfig);
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    private async Task<FakeApiServer> StartAsync()
    {
        var server = await FakeApiServer.StartAsync();
        _servers.Add(server);
        return server;
    }

    private void WriteKubeconfig(params (string Context, Uri Server)[] clusters) => File.WriteAllText(_kubeconfig, AuditCluster.FleetKubeconfig(clusters));

    [Fact]
    public async Task Every_context_is_audited_and_a_failing_cluster_does_not_stop_the_others()
    {
        var prod = await StartAsync();
        var staging = await StartAsync();
        var locked = await StartAsync();
        AuditCluster.Deployment(prod, "web", "tenant", runtimeClass: null);
        AuditCluster.Deployment(staging, "web", "tenant", AuditCluster.Kata);
        locked.FailPath("/apis/batch/v1/cronjobs", new Fault(401, "Unauthorized", "Unauthorized"));
        var down = AuditCluster.DeadServer();
        WriteKubeconfig(("aks-prod", prod.BaseUri), ("aks-down", down), ("aks-staging", staging.BaseUri), ("aks-locked", locked.BaseUri));

        var fleet = await SandboxKubeconfig.AuditContextsAsync(_kubeconfig, options: new SandboxAuditOptions { Retry = SandboxRetryPolicy.None });

        Assert.Equal(["aks-prod", "aks-down", "aks-staging", "aks-locked"], fleet.Select(c => c.Context)); // the kubeconfig's order
        var reported = Assert.Single(fleet[0].Report!.Objects);
        Assert.Equal(("Deployment", "web"), (reported.Kind, reported.Name));
        Assert.Equal(prod.BaseUri, fleet[0].Server);
        Assert.Null(fleet[0].Error);
        Assert.True(fleet[2].Report!.IsClean);
        Assert.Equal(SandboxDeployReason.ClusterUnreachable, fleet[1].Error!.Reason);
        Assert.Null(fleet[1].Report);
        Assert.Contains($"Could not reach the Kubernetes API server at {down}", fleet[1].Error!.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, fleet[3].Error!.StatusCode);
        Assert.All(_servers, s => Assert.Empty(s.Violations));
    }

    [Fact]
    [Trait("Category", "Slow")]   // the deadline leaves a loaded machine time to audit the fast cluster
        public async Task A_cluster_slower_than_its_deadline_fails_alone_and_the_fleet_does_not_wait_for_it()
    {
        var fast = await StartAsync();
        var slow = await StartAsync();
        AuditCluster.BarePod(fast, "shell", "tenant", "runc");
        slow.Latency = TimeSpan.FromMinutes(5);
        WriteKubeconfig(("fast", fast.BaseUri), ("slow", slow.BaseUri));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var fleet = await SandboxKubeconfig.AuditContextsAsync(_kubeconfig, clusterTimeout: TimeSpan.FromSeconds(8));

        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"the fleet took {clock.Elapsed}: the slow cluster's deadline did not end it");
        Assert.Equal("shell", Assert.Single(fleet[0].Report!.Objects).Name);
        var error = fleet[1].Error!;
        Assert.Equal(SandboxDeployReason.ClusterUnreachable, error.Reason);
        Assert.Equal(slow.BaseUri, error.Server);
        Assert.StartsWith($"The audit of context 'slow' (API server {slow.BaseUri}) did not finish within its deadline of 8s", error.Message);
        Assert.Contains("allow longer with AuditContextsAsync's clusterTimeout", error.Message);
        Assert.Null(fleet[1].Report);
        Assert.NotEmpty(slow.Requests); // it was asked, and given up on
    }

    [Fact]
    public async Task Clusters_are_audited_at_once_up_to_the_parallelism()
    {
        var probe = new InFlightProbe();
        var clusters = new List<(string, Uri)>();
        for (int i = 0; i < 3; i++)
        {
            var server = await StartAsync();
            server.Latency = TimeSpan.FromMilliseconds(500);
            server.Probe = probe;
            clusters.Add(($"c{i}", server.BaseUri));
        }

        WriteKubeconfig([.. clusters]);

        var together = await SandboxKubeconfig.AuditContextsAsync(_kubeconfig, maxParallelism: 3);
        int togetherMax = probe.Max;
        var sequential = new InFlightProbe();
        _servers.ForEach(s => s.Probe = sequential);
        var oneByOne = await SandboxKubeconfig.AuditContextsAsync(_kubeconfig, maxParallelism: 1);

        Assert.All(together.Concat(oneByOne), c => Assert.True(c.Report!.IsClean));
        Assert.True(togetherMax > 7, $"{togetherMax} lists in flight at once: the clusters were not audited together");
        Assert.Equal(7, sequential.Max); // one cluster at a time, its seven kinds at once
    }

    [Fact]
    public async Task Each_cluster_is_read_page_by_page_with_continue_tokens()
    {
        var a = await StartAsync();
        var b = await StartAsync();
        foreach (var server in new[] { a, b })
        {
            for (int i = 0; i < 5; i++)
            {
                AuditCluster.BarePod(server, $"shell-{i}", "tenant", runtimeClass: null);
            }
        }

        WriteKubeconfig(("a", a.BaseUri), ("b", b.BaseUri));

        var fleet = await SandboxKubeconfig.AuditContextsAsync(_kubeconfig, ["b", "a"], new SandboxAuditOptions { PageSize = 2 });

        Assert.Equal(["b", "a"], fleet.Select(c => c.Context)); // the order asked for
        Assert.All(fleet, c => Assert.Equal(5, c.Report!.Objects.Count));
        foreach (var server in new[] { a, b })
        {
            var pods = server.Requests.Where(r => r.Path == "/api/v1/pods").ToList();
            Assert.Equal([null, "2", "4"], pods.Select(p => p.Query.GetValueOrDefault("continue")));
            Assert.All(pods, p => Assert.Equal("2", p.Query["limit"]));
        }
    }

    [Fact]
    public async Task An_unknown_context_is_refused_with_the_near_one_before_any_cluster_is_asked()
    {
        var server = await StartAsync();
        WriteKubeconfig(("aks-prod-westeurope", server.BaseUri), ("aks-staging", server.BaseUri));

        var ex = await DeployErrors.ThrowsAsync(SandboxDeployReason.Kubeconfig, () =>
            SandboxKubeconfig.AuditContextsAsync(_kubeconfig, ["aks-staging", "aks-prod-westeurop"]));

        Assert.Contains("has no context 'aks-prod-westeurop' (did you mean 'aks-prod-westeurope'?); it has: aks-prod-westeurope, aks-staging", ex.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Parallelism_and_deadline_must_be_positive()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SandboxKubeconfig.AuditContextsAsync(_kubeconfig, maxParallelism: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SandboxKubeconfig.AuditContextsAsync(_kubeconfig, clusterTimeout: TimeSpan.Zero));
    }
}
