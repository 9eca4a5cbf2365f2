namespace Sandboxing.Sdk;

/// <summary>
/// How the linter groups its inputs for the tenant rules (SBX4xxx). Every profile reports every rule: the pod rules (SBX0xxx,
/// SBX1xxx, SBX2xxx) look at one object at a time; the tenant rules check each Namespace labelled <c>sandboxing.sdk/tenant</c>
/// against the NetworkPolicies, quotas, accounts, storage and workloads around it, and the profile says which files those come from.
/// </summary>
public enum ManifestLintProfile
{
    /// <summary>
    /// Each file alone: a file that defines a tenant namespace is checked against its own objects, so a folder of unrelated
    /// files (several tenants, several teams) never lets one file's policy satisfy another file's tenant.
    /// </summary>
    Default = 0,

    /// <summary>
    /// The inputs are one tenant's manifests: a tenant namespace in one file is checked against the policies, quotas and
    /// workloads of every file (<c>sandboxing lint --profile tenant</c>, <c>sandboxing tenant --check</c>).
    /// </summary>
    Tenant,
}
