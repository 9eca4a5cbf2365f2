// SBX5xxx: findings about a generated admission policy itself (SandboxPolicy.Validate()). Part of the rule catalog
// (SandboxRules.cs), linked into the analyzer.

namespace Sandboxing.Sdk;

#if SANDBOXING_ANALYZER
internal
#else
public
#endif
static partial class SandboxRules
{
    /// <summary>SBX5001: a Kubernetes version that lacks the admission policy API the policy needs.</summary>
    internal static readonly SandboxRule PolicyKubernetesTooOld = new(
        "SBX5001", PolicyCategory, SandboxSeverity.Error,
        "Kubernetes version lacks the admission policy API",
        "Policy '{0}': {1} needs Kubernetes {2} or later, but the target is {3}; {4}",
        "Target a Kubernetes version that serves the API (ValidatingAdmissionPolicy v1: 1.30; MutatingAdmissionPolicy: 1.34 beta, 1.36 GA), or use Kyverno.");

    /// <summary>SBX5002: a MutatingAdmissionPolicy that needs a feature gate and a beta API the cluster must switch on.</summary>
    internal static readonly SandboxRule PolicyNeedsFeatureGate = new(
        "SBX5002", PolicyCategory, SandboxSeverity.Warning,
        "MutatingAdmissionPolicy needs a feature gate on this version",
        "Policy '{0}': on Kubernetes {1} MutatingAdmissionPolicy is beta ({2}): the kube-apiserver needs --feature-gates=MutatingAdmissionPolicy=true and --runtime-config={2}=true, which managed clusters such as AKS do not let you set; without them 'kubectl apply' fails with 'no matches for kind'; AKS Automatic clusters with managed system node pools refuse MutatingAdmissionPolicy, its binding and mutating webhooks outright before 1.36",
        "Switch on the gate and the beta API on a self-managed control plane, target Kubernetes 1.36 or later (v1, on by default), or use Kyverno (not on AKS Automatic before 1.36: there, apply the validating policy and set the class in the manifests).");

    /// <summary>SBX5003: an exemption that covers the identities controllers create pods with.</summary>
    internal static readonly SandboxRule PolicyExemptsControllers = new(
        "SBX5003", PolicyCategory, SandboxSeverity.Error,
        "Exemption covers every controller-made pod",
        "Policy '{0}': exempting {1} '{2}' exempts {3}, because Deployments, ReplicaSets, Jobs, StatefulSets and DaemonSets create their pods as service accounts of kube-system (or as system:kube-controller-manager); exempt a namespace label, a parameter entry or specific users instead",
        "Remove the exemption; exempt workloads by namespace label or by the parameter ConfigMap, and people or pipelines by their own group or service account.");

    /// <summary>SBX5004: a user, group or service-account exemption, which does not reach the pods controllers create.</summary>
    internal static readonly SandboxRule PolicyUserExemptionMissesControllerPods = new(
        "SBX5004", PolicyCategory, SandboxSeverity.Warning,
        "User exemptions do not reach controller-made pods",
        "Policy '{0}': the exemption of {1} matches only requests those identities send (bare Pods and the workload objects they apply); the Pods of their Deployments, Jobs, StatefulSets and DaemonSets are created by controllers and are still checked, so such a workload is admitted and its Pods refused; exempt those by namespace label or parameter entry",
        "Use user, group and service-account exemptions for bare pods and debugging only; exempt controller-managed workloads with a namespace label or an entry in the parameter ConfigMap.");

    /// <summary>SBX5005: a policy that would refuse or re-route the host-network system pods of kube-system.</summary>
    internal static readonly SandboxRule PolicySelectsKubeSystem = new(
        "SBX5005", PolicyCategory, SandboxSeverity.Error,
        "Policy applies to kube-system",
        "Policy '{0}' applies to namespace kube-system ({1}), whose node agents (kube-proxy, CNI and CSI node plugins) use the host network: {2} when they are next created, and the node breaks; {3}",
        "Leave kube-system (and other namespaces of node agents) out of the selector, e.g. WithAllNamespacesExcept(\"kube-system\"), or label them with the namespace exemption label.");

    /// <summary>SBX5006: a mutating policy whose runtime class must exist in the cluster, or every pod it mutates is refused.</summary>
    internal static readonly SandboxRule PolicyRuntimeClassMustExist = new(
        "SBX5006", PolicyCategory, SandboxSeverity.Info,
        "The runtime class the policy adds must exist",
        "Policy '{0}' sets runtimeClassName '{1}' on pods; until a RuntimeClass named '{1}' exists, the RuntimeClass admission plugin refuses every pod it mutates with 'pod rejected: RuntimeClass \"{1}\" not found'; {2}",
        "Create the RuntimeClass first (on AKS, add a node pool with workloadRuntime KataVmIsolation), and check with 'kubectl get runtimeclass' before binding the policy.");

    /// <summary>SBX5007: a policy that honors exemption annotations, which the workload's author can write.</summary>
    internal static readonly SandboxRule PolicyHonorsAnnotations = new(
        "SBX5007", PolicyCategory, SandboxSeverity.Warning,
        "Exemption annotations are honored",
        "Policy '{0}' honors the annotations {1} and {1}.<rule>: whoever can write a pod or workload in a selected namespace can exempt it, so in a multi-tenant cluster a tenant can leave the sandbox; use operator-granted exemptions (namespace label, groups, service accounts, parameter ConfigMap) instead",
        "Leave annotation exemptions off (the default) and grant exemptions with a namespace label, request.userInfo groups or service accounts, or the parameter ConfigMap.");

    /// <summary>SBX5008: an exempt group that a tenant's own identities belong to, or can be made to.</summary>
    internal static readonly SandboxRule PolicyExemptsTenantJoinableGroup = new(
        "SBX5008", PolicyCategory, SandboxSeverity.Error,
        "Exemption covers a group a tenant can join",
        "Policy '{0}': the exempt group '{1}' (WithExemptGroups) {2}, so a tenant can send requests as a member and run unsandboxed pods; exempt a group only operators are in, such as an Entra group's object ID",
        "Remove the group; exempt operators by their own identity-provider group, and workloads by namespace label or by the parameter ConfigMap.");
}
