using k8s;
using k8s.Models;

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

    [Theory]
    [InlineData("kata-qemu-debug", "kata-qemu", "320Mi")]
    [InlineData("kata-clh-devkit", "kata-clh", "130Mi")]
    [InlineData("kata-qemu-nvidia-gpu-debug", "kata-qemu-nvidia-gpu", "10240Mi")]
    public void Kata_deploy_debug_variants_are_known_sandboxes_that_are_not_allowed_by_default(string name, string baseName, string overhead)
    {
        var variant = KnownRuntimeClasses.Find(name);
        Assert.NotNull(variant);
        Assert.True(variant.Debugging);
        Assert.False(variant.IsAllowedByDefault);
        Assert.Equal(name, variant.Handler);                          // kata-deploy registers the variant's own handler
        Assert.True(RuntimeClassDefinition.IsSandboxHandler(variant.Handler));
        Assert.Equal(overhead, variant.OverheadMemory);               // the chart reuses the shim's overhead and node selector
        Assert.Equal(KnownRuntimeClasses.Find(baseName)!.NodeSelectorKey, variant.NodeSelectorKey);
        Assert.DoesNotContain(KnownRuntimeClasses.All, k => k.Name == name);

        var limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1Gi") };
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec
            {
                RuntimeClassName = name,
                Containers = [new V1Container { Name = "c", Image = "img:1", Resources = new V1ResourceRequirements { Limits = limits, Requests = limits } }],
            },
        };
        Assert.Contains(SandboxValidator.Validate(pod), f => f.RuleId == "SBX1002");
        Assert.DoesNotContain(SandboxValidator.Validate(pod, new SandboxValidationOptions { AllowedRuntimeClasses = [name] }), f => f.RuleId == "SBX1002");
    }

    [Theory]
    [InlineData("kata-vm-isolation-debug")]   // only kata-deploy makes debugging variants
    [InlineData("kata-unknown-debug")]
    public void Debug_suffixes_of_other_classes_are_not_known(string name) => Assert.Null(KnownRuntimeClasses.Find(name));

    [Fact]
    public void Deprecated_preview_class_points_to_the_ga_name()
    {
        var legacy = SandboxRuntime.AksKataMshvVmIsolation;
        Assert.Equal(RuntimeClassStatus.Deprecated, legacy.Status);
        Assert.Equal(SandboxRuntime.AksKataVmIsolation, legacy.ReplacedBy);
        Assert.Equal(RuntimeClassStatus.Retired, SandboxRuntime.AksKataCcIsolation.Status);
    }

    [Theory]
    [InlineData("gvisor", "Gke")]
    [InlineData("isolated-sandbox", "Eks")]
    [InlineData("kata", "OpenShift")]
    [InlineData("kata-qemu", "KataDeploy")]
    [InlineData("kata-clh", "KataDeploy")]
    [InlineData("kata-fc", "KataDeploy")]
    [InlineData("runv", "AlibabaCloud")]
    [InlineData("my-own-class", "Custom")]
    public void Presets_know_their_platform(string name, string platform) =>
        Assert.Equal(platform, new SandboxRuntime(name).Platform.ToString());

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

    [Theory]
    [InlineData("kata", true)]
    [InlineData("kata-qemu", true)]
    [InlineData("kata-cc", true)]
    [InlineData("gvisor", true)]
    [InlineData("runv", true)]
    [InlineData("isolated-sandbox", true)]
    [InlineData("runc", false)]
    [InlineData("crun", false)]
    [InlineData("youki", false)]
    [InlineData("nvidia", false)]
    [InlineData("katana", false)]
    [InlineData("", false)]
    public void A_class_is_a_sandbox_by_its_handler_not_its_name(string handler, bool sandbox)
    {
        Assert.Equal(sandbox, RuntimeClassDefinition.IsSandboxHandler(handler));
        Assert.Equal(handler is "runc" or "crun" or "youki", handler.Length > 0 && new SandboxRuntime(handler).IsHostKernel);
        if (handler.Length > 0)
        {
            Assert.Equal(sandbox, SandboxRuntime.Define("kata-looking-name").WithHandler(handler).Build().IsSandbox);
        }
    }

    [Fact]
    public void A_runtime_class_object_becomes_a_definition()
    {
        var rc = new V1RuntimeClass
        {
            Metadata = new V1ObjectMeta { Name = "small-kata-pods" },
            Handler = "kata",
            Overhead = new V1Overhead { PodFixed = new Dictionary<string, ResourceQuantity> { ["memory"] = new("120Mi"), ["cpu"] = new("250m"), ["pods"] = new("1") } },
            Scheduling = new V1Scheduling
            {
                NodeSelector = new Dictionary<string, string> { ["kubernetes.azure.com/kata-vm-isolation"] = "true" },
                Tolerations = [new V1Toleration { OperatorProperty = "Exists" }],
            },
        };

        var definition = RuntimeClassDefinition.FromRuntimeClass(rc);
        Assert.Equal("small-kata-pods", definition.Name);
        Assert.Equal("kata", definition.Handler);
        Assert.True(definition.IsSandbox);
        Assert.Equal(new Dictionary<string, string> { ["memory"] = "120Mi", ["cpu"] = "250m" }, definition.Overhead);
        Assert.Equal("true", definition.NodeSelector["kubernetes.azure.com/kata-vm-isolation"]);
        Assert.Equal("Exists", Assert.Single(definition.Tolerations).OperatorProperty);
        Assert.Equal((120m * 1024 * 1024, 0.25m), definition.AsRuntime().OverheadValues);
    }

    [Theory]
    [InlineData("Small", "kata", null, "metadata.name")]
    [InlineData("small", "Kata", null, "handler")]
    [InlineData("small", "kata", "-120Mi", "overhead.podFixed.memory")]
    public void A_runtime_class_object_the_api_server_would_refuse_is_refused(string name, string handler, string? memory, string expected)
    {
        var rc = new V1RuntimeClass { Metadata = new V1ObjectMeta { Name = name }, Handler = handler };
        if (memory is not null)
        {
            rc.Overhead = new V1Overhead { PodFixed = new Dictionary<string, ResourceQuantity> { ["memory"] = new(memory) } };
        }

        Assert.Contains(expected, Assert.ThrowsAny<ArgumentException>(() => RuntimeClassDefinition.FromRuntimeClass(rc)).Message);
    }
}
