using System.Net;
using System.Net.Sockets;
using k8s;
using k8s.Models;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

public sealed class AuditTests : IAsyncLifetime
{
    private static readonly string[] s_allNamespacesLists =
    [
        "/apis/batch/v1/cronjobs", "/apis/apps/v1/deployments", "/apis/apps/v1/statefulsets", "/apis/apps/v1/daemonsets",
        "/apis/apps/v1/replicasets", "/apis/batch/v1/jobs", "/api/v1/pods",
    ];

    private FakeApiServer _server = null!;
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _client = _server.Client();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_sandboxed_cluster_is_clean_and_every_kind_is_listed_across_namespaces()
    {
        AuditCluster.Deployment(_server, "web", "tenant", AuditCluster.Kata);
        AuditCluster.BarePod(_server, "debug", "default", AuditCluster.Kata);

        var result = await _client.AuditSandboxingAsync();

        Assert.True(result.IsClean);
        Assert.Equal(s_allNamespacesLists.Order(), _server.Requests.Select(r => r.Path).Order()); // listed at once, in any order
        Assert.All(_server.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Empty(_server.Violations);
        Assert.Equal(4, result.Checked["tenant"]); // Deployment, ReplicaSet, two pods
        Assert.Equal(1, result.Checked["default"]);
    }

    [Fact]
    public async Task An_unsandboxed_deployment_is_reported_once_at_the_deployment_not_at_its_replica_set_or_pods()
    {
        AuditCluster.Deployment(_server, "web", "tenant", runtimeClass: null, pods: 3);

        var result = await _client.AuditSandboxingAsync();

        var reported = Assert.Single(result.Objects);
        Assert.Equal(("Deployment", "tenant", "web"), (reported.Kind, reported.Namespace, reported.Name));
        var finding = Assert.Single(reported.Findings);
        Assert.Equal("SBX1001", finding.RuleId);
        Assert.Equal("spec.template.spec.runtimeClassName", finding.Path);
        Assert.IsType<V1Deployment>(reported.Object);
        Assert.Equal("apps/v1", reported.Object.ApiVersion); // list items come without it
        Assert.Empty(result.Problems);
    }

    [Fact]
    public async Task A_bare_pod_on_runc_is_reported_and_a_finished_one_is_not()
    {
        AuditCluster.BarePod(_server, "shell", "tenant", "runc");
        AuditCluster.BarePod(_server, "done", "tenant", "runc", phase: "Succeeded");

        var result = await _client.AuditSandboxingAsync();

        var reported = Assert.Single(result.Objects);
        Assert.Equal(("Pod", "shell"), (reported.Kind, reported.Name));
        Assert.Equal("SBX1002", Assert.Single(reported.Findings).RuleId);
    }

    [Fact]
    public async Task An_exempt_workload_is_not_reported_unless_exemptions_are_refused()
    {
        var exempt = new Dictionary<string, string> { ["sandboxing.sdk/exempt"] = "node agent needs host networking" };
        AuditCluster.Deployment(_server, "agent", "tenant", runtimeClass: null, annotations: exempt);

        var honoured = await _client.AuditSandboxingAsync();
        var strict = await _client.AuditSandboxingAsync(new SandboxAuditOptions { Validation = new SandboxValidationOptions { HonorExemptions = false } });

        Assert.True(honoured.IsClean);
        Assert.Equal(("Deployment", "agent"), (Assert.Single(strict.Objects).Kind, strict.Objects[0].Name));
    }

    [Fact]
    public async Task A_forbidden_list_is_a_problem_naming_the_resource_and_verb_and_the_other_kinds_are_still_audited()
    {
        _server.FailPath("/apis/apps/v1/deployments", new Fault(403, "Forbidden",
            "deployments.apps is forbidden: User \"ci\" cannot list resource \"deployments\" in API group \"apps\" at the cluster scope"));
        AuditCluster.Deployment(_server, "web", "tenant", runtimeClass: null, pods: 1);
        AuditCluster.BarePod(_server, "shell", "tenant", "runc");

        var result = await _client.AuditSandboxingAsync();

        var problem = Assert.Single(result.Problems);
        Assert.Equal("deployments.apps", problem.Target);
        Assert.Null(problem.Namespace);
        Assert.Equal(HttpStatusCode.Forbidden, problem.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, Assert.IsType<SandboxDeployException>(problem.InnerException).StatusCode);
        Assert.Contains("Cannot list deployments.apps in all namespaces: 403 Forbidden", problem.Message);
        Assert.Contains("cannot list resource \"deployments\"", problem.Message);
        Assert.Contains("'list' verb on deployments.apps", problem.Message);
        Assert.Contains("kubectl create clusterrole sandboxing-audit --verb=list --resource=deployments.apps", problem.Message);
        // Without the Deployment, its ReplicaSet is where the problem shows; the bare pod is still found.
        Assert.Equal(["ReplicaSet/web-6d4cf56db6", "Pod/shell"], result.Objects.Select(o => $"{o.Kind}/{o.Name}"));
        Assert.Equal(s_allNamespacesLists.Order(), _server.Requests.Select(r => r.Path).Order()); // 403 is not retried
        Assert.False(result.IsClean);
    }

    [Fact]
    public async Task Namespaces_and_a_label_selector_are_sent_to_the_namespaced_lists()
    {
        AuditCluster.Deployment(_server, "web", "tenant", runtimeClass: null, labels: new Dictionary<string, string> { ["team"] = "a" });
        AuditCluster.Deployment(_server, "api", "tenant", runtimeClass: null, labels: new Dictionary<string, string> { ["team"] = "b" });
        AuditCluster.Deployment(_server, "other", "default", runtimeClass: null, labels: new Dictionary<string, string> { ["team"] = "a" });

        var result = await _client.AuditSandboxingAsync(new SandboxAuditOptions { Namespaces = ["tenant"], LabelSelector = "team=a" });

        Assert.Equal(("Deployment", "tenant", "web"), (Assert.Single(result.Objects).Kind, result.Objects[0].Namespace, result.Objects[0].Name));
        Assert.Equal(s_allNamespacesLists.Select(p => p.Replace("/v1/", "/v1/namespaces/tenant/", StringComparison.Ordinal)).Order(), _server.Requests.Select(r => r.Path).Order());
        Assert.All(_server.Requests, r => Assert.Equal("team=a", r.Query["labelSelector"]));
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task Long_lists_are_read_page_by_page()
    {
        for (int i = 0; i < 5; i++)
        {
            AuditCluster.BarePod(_server, $"shell-{i}", "tenant", runtimeClass: null);
        }

        var result = await _client.AuditSandboxingAsync(new SandboxAuditOptions { PageSize = 2 });

        Assert.Equal(5, result.Objects.Count);
        var pods = _server.Requests.Where(r => r.Path == "/api/v1/pods").ToList();
        Assert.Equal(3, pods.Count);
        Assert.Equal([null, "2", "4"], pods.Select(p => p.Query.GetValueOrDefault("continue")));
        Assert.All(pods, p => Assert.Equal("2", p.Query["limit"]));
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task Rejected_credentials_stop_the_audit_with_the_servers_answer()
    {
        _server.FailPath("/apis/batch/v1/cronjobs", new Fault(401, "Unauthorized", "Unauthorized"));

        var ex = await Assert.ThrowsAsync<SandboxDeployException>(() => _client.AuditSandboxingAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Contains("az aks get-credentials", ex.Message);
        Assert.Single(_server.Requests, r => r.Path == "/apis/batch/v1/cronjobs"); // not retried
        Assert.True(_server.Requests.Count <= s_allNamespacesLists.Length, "no kind reads a second page or retries after the audit failed");
    }

    [Fact]
    public async Task A_namespace_that_is_not_a_name_is_refused_before_any_request()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.AuditSandboxingAsync(new SandboxAuditOptions { Namespaces = ["Tenant_1"] }));

        Assert.Contains("Namespace 'Tenant_1' is not a namespace name", ex.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task An_unreachable_cluster_throws_cluster_unreachable_with_the_address()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{port}/" });

        var ex = await DeployErrors.ThrowsAsync(SandboxDeployReason.ClusterUnreachable, () =>
            client.AuditSandboxingAsync(new SandboxAuditOptions { Retry = SandboxRetryPolicy.None }));

        Assert.Contains($"Could not reach the Kubernetes API server at http://127.0.0.1:{port}/ to list CronJob", ex.Message);
    }
}
