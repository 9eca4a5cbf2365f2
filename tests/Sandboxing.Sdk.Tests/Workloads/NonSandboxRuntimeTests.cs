using k8s.Models;

namespace Sandboxing.Sdk.Tests.Workloads;

/// <summary>The builders and Sandbox() take sandbox classes only: a name that is no sandbox needs a definition with a sandbox handler.</summary>
public class NonSandboxRuntimeTests
{
    [Theory]
    [InlineData("nvidia")]
    [InlineData("default")]
    [InlineData("my-runtime")]
    public void WithRuntime_refuses_a_class_that_is_not_a_sandbox(string name)
    {
        var e = Assert.Throws<SandboxException>(() => Sandboxed.Pod("p").WithRuntime(name));
        Assert.Contains($"Pod p: WithRuntime: '{name}' is not a sandbox runtime class", e.Message, StringComparison.Ordinal);
        Assert.Contains($"SandboxRuntime.Define(\"{name}\")", e.Message, StringComparison.Ordinal);
        Assert.Throws<SandboxException>(() => new V1Pod { Spec = new V1PodSpec { Containers = [] } }.Sandbox(name));
    }

    [Fact]
    public void A_definition_is_judged_by_its_handler()
    {
        var onRunc = SandboxRuntime.Define("fast-pods").WithHandler("runc").Build();
        var e = Assert.Throws<SandboxException>(() => Sandboxed.Pod("p").WithRuntime(onRunc));
        Assert.Contains("handler 'runc', which is not a sandbox", e.Message, StringComparison.Ordinal);

        var small = SandboxRuntime.Define("small-kata-pods").WithHandler("kata").Build();
        var pod = Sandboxed.Pod("p").WithRuntime(small).WithContainer("app", "nginx").Build();
        Assert.Equal("small-kata-pods", pod.Spec.RuntimeClassName);
        Assert.Equal("kata-remote", Sandboxed.Pod("q").WithRuntime("kata-remote").WithContainer("app", "nginx").Build().Spec.RuntimeClassName);
    }
}
