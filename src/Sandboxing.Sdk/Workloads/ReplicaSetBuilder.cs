using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>Builds a sandboxed <see cref="V1ReplicaSet"/>.</summary>
public sealed class ReplicaSetBuilder : ReplicatedWorkloadBuilder<ReplicaSetBuilder, V1ReplicaSet>
{
    internal ReplicaSetBuilder(string name)
        : base(CheckName(name, "ReplicaSet"), static (name, template) =>
            new V1ReplicaSet { Spec = new V1ReplicaSetSpec { Replicas = 1, Selector = SelectorFor(name), Template = template } })
    {
    }

    internal ReplicaSetBuilder(V1ReplicaSet copy)
        : base(copy, static r => (r.Spec ??= new V1ReplicaSetSpec()).Template ??= new V1PodTemplateSpec())
    {
    }

    /// <inheritdoc />
    private protected override (string Group, string Version, string Kind) TypeMeta =>
        (V1ReplicaSet.KubeGroup, V1ReplicaSet.KubeApiVersion, V1ReplicaSet.KubeKind);

    /// <inheritdoc />
    private protected override void SetReplicas(V1ReplicaSet obj, int replicas) => obj.Spec.Replicas = replicas;
}
