using k8s;
using k8s.Models;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.Manifests;

public class ManifestTests
{
    [Fact]
    public void Writes_multi_document_yaml_deterministically()
    {
        var objects = TestObjects.AllKinds().ToList();
        objects.Sandbox();
        var yaml = SandboxManifest.ToYaml(objects, SandboxRuntime.AksKataVmIsolation.ToRuntimeClass());
        Assert.Equal(yaml, SandboxManifest.ToYaml(objects, SandboxRuntime.AksKataVmIsolation.ToRuntimeClass()));
        Assert.Equal(9, yaml.Split("---\n").Length - 1);
        Golden.Match(yaml);
    }

    [Fact]
    public void Reads_back_what_it_writes()
    {
        var objects = TestObjects.AllKinds().ToList();
        objects.Sandbox();
        var yaml = SandboxManifest.ToYaml(objects);
        var read = SandboxManifest.Read(yaml);
        Assert.Equal(objects.Select(o => o.GetType()), read.Select(o => o.GetType()));
        Assert.Equal(yaml, SandboxManifest.ToYaml(read));
    }

    [Fact]
    public void Expands_lists_and_skips_empty_documents()
    {
        const string yaml = """
            ---
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Pod
              metadata: {name: a}
              spec: {containers: [{name: c, image: i}]}
            - apiVersion: batch/v1
              kind: Job
              metadata:
                name: b
              spec:
                template:
                  spec:
                    containers:
                    - name: c
                      image: i
            ---
            # only a comment
            ---
            apiVersion: apps/v1
            kind: DeploymentList
            items: []
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: cfg
            data:
              key: "1"
            """;
        var read = SandboxManifest.ReadWithLocations(yaml, "list.yaml");
        Assert.Equal(["Pod", "Job", "ConfigMap"], read.Select(o => o.Object.Kind));
        Assert.Equal([(1, 5), (1, 9), (4, 26)], read.Select(o => (o.DocumentIndex, o.Line)));
        Assert.Equal("1", ((V1ConfigMap)read[2].Object).Data["key"]);
    }

    [Fact]
    public void Runtime_classes_are_read_and_every_other_document_is_skipped_unbound()
    {
        const string yaml = """
            replicaCount: 2   # Helm values: not a Kubernetes object
            ---
            apiVersion: v1
            kind: List
            items:
              - apiVersion: node.k8s.io/v1
                kind: RuntimeClass
                metadata: {name: small-kata-pods}
                handler: kata
                overhead: {podFixed: {memory: 120Mi}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec: {replicas: two}
            ---
            apiVersion: node.k8s.io/v1beta1
            kind: RuntimeClass
            metadata: {name: old}
            handler: kata
            """;

        var found = Assert.Single(SandboxManifest.ReadRuntimeClasses(ManifestSource.FromText(yaml, "rc.yaml")));
        var rc = Assert.IsType<V1RuntimeClass>(found.Object);
        Assert.Equal(("small-kata-pods", "kata", 6, 5), (rc.Metadata.Name, rc.Handler, found.Line, found.Column));
        Assert.Equal("120Mi", RuntimeClassDefinition.FromRuntimeClass(rc).Overhead["memory"]);
    }

    [Fact]
    public void Syntax_errors_name_the_document_line_and_column()
    {
        const string yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n";
        var error = Assert.Throws<ManifestException>(() => SandboxManifest.Read(yaml, "pods.yaml"));
        Assert.Equal(2, error.DocumentIndex);
        Assert.Equal("pods.yaml", error.Source);
        Assert.True(error.Line >= 9, error.Message);
        Assert.StartsWith($"pods.yaml:{error.Line}:{error.Column}: document 2: YAML syntax error", error.Message);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\n\tmetadata: {}\n", "YAML syntax error")]
    [InlineData("just a string\n", "expected a Kubernetes object")]
    [InlineData("kind: Pod\nmetadata: {name: x}\n", "no apiVersion or no kind")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - name: c\n    resources:\n      limits:\n        memory: lots\n", "does not match the v1 Pod schema")]
    [InlineData("apiVersion: v1\nkind: List\nitems: 3\n", "must be a sequence")]
    public void Bad_manifests_say_what_is_wrong(string yaml, string expected)
    {
        var error = Assert.Throws<ManifestException>(() => SandboxManifest.Read(yaml, "bad.yaml"));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("bad.yaml:", error.Message);
    }

    [Fact]
    public void Alias_bombs_and_unrendered_helm_templates_are_refused_not_expanded()
    {
        var bomb = new System.Text.StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++)
        {
            bomb.Append($"x{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        var error = Assert.Throws<ManifestException>(() => SandboxManifest.Read(bomb.ToString(), "bomb.yaml"));
        Assert.StartsWith("bomb.yaml:", error.Message);

        var helm = Assert.Throws<ManifestException>(() => SandboxManifest.Read("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n", "chart.yaml"));
        Assert.Contains("helm template", helm.Message);
    }

    [Fact]
    public void Nothing_partial_is_returned_on_error()
    {
        const string yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: apps/v1\nkind: Deployment\nspec: {replicas: many}\n";
        IReadOnlyList<IKubernetesObject>? result = null;
        Assert.Throws<ManifestException>(() => result = SandboxManifest.Read(yaml));
        Assert.Null(result);
    }

    [Fact]
    public void Non_kubernetes_objects_cannot_be_written() =>
        Assert.Throws<ArgumentException>(() => SandboxManifest.ToYaml(new object()));
}
