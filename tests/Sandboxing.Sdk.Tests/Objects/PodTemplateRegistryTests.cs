using k8s.Models;
using Xunit;

namespace Sandboxing.Sdk.Tests.Objects;

public class PodTemplateRegistryTests
{
    [Fact]
    public void Built_in_entries_agree_with_the_typed_visitor_and_the_API_reference()
    {
        object[] typed =
        [
            TestObjects.Pod(), TestObjects.Deployment(), TestObjects.StatefulSet(), TestObjects.DaemonSet(), TestObjects.ReplicaSet(),
            TestObjects.ReplicationController(), TestObjects.Job(), TestObjects.CronJob(), TestObjects.PodTemplate(),
        ];
        Assert.Equal(PodTemplateRegistry.BuiltIn.Kinds.Count, typed.Length);
        foreach (var obj in typed)
        {
            Assert.True(PodTemplates.TryGet(obj, out var site));
            var entry = PodTemplateRegistry.Default.Find(((k8s.IKubernetesObject)obj).ApiVersion, site.Kind);
            Assert.NotNull(entry);
            Assert.True(entry.IsBuiltIn);
            Assert.Equal(entry.SpecPaths.Single(), site.SpecPath);
            // The paths themselves, as the Kubernetes API reference gives them (the visitor now reads them from the registry).
            Assert.Equal(site.Kind switch { "Pod" => "spec", "CronJob" => "spec.jobTemplate.spec.template.spec", "PodTemplate" => "template.spec", _ => "spec.template.spec" }, site.SpecPath);
        }
    }

    [Fact]
    public void Kinds_are_found_by_group_so_a_Knative_Service_is_a_pod_template_and_a_core_Service_is_not()
    {
        var registry = PodTemplateRegistry.Default;
        Assert.Equal("spec.template.spec", registry.Find("serving.knative.dev/v1", "Service")!.SpecPaths[0]);
        Assert.Null(registry.Find("v1", "Service"));
        Assert.Null(registry.Find("example.com/v1", "Deployment"));
        Assert.Equal("Deployment", registry.Find("extensions/v1beta1", "Deployment")!.Kind);
        Assert.Equal("Deployment", registry.Find(null, "Deployment")!.Kind);
        Assert.Equal("Sandbox", registry.Find("agents.x-k8s.io/v1beta1", "Sandbox")!.Kind);
        Assert.Null(registry.Find("agents.x-k8s.io/v1alpha1", "SandboxWarmPool")); // its pods come from the SandboxTemplate it names
        Assert.Equal("", PodTemplateRegistry.GroupOf("v1"));
        Assert.Equal("apps", PodTemplateRegistry.GroupOf("apps/v1"));
        Assert.Null(PodTemplateRegistry.GroupOf(null));
    }

    [Fact]
    public void With_adds_or_replaces_a_custom_kind_and_refuses_to_redefine_a_built_in_one()
    {
        var notebook = new PodTemplateKind("kubeflow.org", "Notebook", "notebooks", "spec.template.spec");
        var registry = PodTemplateRegistry.Default.With(notebook);
        Assert.Same(notebook, registry.Find("kubeflow.org/v1", "Notebook"));
        Assert.Null(PodTemplateRegistry.Default.Find("kubeflow.org/v1", "Notebook")); // the default is unchanged

        var rollout = new PodTemplateKind("argoproj.io", "Rollout", "rollouts", "spec.template.spec", "spec.extra.spec");
        var replaced = registry.With(rollout);
        Assert.Equal(registry.Kinds.Count, replaced.Kinds.Count);
        Assert.Same(rollout, replaced.Find("argoproj.io/v1alpha1", "Rollout"));

        var e = Assert.Throws<ArgumentException>(() => registry.With(new PodTemplateKind("apps", "Deployment", "deployments", "spec.other")));
        Assert.Contains("built-in kind", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apps/v1", "Kind", "kinds", "spec.template.spec", "is an apiVersion")]
    [InlineData("example.com", "Kind", "kinds", "spec.items[0].spec", "is not a key, * (every value of a map) or key[*]")]
    [InlineData("example.com", "Kind", "kinds", "spec.item*.spec", "is not a key")]
    [InlineData("example.com", "Kind", "kinds", "spec..spec", "empty or padded part")]
    [InlineData("example.com", "Kind", "kinds", " ", "spec")]
    public void Malformed_entries_are_refused_with_the_reason(string group, string kind, string resource, string path, string expected)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new PodTemplateKind(group, kind, resource, path));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_sits_beside_a_template_spec_and_is_the_object_itself_for_a_pod_spec_like_path()
    {
        Assert.Equal("spec.template.metadata", new PodSpecPath("spec.template.spec").Metadata);
        Assert.Equal("metadata", new PodSpecPath("spec").Metadata);
        Assert.Equal("spec.driver", new PodSpecPath("spec.driver").Metadata);
    }

    [Fact]
    public void Sandbox_writes_back_only_what_changed_in_an_unstructured_pod_spec()
    {
        var obj = new UnstructuredObject("argoproj.io/v1alpha1", "Rollout") { Metadata = new V1ObjectMeta { Name = "web" } };
        var container = new Dictionary<string, object?> { ["name"] = "web", ["image"] = "nginx", ["resources"] = new Dictionary<string, object?> { ["limits"] = new Dictionary<string, object?> { ["memory"] = 1L } } };
        var spec = new Dictionary<string, object?> { ["x-extension"] = "kept", ["containers"] = new List<object?> { container } };
        obj.Fields["spec"] = new Dictionary<string, object?> { ["template"] = new Dictionary<string, object?> { ["spec"] = spec } };

        Sandboxing.Sdk.SandboxExtensions.Sandbox(obj);
        Assert.Equal("kata-vm-isolation", spec["runtimeClassName"]);
        Assert.Equal("kept", spec["x-extension"]);
        Assert.Equal(1L, ((IDictionary<string, object?>)((IDictionary<string, object?>)container["resources"]!)["limits"]!)["memory"]); // not rewritten as "1"
        Assert.Equal(["x-extension", "containers", "runtimeClassName"], spec.Keys);
    }

    [Fact]
    public void A_later_entry_for_the_same_kind_takes_the_earlier_ones_place()
    {
        var first = new PodTemplateKind("example.com", "Widget", "widgets", "spec.a.spec");
        var other = new PodTemplateKind("example.com", "Gadget", "gadgets", "spec.template.spec");
        var second = new PodTemplateKind("example.com", "Widget", "widgets", "spec.b.spec");
        var registry = PodTemplateRegistry.BuiltIn.With(first, other, second);
        Assert.Equal([first.Kind, other.Kind], registry.CustomResources.Select(k => k.Kind));
        Assert.Same(second, registry.CustomResources.First());
        Assert.Same(second, registry.Find("example.com/v1", "Widget"));
    }

    [Fact]
    public void With_nothing_is_the_same_registry_and_a_new_kind_in_a_built_in_group_is_allowed()
    {
        var registry = PodTemplateRegistry.Default;
        Assert.Same(registry, registry.With());
        var widget = new PodTemplateKind("apps", "Widget", "widgets", "spec.template.spec");
        Assert.Same(widget, registry.With(widget).Find("apps/v1", "Widget"));
        Assert.Throws<ArgumentNullException>(() => registry.With(null!));
        Assert.Throws<ArgumentNullException>(() => registry.With([null!]));
    }

    [Fact]
    public void A_kind_needs_a_spec_path_and_shows_its_group()
    {
        var e = Assert.Throws<ArgumentException>(() => new PodTemplateKind("example.com", "Widget", "widgets", Array.Empty<string>()));
        Assert.Contains("Widget needs at least one pod spec path", e.Message, StringComparison.Ordinal);
        Assert.Equal("Deployment (apps)", PodTemplateRegistry.Default.Find("apps/v1", "Deployment")!.ToString());
        Assert.Equal("Pod", PodTemplateRegistry.Default.Find("v1", "Pod")!.ToString());
    }

    [Fact]
    public void Replicas_is_the_one_field_every_spec_reads_or_null_when_they_differ()
    {
        Assert.Equal("spec.replicas", PodTemplateRegistry.Default.Find("apps/v1", "Deployment")!.Replicas);
        var ray = PodTemplateRegistry.Default.Find("ray.io/v1", "RayCluster")!;
        Assert.Equal(2, ray.SpecPaths.Count);
        Assert.Null(ray.Replicas); // the head group has no count, the worker groups each have one
        Assert.Null(PodTemplateRegistry.Default.Find("apps/v1", "DaemonSet")!.Replicas);

        // Null whichever spec reads a count: here the first one does and the second does not.
        var mixed = new PodTemplateKind("example.com", "Widget", "widgets",
            new PodSpecPath("spec.leader.spec") { Replicas = "spec.leader.replicas" }, new PodSpecPath("spec.worker.spec"));
        Assert.Null(mixed.Replicas);
        Assert.Equal("spec.size", new PodTemplateKind("example.com", "Widget", "widgets", "spec.a.spec", "spec.b.spec") { Replicas = "spec.size" }.Replicas);
    }
}
