
namespace Sandboxing.Sdk;

/// <summary>The policy-level findings (SBX5xxx): what the generated policy would do in the cluster that was probably not meant.</summary>
public sealed partial class SandboxPolicy
{
    /// <summary>
    /// The group of the identities every controller-made pod is created under (kubernetes <c>controller_policy.go</c>, apiserver
    /// <c>serviceaccount/util.go</c>); the wider groups they are also in are ones tenants join (<see cref="TenantJoinableGroup"/>).
    /// </summary>
    private static readonly string[] s_controllerGroups = ["system:serviceaccounts:kube-system"];

    /// <summary>
    /// Why a tenant can be in <paramref name="group"/>, or null: the groups the API server puts every (or no) identity in, and the
    /// groups of a namespace's service accounts (apiserver pkg/authentication/serviceaccount/util.go: every service account is in
    /// system:serviceaccounts and system:serviceaccounts:&lt;its namespace&gt;; pkg/authentication/user/user.go: AllAuthenticated,
    /// AllUnauthenticated). kube-system's group is the controllers' (SBX5003), which tenants cannot join.
    /// </summary>
    internal static string? TenantJoinableGroup(string group) => group switch
    {
        "system:authenticated" => "holds every authenticated identity, every tenant's service accounts among them",
        "system:unauthenticated" => "holds every anonymous request",
        "system:serviceaccounts" => "holds every service account of every namespace, the tenants' own among them",
        "system:serviceaccounts:kube-system" => null,
        _ when group.StartsWith("system:serviceaccounts:", StringComparison.Ordinal) && group.Contains('*', StringComparison.Ordinal) =>
            "is a pattern, and groups are compared exactly: it names the service accounts of every namespace it looks like, tenants' among them",
        _ when group.StartsWith("system:serviceaccounts:", StringComparison.Ordinal) =>
            $"holds every service account of namespace {group["system:serviceaccounts:".Length..]}, and whoever may create a service account or a pod there is in it",
        _ => null,
    };

    /// <summary>
    /// Lists what the admission policies (<see cref="ToYaml"/>) would do wrong in the cluster: errors (generation throws
    /// <see cref="SandboxValidationException"/>), warnings and notes, each an SBX5xxx rule with a page under docs/rules.
    /// </summary>
    public IReadOnlyList<SandboxFinding> Validate() => Validate(kyverno: false);

    /// <summary>
    /// Lists what the Kyverno policies (<see cref="ToKyvernoYaml"/>) would do wrong in the cluster, as <see cref="Validate()"/>
    /// does for the admission policies; the Kubernetes version does not matter to Kyverno.
    /// </summary>
    public IReadOnlyList<SandboxFinding> ValidateKyverno() => Validate(kyverno: true);

    private IReadOnlyList<SandboxFinding> Validate(bool kyverno)
    {
        var findings = new List<SandboxFinding>();
        void Report(SandboxRule rule, string path, SandboxSeverity? severity, params object?[] args) =>
            findings.Add(new SandboxFinding(rule, severity ?? rule.DefaultSeverity, "SandboxPolicy", null, Name, path, rule.Format([Name, .. args])));

        var version = $"{KubernetesVersion.Major}.{KubernetesVersion.Minor}";
        if (!kyverno)
        {
            if (KubernetesVersion < new Version(1, 30))
            {
                Report(SandboxRules.PolicyKubernetesTooOld, "kubernetesVersion", null, "ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1)", "1.30", version,
                    "use the Kyverno engine, or upgrade the cluster");
            }

            if (DefaultsRuntimeClass && KubernetesVersion < new Version(1, 34))
            {
                Report(SandboxRules.PolicyKubernetesTooOld, "kubernetesVersion", null, "MutatingAdmissionPolicy", "1.34 (beta, behind a feature gate) or 1.36 (GA)", version,
                    "only the alpha v1alpha1 API exists there: use the Kyverno mutate policy, or RequireSandbox() alone");
            }
            else if (DefaultsRuntimeClass && KubernetesVersion < new Version(1, 36))
            {
                Report(SandboxRules.PolicyNeedsFeatureGate, "kubernetesVersion", null, version, MutatingApiVersion);
            }
        }

        foreach (var group in ExemptGroups)
        {
            if (TenantJoinableGroup(group) is { } joinable)
            {
                Report(SandboxRules.PolicyExemptsTenantJoinableGroup, "exemptGroups", null, group, joinable);
            }
        }

        foreach (var group in ExemptGroups.Where(g => s_controllerGroups.Contains(g, StringComparer.Ordinal)))
        {
            Report(SandboxRules.PolicyExemptsControllers, "exemptGroups", null, "group", group, "every pod a controller creates");
        }

        foreach (var user in ExemptUsers.Where(IsControllerUser))
        {
            Report(SandboxRules.PolicyExemptsControllers, "exemptUsers", null, "user", user, "every pod that controller creates");
        }

        // A group tenants can join is an error of its own (above), not an exemption that merely reaches too little.
        var narrowGroups = ExemptGroups.Where(g => TenantJoinableGroup(g) is null).ToList();
        if (ExemptUsers.Count + narrowGroups.Count > 0)
        {
            Report(SandboxRules.PolicyUserExemptionMissesControllerPods, "exemptUsers", null,
                string.Join(", ", narrowGroups.Select(g => "group " + g).Concat(ExemptUsers.Select(u => "user " + u))));
        }

        if (SelectsKubeSystem() is { } how)
        {
            var effect = DefaultsRuntimeClass
                ? "the validating policy refuses them (no sandbox class) and the mutating policy moves the others (CoreDNS, metrics-server) into Kata VMs"
                : "the policy refuses them (no sandbox class" + (RefuseHostNetwork ? ", host network)" : ")");
            if (ExemptionLabelKey is { } key)
            {
                Report(SandboxRules.PolicySelectsKubeSystem, "namespaceSelector", SandboxSeverity.Warning, how, effect,
                    $"label kube-system {key}={ExemptionLabelValue} before binding the policy");
            }
            else
            {
                Report(SandboxRules.PolicySelectsKubeSystem, "namespaceSelector", null, how, effect,
                    "leave kube-system out of the selector, or exempt it with WithExemptNamespaceLabel() and its label");
            }
        }

        if (DefaultsRuntimeClass)
        {
            Report(SandboxRules.PolicyRuntimeClassMustExist, "runtime", null, Runtime.Name,
                Runtime.Name == KnownRuntimeClasses.Default
                    // Azure/AKS CHANGELOG 2026-05-29: Automatic clusters from 1.36 block "unauthorized" writes to MAP bindings.
                    ? "on AKS it exists once a node pool has workloadRuntime KataVmIsolation ('sandboxing nodepool'); on AKS Automatic the binding must be created by an identity the cluster authorizes for mutating admission (a cluster administrator)"
                    : "create it before binding the policy");
        }

        if (HonorExemptionAnnotations)
        {
            Report(SandboxRules.PolicyHonorsAnnotations, "honorExemptionAnnotations", null, SandboxAnnotations.Exempt);
        }

        return findings;
    }

    private static bool IsControllerUser(string user) =>
        user == "system:kube-controller-manager"
        || (user.StartsWith("system:serviceaccount:kube-system:", StringComparison.Ordinal) && user.EndsWith("-controller", StringComparison.Ordinal));

    /// <summary>How the selector picks kube-system, or null when it does not (or cannot be known: a label selector).</summary>
    private string? SelectsKubeSystem()
    {
        if (NamespaceSelector.MatchLabels is { Count: > 0 })
        {
            return null;
        }

        var names = NamespaceSelector.MatchExpressions?.Where(e => e.Key == NamespaceNameLabel).ToList() ?? [];
        if (names.Count != 1)
        {
            return null;
        }

        var requirement = names[0];
        bool listed = requirement.Values?.Contains("kube-system", StringComparer.Ordinal) == true;
        return requirement.OperatorProperty switch
        {
            "In" when listed => "it is named in the selector",
            "NotIn" when !listed => $"the selector excludes only {string.Join(", ", requirement.Values ?? [])}",
            _ => null,
        };
    }

    private void ThrowIfErrors(bool kyverno)
    {
        var errors = Validate(kyverno).Where(f => f.Severity == SandboxSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new SandboxValidationException("The admission policy cannot be generated as configured:", errors);
        }
    }
}
