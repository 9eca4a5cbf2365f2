using k8s;
using k8s.Models;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.Hardening;

public class SandboxTests
{
    public static TheoryData<string> Kinds() => new(TestObjects.AllKinds().Select(o => o.Kind));

    private static IKubernetesObject<V1ObjectMeta> OfKind(string kind) => TestObjects.AllKinds().Single(o => o.Kind == kind);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Sets_the_runtime_class_on_every_pod_bearing_kind(string kind)
    {
        var obj = OfKind(kind);
        Assert.False(obj.IsSandboxed());
        obj.Sandbox();
        var site = Assert.Single(PodTemplates.FindAll(obj));
        Assert.Equal("kata-vm-isolation", site.Spec.RuntimeClassName);
        Assert.True(obj.IsSandboxed());
        Assert.DoesNotContain(SandboxValidator.Validate(obj), f => f.RuleId == "SBX1001");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Changes_nothing_but_the_runtime_class_and_tolerations(string kind)
    {
        var obj = OfKind(kind);
        var before = KubernetesYaml.Serialize(obj);
        obj.Sandbox(SandboxRuntime.GkeGvisor);
        var after = KubernetesYaml.Serialize(obj);
        var site = PodTemplates.FindAll(obj)[0];
        site.Spec.RuntimeClassName = null;
        site.Spec.Tolerations = null;
        Assert.Equal(before, KubernetesYaml.Serialize(obj));
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Paths_name_where_each_spec_lives()
    {
        var paths = TestObjects.AllKinds().ToDictionary(o => o.Kind, o => PodTemplates.FindAll(o)[0].SpecPath);
        Assert.Equal("spec", paths["Pod"]);
        Assert.Equal("spec.template.spec", paths["Deployment"]);
        Assert.Equal("spec.jobTemplate.spec.template.spec", paths["CronJob"]);
        Assert.Equal("template.spec", paths["PodTemplate"]);
    }

    [Fact]
    public void Is_idempotent()
    {
        var objects = TestObjects.AllKinds().ToList();
        objects.Sandbox(SandboxRuntime.GkeGvisor);
        var once = SandboxManifest.ToYaml(objects);
        objects.Sandbox(SandboxRuntime.GkeGvisor);
        Assert.Equal(once, SandboxManifest.ToYaml(objects));
        Assert.All(objects, o => Assert.Single(PodTemplates.FindAll(o)[0].Spec.Tolerations));
    }

    [Fact]
    public void Visits_each_template_of_collections_and_typed_lists_exactly_once()
    {
        var deployment = TestObjects.Deployment("shared");
        var list = new V1DeploymentList { Items = [TestObjects.Deployment("a"), deployment] };
        var jobs = new V1JobList { Items = [TestObjects.Job("j")] };
        var pods = new V1PodList { Items = [TestObjects.Pod("p")] };
        object[] nested = [list, new List<object> { deployment, jobs, new V1ConfigMap() }, deployment, pods, "not a workload", new Dictionary<string, string>()];
        var sites = PodTemplates.FindAll(nested);
        Assert.Equal(["a", "shared", "j", "p"], sites.Select(s => s.Name));
    }

    [Fact]
    public void Kinds_without_pod_templates_are_left_alone()
    {
        var configMap = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cfg" }, Data = new Dictionary<string, string> { ["a"] = "b" } }.Initialize();
        var before = KubernetesYaml.Serialize(configMap);
        configMap.Sandbox();
        new List<IKubernetesObject> { configMap, new V1Service().Initialize(), TestObjects.Deployment() }.Sandbox();
        Assert.Equal(before, KubernetesYaml.Serialize(configMap));
        Assert.Empty(SandboxValidator.Validate(configMap));
    }

    [Fact]
    public void Workloads_without_a_spec_are_skipped()
    {
        var empty = new V1Deployment { Metadata = new V1ObjectMeta { Name = "x" } };
        empty.Sandbox();
        Assert.Null(empty.Spec);
        Assert.Empty(PodTemplates.FindAll(empty));
    }

    [Fact]
    public void Opted_out_objects_throw_by_default()
    {
        var ds = TestObjects.DaemonSet("agent");
        ds.Metadata.Annotations = new Dictionary<string, string> { [SandboxAnnotations.Exempt] = "needs host network" };
        var error = Assert.Throws<SandboxException>(() => ds.Sandbox());
        Assert.Contains("DaemonSet tenant/agent opted out", error.Message);
        Assert.Contains("needs host network", error.Message);
        Assert.Contains("SkipOptedOut = true", error.Message);
        Assert.Null(ds.Spec.Template.Spec.RuntimeClassName);
    }

    [Fact]
    public void Opted_out_objects_can_be_skipped()
    {
        var agent = TestObjects.DaemonSet("agent");
        agent.Spec.Template.Metadata.Annotations = new Dictionary<string, string> { [SandboxAnnotations.Exempt] = "needs host network" };
        var job = TestObjects.Job();
        new IKubernetesObject[] { agent, job }.Sandbox(new SandboxOptions { SkipOptedOut = true });
        Assert.Null(agent.Spec.Template.Spec.RuntimeClassName);
        Assert.Equal("kata-vm-isolation", job.Spec.Template.Spec.RuntimeClassName);
    }

    [Fact]
    public void Replaces_deprecated_and_unsandboxed_classes()
    {
        var pod = TestObjects.Pod();
        pod.Spec.RuntimeClassName = "kata-mshv-vm-isolation";
        pod.Sandbox();
        Assert.Equal("kata-vm-isolation", pod.Spec.RuntimeClassName);
        pod.Spec.RuntimeClassName = "runc";
        pod.Sandbox(SandboxRuntime.KataClh);
        Assert.Equal("kata-clh", pod.Spec.RuntimeClassName);
    }

    [Fact]
    public void Adds_pool_tolerations_without_duplicates()
    {
        var job = TestObjects.Job();
        var toleration = new V1Toleration { Key = "sandbox", OperatorProperty = "Equal", Value = "kata", Effect = "NoSchedule" };
        job.Spec.Template.Spec.Tolerations = [new V1Toleration { Key = "sandbox", OperatorProperty = "Equal", Value = "kata", Effect = "NoSchedule" }];
        job.Sandbox(new SandboxOptions { Tolerations = [toleration] });
        Assert.Single(job.Spec.Template.Spec.Tolerations);
        job.Sandbox(new SandboxOptions { Tolerations = [new V1Toleration { Key = "other", OperatorProperty = "Exists" }] });
        Assert.Equal(2, job.Spec.Template.Spec.Tolerations.Count);
    }
}

public class SandboxEdgeTests
{
    [Fact]
    public void A_blank_opt_out_is_not_an_opt_out()
    {
        var job = TestObjects.Job();
        job.Metadata.Annotations = new Dictionary<string, string> { [SandboxAnnotations.Exempt] = "  " };
        job.Sandbox();
        Assert.Equal("kata-vm-isolation", job.Spec.Template.Spec.RuntimeClassName);
        Assert.Equal(["SBX1004", "SBX2005"], Sandboxing.Sdk.SandboxValidator.Validate(job).Select(f => f.RuleId));
    }

    [Fact]
    public void The_name_label_cannot_be_changed()
    {
        var error = Assert.Throws<ArgumentException>(() => Sandboxed.Deployment("web").WithLabel("app.kubernetes.io/name", "other"));
        Assert.Contains("selector", error.Message);
    }

    [Fact]
    public void Objects_without_type_meta_get_it_when_written()
    {
        var pod = new k8s.Models.V1Pod { Metadata = new k8s.Models.V1ObjectMeta { Name = "p" } };
        var yaml = SandboxManifest.ToYaml(pod);
        Assert.StartsWith("apiVersion: v1\nkind: Pod\n", yaml);
        Assert.IsType<k8s.Models.V1Pod>(Assert.Single(SandboxManifest.Read(yaml)));
    }
}
