using static Sandboxing.Sdk.PolicyCel;

namespace Sandboxing.Sdk;

/// <summary>
/// One check a generated policy makes: the catalog rule whose ID leads its message, the CEL predicate over a pod spec (true means
/// the spec passes), and the Kyverno pattern over the same spec. The VAP and Kyverno are generated from the same list.
/// </summary>
/// <param name="Name">A short name: the Kyverno rule name and the tests' handle.</param>
/// <param name="Rule">The catalog rule whose ID leads the message and names the per-rule exemptions.</param>
/// <param name="PodLevel">Whether the check reads pod-level fields, which an update of <c>pods/ephemeralcontainers</c> cannot change.</param>
/// <param name="Predicate">CEL over (spec, metadata, is-template): true when the spec passes.</param>
/// <param name="Message">The message, led by the rule ID.</param>
/// <param name="KyvernoPattern">The Kyverno validate pattern over the pod spec (is-template decides template-only leniency).</param>
/// <param name="KyvernoSkipsWorkloadIdentity">Whether the Kyverno rule is skipped for pods labelled for Workload ID.</param>
internal sealed record PolicyCheck(
    string Name,
    SandboxRule Rule,
    bool PodLevel,
    Func<string, string, bool, string> Predicate,
    string Message,
    Func<bool, Dictionary<string, object?>> KyvernoPattern,
    bool KyvernoSkipsWorkloadIdentity = false)
{
    /// <summary>The ID that leads the message and names the per-rule exemptions (<c>….SBXnnnn</c>).</summary>
    public string RuleId => Rule.Id;

    /// <summary>The Workload ID token's audience (Microsoft Entra Workload ID, azure-workload-identity docs "Service account token volume projection").</summary>
    public const string WorkloadIdentityAudience = "api://AzureADTokenExchange";

    /// <summary>The pod label that turns Workload ID on for a pod.</summary>
    public const string WorkloadIdentityLabel = "azure.workload.identity/use";

    private static readonly string[] s_allContainers = ["containers", "initContainers", "ephemeralContainers"];

    // Ephemeral containers may not set resources (the API refuses them), so the memory checks read the other two lists.
    private static readonly string[] s_sizedContainers = ["containers", "initContainers"];

    /// <summary>The checks of <paramref name="policy"/>, the runtime class first.</summary>
    public static IReadOnlyList<PolicyCheck> For(SandboxPolicy policy)
    {
        var allowed = List(policy.AllowedRuntimeClasses);
        var allowedText = string.Join(", ", policy.AllowedRuntimeClasses);
        var exemptHint = policy.HonorExemptionAnnotations
            ? $"; or ask an operator for an exemption, or annotate {SandboxAnnotations.Exempt}: \"<reason>\""
            : "; or ask an operator for an exemption";
        var checks = new List<PolicyCheck>
        {
            new("require-runtime-class", SandboxRules.MissingRuntimeClass, PodLevel: true,
                (s, _, template) => template && !policy.RequireClassOnTemplates ? "true" : $"has({s}.runtimeClassName)",
                $"{SandboxRules.MissingRuntimeClass.Id}: the pod has no runtimeClassName, so it would run on the shared host kernel; " +
                    $"set runtimeClassName to one of [{allowedText}] (run 'sandboxing fix'){exemptHint}",
                template => template && !policy.RequireClassOnTemplates
                    ? []
                    : new() { ["runtimeClassName"] = "?*" }),
            new("allowed-runtime-class", SandboxRules.RuntimeClassNotAllowed, PodLevel: true,
                (s, _, _) => $"!has({s}.runtimeClassName) || {s}.runtimeClassName in {allowed}",
                $"{SandboxRules.RuntimeClassNotAllowed.Id}: runtimeClassName must be one of [{allowedText}], the VM sandbox classes this cluster allows{exemptHint}",
                _ => new() { ["=(runtimeClassName)"] = string.Join(" | ", policy.AllowedRuntimeClasses) }),
        };

        var chosen = policy.Checks;
        if (chosen.HasFlag(SandboxPolicyChecks.HostNetwork))
        {
            checks.Add(new("refuse-host-network", SandboxRules.HostNetwork, PodLevel: true,
                (s, _, _) => $"!has({s}.hostNetwork) || !{s}.hostNetwork",
                $"{SandboxRules.HostNetwork.Id}: hostNetwork is not supported by Kata VM sandboxes (AKS documents host networking as unsupported); remove it{exemptHint}",
                _ => new() { ["=(hostNetwork)"] = false }));
        }

        if (chosen.HasFlag(SandboxPolicyChecks.HostNamespaces))
        {
            checks.Add(new("refuse-host-namespaces", SandboxRules.HostNamespaces, PodLevel: true,
                (s, _, _) => $"(!has({s}.hostPID) || !{s}.hostPID) && (!has({s}.hostIPC) || !{s}.hostIPC) && (!has({s}.shareProcessNamespace) || !{s}.shareProcessNamespace)",
                $"{SandboxRules.HostNamespaces.Id}: hostPID, hostIPC and shareProcessNamespace are not honored by a VM sandbox or weaken it; remove them{exemptHint}",
                _ => new() { ["=(hostPID)"] = false, ["=(hostIPC)"] = false, ["=(shareProcessNamespace)"] = false }));
        }

        if (chosen.HasFlag(SandboxPolicyChecks.Privileged))
        {
            checks.Add(new("refuse-privileged", SandboxRules.PrivilegedContainer, PodLevel: false,
                (s, _, _) => AllContainers(s, s_allContainers,
                    c => $"!has({c}.securityContext) || !has({c}.securityContext.privileged) || !{c}.securityContext.privileged"),
                $"{SandboxRules.PrivilegedContainer.Id}: containers, init containers and ephemeral containers must not be privileged (root in the guest VM, no host devices); " +
                    $"drop privileged and add only the capabilities needed{exemptHint}",
                _ => ContainerPattern(s_allContainers, new() { ["=(securityContext)"] = new Dictionary<string, object?> { ["=(privileged)"] = false } })));
        }

        if (chosen.HasFlag(SandboxPolicyChecks.HostPath))
        {
            checks.Add(new("refuse-host-path", SandboxRules.HostPathVolume, PodLevel: true,
                (s, _, _) => $"!has({s}.volumes) || {s}.volumes.all(v, !has(v.hostPath))",
                $"{SandboxRules.HostPathVolume.Id}: hostPath volumes share host files into the guest and weaken isolation; use emptyDir, configMap, secret or a persistentVolumeClaim{exemptHint}",
                _ => new() { ["=(volumes)"] = new List<object?> { new Dictionary<string, object?> { ["X(hostPath)"] = "null" } } }));
        }

        if (chosen.HasFlag(SandboxPolicyChecks.MemoryLimit))
        {
            checks.Add(new("require-memory-limit", SandboxRules.MissingMemoryLimit, PodLevel: true,
                (s, _, _) => AllContainers(s, s_sizedContainers,
                    c => $"has({c}.resources) && has({c}.resources.limits) && 'memory' in {c}.resources.limits"),
                $"{SandboxRules.MissingMemoryLimit.Id}: every container and init container needs resources.limits.memory: the limit sizes the Kata VM (without it the VM gets the default 512Mi){exemptHint}",
                _ => ContainerPattern(s_sizedContainers, new() { ["resources"] = new Dictionary<string, object?> { ["limits"] = new Dictionary<string, object?> { ["memory"] = "?*" } } })));
            checks.Add(new("minimum-memory-limit", SandboxRules.MemoryLimitTooSmall, PodLevel: true,
                (s, _, _) => AllContainers(s, s_sizedContainers,
                    c => $"!has({c}.resources) || !has({c}.resources.limits) || !('memory' in {c}.resources.limits) || " +
                        $"quantity({c}.resources.limits['memory']).compareTo(quantity('128Mi')) >= 0"),
                $"{SandboxRules.MemoryLimitTooSmall.Id}: a memory limit under 128Mi is too small for a Kata VM's kernel and agent; raise resources.limits.memory{exemptHint}",
                _ => ContainerPattern(s_sizedContainers, new() { ["=(resources)"] = new Dictionary<string, object?> { ["=(limits)"] = new Dictionary<string, object?> { ["=(memory)"] = ">=128Mi" } } })));
        }

        if (chosen.HasFlag(SandboxPolicyChecks.ServiceAccountToken))
        {
            checks.Add(new("refuse-service-account-token", SandboxRules.TenantServiceAccountToken, PodLevel: true,
                (s, metadata, template) =>
                {
                    var workloadIdentity = template
                        ? $"(has({metadata}) && {MapEquals(metadata, "labels", WorkloadIdentityLabel, "true")})"
                        : MapEquals(metadata, "labels", WorkloadIdentityLabel, "true");
                    return $"has({s}.automountServiceAccountToken) && !{s}.automountServiceAccountToken && " +
                        $"(!has({s}.volumes) || {s}.volumes.all(v, !has(v.projected) || !has(v.projected.sources) || v.projected.sources.all(p, " +
                        $"!has(p.serviceAccountToken) || ({workloadIdentity} && has(p.serviceAccountToken.audience) && p.serviceAccountToken.audience == {Quote(WorkloadIdentityAudience)}))))";
                },
                $"{SandboxRules.TenantServiceAccountToken.Id}: the pod may mount a service-account token; set automountServiceAccountToken: false on the pod and mount no projected serviceAccountToken volume " +
                    $"(Workload ID pods, labelled {WorkloadIdentityLabel}: \"true\", may mount the {WorkloadIdentityAudience} token){exemptHint}",
                _ => new()
                {
                    ["automountServiceAccountToken"] = false,
                    ["=(volumes)"] = new List<object?>
                    {
                        new Dictionary<string, object?>
                        {
                            ["=(projected)"] = new Dictionary<string, object?> { ["=(sources)"] = new List<object?> { new Dictionary<string, object?> { ["X(serviceAccountToken)"] = "null" } } },
                        },
                    },
                },
                KyvernoSkipsWorkloadIdentity: true));
        }

        return checks;
    }

    private static Dictionary<string, object?> ContainerPattern(string[] lists, Dictionary<string, object?> element)
    {
        var pattern = new Dictionary<string, object?>();
        foreach (var list in lists)
        {
            // containers is required by the API; the other lists are optional (=() anchor: checked when present).
            pattern[list == "containers" ? list : $"=({list})"] = new List<object?> { element };
        }

        return pattern;
    }
}
