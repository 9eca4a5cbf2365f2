using k8s.Models;
using static Sandboxing.Sdk.Tests.Policies.PolicyHarness;

namespace Sandboxing.Sdk.Tests.Policies;

/// <summary>
/// The MutatingAdmissionPolicy. Its match conditions are plain CEL and are evaluated with the Cel library. Its mutation is an
/// apply configuration (<c>Object{spec: Object.spec{…}}</c>), which the Cel library cannot build (it resolves only protobuf
/// message types: "Cannot find constructor for identifier 'Object.spec'"), so golden files hold it and the tests apply the
/// patch it encodes to sample pods and check the result with the SDK validator and the validating policy.
/// </summary>
public class MutatingPolicyTests
{
    private static readonly SandboxPolicy Policy = SandboxPolicy.DefaultToSandbox()
        .WithExemptGroups("platform-ops")
        .WithExemptNamespaceLabel()
        .WithExemptionConfigMap("sandboxing-system");

    /// <summary>The whole admission path for a Pod: mutate (when the match conditions hold), then validate.</summary>
    private static (bool Mutated, V1Pod Pod, IReadOnlyList<string> Refusals) Admit(SandboxPolicy policy, Workload pod, AdmissionRequest? request = null,
        IDictionary<string, string>? configMap = null)
    {
        var map = policy.ToMutatingAdmissionPolicy();
        var typed = (V1Pod)pod.Typed;
        bool mutated = MutationMatches(map, pod, request, configMap);
        if (mutated)
        {
            typed = ApplyMutation(map, typed);
            pod = Workload.FromYaml(SandboxManifest.ToYaml(typed));
        }

        return (mutated, typed, Failures(policy, pod, request, configMap: configMap));
    }

    [Fact]
    public void A_pod_created_without_a_class_gets_the_runtime_and_then_passes_the_validating_policy_and_the_validator()
    {
        var (mutated, pod, refusals) = Admit(Policy, Workload.Of("Pod", containers: "- {name: app, image: nginx, resources: {limits: {memory: 256Mi}}}"));
        Assert.True(mutated);
        Assert.Equal("kata-vm-isolation", pod.Spec.RuntimeClassName);
        Assert.Empty(refusals);
        Assert.Empty(SandboxValidator.Validate(pod));
    }

    [Fact]
    public void Another_runtime_is_added_when_chosen()
    {
        var gvisor = SandboxPolicy.DefaultToSandbox(Sandboxing.Sdk.SandboxRuntime.GkeGvisor);
        var (mutated, pod, refusals) = Admit(gvisor, Workload.Of("Pod"));
        Assert.True(mutated);
        Assert.Equal("gvisor", pod.Spec.RuntimeClassName);
        Assert.Empty(refusals);
        Assert.Equal(["gvisor"], gvisor.AllowedRuntimeClasses);
    }

    [Fact]
    public void A_class_the_author_chose_is_left_for_the_validating_policy_to_judge()
    {
        var (mutated, pod, refusals) = Admit(Policy, Workload.Of("Pod", "runtimeClassName: runc"));
        Assert.False(mutated);
        Assert.Equal("runc", pod.Spec.RuntimeClassName);
        Assert.StartsWith("SBX1002:", Assert.Single(refusals));
        Assert.False(Admit(Policy, Workload.Of("Pod", "runtimeClassName: kata-vm-isolation")).Mutated);
    }

    [Fact]
    public void A_host_network_pod_is_not_moved_into_a_vm_where_it_would_never_start_but_refused()
    {
        var (mutated, pod, refusals) = Admit(Policy, Workload.Of("Pod", "hostNetwork: true"));
        Assert.False(mutated);
        Assert.Equal(["SBX1001", "SBX2001"], refusals.Select(m => m[..7]).Order());
        Assert.Contains(SandboxValidator.Validate(pod), f => f.RuleId == "SBX1001");
    }

    [Fact]
    public void Exempt_pods_are_neither_mutated_nor_refused()
    {
        var hostAgent = Workload.Of("Pod", "hostNetwork: true", name: "agent");
        var ops = new AdmissionRequest(Groups: ["platform-ops"]);
        Assert.Equal((false, 0), Summary(Admit(Policy, hostAgent, ops)));
        Assert.Equal((false, 0), Summary(Admit(Policy, hostAgent, configMap: new Dictionary<string, string> { ["tenant.agent"] = "node agent" })));
        var plain = Workload.Of("Pod", name: "agent");
        Assert.Equal((false, 0), Summary(Admit(Policy, plain, ops)));
        Assert.Equal((true, 0), Summary(Admit(Policy, plain)));

        // Annotations: ignored by default, honoured in the explicit annotation mode (the whole-object annotation).
        var annotated = Workload.Of("Pod", annotations: "sandboxing.sdk/exempt: needs runc");
        Assert.True(Admit(Policy, annotated).Mutated);
        Assert.False(Admit(Policy.WithExemptionAnnotationsHonored(), annotated).Mutated);
        // A per-rule annotation never waives the class (the SDK's one exemption model): the pod is sandboxed.
        Assert.True(Admit(Policy.WithExemptionAnnotationsHonored(), Workload.Of("Pod", annotations: "sandboxing.sdk/exempt.SBX1001: needs runc")).Mutated);
        Assert.True(Admit(Policy.WithExemptionAnnotationsHonored(), Workload.Of("Pod", annotations: "sandboxing.sdk/exempt.SBX2001: other rule")).Mutated);

        static (bool, int) Summary((bool Mutated, V1Pod Pod, IReadOnlyList<string> Refusals) r) => (r.Mutated, r.Refusals.Count);
    }

    [Theory]
    [InlineData("alice@example.com", null, false)]
    [InlineData("system:serviceaccount:ci:deployer", null, false)]
    [InlineData("bob@example.com", "platform-ops", false)]
    [InlineData("bob@example.com", "platform-ops-readers", true)]
    [InlineData("system:serviceaccount:tenant:deployer", null, true)]
    public void The_match_conditions_honour_users_service_accounts_and_groups(string user, string? group, bool mutated)
    {
        var policy = SandboxPolicy.DefaultToSandbox().WithExemptUsers("alice@example.com").WithExemptServiceAccounts("ci/deployer").WithExemptGroups("platform-ops");
        var request = new AdmissionRequest(User: user, Groups: group is null ? null : ["system:authenticated", group]);
        Assert.Equal(mutated, MutationMatches(policy.ToMutatingAdmissionPolicy(), Workload.Of("Pod"), request));
    }

    [Fact]
    public void The_namespace_exemption_label_is_in_the_binding_selector_because_match_conditions_cannot_read_the_namespace()
    {
        var binding = Policy.ToMutatingAdmissionPolicyBinding();
        var selector = binding.Spec.MatchResources.NamespaceSelector;
        Assert.True(Selects(selector, new Dictionary<string, string> { ["sandboxing.sdk/enforce"] = "true" }));
        Assert.False(Selects(selector, new Dictionary<string, string> { ["sandboxing.sdk/enforce"] = "true", ["sandboxing.sdk/exempt"] = "true" }));
        Assert.False(Selects(selector, new Dictionary<string, string> { ["sandboxing.sdk/enforce"] = "true", ["sandboxing.sdk/exempt.SBX1001"] = "true" }));
        Assert.True(Selects(selector, new Dictionary<string, string> { ["sandboxing.sdk/enforce"] = "true", ["sandboxing.sdk/exempt.SBX2001"] = "true" }));
        Assert.False(Selects(selector, new Dictionary<string, string>()));
        Assert.All(Policy.ToMutatingAdmissionPolicy().Spec.MatchConditions, c => Assert.DoesNotContain("namespaceObject", c.Expression));
        Assert.Equal(("sandboxing-exemptions", "sandboxing-system", "Deny"), (binding.Spec.ParamRef.Name, binding.Spec.ParamRef.NamespaceProperty, binding.Spec.ParamRef.ParameterNotFoundAction));
    }

    [Fact]
    public void The_binding_keeps_the_namespace_names_it_excludes_beside_the_exemption_labels()
    {
        var policy = SandboxPolicy.DefaultToSandbox().WithAllNamespacesExcept("kube-system", "legacy").WithExemptNamespaceLabel();
        var selector = policy.ToMutatingAdmissionPolicyBinding().Spec.MatchResources.NamespaceSelector;
        Dictionary<string, string> Namespace(string name, string? label = null) =>
            label is null ? new() { ["kubernetes.io/metadata.name"] = name } : new() { ["kubernetes.io/metadata.name"] = name, [label] = "true" };

        Assert.True(Selects(selector, Namespace("tenant")));
        Assert.False(Selects(selector, Namespace("legacy")));
        Assert.False(Selects(selector, Namespace("kube-system")));
        Assert.False(Selects(selector, Namespace("tenant", "sandboxing.sdk/exempt")));
        Assert.False(Selects(selector, Namespace("tenant", "sandboxing.sdk/exempt.SBX1001")));
        // The policy's own selector is copied, not changed.
        Assert.Single(policy.NamespaceSelector.MatchExpressions);
    }

    [Theory]
    [InlineData("Deployment")]
    [InlineData("Job")]
    [InlineData("CronJob")]
    public void Workload_templates_may_leave_the_class_to_the_mutation_or_be_required_to_name_it(string kind)
    {
        var unset = Workload.Of(kind);
        Assert.True(Admits(Policy, unset));
        Assert.StartsWith("SBX1001:", Assert.Single(Failures(Policy.WithClassRequiredOnTemplates(), unset)));
        // A class that is set must still be allowed, and the Pods themselves still need one.
        Assert.StartsWith("SBX1002:", Assert.Single(Failures(Policy, Workload.Of(kind, "runtimeClassName: runc"))));
        Assert.StartsWith("SBX1001:", Assert.Single(Failures(Policy, Workload.Of("Pod", "hostNetwork: false"))));
    }

    [Fact]
    public void The_policy_matches_pod_creation_only_sets_the_class_once_and_fails_closed()
    {
        var map = Policy.ToMutatingAdmissionPolicy();
        Assert.Equal(("admissionregistration.k8s.io/v1", "MutatingAdmissionPolicy"), (map.ApiVersion, map.Kind));
        var rule = Assert.Single(map.Spec.MatchConstraints.ResourceRules);
        Assert.Equal(["CREATE"], rule.Operations);
        Assert.Equal(["pods"], rule.Resources);
        Assert.Equal(("Fail", "Never"), (map.Spec.FailurePolicy, map.Spec.ReinvocationPolicy));
        Assert.Equal(("v1", "ConfigMap"), (map.Spec.ParamKind.ApiVersion, map.Spec.ParamKind.Kind));
        Assert.Equal(["no-runtime-class", "not-host-network", "not-exempt"], map.Spec.MatchConditions.Select(c => c.Name));
        Assert.Equal("Object{spec: Object.spec{runtimeClassName: \"kata-vm-isolation\"}}", Assert.Single(map.Spec.Mutations).ApplyConfiguration.Expression);

        // Mutate first, then require: the objects come in apply order.
        Assert.Equal(["ConfigMap", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"],
            Policy.ToObjects().Select(o => o.Kind));
        var read = SandboxManifest.Read(Policy.ToYaml(), "policy.yaml");
        Assert.IsType<V1MutatingAdmissionPolicy>(read[1]);
        Assert.IsType<V1MutatingAdmissionPolicyBinding>(read[2]);
    }

    [Fact]
    public void The_api_version_follows_the_kubernetes_version()
    {
        var beta = SandboxPolicy.DefaultToSandbox().WithKubernetesVersion("v1.34.2");
        Assert.Equal("admissionregistration.k8s.io/v1beta1", beta.MutatingApiVersion);
        var objects = beta.ToMutatingAdmissionPolicyObjects();
        var policy = Assert.IsType<V1beta1MutatingAdmissionPolicy>(objects[0]);
        Assert.Equal("admissionregistration.k8s.io/v1beta1", policy.ApiVersion);
        Assert.Equal("Never", policy.Spec.ReinvocationPolicy);
        Assert.Equal("admissionregistration.k8s.io/v1beta1", Assert.IsType<V1beta1MutatingAdmissionPolicyBinding>(objects[1]).ApiVersion);
        Assert.Contains(beta.Validate(), f => f.RuleId == "SBX5002");
        Assert.Equal("admissionregistration.k8s.io/v1", SandboxPolicy.DefaultToSandbox().WithKubernetesVersion("1.37").MutatingApiVersion);

        var alpha = SandboxPolicy.DefaultToSandbox().WithKubernetesVersion("1.33");
        var error = Assert.Throws<SandboxValidationException>(() => alpha.ToYaml());
        Assert.Equal("SBX5001", Assert.Single(error.Findings).RuleId);
        Assert.StartsWith("The admission policy cannot be generated as configured:", error.Message, StringComparison.Ordinal);
        Assert.Contains("1.34", error.Message);
        // The validating policy alone is fine on 1.33.
        Assert.NotEmpty(SandboxPolicy.RequireSandbox().WithKubernetesVersion("1.33").ToYaml());
    }

    [Fact]
    public void Generated_mutating_policies_match_the_golden_files()
    {
        Golden.Match(SandboxPolicy.DefaultToSandbox().ToYaml(), "yaml", "default");
        Golden.Match(Policy.WithExemptionAnnotationsHonored().WithKubernetesVersion("1.35").ToYaml(), "yaml", "beta-exemptions");
    }
}
