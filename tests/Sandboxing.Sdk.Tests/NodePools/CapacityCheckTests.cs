using Sandboxing.Sdk.Aks;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.NodePools;

/// <summary>The node pool's capacity plan plugged into the deploy preflight as its capacity check.</summary>
public class CapacityCheckTests
{
    private static k8s.Models.V1Deployment Runners(int replicas) => Sandboxed.Deployment("runner").InNamespace("t").WithReplicas(replicas)
        .WithContainer("r", "img:1", c => c.WithResources(cpu: "1", memory: "1Gi")).Build();

    [Fact]
    public void PassesWhenThePoolHoldsEveryReplica()
    {
        var pool = AksNodePool.ForSandboxing("kata").InCluster("c", "rg").WithVmSize("Standard_D4s_v5").WithAutoscaling(1, 3).WithMaxPods(30).Build();
        var check = pool.ToCapacityCheck(Runners(3))([], []);
        Assert.Equal(ReadinessStatus.Passed, check.Status);
        Assert.Contains("need 1 node", check.Message);
    }

    [Fact]
    public void FailsWithTheScaleCommandWhenThePoolIsTooSmall()
    {
        var fixedPool = AksNodePool.ForSandboxing("kata").InCluster("c", "rg").WithVmSize("Standard_D4s_v5").WithNodeCount(1).WithMaxPods(30).Build();
        var check = fixedPool.ToCapacityCheck(Runners(7))([], []);
        Assert.Equal(ReadinessStatus.Failed, check.Status);
        Assert.Contains("need 3 nodes; the pool has at most 1", check.Message);
        Assert.Equal("az aks nodepool scale --resource-group rg --cluster-name c --name kata --node-count 3", check.Fix);

        var autoscaled = AksNodePool.ForSandboxing("kata").InCluster("c", "rg").WithVmSize("Standard_D4s_v5").WithAutoscaling(1, 2).WithMaxPods(30).Build();
        Assert.Contains("--update-cluster-autoscaler --min-count 1 --max-count 3", autoscaled.ToCapacityCheck(Runners(7))([], []).Fix);
    }

    [Fact]
    public void FailsWhenAPodVmFitsNoNode()
    {
        var pool = AksNodePool.ForSandboxing("kata").InCluster("c", "rg").WithVmSize("Standard_D2s_v5").WithNodeCount(3).Build();
        var huge = Sandboxed.Job("huge").WithContainer("h", "img:1", c => c.WithResources(cpu: "1", memory: "16Gi")).Build();
        var check = pool.ToCapacityCheck(huge)([], []);
        Assert.Equal(ReadinessStatus.Failed, check.Status);
        Assert.Contains("Job huge", check.Message);
        Assert.Contains("larger VM size", check.Fix);
    }
}

public class CapacityPlanEdgeTests
{
    [Fact]
    public void APodSpecWithoutContainersDoesNotBreakThePlan()
    {
        var pool = AksNodePool.ForSandboxing("kata").InCluster("c", "rg").WithVmSize("Standard_D4s_v5").WithNodeCount(1).Build();
        var empty = new k8s.Models.V1Pod { Metadata = new k8s.Models.V1ObjectMeta { Name = "empty" }, Spec = new k8s.Models.V1PodSpec { RuntimeClassName = "kata-vm-isolation" } };
        var plan = pool.Plan(empty);
        var footprint = Assert.Single(plan.Workloads);
        Assert.Equal(512m * 1024 * 1024, footprint.VmMemoryBytes);
    }
}
