using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>Builds a sandboxed <see cref="V1StatefulSet"/>.</summary>
public sealed class StatefulSetBuilder : ReplicatedWorkloadBuilder<StatefulSetBuilder, V1StatefulSet>
{
    internal StatefulSetBuilder(string name)
        : base(CheckName(name, "StatefulSet"), static (name, template) =>
            new V1StatefulSet { Spec = new V1StatefulSetSpec { Replicas = 1, Selector = SelectorFor(name), Template = template } })
    {
    }

    internal StatefulSetBuilder(V1StatefulSet copy)
        : base(copy, static s => (s.Spec ??= new V1StatefulSetSpec()).Template ??= new V1PodTemplateSpec())
    {
    }

    /// <inheritdoc />
    private protected override (string Group, string Version, string Kind) TypeMeta =>
        (V1StatefulSet.KubeGroup, V1StatefulSet.KubeApiVersion, V1StatefulSet.KubeKind);

    /// <inheritdoc />
    private protected override void SetReplicas(V1StatefulSet obj, int replicas) => obj.Spec.Replicas = replicas;

    /// <summary>Names the headless Service that gives the pods their network identity.</summary>
    public StatefulSetBuilder WithServiceName(string serviceName)
    {
        KubernetesNames.ThrowIfInvalidLabel(serviceName, nameof(serviceName), "Service name");
        MutableObject.Spec.ServiceName = serviceName;
        return this;
    }

    /// <summary>Adds a PersistentVolumeClaim template; mount it by <paramref name="name"/> like a volume.</summary>
    /// <param name="name">The claim template's name.</param>
    /// <param name="storage">The requested size, for example <c>10Gi</c>.</param>
    /// <param name="storageClassName">The storage class, or null for the cluster default.</param>
    /// <param name="accessMode">The access mode (default <c>ReadWriteOnce</c>).</param>
    public StatefulSetBuilder WithVolumeClaimTemplate(string name, string storage, string? storageClassName = null, string accessMode = "ReadWriteOnce")
    {
        KubernetesNames.ThrowIfInvalidLabel(name, nameof(name), "volume claim template name");
        var size = Quantities.Parse(storage, $"spec.volumeClaimTemplates['{name}'].spec.resources.requests.storage");
        (MutableObject.Spec.VolumeClaimTemplates ??= []).Add(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = [accessMode],
                StorageClassName = storageClassName,
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = size } },
            },
        });
        return this;
    }
}
