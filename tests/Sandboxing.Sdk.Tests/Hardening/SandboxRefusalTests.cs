using k8s;
using k8s.Models;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.Hardening;

/// <summary>Sandbox() refuses what the fixer refuses, judges classes as sandboxes only, and takes collections of Kubernetes objects only.</summary>
public class SandboxRefusalTests
{
    private const string HostNetworkYaml = """
        apiVersion: v1
        kind: Pod
        metadata: {name: agent}
        spec:
          hostNetwork: true
          containers:
          - {name: app, image: nginx}
        """;

    private static V1Pod Pod(string name, bool hostNetwork = false, string? runtimeClass = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { HostNetwork = hostNetwork ? true : null, RuntimeClassName = runtimeClass, Containers = [new V1Container { Name = "app", Image = "nginx" }] },
    };

    [Fact]
    public void Sandbox_refuses_a_host_network_pod_as_fix_does_and_changes_nothing()
    {
        var fixedYaml = ManifestFixer.Fix(HostNetworkYaml, "agent.yaml");
        Assert.Empty(fixedYaml.Edits);
        Assert.Contains(fixedYaml.Skipped, p => p.Message.Contains("hostNetwork", StringComparison.Ordinal));

        var pod = (V1Pod)SandboxManifest.Read(HostNetworkYaml, "agent.yaml").Single();
        var e = Assert.Throws<SandboxException>(() => pod.Sandbox());
        Assert.StartsWith("SBX2001: Pod agent uses hostNetwork", e.Message, StringComparison.Ordinal);
        Assert.Contains("SkipOptedOut", e.Message, StringComparison.Ordinal);
        Assert.Null(pod.Spec.RuntimeClassName);

        // Nothing in a collection changes when one pod is refused.
        var good = Pod("web");
        var objects = new List<IKubernetesObject> { good, Pod("agent", hostNetwork: true) };
        Assert.Throws<SandboxException>(() => objects.Sandbox());
        Assert.Null(good.Spec.RuntimeClassName);

        // An opted-out host-network pod is left alone when asked.
        var optedOut = Pod("agent", hostNetwork: true);
        optedOut.Metadata.Annotations = new Dictionary<string, string> { [SandboxAnnotations.Exempt] = "node agent" };
        optedOut.Sandbox(new SandboxOptions { SkipOptedOut = true });
        Assert.Null(optedOut.Spec.RuntimeClassName);
    }

    [Theory]
    [InlineData("runc", false)]
    [InlineData("nvidia", false)]
    [InlineData("default", false)]
    [InlineData(" ", false)]
    [InlineData("small-kata-pods", false)]
    [InlineData("kata-vm-isolation", true)]
    [InlineData("kata-mshv-vm-isolation", true)]
    [InlineData("gvisor", true)]
    [InlineData("kata-qemu", true)]
    public void IsSandboxed_is_true_for_sandbox_classes_only(string runtimeClass, bool sandboxed) =>
        Assert.Equal(sandboxed, Pod("p", runtimeClass: runtimeClass).IsSandboxed());

    [Fact]
    public void IsSandboxed_judges_a_declared_class_by_its_handler()
    {
        var small = SandboxRuntime.Define("small-kata-pods").WithHandler("kata").Build();
        var onRunc = SandboxRuntime.Define("kata-fast").WithHandler("runc").Build();
        Assert.True(Pod("p", runtimeClass: "small-kata-pods").IsSandboxed([small]));
        Assert.False(Pod("p", runtimeClass: "kata-fast").IsSandboxed([onRunc]));
        Assert.True(Pod("p", runtimeClass: "kata-fast").IsSandboxed()); // by name alone: a kata-* handler
        Assert.False(Pod("p").IsSandboxed());
    }

    [Fact]
    public void Every_collection_overload_of_Sandbox_takes_Kubernetes_objects_only()
    {
        // A Dictionary<string, V1Deployment> is an IEnumerable of key/value pairs: without the constraint, Sandbox() on it
        // would visit nothing and return as if it had sandboxed the deployments.
        var overloads = typeof(SandboxExtensions).GetMethods().Concat(typeof(NodePoolExtensions).GetMethods())
            .Where(m => m.Name == "Sandbox" && m.GetParameters()[0].ParameterType.IsGenericType
                && m.GetParameters()[0].ParameterType.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            .ToList();
        Assert.Equal(3, overloads.Count);
        Assert.All(overloads, m => Assert.Contains(typeof(IKubernetesObject), m.GetGenericArguments()[0].GetGenericParameterConstraints()));
    }
}
