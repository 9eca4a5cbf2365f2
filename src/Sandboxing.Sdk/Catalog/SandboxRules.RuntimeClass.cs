// SBX1xxx: the runtime class (missing, not allowed, deprecated, opt-outs). Part of the rule catalog (SandboxRules.cs), linked into the analyzer.

namespace Sandboxing.Sdk;

#if SANDBOXING_ANALYZER
internal
#else
public
#endif
static partial class SandboxRules
{
    /// <summary>SBX1001: a pod that runs on the shared host kernel.</summary>
    internal static readonly SandboxRule MissingRuntimeClass = new(
        "SBX1001", IsolationCategory, SandboxSeverity.Warning,
        "Pod has no sandbox runtime class",
        "{0} has no runtimeClassName, so its pods run on the shared host kernel; set runtimeClassName to '{1}' or call Sandbox()",
        "Set runtimeClassName on the pod spec at the reported path (spec.runtimeClassName for a Pod, spec.template.spec.runtimeClassName for a Deployment or Job) to a sandbox runtime class such as kata-vm-isolation (or call Sandbox() / run 'sandboxing fix').");

    /// <summary>SBX1002: a runtime class that is not an allowed sandbox class.</summary>
    internal static readonly SandboxRule RuntimeClassNotAllowed = new(
        "SBX1002", IsolationCategory, SandboxSeverity.Warning,
        "Runtime class is not an allowed sandbox class",
        "{0} uses runtimeClassName '{1}', which is not an allowed sandbox runtime class ({2}); use '{3}'",
        "Use one of the allowed sandbox runtime classes, or add the class to the allowed list if it really is a VM sandbox.");

    /// <summary>SBX1003: a deprecated or retired runtime class.</summary>
    internal static readonly SandboxRule DeprecatedRuntimeClass = new(
        "SBX1003", IsolationCategory, SandboxSeverity.Warning,
        "Runtime class is deprecated or retired",
        "{0} uses runtimeClassName '{1}', which is {2}; use '{3}'",
        "Rename the runtime class to its current name (kata-mshv-vm-isolation becomes kata-vm-isolation).");

    /// <summary>SBX1004: an opt-out from sandboxing that gives no reason.</summary>
    internal static readonly SandboxRule OptOutWithoutReason = new(
        "SBX1004", IsolationCategory, SandboxSeverity.Warning,
        "Sandbox opt-out without a reason",
        "{0} opts out of sandboxing with annotation '{1}' but gives no reason; write why the workload cannot run in a VM sandbox",
        "Give the reason as the annotation's value, for example WithoutSandbox(\"node agent needs host networking\").");
}
