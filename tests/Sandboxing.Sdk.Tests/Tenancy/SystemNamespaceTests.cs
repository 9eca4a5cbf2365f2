namespace Sandboxing.Sdk.Tests.Tenancy;

// A tenant bundle in a system namespace would put untrusted code beside the cluster's controllers and cut them off with its
// default-deny policies.
public class SystemNamespaceTests
{
    [Theory]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    [InlineData("kube-node-lease")]
    [InlineData("kube-anything")]
    [InlineData("default")]
    [InlineData("sandboxing-system")]
    [InlineData("kyverno")]
    [InlineData("gatekeeper-system")]
    [InlineData("calico-system")]
    [InlineData("tigera-operator")]
    [InlineData("aks-command")]
    [InlineData("app-routing-system")]
    [InlineData("aks-istio-system")]
    public void A_system_namespace_is_refused_as_a_tenant(string name)
    {
        var error = Assert.Throws<SandboxValidationException>(() => TenantIsolation.For(name).Build());
        var finding = Assert.Single(error.Findings);
        Assert.Equal(("SBX4001", "name"), (finding.RuleId, finding.Path));
        Assert.Contains($"'{name}' is a system namespace (", finding.Message, StringComparison.Ordinal);
        Assert.Contains("a tenant needs a namespace of its own", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tenant-42")]
    [InlineData("kube")]
    [InlineData("my-kube-system")]
    [InlineData("defaults")]
    public void A_namespace_of_its_own_is_accepted(string name) => Assert.Equal(name, TenantIsolation.For(name).Build().Name);
}
