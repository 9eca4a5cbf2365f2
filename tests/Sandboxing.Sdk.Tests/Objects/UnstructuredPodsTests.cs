using System.Text.Json.Nodes;
using k8s.Models;
using Xunit;

namespace Sandboxing.Sdk.Tests.Objects;

// A custom resource's pod specs are bound into models and what a visitor changes is written back field by field: each test
// checks both that the change arrives and that every field the model does not know keeps its value.
public class UnstructuredPodsTests
{
    private static UnstructuredObject Rollout(string spec) =>
        (UnstructuredObject)SandboxManifest.Read($$"""
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata: {name: web, namespace: tenant}
            spec:
              replicas: 3
              template:
                metadata:
                  labels: {app: web}
                spec:
            {{spec}}
            """).Single();

    private static IDictionary<string, object?> SpecOf(UnstructuredObject obj) =>
        (IDictionary<string, object?>)obj.Get("spec.template.spec")!;

    private static IDictionary<string, object?> Container(UnstructuredObject obj, int i) =>
        (IDictionary<string, object?>)((IList<object?>)SpecOf(obj)["containers"]!)[i]!;

    private const string Containers = """
              runtimeClassName: runc
              extraField: kept
              securityContext: {runAsUser: 1000, vendorField: kept}
              nodeSelector: {pool: general}
              containers:
              - name: app
                image: app:1
                args: [serve, --port, "80"]
                vendorField: kept
              - name: sidecar
                image: sidecar:1
        """;

    [Fact]
    public void A_changed_value_replaces_the_old_one_and_unknown_fields_stay()
    {
        var obj = Rollout(Containers);
        PodTemplates.Visit(obj, site => site.Spec.RuntimeClassName = "kata-vm-isolation");
        Assert.Equal("kata-vm-isolation", SpecOf(obj)["runtimeClassName"]);
        Assert.Equal("kept", SpecOf(obj)["extraField"]);
        Assert.Equal("kept", Container(obj, 0)["vendorField"]);
    }

    [Fact]
    public void A_change_inside_a_nested_map_is_merged_into_that_map()
    {
        var obj = Rollout(Containers);
        PodTemplates.Visit(obj, site => site.Spec.SecurityContext.RunAsNonRoot = true);
        var context = (IDictionary<string, object?>)SpecOf(obj)["securityContext"]!;
        Assert.Equal(true, context["runAsNonRoot"]);
        Assert.Equal(1000L, context["runAsUser"]);
        Assert.Equal("kept", context["vendorField"]); // the map was merged, not replaced by the model's view of it
    }

    [Fact]
    public void List_items_are_merged_in_place_added_at_the_end_and_replaced_when_scalar()
    {
        var obj = Rollout(Containers);
        PodTemplates.Visit(obj, site =>
        {
            site.Spec.Containers[0].Args[2] = "8080";
            site.Spec.Containers[1].Image = "sidecar:2";
            site.Spec.Containers.Add(new V1Container { Name = "third", Image = "third:1" });
        });

        var containers = (IList<object?>)SpecOf(obj)["containers"]!;
        Assert.Equal(3, containers.Count);
        Assert.Equal(new object?[] { "serve", "--port", "8080" }, (IList<object?>)Container(obj, 0)["args"]!);
        Assert.Equal("kept", Container(obj, 0)["vendorField"]);
        Assert.Equal("sidecar:2", Container(obj, 1)["image"]);
        Assert.Equal("app:1", Container(obj, 0)["image"]);
        Assert.Equal("third", Container(obj, 2)["name"]);
        Assert.Equal("third:1", Container(obj, 2)["image"]);
    }

    [Fact]
    public void A_field_the_visitor_clears_is_removed()
    {
        var obj = Rollout(Containers);
        PodTemplates.Visit(obj, site => site.Spec.NodeSelector = null);
        Assert.False(SpecOf(obj).ContainsKey("nodeSelector"));
        Assert.True(SpecOf(obj).ContainsKey("extraField"));
    }

    [Fact]
    public void Sites_bind_each_spec_with_its_pod_metadata_and_count()
    {
        var obj = Rollout(Containers);
        var site = PodTemplates.FindAll(obj).Single();
        Assert.Equal("spec.template.spec", site.SpecPath);
        Assert.Equal("web", site.TemplateMetadata!.Labels["app"]);
        Assert.Equal(3, site.PodsAtOnce);
        Assert.Equal("runc", site.Spec.RuntimeClassName);
    }

    [Theory]
    [InlineData("spec.groups[1].replicas", 5L)]
    [InlineData("spec.groups[0].replicas", 2L)]
    [InlineData("spec['a.b'].c", "dotted")]
    [InlineData("spec['a.b'].list[1]", "second")]
    [InlineData("spec.matrix[1][0]", "c")]      // an index right after an index
    [InlineData("spec.matrix[0][1]", "b")]
    [InlineData(".spec.groups[1].replicas", 5L)]
    public void Follow_reads_keys_quoted_keys_and_list_indexes(string path, object expected) =>
        Assert.Equal(expected, UnstructuredPods.Follow(Tree(), path));

    [Theory]
    [InlineData("spec.groups[2].replicas")]  // one past the end
    [InlineData("spec.groups[-1].replicas")]
    [InlineData("spec.groups[x]")]
    [InlineData("spec.groups[0")]            // unclosed
    [InlineData("spec['a.b'")]
    [InlineData("spec[")]
    [InlineData("spec.groups['0']")]         // a quoted key names a map entry, not a list item
    [InlineData("spec[0]")]                  // an index on a map
    [InlineData("spec.missing.deeper")]
    public void Follow_gives_null_for_a_path_the_tree_does_not_have(string path) =>
        Assert.Null(UnstructuredPods.Follow(Tree(), path));

    private static Dictionary<string, object?> Tree() => new()
    {
        ["spec"] = new Dictionary<string, object?>
        {
            ["groups"] = new List<object?>
            {
                new Dictionary<string, object?> { ["replicas"] = 2L },
                new Dictionary<string, object?> { ["replicas"] = 5L },
            },
            ["a.b"] = new Dictionary<string, object?> { ["c"] = "dotted", ["list"] = new List<object?> { "first", "second" } },
            ["matrix"] = new List<object?> { new List<object?> { "a", "b" }, new List<object?> { "c" } },
        },
    };

    [Fact]
    public void ToJson_and_FromJson_carry_the_type_the_metadata_and_every_field()
    {
        var obj = new UnstructuredObject("example.com/v1", "Widget") { Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = "t" } };
        obj.Fields["spec"] = new Dictionary<string, object?> { ["size"] = 3L, ["ratio"] = 0.5, ["on"] = true, ["off"] = false, ["tags"] = new List<object?> { "a" } };

        var json = UnstructuredPods.ToJson(obj);
        Assert.Equal("example.com/v1", (string?)json["apiVersion"]);
        Assert.Equal("Widget", (string?)json["kind"]);
        Assert.Equal("w", (string?)json["metadata"]!["name"]);
        Assert.Equal(3L, (long)json["spec"]!["size"]!);

        var back = UnstructuredPods.FromJson(json);
        Assert.Equal("example.com/v1", back.ApiVersion);
        Assert.Equal("Widget", back.Kind);
        Assert.Equal("t", back.Metadata.NamespaceProperty);
        Assert.Equal(["spec"], back.Fields.Keys); // apiVersion, kind and metadata are not fields
        var spec = (IDictionary<string, object?>)back.Fields["spec"]!;
        Assert.Equal(3L, spec["size"]);
        Assert.Equal(0.5, spec["ratio"]);
        Assert.Equal(true, spec["on"]);
        Assert.Equal(false, spec["off"]);
        Assert.Equal(new object?[] { "a" }, (IList<object?>)spec["tags"]!);
    }

    [Fact]
    public void FromJson_names_a_missing_type_v1_Unknown()
    {
        var obj = UnstructuredPods.FromJson(new JsonObject { ["data"] = "x" });
        Assert.Equal("v1", obj.ApiVersion);
        Assert.Equal("Unknown", obj.Kind);
        Assert.Equal("x", obj.Fields["data"]);
    }
}
