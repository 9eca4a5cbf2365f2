
namespace Sandboxing.Sdk;

/// <summary>A policy that would not do in the cluster what was asked; <see cref="Findings"/> lists why (SBX5xxx errors).</summary>
public sealed class SandboxPolicyException : SandboxException
{
    /// <summary>Creates the exception from the error findings of <see cref="SandboxPolicy.Validate"/>.</summary>
    public SandboxPolicyException(IReadOnlyList<SandboxFinding> findings)
        : base("The admission policy cannot be generated as configured:\n" + string.Join("\n", (findings ?? throw new ArgumentNullException(nameof(findings))).Select(f => $"  {f.RuleId}: {f.Message}")))
    {
        Findings = findings;
    }

    /// <summary>The errors, each with its rule ID and a fix.</summary>
    public IReadOnlyList<SandboxFinding> Findings { get; }
}

/// <summary>Which engine a policy is generated for; the checks differ (Kubernetes versions matter only to admission policies).</summary>
public enum SandboxPolicyEngine
{
    /// <summary>ValidatingAdmissionPolicy and, when defaulting, MutatingAdmissionPolicy.</summary>
    AdmissionPolicies = 0,

    /// <summary>Kyverno ClusterPolicies.</summary>
    Kyverno,
}
