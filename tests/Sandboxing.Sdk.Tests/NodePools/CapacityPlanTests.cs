using k8s.Models;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.NodePools;

public class CapacityPlanTests
{
    private const decimal Mi = 1024m * 1024;

    private static AksNodePool Pool(string size = "Standard_D4s_v5", int? maxPods = 30, string? k8s = null, int max = 5)
    {
        var builder = AksNodePool.ForSandboxing("kata").InCluster("myAKSCluster", "myResourceGroup").WithVmSize(size).WithAutoscaling(1, max);
        if (maxPods is { } m)
        {
            builder.WithMaxPods(m);
        }

        if (k8s is not null)
        {
            builder.WithOrchestratorVersion(k8s);
        }

        return builder.Build();
    }

    private static V1Deployment CodeRunner(int replicas = 3) => Sandboxed.Deployment("code-runner").InNamespace("tenant-42").WithReplicas(replicas)
        .WithContainer("runner", "ghcr.io/acme/runner:1.4", c => c.WithResources(cpu: "1", memory: "1Gi")).Build();

    private static readonly RuntimeClassDefinition SmallPods = SandboxRuntime.Define("small-kata-pods").WithOverhead(memory: "120Mi").Build();

    private static V1Job Scripts() => Sandboxed.Job("scripts").InNamespace("tenant-42").WithRuntime(SmallPods).WithCompletions(10, parallelism: 4)
        .WithContainer("script", "python:3.12-slim", c => c.WithResources(cpu: "500m", memory: "256Mi")).Build();

    [Fact]
    public void Node_allocatable_follows_the_aks_rules_for_1_29_and_later()
    {
        // Standard_D4s_v5: 4 vCPU, 16Gi. kube-reserved = min(20Mi x 30 + 50Mi, 25% x 16384Mi) = 650Mi; eviction 100Mi.
        var node = Pool().Plan().Node;
        Assert.Equal("1.29+", node.KubernetesRules);
        Assert.Equal(650 * Mi, node.KubeReservedMemoryBytes);
        Assert.Equal(100 * Mi, node.EvictionThresholdBytes);
        Assert.Equal(15634 * Mi, node.AllocatableMemoryBytes);
        Assert.Equal(0.14m, node.ReservedCpuCores);
        Assert.Equal(3.86m, node.AllocatableCpuCores);
        Assert.False(node.MaxPodsAssumed);
    }

    [Fact]
    public void Kube_reserved_memory_is_capped_at_a_quarter_of_the_node()
    {
        // Standard_D2s_v5: 8Gi; max pods unset, so 250: min(20Mi x 250 + 50Mi = 5050Mi, 2048Mi) = 2048Mi.
        var plan = Pool("Standard_D2s_v5", maxPods: null).Plan();
        Assert.Equal(2048 * Mi, plan.Node.KubeReservedMemoryBytes);
        Assert.Equal((8192 - 2048 - 100) * Mi, plan.Node.AllocatableMemoryBytes);
        Assert.Equal(1.9m, plan.Node.AllocatableCpuCores);
        Assert.True(plan.Node.MaxPodsAssumed);
        Assert.Contains(plan.Warnings, w => w.StartsWith("maxPods is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void Older_kubernetes_uses_the_regressive_tiers_and_750Mi_eviction()
    {
        // 16Gi: 25% of 4096Mi + 20% of 4096Mi + 10% of 8192Mi = 1024 + 819.2 + 819.2 = 2662.4Mi.
        // A 1.28 pool with AzureLinux no longer builds (SBX3014: Azure Linux 2.0), so the version comes from the options.
        var node = Pool().Plan([], new CapacityPlanOptions { KubernetesVersion = "1.28" }).Node;
        Assert.Equal("before 1.29", node.KubernetesRules);
        Assert.Equal(Math.Floor(2662.4m * Mi), node.KubeReservedMemoryBytes);
        Assert.Equal(750 * Mi, node.EvictionThresholdBytes);
    }

    [Theory]
    [InlineData(1, 60)]
    [InlineData(2, 100)]
    [InlineData(3, 120)]
    [InlineData(4, 140)]
    [InlineData(8, 180)]
    [InlineData(16, 260)]
    [InlineData(32, 420)]
    [InlineData(64, 740)]
    [InlineData(96, 1060)]
    public void Cpu_reservation_matches_the_aks_table(int cores, int millicores) =>
        Assert.Equal(millicores, Sandboxing.Sdk.Aks.NodeCapacity.ReservedCpu(cores));

    [Fact]
    public void Pods_per_node_and_nodes_needed()
    {
        var plan = Pool().Plan([CodeRunner(), Scripts()], new CapacityPlanOptions { RuntimeClasses = [SmallPods] });

        // code-runner: 1Gi VM + 600Mi overhead = 1624Mi; by memory 15634 / 1624 = 9, by CPU 3860 / 1000 = 3, max pods 30: 3 (cpu).
        var runner = plan.Workloads[0];
        Assert.Equal("Deployment tenant-42/code-runner", runner.Workload);
        Assert.Equal(3, runner.Pods);
        Assert.Equal(1024 * Mi, runner.VmMemoryBytes);
        Assert.Equal(600 * Mi, runner.OverheadMemoryBytes);
        Assert.Equal(1624 * Mi, runner.PodMemoryBytes);
        Assert.Equal(1, runner.VCpus);
        Assert.Equal(1m, runner.CpuCores);
        Assert.Equal(3, runner.PodsPerNode);
        Assert.Equal("cpu", runner.LimitedBy);
        Assert.Equal(1, runner.NodesAlone);

        // scripts: parallelism 4; 256Mi + 120Mi = 376Mi; by memory 15634 / 376 = 41, by CPU 3860 / 500 = 7: 7 (cpu).
        var scripts = plan.Workloads[1];
        Assert.Equal(4, scripts.Pods);
        Assert.Equal(376 * Mi, scripts.PodMemoryBytes);
        Assert.Equal(7, scripts.PodsPerNode);
        Assert.Equal("cpu", scripts.LimitedBy);

        // Packed: node 1 takes 3 runners (3000m) and 1 script (500m, 360m left); node 2 takes the other 3 scripts.
        Assert.Equal(2, plan.NodesNeeded);
        Assert.True(plan.FitsInPool);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Max_pods_can_be_the_limit()
    {
        var tiny = Sandboxed.Deployment("tiny").WithReplicas(25)
            .WithContainer("c", "busybox:1.36", c => c.WithResources(cpu: "100m", memory: "128Mi")).Build();
        var plan = Pool("Standard_E16s_v5", maxPods: 10).Plan(tiny);

        // E16s_v5 (16 vCPU, 128Gi): 728Mi a pod, 100m a pod: memory and CPU allow far more than 10.
        Assert.Equal(10, plan.Workloads[0].PodsPerNode);
        Assert.Equal("max pods", plan.Workloads[0].LimitedBy);
        Assert.Equal(3, plan.NodesNeeded);
    }

    [Fact]
    public void Pod_without_limits_gets_512Mi_and_one_vcpu_and_warnings()
    {
        var pod = TestObjects.Pod(); // no limits
        pod.Spec.RuntimeClassName = "kata-vm-isolation";
        var plan = Pool().Plan(pod);
        var w = plan.Workloads[0];
        Assert.Equal(512 * Mi, w.VmMemoryBytes);
        Assert.Equal(600 * Mi, w.OverheadMemoryBytes);
        Assert.Equal(1, w.VCpus);
        Assert.Equal(0m, w.CpuCores);
        Assert.Equal(26, w.PodsPerNode); // 15634 / 600 = 26.06
        Assert.Equal("memory", w.LimitedBy);
        Assert.Contains(plan.Warnings, s => s.Contains("default 512Mi", StringComparison.Ordinal));
    }

    [Fact]
    public void The_kata_vm_isolation_overhead_holds_the_default_vm_so_it_is_counted_once()
    {
        // AKS considerations-pod-sandboxing.md L60 @fb060abe6: the 600Mi default overhead "is calculated with the default pod VM
        // size (512Mi) plus to approximate memory needed by host components for such a VM size (~88Mi)".
        var pod = TestObjects.Pod();
        pod.Spec.RuntimeClassName = "kata-vm-isolation";
        var plan = Pool().Plan(pod);
        var w = plan.Workloads[0];
        Assert.Equal(600 * Mi, w.PodMemoryBytes);
        Assert.Equal(512 * Mi + 88 * Mi, w.PodMemoryBytes);
        Assert.Equal(600 * Mi, w.MemoryBytes); // the scheduler's view: no request, the class's overhead
        Assert.Contains(plan.Warnings, s => s.Contains("overhead of 'kata-vm-isolation' already holds the default 512Mi pod VM", StringComparison.Ordinal));
        Assert.Equal(600 * Mi, Assert.Single(PodFootprint.For([pod])).PodMemoryBytes);
    }

    [Fact]
    public void Other_classes_and_limited_pods_count_the_vm_on_top_of_the_overhead()
    {
        // A custom class's overhead covers the host components only ("does not need to account for the expected memory
        // consumption of the guest components", same page L45), so the default VM comes on top.
        var custom = TestObjects.Pod("custom");
        custom.Spec.RuntimeClassName = "small-kata-pods";
        var limited = TestObjects.Pod("limited");
        limited.Spec.RuntimeClassName = "kata-vm-isolation";
        limited.Spec.Containers[0].Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("512Mi") } };
        var plan = Pool().Plan([custom, limited], new CapacityPlanOptions { RuntimeClasses = [SmallPods] });
        Assert.Equal(632 * Mi, plan.Workloads.Single(f => f.Workload.EndsWith("custom", StringComparison.Ordinal)).PodMemoryBytes);
        Assert.Equal(1112 * Mi, plan.Workloads.Single(f => f.Workload.EndsWith("limited", StringComparison.Ordinal)).PodMemoryBytes);
        Assert.DoesNotContain(plan.Warnings, s => s.Contains("already holds", StringComparison.Ordinal));
    }

    [Fact]
    public void Opted_out_runc_and_classless_pods_are_left_out_of_the_kata_plan_and_listed()
    {
        var optedOut = Sandboxed.Deployment("agent").InNamespace("ops").WithoutSandbox("node agent needs host networking")
            .WithContainer("a", "busybox:1.36", c => c.WithResources(cpu: "1", memory: "1Gi")).Build();
        var runc = TestObjects.Pod("plain");
        runc.Spec.RuntimeClassName = "runc";
        var gvisor = TestObjects.Pod("gv");
        gvisor.Spec.RuntimeClassName = "gvisor";
        var plan = Pool().Plan(optedOut, runc, gvisor, TestObjects.Pod("classless"), CodeRunner());

        Assert.Equal(["Deployment tenant-42/code-runner"], plan.Workloads.Select(w => w.Workload));
        Assert.Equal(4, plan.LeftOut.Count);
        Assert.Contains(plan.LeftOut, l => l.StartsWith("Deployment ops/agent: opted out of sandboxing", StringComparison.Ordinal));
        Assert.Contains(plan.LeftOut, l => l.Contains("'runc' is an OCI runtime, not Kata", StringComparison.Ordinal));
        Assert.Contains(plan.LeftOut, l => l.Contains("'gvisor' is GKE Sandbox", StringComparison.Ordinal));
        Assert.Contains(plan.LeftOut, l => l.Contains("no runtimeClassName", StringComparison.Ordinal));
        Assert.Contains("Left out of the Kata plan:", plan.ToTable(), StringComparison.Ordinal);
    }

    [Fact]
    public void Pods_that_do_not_tolerate_the_pool_are_not_placed_and_the_plan_is_not_enough()
    {
        var tainted = AksNodePool.ForSandboxing("kata").InCluster("myAKSCluster", "myResourceGroup").WithVmSize("Standard_D4s_v5")
            .WithAutoscaling(1, 5).WithMaxPods(30).WithNodeTaint(AksNodeTaint.SandboxDefault).Build();
        var plan = tainted.Plan(CodeRunner());
        Assert.Equal(3, plan.PodsNotPlaced);
        Assert.Equal(0, plan.NodesNeeded);
        Assert.False(plan.FitsInPool);
        Assert.Contains(": NOT enough.", plan.ToTable(), StringComparison.Ordinal);
        Assert.Contains(plan.Findings, f => f.RuleId == "SBX3013");

        var wired = Sandboxed.Deployment("code-runner").InNamespace("tenant-42").WithReplicas(3).WithNodePool(tainted)
            .WithContainer("runner", "ghcr.io/acme/runner:1.4", c => c.WithResources(cpu: "1", memory: "1Gi")).Build();
        var fits = tainted.Plan(wired);
        Assert.Equal(0, fits.PodsNotPlaced);
        Assert.Equal(1, fits.NodesNeeded);
        Assert.True(fits.FitsInPool);
    }

    [Theory]
    [InlineData("1Gi", 600)]   // table: 1Gi -> 128Mi, below the class's 600Mi
    [InlineData("32Gi", 640)]  // table: 32Gi -> 640Mi
    [InlineData("100Gi", 1024)] // above 96Gi: the 128Gi row, 1Gi
    public void Aks_overhead_grows_with_the_pod_vm_as_the_aks_table_says(string memory, int overheadMi)
    {
        var big = Sandboxed.Deployment("big").WithContainer("c", "busybox:1.36", c => c.WithResources(cpu: "2", memory: memory)).Build();
        var plan = Pool("Standard_E64s_v5").Plan(big);
        Assert.Equal(overheadMi * Mi, plan.Workloads[0].OverheadMemoryBytes);
    }

    [Fact]
    public void A_pod_vm_that_cannot_fit_is_a_warning()
    {
        var big = Sandboxed.Deployment("big").WithContainer("c", "busybox:1.36", c => c.WithResources(cpu: "2", memory: "16Gi")).Build();
        var plan = Pool().Plan(big);
        Assert.Equal(0, plan.Workloads[0].PodsPerNode);
        Assert.Null(plan.Workloads[0].NodesAlone);
        Assert.Equal(0, plan.NodesNeeded);
        Assert.Contains(plan.Warnings, s => s.Contains("does not fit a Standard_D4s_v5 node", StringComparison.Ordinal));
        Assert.Contains("does not fit", plan.ToTable(), StringComparison.Ordinal);
    }

    [Fact]
    public void Requests_below_limits_and_too_few_nodes_are_warnings()
    {
        var bursty = Sandboxed.Deployment("bursty").WithReplicas(12)
            .WithContainer("c", "busybox:1.36", c => c.WithResources(cpu: "1", memory: "1Gi")).Build();
        bursty.Spec.Template.Spec.Containers[0].Resources.Requests["cpu"] = new ResourceQuantity("250m");
        var plan = Pool(max: 2).Plan(bursty);
        Assert.Contains(plan.Warnings, s => s.Contains("requests are below limits", StringComparison.Ordinal));
        // 250m a pod: by CPU 3860 / 250 = 15; by memory 9: 9 a node, 12 replicas need 2 nodes.
        Assert.Equal(9, plan.Workloads[0].PodsPerNode);
        Assert.Equal(2, plan.NodesNeeded);
        Assert.True(plan.FitsInPool);
        var tooMany = Pool(max: 1).Plan(bursty);
        Assert.False(tooMany.FitsInPool);
        Assert.Contains(tooMany.Warnings, s => s.Contains("raise maxCount to 2", StringComparison.Ordinal));
    }

    [Fact]
    public void Daemonsets_take_a_pod_from_every_node()
    {
        var agent = Sandboxed.DaemonSet("agent").WithContainer("a", "busybox:1.36", c => c.WithResources(cpu: "500m", memory: "512Mi")).Build();
        var plan = Pool().Plan(agent, CodeRunner());
        // Left after the DaemonSet pod (1112Mi, 500m): 14522Mi and 3360m: code-runner 3 a node by CPU still.
        Assert.True(plan.Workloads[0].PerNode);
        Assert.Equal(3, plan.Workloads[1].PodsPerNode);
        Assert.Equal(1, plan.NodesNeeded);
    }

    [Fact]
    public void Unknown_vm_size_needs_a_node_size()
    {
        var pool = AksNodePool.ForSandboxing("kata").InCluster("c", "rg").WithVmSize("Standard_NC4as_T4_v3").Build();
        var ex = Assert.Throws<InvalidOperationException>(() => pool.Plan(CodeRunner()));
        Assert.Contains("NodeSize = new VmSize(", ex.Message, StringComparison.Ordinal);
        var plan = pool.Plan([CodeRunner()], new CapacityPlanOptions { NodeSize = new VmSize("Standard_NC4as_T4_v3", 4, 16), DefaultMaxPods = 30 });
        Assert.Equal(3, plan.Workloads[0].PodsPerNode);
    }

    [Fact]
    public void Plan_renders_as_a_table() =>
        Golden.Match(Pool().Plan([CodeRunner(), Scripts(), TestObjects.Pod()], new CapacityPlanOptions { RuntimeClasses = [SmallPods] }).ToTable(), "txt");
}
