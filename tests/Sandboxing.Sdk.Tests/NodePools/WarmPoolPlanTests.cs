using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.NodePools;

/// <summary>Capacity plans count an agent-sandbox warm pool's pods: each runs its SandboxTemplate's pod and holds a VM.</summary>
public class WarmPoolPlanTests
{
    private static AksNodePool Pool() =>
        AksNodePool.ForSandboxing("kata").InCluster("myAKSCluster", "myResourceGroup").WithVmSize("Standard_D4s_v5").WithMaxPods(30).WithAutoscaling(1, 5).Build();

    private static IReadOnlyList<UnstructuredObject> Runtime(int warm, string @namespace = "agents") =>
        AgentSandboxes.Template("python-runtime").InNamespace(@namespace)
            .WithContainer("runtime", "python:3.12-slim", c => c.WithResources(cpu: "500m", memory: "2Gi"))
            .WithWarmPool(warm).Build();

    [Fact]
    public void A_warm_pool_runs_its_templates_pods_and_the_template_alone_runs_none()
    {
        var plan = Pool().Plan([.. Runtime(3)]);
        var warm = Assert.Single(plan.Workloads);
        Assert.Equal("SandboxWarmPool agents/python-runtime (warm pods of SandboxTemplate agents/python-runtime)", warm.Workload);
        Assert.Equal(3, warm.Pods);
        Assert.Equal(2048m * 1024 * 1024, warm.VmMemoryBytes);
        Assert.Contains("warm pods of SandboxTemplate", plan.ToTable(), StringComparison.Ordinal);

        Assert.Empty(Pool().Plan(Runtime(3)[0]).Workloads); // the template without its pool
        Assert.Empty(Pool().Plan([.. Runtime(0)]).Workloads); // a pool of 0 only cold-starts
    }

    [Fact]
    public void A_pool_whose_template_is_not_among_the_inputs_is_named_in_a_warning()
    {
        var pool = Runtime(2)[1];
        var elsewhere = Runtime(2, "other")[0]; // same name, another namespace: not the pool's template
        var plan = Pool().Plan(pool, elsewhere);
        Assert.Empty(plan.Workloads);
        Assert.Contains(plan.Warnings, w => w.StartsWith("SandboxWarmPool agents/python-runtime: its SandboxTemplate 'python-runtime' is not among the inputs", StringComparison.Ordinal)
            && w.Contains("(2, each a VM)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pool_without_replicas_has_the_CRDs_default_of_one()
    {
        var objects = Runtime(5);
        ((IDictionary<string, object?>)objects[1].Fields["spec"]!).Remove("replicas");
        Assert.Equal(1, Assert.Single(Pool().Plan([.. objects]).Workloads).Pods);
    }
}
