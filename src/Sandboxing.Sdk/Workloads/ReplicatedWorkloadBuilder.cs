using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// The part shared by the builders of workloads that run a number of identical pods (Deployment, StatefulSet, ReplicaSet):
/// one replica by default, and <see cref="WithReplicas"/>.
/// </summary>
/// <typeparam name="TSelf">The concrete builder, returned by every method for chaining.</typeparam>
/// <typeparam name="TObject">The model it builds.</typeparam>
public abstract class ReplicatedWorkloadBuilder<TSelf, TObject> : PodTemplateWorkloadBuilder<TSelf, TObject>
    where TSelf : ReplicatedWorkloadBuilder<TSelf, TObject>
    where TObject : class, IKubernetesObject<V1ObjectMeta>
{
    private protected ReplicatedWorkloadBuilder(string name, Func<string, V1PodTemplateSpec, TObject> create)
        : base(name, create)
    {
    }

    private protected ReplicatedWorkloadBuilder(TObject copy, Func<TObject, V1PodTemplateSpec?> templateOf)
        : base(copy, templateOf)
    {
    }

    /// <summary>Sets <c>spec.replicas</c> of the object (its spec type differs per kind).</summary>
    private protected abstract void SetReplicas(TObject obj, int replicas);

    /// <summary>Sets the number of replicas (default 1).</summary>
    public TSelf WithReplicas(int replicas)
    {
        if (replicas < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(replicas), replicas, "spec.replicas: the replica count cannot be negative.");
        }

        SetReplicas(MutableObject, replicas);
        return Self;
    }
}
