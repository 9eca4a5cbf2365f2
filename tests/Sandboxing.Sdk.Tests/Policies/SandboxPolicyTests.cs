using k8s.Models;
using static Sandboxing.Sdk.Tests.Policies.PolicyHarness;

namespace Sandboxing.Sdk.Tests.Policies;

/// <summary>
/// The ValidatingAdmissionPolicy: every CEL expression evaluated with the Cel library against objects it must admit and objects
/// it must refuse, for every kind it matches.
/// </summary>
public class SandboxPolicyTests
{
    public static readonly TheoryData<string> AllKinds = new(Kinds);

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Allowed_classes_are_admitted_and_missing_or_other_classes_refused_with_their_rule_id(string kind)
    {
        var policy = SandboxPolicy.RequireSandbox("kata-vm-isolation", "kata-clh");
        Assert.True(Admits(policy, Workload.Of(kind, spec: "runtimeClassName: kata-vm-isolation")));
        Assert.True(Admits(policy, Workload.Of(kind, spec: "runtimeClassName: kata-clh")));
        Assert.StartsWith("SBX1001:", Assert.Single(Failures(policy, Workload.Of(kind, spec: ""))));
        Assert.StartsWith("SBX1002:", Assert.Single(Failures(policy, Workload.Of(kind, spec: "runtimeClassName: runc"))));
        // An empty class is refused. The Cel library's has() treats "" as absent (protobuf field presence), so it reports SBX1001;
        // the API server, which reads a present JSON member, reports SBX1002 (and pod validation refuses "" anyway).
        Assert.Matches("^SBX100[12]:", Assert.Single(Failures(policy, Workload.Of(kind, spec: "runtimeClassName: ''"))));
        Assert.StartsWith("SBX1002:", Assert.Single(Failures(policy, Workload.Of(kind, spec: "runtimeClassName: kata-mshv-vm-isolation"))));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Host_network_is_refused_unless_the_check_is_left_out(string kind)
    {
        var policy = SandboxPolicy.RequireSandbox();
        var hostNetwork = Workload.Of(kind, spec: "runtimeClassName: kata-vm-isolation\nhostNetwork: true");
        Assert.StartsWith("SBX2001:", Assert.Single(Failures(policy, hostNetwork)));
        Assert.True(Admits(policy, Workload.Of(kind, spec: "runtimeClassName: kata-vm-isolation\nhostNetwork: false")));
        Assert.True(Admits(policy.WithHostNetworkRefused(false), hostNetwork));
        Assert.Equal(2, policy.WithHostNetworkRefused(false).ToValidatingAdmissionPolicy().Spec.Validations.Count);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Annotations_exempt_nothing_by_default_and_with_a_reason_in_annotation_mode(string kind)
    {
        var strict = SandboxPolicy.RequireSandbox();
        var lenient = strict.WithExemptionAnnotationsHonored();
        var onObject = Workload.Of(kind, spec: "hostNetwork: true", annotations: "sandboxing.sdk/exempt: node agent needs the host network");
        Assert.False(Admits(strict, onObject));
        Assert.True(Admits(lenient, onObject));
        // Blank as the SDK reads it (string.IsNullOrWhiteSpace): spaces, a tab, a vertical tab, a no-break space.
        foreach (var blank in new[] { "'  '", "\"\\t\"", "\"\\v \"", "\"\\u00a0\"", "''" })
        {
            Assert.False(Admits(lenient, Workload.Of(kind, spec: "hostNetwork: true", annotations: "sandboxing.sdk/exempt: " + blank)), blank);
        }

        Assert.False(Admits(lenient, Workload.Of(kind, spec: "hostNetwork: true", annotations: "other: x")));
        if (kind != "Pod")
        {
            var onTemplate = Workload.Of(kind, spec: "", templateAnnotations: "sandboxing.sdk/exempt: legacy image needs runc");
            Assert.True(Admits(lenient, onTemplate));
            Assert.False(Admits(strict, onTemplate));
        }
    }

    [Fact]
    public void A_reason_made_only_of_white_space_is_blank_for_every_character_dotnet_calls_white_space()
    {
        var policy = SandboxPolicy.RequireSandbox().WithExemptionAnnotationsHonored();
        foreach (var c in Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(char.IsWhiteSpace))
        {
            var yaml = Workload.Of("Pod", spec: "hostNetwork: true", annotations: $"sandboxing.sdk/exempt: \"\\u{(int)c:x4}\\u{(int)c:x4}\"");
            Assert.False(Admits(policy, yaml), $"U+{(int)c:X4}");
        }

        // Not white space for .NET, so a (strange) reason: a zero-width space and a letter.
        Assert.True(Admits(policy, Workload.Of("Pod", spec: "hostNetwork: true", annotations: "sandboxing.sdk/exempt: \"\\u200b\"")));
        Assert.True(Admits(policy, Workload.Of("Pod", spec: "hostNetwork: true", annotations: "sandboxing.sdk/exempt: \"\\t x\"")));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void A_per_rule_annotation_silences_only_its_rule_as_in_the_validator(string kind)
    {
        var policy = SandboxPolicy.RequireSandbox().WithExemptionAnnotationsHonored();
        const string annotation = "sandboxing.sdk/exempt.SBX2001: metrics agent binds host ports";
        Assert.True(Admits(policy, Workload.Of(kind, spec: "runtimeClassName: kata-vm-isolation\nhostNetwork: true", annotations: annotation)));
        Assert.StartsWith("SBX1001:", Assert.Single(Failures(policy, Workload.Of(kind, spec: "hostNetwork: true", annotations: annotation))));
        // As in the SDK's one exemption model, a per-rule annotation never lets an unsandboxed pod through: SBX1001 and SBX1002
        // yield only to the whole-object sandboxing.sdk/exempt.
        Assert.StartsWith("SBX1001:", Assert.Single(Failures(policy, Workload.Of(kind, spec: "", annotations: "sandboxing.sdk/exempt.SBX1001: runs on runc for now"))));
        Assert.StartsWith("SBX1002:", Assert.Single(Failures(policy, Workload.Of(kind, spec: "runtimeClassName: runc", annotations: "sandboxing.sdk/exempt.SBX1002: runs on runc for now"))));
    }

    [Fact]
    public void The_annotation_mode_agrees_with_the_sdk_validator_on_every_kind()
    {
        var policy = SandboxPolicy.RequireSandbox().WithExemptionAnnotationsHonored();
        var options = new Sandboxing.Sdk.SandboxValidationOptions { AllowedRuntimeClasses = ["kata-vm-isolation"] };
        foreach (var kind in Kinds)
        {
            foreach (var (spec, annotations) in new (string, string?)[]
            {
                ("", null), ("runtimeClassName: kata-vm-isolation", null), ("runtimeClassName: runc", null),
                ("", "sandboxing.sdk/exempt: legacy"), ("", "sandboxing.sdk/exempt: \"\\t \""), ("", "sandboxing.sdk/exempt.SBX1001: legacy"),
                ("runtimeClassName: runc", "sandboxing.sdk/exempt.SBX1002: legacy"),
                ("runtimeClassName: kata-vm-isolation\nhostNetwork: true", "sandboxing.sdk/exempt.SBX2001: agent"),
                ("runtimeClassName: kata-vm-isolation\nhostNetwork: true", null),
            })
            {
                var workload = Workload.Of(kind, spec, annotations);
                var sdk = Sandboxing.Sdk.SandboxValidator.Validate(workload.Typed, options)
                    .Where(f => f.RuleId is "SBX1001" or "SBX1002" or "SBX2001").Select(f => f.RuleId).Order().ToList();
                var cel = Failures(policy, workload).Select(m => m[..7]).Order().ToList();
                Assert.True(sdk.SequenceEqual(cel), $"{kind} {spec} {annotations}: SDK [{string.Join(", ", sdk)}], policy [{string.Join(", ", cel)}]");
            }
        }
    }

    [Fact]
    public void The_policy_matches_pods_on_create_and_workloads_on_create_and_update()
    {
        var policy = SandboxPolicy.RequireSandbox().WithNamespaceLabel("team", "tenants").WithMode(SandboxPolicyMode.Audit);
        var vap = policy.ToValidatingAdmissionPolicy();
        var binding = policy.ToValidatingAdmissionPolicyBinding();
        Assert.Equal(("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy"), (vap.ApiVersion, vap.Kind));
        Assert.Equal(("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding"), (binding.ApiVersion, binding.Kind));
        var resources = vap.Spec.MatchConstraints.ResourceRules.SelectMany(r => r.Resources.Select(res => (r.ApiGroups.Single(), res))).ToHashSet();
        Assert.Equal(
            new HashSet<(string, string)> { ("", "pods"), ("", "replicationcontrollers"), ("apps", "deployments"), ("apps", "statefulsets"), ("apps", "daemonsets"), ("apps", "replicasets"), ("batch", "jobs"), ("batch", "cronjobs") },
            resources);
        // Pods only on CREATE: their checked fields are immutable, and a pod that predates the policy can still be updated (finalizers).
        Assert.Equal(["CREATE"], vap.Spec.MatchConstraints.ResourceRules.Single(r => r.Resources.Contains("pods")).Operations);
        Assert.All(vap.Spec.MatchConstraints.ResourceRules.Where(r => !r.Resources.Contains("pods")), r => Assert.Equal(["CREATE", "UPDATE"], r.Operations));
        Assert.Null(vap.Spec.ParamKind);
        Assert.Equal("Fail", vap.Spec.FailurePolicy);
        Assert.Equal(vap.Metadata.Name, binding.Spec.PolicyName);
        Assert.Equal(["Warn", "Audit"], binding.Spec.ValidationActions);
        Assert.Equal(["Deny"], policy.WithMode(SandboxPolicyMode.Enforce).ToValidatingAdmissionPolicyBinding().Spec.ValidationActions);
        Assert.Equal("tenants", binding.Spec.MatchResources.NamespaceSelector.MatchLabels["team"]);

        var yaml = SandboxManifest.ToYaml(policy);
        var read = SandboxManifest.Read(yaml, "policy.yaml");
        Assert.IsType<V1ValidatingAdmissionPolicy>(read[0]);
        Assert.IsType<V1ValidatingAdmissionPolicyBinding>(read[1]);
        Assert.Equal(yaml, policy.ToYaml());
    }

    [Theory]
    [InlineData("runc")]
    [InlineData("crun")]
    [InlineData("nvidia")]
    [InlineData("default")]
    [InlineData("my-class")]
    public void A_class_that_is_not_a_sandbox_is_never_allowed(string name)
    {
        // Allowing it would admit pods on the node's shared kernel under a policy that says "sandbox".
        Assert.Contains("not a sandbox runtime class", Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox(name)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithAllowedRuntimeClasses("kata-vm-isolation", name));
        Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithRuntime(name));
        Assert.Throws<ArgumentException>(() => SandboxPolicy.DefaultToSandbox(name));
        // A definition decides by its handler, whatever the class is called.
        var hostHandler = RuntimeClassDefinition.FromRuntimeClass(new k8s.Models.V1RuntimeClass { Metadata = new() { Name = "kata-fast" }, Handler = "runc" });
        Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithRuntime(hostHandler));
        var sandboxHandler = RuntimeClassDefinition.FromRuntimeClass(new k8s.Models.V1RuntimeClass { Metadata = new() { Name = name + "-vm" }, Handler = "kata-qemu" });
        Assert.Contains(name + "-vm", SandboxPolicy.RequireSandbox().WithRuntime(sandboxHandler).WithAllowedRuntimeClasses(name + "-vm").AllowedRuntimeClasses);
        // WithAllowedRuntimeClass adds a defined class beside the others, judged by its handler too.
        var both = SandboxPolicy.RequireSandbox(KnownRuntimeClasses.KataVmIsolation).WithAllowedRuntimeClass(sandboxHandler);
        Assert.Equal([KnownRuntimeClasses.KataVmIsolation, name + "-vm"], both.AllowedRuntimeClasses);
        Assert.Equal(KnownRuntimeClasses.KataVmIsolation, both.Runtime.Name);
        Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithAllowedRuntimeClass(hostHandler));
    }

    [Fact]
    public void A_typo_of_a_known_class_is_refused_with_the_class_meant()
    {
        // kata-vm-isolaton looks like a kata-* sandbox handler, but every pod the policy's hint sets up would name a class no node has.
        Assert.Contains("did you mean 'kata-vm-isolation'?", Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox("kata-vm-isolaton")).Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'kata-vm-isolation'?", Assert.Throws<ArgumentException>(() => SandboxPolicy.DefaultToSandbox("kata-vm-isolaton")).Message, StringComparison.Ordinal);
        Assert.Equal(["kata-qemu"], SandboxPolicy.RequireSandbox("kata-qemu").AllowedRuntimeClasses);
    }

    [Fact]
    public void Invalid_input_is_refused_naming_the_argument()
    {
        Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox("Kata_VM"));
        Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithAllowedRuntimeClasses());
        Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithName("Bad Name"));
        Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithNamespaces());
        Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithNamespaceLabel("bad key!", "x"));
        Assert.Equal("groups", Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithExemptGroups("")).ParamName);
        Assert.Equal("groups", Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithExemptGroups(" ops")).ParamName);
        Assert.Equal("groups", Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithExemptGroups()).ParamName);
        Assert.Equal("users", Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithExemptUsers("\t")).ParamName);
        Assert.Equal("serviceAccounts", Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithExemptServiceAccounts("deployer")).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithExemptNamespaceLabel(value: "")).ParamName);
        Assert.Equal("namespace", Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithExemptionConfigMap("Ops")).ParamName);
        Assert.Equal("version", Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithKubernetesVersion("latest")).ParamName);
        Assert.Equal("version", Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithKubernetesVersion("2.1")).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => SandboxPolicy.RequireSandbox().WithChecks((SandboxPolicyChecks)1024));
    }

    [Fact]
    public void Generated_policies_match_the_golden_files()
    {
        Golden.Match(SandboxPolicy.RequireSandbox().ToYaml(), "yaml", "vap");
        Golden.Match(SandboxPolicy.RequireSandbox().WithChecks(SandboxPolicyChecks.Hardened).WithExemptNamespaceLabel()
            .WithExemptGroups("platform-ops").WithExemptServiceAccounts("ci/deployer").WithExemptionConfigMap("sandboxing-system")
            .WithAllNamespacesExcept("kube-system").ToYaml(), "yaml", "vap-hardened-exemptions");
    }
}
