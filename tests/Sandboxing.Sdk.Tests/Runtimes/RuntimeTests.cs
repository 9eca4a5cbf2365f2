using k8s;
using k8s.Models;
using Sandboxing.Sdk.Catalog;
using Sandboxing.Sdk.Objects;
using Sandboxing.Sdk.Runtimes;

namespace Sandboxing.Sdk.Tests.Runtimes;

public class RuntimeTests
{
    [Fact]
    public void Default_struct_is_aks_kata_vm_isolation()
    {
        SandboxRuntime runtime = default;
        Assert.Equal("kata-vm-isolation", runtime.Name);
        Assert.Equal(SandboxRuntime.Default, runtime);
        Assert.Equal(SandboxPlatform.Aks, runtime.Platform);
        Assert.Equal(RuntimeClassStatus.Current, runtime.Status);
        Assert.Null(runtime.ReplacedBy);
    }

    [Fact]
    public void Deprecated_preview_class_points_to_the_ga_name()
    {
        var legacy = SandboxRuntime.AksKataMshvVmIsolation;
        Assert.Equal(RuntimeClassStatus.Deprecated, legacy.Status);
        Assert.Equal(SandboxRuntime.AksKataVmIsolation, legacy.ReplacedBy);
        Assert.Equal(RuntimeClassStatus.Retired, SandboxRuntime.AksKataCcIsolation.Status);
    }

    [Theory]
    [InlineData("gvisor", SandboxPlatform.Gke)]
    [InlineData("isolated-sandbox", SandboxPlatform.Eks)]
    [InlineData("kata", SandboxPlatform.OpenShift)]
    [InlineData("kata-qemu", SandboxPlatform.KataDeploy)]
    [InlineData("kata-clh", SandboxPlatform.KataDeploy)]
    [InlineData("kata-fc", SandboxPlatform.KataDeploy)]
    [InlineData("runv", SandboxPlatform.AlibabaCloud)]
    [InlineData("my-own-class", SandboxPlatform.Custom)]
    public void Presets_know_their_platform(string name, SandboxPlatform platform) =>
        Assert.Equal(platform, new SandboxRuntime(name).Platform);

    [Fact]
    public void Gvisor_needs_the_gke_toleration()
    {
        var toleration = Assert.Single(SandboxRuntime.GkeGvisor.PodTolerations);
        Assert.Equal(("sandbox.gke.io/runtime", "Equal", "gvisor", "NoSchedule"), (toleration.Key, toleration.OperatorProperty, toleration.Value, toleration.Effect));
        Assert.Equal(new KeyValuePair<string, string>("sandbox.gke.io/runtime", "gvisor"), SandboxRuntime.GkeGvisor.NodeSelector);
        Assert.Empty(SandboxRuntime.AksKataVmIsolation.PodTolerations);
    }

    [Fact]
    public void Pod_tolerations_are_fresh_copies()
    {
        var first = SandboxRuntime.GkeGvisor.PodTolerations;
        first[0].Value = "tampered";
        Assert.Equal("gvisor", SandboxRuntime.GkeGvisor.PodTolerations[0].Value);
    }

    [Fact]
    public void Equality_is_by_name_and_ordinal()
    {
        Assert.Equal(new SandboxRuntime("kata-qemu"), SandboxRuntime.KataQemu);
        Assert.True(SandboxRuntime.KataQemu == "kata-qemu");
        Assert.NotEqual(SandboxRuntime.KataQemu, SandboxRuntime.KataClh);
        Assert.Equal(SandboxRuntime.KataQemu.GetHashCode(), new SandboxRuntime("kata-qemu").GetHashCode());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Kata-VM", "uppercase")]
    [InlineData("-kata", "starts or ends with '-'")]
    [InlineData("kata_vm", "'_'")]
    public void Invalid_names_are_refused_with_the_reason(string name, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new SandboxRuntime(name));
        Assert.Contains(expected, error.Message);
        Assert.Contains("SBX0001", error.Message);
    }

    [Fact]
    public void Every_known_class_has_a_valid_unique_name_and_a_source()
    {
        var names = KnownRuntimeClasses.All.Select(k => k.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var known in KnownRuntimeClasses.All)
        {
            Assert.True(KubernetesNames.IsSubdomain(known.Name), known.Name);
            Assert.False(string.IsNullOrWhiteSpace(known.Source), known.Name);
            Assert.Equal(known.IsObsolete, known.ReplacedBy is not null);
        }

        Assert.Equal(names.Count, SandboxRuntime.Presets.Count());
    }

    [Fact]
    public void Custom_runtime_class_like_aks_small_kata_pods()
    {
        var small = SandboxRuntime.Define("small-kata-pods")
            .WithHandler("kata")
            .WithOverhead(memory: "120Mi", cpu: "250m")
            .WithNodeSelector("kubernetes.azure.com/kata-vm-isolation", "true")
            .WithToleration("sandbox", "kata", "NoSchedule")
            .Build();

        SandboxRuntime runtime = small;
        Assert.Equal("small-kata-pods", runtime.Name);
        Assert.Same(small, runtime.Definition);
        Assert.Equal(SandboxPlatform.Custom, runtime.Platform);
        Assert.Equal("120Mi", runtime.Overhead["memory"]);

        V1RuntimeClass rc = runtime.ToRuntimeClass();
        Assert.Equal("node.k8s.io/v1", rc.ApiVersion);
        Assert.Equal("RuntimeClass", rc.Kind);
        Golden.Match(KubernetesYaml.Serialize(rc));
    }

    [Fact]
    public void Known_classes_emit_what_the_platform_installs()
    {
        var rc = SandboxRuntime.AksKataVmIsolation.ToRuntimeClass();
        Assert.Equal("kata", rc.Handler);
        Assert.Equal("600Mi", rc.Overhead.PodFixed["memory"].ToString());
        Assert.Equal("true", rc.Scheduling.NodeSelector["kubernetes.azure.com/kata-vm-isolation"]);
        Assert.Single(SandboxRuntime.GkeGvisor.ToRuntimeClass().Scheduling.Tolerations);
    }

    [Theory]
    [InlineData("KATA")]
    [InlineData("bad handler")]
    public void Custom_handler_must_be_a_dns_label(string handler) =>
        Assert.ThrowsAny<ArgumentException>(() => SandboxRuntime.Define("x").WithHandler(handler));

    [Fact]
    public void Custom_overhead_quantity_is_checked()
    {
        var error = Assert.Throws<ArgumentException>(() => SandboxRuntime.Define("x").WithOverhead(memory: "120MB"));
        Assert.Contains("overhead.podFixed.memory", error.Message);
    }
}
