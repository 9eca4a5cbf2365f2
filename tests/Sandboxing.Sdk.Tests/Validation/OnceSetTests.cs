using k8s.Models;

namespace Sandboxing.Sdk.Tests.Validation;

/// <summary>A pod whose class is missing or refused hears, in the same pass, what it will be told once the class is set.</summary>
public class OnceSetTests
{
    private static V1Pod HostNetworkPod(string? runtimeClass, string? exemption = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "agent",
            Annotations = exemption is null ? null : new Dictionary<string, string> { [SandboxAnnotations.Exempt] = exemption },
        },
        Spec = new V1PodSpec
        {
            RuntimeClassName = runtimeClass,
            HostNetwork = true,
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

    [Theory]
    [InlineData(null, "SBX1001")]
    [InlineData("runc", "SBX1002")]
    [InlineData("gvisor", "SBX1002")]
    public void Validate_reports_the_host_network_with_the_missing_or_refused_class(string? runtimeClass, string classRule)
    {
        var findings = SandboxValidator.Validate(HostNetworkPod(runtimeClass));
        Assert.True(findings.Select(f => f.RuleId).SequenceEqual([classRule, "SBX2001"]), string.Join("\n", findings));
        Assert.StartsWith("once runtimeClassName is set to 'kata-vm-isolation': ", findings[1].Message, StringComparison.Ordinal);
        Assert.Equal("spec.hostNetwork", findings[1].Path);
    }

    [Fact]
    public void An_exempt_pod_hears_nothing_and_a_sandboxed_one_hears_it_plainly()
    {
        Assert.Empty(SandboxValidator.Validate(HostNetworkPod(null, "node agent needs the host network")));
        var sandboxed = Assert.Single(SandboxValidator.Validate(HostNetworkPod("kata-vm-isolation")));
        Assert.Equal("SBX2001", sandboxed.RuleId);
        Assert.DoesNotContain("once runtimeClassName", sandboxed.Message, StringComparison.Ordinal);
    }
}
