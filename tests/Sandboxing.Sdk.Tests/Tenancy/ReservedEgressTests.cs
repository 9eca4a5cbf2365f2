using k8s.Models;

namespace Sandboxing.Sdk.Tests.Tenancy;

// An allow-listed block must not open what the internet mode excepts: the node's platform endpoints and the cluster's networks.
public class ReservedEgressTests
{
    private static TenantIsolation.Builder Tenant() => TenantIsolation.For("t1").WithClusterNetworks("10.244.0.0/16", "10.0.0.0/16");

    [Theory]
    [InlineData("169.254.169.254/32", "the cloud metadata endpoint 169.254.169.254, IPv4 link-local 169.254.0.0/16 (SBX4003)")]
    [InlineData("169.254.0.0/16", "the cloud metadata endpoint 169.254.169.254, IPv4 link-local 169.254.0.0/16 (SBX4003)")]
    [InlineData("169.254.10.10/32", "IPv4 link-local 169.254.0.0/16 (SBX4003)")]
    [InlineData("168.63.129.16/32", "Azure's WireServer 168.63.129.16 (SBX4003)")]
    [InlineData("168.63.0.0/16", "Azure's WireServer 168.63.129.16 (SBX4003)")]
    [InlineData("fe80::1/128", "IPv6 link-local fe80::/10 (SBX4003)")]
    [InlineData("10.244.3.0/24", "the cluster network 10.244.0.0/16 (SBX4004)")]
    [InlineData("10.0.0.0/8", "the cluster network 10.244.0.0/16, the cluster network 10.0.0.0/16 (SBX4004)")]
    [InlineData("0.0.0.0/0", "the cloud metadata endpoint 169.254.169.254, Azure's WireServer 168.63.129.16, IPv4 link-local 169.254.0.0/16 (SBX4003) and the cluster network 10.244.0.0/16, the cluster network 10.0.0.0/16 (SBX4004)")]
    [InlineData("128.0.0.0/1", "the cloud metadata endpoint 169.254.169.254, Azure's WireServer 168.63.129.16, IPv4 link-local 169.254.0.0/16 (SBX4003)")]
    public void A_block_that_reaches_a_reserved_range_is_refused_with_the_rule_that_would_report_it(string cidr, string reaches)
    {
        var error = Assert.Throws<SandboxValidationException>(() => Tenant().WithEgressToCidr(cidr).Build());
        var finding = Assert.Single(error.Findings);
        Assert.Equal(("SBX4001", "egress.cidrs[0].cidr"), (finding.RuleId, finding.Path));
        Assert.Contains($"reaches {reaches}", finding.Message, StringComparison.Ordinal);
        Assert.Contains("force: true", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forced_the_block_is_emitted_and_the_tenant_check_reports_it()
    {
        var tenant = Tenant().WithEgressToCidr("169.254.169.254/32", [80], force: true).Build();

        var rule = tenant.NetworkPolicies.Single(p => p.Metadata.Name == "allow-egress").Spec.Egress.Single();
        Assert.Equal("169.254.169.254/32", rule.To.Single().IpBlock.Cidr);
        Assert.Contains(tenant.Validate(), f => f.RuleId == "SBX4003");
    }

    [Theory]
    [InlineData("52.1.2.3/32")]
    [InlineData("20.0.0.0/8")]
    [InlineData("10.1.2.3/32")] // a private service outside the cluster's networks: a deliberate allow
    public void A_block_clear_of_them_is_accepted(string cidr) => Assert.NotNull(Tenant().WithEgressToCidr(cidr).Build());

    [Fact]
    public void Excepting_the_reserved_ranges_makes_a_wide_block_acceptable_as_the_internet_mode_does()
    {
        var tenant = Tenant().WithEgressToCidr("128.0.0.0/1", except: ["168.63.129.16/32", "169.254.0.0/16"]).Build();
        Assert.DoesNotContain(tenant.Validate(), f => f.RuleId == "SBX4003");
        Assert.Throws<SandboxValidationException>(() => Tenant().WithEgressToCidr("0.0.0.0/0", except: ["169.254.0.0/16"]).Build());
    }
}
