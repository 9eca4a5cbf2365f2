namespace Sandboxing.Sdk;

/// <summary>
/// The checks a policy makes beyond the runtime class, each reported with the catalog ID the validator, the analyzer and the
/// linter use. Pod Security Admission labels cover the rest (capabilities, seccomp, procMount, sysctls, …); these are the checks
/// a VM sandbox needs and PSA does not make for sandboxed pods, or makes only at its own level.
/// </summary>
[Flags]
public enum SandboxPolicyChecks
{
    /// <summary>Only the runtime class.</summary>
    None = 0,

    /// <summary>SBX2001: no <c>hostNetwork</c> (AKS documents host networking as unsupported with Pod Sandboxing).</summary>
    HostNetwork = 1,

    /// <summary>SBX2002: no <c>hostPID</c>, <c>hostIPC</c> or <c>shareProcessNamespace</c>.</summary>
    HostNamespaces = 2,

    /// <summary>SBX2003: no privileged container, init container or ephemeral container.</summary>
    Privileged = 4,

    /// <summary>SBX2004: no <c>hostPath</c> volume.</summary>
    HostPath = 8,

    /// <summary>SBX2005 and SBX2007: a memory limit of at least 128Mi on every container and init container (it sizes the VM).</summary>
    MemoryLimit = 16,

    /// <summary>
    /// <c>automountServiceAccountToken: false</c> on the pod, and no hand-made projected service-account token volume, except the
    /// Microsoft Entra Workload ID token (audience <c>api://AzureADTokenExchange</c>) on pods labelled
    /// <c>azure.workload.identity/use: "true"</c>.
    /// </summary>
    ServiceAccountToken = 32,

    /// <summary>The default profile: what a Kata VM cannot run (<see cref="HostNetwork"/>).</summary>
    Kata = HostNetwork,

    /// <summary>Every check: the profile for multi-tenant clusters.</summary>
    Hardened = HostNetwork | HostNamespaces | Privileged | HostPath | MemoryLimit | ServiceAccountToken,
}
