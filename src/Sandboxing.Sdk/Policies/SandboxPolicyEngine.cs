namespace Sandboxing.Sdk;

/// <summary>Which engine a policy is generated for; the checks differ (Kubernetes versions matter only to admission policies).</summary>
public enum SandboxPolicyEngine
{
    /// <summary>ValidatingAdmissionPolicy and, when defaulting, MutatingAdmissionPolicy.</summary>
    AdmissionPolicies = 0,

    /// <summary>Kyverno ClusterPolicies.</summary>
    Kyverno,
}
