using System.Text.Json;
using NJsonSchema;
using Sandboxing.Sdk.Tests.Cluster;

namespace Sandboxing.Cli.Tests;

/// <summary><c>audit --all-contexts</c> and <c>--contexts</c>: one loopback API server per context.</summary>
public sealed class FleetAuditCommandTests : IAsyncLifetime
{
    private readonly List<FakeApiServer> _servers = [];
    private string _dir = null!;
    private FakeApiServer _prod = null!;
    private FakeApiServer _staging = null!;
    private Uri _down = null!;

    public async Task InitializeAsync()
    {
        _dir = CliRunner.TempCopy();
        _prod = await StartAsync();
        _staging = await StartAsync();
        _down = AuditCluster.DeadServer();
        AuditCluster.Deployment(_prod, "web", "default", runtimeClass: null);
        AuditCluster.BarePod(_staging, "shell", "tenant", "runc");
        AuditCluster.Deployment(_staging, "api", "default", AuditCluster.Kata);
        WriteKubeconfig(("aks-prod", _prod.BaseUri), ("aks-staging", _staging.BaseUri));
    }

    public async Task DisposeAsync()
    {
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

    private void WriteKubeconfig(params (string Context, Uri Server)[] clusters) =>
        File.WriteAllText(Path.Combine(_dir, "kubeconfig"), AuditCluster.FleetKubeconfig(clusters));

    private CliRun Audit(params string[] args) => CliRunner.Run(_dir, ["audit", "--kubeconfig", "kubeconfig", .. args]);

    private static string SchemaPath([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Schemas", "sarif-schema-2.1.0.json");

    [Fact]
    public void Every_context_gets_a_section_and_the_fleet_a_summary()
    {
        var run = Audit("--all-contexts", "-A");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Equal("", run.Error);
        var sections = run.Output.Split("\n\n");
        Assert.Equal(3, sections.Length);
        Assert.StartsWith($"context aks-prod ({_prod.BaseUri}): audited in ", sections[0]);
        Assert.Contains("cluster://aks-prod/default/Deployment/web: warning SBX1001: ", sections[0]);
        Assert.EndsWith("1 finding (0 errors, 1 warning, 0 info) in 1 pod-bearing object of 1 namespace", sections[0]);
        Assert.StartsWith($"context aks-staging ({_staging.BaseUri}): audited in ", sections[1]);
        Assert.Contains("cluster://aks-staging/tenant/Pod/shell: warning SBX1002: ", sections[1]);
        Assert.EndsWith("1 finding (0 errors, 1 warning, 0 info) in 5 pod-bearing objects of 2 namespaces", sections[1]);
        Assert.Equal("fleet: 2 clusters, 2 audited, 0 failed; 2 findings (0 errors, 2 warnings, 0 info) in 6 pod-bearing objects\nconfig: none\n", sections[2]);
    }

    [Fact]
    public void A_failed_cluster_is_reported_in_its_section_and_the_fleet_exits_2_after_auditing_the_others()
    {
        WriteKubeconfig(("aks-prod", _prod.BaseUri), ("aks-down", _down), ("aks-staging", _staging.BaseUri));

        var run = Audit("--all-contexts", "-A", "--timeout", "10");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"context aks-down ({_down}): failed after ", run.Output);
        Assert.Contains($"error: Could not reach the Kubernetes API server at {_down} to list ", run.Output);
        Assert.Contains("cluster://aks-prod/default/Deployment/web: warning SBX1001", run.Output);
        Assert.Contains("cluster://aks-staging/tenant/Pod/shell: warning SBX1002", run.Output);
        Assert.EndsWith("fleet: 3 clusters, 2 audited, 1 failed (aks-down); 2 findings (0 errors, 2 warnings, 0 info) in 6 pod-bearing objects\nconfig: none\n", run.Output);
    }

    [Fact]
    [Trait("Category", "Slow")]   // the deadline leaves a loaded machine time to audit the fast cluster
    public async Task A_cluster_past_its_deadline_fails_with_the_flag_to_raise_and_the_others_are_reported()
    {
        var slow = await StartAsync();
        slow.Latency = TimeSpan.FromMinutes(5);
        WriteKubeconfig(("aks-prod", _prod.BaseUri), ("aks-slow", slow.BaseUri));

        var run = Audit("--contexts", "aks-slow,aks-prod", "-A", "--timeout", "8");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith($"context aks-slow ({slow.BaseUri}): failed after ", run.Output);
        Assert.Contains($"error: The audit of context 'aks-slow' (API server {slow.BaseUri}) did not finish within its deadline of 8s", run.Output);
        Assert.Contains("allow longer with --timeout.", run.Output);
        Assert.DoesNotContain("ClusterTimeout", run.Output);
        Assert.Contains("cluster://aks-prod/default/Deployment/web: warning SBX1001", run.Output);
    }

    [Fact]
    public void Without_a_namespace_each_cluster_is_audited_in_its_contexts_namespace()
    {
        var run = Audit("--contexts", "aks-staging");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.All(_staging.Requests, r => Assert.Contains("/namespaces/default/", r.Path));
        Assert.Empty(_prod.Requests);
        Assert.EndsWith("fleet: 1 cluster, 1 audited, 0 failed; 0 findings (0 errors, 0 warnings, 0 info) in 4 pod-bearing objects\nconfig: none\n", run.Output);
    }

    [Fact]
    public void Json_names_each_findings_context_and_lists_the_clusters()
    {
        WriteKubeconfig(("aks-prod", _prod.BaseUri), ("aks-down", _down), ("aks-staging", _staging.BaseUri));

        var run = Audit("--all-contexts", "-A", "-f", "json", "--timeout", "10");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("error: context aks-down: The cluster of context 'aks-down' was not audited: Could not reach", run.Error);
        using var document = JsonDocument.Parse(run.Output);
        var root = document.RootElement;
        Assert.Equal(3, root.GetProperty("summary").GetProperty("clusters").GetInt32());
        Assert.Equal(1, root.GetProperty("summary").GetProperty("failedClusters").GetInt32());
        Assert.Equal(2, root.GetProperty("summary").GetProperty("findings").GetInt32());
        Assert.Equal(
            [("aks-prod", "cluster://aks-prod/default/Deployment/web"), ("aks-staging", "cluster://aks-staging/tenant/Pod/shell")],
            root.GetProperty("findings").EnumerateArray().Select(f => (f.GetProperty("context").GetString(), f.GetProperty("file").GetString())));
        var problem = Assert.Single(root.GetProperty("problems").EnumerateArray());
        Assert.Equal("aks-down", problem.GetProperty("context").GetString());
        var clusters = root.GetProperty("clusters").EnumerateArray().ToList();
        Assert.Equal(["aks-prod", "aks-down", "aks-staging"], clusters.Select(c => c.GetProperty("context").GetString()));
        Assert.Equal(["audited", "failed", "audited"], clusters.Select(c => c.GetProperty("status").GetString()));
        Assert.Equal([1, 0, 1], clusters.Select(c => c.GetProperty("findings").GetInt32()));
        Assert.Equal(_prod.BaseUri.ToString(), clusters[0].GetProperty("server").GetString());
        Assert.StartsWith("Could not reach the Kubernetes API server", clusters[1].GetProperty("error").GetString());
        Assert.False(clusters[0].TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Sarif_is_one_run_whose_results_and_notifications_name_their_context()
    {
        WriteKubeconfig(("aks-prod", _prod.BaseUri), ("aks-down", _down), ("aks-staging", _staging.BaseUri));

        var run = Audit("--all-contexts", "-A", "-f", "sarif", "-o", "fleet.sarif", "--timeout", "10");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        var sarif = File.ReadAllText(Path.Combine(_dir, "fleet.sarif"));
        var errors = (await JsonSchema.FromFileAsync(SchemaPath())).Validate(sarif);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
        using var document = JsonDocument.Parse(sarif);
        var sarifRun = Assert.Single(document.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal(["aks-prod", "aks-staging"],
            sarifRun.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("properties").GetProperty("context").GetString()));
        var invocation = sarifRun.GetProperty("invocations")[0];
        Assert.False(invocation.GetProperty("executionSuccessful").GetBoolean());
        var notification = Assert.Single(invocation.GetProperty("toolExecutionNotifications").EnumerateArray());
        Assert.Equal("aks-down", notification.GetProperty("properties").GetProperty("context").GetString());
        Assert.Equal("cluster://aks-down",
            notification.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
    }

    [Fact]
    public void A_misspelt_context_is_refused_with_the_near_one_before_any_cluster_is_asked()
    {
        var run = Audit("--contexts", "aks-prod,aks-stagin");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith("error: The kubeconfig '", run.Error);
        Assert.Contains("has no context 'aks-stagin' (did you mean 'aks-staging'?); it has: aks-prod, aks-staging. Nothing was audited.", run.Error);
        Assert.Empty(_prod.Requests);
        Assert.Empty(_staging.Requests);
    }

    [Theory]
    [InlineData("--all-contexts and --contexts exclude each other", "--all-contexts", "--contexts", "aks-prod")]
    [InlineData("--context audits one cluster and --all-contexts several", "--all-contexts", "--context", "aks-prod")]
    [InlineData("--context audits one cluster and --contexts several", "--contexts", "aks-prod", "--context", "aks-prod")]
    [InlineData("--parallel applies to several clusters: pass it with --all-contexts or --contexts", "--parallel", "2")]
    [InlineData("--parallel 0 is not a number of clusters; pass 1 or more", "--all-contexts", "--parallel", "0")]
    public void Fleet_flags_that_do_not_go_together_are_refused(string message, params string[] args)
    {
        var run = Audit(args);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.Empty(_prod.Requests);
    }
}
