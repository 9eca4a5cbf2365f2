using static Sandboxing.Sdk.Tests.Policies.PolicyHarness;

namespace Sandboxing.Sdk.Tests.Policies;

/// <summary>
/// The SDK's decision on classes the policy has no rule of its own for: a deprecated or retired class refuses the pod unless the
/// policy's list allows it, as the generated CEL (evaluated here) does; other isolation findings away from the class do not.
/// </summary>
public class PolicyDecisionTests
{
    private static readonly string[] TemplateKinds = ["Pod", "Deployment", "Job", "CronJob"];

    public static TheoryData<string, string> ObsoleteClassesOnEveryKind()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in TemplateKinds)
        {
            data.Add(kind, KnownRuntimeClasses.KataMshvVmIsolation);
            data.Add(kind, KnownRuntimeClasses.KataCcIsolation);
        }

        return data;
    }

    private static Workload Pod(string kind, string runtimeClass, string? annotations = null) =>
        Workload.Of(kind, $"runtimeClassName: {runtimeClass}", annotations: annotations,
            containers: "- {name: app, image: nginx, resources: {limits: {memory: 256Mi}}}");

    [Theory]
    [MemberData(nameof(ObsoleteClassesOnEveryKind))]
    public void An_obsolete_class_the_list_does_not_allow_is_refused_at_its_runtime_class(string kind, string runtimeClass)
    {
        var policy = SandboxPolicy.RequireSandbox();
        var workload = Pod(kind, runtimeClass);

        var refusal = Assert.Single(PolicyDecision.Refusals(policy, workload.Typed));
        Assert.Equal("SBX1003", refusal.RuleId);
        Assert.Equal(PodTemplates.FindAll(workload.Typed).Single().SpecPath + ".runtimeClassName", refusal.Path);
        Assert.EndsWith("spec.runtimeClassName", refusal.Path, StringComparison.Ordinal);
        // The cluster refuses it too: the class is not on the policy's list.
        Assert.StartsWith("SBX1002:", Assert.Single(Failures(policy, workload)), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ObsoleteClassesOnEveryKind))]
    public void An_obsolete_class_the_list_allows_is_admitted_though_the_validator_still_reports_it(string kind, string runtimeClass)
    {
        var policy = SandboxPolicy.RequireSandbox(KnownRuntimeClasses.KataVmIsolation, runtimeClass);
        var workload = Pod(kind, runtimeClass);

        Assert.Contains(SandboxValidator.Validate(workload.Typed, policy.ToValidationOptions()), f => f.RuleId == "SBX1003");
        Assert.Empty(PolicyDecision.Refusals(policy, workload.Typed));
        Assert.Empty(Failures(policy, workload));
    }

    [Fact]
    public void An_isolation_finding_away_from_the_runtime_class_refuses_nothing_the_policy_does_not_enforce()
    {
        // An opt-out without a reason on a sandboxed pod: SBX1004 sits on the annotation, not on the class.
        var policy = SandboxPolicy.RequireSandbox().WithExemptionAnnotationsHonored(false);
        var workload = Pod("Pod", KnownRuntimeClasses.KataVmIsolation, annotations: $"{SandboxAnnotations.Exempt}: ''");

        var finding = Assert.Single(SandboxValidator.Validate(workload.Typed, policy.ToValidationOptions()), f => f.RuleId == "SBX1004");
        Assert.DoesNotContain("runtimeClassName", finding.Path, StringComparison.Ordinal);
        Assert.Empty(PolicyDecision.Refusals(policy, workload.Typed));
        Assert.Empty(Failures(policy, workload));
    }
}
