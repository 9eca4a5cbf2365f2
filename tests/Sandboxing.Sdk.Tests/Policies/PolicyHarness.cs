using System.Globalization;
using System.Text.RegularExpressions;
using Cel;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk.Tests.Policies;

/// <summary>Who sends an admission request, and to what: the <c>request</c> variable as CEL sees it.</summary>
public sealed record AdmissionRequest(
    string User = "alice", string[]? Groups = null, string Operation = "CREATE", string Namespace = "tenant", string? SubResource = null)
{
    public Dictionary<string, object?> ToCel()
    {
        var request = new Dictionary<string, object?>
        {
            ["operation"] = Operation,
            ["namespace"] = Namespace,
            ["userInfo"] = new Dictionary<string, object?>
            {
                ["username"] = User,
                ["groups"] = (Groups ?? ["system:authenticated"]).Cast<object?>().ToList(),
            },
        };
        if (SubResource is not null)
        {
            request["subResource"] = SubResource;
        }

        return request;
    }
}

/// <summary>
/// Evaluates generated policies with the Cel library (0.3.3), as the API server would: variables in order, then each validation
/// or match condition, with <c>object</c>, <c>request</c>, <c>namespaceObject</c>, <c>params</c> and <c>variables</c> bound.
/// </summary>
public static partial class PolicyHarness
{
    public static readonly string[] Kinds = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"];

    /// <summary>The messages of the validations the object fails (empty: admitted).</summary>
    public static IReadOnlyList<string> Failures(SandboxPolicy policy, Workload workload, AdmissionRequest? request = null,
        IDictionary<string, string>? namespaceLabels = null, IDictionary<string, string>? configMap = null) =>
        Failures(policy.ToValidatingAdmissionPolicy(), workload, request, namespaceLabels, configMap);

    public static IReadOnlyList<string> Failures(V1ValidatingAdmissionPolicy vap, Workload workload, AdmissionRequest? request = null,
        IDictionary<string, string>? namespaceLabels = null, IDictionary<string, string>? configMap = null)
    {
        var bindings = Bindings(workload, request, namespaceLabels, configMap, vap.Spec.ParamKind is not null);
        var variables = new Dictionary<string, object?>();
        bindings["variables"] = variables;
        foreach (var variable in vap.Spec.Variables ?? [])
        {
            variables[variable.Name] = Evaluate(variable.Expression, bindings);
        }

        return vap.Spec.Validations.Where(v => Evaluate(v.Expression, bindings) is not true).Select(v => v.Message).ToList();
    }

    /// <summary>
    /// The messages of the validations a Gatekeeper <c>K8sNativeValidation</c> source fails, as Gatekeeper binds it: <c>params</c>
    /// is the constraint, <c>variables.params</c> its parameters (Gatekeeper's own variable, bound first), then the source's variables.
    /// </summary>
    public static IReadOnlyList<string> GatekeeperFailures(IReadOnlyList<(string Name, string Expression)> variables,
        IReadOnlyList<(string Expression, string Message)> validations, Workload workload, AdmissionRequest? request = null,
        IDictionary<string, object?>? parameters = null)
    {
        var bindings = Bindings(workload, request, namespaceLabels: null, configMap: null, hasParams: false);
        bindings["params"] = new Dictionary<string, object?> { ["spec"] = new Dictionary<string, object?> { ["parameters"] = parameters } };
        var bound = new Dictionary<string, object?> { ["params"] = parameters };
        bindings["variables"] = bound;
        foreach (var (name, expression) in variables)
        {
            bound[name] = Evaluate(expression, bindings);
        }

        return validations.Where(v => Evaluate(v.Expression, bindings) is not true).Select(v => v.Message).ToList();
    }

    public static bool Admits(SandboxPolicy policy, Workload workload, AdmissionRequest? request = null,
        IDictionary<string, string>? namespaceLabels = null, IDictionary<string, string>? configMap = null) =>
        Failures(policy, workload, request, namespaceLabels, configMap).Count == 0;

    /// <summary>Whether every match condition of the MutatingAdmissionPolicy holds (match conditions see no namespaceObject).</summary>
    public static bool MutationMatches(V1MutatingAdmissionPolicy map, Workload pod, AdmissionRequest? request = null, IDictionary<string, string>? configMap = null)
    {
        var bindings = Bindings(pod, request, namespaceLabels: null, configMap, map.Spec.ParamKind is not null);
        bindings.Remove("namespaceObject");
        return map.Spec.MatchConditions.All(c => Evaluate(c.Expression, bindings) is true);
    }

    /// <summary>
    /// What the API server does with the mutation: the Cel library cannot build <c>Object{…}</c> values (it resolves only protobuf
    /// types), so the test reads the one field the apply configuration sets and applies it to the typed pod.
    /// </summary>
    public static V1Pod ApplyMutation(V1MutatingAdmissionPolicy map, V1Pod pod)
    {
        var mutation = Assert.Single(map.Spec.Mutations);
        Assert.Equal("ApplyConfiguration", mutation.PatchType);
        var match = ApplyConfiguration().Match(mutation.ApplyConfiguration.Expression);
        Assert.True(match.Success, $"unexpected apply configuration: {mutation.ApplyConfiguration.Expression}");
        var result = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(pod));
        result.Spec.RuntimeClassName = match.Groups[1].Value;
        return result;
    }

    [GeneratedRegex("^Object\\{spec: Object\\.spec\\{runtimeClassName: \"([a-z0-9.-]+)\"\\}\\}$")]
    private static partial Regex ApplyConfiguration();

    /// <summary>Whether a label selector (matchLabels and In/NotIn/Exists/DoesNotExist) selects a namespace with these labels.</summary>
    public static bool Selects(V1LabelSelector selector, IDictionary<string, string> labels)
    {
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            bool has = labels.TryGetValue(requirement.Key, out var actual);
            bool ok = requirement.OperatorProperty switch
            {
                "In" => has && requirement.Values.Contains(actual!),
                "NotIn" => !has || !requirement.Values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => throw new InvalidOperationException(requirement.OperatorProperty),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static Dictionary<string, object?> Bindings(Workload workload, AdmissionRequest? request, IDictionary<string, string>? namespaceLabels,
        IDictionary<string, string>? configMap, bool hasParams)
    {
        request ??= new AdmissionRequest();
        var labels = new Dictionary<string, string>(namespaceLabels ?? new Dictionary<string, string>()) { ["kubernetes.io/metadata.name"] = request.Namespace };
        var bindings = new Dictionary<string, object?>
        {
            ["object"] = workload.Cel,
            ["request"] = request.ToCel(),
            ["namespaceObject"] = new Dictionary<string, object?>
            {
                ["metadata"] = new Dictionary<string, object?> { ["name"] = request.Namespace, ["labels"] = labels.ToDictionary(p => p.Key, p => (object?)p.Value) },
            },
        };
        if (hasParams)
        {
            var parameter = new Dictionary<string, object?> { ["metadata"] = new Dictionary<string, object?> { ["name"] = "sandboxing-exemptions" } };
            if (configMap is { Count: > 0 })
            {
                parameter["data"] = configMap.ToDictionary(p => p.Key, p => (object?)p.Value);
            }

            bindings["params"] = parameter;
        }

        return bindings;
    }

    public static object Evaluate(string expression, Dictionary<string, object?> bindings)
    {
        var environment = new CelEnvironment(null, null);
        // A test-only shim of the Kubernetes quantity library (apiserver pkg/cel/library/quantity.go), which the Cel library lacks:
        // quantity(string) parses with KubernetesClient's ResourceQuantity, compareTo gives -1, 0 or 1 as Kubernetes does.
        environment.RegisterFunction("quantity", [typeof(string)], args => new ResourceQuantity((string)args[0]!));
        environment.RegisterFunction("compareTo", [typeof(ResourceQuantity), typeof(ResourceQuantity)],
            args => (long)((ResourceQuantity)args[0]!).ToDecimal().CompareTo(((ResourceQuantity)args[1]!).ToDecimal()));
        // And of cel-go's strings extension, which the API server enables and the Cel library lacks: substring(start) counts code
        // points and fails when start is out of range.
        environment.RegisterFunction("substring", [typeof(string), typeof(long)], args =>
        {
            var runes = ((string)args[0]!).EnumerateRunes().ToArray();
            var start = (long)args[1]!;
            Assert.InRange(start, 0, runes.Length);
            return string.Concat(runes.Skip((int)start).Select(r => r.ToString()));
        });
        var result = environment.Compile(expression)(bindings);
        // The library returns a marker instead of throwing when a key is selected without has(); the API server would fail.
        Assert.True(result is bool, $"'{expression}' gave {result} ({result?.GetType().Name}) instead of a boolean");
        return result!;
    }

    /// <summary>YAML as the nested maps and lists the Cel library evaluates: plain booleans and integers typed as Kubernetes would.</summary>
    public static object? ToCel(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ToCel(e.Value)),
        YamlSequenceNode s => s.Children.Select(ToCel).ToList(),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" } => true,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "false" } => false,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: { } v } when long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        YamlScalarNode scalar => scalar.Value,
        _ => null,
    };
}

/// <summary>A sample object: its YAML, the same as CEL sees it, and as the KubernetesClient model.</summary>
public sealed class Workload
{
    private Workload(string yaml)
    {
        Yaml = yaml;
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        Cel = (Dictionary<string, object?>)PolicyHarness.ToCel(stream.Documents[0].RootNode)!;
    }

    public string Yaml { get; }

    /// <summary>A sample read from YAML (for example a model written with <c>SandboxManifest.ToYaml</c>).</summary>
    public static Workload FromYaml(string yaml) => new(yaml);

    public Dictionary<string, object?> Cel { get; }

    public IKubernetesObject Typed => SandboxManifest.Read(Yaml, "sample.yaml").Single();

    public override string ToString() => Yaml;

    /// <summary>
    /// A workload of <paramref name="kind"/> whose pod spec has the lines of <paramref name="spec"/> and the containers of
    /// <paramref name="containers"/> (YAML list items); metadata and template metadata lines as given.
    /// </summary>
    public static Workload Of(string kind, string spec = "", string? annotations = null, string? templateAnnotations = null,
        string? containers = null, string? metadata = null, string? templateLabels = null, string name = "x")
    {
        static string Block(string? lines, int indent) =>
            lines is null or "" ? "" : string.Join("", lines.Split('\n').Select(l => new string(' ', indent) + l + "\n"));
        var podSpec = Block(spec, 2) + "  containers:\n" + Block(containers ?? "- {name: app, image: nginx}", 2);
        var templateMetadata = (templateAnnotations is null ? "" : "  annotations:\n" + Block(templateAnnotations, 4))
            + (templateLabels is null ? "" : "  labels:\n" + Block(templateLabels, 4));
        var template = "template:\n" + Block((templateMetadata.Length == 0 ? "" : "metadata:\n" + templateMetadata.TrimEnd('\n') + "\n") + "spec:\n" + podSpec.TrimEnd('\n'), 2);
        var (apiVersion, body) = kind switch
        {
            "Pod" => ("v1", "spec:\n" + podSpec),
            "CronJob" => ("batch/v1", "spec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n" + Block(template.TrimEnd('\n'), 6)),
            "Job" or "ReplicationController" => (kind == "Job" ? "batch/v1" : "v1", "spec:\n" + Block(template.TrimEnd('\n'), 2)),
            _ => ("apps/v1", "spec:\n  selector: {matchLabels: {app: x}}\n" + Block(template.TrimEnd('\n'), 2)),
        };
        var yaml = $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: tenant\n" +
            Block(metadata, 2) + (annotations is null ? "" : "  annotations:\n" + Block(annotations, 4)) + body;
        return new Workload(yaml);
    }
}
