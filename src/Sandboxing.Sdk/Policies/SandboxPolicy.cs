using System.Collections;
using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;
using Sandboxing.Sdk.Catalog;
using Sandboxing.Sdk.Manifests;
using Sandboxing.Sdk.Objects;
using Sandboxing.Sdk.Runtimes;

namespace Sandboxing.Sdk.Policies;

/// <summary>How a policy treats a workload that breaks it.</summary>
public enum SandboxPolicyMode
{
    /// <summary>Refuse it: ValidatingAdmissionPolicy <c>Deny</c>, Kyverno <c>Enforce</c>.</summary>
    Enforce = 0,

    /// <summary>Admit it, warn the client and record it in the audit log: <c>Warn</c> + <c>Audit</c>, Kyverno <c>Audit</c>. For a gradual rollout.</summary>
    Audit,
}

/// <summary>
/// Admission policies that enforce at the cluster what the validator, the analyzer and the linter check: every Pod, and the
/// pod template of every Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job and CronJob, must name an
/// allowed sandbox runtime class (so a bad Deployment fails at <c>kubectl apply</c>, not later as a ReplicaSet event), in the
/// namespaces a selector picks. Optionally host networking is refused too (Kata cannot run it). An object opts out with the
/// annotation <c>sandboxing.sdk/exempt: "&lt;reason&gt;"</c> (a blank reason does not count), on the object or its pod template;
/// <c>sandboxing.sdk/exempt.SBX2001</c> exempts from the host network rule only.
/// </summary>
/// <remarks>
/// Emits a <see cref="V1ValidatingAdmissionPolicy"/> and its <see cref="V1ValidatingAdmissionPolicyBinding"/>
/// (<c>admissionregistration.k8s.io/v1</c>, Kubernetes 1.30 and later), and Kyverno ClusterPolicies: one that validates
/// (requires a class, unlike Kyverno's sample <c>restrict-runtimeclass</c>, which lets a pod without one pass) and one that
/// mutates (adds the class where none is set). The value is immutable; each <c>With…</c>/<c>For…</c> method returns a copy.
/// Enumerating it yields the policy and the binding, so <c>SandboxManifest.ToYaml(policy)</c> writes both.
/// </remarks>
public sealed record SandboxPolicy : IEnumerable<IKubernetesObject>
{
    /// <summary>The namespace label the default selector matches: <c>sandboxing.sdk/enforce: "true"</c>.</summary>
    public const string DefaultNamespaceLabel = "sandboxing.sdk/enforce";

    /// <summary>The default name of the ValidatingAdmissionPolicy and its binding.</summary>
    public const string DefaultName = "sandboxing-require-runtime-class";

    private SandboxPolicy()
    {
    }

    /// <summary>The policy's name (a DNS-1123 subdomain); the binding and the Kyverno policies derive theirs from it.</summary>
    public string Name { get; private init; } = DefaultName;

    /// <summary>The runtime classes a pod may name. Default: the runtime (<c>kata-vm-isolation</c>).</summary>
    public IReadOnlyList<string> AllowedRuntimeClasses { get; private init; } = [KnownRuntimeClasses.Default];

    /// <summary>The runtime class the Kyverno mutate policy adds. Default: AKS <c>kata-vm-isolation</c>.</summary>
    public SandboxRuntime Runtime { get; private init; }

    /// <summary>The namespaces the policy applies to. Default: those labelled <c>sandboxing.sdk/enforce: "true"</c>.</summary>
    public V1LabelSelector NamespaceSelector { get; private init; } = LabelSelector(DefaultNamespaceLabel, "true");

    /// <summary>Deny, or warn and audit.</summary>
    public SandboxPolicyMode Mode { get; private init; }

    /// <summary>Whether host networking is refused too (companion rule, SBX2001). Default true.</summary>
    public bool RefuseHostNetwork { get; private init; } = true;

    /// <summary>Whether <c>sandboxing.sdk/exempt</c> annotations with a reason let an object through. Default true.</summary>
    public bool HonourExemptions { get; private init; } = true;

    /// <summary>Starts a policy that requires an allowed sandbox runtime class.</summary>
    /// <param name="allowedRuntimeClasses">The allowed classes; none means the default runtime, <c>kata-vm-isolation</c>.</param>
    public static SandboxPolicy RequireSandbox(params string[] allowedRuntimeClasses)
    {
        ArgumentNullException.ThrowIfNull(allowedRuntimeClasses);
        var policy = new SandboxPolicy();
        return allowedRuntimeClasses.Length == 0 ? policy : policy.AllowingRuntimeClasses(allowedRuntimeClasses);
    }

    /// <summary>Names the policy.</summary>
    /// <exception cref="ArgumentException">The name is not a DNS-1123 subdomain, or too long to derive the Kyverno names from.</exception>
    public SandboxPolicy Named(string name)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(name, nameof(name), "policy name");
        if (name.Length > 200)
        {
            throw new ArgumentException($"The policy name '{name}' is longer than 200 characters; the binding and Kyverno names add suffixes to it.", nameof(name));
        }

        return this with { Name = name };
    }

    /// <summary>Sets the allowed runtime classes (each a DNS-1123 subdomain; at least one).</summary>
    public SandboxPolicy AllowingRuntimeClasses(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Length == 0)
        {
            throw new ArgumentException("Name at least one allowed runtime class, for example kata-vm-isolation.", nameof(names));
        }

        foreach (var name in names)
        {
            KubernetesNames.ThrowIfInvalidSubdomain(name, nameof(names), "runtime class name");
        }

        return this with { AllowedRuntimeClasses = names.Distinct(StringComparer.Ordinal).ToArray() };
    }

    /// <summary>Sets the runtime the Kyverno mutate policy adds; it is also allowed.</summary>
    public SandboxPolicy WithRuntime(SandboxRuntime runtime) => this with
    {
        Runtime = runtime,
        AllowedRuntimeClasses = AllowedRuntimeClasses.Contains(runtime.Name, StringComparer.Ordinal) ? AllowedRuntimeClasses : [.. AllowedRuntimeClasses, runtime.Name],
    };

    /// <summary>Applies the policy in namespaces with the label <paramref name="key"/>=<paramref name="value"/>.</summary>
    public SandboxPolicy ForNamespacesLabelled(string key, string value = "true")
    {
        KubernetesNames.ThrowIfInvalidQualifiedName(key, nameof(key), "namespace label key");
        KubernetesNames.ThrowIfInvalidLabelValue(value, nameof(value), "namespace label value");
        return this with { NamespaceSelector = LabelSelector(key, value) };
    }

    /// <summary>Applies the policy in the named namespaces only.</summary>
    public SandboxPolicy ForNamespaces(params string[] names) => this with { NamespaceSelector = NameSelector("In", names) };

    /// <summary>Applies the policy in every namespace except the named ones (for example <c>kube-system</c>).</summary>
    public SandboxPolicy ForAllNamespacesExcept(params string[] names) => this with { NamespaceSelector = NameSelector("NotIn", names) };

    /// <summary>Sets the mode: <see cref="SandboxPolicyMode.Enforce"/> (Deny) or <see cref="SandboxPolicyMode.Audit"/> (Warn and Audit).</summary>
    public SandboxPolicy InMode(SandboxPolicyMode mode) => this with { Mode = mode };

    /// <summary>Whether host networking is refused as well (default true).</summary>
    public SandboxPolicy RefusingHostNetwork(bool refuse = true) => this with { RefuseHostNetwork = refuse };

    /// <summary>Whether exemption annotations with a reason let objects through (default true; false is the strict mode).</summary>
    public SandboxPolicy HonouringExemptions(bool honour = true) => this with { HonourExemptions = honour };

    /// <summary>The binding's <c>validationActions</c>: <c>[Deny]</c>, or <c>[Warn, Audit]</c> in audit mode.</summary>
    public IReadOnlyList<string> ValidationActions => Mode == SandboxPolicyMode.Enforce ? ["Deny"] : ["Warn", "Audit"];

    /// <summary>The ValidatingAdmissionPolicy (<c>admissionregistration.k8s.io/v1</c>).</summary>
    public V1ValidatingAdmissionPolicy ToValidatingAdmissionPolicy()
    {
        var variables = new List<V1Variable>();
        var validations = new List<V1Validation>();
        string exempt = "false";
        if (HonourExemptions)
        {
            variables.Add(new V1Variable { Name = "exempt", Expression = ExemptExpression(SandboxAnnotations.Exempt) });
            exempt = "variables.exempt";
        }

        var allowed = string.Join(", ", AllowedRuntimeClasses.Select(Quote));
        validations.Add(new V1Validation
        {
            Expression = $"{exempt} || {ForEachPodSpec(s => $"has({s}.runtimeClassName) && {s}.runtimeClassName in [{allowed}]")}",
            Message = $"{SandboxRules.MissingRuntimeClass.Id}/{SandboxRules.RuntimeClassNotAllowed.Id}: the pod spec must set runtimeClassName to one of [{string.Join(", ", AllowedRuntimeClasses)}] " +
                $"so that it runs in a VM sandbox; run 'sandboxing fix', or opt out with the annotation {SandboxAnnotations.Exempt}: \"<reason>\"",
            Reason = "Forbidden",
        });

        if (RefuseHostNetwork)
        {
            string hostNetworkExempt = exempt;
            if (HonourExemptions)
            {
                variables.Add(new V1Variable { Name = "exemptHostNetwork", Expression = ExemptExpression(SandboxAnnotations.ExemptRule(SandboxRules.HostNetwork.Id)) });
                hostNetworkExempt = "variables.exempt || variables.exemptHostNetwork";
            }

            validations.Add(new V1Validation
            {
                Expression = $"{hostNetworkExempt} || {ForEachPodSpec(s => $"!has({s}.hostNetwork) || !{s}.hostNetwork")}",
                Message = $"{SandboxRules.HostNetwork.Id}: hostNetwork is not supported by Kata VM sandboxes (the pod never starts); remove it, " +
                    $"or opt out with the annotation {SandboxAnnotations.Exempt}: \"<reason>\"",
                Reason = "Forbidden",
            });
        }

        return new V1ValidatingAdmissionPolicy
        {
            Metadata = new V1ObjectMeta { Name = Name, Labels = ManagedBy() },
            Spec = new V1ValidatingAdmissionPolicySpec
            {
                FailurePolicy = "Fail",
                MatchConstraints = new V1MatchResources
                {
                    ResourceRules =
                    [
                        Rule("", "pods", "replicationcontrollers"),
                        Rule("apps", "deployments", "statefulsets", "daemonsets", "replicasets"),
                        Rule("batch", "jobs", "cronjobs"),
                    ],
                },
                Variables = variables,
                Validations = validations,
            },
        }.Initialize();
    }

    /// <summary>The binding that applies the policy in the selected namespaces with the mode's validation actions.</summary>
    public V1ValidatingAdmissionPolicyBinding ToValidatingAdmissionPolicyBinding() => new V1ValidatingAdmissionPolicyBinding
    {
        Metadata = new V1ObjectMeta { Name = Name + "-binding", Labels = ManagedBy() },
        Spec = new V1ValidatingAdmissionPolicyBindingSpec
        {
            PolicyName = Name,
            ValidationActions = ValidationActions.ToList(),
            MatchResources = new V1MatchResources { NamespaceSelector = CopyOf(NamespaceSelector) },
        },
    }.Initialize();

    /// <summary>The policy and its binding as one multi-document YAML string.</summary>
    public string ToYaml() => SandboxManifest.ToYaml(ToValidatingAdmissionPolicy(), ToValidatingAdmissionPolicyBinding());

    /// <summary>
    /// The Kyverno ClusterPolicy that validates: pods (and, through Kyverno's auto-generated rules, the pod templates of
    /// their controllers) must name an allowed class; without the optional anchor <c>=(…)</c>, an absent class fails.
    /// </summary>
    public IDictionary<string, object?> ToKyvernoValidatePolicy()
    {
        var rules = new List<object?>
        {
            KyvernoRule("require-runtime-class", "validate", new Dictionary<string, object?>
            {
                ["message"] = $"{SandboxRules.MissingRuntimeClass.Id}: spec.runtimeClassName must be one of [{string.Join(", ", AllowedRuntimeClasses)}] " +
                    $"so the pod runs in a VM sandbox; run 'sandboxing fix', or opt out with the annotation {SandboxAnnotations.Exempt}: \"<reason>\"",
                ["pattern"] = new Dictionary<string, object?>
                {
                    ["spec"] = new Dictionary<string, object?> { ["runtimeClassName"] = string.Join(" | ", AllowedRuntimeClasses) },
                },
            }, SandboxAnnotations.Exempt),
        };

        if (RefuseHostNetwork)
        {
            rules.Add(KyvernoRule("refuse-host-network", "validate", new Dictionary<string, object?>
            {
                ["message"] = $"{SandboxRules.HostNetwork.Id}: hostNetwork is not supported by Kata VM sandboxes; remove it, " +
                    $"or opt out with the annotation {SandboxAnnotations.Exempt}: \"<reason>\"",
                ["pattern"] = new Dictionary<string, object?>
                {
                    ["spec"] = new Dictionary<string, object?> { ["=(hostNetwork)"] = false },
                },
            }, SandboxAnnotations.Exempt, SandboxAnnotations.ExemptRule(SandboxRules.HostNetwork.Id)));
        }

        return KyvernoPolicy(Name, "Require a VM sandbox runtime class",
            "Pods must run in a VM sandbox (Kata): spec.runtimeClassName must name an allowed runtime class. Unlike the sample " +
            "restrict-runtimeclass, a pod without a runtime class is refused. Generated by Sandboxing.Sdk.",
            new Dictionary<string, object?>
            {
                ["validationFailureAction"] = Mode == SandboxPolicyMode.Enforce ? "Enforce" : "Audit",
                ["background"] = true,
                ["rules"] = rules,
            });
    }

    /// <summary>
    /// The Kyverno ClusterPolicy that mutates: it adds <c>runtimeClassName</c> where none is set (the <c>+(…)</c> anchor leaves
    /// an existing class alone, for the validate policy to judge), except on exempt pods and host-network pods.
    /// </summary>
    public IDictionary<string, object?> ToKyvernoMutatePolicy()
    {
        var rule = KyvernoRule("add-runtime-class", "mutate", new Dictionary<string, object?>
        {
            ["patchStrategicMerge"] = new Dictionary<string, object?>
            {
                ["spec"] = new Dictionary<string, object?> { ["+(runtimeClassName)"] = Runtime.Name },
            },
        }, SandboxAnnotations.Exempt);
        var conditions = (List<object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)rule["preconditions"]!))["all"]!;
        conditions.Add(new Dictionary<string, object?>
        {
            ["key"] = "{{ request.object.spec.hostNetwork || `false` }}",
            ["operator"] = "Equals",
            ["value"] = false,
        });

        return KyvernoPolicy(Name + "-add", "Add a VM sandbox runtime class",
            $"Sets spec.runtimeClassName to {Runtime.Name} on pods (and the pod templates of their controllers) that set none. Generated by Sandboxing.Sdk.",
            new Dictionary<string, object?> { ["rules"] = new List<object?> { rule } });
    }

    /// <summary>Both Kyverno policies (validate, then mutate) as one multi-document YAML string.</summary>
    public string ToKyvernoYaml()
    {
        var serializer = new SerializerBuilder().WithIndentedSequences().WithQuotingNecessaryStrings().Build();
        return serializer.Serialize(ToKyvernoValidatePolicy()) + "---\n" + serializer.Serialize(ToKyvernoMutatePolicy());
    }

    /// <summary>Yields the ValidatingAdmissionPolicy and its binding.</summary>
    public IEnumerator<IKubernetesObject> GetEnumerator()
    {
        yield return ToValidatingAdmissionPolicy();
        yield return ToValidatingAdmissionPolicyBinding();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// A CEL expression that applies <paramref name="predicate"/> to the pod spec of whichever kind the object is: a CronJob's
    /// <c>spec.jobTemplate.spec.template.spec</c>, a workload's <c>spec.template.spec</c>, or a Pod's <c>spec</c>. Only boolean
    /// branches, so the expression type-checks whatever the object's schema.
    /// </summary>
    private static string ForEachPodSpec(Func<string, string> predicate) =>
        $"(has(object.spec.jobTemplate) ? ({predicate("object.spec.jobTemplate.spec.template.spec")}) " +
        $": has(object.spec.template) ? ({predicate("object.spec.template.spec")}) " +
        $": ({predicate("object.spec")}))";

    /// <summary>True when the object or its pod template carries <paramref name="key"/> with a value that is not blank.</summary>
    private static string ExemptExpression(string key)
    {
        string Annotated(string metadata) =>
            $"(has({metadata}.annotations) && {Quote(key)} in {metadata}.annotations && {metadata}.annotations[{Quote(key)}].matches('\\\\S'))";
        return $"{Annotated("object.metadata")} " +
            $"|| (has(object.spec.jobTemplate) && has(object.spec.jobTemplate.spec.template.metadata) && {Annotated("object.spec.jobTemplate.spec.template.metadata")}) " +
            $"|| (has(object.spec.template) && has(object.spec.template.metadata) && {Annotated("object.spec.template.metadata")})";
    }

    private static Dictionary<string, object?> KyvernoRule(string name, string action, Dictionary<string, object?> body, params string[] exemptionKeys)
    {
        var conditions = new List<object?>();
        foreach (var key in exemptionKeys)
        {
            conditions.Add(new Dictionary<string, object?>
            {
                ["key"] = $"{{{{ trim(request.object.metadata.annotations.\"{key}\" || '', ' ') }}}}",
                ["operator"] = "Equals",
                ["value"] = "",
            });
        }

        return new Dictionary<string, object?>
        {
            ["name"] = name,
            ["match"] = null, // filled in by KyvernoPolicy
            ["preconditions"] = new Dictionary<string, object?> { ["all"] = conditions },
            [action] = body,
        };
    }

    private Dictionary<string, object?> KyvernoPolicy(string name, string title, string description, Dictionary<string, object?> spec)
    {
        foreach (var rule in ((List<object?>)spec["rules"]!).Cast<Dictionary<string, object?>>())
        {
            rule["match"] = new Dictionary<string, object?>
            {
                ["any"] = new List<object?>
                {
                    new Dictionary<string, object?>
                    {
                        ["resources"] = new Dictionary<string, object?>
                        {
                            ["kinds"] = new List<object?> { "Pod" },
                            ["namespaceSelector"] = SelectorDictionary(NamespaceSelector),
                        },
                    },
                },
            };
            if (!HonourExemptions)
            {
                var conditions = (List<object?>)((Dictionary<string, object?>)rule["preconditions"]!)["all"]!;
                conditions.RemoveAll(c => c is Dictionary<string, object?> d && d["key"] is string k && k.Contains("annotations", StringComparison.Ordinal));
                if (conditions.Count == 0)
                {
                    rule.Remove("preconditions");
                }
            }
        }

        return new Dictionary<string, object?>
        {
            ["apiVersion"] = "kyverno.io/v1",
            ["kind"] = "ClusterPolicy",
            ["metadata"] = new Dictionary<string, object?>
            {
                ["name"] = name,
                ["labels"] = new Dictionary<string, object?>(ManagedBy().Select(p => new KeyValuePair<string, object?>(p.Key, p.Value))),
                ["annotations"] = new Dictionary<string, object?>
                {
                    ["policies.kyverno.io/title"] = title,
                    ["policies.kyverno.io/category"] = "Pod Security",
                    ["policies.kyverno.io/severity"] = "high",
                    ["policies.kyverno.io/subject"] = "Pod",
                    ["policies.kyverno.io/description"] = description,
                },
            },
            ["spec"] = spec,
        };
    }

    private static Dictionary<string, object?> SelectorDictionary(V1LabelSelector selector)
    {
        var result = new Dictionary<string, object?>();
        if (selector.MatchLabels is { Count: > 0 } labels)
        {
            result["matchLabels"] = labels.ToDictionary(p => p.Key, p => (object?)p.Value);
        }

        if (selector.MatchExpressions is { Count: > 0 } expressions)
        {
            result["matchExpressions"] = expressions.Select(e => (object?)new Dictionary<string, object?>
            {
                ["key"] = e.Key,
                ["operator"] = e.OperatorProperty,
                ["values"] = e.Values?.Select(v => (object?)v).ToList(),
            }).ToList();
        }

        return result;
    }

    private static V1NamedRuleWithOperations Rule(string group, params string[] resources) => new()
    {
        ApiGroups = [group],
        ApiVersions = ["v1"],
        Operations = ["CREATE", "UPDATE"],
        Resources = resources,
        Scope = "Namespaced",
    };

    private static V1LabelSelector LabelSelector(string key, string value) =>
        new() { MatchLabels = new Dictionary<string, string> { [key] = value } };

    private static V1LabelSelector NameSelector(string op, string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Length == 0)
        {
            throw new ArgumentException("Name at least one namespace.", nameof(names));
        }

        foreach (var name in names)
        {
            KubernetesNames.ThrowIfInvalidLabel(name, nameof(names), "namespace name");
        }

        return new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "kubernetes.io/metadata.name", OperatorProperty = op, Values = names.ToList() }],
        };
    }

    private static V1LabelSelector CopyOf(V1LabelSelector selector) => new()
    {
        MatchLabels = selector.MatchLabels is null ? null : new Dictionary<string, string>(selector.MatchLabels),
        MatchExpressions = selector.MatchExpressions?.Select(e => new V1LabelSelectorRequirement
        {
            Key = e.Key,
            OperatorProperty = e.OperatorProperty,
            Values = e.Values?.ToList(),
        }).ToList(),
    };

    private static Dictionary<string, string> ManagedBy() => new() { ["app.kubernetes.io/managed-by"] = "sandboxing-sdk" };

    /// <summary>A CEL single-quoted string literal.</summary>
    private static string Quote(string value)
    {
        var text = new StringBuilder("'");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => "\\\\",
                '\'' => "\\'",
                _ => c.ToString(CultureInfo.InvariantCulture),
            });
        }

        return text.Append('\'').ToString();
    }

}
