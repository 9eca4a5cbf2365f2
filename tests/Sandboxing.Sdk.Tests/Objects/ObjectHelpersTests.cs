using System.Text.Json;
using k8s.Models;
using Xunit;

namespace Sandboxing.Sdk.Tests.Objects;

// The small shared helpers every output and count goes through: how an object is named, how many pods it runs, how a table
// lines up, where an exemption was found.
public class ObjectHelpersTests
{
    [Fact]
    public void TextTable_pads_each_column_to_its_widest_cell_and_takes_rows_of_any_length()
    {
        Assert.Equal(
            "NAME    KIND  EXTRA\nlonger  Pod\nx\n",
            TextTable.Format([["NAME", "KIND", "EXTRA"], ["longer", "Pod"], ["x"]]));
        Assert.Equal("a  b\n", TextTable.Format([["a", "b"]]));
        Assert.Equal("", TextTable.Format([]));
    }

    [Fact]
    public void PlainData_reads_json_booleans_numbers_and_nulls()
    {
        using var json = JsonDocument.Parse("""{"yes": true, "no": false, "n": 3, "x": 1.5, "none": null, "list": ["a"]}""");
        var data = (Dictionary<string, object?>)PlainData.FromJson(json.RootElement)!;
        Assert.Equal(true, data["yes"]);
        Assert.Equal(false, data["no"]);
        Assert.Equal(3L, data["n"]);
        Assert.Equal(1.5, data["x"]);
        Assert.Null(data["none"]);
        Assert.Equal(new object?[] { "a" }, (List<object?>)data["list"]!);
    }

    [Fact]
    public void FindExemption_says_where_the_reason_was_found()
    {
        var owner = new V1ObjectMeta { Annotations = new Dictionary<string, string> { [SandboxAnnotations.Exempt] = "host agent" } };
        var template = new V1ObjectMeta { Annotations = new Dictionary<string, string> { [SandboxAnnotations.Exempt] = "from template" } };

        Assert.Equal("host agent", SandboxAnnotations.FindExemption(owner, template, SandboxAnnotations.Exempt, out var path));
        Assert.Equal("metadata.annotations['sandboxing.sdk/exempt']", path);

        Assert.Equal("from template", SandboxAnnotations.FindExemption(new V1ObjectMeta(), template, SandboxAnnotations.Exempt, out path));
        Assert.Equal("template metadata.annotations['sandboxing.sdk/exempt']", path);

        Assert.Null(SandboxAnnotations.FindExemption(null, null, SandboxAnnotations.Exempt, out path));
        Assert.Equal("", path);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void UnstructuredObject_needs_an_apiVersion_and_a_kind(string blank)
    {
        Assert.Throws<ArgumentException>(() => new UnstructuredObject(blank, "Widget"));
        Assert.Throws<ArgumentException>(() => new UnstructuredObject("example.com/v1", blank));
        Assert.Throws<ArgumentException>(() => new UnstructuredObject("example.com/v1", "Widget").Get(blank));
    }

    [Fact]
    public void UnstructuredObject_Get_follows_map_keys_only()
    {
        var obj = new UnstructuredObject("example.com/v1", "Widget");
        obj.Fields["spec"] = new Dictionary<string, object?> { ["size"] = 3L, ["list"] = new List<object?> { "a" } };
        Assert.Equal(3L, obj.Get("spec.size"));
        Assert.Null(obj.Get("spec.missing"));
        Assert.Null(obj.Get("spec.list.0"));
        Assert.Equal("Widget (unnamed)", obj.ToString());
    }

    [Fact]
    public void KindOf_falls_back_to_the_model_type_and_drops_only_the_V1_prefix()
    {
        Assert.Equal("Service", PodTemplates.KindOf(new V1Service()));
        Assert.Equal("V2HorizontalPodAutoscaler", PodTemplates.KindOf(new V2HorizontalPodAutoscaler()));
        Assert.Equal("Custom", PodTemplates.KindOf(new V1Service { Kind = "Custom" }));
        foreach (var obj in TestObjects.AllKinds())
        {
            var typeName = obj.GetType().Name;
            obj.Kind = null;
            Assert.Equal(typeName[2..], PodTemplates.KindOf(obj));
        }
    }

    [Fact]
    public void Describe_shows_kind_namespace_and_name_or_unnamed()
    {
        Assert.Equal("Pod tenant/web", PodTemplates.Describe(new V1Pod { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "tenant" } }));
        Assert.Equal("Pod web", PodTemplates.Describe(new V1Pod { Metadata = new V1ObjectMeta { Name = "web" } }));
        Assert.Equal("Pod (unnamed)", PodTemplates.Describe(new V1Pod { Metadata = new V1ObjectMeta { Name = "" } }));
        Assert.Equal("Pod (unnamed)", PodTemplates.Describe(new V1Pod()));
    }

    [Fact]
    public void PodsAtOnce_reads_replicas_defaulting_to_one_and_the_smaller_of_parallelism_and_completions()
    {
        int Pods(object obj) => Assert.Single(PodTemplates.FindAll(obj)).PodsAtOnce;

        var sts = TestObjects.StatefulSet();
        var rs = TestObjects.ReplicaSet();
        var rc = TestObjects.ReplicationController();
        Assert.Equal([1, 1, 1], new object[] { sts, rs, rc }.Select(Pods));
        sts.Spec.Replicas = 4;
        rs.Spec.Replicas = 5;
        rc.Spec.Replicas = 6;
        Assert.Equal([4, 5, 6], new object[] { sts, rs, rc }.Select(Pods));

        var job = TestObjects.Job();
        Assert.Equal(1, Pods(job));
        job.Spec.Parallelism = 3;
        Assert.Equal(3, Pods(job));
        job.Spec.Completions = 2;
        Assert.Equal(2, Pods(job));

        var cron = TestObjects.CronJob();
        Assert.Equal(1, Pods(cron));
        cron.Spec.JobTemplate.Spec.Parallelism = 2;
        Assert.Equal(2, Pods(cron));
        cron.Spec.JobTemplate.Spec.Completions = 5;
        Assert.Equal(2, Pods(cron));
        cron.Spec.JobTemplate.Spec.Parallelism = 6;
        Assert.Equal(5, Pods(cron));

        Assert.Equal(0, Pods(TestObjects.PodTemplate()));
        Assert.Equal(1, Pods(TestObjects.DaemonSet()));
    }

    [Fact]
    public void TryGet_on_a_custom_resource_gives_its_first_spec_or_false()
    {
        var rollout = new UnstructuredObject("argoproj.io/v1alpha1", "Rollout");
        rollout.Fields["spec"] = new Dictionary<string, object?>
        {
            ["template"] = new Dictionary<string, object?> { ["spec"] = new Dictionary<string, object?> { ["runtimeClassName"] = "kata-vm-isolation" } },
        };
        Assert.True(PodTemplates.TryGet(rollout, out var site));
        Assert.Equal("kata-vm-isolation", site.Spec.RuntimeClassName);
        Assert.Equal("spec.template.spec", site.SpecPath);

        Assert.False(PodTemplates.TryGet(new UnstructuredObject("example.com/v1", "Widget"), out site));
        Assert.Null(site);
        Assert.False(PodTemplates.TryGet(new UnstructuredObject("argoproj.io/v1alpha1", "Rollout"), out site)); // no spec yet
    }
}
