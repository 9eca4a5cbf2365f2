using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using NJsonSchema;
using Sandboxing.Sdk.Tests.Cluster;

namespace Sandboxing.Cli.Tests;

public sealed class AuditCommandTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private string _dir = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _dir = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(_dir, "kubeconfig"), AuditCluster.Kubeconfig(_server.BaseUri, "aks-test", ns: "tenant"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string SchemaPath([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Schemas", "sarif-schema-2.1.0.json");

    private CliRun Audit(params string[] args) => CliRunner.Run(_dir, ["audit", "--kubeconfig", "kubeconfig", .. args]);

    [Fact]
    public void A_clean_cluster_exits_0_and_audits_the_contexts_namespace_by_default()
    {
        AuditCluster.Deployment(_server, "web", "tenant", AuditCluster.Kata);

        var run = Audit();

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("0 findings (0 errors, 0 warnings, 0 info) in 4 pod-bearing objects of 1 namespace\nconfig: none\n", run.Output);
        Assert.Equal("", run.Error);
        Assert.All(_server.Requests, r => Assert.Contains("/namespaces/tenant/", r.Path));
        Assert.Equal(7, _server.Requests.Count);
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public void On_a_terminal_the_report_is_coloured_and_without_the_codes_is_the_plain_report()
    {
        AuditCluster.Deployment(_server, "web", "tenant", runtimeClass: null);

        var plain = Audit();
        var coloured = CliRunner.Run(_dir, null, CliRunner.Terminal(), "audit", "--kubeconfig", "kubeconfig");

        Assert.Contains("\u001b[1mcluster://aks-test/tenant/Deployment/web\u001b[0m: \u001b[1;33mwarning\u001b[0m", coloured.Output, StringComparison.Ordinal);
        Assert.Equal(plain.Output, CliRunner.StripColor(coloured.Output));
        Assert.Equal(plain.ExitCode, coloured.ExitCode);
        Assert.DoesNotContain("\u001b[", CliRunner.Run(_dir, null, CliRunner.Terminal(), "audit", "--kubeconfig", "kubeconfig", "-f", "sarif").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsandboxed_deployment_is_reported_once_at_the_deployment_and_exits_1()
    {
        AuditCluster.Deployment(_server, "web", "tenant", runtimeClass: null, pods: 3);
        AuditCluster.Deployment(_server, "ok", "default", AuditCluster.Kata);

        var run = Audit("--all-namespaces");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.StartsWith("cluster://aks-test/tenant/Deployment/web: warning SBX1001: ", run.Output);
        Assert.Contains("[spec.template.spec.runtimeClassName]\n    fix: ", run.Output);
        Assert.Single(run.Output.Split('\n'), l => l.Contains("SBX", StringComparison.Ordinal) && !l.Contains("help:", StringComparison.Ordinal));
        Assert.DoesNotContain("ReplicaSet", run.Output);
        Assert.DoesNotContain("/Pod/", run.Output);
        Assert.EndsWith("1 finding (0 errors, 1 warning, 0 info) in 5 pod-bearing objects of 2 namespaces\nconfig: none\n", run.Output);
        Assert.Contains(_server.Requests, r => r.Path == "/apis/apps/v1/deployments");
    }

    [Fact]
    public void A_bare_pod_on_runc_is_reported()
    {
        AuditCluster.BarePod(_server, "shell", "tenant", "runc");

        var run = Audit("--namespace", "tenant");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.StartsWith("cluster://aks-test/tenant/Pod/shell: warning SBX1002: ", run.Output);
        Assert.Contains("'runc'", run.Output);
    }

    [Fact]
    public void A_runc_pod_naming_a_reported_deployment_as_its_controller_is_reported_and_exits_1()
    {
        var decoy = AuditCluster.Deployment(_server, "decoy", "tenant", runtimeClass: null, pods: 0);
        _server.Add(new k8s.Models.V1Pod
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "miner", NamespaceProperty = "tenant", OwnerReferences = [AuditCluster.Owner(decoy)] },
            Spec = AuditCluster.Spec("runc"),
            Status = new k8s.Models.V1PodStatus { Phase = "Running" },
        });

        var run = Audit();

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("cluster://aks-test/tenant/Pod/miner: warning SBX1002: ", run.Output);
        Assert.Contains("It was not taken as covered by its controller: its controller reference names Deployment decoy, and a Deployment does not control Pods", run.Output);
    }

    [Fact]
    public void An_exempt_workload_is_not_reported_unless_strict()
    {
        AuditCluster.Deployment(_server, "agent", "tenant", runtimeClass: null,
            annotations: new Dictionary<string, string> { ["sandboxing.sdk/exempt"] = "node agent needs host networking" });

        var honoured = Audit();
        var strict = Audit("--strict");

        Assert.Equal(ExitCodes.Success, honoured.ExitCode);
        Assert.Equal(ExitCodes.Findings, strict.ExitCode);
        Assert.StartsWith("cluster://aks-test/tenant/Deployment/agent: warning SBX1001", strict.Output);
    }

    [Fact]
    public void A_forbidden_list_is_a_problem_with_the_verb_to_grant_exit_2_and_the_other_kinds_are_audited()
    {
        _server.FailPath("/apis/apps/v1/namespaces/tenant/deployments", new Fault(403, "Forbidden",
            "deployments.apps is forbidden: User \"ci\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"tenant\""));
        AuditCluster.BarePod(_server, "shell", "tenant", "runc");

        var run = Audit();

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith("cluster://aks-test/tenant/deployments.apps: error: Cannot list deployments.apps in namespace tenant: 403 Forbidden: ", run.Output);
        Assert.Contains("Grant the identity the 'list' verb on deployments.apps in namespace tenant (kubectl create role sandboxing-audit --verb=list --resource=deployments.apps -n tenant)", run.Output);
        Assert.Contains("cluster://aks-test/tenant/Pod/shell: warning SBX1002", run.Output);
        Assert.EndsWith("; 1 input problem\nconfig: none\n", run.Output);
    }

    [Fact]
    public void An_unreachable_cluster_exits_2_with_the_message()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        File.WriteAllText(Path.Combine(_dir, "down"), AuditCluster.Kubeconfig(new Uri($"http://127.0.0.1:{port}/"), "aks-down"));

        var run = CliRunner.Run(_dir, "audit", "--kubeconfig", "down", "-A", "--timeout", "10");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.StartsWith($"error: Could not reach the Kubernetes API server at http://127.0.0.1:{port}/ to list CronJob", run.Error);
        Assert.Contains("az aks get-credentials", run.Error);
    }

    [Fact]
    public void A_missing_kubeconfig_or_context_exits_2_naming_it()
    {
        var missing = CliRunner.Run(_dir, "audit", "--kubeconfig", "nope");
        var context = Audit("--context", "aks-other");

        Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
        Assert.StartsWith($"error: No kubeconfig at '{Path.Combine(_dir, "nope")}'", missing.Error);
        Assert.Equal(ExitCodes.BadInput, context.ExitCode);
        Assert.Contains("has no context 'aks-other'; it has: aks-test", context.Error);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void All_namespaces_and_a_namespace_together_are_refused()
    {
        var run = Audit("-A", "--namespace", "tenant");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("--all-namespaces and --namespace exclude each other", run.Error);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void A_namespace_that_is_not_a_name_exits_2_naming_it()
    {
        var run = Audit("--namespace", "Tenant_1");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith("error: Namespace 'Tenant_1' is not a namespace name", run.Error);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void Json_report_places_findings_in_the_cluster_and_counts_namespaces()
    {
        AuditCluster.Deployment(_server, "web", "tenant", runtimeClass: null, labels: new Dictionary<string, string> { ["app"] = "web" });
        AuditCluster.Deployment(_server, "api", "tenant", runtimeClass: null, labels: new Dictionary<string, string> { ["app"] = "api" });

        var run = Audit("-f", "json", "--selector", "app=web");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        using var document = JsonDocument.Parse(run.Output);
        var summary = document.RootElement.GetProperty("summary");
        Assert.Equal(1, summary.GetProperty("namespaces").GetInt32());
        Assert.Equal(1, summary.GetProperty("findings").GetInt32());
        var finding = Assert.Single(document.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("cluster://aks-test/tenant/Deployment/web", finding.GetProperty("file").GetString());
        Assert.Equal(0, finding.GetProperty("line").GetInt32());
        Assert.Equal("SBX1001", finding.GetProperty("ruleId").GetString());
        Assert.Equal("Deployment", finding.GetProperty("kind").GetString());
        Assert.All(_server.Requests, r => Assert.Equal("app=web", r.Query["labelSelector"]));
    }

    [Fact]
    public async Task Sarif_report_validates_and_locates_findings_and_refused_lists_in_the_cluster()
    {
        _server.FailPath("/api/v1/namespaces/tenant/pods", new Fault(403, "Forbidden", "pods is forbidden: User \"ci\" cannot list resource \"pods\""));
        AuditCluster.Deployment(_server, "web", "tenant", runtimeClass: null);

        var run = Audit("-f", "sarif", "-o", "audit.sarif");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("error: Cannot list pods in namespace tenant: 403 Forbidden", run.Error);
        var sarif = File.ReadAllText(Path.Combine(_dir, "audit.sarif"));
        var schema = await JsonSchema.FromFileAsync(SchemaPath());
        var errors = schema.Validate(sarif);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
        using var document = JsonDocument.Parse(sarif);
        var sarifRun = document.RootElement.GetProperty("runs")[0];
        var result = Assert.Single(sarifRun.GetProperty("results").EnumerateArray());
        Assert.Equal("SBX1001", result.GetProperty("ruleId").GetString());
        var location = result.GetProperty("locations")[0];
        var artifact = location.GetProperty("physicalLocation").GetProperty("artifactLocation");
        Assert.Equal("cluster://aks-test/tenant/Deployment/web", artifact.GetProperty("uri").GetString());
        Assert.False(artifact.TryGetProperty("uriBaseId", out _));
        Assert.False(location.GetProperty("physicalLocation").TryGetProperty("region", out _));
        Assert.Equal("Deployment/tenant/web/spec.template.spec.runtimeClassName",
            location.GetProperty("logicalLocations")[0].GetProperty("fullyQualifiedName").GetString());
        var invocation = sarifRun.GetProperty("invocations")[0];
        Assert.False(invocation.GetProperty("executionSuccessful").GetBoolean());
        var notification = Assert.Single(invocation.GetProperty("toolExecutionNotifications").EnumerateArray());
        Assert.Equal("cluster://aks-test/tenant/pods",
            notification.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
    }

    [Fact]
    public async Task A_clean_cluster_gives_sarif_with_an_empty_results_array()
    {
        var run = Audit("-f", "sarif");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var schema = await JsonSchema.FromFileAsync(SchemaPath());
        Assert.Empty(schema.Validate(run.Output));
        using var document = JsonDocument.Parse(run.Output);
        Assert.Equal(0, document.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength());
    }

    [Fact]
    public void Help_shows_the_options_and_examples()
    {
        var run = CliRunner.Run(_dir, "audit", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var expected in new[] { "--kubeconfig", "--context", "--namespace", "-A, --all-namespaces", "-f, --format", "-o, --output", "Examples:", "sandboxing audit -A" })
        {
            Assert.Contains(expected, run.Output);
        }
    }
}
