using Xunit;

namespace Sandboxing.Sdk.Tests.Objects;

// The registry's '*' and '[*]' paths expand over the object: every spec found once, under the path findings print, with the
// replica count read beside it. A spec missed is a pod the gate never sees.
public class PodSpecLocatorTests
{
    private static UnstructuredObject Read(string yaml) => (UnstructuredObject)SandboxManifest.Read(yaml).Single();

    private static string PyTorchJob(string replicaSpecs) => $$"""
        apiVersion: kubeflow.org/v1
        kind: PyTorchJob
        metadata: {name: train}
        spec:
          pytorchReplicaSpecs: {{replicaSpecs}}
        """;

    private const string Pod = "{template: {spec: {containers: [{name: c, image: i}]}}}";

    [Fact]
    public void Map_keys_with_dots_brackets_or_nothing_are_quoted_in_the_path()
    {
        var job = Read(PyTorchJob($$"""{"a.b": {{Pod}}, ".x": {{Pod}}, "[y": {{Pod}}, "": {{Pod}}, "Worker": {{Pod}}}"""));
        Assert.Equal(
            [
                "spec.pytorchReplicaSpecs['a.b'].template.spec",
                "spec.pytorchReplicaSpecs['.x'].template.spec",
                "spec.pytorchReplicaSpecs['[y'].template.spec",
                "spec.pytorchReplicaSpecs[''].template.spec",
                "spec.pytorchReplicaSpecs.Worker.template.spec",
            ],
            PodTemplates.FindAll(job).Select(s => s.SpecPath));
    }

    [Theory]
    [InlineData("worker")]                 // a scalar where the map of replica specs belongs
    [InlineData($"[{Pod}]")]               // a list where a map belongs: '*' reads map values only
    [InlineData("{Worker: 3}")]
    public void Another_shape_where_a_wildcard_expects_a_map_holds_no_spec(string replicaSpecs) =>
        Assert.Empty(PodTemplates.FindAll(Read(PyTorchJob(replicaSpecs))));

    [Fact]
    public void A_list_where_an_item_wildcard_expects_one_holds_no_spec_and_a_map_is_not_a_list()
    {
        var jobSet = Read("""
            apiVersion: jobset.x-k8s.io/v1alpha2
            kind: JobSet
            metadata: {name: js}
            spec:
              replicatedJobs: {a: {template: {spec: {template: {spec: {containers: [{name: c, image: i}]}}}}}}
            """);
        Assert.Empty(PodTemplates.FindAll(jobSet));
    }

    [Fact]
    public void A_key_named_star_is_one_spec_not_two()
    {
        var job = Read(PyTorchJob($$"""{"*": {{Pod}}}"""));
        Assert.Equal(["spec.pytorchReplicaSpecs.*.template.spec"], PodTemplates.FindAll(job).Select(s => s.SpecPath));
    }

    [Fact]
    public void Each_wildcard_of_the_replicas_path_takes_the_key_its_spec_took()
    {
        var kind = new PodTemplateKind("example.com", "Fleet", "fleets", "spec.groups.*.members[*].template.spec")
        {
            Replicas = "spec.groups.*.members[*].count",
        };
        var fleet = Read("""
            apiVersion: example.com/v1
            kind: Fleet
            metadata: {name: f}
            spec:
              groups:
                east:
                  members:
                  - {count: 2, template: {spec: {containers: [{name: c, image: i}]}}}
                  - {count: 7, template: {spec: {containers: [{name: c, image: i}]}}}
                west:
                  members:
                  - {count: 4, template: {spec: {containers: [{name: c, image: i}]}}}
            """);
        var sites = PodTemplates.FindAll(fleet, PodTemplateRegistry.Default.With(kind));
        Assert.Equal(
            ["spec.groups.east.members[0].template.spec", "spec.groups.east.members[1].template.spec", "spec.groups.west.members[0].template.spec"],
            sites.Select(s => s.SpecPath));
        Assert.Equal([2, 7, 4], sites.Select(s => s.PodsAtOnce));
    }

    [Fact]
    public void A_replicas_path_with_more_wildcards_than_its_spec_reads_the_default()
    {
        var kind = new PodTemplateKind("example.com", "Pool", "pools", "spec.*.template.spec") { Replicas = "spec.*.counts.*" };
        var pool = Read("""
            apiVersion: example.com/v1
            kind: Pool
            metadata: {name: p}
            spec:
              a: {counts: {x: 5}, template: {spec: {containers: [{name: c, image: i}]}}}
            """);
        var site = Assert.Single(PodTemplates.FindAll(pool, PodTemplateRegistry.Default.With(kind)));
        Assert.Equal("spec.a.template.spec", site.SpecPath);
        Assert.Equal(1, site.PodsAtOnce); // "spec.a.counts.*" names no single field
    }
}
