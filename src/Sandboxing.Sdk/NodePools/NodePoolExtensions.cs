using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Aks;

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
    public static T Sandbox<T>([SandboxesArgument] this T obj, AksNodePool pool)
        where T : IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(pool);
        return obj.Sandbox(pool.ToSandboxOptions());
    }

    /// <summary>Sandboxes every pod template of every object in <paramref name="objects"/> for <paramref name="pool"/>.</summary>
    /// <returns>The same collection, for chaining.</returns>
    public static IEnumerable<T> Sandbox<T>([SandboxesArgument] this IEnumerable<T> objects, AksNodePool pool)
        where T : IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(pool);
        return objects.Sandbox(pool.ToSandboxOptions());
    }
}
