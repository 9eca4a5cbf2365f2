// SBX2xxx: pod settings a VM sandbox does not support or that weaken it. Part of the rule catalog (SandboxRules.cs), linked into the analyzer.

namespace Sandboxing.Sdk;

#if SANDBOXING_ANALYZER
internal
#else
public
#endif
static partial class SandboxRules
{
    /// <summary>SBX2001: host networking, which Kata does not support.</summary>
    internal static readonly SandboxRule HostNetwork = new(
        "SBX2001", CompatibilityCategory, SandboxSeverity.Error,
        "Sandboxed pod uses the host network",
        "{0} sets hostNetwork: true, which Pod Sandboxing does not support (AKS: host-network access isn't supported; the pod may fail to start or run without working networking); remove hostNetwork or opt the workload out of sandboxing",
        "Remove hostNetwork and expose the pod through a Service, or opt the workload out of sandboxing with a reason.");

    /// <summary>SBX2002: host PID or IPC namespaces, or a shared process namespace.</summary>
    internal static readonly SandboxRule HostNamespaces = new(
        "SBX2002", CompatibilityCategory, SandboxSeverity.Warning,
        "Sandboxed pod shares a host or process namespace",
        "{0} sets {1}: true, which a VM sandbox does not honor or supports only inside the guest; remove it",
        "Remove hostPID, hostIPC and shareProcessNamespace from sandboxed pods.");

    /// <summary>SBX2003: a privileged container.</summary>
    internal static readonly SandboxRule PrivilegedContainer = new(
        "SBX2003", CompatibilityCategory, SandboxSeverity.Warning,
        "Sandboxed container is privileged",
        "{0} runs container '{1}' privileged: it is root in the guest VM and gets no host devices; drop privileged and add only the capabilities it needs",
        "Set securityContext.privileged to false and grant specific capabilities instead.");

    /// <summary>SBX2004: a hostPath volume.</summary>
    internal static readonly SandboxRule HostPathVolume = new(
        "SBX2004", CompatibilityCategory, SandboxSeverity.Warning,
        "Sandboxed pod mounts a hostPath volume",
        "{0} mounts hostPath '{1}' through volume '{2}', which shares host files into the guest and weakens isolation; use an emptyDir, configMap, secret or persistentVolumeClaim",
        "Replace the hostPath volume with emptyDir, configMap, secret, projected or persistentVolumeClaim.");

    /// <summary>SBX2005: a sandboxed container without a memory limit (the VM gets the 512Mi default).</summary>
    internal static readonly SandboxRule MissingMemoryLimit = new(
        "SBX2005", CompatibilityCategory, SandboxSeverity.Info,
        "Sandboxed container has no memory limit",
        "{0} has no memory limit on container '{1}', so its Kata VM gets the default 512Mi; set resources.limits.memory to what it needs",
        "Set resources.limits.memory (and the same request) for every container: the limit sizes the pod's VM.");

    /// <summary>SBX2006: a CPU request that differs from the CPU limit.</summary>
    internal static readonly SandboxRule CpuRequestNotLimit = new(
        "SBX2006", CompatibilityCategory, SandboxSeverity.Info,
        "CPU request differs from the CPU limit",
        "{0} requests {2} CPU but limits container '{1}' to {3}: the Kata shim sizes the VM from limits and cannot see requests; make the request equal to the limit",
        "Set resources.requests.cpu equal to resources.limits.cpu (WithResources does this).");

    /// <summary>SBX2007: a memory limit too small for a VM sandbox.</summary>
    internal static readonly SandboxRule MemoryLimitTooSmall = new(
        "SBX2007", CompatibilityCategory, SandboxSeverity.Error,
        "Memory limit is too small for a VM sandbox",
        "{0} limits container '{1}' to {2} of memory, under the {3} a Kata VM needs for its kernel and agent; raise the limit",
        "Raise resources.limits.memory to at least 128Mi (more for real workloads: the guest kernel and agent use part of it).");

    /// <summary>SBX2008: runAsNonRoot without a non-root user id, which the kubelet refuses for images that run as root.</summary>
    internal static readonly SandboxRule RunAsNonRootWithoutUser = new(
        "SBX2008", CorrectnessCategory, SandboxSeverity.Warning,
        "runAsNonRoot without a non-root user id",
        "{0} runs container '{1}' with runAsNonRoot: true and {2}; set runAsUser to a non-zero user id (the builders' default is 25000)",
        "Set securityContext.runAsUser (and runAsGroup) to a non-zero id on the pod or the container; the builders set 25000/26000 by default, and Sandbox() does with SandboxOptions.RunAsNonRootUser.");

    /// <summary>SBX2009: a resource quantity Kubernetes would reject (<c>12 GB</c>, <c>two</c>).</summary>
    internal static readonly SandboxRule InvalidQuantity = new(
        "SBX2009", CorrectnessCategory, SandboxSeverity.Error,
        "Resource quantity is not valid",
        "{0}: {1} '{2}' is not a usable quantity (negative, too large, or not a number with a suffix); write one such as '500m' or '2' for CPU and '512Mi' or '1Gi' for memory",
        "Write quantities as a number with an optional suffix: Ki, Mi, Gi (powers of 1024) or k, M, G (powers of 1000), m for thousandths; 'GB' and words are not quantities.");
}
