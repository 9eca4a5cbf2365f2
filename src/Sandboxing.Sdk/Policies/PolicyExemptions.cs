using static Sandboxing.Sdk.PolicyCel;

namespace Sandboxing.Sdk;

/// <summary>
/// The CEL of each exemption signal. Operator signals (a namespace label, the requesting identity, an entry in the parameter
/// ConfigMap) are the default; the annotation, which the workload's author writes, only in the explicit annotation mode.
/// </summary>
internal static class PolicyExemptions
{
    /// <summary>The parameter ConfigMap's entries, as admission policies read them.</summary>
    public const string ParameterData = "params.data";

    /// <summary>
    /// True when the whole policy is waived for the request. <paramref name="withNamespace"/> is false for MutatingAdmissionPolicy
    /// match conditions, which cannot read <c>namespaceObject</c>: there the namespace label goes into the binding's selector.
    /// </summary>
    /// <param name="policy">The policy.</param>
    /// <param name="withNamespace">Whether the expression may read <c>namespaceObject</c>.</param>
    /// <param name="parameterData">The CEL map of exempt workloads: the parameter ConfigMap's <c>params.data</c> (admission policies), or
    /// the constraint's parameter (Gatekeeper, where <c>variables.params</c> holds the constraint's parameters).</param>
    public static string? Whole(SandboxPolicy policy, bool withNamespace, string parameterData = ParameterData)
    {
        var signals = new List<string>();
        if (withNamespace && policy.ExemptionLabelKey is { } key)
        {
            signals.Add(NamespaceLabel(key, policy.ExemptionLabelValue));
        }

        if (policy.ExemptUsers.Count > 0)
        {
            signals.Add($"(has(request.userInfo.username) && request.userInfo.username in {List(policy.ExemptUsers)})");
        }

        if (policy.ExemptGroups.Count > 0)
        {
            signals.Add($"(has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in {List(policy.ExemptGroups)}))");
        }

        if (policy.ExemptionParameter is not null)
        {
            signals.Add(Parameter(parameterData));
        }

        if (policy.HonorExemptionAnnotations)
        {
            signals.Add(Annotation(SandboxAnnotations.Exempt));
        }

        return signals.Count == 0 ? null : string.Join(" || ", signals);
    }

    /// <summary>True when one rule is waived: the per-rule namespace label, or (annotation mode) the per-rule annotation.</summary>
    public static string? ForRule(SandboxPolicy policy, string ruleId, bool withNamespace)
    {
        var signals = new List<string>();
        if (withNamespace && policy.ExemptionLabelKey is { } key)
        {
            signals.Add(NamespaceLabel(SandboxPolicy.RuleLabelKey(key, ruleId), policy.ExemptionLabelValue));
        }

        if (policy.HonorExemptionAnnotations && AnnotationMayExempt(ruleId))
        {
            signals.Add(Annotation(SandboxAnnotations.ExemptRule(ruleId)));
        }

        return signals.Count == 0 ? null : string.Join(" || ", signals);
    }

    /// <summary>
    /// Whether <c>sandboxing.sdk/exempt.&lt;ruleId&gt;</c> may waive the rule. As in the SDK's one exemption model
    /// (<c>SandboxValidator</c>, <c>TenantIsolation.ValidateObjects</c>), a per-rule annotation never lets an unsandboxed pod through: only the
    /// whole-object <c>sandboxing.sdk/exempt</c> waives the isolation rules SBX1001 and SBX1002.
    /// </summary>
    public static bool AnnotationMayExempt(string ruleId) =>
        ruleId != SandboxRules.MissingRuntimeClass.Id && ruleId != SandboxRules.RuntimeClassNotAllowed.Id;

    private static string NamespaceLabel(string key, string value) => MapEquals("namespaceObject.metadata", "labels", key, value);

    /// <summary>The object, or its pod template, carries <paramref name="key"/> with a reason that is not blank (as the SDK reads it).</summary>
    private static string Annotation(string key) =>
        $"{MapHasReason("object.metadata", "annotations", key)} " +
        $"|| (has(object.spec.jobTemplate) && has(object.spec.jobTemplate.spec.template.metadata) && {MapHasReason("object.spec.jobTemplate.spec.template.metadata", "annotations", key)}) " +
        $"|| (has(object.spec.template) && has(object.spec.template.metadata) && {MapHasReason("object.spec.template.metadata", "annotations", key)})";

    /// <summary>
    /// The kube-controller-manager service account (in <c>kube-system</c>) of the controller that creates objects owned by each
    /// kind. Anyone who may create a pod may write its <c>ownerReferences</c>, so an owner counts only in a request from its controller.
    /// </summary>
    public static readonly (string OwnerKind, string ServiceAccount)[] Controllers =
    [
        ("ReplicaSet", "replicaset-controller"),
        ("Job", "job-controller"),
        ("StatefulSet", "statefulset-controller"),
        ("DaemonSet", "daemon-set-controller"),
        ("ReplicationController", "replication-controller"),
        ("CronJob", "cronjob-controller"),
        ("Deployment", "deployment-controller"),
    ];

    /// <summary>kube-controller-manager's own identity, which all controllers use without <c>--use-service-account-credentials</c>.</summary>
    public const string ControllerManager = "system:kube-controller-manager";

    /// <summary>The user name of the controller of <paramref name="ownerKind"/>'s objects.</summary>
    public static string ControllerUser(string ownerKind) =>
        "system:serviceaccount:kube-system:" + Controllers.Single(c => c.OwnerKind == ownerKind).ServiceAccount;

    /// <summary>The request comes from the controller of the owner kind <paramref name="kind"/> (a CEL string expression).</summary>
    private static string FromController(string kind) =>
        $"(has(request.userInfo.username) && (request.userInfo.username == {Quote(ControllerManager)} || " +
        string.Join(" || ", Controllers.Select(c => $"({kind} == {Quote(c.OwnerKind)} && request.userInfo.username == {Quote(ControllerUser(c.OwnerKind))})")) + "))";

    /// <summary>
    /// An entry <c>&lt;namespace&gt;.&lt;workload&gt;: &lt;reason&gt;</c> of the parameter ConfigMap names the object, or its
    /// controller: a ReplicaSet named after a Deployment plus the pod's <c>pod-template-hash</c>, or a Job named after a CronJob
    /// plus the scheduled time; an owner counts only in a request from its controller. Namespaces hold no dots, so the first dot separates the namespace from the name. A key is data,
    /// never a pattern: it is compared as a string, and only the fixed suffix pattern is a regular expression.
    /// </summary>
    private static string Parameter(string data)
    {
        const string ns = "request.namespace + '.'";
        var owner =
            $"object.metadata.ownerReferences.exists(o, has(o.controller) && o.controller && {FromController("o.kind")} && (k == {ns} + o.name " +
            $"|| (o.kind == 'ReplicaSet' && has(object.metadata.labels) && 'pod-template-hash' in object.metadata.labels && {ns} + o.name == k + '-' + object.metadata.labels['pod-template-hash']) " +
            $"|| (o.kind == 'Job' && ({ns} + o.name).startsWith(k + '-') && ({ns} + o.name).substring(size(k) + 1).matches('^[0-9]+$'))))";
        // Only has() on a field selection: the map itself is the last selection of the expression.
        int dot = data.LastIndexOf('.');
        var guard = data == ParameterData ? $"has({data})" : $"{data[..dot]} != null && has({data})";
        return $"({guard} && {data}.exists(k, {NotBlank(data + "[k]")} && " +
            $"((has(object.metadata.name) && k == {ns} + object.metadata.name) || (has(object.metadata.ownerReferences) && {owner}))))";
    }
}
