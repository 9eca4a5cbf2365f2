using static Sandboxing.Sdk.Tests.Policies.PolicyHarness;

namespace Sandboxing.Sdk.Tests.Policies;

// A group exemption holds only when tenants cannot be in the group: the API server puts every service account in
// system:serviceaccounts and system:serviceaccounts:<its namespace>, and every request in system:authenticated or
// system:unauthenticated, so exempting one of those exempts the tenants themselves.
public class JoinableGroupTests
{
    [Theory]
    [InlineData("system:authenticated")]
    [InlineData("system:unauthenticated")]
    [InlineData("system:serviceaccounts")]
    [InlineData("system:serviceaccounts:tenant-42")]
    [InlineData("system:serviceaccounts:*")]
    public void A_group_a_tenant_can_join_is_refused_naming_the_member(string group)
    {
        var policy = SandboxPolicy.RequireSandbox().WithExemptGroups("platform-ops", group);

        var finding = Assert.Single(policy.Validate(), f => f.RuleId == "SBX5008");
        Assert.Equal(SandboxSeverity.Error, finding.Severity);
        Assert.Equal("exemptGroups", finding.Path);
        Assert.Contains($"the exempt group '{group}' (WithExemptGroups)", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(policy.Validate(), f => f.RuleId == "SBX5003");
        Assert.DoesNotContain(group, Assert.Single(policy.Validate(), f => f.RuleId == "SBX5004").Message, StringComparison.Ordinal);
        var error = Assert.Throws<SandboxValidationException>(() => policy.ToYaml());
        Assert.Contains("SBX5008", error.Message, StringComparison.Ordinal);
        Assert.Throws<SandboxValidationException>(() => policy.ToKyvernoYaml());
    }

    [Theory]
    [InlineData("platform-ops")]
    [InlineData("8f2a1c3e-0000-4000-8000-000000000042")]
    [InlineData("system:masters")]
    public void An_operator_group_is_accepted(string group) =>
        Assert.DoesNotContain(SandboxPolicy.RequireSandbox().WithExemptGroups(group).Validate(), f => f.RuleId == "SBX5008");

    [Fact]
    public void A_tenant_service_account_is_not_exempt_through_the_groups_the_api_server_gives_it()
    {
        // What the refused groups would have let through: the request of a tenant's own service account carries them.
        var policy = SandboxPolicy.RequireSandbox().WithExemptGroups("platform-ops");
        var tenantRequest = new AdmissionRequest(User: "system:serviceaccount:tenant-42:builder",
            Groups: ["system:serviceaccounts", "system:serviceaccounts:tenant-42", "system:authenticated"], Namespace: "tenant-42");

        Assert.False(Admits(policy, Workload.Of("Pod", spec: "hostNetwork: true"), tenantRequest));
        Assert.True(Admits(policy, Workload.Of("Pod", spec: "hostNetwork: true"), tenantRequest with { Groups = ["system:authenticated", "platform-ops"] }));
    }
}
