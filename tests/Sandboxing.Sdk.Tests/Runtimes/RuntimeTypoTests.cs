namespace Sandboxing.Sdk.Tests.Runtimes;

/// <summary>A misspelt runtime class is refused where code names it; custom classes far from every preset, and declared ones, are kept.</summary>
public class RuntimeTypoTests
{
    [Theory]
    [InlineData("kata-vm-isolaton", "kata-vm-isolation")]
    [InlineData("kata-vm-isoaltion", "kata-vm-isolation")]
    [InlineData("kata-qmeu", "kata-qemu")]
    [InlineData("gviosr", "gvisor")]
    public void WithRuntime_refuses_a_typo_of_a_preset_with_did_you_mean(string typo, string meant)
    {
        var error = Assert.Throws<SandboxException>(() => Sandboxed.Pod("app").WithRuntime(typo));
        Assert.Contains($"'{typo}' is not a runtime class the SDK knows; did you mean '{meant}'?", error.Message, StringComparison.Ordinal);
        Assert.Contains($"SandboxRuntime.Define(\"{typo}\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SandboxOptions_Runtime_and_Sandbox_refuse_a_typo_too()
    {
        var error = Assert.Throws<SandboxException>(() => new SandboxOptions { Runtime = "kata-vm-isolaton" });
        Assert.StartsWith("SandboxOptions.Runtime: 'kata-vm-isolaton'", error.Message, StringComparison.Ordinal);
        var pods = new List<k8s.Models.V1Pod> { new() { Spec = new() { Containers = [new() { Name = "c", Image = "busybox:1.36" }] } } };
        Assert.Throws<SandboxException>(() => pods.Sandbox("kata-vm-isolaton"));
        Assert.Null(pods[0].Spec.RuntimeClassName);
    }

    [Theory]
    [InlineData("kata-vm-isolation")]   // presets, including the kata-deploy and GKE ones users name by hand
    [InlineData("kata-qemu")]
    [InlineData("gvisor")]
    [InlineData("kata-internal-pool")]  // far from every preset and named like a Kata handler: a custom class, as before
    public void Presets_and_names_far_from_every_preset_build_as_before(string name)
    {
        var pod = Sandboxed.Pod("app").WithRuntime(name).WithContainer("c", "busybox:1.36").Build();
        Assert.Equal(name, pod.Spec.RuntimeClassName);
        Assert.Equal(name, new SandboxOptions { Runtime = name }.Runtime.Name);
    }

    [Fact]
    public void A_declared_class_is_taken_even_when_it_is_close_to_a_preset()
    {
        var declared = SandboxRuntime.Define("kata-qemu2").WithHandler("kata-qemu").Build();
        Assert.Throws<SandboxException>(() => Sandboxed.Pod("app").WithRuntime("kata-qemu2"));
        var pod = Sandboxed.Pod("app").WithRuntime(declared).WithContainer("c", "busybox:1.36").Build();
        Assert.Equal("kata-qemu2", pod.Spec.RuntimeClassName);
    }
}
