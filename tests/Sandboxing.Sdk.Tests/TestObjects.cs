using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Tests;

/// <summary>Objects as other generators write them: no runtime class, nothing hardened.</summary>
public static class TestObjects
{
    public static V1PodSpec Spec(string container = "app") => new()
    {
        Containers = [new V1Container { Name = container, Image = "registry.example.com/app:1.0" }],
    };

    public static V1PodTemplateSpec Template() => new() { Metadata = new V1ObjectMeta(), Spec = Spec() };

    public static V1ObjectMeta Meta(string name) => new() { Name = name, NamespaceProperty = "tenant" };

    public static V1Pod Pod(string name = "pod") => new V1Pod { Metadata = Meta(name), Spec = Spec() }.Initialize();

    public static V1Deployment Deployment(string name = "deploy") =>
        new V1Deployment { Metadata = Meta(name), Spec = new V1DeploymentSpec { Selector = new V1LabelSelector(), Template = Template() } }.Initialize();

    public static V1StatefulSet StatefulSet(string name = "sts") =>
        new V1StatefulSet { Metadata = Meta(name), Spec = new V1StatefulSetSpec { Selector = new V1LabelSelector(), Template = Template() } }.Initialize();

    public static V1DaemonSet DaemonSet(string name = "ds") =>
        new V1DaemonSet { Metadata = Meta(name), Spec = new V1DaemonSetSpec { Selector = new V1LabelSelector(), Template = Template() } }.Initialize();

    public static V1ReplicaSet ReplicaSet(string name = "rs") =>
        new V1ReplicaSet { Metadata = Meta(name), Spec = new V1ReplicaSetSpec { Selector = new V1LabelSelector(), Template = Template() } }.Initialize();

    public static V1ReplicationController ReplicationController(string name = "rc") =>
        new V1ReplicationController { Metadata = Meta(name), Spec = new V1ReplicationControllerSpec { Template = Template() } }.Initialize();

    public static V1Job Job(string name = "job") =>
        new V1Job { Metadata = Meta(name), Spec = new V1JobSpec { Template = Template() } }.Initialize();

    public static V1CronJob CronJob(string name = "cron") =>
        new V1CronJob { Metadata = Meta(name), Spec = new V1CronJobSpec { Schedule = "* * * * *", JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = Template() } } } }.Initialize();

    public static V1PodTemplate PodTemplate(string name = "pt") =>
        new V1PodTemplate { Metadata = Meta(name), Template = Template() }.Initialize();

    /// <summary>One object of every pod-bearing kind.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> AllKinds() =>
        [Pod(), Deployment(), StatefulSet(), DaemonSet(), ReplicaSet(), ReplicationController(), Job(), CronJob(), PodTemplate()];
}
