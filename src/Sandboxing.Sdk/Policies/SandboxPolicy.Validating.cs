using k8s;
using k8s.Models;
using static Sandboxing.Sdk.PolicyCel;

namespace Sandboxing.Sdk;

/// <summary>The ValidatingAdmissionPolicy (<c>admissionregistration.k8s.io/v1</c>, Kubernetes 1.30+) and its binding.</summary>
public sealed partial class SandboxPolicy
{
    /// <summary>The CEL variable that is true on an update of the <c>pods/ephemeralcontainers</c> subresource (<c>kubectl debug</c>).</summary>
    internal const string EphemeralUpdateVariable = "ephemeralUpdate";

    /// <summary>Whether the policy also matches <c>kubectl debug</c> (an UPDATE of <c>pods/ephemeralcontainers</c>): only when a container check is on.</summary>
    internal bool MatchesEphemeralContainers => PolicyCheck.For(this).Any(c => !c.PodLevel);

    /// <summary>
    /// The ValidatingAdmissionPolicy: Pods on CREATE (and <c>pods/ephemeralcontainers</c> on UPDATE when a container check is on),
    /// workloads on CREATE and UPDATE; one validation per check, led by its catalog ID; the exemptions as variables.
    /// </summary>
    /// <exception cref="SandboxValidationException">The policy's <see cref="Validate()"/> has errors.</exception>
    public V1ValidatingAdmissionPolicy ToValidatingAdmissionPolicy()
    {
        ThrowIfErrors(kyverno: false);
        var (variables, validations) = Rules(PolicyExemptions.ParameterData);
        bool ephemeral = MatchesEphemeralContainers;
        var rules = new List<V1NamedRuleWithOperations> { Rule("", ["CREATE"], "pods") };
        if (ephemeral)
        {
            rules.Add(Rule("", ["UPDATE"], "pods/ephemeralcontainers"));
        }

        rules.Add(Rule("", ["CREATE", "UPDATE"], "replicationcontrollers"));
        rules.Add(Rule("apps", ["CREATE", "UPDATE"], "deployments", "statefulsets", "daemonsets", "replicasets"));
        rules.Add(Rule("batch", ["CREATE", "UPDATE"], "jobs", "cronjobs"));
        foreach (var group in CustomResources.GroupBy(k => (k.Group, Versions: string.Join(",", k.Versions))))
        {
            var rule = Rule(group.Key.Group, ["CREATE", "UPDATE"], [.. group.Select(k => k.Resource).Distinct(StringComparer.Ordinal)]);
            rule.ApiVersions = [.. group.First().Versions];
            rules.Add(rule);
        }

        return new V1ValidatingAdmissionPolicy
        {
            Metadata = new V1ObjectMeta { Name = Name, Labels = ManagedBy() },
            Spec = new V1ValidatingAdmissionPolicySpec
            {
                FailurePolicy = "Fail",
                ParamKind = ParamKind(),
                MatchConstraints = new V1MatchResources { ResourceRules = rules },
                Variables = variables,
                Validations = validations,
            },
        }.Initialize();
    }

    /// <summary>
    /// The variables (exemptions, <c>kubectl debug</c>) and one validation per check, led by its catalog ID: the one rule table
    /// the ValidatingAdmissionPolicy and the Gatekeeper ConstraintTemplate both carry. <paramref name="parameterData"/> is the CEL
    /// map of exempt workloads.
    /// </summary>
    internal (List<V1Variable> Variables, List<V1Validation> Validations) Rules(string parameterData)
    {
        var checks = PolicyCheck.For(this);
        var variables = new List<V1Variable>();
        bool ephemeral = MatchesEphemeralContainers;
        if (ephemeral)
        {
            variables.Add(new V1Variable
            {
                Name = EphemeralUpdateVariable,
                Expression = "has(request.subResource) && request.subResource == 'ephemeralcontainers'",
            });
        }

        if (PolicyExemptions.Whole(this, withNamespace: true, parameterData) is { } whole)
        {
            variables.Add(new V1Variable { Name = "exempt", Expression = whole });
        }

        foreach (var check in checks)
        {
            if (PolicyExemptions.ForRule(this, check.RuleId, withNamespace: true) is { } forRule)
            {
                variables.Add(new V1Variable { Name = ExemptVariable(check.RuleId), Expression = forRule });
            }
        }

        var validations = new List<V1Validation>();
        foreach (var check in checks)
        {
            var terms = new List<string>();
            if (ephemeral && check.PodLevel)
            {
                // kubectl debug cannot change pod-level fields: judge only the containers, so an old pod can still be debugged.
                terms.Add("variables." + EphemeralUpdateVariable);
            }

            terms.AddRange(variables.Where(v => v.Name == "exempt" || v.Name == ExemptVariable(check.RuleId)).Select(v => "variables." + v.Name));
            terms.Add(ForEachPodSpec(check.Predicate, CustomResources));
            validations.Add(new V1Validation { Expression = string.Join(" || ", terms), Message = check.Message, Reason = "Forbidden" });
        }

        return (variables, validations);
    }

    /// <summary>The binding that applies the policy in the selected namespaces with the mode's validation actions.</summary>
    public V1ValidatingAdmissionPolicyBinding ToValidatingAdmissionPolicyBinding() => new V1ValidatingAdmissionPolicyBinding
    {
        Metadata = new V1ObjectMeta { Name = Name + "-binding", Labels = ManagedBy() },
        Spec = new V1ValidatingAdmissionPolicyBindingSpec
        {
            PolicyName = Name,
            ParamRef = ParamRef(),
            ValidationActions = ValidationActions.ToList(),
            MatchResources = new V1MatchResources { NamespaceSelector = CopyOf(NamespaceSelector) },
        },
    }.Initialize();

    private V1ParamKind? ParamKind() => ExemptionParameter is null ? null : new V1ParamKind { ApiVersion = "v1", Kind = "ConfigMap" };

    /// <summary>The parameter reference: a missing ConfigMap denies (fail closed) rather than switching the policy off.</summary>
    private V1ParamRef? ParamRef() => ExemptionParameter is not { } parameter ? null : new V1ParamRef
    {
        Name = parameter.Name,
        NamespaceProperty = parameter.Namespace,
        ParameterNotFoundAction = "Deny",
    };

    private static V1NamedRuleWithOperations Rule(string group, string[] operations, params string[] resources) => new()
    {
        ApiGroups = [group],
        ApiVersions = ["v1"],
        Operations = operations,
        Resources = resources,
        Scope = "Namespaced",
    };
}
