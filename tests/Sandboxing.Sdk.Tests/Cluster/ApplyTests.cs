using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Sandboxing.Sdk.Aks;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

public sealed class ApplyTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _server.AddAksRuntimeClass();
        _client = _server.Client();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(ClusterObjects.Kinds), MemberType = typeof(ClusterObjects))]
    public async Task Applies_each_kind_with_one_apply_patch_and_returns_the_server_answer(string kind)
    {
        var (obj, path, apiVersion) = ClusterObjects.Of(kind);

        var applied = await _client.ApplySandboxedAsync(obj, "acme-platform");

        var request = Assert.Single(_server.Requests);
        Assert.Equal("PATCH", request.Method);
        Assert.Equal(path, request.Path);
        Assert.StartsWith("application/apply-patch+yaml", request.ContentType);
        Assert.Equal("acme-platform", request.Query["fieldManager"]);
        Assert.Equal("false", request.Query["force"]);
        Assert.False(request.Query.ContainsKey("dryRun"));
        Assert.Equal("Strict", request.Query["fieldValidation"]);
        Assert.Empty(_server.Violations);

        // The body is the object itself, with apiVersion and kind, parseable as YAML.
        var sent = Assert.Single(KubernetesYaml.LoadAllFromString(request.Body));
        Assert.IsType(obj.GetType(), sent);
        Assert.Equal(apiVersion, ((IKubernetesObject)sent).ApiVersion);
        Assert.Equal(kind, ((IKubernetesObject)sent).Kind);

        // The answer is the server's object, typed, with its managed fields.
        Assert.IsType(obj.GetType(), applied);
        Assert.Equal(obj.Metadata.Name, applied.Metadata.Name);
        Assert.False(string.IsNullOrEmpty(applied.Metadata.Uid));
        Assert.False(string.IsNullOrEmpty(applied.Metadata.ResourceVersion));
        var managed = Assert.Single(applied.Metadata.ManagedFields);
        Assert.Equal(("acme-platform", "Apply", apiVersion, "FieldsV1"), (managed.Manager, managed.Operation, managed.ApiVersion, managed.FieldsType));
        Assert.NotNull(_server.Stored(path));
    }

    [Fact]
    public async Task Sends_the_sandboxed_pod_spec_and_leaves_the_callers_object_alone()
    {
        var job = ClusterObjects.Job();
        job.Metadata.ResourceVersion = "77";
        job.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "old", Operation = "Apply" }];

        var applied = await _client.ApplySandboxedAsync(job, "acme-platform");

        var body = JsonNode.Parse(_server.Requests.Single().Body)!;
        Assert.Equal("kata-vm-isolation", (string?)body["spec"]!["template"]!["spec"]!["runtimeClassName"]);
        Assert.Equal("1Gi", (string?)body["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"]!["limits"]!["memory"]);
        Assert.Null(body["metadata"]!["managedFields"]);
        Assert.Null(body["metadata"]!["resourceVersion"]);
        Assert.Null(body["status"]);
        Assert.Equal("77", job.Metadata.ResourceVersion);
        Assert.Equal("old", Assert.Single(job.Metadata.ManagedFields).Manager);
        Assert.Equal("kata-vm-isolation", applied.Spec.Template.Spec.RuntimeClassName);
    }

    [Fact]
    public async Task Force_and_dry_run_go_into_the_query_and_dry_run_stores_nothing()
    {
        var job = ClusterObjects.Job();

        await _client.ApplySandboxedAsync(job, "acme-platform", new SandboxApplyOptions { Force = true, DryRun = true });

        var request = Assert.Single(_server.Requests);
        Assert.Equal("true", request.Query["force"]);
        Assert.Equal("All", request.Query["dryRun"]);
        Assert.Null(_server.Stored("/apis/batch/v1/namespaces/tenant/jobs/build-42"));
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task Default_namespace_fills_in_a_missing_namespace_in_the_path_and_body()
    {
        var pod = TestObjects.Pod("probe").Sandbox();
        pod.Metadata.NamespaceProperty = null;

        await _client.ApplySandboxedAsync(pod, "acme-platform", new SandboxApplyOptions { DefaultNamespace = "default" });

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/api/v1/namespaces/default/pods/probe", request.Path);
        Assert.Equal("default", (string?)JsonNode.Parse(request.Body)!["metadata"]!["namespace"]);
        Assert.Null(pod.Metadata.NamespaceProperty);
    }

    [Fact]
    public async Task Refuses_an_unsandboxed_object_without_sending_anything()
    {
        var deployment = TestObjects.Deployment();

        var ex = await Assert.ThrowsAsync<SandboxValidationException>(() => _client.ApplySandboxedAsync(deployment, "acme-platform"));

        Assert.Contains(ex.Findings, f => f.RuleId == "SBX1001");
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("runc", "SBX1002")]
    [InlineData("kata-mshv-vm-isolation", "SBX1003")]
    public async Task Refuses_a_non_sandbox_or_obsolete_runtime_class(string runtimeClass, string rule)
    {
        var job = ClusterObjects.Job();
        job.Spec.Template.Spec.RuntimeClassName = runtimeClass;

        var ex = await Assert.ThrowsAsync<SandboxValidationException>(() => _client.ApplySandboxedAsync(job, "acme-platform"));

        Assert.Contains(ex.Findings, f => f.RuleId == rule);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Refuses_an_error_finding_such_as_host_network()
    {
        var pod = TestObjects.Pod().Sandbox();
        pod.Spec.HostNetwork = true;

        var ex = await Assert.ThrowsAsync<SandboxValidationException>(() => _client.ApplySandboxedAsync(pod, "acme-platform"));

        Assert.Contains(ex.Findings, f => f.RuleId == "SBX2001");
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Applies_an_object_that_opted_out_with_a_reason()
    {
        var daemonSet = TestObjects.DaemonSet();
        daemonSet.Metadata.Annotations = new Dictionary<string, string> { [SandboxAnnotations.Exempt] = "node agent needs the host kernel" };

        await _client.ApplySandboxedAsync(daemonSet, "acme-platform");

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_batch_with_one_unsandboxed_object_sends_nothing_and_lists_it()
    {
        var good = ClusterObjects.Job();
        var bad = TestObjects.Pod("naked");

        var ex = await Assert.ThrowsAsync<SandboxValidationException>(() =>
            _client.ApplySandboxedAsync([good, bad], "acme-platform"));

        Assert.Contains(ex.Findings, f => f.Name == "naked" && f.RuleId == "SBX1001");
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_batch_applies_namespaces_and_runtime_classes_before_workloads()
    {
        var job = ClusterObjects.Job(ns: "tenant-new");
        var runtimeClass = SandboxRuntime.Define("small-kata").Build().ToRuntimeClass();
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = "tenant-new" } };

        var applied = await _client.ApplySandboxedAsync([job, runtimeClass, ns], "acme-platform");

        Assert.Equal(["/api/v1/namespaces/tenant-new", "/apis/node.k8s.io/v1/runtimeclasses/small-kata", "/apis/batch/v1/namespaces/tenant-new/jobs/build-42"],
            _server.Requests.Select(r => r.Path));
        Assert.Collection(applied, a => Assert.IsType<V1Namespace>(a), a => Assert.IsType<V1RuntimeClass>(a), a => Assert.IsType<V1Job>(a));
        Assert.Empty(_server.Violations);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task A_missing_field_manager_is_an_argument_error_before_any_request(string? manager)
    {
        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => _client.ApplySandboxedAsync(ClusterObjects.Job(), manager!));

        Assert.Equal("fieldManager", ex.ParamName);
        Assert.Contains("field manager is required", ex.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task An_object_without_a_name_is_an_argument_error_naming_the_field()
    {
        var job = ClusterObjects.Job();
        job.Metadata.Name = null;

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.ApplySandboxedAsync(job, "acme-platform"));

        Assert.Equal("obj.metadata.name", ex.ParamName);
        Assert.Contains("metadata.name", ex.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_namespaced_object_without_a_namespace_is_an_argument_error_naming_the_field()
    {
        var job = ClusterObjects.Job();
        job.Metadata.NamespaceProperty = null;

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.ApplySandboxedAsync(job, "acme-platform"));

        Assert.Equal("obj.metadata.namespace", ex.ParamName);
        Assert.Contains("DefaultNamespace", ex.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_cluster_scoped_object_with_a_namespace_is_refused()
    {
        var runtimeClass = SandboxRuntime.Define("small-kata").Build().ToRuntimeClass();
        runtimeClass.Metadata.NamespaceProperty = "tenant";

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.ApplySandboxedAsync(runtimeClass, "acme-platform"));

        Assert.Contains("cluster-scoped", ex.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task An_unsupported_kind_is_refused_with_the_supported_list()
    {
        var service = new V1Service { Metadata = new V1ObjectMeta { Name = "svc", NamespaceProperty = "tenant" } }.Initialize();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.ApplySandboxedAsync(service, "acme-platform"));

        Assert.Contains("V1Service", ex.Message);
        Assert.Contains("CronJob", ex.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_cancelled_token_sends_nothing()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.ApplySandboxedAsync(ClusterObjects.Job(), "acme-platform", cancellationToken: cts.Token));

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Preflight_on_apply_refuses_to_send_when_the_cluster_is_not_ready()
    {
        // The RuntimeClass exists but no node carries its label.
        var ex = await DeployErrors.ThrowsAsync(SandboxDeployReason.NotReady, () =>
            _client.ApplySandboxedAsync(ClusterObjects.Job(), "acme-platform", new SandboxApplyOptions { Preflight = true }));

        Assert.Contains("kubernetes.azure.com/kata-vm-isolation=true", ex.Message);
        Assert.Contains("--workload-runtime KataVmIsolation", ex.Message);
        Assert.DoesNotContain(_server.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public async Task Preflight_on_apply_sends_when_the_cluster_is_ready()
    {
        _server.AddNode("aks-kata-1", new Dictionary<string, string> { ["kubernetes.azure.com/kata-vm-isolation"] = "true" });

        await _client.ApplySandboxedAsync(ClusterObjects.Job(), "acme-platform", new SandboxApplyOptions { Preflight = true });

        Assert.Single(_server.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public async Task Applies_an_agent_sandbox_through_the_custom_objects_API_and_returns_it_unstructured()
    {
        var sandbox = Sandboxing.Sdk.Sandboxed.Pod("coder").InNamespace("tenant")
            .WithContainer("coder", "python:3.12-slim", c => c.WithResources(cpu: "1", memory: "1Gi")).Build().ToAgentSandbox();

        var applied = await _client.ApplySandboxedAsync(sandbox, "acme-platform");

        var request = Assert.Single(_server.Requests);
        Assert.Equal(("PATCH", "/apis/agents.x-k8s.io/v1beta1/namespaces/tenant/sandboxes/coder"), (request.Method, request.Path));
        Assert.StartsWith("application/apply-patch+yaml", request.ContentType);
        Assert.Empty(_server.Violations);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("kata-vm-isolation", (string?)body["spec"]!["podTemplate"]!["spec"]!["runtimeClassName"]);
        Assert.Null(body["fields"]); // the fields are the object's own, not a property

        Assert.IsType<UnstructuredObject>(applied);
        Assert.False(string.IsNullOrEmpty(applied.Metadata.Uid));
        Assert.Equal("kata-vm-isolation", applied.Get("spec.podTemplate.spec.runtimeClassName"));
    }

    [Fact]
    public async Task Refuses_an_unsandboxed_custom_resource_and_one_the_registry_does_not_know_without_sending_anything()
    {
        var bare = (UnstructuredObject)Sandboxing.Sdk.SandboxManifest.Read(
            "apiVersion: agents.x-k8s.io/v1beta1\nkind: Sandbox\nmetadata: {name: bare, namespace: tenant}\nspec:\n  podTemplate:\n    spec:\n      containers: [{name: a, image: busybox}]\n")[0];
        await Assert.ThrowsAsync<SandboxValidationException>(() => _client.ApplySandboxedAsync(bare, "acme-platform"));

        var monitor = new UnstructuredObject("monitoring.coreos.com/v1", "ServiceMonitor") { Metadata = new V1ObjectMeta { Name = "m", NamespaceProperty = "tenant" } };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => _client.ApplySandboxedAsync(monitor, "acme-platform"));
        Assert.Contains("ServiceMonitor (monitoring.coreos.com/v1) cannot be applied by the SDK", e.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Applies_the_defaulting_policy_with_its_mutating_policy_and_exemptions_ConfigMap()
    {
        var policy = Sandboxing.Sdk.SandboxPolicy.DefaultToSandbox().WithExemptionConfigMap("tenant");
        var objects = policy.ToObjects().Cast<IKubernetesObject<V1ObjectMeta>>().ToList();

        await _client.ApplySandboxedAsync(objects, "acme-platform");

        var paths = _server.Requests.Select(r => r.Path).ToList();
        Assert.Contains("/api/v1/namespaces/tenant/configmaps/sandboxing-exemptions", paths);
        Assert.Contains(paths, p => p.StartsWith("/apis/admissionregistration.k8s.io/v1/mutatingadmissionpolicies/", StringComparison.Ordinal));
        Assert.Contains(paths, p => p.StartsWith("/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/", StringComparison.Ordinal));
        Assert.Empty(_server.Violations);
    }
}
