using System.Text.Json;
using Cel;
using k8s;
using k8s.Models;
using Sandboxing.Sdk;

namespace Sandboxing.Cli;

/// <summary>What the generated ValidatingAdmissionPolicy does with one object of the inputs.</summary>
/// <param name="Source">The file.</param>
/// <param name="Line">The line where the object starts.</param>
/// <param name="Object">The object, as <c>Kind namespace/name</c>.</param>
/// <param name="Outcome">What the API server would do.</param>
/// <param name="Reasons">The messages of the validations that fail, or why the policy does not apply.</param>
internal sealed record PolicyVerdict(string Source, int Line, string Object, PolicyOutcome Outcome, IReadOnlyList<string> Reasons);

/// <summary>The outcome of one object.</summary>
internal enum PolicyOutcome
{
    /// <summary>The policy applies and every validation holds.</summary>
    Admitted,

    /// <summary>The policy applies, a validation fails, and the binding denies.</summary>
    Denied,

    /// <summary>A validation fails but the binding only warns and audits (<c>--mode audit</c>): admitted with a warning.</summary>
    Warned,

    /// <summary>The policy does not apply: another kind, a namespace it does not select, or a match condition that does not hold.</summary>
    NotMatched,
}

/// <summary>
/// Evaluates the generated ValidatingAdmissionPolicy and its binding offline, as the API server would on a CREATE: the resource
/// rules and the namespace selectors decide whether it applies, then the match conditions, then the variables in order, then each
/// validation, all with the Cel library. The object is what the typed model reads from the YAML (as JSON); the namespace's
/// labels come from Namespace objects among the inputs and <c>--namespace-labels</c>; the request is a CREATE by a user with no
/// exemption; the exemptions ConfigMap, when the policy has one, is the one among the inputs (or the empty one the policy command prints).
/// </summary>
internal static class PolicyTest
{
    /// <summary>The user the requests come from: no group or user exemption covers it.</summary>
    public const string User = "sandboxing-policy-test";

    /// <summary>Evaluates every object of <paramref name="objects"/>.</summary>
    public static IReadOnlyList<PolicyVerdict> Evaluate(SandboxPolicy policy, IReadOnlyList<(string Source, ManifestObject Object)> objects,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> namespaceLabels)
    {
        var vap = policy.ToValidatingAdmissionPolicy();
        var binding = policy.ToValidatingAdmissionPolicyBinding();
        var labels = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var ns in objects.Select(o => o.Object.Object).OfType<V1Namespace>())
        {
            labels[ns.Metadata?.Name ?? ""] = new Dictionary<string, string>(ns.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        }

        foreach (var (ns, given) in namespaceLabels)
        {
            var merged = labels.TryGetValue(ns, out var existing) ? existing : labels[ns] = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in given)
            {
                merged[key] = value;
            }
        }

        object? parameters = null;
        if (vap.Spec.ParamKind is not null && binding.Spec.ParamRef is { } reference)
        {
            var configMap = objects.Select(o => o.Object.Object).OfType<V1ConfigMap>()
                .FirstOrDefault(c => c.Metadata?.Name == reference.Name && c.Metadata?.NamespaceProperty == reference.NamespaceProperty);
            parameters = configMap is null
                ? new Dictionary<string, object?> { ["metadata"] = new Dictionary<string, object?> { ["name"] = reference.Name, ["namespace"] = reference.NamespaceProperty } }
                : ToCel(configMap);
        }

        bool deny = binding.Spec.ValidationActions?.Contains("Deny") == true;
        var verdicts = new List<PolicyVerdict>();
        foreach (var (source, located) in objects)
        {
            var obj = located.Object;
            var meta = (obj as IKubernetesObject<V1ObjectMeta>)?.Metadata;
            var ns = string.IsNullOrEmpty(meta?.NamespaceProperty) ? "default" : meta.NamespaceProperty;
            var who = $"{obj.Kind} {ns}/{meta?.Name}";
            PolicyVerdict Verdict(PolicyOutcome outcome, params string[] reasons) => new(source, located.Line, who, outcome, reasons);

            if (!Matches(vap.Spec.MatchConstraints, obj))
            {
                continue; // a kind the policy never sees (Namespace, ConfigMap, Service): not worth a line
            }

            var nsLabels = labels.TryGetValue(ns, out var found) ? new Dictionary<string, string>(found, StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal);
            nsLabels["kubernetes.io/metadata.name"] = ns;
            foreach (var selector in new[] { vap.Spec.MatchConstraints?.NamespaceSelector, binding.Spec.MatchResources?.NamespaceSelector })
            {
                if (selector is not null && !Selects(selector, nsLabels))
                {
                    verdicts.Add(Verdict(PolicyOutcome.NotMatched, $"the policy does not select namespace {ns} (labels: {Describe(nsLabels)})"));
                    goto next;
                }
            }

            var bindings = new Dictionary<string, object?>
            {
                ["object"] = ToCel(obj),
                ["oldObject"] = null,
                ["request"] = new Dictionary<string, object?>
                {
                    ["operation"] = "CREATE",
                    ["namespace"] = ns,
                    ["name"] = meta?.Name,
                    ["userInfo"] = new Dictionary<string, object?> { ["username"] = User, ["groups"] = new List<object?> { "system:authenticated" } },
                },
                ["namespaceObject"] = new Dictionary<string, object?>
                {
                    ["metadata"] = new Dictionary<string, object?> { ["name"] = ns, ["labels"] = nsLabels.ToDictionary(p => p.Key, p => (object?)p.Value) },
                },
            };
            if (parameters is not null)
            {
                bindings["params"] = parameters;
            }

            try
            {
                foreach (var condition in vap.Spec.MatchConditions ?? [])
                {
                    if (!Condition(condition.Expression, bindings))
                    {
                        verdicts.Add(Verdict(PolicyOutcome.NotMatched, $"match condition '{condition.Name}' does not hold"));
                        goto next;
                    }
                }

                var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
                bindings["variables"] = variables;
                foreach (var variable in vap.Spec.Variables ?? [])
                {
                    variables[variable.Name] = Evaluate(variable.Expression, bindings);
                }

                var failed = (vap.Spec.Validations ?? []).Where(v => !Condition(v.Expression, bindings)).Select(v => v.Message ?? v.Expression).ToArray();
                verdicts.Add(failed.Length == 0 ? Verdict(PolicyOutcome.Admitted) : Verdict(deny ? PolicyOutcome.Denied : PolicyOutcome.Warned, failed));
            }
            catch (PolicyTestException e)
            {
                // failurePolicy Fail: an expression that cannot be evaluated refuses the request.
                verdicts.Add(Verdict(vap.Spec.FailurePolicy == "Ignore" ? PolicyOutcome.Admitted : PolicyOutcome.Denied, e.Message));
            }

        next:;
        }

        return verdicts;
    }

    /// <summary>Whether the resource rules cover a CREATE of <paramref name="obj"/>'s kind.</summary>
    private static bool Matches(V1MatchResources? constraints, IKubernetesObject obj)
    {
        var group = PodTemplateRegistry.GroupOf(obj.ApiVersion) ?? "";
        var version = obj.ApiVersion?.Contains('/', StringComparison.Ordinal) == true ? obj.ApiVersion[(obj.ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..] : obj.ApiVersion ?? "";
        if (PodTemplateRegistry.Default.Find(obj.ApiVersion, obj.Kind) is not { } kind)
        {
            return false; // only the kinds that carry pod templates are ever in the policy's rules
        }

        return (constraints?.ResourceRules ?? []).Any(rule =>
            Covers(rule.ApiGroups, group) && Covers(rule.ApiVersions, version) && Covers(rule.Operations, "CREATE") && Covers(rule.Resources, kind.Resource));
    }

    private static bool Covers(IList<string>? values, string value) => values is not null && (values.Contains("*") || values.Contains(value));

    /// <summary>A label selector (matchLabels, and In, NotIn, Exists, DoesNotExist) on a namespace's labels.</summary>
    private static bool Selects(V1LabelSelector selector, IReadOnlyDictionary<string, string> labels) =>
        (selector.MatchLabels ?? new Dictionary<string, string>()).All(p => labels.TryGetValue(p.Key, out var v) && v == p.Value)
        && (selector.MatchExpressions ?? []).All(r =>
        {
            bool has = labels.TryGetValue(r.Key, out var actual);
            return r.OperatorProperty switch
            {
                "In" => has && r.Values.Contains(actual!),
                "NotIn" => !has || !r.Values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
        });

    private static string Describe(IReadOnlyDictionary<string, string> labels) =>
        string.Join(", ", labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static bool Condition(string expression, Dictionary<string, object?> bindings) =>
        Evaluate(expression, bindings) is bool b ? b : throw new PolicyTestException($"the expression does not give a boolean: {expression}");

    private static object? Evaluate(string expression, Dictionary<string, object?> bindings)
    {
        var environment = new CelEnvironment(null, null);

        // The Kubernetes quantity library (quantity(), compareTo()), which the Cel library lacks, on KubernetesClient's quantities.
        environment.RegisterFunction("quantity", [typeof(string)], args => new ResourceQuantity((string)args[0]!));
        environment.RegisterFunction("compareTo", [typeof(ResourceQuantity), typeof(ResourceQuantity)],
            args => (long)((ResourceQuantity)args[0]!).ToDecimal().CompareTo(((ResourceQuantity)args[1]!).ToDecimal()));
        object? result;
        try
        {
            result = environment.Compile(expression)(bindings);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new PolicyTestException($"the expression cannot be evaluated ({e.Message}): {expression}");
        }

        return result;
    }

    /// <summary>The object as CEL sees it: the JSON of its model as nested maps, lists, strings, integers, doubles and booleans.</summary>
    private static object? ToCel(IKubernetesObject obj)
    {
        if (obj is UnstructuredObject custom)
        {
            var map = (Dictionary<string, object?>)FromFields(custom.Fields)!;
            map["apiVersion"] = custom.ApiVersion;
            map["kind"] = custom.Kind;
            using var metadata = JsonDocument.Parse(KubernetesJson.Serialize(custom.Metadata));
            map["metadata"] = PlainData.FromJson(metadata.RootElement);
            return map;
        }

        using var document = JsonDocument.Parse(KubernetesJson.Serialize(obj));
        return PlainData.FromJson(document.RootElement);
    }

    /// <summary>A custom resource's fields as the same maps and lists (integers as CEL's 64-bit ones).</summary>
    private static object? FromFields(object? value) => value switch
    {
        IDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => FromFields(p.Value), StringComparer.Ordinal),
        IList<object?> list => list.Select(FromFields).ToList(),
        int i => (long)i,
        _ => value,
    };

    private sealed class PolicyTestException(string message) : Exception(message);
}
