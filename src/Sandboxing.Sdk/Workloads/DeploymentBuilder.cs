using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>Builds a sandboxed <see cref="V1Deployment"/>.</summary>
public sealed class DeploymentBuilder : ReplicatedWorkloadBuilder<DeploymentBuilder, V1Deployment>
{
    internal DeploymentBuilder(string name)
        : base(CheckName(name, "Deployment"), static (name, template) =>
            new V1Deployment { Spec = new V1DeploymentSpec { Replicas = 1, Selector = SelectorFor(name), Template = template } })
    {
    }

    internal DeploymentBuilder(V1Deployment copy)
        : base(copy, static d => (d.Spec ??= new V1DeploymentSpec()).Template ??= new V1PodTemplateSpec())
    {
    }

    /// <inheritdoc />
    private protected override (string Group, string Version, string Kind) TypeMeta =>
        (V1Deployment.KubeGroup, V1Deployment.KubeApiVersion, V1Deployment.KubeKind);

    /// <inheritdoc />
    private protected override void SetReplicas(V1Deployment obj, int replicas) => obj.Spec.Replicas = replicas;

    /// <summary>Sets the rolling update bounds, as counts or percentages (<c>"25%"</c>).</summary>
    public DeploymentBuilder WithRollingUpdate(string maxSurge = "25%", string maxUnavailable = "25%")
    {
        MutableObject.Spec.Strategy = new V1DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = maxSurge, MaxUnavailable = maxUnavailable },
        };
        return this;
    }
}
