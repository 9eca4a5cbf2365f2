using CsCheck;
using k8s.Models;
using static Sandboxing.Sdk.Tests.Policies.PolicyHarness;

namespace Sandboxing.Sdk.Tests.Policies;

/// <summary>
/// The CI gate and the cluster agree: one default allow-list, and the SDK's decision (the validator that lint, fix and Build()
/// use, with a policy's options) against the generated ValidatingAdmissionPolicy's CEL, evaluated as the API server would.
/// </summary>
public class GateAgreementTests
{
    private static readonly RuntimeClassDefinition SmallKataPods = SandboxRuntime.Define("small-kata-pods").WithHandler("kata").Build();

    /// <summary>Known AKS classes, other platforms' sandboxes, host-kernel classes, unknown and custom names, and none.</summary>
    private static readonly string?[] Classes =
    [
        null, "kata-vm-isolation", "kata-mshv-vm-isolation", "kata-cc-isolation", "kata-vm-isolation-v2",
        "gvisor", "kata", "kata-qemu", "kata-clh", "runv", "isolated-sandbox",
        "runc", "crun", "nvidia", "default", "small-kata-pods", "my-runtime",
    ];

    private static readonly string?[] Exemptions =
    [
        null, $"{SandboxAnnotations.Exempt}: node agent", $"{SandboxAnnotations.Exempt}: ' '",
        $"{SandboxAnnotations.ExemptRule("SBX2001")}: needs the node's network", $"{SandboxAnnotations.ExemptRule("SBX2003")}: device plugin",
    ];

    private static readonly Gen<Workload> Workloads =
        Gen.Select(Gen.OneOfConst("Pod", "Deployment", "Job", "CronJob"), Gen.OneOfConst(Classes), Gen.OneOfConst<bool?>(null, true, false),
                Gen.OneOfConst<bool?>(null, true, false), Gen.OneOfConst(Exemptions), Gen.Bool)
            .Select(t =>
            {
                var (kind, runtimeClass, hostNetwork, privileged, exemption, onTemplate) = t;
                var spec = new List<string>();
                if (runtimeClass is not null)
                {
                    spec.Add($"runtimeClassName: {runtimeClass}");
                }

                if (hostNetwork is { } host)
                {
                    spec.Add($"hostNetwork: {(host ? "true" : "false")}");
                }

                var securityContext = privileged is { } p ? $", securityContext: {{privileged: {(p ? "true" : "false")}}}" : "";
                bool template = onTemplate && kind != "Pod";
                return Workload.Of(kind, string.Join("\n", spec),
                    annotations: template ? null : exemption, templateAnnotations: template ? exemption : null,
                    containers: $"- {{name: app, image: nginx, resources: {{limits: {{memory: 256Mi}}}}{securityContext}}}");
            });

    private static readonly Gen<SandboxPolicy> Policies =
        Gen.Select(Gen.Int[0, 2], Gen.Bool, Gen.Bool)
            .Select(t =>
            {
                var (list, privileged, annotations) = t;
                var policy = list switch
                {
                    0 => SandboxPolicy.RequireSandbox(),
                    1 => SandboxPolicy.RequireSandbox("kata-vm-isolation", "gvisor", "kata-qemu"),
                    _ => SandboxPolicy.RequireSandbox().WithAllowedRuntimeClass(SmallKataPods),
                };
                return policy
                    .WithChecks(privileged ? SandboxPolicyChecks.Kata | SandboxPolicyChecks.Privileged : SandboxPolicyChecks.Kata)
                    .WithExemptionAnnotationsHonored(annotations);
            });

    /// <summary>SBX1001 to SBX1004 all mean "not an allowed class"; the CEL says SBX1001 or SBX1002.</summary>
    private static string Normalise(string ruleId) => ruleId is "SBX1001" or "SBX1002" or "SBX1003" or "SBX1004" ? "runtime class" : ruleId;

    private static SortedSet<string> RuleIds(IEnumerable<string> ids) => new(ids.Select(Normalise), StringComparer.Ordinal);

    [Trait("Category", "Slow")]
    [Fact]
    public void What_the_gate_passes_the_cluster_admits_and_what_it_fails_the_cluster_refuses() =>
        Gen.Select(Policies, Workloads).Sample((policy, workload) =>
        {
            var sdk = PolicyDecision.Refusals(policy, workload.Typed);
            var cel = Failures(policy, workload);
            var sdkRules = RuleIds(sdk.Select(f => f.RuleId));
            var celRules = RuleIds(cel.Select(m => m[..7]));

            // The one case where they differ on purpose: a whole exemption on a pod that still names a sandbox class. The cluster
            // admits the exempt pod; the gate still reports what keeps a sandboxed pod from starting (docs/policies.md).
            var site = PodTemplates.FindAll(workload.Typed).Single();
            bool exemptButSandboxed = policy.HonorExemptionAnnotations
                && !string.IsNullOrWhiteSpace(SandboxAnnotations.FindExemption(site.Owner.Metadata, site.TemplateMetadata, SandboxAnnotations.Exempt, out _))
                && site.Spec.RuntimeClassName is { } named && (policy.ToValidationOptions().IsAllowed(named) || KnownRuntimeClasses.Find(named) is { IsObsolete: true });
            if (exemptButSandboxed)
            {
                Assert.Empty(cel);
                Assert.All(sdkRules, r => Assert.Contains(r, new[] { "runtime class", "SBX2001", "SBX2003" }));
                return;
            }

            Assert.True(sdkRules.SetEquals(celRules),
                $"SDK refuses with [{string.Join(", ", sdkRules)}], the policy's CEL with [{string.Join(", ", celRules)}]\n{workload.Yaml}");
        }, iter: 1500);

    [Fact]
    public void With_their_defaults_lint_and_the_policy_allow_the_same_classes()
    {
        var policy = SandboxPolicy.RequireSandbox();
        Assert.Equal(KnownRuntimeClasses.DefaultAllowed, policy.AllowedRuntimeClasses);
        foreach (var runtimeClass in Classes.OfType<string>().Concat(KnownRuntimeClasses.All.Select(k => k.Name)).Distinct())
        {
            var workload = Workload.Of("Pod", $"runtimeClassName: {runtimeClass}", containers: "- {name: app, image: nginx, resources: {limits: {memory: 256Mi}}}");
            var gate = SandboxValidator.Validate(workload.Typed, SandboxValidationOptions.Default)
                .Where(f => f.Severity >= SandboxSeverity.Warning).Select(f => f.RuleId).ToList();
            bool admitted = Admits(policy, workload);
            Assert.True(admitted == (gate.Count == 0), $"{runtimeClass}: lint reports [{string.Join(", ", gate)}], the policy {(admitted ? "admits" : "refuses")} it");
            Assert.Equal(admitted, SandboxValidationOptions.Default.IsAllowed(runtimeClass) && KnownRuntimeClasses.Find(runtimeClass) is not { IsObsolete: true });
        }

        // AKS has no kata-qemu, gVisor or OpenShift kata: none is on the default list.
        Assert.Equal(["kata-vm-isolation"], KnownRuntimeClasses.DefaultAllowed);
    }

    [Fact]
    public void Every_engine_takes_its_allowed_list_from_the_policy()
    {
        var policy = SandboxPolicy.DefaultToSandbox().WithAllowedRuntimeClasses("kata-vm-isolation", "kata-clh").WithAllowedRuntimeClass(SmallKataPods);
        string[] expected = ["kata-vm-isolation", "kata-clh", "small-kata-pods"];
        Assert.Equal(expected, policy.AllowedRuntimeClasses);

        // VAP: the CEL list literal.
        var allowed = policy.ToValidatingAdmissionPolicy().Spec.Validations.Single(v => v.Message.StartsWith("SBX1002", StringComparison.Ordinal));
        Assert.Contains("in ['kata-vm-isolation', 'kata-clh', 'small-kata-pods']", allowed.Expression, StringComparison.Ordinal);

        // Kyverno: no Kyverno engine runs on .NET, so the pattern is read: the same alternatives.
        var kyverno = KyvernoTests.Load(policy.ToKyvernoYaml(), 0);
        var rule = ((YamlDotNet.RepresentationModel.YamlSequenceNode)KyvernoTests.Node(kyverno, "spec.rules")).Children
            .Single(r => KyvernoTests.Scalar(r, "name") == "allowed-runtime-class-pod");
        Assert.Equal(string.Join(" | ", expected), KyvernoTests.Scalar(rule, "validate.pattern.spec.=(runtimeClassName)"));

        // MAP: the class it adds is on the list, so a mutated pod is admitted.
        var pod = ApplyMutation(policy.ToMutatingAdmissionPolicyObjects().OfType<V1MutatingAdmissionPolicy>().Single(),
            (V1Pod)Workload.Of("Pod", containers: "- {name: app, image: nginx}").Typed);
        Assert.Contains(pod.Spec.RuntimeClassName, expected);

        // The validator judges with the same list.
        var options = policy.ToValidationOptions();
        Assert.All(expected, c => Assert.True(options.IsAllowed(c)));
        Assert.False(options.IsAllowed("gvisor"));
    }
}
