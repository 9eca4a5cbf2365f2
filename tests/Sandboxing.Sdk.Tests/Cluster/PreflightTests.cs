using k8s;
using k8s.Models;
using Sandboxing.Sdk.Aks;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

public sealed class PreflightTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> KataLabel = new() { ["kubernetes.azure.com/kata-vm-isolation"] = "true" };

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

    private Task<SandboxReadinessReport> Check(params object[] workloads) =>
        _client.CheckSandboxReadinessAsync(new SandboxReadinessOptions { Workloads = workloads, ClusterName = "aks-prod", ResourceGroup = "rg-prod" });

    [Fact]
    public async Task A_ready_cluster_passes_every_check_and_reads_the_runtime_class_nodes_and_namespace()
    {
        _server.AddAksRuntimeClass();
        _server.AddNode("aks-kata-1", KataLabel);
        _server.AddNode("aks-system-1", new Dictionary<string, string> { ["kubernetes.azure.com/mode"] = "system" });

        var report = await Check(ClusterObjects.Job());

        Assert.True(report.IsReady, report.ToString());
        Assert.All(report.Checks, c => Assert.Equal(ReadinessStatus.Passed, c.Status));
        Assert.Equal(["aks-kata-1"], report.Nodes.Select(n => n.Name));
        Assert.Equal("kata", report.RuntimeClasses["kata-vm-isolation"]!.Handler);
        var requests = _server.Requests;
        Assert.All(requests, r => Assert.Equal("GET", r.Method));
        Assert.Contains(requests, r => r.Path == "/apis/node.k8s.io/v1/runtimeclasses/kata-vm-isolation");
        Assert.Contains(requests, r => r.Path == "/api/v1/nodes" && r.Query["labelSelector"] == "kubernetes.azure.com/kata-vm-isolation=true");
        Assert.Contains(requests, r => r.Path == "/api/v1/namespaces/tenant");
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task A_missing_runtime_class_fails_with_the_az_command_for_the_named_cluster()
    {
        var report = await Check(ClusterObjects.Job());

        Assert.False(report.IsReady);
        var failure = Assert.Single(report.Failures, c => c.Name == "RuntimeClass kata-vm-isolation");
        Assert.Contains("RuntimeClass \"kata-vm-isolation\" not found", failure.Message);
        Assert.Contains("az aks nodepool add --resource-group rg-prod --cluster-name aks-prod", failure.Fix);
        Assert.Contains("--workload-runtime KataVmIsolation", failure.Fix);
        Assert.Null(report.RuntimeClasses["kata-vm-isolation"]);
        // Without a RuntimeClass the SDK still knows the AKS label and looks for nodes.
        Assert.Contains(_server.Requests, r => r.Path == "/api/v1/nodes" && r.Query["labelSelector"] == "kubernetes.azure.com/kata-vm-isolation=true");
        Assert.Contains("[FAIL] RuntimeClass kata-vm-isolation", report.ToString());
    }

    [Fact]
    public async Task A_custom_runtime_class_that_is_missing_gets_its_yaml_as_the_fix()
    {
        var small = SandboxRuntime.Define("small-kata-pods").WithOverhead(memory: "120Mi").WithNodeSelector("pool", "kata").Build();

        var report = await _client.CheckSandboxReadinessAsync(new SandboxReadinessOptions { Runtime = small });

        var failure = Assert.Single(report.Failures, c => c.Name == "RuntimeClass small-kata-pods");
        Assert.Contains("kind: RuntimeClass", failure.Fix);
        Assert.Contains("memory: 120Mi", failure.Fix);
        Assert.Contains(_server.Requests, r => r.Path == "/api/v1/nodes" && r.Query["labelSelector"] == "pool=kata");
    }

    [Fact]
    public async Task Labelled_nodes_that_are_not_ready_or_cordoned_fail_the_node_check()
    {
        _server.AddAksRuntimeClass();
        _server.AddNode("aks-kata-1", KataLabel, ready: false);
        _server.AddNode("aks-kata-2", KataLabel, cordoned: true);

        var report = await Check(ClusterObjects.Job());

        var failure = Assert.Single(report.Failures, c => c.Name == "Nodes for kata-vm-isolation");
        Assert.Contains("aks-kata-1 (NotReady)", failure.Message);
        Assert.Contains("aks-kata-2 (cordoned)", failure.Message);
        Assert.Contains("kubectl uncordon", failure.Fix);
    }

    [Fact]
    public async Task No_labelled_node_fails_with_the_node_pool_command()
    {
        _server.AddAksRuntimeClass();
        _server.AddNode("aks-system-1", new Dictionary<string, string> { ["kubernetes.azure.com/mode"] = "system" });

        var report = await Check(ClusterObjects.Job());

        var failure = Assert.Single(report.Failures);
        Assert.Equal("Nodes for kata-vm-isolation", failure.Name);
        Assert.Contains("no node has the label kubernetes.azure.com/kata-vm-isolation=true", failure.Message);
        Assert.Contains("--os-sku AzureLinux --workload-runtime KataVmIsolation", failure.Fix);
        Assert.Empty(report.Nodes);
    }

    [Fact]
    public async Task A_handler_other_than_the_expected_one_is_a_warning()
    {
        _server.AddAksRuntimeClass(handler: "runc");
        _server.AddNode("aks-kata-1", KataLabel);

        var report = await Check(ClusterObjects.Job());

        Assert.True(report.IsReady);
        var warning = Assert.Single(report.Checks, c => c.Status == ReadinessStatus.Warning);
        Assert.Contains("handler is 'runc' where 'kata' was expected", warning.Message);
    }

    [Fact]
    public async Task A_missing_namespace_fails_unless_the_batch_creates_it()
    {
        _server.AddAksRuntimeClass();
        _server.AddNode("aks-kata-1", KataLabel);
        var job = ClusterObjects.Job(ns: "tenant-7");

        var missing = await Check(job);
        var created = await Check(job, new V1Namespace { Metadata = new V1ObjectMeta { Name = "tenant-7" } });

        Assert.Contains("kubectl create namespace tenant-7", Assert.Single(missing.Failures).Fix);
        Assert.True(created.IsReady, created.ToString());
    }

    [Fact]
    public async Task Pods_are_sized_with_the_clusters_runtime_class_overhead()
    {
        _server.AddAksRuntimeClass();
        _server.AddNode("aks-kata-1", KataLabel, cpu: "4", memory: "16Gi");

        var report = await Check(ClusterObjects.Job(memory: "1Gi", cpu: "1", parallelism: 3));

        var footprint = Assert.Single(report.Footprints);
        Assert.Equal(3, footprint.Pods);
        Assert.Equal(1m, footprint.CpuCores);
        Assert.Equal((1024m + 600m) * 1024 * 1024, footprint.MemoryBytes);
        Assert.Equal(600m * 1024 * 1024, footprint.OverheadMemoryBytes);
        Assert.Contains("3 pods fit on 1 Ready node", Assert.Single(report.Checks, c => c.Name == "Capacity for kata-vm-isolation").Message);
    }

    [Fact]
    public async Task Pods_that_do_not_fit_fail_with_how_many_and_what_to_do()
    {
        _server.AddAksRuntimeClass();
        _server.AddNode("aks-kata-1", KataLabel, cpu: "4", memory: "4Gi");
        _server.AddNode("aks-kata-2", KataLabel, cpu: "4", memory: "4Gi");

        // 2Gi + 600Mi overhead per pod: one per 4Gi node, so 2 of 5 fit.
        var report = await Check(ClusterObjects.Job(memory: "2Gi", cpu: "500m", parallelism: 5));

        var failure = Assert.Single(report.Failures);
        Assert.Equal("Capacity for kata-vm-isolation", failure.Name);
        Assert.Contains("3 pods of Job tenant/build-42 do not fit on the 2 Ready nodes", failure.Message);
        Assert.Contains("az aks nodepool scale --resource-group rg-prod --cluster-name aks-prod", failure.Fix);
    }

    [Fact]
    public async Task A_pod_bigger_than_any_node_says_so()
    {
        _server.AddAksRuntimeClass();
        _server.AddNode("aks-kata-1", KataLabel, cpu: "2", memory: "8Gi");

        var report = await Check(ClusterObjects.Job(memory: "8Gi", cpu: "1"));

        Assert.Contains("needs 1 CPU, 8792Mi (overhead included) but the largest node, aks-kata-1, has 2 CPU, 8Gi allocatable", Assert.Single(report.Failures).Message);
    }

    [Fact]
    public async Task Tainted_sandbox_nodes_need_a_toleration()
    {
        _server.AddAksRuntimeClass();
        _server.AddNode("aks-kata-1", KataLabel, taints: new V1Taint { Key = "sandbox", Value = "kata", Effect = "NoSchedule" });
        var tolerating = Sandboxed.Job("tolerant").InNamespace("tenant").WithToleration("sandbox", "kata")
            .WithContainer("run", "registry.example.com/runner:1.0", c => c.WithResources(cpu: "1", memory: "1Gi")).Build();

        var withoutToleration = await Check(ClusterObjects.Job());
        var withToleration = await Check(tolerating);

        Assert.Contains("tolerates none of the nodes' taints (sandbox=kata:NoSchedule)", Assert.Single(withoutToleration.Failures).Message);
        Assert.True(withToleration.IsReady, withToleration.ToString());
    }

    [Fact]
    public async Task A_capacity_check_from_the_caller_replaces_the_built_in_one()
    {
        _server.AddAksRuntimeClass();
        _server.AddNode("aks-kata-1", KataLabel);
        IReadOnlyList<PodFootprint>? seenPods = null;
        IReadOnlyList<NodeCapacity>? seenNodes = null;
        var options = new SandboxReadinessOptions
        {
            Workloads = [ClusterObjects.Job(parallelism: 2)],
            CapacityCheck = (pods, nodes) =>
            {
                (seenPods, seenNodes) = (pods, nodes);
                return new ReadinessCheck("Capacity plan", ReadinessStatus.Failed, "the plan needs 3 nodes", "az aks nodepool scale … --node-count 3");
            },
        };

        var report = await _client.CheckSandboxReadinessAsync(options);

        Assert.Equal("Capacity plan", Assert.Single(report.Failures).Name);
        Assert.Equal(2, Assert.Single(seenPods!).Pods);
        Assert.Equal("aks-kata-1", Assert.Single(seenNodes!).Name);
    }

    [Fact]
    public async Task A_node_pool_in_the_options_makes_its_capacity_plan_the_capacity_check()
    {
        _server.AddAksRuntimeClass();
        _server.AddNode("aks-kata-1", KataLabel);
        var pool = AksNodePool.ForSandboxing("kata").InCluster("aks-prod", "rg-prod").WithVmSize("Standard_D4s_v5").WithNodeCount(1).WithMaxPods(30).Build();
        var options = new SandboxReadinessOptions { Workloads = [ClusterObjects.Job(parallelism: 7)], NodePool = pool };

        var report = await _client.CheckSandboxReadinessAsync(options);

        var capacity = Assert.Single(report.Failures);
        Assert.Equal("capacity on node pool 'kata' (Standard_D4s_v5)", capacity.Name);
        Assert.Contains("the pool has at most 1 (1 usable now)", capacity.Message);
        Assert.Equal("az aks nodepool scale --resource-group rg-prod --cluster-name aks-prod --name kata --node-count 3", capacity.Fix);
        var ex = Assert.Throws<SandboxDeployException>(report.ThrowIfNotReady);
        Assert.Equal(SandboxDeployReason.NotReady, ex.Reason);
        Assert.Same(report, ex.ReadinessReport);
        Assert.Contains("capacity on node pool 'kata'", ex.Message);
    }

    [Fact]
    public async Task Forbidden_reads_cannot_be_verified_and_are_not_crashes()
    {
        _server.Enqueue(new Fault(403, "Forbidden", "runtimeclasses.node.k8s.io \"kata-vm-isolation\" is forbidden: User \"ci\" cannot get resource \"runtimeclasses\""));

        var report = await _client.CheckSandboxReadinessAsync();

        var unverified = Assert.Single(report.Checks, c => c.Name == "RuntimeClass kata-vm-isolation");
        Assert.Equal(ReadinessStatus.Unverified, unverified.Status);
        Assert.Contains("cannot get resource", unverified.Message);
        Assert.False(report.IsReady); // fail closed: nothing says the class exists
    }

    [Fact]
    public void Describes_the_preflight_without_a_cluster()
    {
        var lines = SandboxClusterExtensions.DescribePreflight(new SandboxReadinessOptions { Workloads = [ClusterObjects.Job()] });

        Assert.Equal(
            [
                "GET /apis/node.k8s.io/v1/runtimeclasses/kata-vm-isolation: the RuntimeClass exists, with handler kata",
                "GET /api/v1/nodes?labelSelector=kubernetes.azure.com/kata-vm-isolation=true: nodes for kata-vm-isolation exist and are Ready",
                "GET /api/v1/namespaces/tenant: the namespace exists",
                "fit: Job tenant/build-42: 1 pod of 1 CPU, 1624Mi (incl. RuntimeClass kata-vm-isolation overhead 0 CPU, 600Mi)",
            ],
            lines);
    }

    [Fact]
    public void A_pod_without_requests_is_described_in_words_not_as_0_CPU_0()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "bare", NamespaceProperty = "tenant" },
            Spec = new V1PodSpec { RuntimeClassName = "my-kata", Containers = [new V1Container { Name = "c", Image = "busybox:1.36" }] },
        }.Initialize();

        var line = Assert.Single(SandboxClusterExtensions.DescribePreflight(new SandboxReadinessOptions { Workloads = [pod] }), l => l.StartsWith("fit:", StringComparison.Ordinal));

        Assert.Equal("fit: Pod tenant/bare: 1 pod with no CPU or memory requests, so the scheduler reserves nothing for them " +
            "(RuntimeClass my-kata adds no known overhead); set requests equal to limits", line);
    }
}
