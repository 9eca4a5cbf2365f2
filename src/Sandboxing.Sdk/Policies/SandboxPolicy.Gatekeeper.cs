using System.Globalization;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// The same rules as Gatekeeper objects, for engines that run Gatekeeper (Azure Policy for Kubernetes): a ConstraintTemplate whose
/// <c>K8sNativeValidation</c> (CEL) code is the ValidatingAdmissionPolicy's variables and validations, and an <c>Assign</c> mutation
/// that adds the runtime class to Pods created without one.
/// </summary>
public sealed partial class SandboxPolicy
{
    /// <summary>The constraint parameter that lists exempt workloads, as the parameter ConfigMap does: <c>&lt;namespace&gt;.&lt;workload&gt;: &lt;reason&gt;</c>.</summary>
    internal const string GatekeeperExemptionParameter = "exemptWorkloads";

    /// <summary>The Gatekeeper target every admission template names.</summary>
    internal const string GatekeeperTarget = "admission.k8s.gatekeeper.sh";

    /// <summary>The API groups and kinds the template applies to: the validating policy's resources, as kinds.</summary>
    internal IReadOnlyList<(string Group, string Kind)> GatekeeperKinds =>
    [
        ("", "Pod"), ("", "ReplicationController"),
        ("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("apps", "ReplicaSet"),
        ("batch", "Job"), ("batch", "CronJob"),
        .. CustomResources.Select(k => (k.Group, k.Kind)),
    ];

    /// <summary>The constraint kind: the policy's name in CamelCase (<c>SandboxingRequireRuntimeClass</c>); the template is named after it in lower case, as Gatekeeper requires.</summary>
    internal string GatekeeperKind => string.Concat(Name.Split('-', '.').Where(p => p.Length > 0)
        .Select(p => char.ToUpperInvariant(p[0]).ToString(CultureInfo.InvariantCulture) + p[1..]));

    /// <summary>
    /// The policy as Gatekeeper reads it: exempt workloads come from the constraint's parameters (<c>variables.params</c>) instead of
    /// a ConfigMap, and exempt namespaces from the constraint's excluded namespaces instead of a namespace label, since Gatekeeper
    /// does not always have the namespace object (audit) to read labels from.
    /// </summary>
    internal SandboxPolicy ForGatekeeper() => Copy(p =>
    {
        p.ExemptionLabelKey = null;
        p.ExemptionParameter = new ExemptionConfigMap("gatekeeper", GatekeeperExemptionParameter);
    });

    /// <summary>The CEL variables and validations of the template: the validating policy's rule table, read by Gatekeeper.</summary>
    internal (List<V1Variable> Variables, List<V1Validation> Validations) GatekeeperRules()
    {
        var (variables, validations) = ForGatekeeper().Rules("variables.params." + GatekeeperExemptionParameter);
        foreach (var validation in validations)
        {
            // The ValidatingAdmissionPolicy matches Pods on CREATE only; Gatekeeper's webhook also sends UPDATE (and DELETE, with no
            // object). The class is immutable, so judging an update of an old pod would only block its labels and finalizers.
            validation.Expression = $"{NotJudgedByGatekeeper} || {validation.Expression}";
        }

        return (variables, validations);
    }

    /// <summary>A request the validating policy does not match: no object (DELETE), or a Pod UPDATE other than <c>kubectl debug</c>.</summary>
    internal const string NotJudgedByGatekeeper =
        "object == null || (object.kind == 'Pod' && has(request.operation) && request.operation == 'UPDATE' && !(has(request.subResource) && request.subResource == 'ephemeralcontainers'))";

    /// <summary>The ConstraintTemplate (<c>templates.gatekeeper.sh/v1</c>) with the rules as <c>K8sNativeValidation</c> code.</summary>
    /// <exception cref="SandboxValidationException">The policy's <see cref="Validate()"/> has errors.</exception>
    internal UnstructuredObject ToGatekeeperConstraintTemplate()
    {
        ThrowIfErrors(kyverno: false);
        var (variables, validations) = GatekeeperRules();
        var template = new UnstructuredObject("templates.gatekeeper.sh/v1", "ConstraintTemplate")
        {
            Metadata = new V1ObjectMeta { Name = GatekeeperKind.ToLowerInvariant(), Labels = ManagedBy() },
        };
        template.Fields["spec"] = new Dictionary<string, object?>
        {
            ["crd"] = Map("spec", Map(
                ("names", Map("kind", GatekeeperKind)),
                ("validation", Map("openAPIV3Schema", Map(
                    ("type", "object"),
                    ("properties", Map(GatekeeperExemptionParameter, Map(
                        ("type", "object"),
                        ("description", "Exempt workloads: keys <namespace>.<workload>, values the reason (a blank reason does not count)."),
                        ("additionalProperties", Map("type", "string")))))))))),
            ["targets"] = new List<object?>
            {
                Map(
                    ("target", GatekeeperTarget),
                    ("code", new List<object?>
                    {
                        Map(
                            ("engine", "K8sNativeValidation"),
                            ("source", Map(
                                ("failurePolicy", "Fail"),
                                ("variables", variables.Select(v => (object?)Map(("name", v.Name), ("expression", v.Expression))).ToList()),
                                ("validations", validations.Select(v => (object?)Map(("expression", v.Expression), ("message", v.Message))).ToList())))),
                    })),
            },
        };
        return template;
    }

    /// <summary>
    /// The Gatekeeper <c>Assign</c> mutation (<c>mutations.gatekeeper.sh/v1</c>): sets <c>spec.runtimeClassName</c> to the runtime on
    /// Pods that have none. Unlike the MutatingAdmissionPolicy it cannot read the pod's host network or the exemptions: its scope is
    /// the assignment's namespaces, and the validating constraint refuses what it should not have sandboxed.
    /// </summary>
    internal UnstructuredObject ToGatekeeperAssign()
    {
        ThrowIfErrors(kyverno: false);
        var assign = new UnstructuredObject("mutations.gatekeeper.sh/v1", "Assign")
        {
            Metadata = new V1ObjectMeta { Name = MutatingName, Labels = ManagedBy() },
        };
        assign.Fields["spec"] = Map(
            ("applyTo", new List<object?> { Map(("groups", new List<object?> { "" }), ("kinds", new List<object?> { "Pod" }), ("versions", new List<object?> { "v1" })) }),
            ("match", Map(("scope", "Namespaced"), ("kinds", new List<object?> { Map(("apiGroups", new List<object?> { "" }), ("kinds", new List<object?> { "Pod" })) }))),
            ("location", "spec.runtimeClassName"),
            ("parameters", Map(
                // Only Pods without a class: the author's choice stays, and the validating constraint judges it.
                ("pathTests", new List<object?> { Map(("subPath", "spec.runtimeClassName"), ("condition", "MustNotExist")) }),
                ("assign", Map("value", Runtime.Name)))));
        return assign;
    }

    private static Dictionary<string, object?> Map(string key, object? value) => new(StringComparer.Ordinal) { [key] = value };

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            map[key] = value;
        }

        return map;
    }
}
