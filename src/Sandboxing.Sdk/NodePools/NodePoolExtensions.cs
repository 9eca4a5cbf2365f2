using System.Globalization;
using k8s;
using k8s.Models;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk;

/// <summary>
/// Ties workloads to the node pool that runs them, so a pod and its pool cannot disagree: the pool's taints become the pods'
/// tolerations, in the builders and in <c>Sandbox()</c>.
/// </summary>
public static class NodePoolExtensions
{
    /// <summary>Adds the tolerations <paramref name="pool"/>'s taints require (see <see cref="AksNodePool.PodTolerations"/>).</summary>
    public static TSelf WithNodePool<TSelf, TObject>(this WorkloadBuilder<TSelf, TObject> builder, AksNodePool pool)
        where TSelf : WorkloadBuilder<TSelf, TObject>
        where TObject : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(pool);
        return builder.WithTolerations(pool.PodTolerations);
    }

    /// <summary>Sandboxes every pod template of <paramref name="obj"/> for <paramref name="pool"/>: its runtime class and tolerations.</summary>
    /// <returns>The same object, for chaining.</returns>
    public static T Sandbox<T>(this T obj, AksNodePool pool)
        where T : IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(pool);
        return obj.Sandbox(pool.ToSandboxOptions());
    }

    /// <summary>Sandboxes every pod template of every object in <paramref name="objects"/> for <paramref name="pool"/>.</summary>
    /// <returns>The same collection, for chaining.</returns>
    public static IEnumerable<T> Sandbox<T>(this IEnumerable<T> objects, AksNodePool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return objects.Sandbox(pool.ToSandboxOptions());
    }

    /// <summary>
    /// A preflight capacity check (<see cref="SandboxReadinessOptions.CapacityCheck"/>) backed by <paramref name="pool"/>'s capacity
    /// plan for <paramref name="workloads"/>: it fails when a pod VM fits no node of the pool's VM size, or when the pool at its
    /// largest has fewer nodes than the plan needs, and says how to fix it. The cluster's current nodes are reported alongside.
    /// </summary>
    public static SandboxCapacityCheck ToCapacityCheck(this AksNodePool pool, params object[] workloads)
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

            if (!plan.FitsInPool)
            {
                return new ReadinessCheck(name, ReadinessStatus.Failed,
                    $"The workloads need {plan.NodesNeeded} nodes; the pool has at most {plan.PoolMaxNodes} ({usable} usable now).",
                    pool.EnableAutoScaling
                        ? $"az aks nodepool update --resource-group {pool.ResourceGroup} --cluster-name {pool.ClusterName} --name {pool.Name} " +
                          $"--update-cluster-autoscaler --min-count {pool.MinCount ?? 1} --max-count {plan.NodesNeeded}"
                        : $"az aks nodepool scale --resource-group {pool.ResourceGroup} --cluster-name {pool.ClusterName} --name {pool.Name} " +
                          $"--node-count {plan.NodesNeeded}");
            }

            return new ReadinessCheck(name, ReadinessStatus.Passed,
                $"The workloads need {plan.NodesNeeded} node(s); the pool has at most {plan.PoolMaxNodes} ({usable} usable now).");
        };
    }
}
