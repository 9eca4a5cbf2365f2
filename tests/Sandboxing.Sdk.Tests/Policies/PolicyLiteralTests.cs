using static Sandboxing.Sdk.Tests.Policies.PolicyHarness;

namespace Sandboxing.Sdk.Tests.Policies;

// Names the operator gives (users, groups, label values) become CEL string literals: a quote, a backslash or a line break in
// one must stay inside its literal, or a name could close the string and add a condition that exempts everyone.
public class PolicyLiteralTests
{
    private static Workload HostNetworkPod() => Workload.Of("Pod", spec: "hostNetwork: true");

    [Theory]
    [InlineData("o'brien' || true || '")]
    [InlineData("back\\slash' || true || '\\")]
    [InlineData("line\nbreak")]
    [InlineData("carriage\rreturn")]
    [InlineData("tab\there")]
    public void An_exempt_user_with_quotes_backslashes_or_breaks_exempts_that_user_alone(string user)
    {
        var policy = SandboxPolicy.RequireSandbox().WithExemptUsers(user);
        Assert.True(Admits(policy, HostNetworkPod(), new AdmissionRequest(User: user)));
        Assert.False(Admits(policy, HostNetworkPod(), new AdmissionRequest(User: "alice")));
    }

    [Fact]
    public void An_exempt_group_with_a_quote_is_one_literal()
    {
        var policy = SandboxPolicy.RequireSandbox().WithExemptGroups("ops' || true || '");
        Assert.True(Admits(policy, HostNetworkPod(), new AdmissionRequest(Groups: ["ops' || true || '"])));
        Assert.False(Admits(policy, HostNetworkPod(), new AdmissionRequest(Groups: ["ops"])));
    }

    [Fact]
    public void Quote_escapes_each_character_CEL_would_read_otherwise()
    {
        Assert.Equal(@"'a\'b\\c\nd\re\tf'", PolicyCel.Quote("a'b\\c\nd\re\tf"));
        Assert.Equal("'é ✓'", PolicyCel.Quote("é ✓"));
        Assert.Equal("['a', 'b\\'c']", PolicyCel.List(["a", "b'c"]));
    }

    [Theory]
    [InlineData("system:serviceaccount:kube-system:coredns")]        // in kube-system, not a controller
    [InlineData("system:serviceaccount:tenant:deployment-controller")] // a controller's name in a tenant's namespace
    [InlineData("system:kube-controller-manager-x")]
    public void Only_kube_system_controllers_count_as_controller_identities(string user) =>
        Assert.DoesNotContain(SandboxPolicy.RequireSandbox().WithExemptUsers(user).Validate(), f => f.RuleId == "SBX5003");

    [Fact]
    public void A_label_selector_or_two_name_requirements_say_nothing_about_kube_system()
    {
        Assert.DoesNotContain(SandboxPolicy.RequireSandbox().WithNamespaceLabel("sandboxed").Validate(), f => f.RuleId == "SBX5005");
        Assert.Contains(SandboxPolicy.RequireSandbox().WithNamespaces("kube-system").Validate(), f => f.RuleId == "SBX5005");
        Assert.DoesNotContain(SandboxPolicy.RequireSandbox().WithNamespaces("tenant").Validate(), f => f.RuleId == "SBX5005");
    }

    [Fact]
    public void The_runtime_class_note_gives_AKS_steps_for_the_AKS_class_and_a_plain_step_for_another()
    {
        var aks = Assert.Single(SandboxPolicy.DefaultToSandbox().Validate(), f => f.RuleId == "SBX5006");
        Assert.Contains("workloadRuntime KataVmIsolation", aks.Message, StringComparison.Ordinal);
        var custom = Assert.Single(SandboxPolicy.DefaultToSandbox(SandboxRuntime.Define("small-kata").WithHandler("kata").Build()).Validate(), f => f.RuleId == "SBX5006");
        Assert.Contains("'small-kata'", custom.Message, StringComparison.Ordinal);
        Assert.Contains("create it before binding the policy", custom.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1.35.2", "1.35")]
    [InlineData(" 1.34 ", "1.34")]
    [InlineData("v1.33.4+k3s1", "1.33")] // a distribution suffix
    [InlineData("v1.30.5-gke.1014001", "1.30")] // a suffix with dots of its own, as kubectl version prints on GKE
    [InlineData("1.36.0-rc.1", "1.36")] // a pre-release
    public void A_Kubernetes_version_is_read_with_or_without_v_and_patch(string version, string expected) =>
        Assert.Equal(expected, SandboxPolicy.RequireSandbox().WithKubernetesVersion(version).KubernetesVersion.ToString(2));

    [Theory]
    [InlineData("1")]
    [InlineData("1.2.3.4")]
    [InlineData("1.x")]
    [InlineData("x.34")]
    [InlineData("1.34.x")]
    [InlineData("1.-3")]
    [InlineData("-rc.1")]
    [InlineData("1.34.x-rc.1")]
    public void A_malformed_Kubernetes_version_is_refused(string version) =>
        Assert.Equal("version", Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithKubernetesVersion(version)).ParamName);

    [Theory]
    [InlineData("sandboxing-require-runtime-class", "SandboxingRequireRuntimeClass")]
    [InlineData("sandbox.require--class", "SandboxRequireClass")] // dots and empty parts leave no gap or stray letter
    public void The_Gatekeeper_constraint_kind_is_the_name_in_CamelCase(string name, string kind) =>
        Assert.Equal(kind, SandboxPolicy.RequireSandbox().WithName(name).GatekeeperKind);
}
