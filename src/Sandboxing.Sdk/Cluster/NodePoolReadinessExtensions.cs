using System.Globalization;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Cluster;

/// <summary>Backs the deploy preflight's capacity check with a node pool's capacity plan.</summary>
internal static class NodePoolReadinessExtensions
{
    /// <summary>
    /// A preflight capacity check (<see cref="SandboxReadinessOptions.NodePool"/>) backed by <paramref name="pool"/>'s capacity
    /// plan for <paramref name="workloads"/>: it fails when a pod VM fits no node of the pool's VM size, or when the pool at its
    /// largest has fewer nodes than the plan needs, and says how to fix it. The cluster's current nodes are reported alongside.
    /// </summary>
    internal static SandboxCapacityCheck ToCapacityCheck(this AksNodePool pool, params object[] workloads)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(workloads);
        return (footprints, nodes) =>
        {
            var plan = pool.Plan(workloads);
            string name = $"capacity on node pool '{pool.Name}' ({pool.VmSize})";
            var tooBig = plan.Workloads.Where(w => w.PodsPerNode == 0 && !w.PerNode).Select(w => w.Workload).ToList();
            string usable = nodes.Count(n => n.Usable).ToString(CultureInfo.InvariantCulture);
            if (tooBig.Count > 0)
            {
                return new ReadinessCheck(name, ReadinessStatus.Failed,
                    $"{string.Join(", ", tooBig)}: a pod VM does not fit one {pool.VmSize} node after AKS's reservations and the Kata overhead.",
                    "Choose a larger VM size for the pool, or lower the pods' memory and CPU limits.");
            }

            if (plan.PodsNotPlaced > 0)
            {
                return new ReadinessCheck(name, ReadinessStatus.Failed,
                    $"{plan.PodsNotPlaced} pod(s) do not tolerate the pool's taints ({string.Join(", ", pool.NodeTaints.Where(t => t.RepelsPods))}), so they would stay Pending.",
                    "Add the pool's tolerations to the workloads: builder.WithNodePool(pool), WithTolerations(pool.PodTolerations) or obj.Sandbox(pool).");
            }

            if (!plan.FitsInPool)
            {
                return new ReadinessCheck(name, ReadinessStatus.Failed,
                    $"The workloads need {plan.NodesNeeded} nodes; the pool has at most {plan.PoolMaxNodes} ({usable} usable now).",
                    pool.EnableAutoScaling
                        ? new AzCommand("az aks nodepool update").Add("--resource-group", pool.ResourceGroup).Add("--cluster-name", pool.ClusterName)
                            .Add("--name", pool.Name).Add("--update-cluster-autoscaler")
                            .Add("--min-count", (pool.MinCount ?? 1).ToString(CultureInfo.InvariantCulture))
                            .Add("--max-count", plan.NodesNeeded.ToString(CultureInfo.InvariantCulture)).ToString()
                        : Fixes.AzNodePoolScale(pool.ClusterName, pool.ResourceGroup, pool.Name, plan.NodesNeeded));
            }

            return new ReadinessCheck(name, ReadinessStatus.Passed,
                $"The workloads need {plan.NodesNeeded} node(s); the pool has at most {plan.PoolMaxNodes} ({usable} usable now).");
        };
    }
}
