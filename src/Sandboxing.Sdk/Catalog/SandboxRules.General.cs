// SBX0xxx: general correctness (names, unrendered templates). Part of the rule catalog (SandboxRules.cs), linked into the analyzer.

namespace Sandboxing.Sdk;

#if SANDBOXING_ANALYZER
internal
#else
public
#endif
static partial class SandboxRules
{
    /// <summary>SBX0001: a name Kubernetes would reject.</summary>
    internal static readonly SandboxRule InvalidName = new(
        "SBX0001", CorrectnessCategory, SandboxSeverity.Error,
        "Name is not valid for Kubernetes",
        "{0}: {1} '{2}' is not valid: {3}",
        "Use lowercase letters, digits and '-' (and '.' where a DNS subdomain is allowed), starting and ending with a letter or digit.");

    /// <summary>SBX0002: a pod-spec value the rules read is an unrendered template expression (manifests only).</summary>
    internal static readonly SandboxRule UnrenderedTemplateValue = new(
        "SBX0002", CorrectnessCategory, SandboxSeverity.Warning,
        "Pod-spec value is an unrendered template expression",
        "{0} has an unrendered template expression in {1} ('{2}'), so the sandbox rules cannot check it; render the manifests first",
        "Lint the rendered output (helm template <release> <chart> | sandboxing lint -), or write the value out.");

    /// <summary>
    /// SBX0003: an object of a kind the pod template registry does not know holds a pod spec, or none of the paths declared for
    /// its kind is in it (manifests only).
    /// </summary>
    internal static readonly SandboxRule UnknownPodSpecPath = new(
        "SBX0003", CorrectnessCategory, SandboxSeverity.Warning,
        "Pod spec under a kind that is not checked",
        "{0} has a pod spec at {1}, but {2} is not a kind whose pod specs are known, so none of its pods are checked; declare kind {2} of group '{3}' with the path {1} (PodTemplateRegistry.With) so they are",
        "Declare where the kind keeps its pod specs (the path this finding names), so that its pods are linted, fixed and planned like a Deployment's.");

    /// <summary>The SBX0003 message for a declared kind none of whose paths is in the object: a wrong path hides the kind.</summary>
    internal static string DeclaredPathsMatchNothing(string who, string kind, string paths, string hint) =>
        $"{who} has none of the pod spec paths declared for {kind} ({paths}), so none of its pods are checked{hint}; correct the paths declared for {kind} (PodTemplateRegistry.With)";
}
