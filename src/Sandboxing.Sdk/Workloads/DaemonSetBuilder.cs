using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>Builds a sandboxed <see cref="V1DaemonSet"/>: one pod on every node it may run on.</summary>
public sealed class DaemonSetBuilder : PodTemplateWorkloadBuilder<DaemonSetBuilder, V1DaemonSet>
{
    internal DaemonSetBuilder(string name)
        : base(CheckName(name, "DaemonSet"), static (name, template) =>
            new V1DaemonSet { Spec = new V1DaemonSetSpec { Selector = SelectorFor(name), Template = template } })
    {
    }

    internal DaemonSetBuilder(V1DaemonSet copy)
        : base(copy, static d => (d.Spec ??= new V1DaemonSetSpec()).Template ??= new V1PodTemplateSpec())
    {
    }

    /// <inheritdoc />
    private protected override (string Group, string Version, string Kind) TypeMeta =>
        (V1DaemonSet.KubeGroup, V1DaemonSet.KubeApiVersion, V1DaemonSet.KubeKind);
}
