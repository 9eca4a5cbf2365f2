using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>Builds a sandboxed <see cref="V1Pod"/>.</summary>
public sealed class PodBuilder : WorkloadBuilder<PodBuilder, V1Pod>
{
    internal PodBuilder(string name)
        : this(CheckName(name, "Pod"), new V1Pod { Spec = new V1PodSpec() })
    {
    }

    internal PodBuilder(V1Pod copy)
        : base(copy, copy.Spec ??= new V1PodSpec(), templateMetadata: null, "spec")
    {
    }

    private PodBuilder(string name, V1Pod pod)
        : base(name, pod, pod.Spec, templateMetadata: null, "spec")
    {
    }

    /// <inheritdoc />
    private protected override (string Group, string Version, string Kind) TypeMeta => (V1Pod.KubeGroup, V1Pod.KubeApiVersion, V1Pod.KubeKind);

    /// <summary>Sets the restart policy: <c>Always</c> (the Kubernetes default), <c>OnFailure</c> or <c>Never</c>.</summary>
    public PodBuilder WithRestartPolicy(string policy)
    {
        if (policy is not ("Always" or "OnFailure" or "Never"))
        {
            throw new ArgumentException($"spec.restartPolicy: '{policy}' is not one of Always, OnFailure, Never.", nameof(policy));
        }

        MutablePodSpec.RestartPolicy = policy;
        return this;
    }
}
