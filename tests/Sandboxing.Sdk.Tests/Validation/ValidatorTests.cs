using k8s.Models;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.Validation;

public class ValidatorTests
{
    private static V1Deployment Sandboxed(Action<V1PodSpec>? edit = null)
    {
        var d = TestObjects.Deployment("web");
        d.Sandbox();
        var container = d.Spec.Template.Spec.Containers[0];
        container.Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1Gi") },
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1Gi") },
        };
        edit?.Invoke(d.Spec.Template.Spec);
        return d;
    }

    private static SandboxFinding Only(object obj, SandboxValidationOptions? options = null) => Assert.Single(SandboxValidator.Validate(obj, options));

    [Fact]
    public void A_sandboxed_compatible_workload_has_no_findings() => Assert.Empty(SandboxValidator.Validate(Sandboxed()));

    [Fact]
    public void SBX1001_MissingRuntimeClass()
    {
        var finding = Only(Sandboxed(s => s.RuntimeClassName = null));
        Assert.Equal("SBX1001", finding.RuleId);
        Assert.Equal(SandboxSeverity.Warning, finding.Severity);
        Assert.Equal(("Deployment", "tenant", "web"), (finding.Kind, finding.Namespace, finding.Name));
        Assert.Equal("spec.template.spec.runtimeClassName", finding.Path);
        Assert.Equal("Deployment tenant/web has no runtimeClassName, so its pods run on the shared host kernel; set runtimeClassName to 'kata-vm-isolation' or call Sandbox()", finding.Message);
        Assert.EndsWith("docs/rules/SBX1001.md", finding.HelpLink);
        Assert.Contains("spec.template.spec.runtimeClassName for a Deployment", finding.Fix); // the hint names the template path
    }

    [Theory]
    [InlineData("runc")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("my-unknown-class")]
    [InlineData("kata-vm-isolation-v2")] // known, but no AKS source documents it: allowed only when listed
    public void SBX1002_NotAnAllowedSandboxClass(string runtimeClass)
    {
        var finding = Only(Sandboxed(s => s.RuntimeClassName = runtimeClass));
        Assert.Equal("SBX1002", finding.RuleId);
        Assert.Contains($"'{runtimeClass}'", finding.Message);
    }

    [Fact]
    public void SBX1002_AllowedListIsConfigurable()
    {
        var options = new SandboxValidationOptions { AllowedRuntimeClasses = ["small-kata-pods"] };
        Assert.Empty(SandboxValidator.Validate(Sandboxed(s => s.RuntimeClassName = "small-kata-pods"), options));
        var finding = Only(Sandboxed(s => s.RuntimeClassName = "kata-qemu"), options);
        Assert.Equal("SBX1002", finding.RuleId);
        Assert.Contains("(kata-vm-isolation, small-kata-pods)", finding.Message); // the runtime is always allowed
        Assert.Empty(SandboxValidator.Validate(Sandboxed(), options)); // the suggested runtime is always allowed
    }

    [Fact]
    public void SBX1002_A_defined_class_is_allowed_by_its_handler()
    {
        var options = new SandboxValidationOptions
        {
            RuntimeClasses =
            [
                SandboxRuntime.Define("small-kata-pods").WithHandler("kata").Build(),
                SandboxRuntime.Define("plain-pods").WithHandler("runc").Build(),
                SandboxRuntime.Define("kata-qemu").WithHandler("runc").Build(), // a known name, redefined on runc
            ],
        };

        Assert.Empty(SandboxValidator.Validate(Sandboxed(s => s.RuntimeClassName = "small-kata-pods"), options));
        var plain = Only(Sandboxed(s => s.RuntimeClassName = "plain-pods"), options);
        Assert.Equal("SBX1002", plain.RuleId);
        Assert.Contains("(kata-vm-isolation, small-kata-pods)", plain.Message);
        Assert.Equal("SBX1002", Only(Sandboxed(s => s.RuntimeClassName = "kata-qemu"), options).RuleId);

        // An explicit list is the whole list, and still cannot make a runc class a sandbox.
        var listed = new SandboxValidationOptions { RuntimeClasses = options.RuntimeClasses, AllowedRuntimeClasses = ["plain-pods", "kata-vm-isolation"] };
        Assert.Equal("SBX1002", Only(Sandboxed(s => s.RuntimeClassName = "small-kata-pods"), listed).RuleId);
        Assert.Equal("SBX1002", Only(Sandboxed(s => s.RuntimeClassName = "plain-pods"), listed).RuleId);
    }

    [Theory]
    [InlineData("kata-mshv-vm-isolation", "deprecated")]
    [InlineData("kata-cc-isolation", "retired")]
    public void SBX1003_DeprecatedOrRetired(string runtimeClass, string status)
    {
        var finding = Only(Sandboxed(s => s.RuntimeClassName = runtimeClass));
        Assert.Equal("SBX1003", finding.RuleId);
        Assert.Contains(status, finding.Message);
        Assert.EndsWith("use 'kata-vm-isolation'", finding.Message);
    }

    [Fact]
    public void SBX0001_InvalidRuntimeClassName()
    {
        var finding = Only(Sandboxed(s => s.RuntimeClassName = "Kata_VM"));
        Assert.Equal("SBX0001", finding.RuleId);
        Assert.Equal(SandboxSeverity.Error, finding.Severity);
    }

    [Fact]
    public void SBX0001_InvalidObjectAndContainerNames()
    {
        var d = Sandboxed();
        d.Metadata.Name = "Web";
        d.Metadata.NamespaceProperty = "Tenant";
        d.Spec.Template.Spec.Containers[0].Name = "App_1";
        d.Spec.Template.Spec.Volumes = [new V1Volume { Name = "" }];
        var findings = SandboxValidator.Validate(d);
        Assert.Equal(["metadata.name", "metadata.namespace", "spec.template.spec.containers[0].name", "spec.template.spec.volumes[0].name"], findings.Select(f => f.Path));
        Assert.All(findings, f => Assert.Equal("SBX0001", f.RuleId));
    }

    [Fact]
    public void SBX0001_MissingName()
    {
        var pod = TestObjects.Pod();
        pod.Metadata.Name = null;
        pod.Sandbox();
        Assert.Contains(SandboxValidator.Validate(pod), f => f.RuleId == "SBX0001" && f.Path == "metadata.name");
    }

    [Fact]
    public void SBX1004_OptOutWithoutReason()
    {
        var d = Sandboxed(s => s.RuntimeClassName = null);
        d.Metadata.Annotations = new Dictionary<string, string> { [SandboxAnnotations.Exempt] = " " };
        var findings = SandboxValidator.Validate(d);
        Assert.Equal(["SBX1004", "SBX1001"], findings.Select(f => f.RuleId));
        Assert.Equal("metadata.annotations['sandboxing.sdk/exempt']", findings[0].Path);
    }

    [Fact]
    public void A_reasoned_opt_out_silences_isolation_rules()
    {
        var d = Sandboxed(s => { s.RuntimeClassName = null; s.HostNetwork = true; });
        d.Metadata.Annotations = new Dictionary<string, string> { [SandboxAnnotations.Exempt] = "node agent" };
        Assert.Empty(SandboxValidator.Validate(d));
        Assert.Equal(["SBX1001", "SBX2001"], SandboxValidator.Validate(d, new SandboxValidationOptions { HonorExemptions = false }).Select(f => f.RuleId));
    }

    [Fact]
    public void SBX2001_HostNetwork()
    {
        var finding = Only(Sandboxed(s => s.HostNetwork = true));
        Assert.Equal(("SBX2001", SandboxSeverity.Error, "spec.template.spec.hostNetwork"), (finding.RuleId, finding.Severity, finding.Path));
    }

    [Fact]
    public void A_pod_without_a_class_hears_the_compatibility_rules_it_will_meet_once_the_class_is_set()
    {
        var d = Sandboxed(s => { s.RuntimeClassName = null; s.HostNetwork = true; s.HostPID = true; });
        var findings = SandboxValidator.Validate(d);
        Assert.Equal(["SBX1001", "SBX2001", "SBX2002"], findings.Select(f => f.RuleId));
        Assert.All(findings.Skip(1), f => Assert.StartsWith("once runtimeClassName is set to 'kata-vm-isolation': ", f.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void SBX2002_HostNamespaces()
    {
        var findings = SandboxValidator.Validate(Sandboxed(s => { s.HostPID = true; s.HostIPC = true; s.ShareProcessNamespace = true; }));
        Assert.Equal(["hostPID", "hostIPC", "shareProcessNamespace"], findings.Select(f => f.Path.Split('.')[^1]));
        Assert.All(findings, f => Assert.Equal("SBX2002", f.RuleId));
        Assert.Empty(SandboxValidator.Validate(Sandboxed(s => { s.HostPID = false; s.HostIPC = false; })));
    }

    [Fact]
    public void SBX2003_Privileged()
    {
        var finding = Only(Sandboxed(s => s.Containers[0].SecurityContext = new V1SecurityContext { Privileged = true }));
        Assert.Equal(("SBX2003", "spec.template.spec.containers[0].securityContext.privileged"), (finding.RuleId, finding.Path));
        Assert.Empty(SandboxValidator.Validate(Sandboxed(s => s.Containers[0].SecurityContext = new V1SecurityContext { Privileged = false })));
    }

    [Fact]
    public void SBX2003_PrivilegedInitContainer()
    {
        var finding = Only(Sandboxed(s => s.InitContainers = [new V1Container { Name = "init", Image = "i", SecurityContext = new V1SecurityContext { Privileged = true } }]));
        Assert.Equal("spec.template.spec.initContainers[0].securityContext.privileged", finding.Path);
    }

    [Fact]
    public void SBX2004_HostPath()
    {
        var finding = Only(Sandboxed(s => s.Volumes = [new V1Volume { Name = "docker", HostPath = new V1HostPathVolumeSource { Path = "/var/run/docker.sock" } }]));
        Assert.Equal(("SBX2004", "spec.template.spec.volumes[0].hostPath"), (finding.RuleId, finding.Path));
        Assert.Contains("/var/run/docker.sock", finding.Message);
    }

    [Fact]
    public void SBX2005_NoMemoryLimit()
    {
        var finding = Only(Sandboxed(s => s.Containers[0].Resources.Limits.Remove("memory")));
        Assert.Equal(("SBX2005", SandboxSeverity.Info), (finding.RuleId, finding.Severity));
        Assert.Contains("512Mi", finding.Message);
    }

    [Fact]
    public void SBX2006_CpuRequestDiffersFromLimit()
    {
        var finding = Only(Sandboxed(s => s.Containers[0].Resources.Requests["cpu"] = new ResourceQuantity("500m")));
        Assert.Equal(("SBX2006", "spec.template.spec.containers[0].resources.requests.cpu"), (finding.RuleId, finding.Path));
        Assert.Contains("requests 500m CPU but limits container 'app' to 1", finding.Message);
        Assert.Contains("no limit", Only(Sandboxed(s => s.Containers[0].Resources.Limits.Remove("cpu"))).Message);
        Assert.Empty(SandboxValidator.Validate(Sandboxed(s => s.Containers[0].Resources.Requests["cpu"] = new ResourceQuantity("1000m"))));
    }

    [Theory]
    [InlineData("500m", "500m", false)]
    [InlineData("500m", "0.5", false)]              // the same amount written two ways: compared as values, not text
    [InlineData("2", "2000m", false)]
    [InlineData("500m", "1", true)]
    [InlineData("1", "500m", true)]                 // a request above the limit differs too
    [InlineData("1001m", "1", true)]
    public void SBX2006_compares_the_cpu_request_and_limit_as_quantities(string request, string limit, bool reported)
    {
        var findings = SandboxValidator.Validate(Sandboxed(s =>
        {
            s.Containers[0].Resources.Requests["cpu"] = new ResourceQuantity(request);
            s.Containers[0].Resources.Limits["cpu"] = new ResourceQuantity(limit);
        }));
        Assert.Equal(reported, findings.Any(f => f.RuleId == "SBX2006"));
        if (reported)
        {
            Assert.Contains($"requests {request} CPU but limits container 'app' to {limit}", Assert.Single(findings).Message);
        }
    }

    [Fact]
    public void SBX2006_without_a_cpu_limit_says_the_VM_gets_one_vCPU()
    {
        // No limits map at all, and a limits map with memory only: both leave the VM at its default vCPU.
        var noLimits = SandboxValidator.Validate(Sandboxed(s => s.Containers[0].Resources.Limits = null));
        Assert.Equal(["SBX2005", "SBX2006"], noLimits.Select(f => f.RuleId).Order(StringComparer.Ordinal));
        Assert.Contains("no limit (1 vCPU)", noLimits.Single(f => f.RuleId == "SBX2006").Message);
        var memoryOnly = Only(Sandboxed(s => s.Containers[0].Resources.Limits.Remove("cpu")));
        Assert.Equal(("SBX2006", "spec.template.spec.containers[0].resources.requests.cpu"), (memoryOnly.RuleId, memoryOnly.Path));
        Assert.Contains("no limit (1 vCPU)", memoryOnly.Message);
        Assert.Contains("requests 1 CPU", memoryOnly.Message);
    }

    [Fact]
    public void SBX2006_needs_a_cpu_request()
    {
        Assert.Empty(SandboxValidator.Validate(Sandboxed(s => s.Containers[0].Resources.Requests.Remove("cpu"))));
        Assert.Empty(SandboxValidator.Validate(Sandboxed(s => s.Containers[0].Resources.Requests = null)));
        Assert.Empty(SandboxValidator.Validate(Sandboxed(s => s.Containers[0].Resources.Requests["cpu"] = null!)));
        Assert.Empty(SandboxValidator.Validate(Sandboxed(s => { s.Containers[0].Resources.Requests.Remove("cpu"); s.Containers[0].Resources.Limits["cpu"] = new("2"); })));
    }

    [Theory]
    [InlineData("1e400", "1")]
    [InlineData("1", "1e400")]
    public void SBX2006_leaves_an_unreadable_quantity_to_SBX2009(string request, string limit)
    {
        var findings = SandboxValidator.Validate(Sandboxed(s =>
        {
            s.Containers[0].Resources.Requests["cpu"] = new ResourceQuantity(request);
            s.Containers[0].Resources.Limits["cpu"] = new ResourceQuantity(limit);
        }));
        Assert.DoesNotContain(findings, f => f.RuleId == "SBX2006");
        Assert.Contains(findings, f => f.RuleId == "SBX2009");
    }

    [Fact]
    public void SBX2006_checks_every_app_container_and_no_init_container()
    {
        var findings = SandboxValidator.Validate(Sandboxed(s =>
        {
            var limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1Gi") };
            var halfCpu = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("1Gi") };
            s.Containers.Add(new V1Container { Name = "sidecar", Image = "img:1", Resources = new V1ResourceRequirements { Limits = limits, Requests = halfCpu } });
            // Init containers run before the app and do not size the VM: their resources are not the VM's.
            s.InitContainers = [new V1Container { Name = "init", Image = "img:1", Resources = new V1ResourceRequirements { Requests = halfCpu } }];
        }));
        var finding = Assert.Single(findings);
        Assert.Equal(("SBX2006", "spec.template.spec.containers[1].resources.requests.cpu"), (finding.RuleId, finding.Path));
        Assert.Contains("container 'sidecar'", finding.Message);
    }

    [Fact]
    public void SBX2003_checks_init_containers_too()
    {
        var finding = Only(Sandboxed(s => s.InitContainers = [new V1Container { Name = "init", Image = "img:1", SecurityContext = new V1SecurityContext { Privileged = true } }]));
        Assert.Equal(("SBX2003", "spec.template.spec.initContainers[0].securityContext.privileged"), (finding.RuleId, finding.Path));
        Assert.Empty(SandboxValidator.Validate(Sandboxed(s => s.InitContainers = [new V1Container { Name = "init", Image = "img:1", SecurityContext = new V1SecurityContext { Privileged = false } }])));
    }

    [Fact]
    public void SBX0001_checks_every_container_name_in_both_lists()
    {
        var findings = SandboxValidator.Validate(Sandboxed(s =>
        {
            s.Containers.Add(new V1Container { Name = "Side_Car", Image = "img:1" });
            s.Containers.Add(new V1Container { Name = "", Image = "img:1" });
            s.InitContainers = [new V1Container { Name = "ok", Image = "img:1" }, new V1Container { Name = "Init.1", Image = "img:1" }];
        })).Where(f => f.RuleId == "SBX0001").ToList();
        Assert.Equal(
            ["spec.template.spec.containers[1].name", "spec.template.spec.containers[2].name", "spec.template.spec.initContainers[1].name"],
            findings.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Contains(findings, f => f.Message.Contains("'Side_Car'", StringComparison.Ordinal));
    }

    [Fact]
    public void SBX0001_skips_unnamed_containers_only_in_custom_resources()
    {
        // A custom resource's schema may name containers itself (Knative does); a name it does give is still checked.
        static UnstructuredObject Rollout(params string?[] names)
        {
            var obj = new UnstructuredObject("argoproj.io/v1alpha1", "Rollout") { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "tenant" } };
            var containers = names.Select(n => (object?)new Dictionary<string, object?> { ["name"] = n, ["image"] = "img:1" }).ToList();
            obj.Fields["spec"] = new Dictionary<string, object?> { ["template"] = new Dictionary<string, object?> { ["spec"] = new Dictionary<string, object?> { ["containers"] = containers } } };
            return obj;
        }

        Assert.DoesNotContain(SandboxValidator.Validate(Rollout(null, "")), f => f.RuleId == "SBX0001");
        var named = Assert.Single(SandboxValidator.Validate(Rollout(null, "Bad_Name")), f => f.RuleId == "SBX0001");
        Assert.Equal("spec.template.spec.containers[1].name", named.Path);

        var pod = TestObjects.Pod();
        pod.Spec.Containers[0].Name = null;
        Assert.Contains(SandboxValidator.Validate(pod), f => f.RuleId == "SBX0001" && f.Path == "spec.containers[0].name");
    }

    [Theory]
    [InlineData("hostPID")]
    [InlineData("hostIPC")]
    [InlineData("shareProcessNamespace")]
    public void SBX2002_names_the_namespace_field_it_found(string field)
    {
        var finding = Only(Sandboxed(s =>
        {
            s.HostPID = field == "hostPID";
            s.HostIPC = field == "hostIPC";
            s.ShareProcessNamespace = field == "shareProcessNamespace";
        }));
        Assert.Equal(("SBX2002", "spec.template.spec." + field), (finding.RuleId, finding.Path));
        Assert.Contains($"sets {field}: true", finding.Message);
    }

    [Fact]
    public void SBX2005_and_SBX2007_point_at_the_memory_limit_and_name_the_minimum()
    {
        var missing = Only(Sandboxed(s => s.Containers[0].Resources.Limits.Remove("memory")));
        Assert.Equal("spec.template.spec.containers[0].resources.limits.memory", missing.Path);
        var small = Only(Sandboxed(s => s.Containers[0].Resources.Limits["memory"] = new ResourceQuantity("64Mi")));
        Assert.Equal(("SBX2007", "spec.template.spec.containers[0].resources.limits.memory"), (small.RuleId, small.Path));
        Assert.Contains("128Mi", small.Message);
        Assert.Contains("64Mi", small.Message);
    }

    [Theory]
    [InlineData("64Mi", true)]
    [InlineData("127Mi", true)]
    [InlineData("128Mi", false)]
    [InlineData("134217728", false)]
    public void SBX2007_MemoryLimitTooSmall(string limit, bool reported)
    {
        var findings = SandboxValidator.Validate(Sandboxed(s => s.Containers[0].Resources.Limits["memory"] = new ResourceQuantity(limit)));
        Assert.Equal(reported, findings.Any(f => f.RuleId == "SBX2007" && f.Severity == SandboxSeverity.Error));
    }

    [Fact]
    public void Per_rule_exemptions_need_a_reason()
    {
        var d = Sandboxed(s => s.Volumes = [new V1Volume { Name = "h", HostPath = new V1HostPathVolumeSource { Path = "/x" } }]);
        d.Metadata.Annotations = new Dictionary<string, string> { [SandboxAnnotations.ExemptRule("SBX2004")] = "read-only CA bundle" };
        Assert.Empty(SandboxValidator.Validate(d));
        d.Metadata.Annotations[SandboxAnnotations.ExemptRule("SBX2004")] = "";
        Assert.Equal("SBX2004", Only(d).RuleId);
    }

    [Fact]
    public void Reports_every_finding_at_once_across_objects()
    {
        var bad = Sandboxed(s => { s.HostNetwork = true; s.Containers[0].SecurityContext = new V1SecurityContext { Privileged = true }; });
        var unsandboxed = TestObjects.Job();
        var findings = SandboxValidator.Validate(new object[] { bad, unsandboxed });
        Assert.Equal(["SBX2001", "SBX2003", "SBX1001", "SBX2005"], findings.Select(f => f.RuleId)); // SBX2005: once the class is set
        Assert.Equal("SBX1001 warning Job tenant/job spec.template.spec.runtimeClassName: " + findings[2].Message, findings[2].ToString());
    }

    [Fact]
    public void Null_and_empty_inputs_have_no_findings()
    {
        Assert.Empty(SandboxValidator.Validate(null));
        Assert.Empty(SandboxValidator.Validate(Array.Empty<object>()));
        Assert.Empty(SandboxValidator.Validate(new V1Pod()));
    }
}
