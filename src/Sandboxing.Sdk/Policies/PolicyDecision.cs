namespace Sandboxing.Sdk;

/// <summary>
/// The SDK's decision on a workload under a policy: the validator's findings (the ones lint, fix and <c>Build()</c> report) with
/// the policy's options (<see cref="SandboxPolicy.ToValidationOptions"/>: the same allow-list the generated VAP, MAP and Kyverno
/// hold), kept to the rules the policy enforces. Empty means admitted; the tests hold the generated CEL to it.
/// </summary>
internal static class PolicyDecision
{
    /// <summary>The findings that refuse <paramref name="workload"/> under <paramref name="policy"/>; empty when it is admitted.</summary>
    public static IReadOnlyList<SandboxFinding> Refusals(SandboxPolicy policy, object workload)
    {
        var options = policy.ToValidationOptions();
        var enforced = PolicyCheck.For(policy).Select(c => c.RuleId).ToHashSet(StringComparer.Ordinal);
        var refusals = new List<SandboxFinding>();
        foreach (var finding in SandboxValidator.Validate(workload, options))
        {
            // Another isolation finding (a deprecated or retired class) refuses the pod unless the list allows its class: the
            // policy has no rule of its own for it, its allow-list refuses the class.
            bool refuses = enforced.Contains(finding.RuleId)
                || (finding.Rule.Category == SandboxRules.IsolationCategory && finding.Path.EndsWith(".runtimeClassName", StringComparison.Ordinal)
                    && !ClassAllowed(workload, finding, options));
            if (refuses)
            {
                refusals.Add(finding);
            }
        }

        return refusals;
    }

    private static bool ClassAllowed(object workload, SandboxFinding finding, SandboxValidationOptions options)
    {
        bool allowed = false;
        PodTemplates.Visit(workload, options.PodTemplates, site =>
        {
            if (finding.Path.StartsWith(site.SpecPath + ".", StringComparison.Ordinal) && site.Spec.RuntimeClassName is { } name)
            {
                allowed = options.IsAllowed(name);
            }
        }, writeBack: false);
        return allowed;
    }
}
