using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Sandboxing.Sdk.Aks;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

public sealed class ErrorTests : IAsyncLifetime
{
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
    public async Task A_missing_runtime_class_becomes_an_exception_with_the_az_command()
    {
        var pod = TestObjects.Pod("runner").Sandbox();

        var ex = await DeployErrors.ThrowsAsync(SandboxDeployReason.RuntimeClassNotFound, () => _client.ApplySandboxedAsync(pod, "acme-platform"));

        Assert.Equal("kata-vm-isolation", ex.RuntimeClassName);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Equal("Forbidden", ex.Status?.Reason);
        Assert.Equal("Pod tenant/runner", ex.Target);
        Assert.Contains("pod rejected: RuntimeClass \"kata-vm-isolation\" not found", ex.Message);
        Assert.Contains("az aks nodepool add", ex.Message);
        Assert.Contains("--os-sku AzureLinux --workload-runtime KataVmIsolation", ex.Message);
        Assert.Single(_server.Requests); // 403 is not retried
    }

    [Fact]
    public async Task A_missing_custom_runtime_class_says_which_runtime_class_to_create()
    {
        var small = SandboxRuntime.Define("small-kata-pods").WithOverhead(memory: "120Mi").Build();
        var pod = TestObjects.Pod().Sandbox(small);

        var options = new SandboxApplyOptions { Validation = new Sandboxing.Sdk.SandboxValidationOptions { Runtime = small } };

        var ex = await DeployErrors.ThrowsAsync(SandboxDeployReason.RuntimeClassNotFound, () => _client.ApplySandboxedAsync(pod, "acme-platform", options));

        Assert.Equal("small-kata-pods", ex.RuntimeClassName);
        Assert.Contains("kind: RuntimeClass", ex.Message);
        Assert.Contains("handler: kata", ex.Message);
    }

    [Fact]
    public async Task An_apply_conflict_lists_the_fields_and_their_managers_and_force_takes_them_over()
    {
        const string path = "/apis/apps/v1/namespaces/tenant/deployments/web";
        var existing = Sandboxed.Deployment("web").InNamespace("tenant").WithReplicas(5)
            .WithContainer("web", "nginx:1.27", c => c.WithResources(cpu: "500m", memory: "256Mi")).Build();
        _server.Seed(path, existing);
        _server.Own(path, "kubectl-edit", ".spec.replicas");
        var mine = Sandboxed.Deployment("web").InNamespace("tenant").WithReplicas(2)
            .WithContainer("web", "nginx:1.27", c => c.WithResources(cpu: "500m", memory: "256Mi")).Build();

        var ex = await DeployErrors.ThrowsAsync(SandboxDeployReason.ApplyConflict, () => _client.ApplySandboxedAsync(mine, "acme-platform"));

        var conflict = Assert.Single(ex.Fields);
        Assert.Equal(("kubectl-edit", ".spec.replicas"), (conflict.Manager, conflict.Field));
        Assert.Null(conflict.Reason);
        Assert.Equal(HttpStatusCode.Conflict, ex.StatusCode);
        Assert.Contains(".spec.replicas is owned by \"kubectl-edit\"", ex.Message);
        Assert.Contains("Force = true", ex.Message);

        var applied = await _client.ApplySandboxedAsync(mine, "acme-platform", new SandboxApplyOptions { Force = true });
        Assert.Equal(2, applied.Spec.Replicas);
        Assert.Equal("true", _server.Requests[^1].Query["force"]);
    }

    [Fact]
    public async Task An_invalid_object_lists_each_cause_with_its_field_path()
    {
        var job = ClusterObjects.Job();
        job.Spec.Template.Spec.Containers[0].Image = null;

        var ex = await DeployErrors.ThrowsAsync(SandboxDeployReason.InvalidObject, () => _client.ApplySandboxedAsync(job, "acme-platform"));

        var cause = Assert.Single(ex.Fields);
        Assert.Equal(("spec.template.spec.containers[0].image", "FieldValueRequired"), (cause.Field, cause.Reason));
        Assert.Null(cause.Manager);
        Assert.Contains("spec.template.spec.containers[0].image: Required value", ex.Message);
        Assert.Equal((HttpStatusCode)422, ex.StatusCode);
    }

    [Fact]
    public async Task A_missing_namespace_says_how_to_create_it()
    {
        var job = ClusterObjects.Job(ns: "tenant-99");

        var ex = await DeployErrors.ThrowsAsync(SandboxDeployReason.NamespaceNotFound, () => _client.ApplySandboxedAsync(job, "acme-platform"));

        Assert.Equal("tenant-99", ex.Namespace);
        Assert.Contains("kubectl create namespace tenant-99", ex.Message);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Too_many_requests_is_retried_after_the_servers_retry_after_seconds()
    {
        var retry = ClusterObjects.RecordingRetry();
        _server.Enqueue(new Fault(429, "TooManyRequests", "Too many requests, please try again later.", new Dictionary<string, string> { ["Retry-After"] = "7" }));
        _server.AddAksRuntimeClass();

        var applied = await _client.ApplySandboxedAsync(ClusterObjects.Job(), "acme-platform", new SandboxApplyOptions { Retry = retry.Policy });

        Assert.Equal("build-42", applied.Metadata.Name);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(7)], retry.Waits);
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_honoured()
    {
        var retry = ClusterObjects.RecordingRetry();
        string date = DateTimeOffset.UtcNow.AddSeconds(20).ToString("r", CultureInfo.InvariantCulture);
        _server.Enqueue(new Fault(503, "ServiceUnavailable", "etcd leader changed", new Dictionary<string, string> { ["Retry-After"] = date }));

        await _client.ApplySandboxedAsync(ClusterObjects.Job(), "acme-platform", new SandboxApplyOptions { Retry = retry.Policy });

        var wait = Assert.Single(retry.Waits);
        Assert.InRange(wait, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Retry_after_seconds_in_the_status_details_is_honoured()
    {
        var retry = ClusterObjects.RecordingRetry();
        _server.Enqueue(new Fault(429, "TooManyRequests", "storage is (re)initializing", Details: new JsonObject { ["retryAfterSeconds"] = 3 }));

        await _client.ApplySandboxedAsync(ClusterObjects.Job(), "acme-platform", new SandboxApplyOptions { Retry = retry.Policy });

        Assert.Equal([TimeSpan.FromSeconds(3)], retry.Waits);
    }

    [Fact]
    public async Task Server_errors_back_off_exponentially_and_stop_after_max_attempts()
    {
        var retry = ClusterObjects.RecordingRetry(maxAttempts: 4);
        for (int i = 0; i < 5; i++)
        {
            _server.Enqueue(new Fault(500, "InternalError", "Internal error occurred: etcdserver: request timed out"));
        }

        var ex = await Assert.ThrowsAsync<SandboxDeployException>(() =>
            _client.ApplySandboxedAsync(ClusterObjects.Job(), "acme-platform", new SandboxApplyOptions { Retry = retry.Policy }));

        Assert.Equal(4, _server.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)], retry.Waits);
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Contains("after 4 attempts", ex.Message);
        Assert.Contains("etcdserver: request timed out", ex.Message);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_policy_allows_fails_at_once()
    {
        var retry = ClusterObjects.RecordingRetry();
        _server.Enqueue(new Fault(429, "TooManyRequests", "slow down", new Dictionary<string, string> { ["Retry-After"] = "3600" }));

        var ex = await Assert.ThrowsAsync<SandboxDeployException>(() =>
            _client.ApplySandboxedAsync(ClusterObjects.Job(), "acme-platform", new SandboxApplyOptions { Retry = retry.Policy }));

        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Contains("retry after 3600s", ex.Message);
        Assert.Single(_server.Requests);
        Assert.Empty(retry.Waits);
    }

    [Fact]
    public async Task Cancellation_during_backoff_stops_the_retries()
    {
        using var cts = new CancellationTokenSource();
        var policy = new SandboxRetryPolicy
        {
            AttemptTimeout = Timeout.InfiniteTimeSpan,
            Deadline = Timeout.InfiniteTimeSpan,
            TimeProvider = new InstantTimeProvider(onTimer: _ => cts.Cancel(), fire: false),
        };
        _server.Enqueue(new Fault(503, "ServiceUnavailable", "unavailable"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _client.ApplySandboxedAsync(ClusterObjects.Job(), "acme-platform", new SandboxApplyOptions { Retry = policy }, cts.Token));

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Rbac_forbidden_says_which_verb_to_grant_and_is_not_retried()
    {
        _server.Enqueue(new Fault(403, "Forbidden", "jobs.batch \"build-42\" is forbidden: User \"ci\" cannot patch resource \"jobs\" in API group \"batch\" in the namespace \"tenant\""));

        var ex = await Assert.ThrowsAsync<SandboxDeployException>(() => _client.ApplySandboxedAsync(ClusterObjects.Job(), "acme-platform"));

        Assert.NotEqual(SandboxDeployReason.RuntimeClassNotFound, ex.Reason);
        Assert.Contains("cannot patch resource", ex.Message);
        Assert.Contains("'patch'", ex.Message);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_clear_exception_after_the_retries()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{port}" });
        var retry = ClusterObjects.RecordingRetry(maxAttempts: 3);

        var ex = await DeployErrors.ThrowsAsync(SandboxDeployReason.ClusterUnreachable, () =>
            client.ApplySandboxedAsync(ClusterObjects.Job(), "acme-platform", new SandboxApplyOptions { Retry = retry.Policy }));

        Assert.Equal(3, ex.Attempts);
        Assert.Equal(2, retry.Waits.Count);
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
        Assert.Contains("Could not reach the Kubernetes API server", ex.Message);
        Assert.IsAssignableFrom<HttpRequestException>(ex.InnerException);
        Assert.Contains("az aks get-credentials --resource-group <rg> --name <cluster>", ex.Message); // unknown here: placeholders
    }

    [Fact]
    public async Task The_unreachable_preflight_names_the_cluster_and_group_it_was_given()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{port}" });
        var options = new SandboxReadinessOptions
        {
            ClusterName = "prod-aks",
            ResourceGroup = "rg platform",
            Retry = ClusterObjects.RecordingRetry(maxAttempts: 1).Policy,
        };

        var ex = await DeployErrors.ThrowsAsync(SandboxDeployReason.ClusterUnreachable, () => client.CheckSandboxReadinessAsync(options));

        Assert.Contains("az aks get-credentials --resource-group 'rg platform' --name prod-aks.", ex.Message);
        Assert.DoesNotContain("<rg>", ex.Message);
        Assert.DoesNotContain("<cluster>", ex.Message);
    }
}
