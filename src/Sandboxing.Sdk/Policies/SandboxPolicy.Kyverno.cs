using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using YamlDotNet.Serialization;

namespace Sandboxing.Sdk;

/// <summary>
/// The Kyverno ClusterPolicies, with the same checks, messages and exemption model as the admission policies. Each rule is written
/// out for Pods, workload templates and CronJob templates (<c>autogen-controllers: none</c>), so that the exemption preconditions
/// read the right metadata and the mutate policy changes Pods only, as the MutatingAdmissionPolicy does (Kyverno's autogen would
/// rewrite Deployment templates too: kyverno <c>pkg/autogen/v1/rule.go</c>).
/// </summary>
public sealed partial class SandboxPolicy
{
    private const string KyvernoExemptionsContext = "sandboxExemptions";

    private static readonly (string Name, string[] Kinds, string[] Operations, string[] SpecPath, string[] TemplateMetadata)[] s_kyvernoShapes =
    [
        ("pod", ["Pod"], ["CREATE"], ["spec"], []),
        ("workload", ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"], ["CREATE", "UPDATE"], ["spec", "template", "spec"], ["spec", "template", "metadata"]),
        ("cronjob", ["CronJob"], ["CREATE", "UPDATE"], ["spec", "jobTemplate", "spec", "template", "spec"], ["spec", "jobTemplate", "spec", "template", "metadata"]),
    ];

    /// <summary>
    /// The Kyverno ClusterPolicy that validates: one rule per check and shape; a Pod without a class fails (a plain key, not the
    /// optional anchor of Kyverno's sample <c>restrict-runtimeclass</c>, which lets a pod without a class pass).
    /// </summary>
    /// <exception cref="SandboxValidationException">The policy's <see cref="ValidateKyverno"/> has errors.</exception>
    public IDictionary<string, object?> ToKyvernoValidatePolicy()
    {
        ThrowIfErrors(kyverno: true);
        var rules = new List<object?>();
        foreach (var check in PolicyCheck.For(this))
        {
            foreach (var shape in s_kyvernoShapes)
            {
                var pattern = check.KyvernoPattern(shape.Name != "pod");
                if (pattern.Count == 0)
                {
                    continue;
                }

                var rule = KyvernoRule($"{check.Name}-{shape.Name}", shape.Kinds, shape.Operations, check.RuleId, shape.TemplateMetadata);
                if (check.KyvernoSkipsWorkloadIdentity)
                {
                    var labels = shape.TemplateMetadata.Length == 0 ? "request.object.metadata.labels" : $"request.object.{string.Join('.', shape.TemplateMetadata)}.labels";
                    Preconditions(rule).Add(Condition($"{{{{ {labels}.\"{PolicyCheck.WorkloadIdentityLabel}\" || '' }}}}", "NotEquals", "true"));
                }

                rule["validate"] = new Dictionary<string, object?> { ["message"] = check.Message, ["pattern"] = Nest(shape.SpecPath, pattern) };
                rules.Add(rule);
            }

            foreach (var (kind, path, index) in KyvernoCustomShapes())
            {
                var pattern = check.KyvernoPattern(true);
                if (pattern.Count == 0)
                {
                    continue;
                }

                var parts = PodTemplateKind.Parts(path.Spec);
                string[] metadata = parts.Contains("[*]") ? [] : PodTemplateKind.Parts(path.Metadata);
                var name = $"{check.Name}-{kind.Kind.ToLowerInvariant()}{(index == 0 ? "" : "-" + index.ToString(CultureInfo.InvariantCulture))}";
                var rule = KyvernoRule(name, [$"{kind.Group}/*/{kind.Kind}"], ["CREATE", "UPDATE"], check.RuleId, path.Metadata == "metadata" ? [] : metadata);
                if (check.KyvernoSkipsWorkloadIdentity)
                {
                    var labels = metadata.Length == 0 || path.Metadata == "metadata" ? "request.object.metadata.labels" : $"request.object.{string.Join('.', metadata)}.labels";
                    Preconditions(rule).Add(Condition($"{{{{ {labels}.\"{PolicyCheck.WorkloadIdentityLabel}\" || '' }}}}", "NotEquals", "true"));
                }

                rule["validate"] = new Dictionary<string, object?> { ["message"] = check.Message, ["pattern"] = NestAnchored(parts, pattern) };
                rules.Add(rule);
            }

            if (!check.PodLevel)
            {
                // kubectl debug: an UPDATE of pods/ephemeralcontainers (kyverno conformance test validate/.../debug/with-subresource).
                var rule = KyvernoRule($"{check.Name}-debug", ["Pod/ephemeralcontainers"], ["UPDATE"], check.RuleId, []);
                rule["validate"] = new Dictionary<string, object?> { ["message"] = check.Message, ["pattern"] = Nest(["spec"], check.KyvernoPattern(false)) };
                rules.Add(rule);
            }
        }

        return KyvernoPolicy(Name, "Require a VM sandbox runtime class",
            "Pods, and the pod templates of workloads, must name an allowed VM sandbox (Kata) runtime class" +
            (Checks == SandboxPolicyChecks.None ? "" : " and pass the sandbox checks") + ". Generated by Sandboxing.Sdk.",
            new Dictionary<string, object?>
            {
                ["validationFailureAction"] = Mode == SandboxPolicyMode.Enforce ? "Enforce" : "Audit",
                ["background"] = KyvernoBackground,
                ["rules"] = rules,
            });
    }

    /// <summary>
    /// The Kyverno ClusterPolicy that mutates, when <see cref="DefaultsRuntimeClass"/>: on Pod CREATE it adds <c>runtimeClassName</c>
    /// with the add-if-absent anchor <c>+(…)</c> (an existing class is left for the validate policy to judge), except on exempt
    /// pods and host-network pods. Null when the policy does not default the class.
    /// </summary>
    public IDictionary<string, object?>? ToKyvernoMutatePolicy()
    {
        if (!DefaultsRuntimeClass)
        {
            return null;
        }

        ThrowIfErrors(kyverno: true);
        var rule = KyvernoRule("add-runtime-class", ["Pod"], ["CREATE"], SandboxRules.MissingRuntimeClass.Id, []);
        Preconditions(rule).Add(Condition("{{ request.object.spec.hostNetwork || `false` }}", "Equals", false));
        rule["mutate"] = new Dictionary<string, object?>
        {
            ["patchStrategicMerge"] = new Dictionary<string, object?>
            {
                ["spec"] = new Dictionary<string, object?> { ["+(runtimeClassName)"] = Runtime.Name },
            },
        };
        return KyvernoPolicy(MutatingName, "Add a VM sandbox runtime class",
            $"Sets spec.runtimeClassName to {Runtime.Name} on Pods created without one (Pods only: workload templates stay as written). Generated by Sandboxing.Sdk.",
            new Dictionary<string, object?> { ["background"] = false, ["rules"] = new List<object?> { rule } });
    }

    /// <summary>The Kyverno policies (validate, then mutate when defaulting) as one multi-document YAML string.</summary>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The policies are dictionaries, lists, strings and booleans, which YamlDotNet's reflection serializer writes without making generic types at run time; the native sandboxing's output is compared with the JIT's (scripts/aot-smoke.sh).")]
    public string ToKyvernoYaml()
    {
        var serializer = new SerializerBuilder().WithIndentedSequences().WithQuotingNecessaryStrings().Build();
        var yaml = serializer.Serialize(ToKyvernoValidatePolicy());
        return ToKyvernoMutatePolicy() is { } mutate ? yaml + "---\n" + serializer.Serialize(mutate) : yaml;
    }

    // Kyverno refuses background scans for rules that read the requesting user, and the ConfigMap lookup reads request.namespace.
    private bool KyvernoBackground => ExemptUsers.Count + ExemptGroups.Count == 0 && ExemptionParameter is null;

    private Dictionary<string, object?> KyvernoRule(string name, string[] kinds, string[] operations, string? ruleId, string[] templateMetadata)
    {
        var rule = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["match"] = new Dictionary<string, object?>
            {
                ["any"] = new List<object?>
                {
                    new Dictionary<string, object?>
                    {
                        ["resources"] = new Dictionary<string, object?>
                        {
                            ["kinds"] = kinds.ToList<object?>(),
                            ["operations"] = operations.ToList<object?>(),
                            ["namespaceSelector"] = SelectorDictionary(NamespaceSelector),
                        },
                    },
                },
            },
        };

        var exclude = new List<object?>();
        if (ExemptionLabelKey is { } key)
        {
            foreach (var label in ruleId is null ? [key] : new[] { key, RuleLabelKey(key, ruleId) })
            {
                exclude.Add(new Dictionary<string, object?>
                {
                    ["resources"] = new Dictionary<string, object?>
                    {
                        ["namespaceSelector"] = new Dictionary<string, object?> { ["matchLabels"] = new Dictionary<string, object?> { [label] = ExemptionLabelValue } },
                    },
                });
            }
        }

        // Subjects, never clusterRoles: Kyverno resolves clusterRoles from RoleBindings too, which a namespace admin can write.
        var subjects = ExemptGroups.Select(g => (object?)new Dictionary<string, object?> { ["kind"] = "Group", ["name"] = g })
            .Concat(ExemptUsers.Select(Subject)).ToList();
        if (subjects.Count > 0)
        {
            exclude.Add(new Dictionary<string, object?> { ["subjects"] = subjects });
        }

        if (exclude.Count > 0)
        {
            rule["exclude"] = new Dictionary<string, object?> { ["any"] = exclude };
        }

        var conditions = new List<object?>();
        if (HonorExemptionAnnotations)
        {
            var metadata = templateMetadata.Length == 0 ? ["request.object.metadata"] : new[] { "request.object.metadata", "request.object." + string.Join('.', templateMetadata) };
            foreach (var annotation in ruleId is null || !PolicyExemptions.AnnotationMayExempt(ruleId) ? [SandboxAnnotations.Exempt] : new[] { SandboxAnnotations.Exempt, SandboxAnnotations.ExemptRule(ruleId) })
            {
                foreach (var at in metadata)
                {
                    conditions.Add(Condition(Trimmed($"{at}.annotations.\"{annotation}\""), "Equals", ""));
                }
            }
        }

        if (ExemptionParameter is { } parameter)
        {
            rule["context"] = new List<object?>
            {
                new Dictionary<string, object?> { ["name"] = KyvernoExemptionsContext, ["configMap"] = new Dictionary<string, object?> { ["name"] = parameter.Name, ["namespace"] = parameter.Namespace } },
                new Dictionary<string, object?> { ["name"] = "sandboxOwner", ["variable"] = new Dictionary<string, object?> { ["jmesPath"] = "request.object.metadata.ownerReferences[?controller].name | [0] || ''", ["default"] = "" } },
                // A ReplicaSet of a Deployment, or a Job of a CronJob, is named after it plus one '-suffix'.
                new Dictionary<string, object?> { ["name"] = "sandboxOwnerWorkload", ["variable"] = new Dictionary<string, object?> { ["jmesPath"] = "regex_replace_all('-[a-z0-9]+$', request.object.metadata.ownerReferences[?controller && (kind=='ReplicaSet' || kind=='Job')].name | [0] || '', '')", ["default"] = "" } },
            };
            foreach (var candidate in new[] { "{{request.object.metadata.name || ''}}", "{{sandboxOwner}}", "{{sandboxOwnerWorkload}}" })
            {
                conditions.Add(Condition(Trimmed($"{KyvernoExemptionsContext}.data.\"{{{{request.namespace}}}}.{candidate}\""), "Equals", ""));
            }
        }

        if (conditions.Count > 0)
        {
            rule["preconditions"] = new Dictionary<string, object?> { ["all"] = conditions };
        }

        return rule;
    }

    /// <summary>
    /// Kyverno's <c>trim(string, cutset)</c> (Go <c>strings.Trim</c>) with every character .NET counts as white space, so a reason
    /// is blank exactly as the SDK and the CEL policies read it. The cut set is a JMESPath JSON literal with <c>\uXXXX</c> escapes,
    /// which keeps the YAML ASCII.
    /// </summary>
    private static string Trimmed(string path) => $"{{{{ trim({path} || '', `\"{s_kyvernoCutSet}\"`) }}}}";

    private static readonly string s_kyvernoCutSet =
        string.Concat(PolicyCel.WhiteSpaceCharacters.Select(c => "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)));

    private static Dictionary<string, object?> Condition(string key, string op, object value) => new() { ["key"] = key, ["operator"] = op, ["value"] = value };

    private static List<object?> Preconditions(Dictionary<string, object?> rule)
    {
        if (!rule.TryGetValue("preconditions", out var preconditions))
        {
            preconditions = new Dictionary<string, object?> { ["all"] = new List<object?>() };
            rule["preconditions"] = preconditions;
        }

        return (List<object?>)((Dictionary<string, object?>)preconditions!)["all"]!;
    }

    private static object? Subject(string user)
    {
        const string prefix = "system:serviceaccount:";
        if (user.StartsWith(prefix, StringComparison.Ordinal) && user[prefix.Length..].Split(':') is [var ns, var name])
        {
            return new Dictionary<string, object?> { ["kind"] = "ServiceAccount", ["name"] = name, ["namespace"] = ns };
        }

        return new Dictionary<string, object?> { ["kind"] = "User", ["name"] = user };
    }

    /// <summary>
    /// The covered custom resources' pod spec paths that a Kyverno pattern can reach: a list's items (<c>[*]</c>) are a list
    /// pattern, but Kyverno has no wildcard for the keys of a map (<c>*</c>), so those kinds are left to the Pod rules.
    /// </summary>
    private IEnumerable<(PodTemplateKind Kind, PodSpecPath Path, int Index)> KyvernoCustomShapes() =>
        CustomResources.SelectMany(k => k.Paths.Select((p, i) => (k, p, i)))
            .Where(s => !PodTemplateKind.Parts(s.p.Spec).Contains("*"));

    /// <summary>A pattern under a custom resource's path: each key an equality anchor <c>=(key)</c> (absent passes), a list's items a list pattern.</summary>
    private static Dictionary<string, object?> NestAnchored(string[] parts, Dictionary<string, object?> leaf)
    {
        object node = leaf;
        for (int i = parts.Length - 1; i >= 0; i--)
        {
            node = parts[i] == "[*]" ? new List<object?> { node } : new Dictionary<string, object?> { [$"=({parts[i]})"] = node };
        }

        return (Dictionary<string, object?>)node;
    }

    private static Dictionary<string, object?> Nest(string[] path, Dictionary<string, object?> leaf)
    {
        var node = leaf;
        for (int i = path.Length - 1; i >= 0; i--)
        {
            node = new Dictionary<string, object?> { [path[i]] = node };
        }

        return node;
    }

    private static Dictionary<string, object?> KyvernoPolicy(string name, string title, string description, Dictionary<string, object?> spec) => new()
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
                // Every shape is written out; autogen would duplicate the rules (and, for mutate, rewrite workload templates).
                ["pod-policies.kyverno.io/autogen-controllers"] = "none",
            },
        },
        ["spec"] = spec,
    };

    private static Dictionary<string, object?> SelectorDictionary(k8s.Models.V1LabelSelector selector)
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
}
