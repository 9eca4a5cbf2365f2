
namespace Sandboxing.Sdk.Tests.Policies;

/// <summary>Bad input: a policy that would not do in the cluster what was asked is an error (generation throws) or a warning (SBX5xxx).</summary>
public class PolicyFindingTests
{
    private static IEnumerable<(string Id, SandboxSeverity Severity)> Findings(SandboxPolicy policy) =>
        policy.Validate().Select(f => (f.RuleId, f.Severity));

    [Fact]
    public void The_defaults_have_no_findings()
    {
        Assert.Empty(SandboxPolicy.RequireSandbox().Validate());
        Assert.Empty(SandboxPolicy.RequireSandbox().ValidateKyverno());
        Assert.Equal([("SBX5006", SandboxSeverity.Info)], Findings(SandboxPolicy.DefaultToSandbox()));
    }

    [Theory]
    [InlineData("1.29", false, "SBX5001")]
    [InlineData("1.30", false, null)]
    [InlineData("1.33", true, "SBX5001")]
    [InlineData("1.34", true, "SBX5002")]
    [InlineData("1.35", true, "SBX5002")]
    [InlineData("1.36", true, null)]
    public void Kubernetes_versions_without_the_api_are_errors_and_the_beta_needs_a_gate(string version, bool defaulting, string? expected)
    {
        var policy = (defaulting ? SandboxPolicy.DefaultToSandbox() : SandboxPolicy.RequireSandbox()).WithKubernetesVersion(version);
        var ids = policy.Validate().Select(f => f.RuleId).Where(id => id is "SBX5001" or "SBX5002").ToList();
        Assert.Equal(expected is null ? [] : [expected], ids);
        if (expected == "SBX5001")
        {
            Assert.Throws<SandboxValidationException>(() => policy.ToYaml());
            // Kyverno does not depend on the Kubernetes API version.
            Assert.NotEmpty(policy.ToKyvernoYaml());
        }
    }

    [Theory]
    [InlineData("system:serviceaccounts:kube-system")]
    public void Exempting_a_group_every_controller_belongs_to_is_an_error(string group)
    {
        var policy = SandboxPolicy.RequireSandbox().WithExemptGroups(group);
        var finding = Assert.Single(policy.Validate(), f => f.RuleId == "SBX5003");
        Assert.Equal(SandboxSeverity.Error, finding.Severity);
        Assert.Contains(group, finding.Message);
        var error = Assert.Throws<SandboxValidationException>(() => policy.ToYaml());
        Assert.Contains("SBX5003", error.Message);
        Assert.Throws<SandboxValidationException>(() => policy.ToKyvernoYaml());
    }

    [Theory]
    [InlineData("system:kube-controller-manager", true)]
    [InlineData("system:serviceaccount:kube-system:replicaset-controller", true)]
    [InlineData("system:serviceaccount:kube-system:job-controller", true)]
    [InlineData("system:serviceaccount:ci:deployer", false)]
    public void Exempting_a_controller_identity_is_an_error(string user, bool error)
    {
        var findings = SandboxPolicy.RequireSandbox().WithExemptUsers(user).Validate();
        Assert.Equal(error, findings.Any(f => f.RuleId == "SBX5003"));
        // Either way the user exemption does not reach the Pods controllers create.
        Assert.Contains(findings, f => f.RuleId == "SBX5004" && f.Severity == SandboxSeverity.Warning);
    }

    [Fact]
    public void A_selector_that_takes_in_kube_system_is_an_error_unless_a_namespace_exemption_label_can_carve_it_out()
    {
        var everywhere = SandboxPolicy.RequireSandbox().WithAllNamespacesExcept("kube-public");
        var finding = Assert.Single(everywhere.Validate());
        Assert.Equal(("SBX5005", SandboxSeverity.Error), (finding.RuleId, finding.Severity));
        Assert.Contains("host network", finding.Message);
        Assert.Throws<SandboxValidationException>(() => everywhere.ToYaml());
        Assert.Equal("SBX5005", Assert.Single(SandboxPolicy.DefaultToSandbox().WithNamespaces("kube-system", "tenant").Validate(), f => f.Severity == SandboxSeverity.Error).RuleId);

        var carved = everywhere.WithExemptNamespaceLabel();
        var warning = Assert.Single(carved.Validate());
        Assert.Equal(("SBX5005", SandboxSeverity.Warning), (warning.RuleId, warning.Severity));
        Assert.Contains("label kube-system sandboxing.sdk/exempt=true", warning.Message);
        Assert.NotEmpty(carved.ToYaml());

        Assert.Empty(SandboxPolicy.RequireSandbox().WithAllNamespacesExcept("kube-system", "kube-public").Validate());
        Assert.Empty(SandboxPolicy.RequireSandbox().WithNamespaces("tenant-a").Validate());
    }

    [Fact]
    public void Annotation_mode_is_a_warning_that_names_the_annotation()
    {
        var finding = Assert.Single(SandboxPolicy.RequireSandbox().WithExemptionAnnotationsHonored().Validate());
        Assert.Equal(("SBX5007", SandboxSeverity.Warning), (finding.RuleId, finding.Severity));
        Assert.Contains("sandboxing.sdk/exempt", finding.Message);
    }

    [Fact]
    public void Every_policy_rule_is_in_the_catalog_with_a_page_and_in_its_range()
    {
        var rules = SandboxRules.All.Where(r => r.Category == SandboxRules.PolicyCategory).ToList();
        Assert.Equal(["SBX5001", "SBX5002", "SBX5003", "SBX5004", "SBX5005", "SBX5006", "SBX5007", "SBX5008"], rules.Select(r => r.Id));
        Assert.All(rules, r => Assert.InRange(int.Parse(r.Id[3..], System.Globalization.CultureInfo.InvariantCulture), 5001, 5099));
    }
}
