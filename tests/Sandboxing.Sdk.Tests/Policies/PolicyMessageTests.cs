using Xunit;

namespace Sandboxing.Sdk.Tests.Policies;

// What SandboxPolicy.Validate() tells a platform engineer: each message names the setting, what it lets through and what to do.
public class PolicyMessageTests
{
    private static SandboxFinding Single(SandboxPolicy policy, string ruleId) => Assert.Single(policy.Validate(), f => f.RuleId == ruleId);

    [Theory]
    [InlineData("system:authenticated", "holds every authenticated identity, every tenant's service accounts among them")]
    [InlineData("system:unauthenticated", "holds every anonymous request")]
    [InlineData("system:serviceaccounts", "holds every service account of every namespace, the tenants' own among them")]
    [InlineData("system:serviceaccounts:team-*", "is a pattern, and groups are compared exactly")]
    [InlineData("system:serviceaccounts:tenant-a", "holds every service account of namespace tenant-a, and whoever may create a service account")]
    public void A_joinable_group_says_who_can_join_it(string group, string why)
    {
        var finding = Single(SandboxPolicy.RequireSandbox().WithExemptGroups(group), "SBX5008");
        Assert.Contains(group, finding.Message, StringComparison.Ordinal);
        Assert.Contains(why, finding.Message, StringComparison.Ordinal);
        Assert.Equal("exemptGroups", finding.Path);
    }

    [Theory]
    [InlineData("system:serviceaccounts:kube-system")] // the controllers' own namespace: no tenant creates service accounts there
    [InlineData("platform-ops")]
    [InlineData("system:serviceaccounts-team")]          // not the service-account prefix
    public void A_group_tenants_cannot_join_is_no_error(string group) =>
        Assert.DoesNotContain(SandboxPolicy.RequireSandbox().WithExemptGroups(group).Validate(), f => f.RuleId == "SBX5008");

    [Fact]
    public void A_cluster_too_old_for_the_validating_policy_is_told_the_version_it_needs_and_Kyverno_is_not()
    {
        var policy = SandboxPolicy.RequireSandbox().WithKubernetesVersion("1.29");
        var finding = Assert.Single(policy.Validate(), f => f.Path == "kubernetesVersion");
        Assert.Contains("ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("1.30", finding.Message, StringComparison.Ordinal);
        Assert.Contains("1.29", finding.Message, StringComparison.Ordinal);
        Assert.Contains("use the Kyverno engine, or upgrade the cluster", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(policy.ValidateKyverno(), f => f.Path == "kubernetesVersion");
    }

    [Fact]
    public void A_cluster_too_old_for_the_mutating_policy_is_told_to_use_Kyverno_or_the_validating_policy_alone()
    {
        var finding = Assert.Single(SandboxPolicy.DefaultToSandbox().WithKubernetesVersion("1.32").Validate(),
            f => f.Path == "kubernetesVersion" && f.Message.Contains("MutatingAdmissionPolicy", StringComparison.Ordinal));
        Assert.Contains("1.34 (beta, behind a feature gate) or 1.36 (GA)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("only the alpha v1alpha1 API exists there: use the Kyverno mutate policy, or RequireSandbox() alone", finding.Message, StringComparison.Ordinal);

        var gate = Assert.Single(SandboxPolicy.DefaultToSandbox().WithKubernetesVersion("1.35").Validate(), f => f.Path == "kubernetesVersion");
        Assert.Contains("1.35", gate.Message, StringComparison.Ordinal);
        Assert.Contains("admissionregistration.k8s.io/v1beta1", gate.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxPolicy.DefaultToSandbox().WithKubernetesVersion("1.36").Validate(), f => f.Path == "kubernetesVersion");
    }

    [Fact]
    public void Exempting_a_controller_says_it_exempts_every_pod_it_creates()
    {
        var group = Assert.Single(SandboxPolicy.RequireSandbox().WithExemptGroups("system:serviceaccounts:kube-system").Validate(),
            f => f.Path == "exemptGroups" && f.Rule.Id != "SBX5008" && f.Message.Contains("every pod a controller creates", StringComparison.Ordinal));
        Assert.Contains("group", group.Message, StringComparison.Ordinal);
        Assert.Contains("system:serviceaccounts:kube-system", group.Message, StringComparison.Ordinal);

        const string controller = "system:serviceaccount:kube-system:replicaset-controller";
        var user = Assert.Single(SandboxPolicy.RequireSandbox().WithExemptUsers(controller).Validate(),
            f => f.Message.Contains("every pod that controller creates", StringComparison.Ordinal));
        Assert.Equal("exemptUsers", user.Path);
        Assert.Contains("user", user.Message, StringComparison.Ordinal);
        Assert.Contains(controller, user.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_identities_whose_exemption_misses_controller_pods_are_each_named()
    {
        var policy = SandboxPolicy.RequireSandbox().WithExemptGroups("platform-ops").WithExemptUsers("alice", "bob");
        var finding = Assert.Single(policy.Validate(), f => f.Path == "exemptUsers");
        Assert.Contains("group platform-ops, user alice, user bob", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false, "the policy refuses them (no sandbox class)")]
    [InlineData(false, true, "the policy refuses them (no sandbox class, host network)")]
    [InlineData(true, false, "the validating policy refuses them (no sandbox class) and the mutating policy moves the others (CoreDNS, metrics-server) into Kata VMs")]
    public void Selecting_kube_system_says_what_happens_to_its_pods_and_how_to_avoid_it(bool mutating, bool refuseHostNetwork, string effect)
    {
        var policy = (mutating ? SandboxPolicy.DefaultToSandbox() : SandboxPolicy.RequireSandbox()).WithHostNetworkRefused(refuseHostNetwork)
            .WithAllNamespacesExcept("default");
        var finding = Assert.Single(policy.Validate(), f => f.Path == "namespaceSelector");
        Assert.Contains(effect, finding.Message, StringComparison.Ordinal);
        Assert.Contains("leave kube-system out of the selector, or exempt it with WithExemptNamespaceLabel() and its label", finding.Message, StringComparison.Ordinal);

        var labelled = Assert.Single(policy.WithExemptNamespaceLabel("sandboxing.sdk/exempt", "yes").Validate(), f => f.Path == "namespaceSelector");
        Assert.Equal(SandboxSeverity.Warning, labelled.Severity);
        Assert.Contains("label kube-system sandboxing.sdk/exempt=yes before binding the policy", labelled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_selector_that_names_kube_system_or_excludes_only_other_namespaces_says_so()
    {
        var named = Assert.Single(SandboxPolicy.RequireSandbox().WithNamespaces("kube-system", "tenant-a").Validate(), f => f.Path == "namespaceSelector");
        Assert.Contains("it is named in the selector", named.Message, StringComparison.Ordinal);

        var excluded = Assert.Single(SandboxPolicy.RequireSandbox().WithAllNamespacesExcept("default", "tenant-b").Validate(), f => f.Path == "namespaceSelector");
        Assert.Contains("the selector excludes only default, tenant-b", excluded.Message, StringComparison.Ordinal);

        Assert.DoesNotContain(SandboxPolicy.RequireSandbox().WithAllNamespacesExcept("kube-system").Validate(), f => f.Path == "namespaceSelector");
        Assert.DoesNotContain(SandboxPolicy.RequireSandbox().WithNamespaces("tenant-a").Validate(), f => f.Path == "namespaceSelector");
    }

    [Fact]
    public void Honoring_annotations_names_the_annotation_a_workload_author_writes() =>
        Assert.Contains("sandboxing.sdk/exempt", Assert.Single(SandboxPolicy.RequireSandbox().WithExemptionAnnotationsHonored().Validate(),
            f => f.Path == "honorExemptionAnnotations").Message, StringComparison.Ordinal);
}
