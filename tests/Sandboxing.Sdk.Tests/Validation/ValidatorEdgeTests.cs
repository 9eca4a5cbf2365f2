using k8s.Models;

namespace Sandboxing.Sdk.Tests.Validation;

// What each finding says and where it points, and the allow-list's edges: a sandbox definition of one class must not let
// another class through, and a class defined on runc is refused whatever list names it.
public class ValidatorEdgeTests
{
    private static V1Pod Pod(Action<V1PodSpec> edit)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "tenant" },
            Spec = new V1PodSpec
            {
                RuntimeClassName = "kata-vm-isolation",
                Containers =
                [
                    new V1Container
                    {
                        Name = "app", Image = "nginx",
                        Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("256Mi") } },
                    },
                ],
            },
        };
        edit(pod.Spec);
        return pod;
    }

    [Fact]
    public void A_sandbox_definition_allows_its_own_class_only()
    {
        var options = new SandboxValidationOptions { RuntimeClasses = [SandboxRuntime.Define("small-kata").WithHandler("kata").Build()] };
        Assert.True(options.IsAllowed("small-kata"));
        Assert.False(options.IsAllowed("runc"));
        Assert.False(options.IsAllowed("gvisor"));
    }

    [Fact]
    public void A_class_defined_on_runc_is_refused_even_when_listed()
    {
        var options = new SandboxValidationOptions
        {
            AllowedRuntimeClasses = ["fast-pods", "kata-vm-isolation"],
            RuntimeClasses = [SandboxRuntime.Define("fast-pods").WithHandler("runc").Build()],
        };
        Assert.False(options.IsAllowed("fast-pods"));
        Assert.True(options.IsAllowed("kata-vm-isolation"));
        Assert.Null(new SandboxValidationOptions { AllowedRuntimeClasses = null }.AllowedRuntimeClasses);
    }

    [Fact]
    public void An_empty_allow_list_allows_and_names_the_runtime_alone()
    {
        var options = new SandboxValidationOptions { AllowedRuntimeClasses = [], RuntimeClasses = [SandboxRuntime.Define("small-kata").WithHandler("kata").Build()] };
        Assert.False(options.IsAllowed("small-kata"));
        Assert.Equal("kata-vm-isolation", options.DescribeAllowed());
        Assert.Equal("kata-vm-isolation, small-kata", new SandboxValidationOptions { RuntimeClasses = options.RuntimeClasses }.DescribeAllowed());
    }

    [Fact]
    public void A_host_kernel_Runtime_is_refused_naming_the_option()
    {
        var e = Assert.ThrowsAny<SandboxException>(() => new SandboxValidationOptions { Runtime = "runc" });
        Assert.Contains("SandboxValidationOptions.Runtime", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("fast-pods")] // defined on runc
    public void A_blank_or_host_kernel_class_also_hears_what_it_will_be_told_once_set(string runtimeClass)
    {
        var options = new SandboxValidationOptions { RuntimeClasses = [SandboxRuntime.Define("fast-pods").WithHandler("runc").Build()] };
        var findings = SandboxValidator.Validate(Pod(s => { s.RuntimeClassName = runtimeClass; s.HostNetwork = true; }), options);
        Assert.Equal(["SBX1002", "SBX2001"], findings.Select(f => f.RuleId));
        Assert.StartsWith("once runtimeClassName is set to 'kata-vm-isolation': ", findings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deprecated_class_names_its_replacement_not_the_configured_runtime()
    {
        var options = new SandboxValidationOptions { Runtime = SandboxRuntime.Define("small-kata").WithHandler("kata").Build() };
        var finding = Assert.Single(SandboxValidator.Validate(Pod(s => s.RuntimeClassName = "kata-mshv-vm-isolation"), options));
        Assert.Equal("SBX1003", finding.RuleId);
        Assert.Contains("'kata-vm-isolation'", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("small-kata", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_names_say_which_name_and_where()
    {
        var pod = Pod(s =>
        {
            s.Containers[0].Name = "App_1";
            s.Volumes = [new V1Volume { Name = "Vol_1" }, new V1Volume { Name = null! }];
        });
        pod.Metadata.NamespaceProperty = "Tenant";
        var findings = SandboxValidator.Validate(pod);
        Assert.Equal(["metadata.namespace", "spec.containers[0].name", "spec.volumes[0].name", "spec.volumes[1].name"], findings.Select(f => f.Path));
        Assert.All(findings, f => Assert.Equal("SBX0001", f.RuleId));
        Assert.Contains("metadata.namespace", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("container name 'App_1'", findings[1].Message, StringComparison.Ordinal);
        Assert.Contains("volume name 'Vol_1'", findings[2].Message, StringComparison.Ordinal);
        Assert.Contains("volume name ''", findings[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cpu_limit_key_without_a_value_counts_as_no_limit()
    {
        var finding = Assert.Single(SandboxValidator.Validate(Pod(s => s.Containers[0].Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m") },
            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("256Mi"), ["cpu"] = null! },
        })));
        Assert.Equal("SBX2006", finding.RuleId);
        Assert.Contains("no limit (1 vCPU)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_quantity_is_found_in_init_containers_requests_and_limits()
    {
        var findings = SandboxValidator.Validate(Pod(s =>
        {
            s.InitContainers = [new V1Container { Name = "init", Image = "busybox", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["memory"] = new("-1") } } }];
            s.Containers[0].Resources.Limits["memory"] = new("-256Mi");
        })).Where(f => f.RuleId == "SBX2009");
        Assert.Equal(["spec.initContainers[0].resources.requests.memory", "spec.containers[0].resources.limits.memory"], findings.Select(f => f.Path));
    }

    [Fact]
    public void RunAsUser_zero_under_runAsNonRoot_points_at_the_container_field()
    {
        var finding = Assert.Single(SandboxValidator.Validate(Pod(s => s.Containers[0].SecurityContext = new V1SecurityContext { RunAsNonRoot = true, RunAsUser = 0 })));
        Assert.Equal("spec.containers[0].securityContext.runAsUser", finding.Path);
        Assert.Contains("runAsUser: 0", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_finding_reads_as_one_line_and_the_exception_counts_them()
    {
        var finding = Assert.Single(SandboxValidator.Validate(Pod(s => s.RuntimeClassName = null)));
        Assert.StartsWith("SBX1001 warning Pod tenant/web spec.runtimeClassName: ", finding.ToString(), StringComparison.Ordinal);
        var pod = Pod(s => s.RuntimeClassName = null);
        pod.Metadata.NamespaceProperty = null;
        Assert.StartsWith("SBX1001 warning Pod web spec.runtimeClassName: ", Assert.Single(SandboxValidator.Validate(pod)).ToString(), StringComparison.Ordinal);
        pod.Metadata.Name = null;
        Assert.StartsWith("SBX1001 warning Pod (unnamed) spec.runtimeClassName: ", SandboxValidator.Validate(pod).Single(f => f.RuleId == "SBX1001").ToString(), StringComparison.Ordinal);

        var one = new SandboxValidationException([finding]);
        Assert.StartsWith("1 sandboxing error:" + Environment.NewLine + "  SBX1001 spec.runtimeClassName: ", one.Message, StringComparison.Ordinal);
        Assert.EndsWith(": " + finding.Message + " (" + finding.HelpLink + ")", one.Message, StringComparison.Ordinal);
        Assert.StartsWith("2 sandboxing errors:", new SandboxValidationException([finding, finding]).Message, StringComparison.Ordinal);
    }
}
