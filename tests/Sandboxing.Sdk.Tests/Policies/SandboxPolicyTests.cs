using System.Globalization;
using Cel;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Sandboxing.Sdk.Manifests;
using Sandboxing.Sdk.Policies;

namespace Sandboxing.Sdk.Tests.Policies;

/// <summary>
/// Evaluates every CEL expression of the generated ValidatingAdmissionPolicy with the Cel library against objects the policy
/// must admit and objects it must refuse, for every kind it matches.
/// </summary>
public class SandboxPolicyTests
{
    public static readonly TheoryData<string> Kinds = new(["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"]);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Allowed_classes_are_admitted_and_missing_or_other_classes_refused(string kind)
    {
        var policy = SandboxPolicy.RequireSandbox("kata-vm-isolation", "kata-clh");
        Assert.True(Admits(policy, Workload(kind, spec: "runtimeClassName: kata-vm-isolation")));
        Assert.True(Admits(policy, Workload(kind, spec: "runtimeClassName: kata-clh")));
        Assert.False(Admits(policy, Workload(kind, spec: "")));
        Assert.False(Admits(policy, Workload(kind, spec: "runtimeClassName: runc")));
        Assert.False(Admits(policy, Workload(kind, spec: "runtimeClassName: ''")));
        Assert.False(Admits(policy, Workload(kind, spec: "runtimeClassName: kata-mshv-vm-isolation")));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Host_network_is_refused_unless_the_rule_is_left_out(string kind)
    {
        var policy = SandboxPolicy.RequireSandbox();
        var hostNetwork = Workload(kind, spec: "runtimeClassName: kata-vm-isolation\nhostNetwork: true");
        Assert.False(Admits(policy, hostNetwork));
        Assert.True(Admits(policy, Workload(kind, spec: "runtimeClassName: kata-vm-isolation\nhostNetwork: false")));
        Assert.True(Admits(policy.RefusingHostNetwork(false), hostNetwork));
        Assert.Single(policy.RefusingHostNetwork(false).ToValidatingAdmissionPolicy().Spec.Validations);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Exemptions_with_a_reason_are_honoured_on_the_object_or_its_template(string kind)
    {
        var policy = SandboxPolicy.RequireSandbox();
        var onObject = Workload(kind, spec: "hostNetwork: true", annotations: "sandboxing.sdk/exempt: node agent needs the host network");
        Assert.True(Admits(policy, onObject));
        Assert.False(Admits(policy, Workload(kind, spec: "hostNetwork: true", annotations: "sandboxing.sdk/exempt: '  '")));
        Assert.False(Admits(policy, Workload(kind, spec: "hostNetwork: true", annotations: "other: x")));
        Assert.False(Admits(policy.HonouringExemptions(false), onObject));

        if (kind != "Pod")
        {
            var onTemplate = Workload(kind, spec: "", templateAnnotations: "sandboxing.sdk/exempt: legacy image needs runc");
            Assert.True(Admits(policy, onTemplate));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_per_rule_exemption_silences_only_its_rule(string kind)
    {
        var policy = SandboxPolicy.RequireSandbox();
        const string annotation = "sandboxing.sdk/exempt.SBX2001: metrics agent binds host ports";
        Assert.True(Admits(policy, Workload(kind, spec: "runtimeClassName: kata-vm-isolation\nhostNetwork: true", annotations: annotation)));
        Assert.False(Admits(policy, Workload(kind, spec: "hostNetwork: true", annotations: annotation)));
    }

    [Fact]
    public void Every_expression_compiles_and_evaluates_to_a_boolean_on_every_kind()
    {
        var policy = SandboxPolicy.RequireSandbox().ToValidatingAdmissionPolicy();
        var expressions = policy.Spec.Variables.Select(v => v.Expression).Concat(policy.Spec.Validations.Select(v => v.Expression)).ToList();
        Assert.Equal(4, expressions.Count);
        foreach (var kind in new[] { "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob" })
        {
            foreach (var obj in new[] { Workload(kind, ""), Workload(kind, "hostNetwork: true", annotations: "a: b", templateAnnotations: "c: d") })
            {
                var variables = EvaluateVariables(policy, obj);
                foreach (var validation in policy.Spec.Validations)
                {
                    Assert.IsType<bool>(Evaluate(validation.Expression, obj, variables));
                }
            }
        }
    }

    [Fact]
    public void The_policy_matches_every_workload_kind_and_the_binding_selects_namespaces()
    {
        var policy = SandboxPolicy.RequireSandbox().ForNamespacesLabelled("team", "tenants").InMode(SandboxPolicyMode.Audit);
        var vap = policy.ToValidatingAdmissionPolicy();
        var binding = policy.ToValidatingAdmissionPolicyBinding();
        Assert.Equal(("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy"), (vap.ApiVersion, vap.Kind));
        Assert.Equal(("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding"), (binding.ApiVersion, binding.Kind));
        var resources = vap.Spec.MatchConstraints.ResourceRules.SelectMany(r => r.Resources.Select(res => (r.ApiGroups.Single(), res))).ToHashSet();
        Assert.Equal(
            new HashSet<(string, string)> { ("", "pods"), ("", "replicationcontrollers"), ("apps", "deployments"), ("apps", "statefulsets"), ("apps", "daemonsets"), ("apps", "replicasets"), ("batch", "jobs"), ("batch", "cronjobs") },
            resources);
        Assert.All(vap.Spec.MatchConstraints.ResourceRules, r => Assert.Equal(["CREATE", "UPDATE"], r.Operations));
        Assert.Equal("Fail", vap.Spec.FailurePolicy);
        Assert.Equal(vap.Metadata.Name, binding.Spec.PolicyName);
        Assert.Equal(["Warn", "Audit"], binding.Spec.ValidationActions);
        Assert.Equal(["Deny"], policy.InMode(SandboxPolicyMode.Enforce).ToValidatingAdmissionPolicyBinding().Spec.ValidationActions);
        Assert.Equal("tenants", binding.Spec.MatchResources.NamespaceSelector.MatchLabels["team"]);

        var yaml = SandboxManifest.ToYaml(policy);
        var read = SandboxManifest.Read(yaml, "policy.yaml");
        Assert.IsType<V1ValidatingAdmissionPolicy>(read[0]);
        Assert.IsType<V1ValidatingAdmissionPolicyBinding>(read[1]);
        Assert.Equal(yaml, policy.ToYaml());
    }

    [Fact]
    public void Invalid_names_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox("Kata_VM"));
        Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().Named("Bad Name"));
        Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().ForNamespaces());
        Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().ForNamespacesLabelled("bad key!", "x"));
    }

    [Fact]
    public void Kyverno_validate_requires_a_class_and_mutate_adds_one_only_when_absent()
    {
        var policy = SandboxPolicy.RequireSandbox("kata-vm-isolation", "kata-clh").ForAllNamespacesExcept("kube-system");
        var validate = Load(policy.ToKyvernoYaml(), 0);
        var mutate = Load(policy.ToKyvernoYaml(), 1);

        Assert.Equal("kyverno.io/v1", Scalar(validate, "apiVersion"));
        Assert.Equal("ClusterPolicy", Scalar(validate, "kind"));
        Assert.Equal("Enforce", Scalar(validate, "spec.validationFailureAction"));
        var require = Node(validate, "spec.rules[0]");
        Assert.Equal("require-runtime-class", Scalar(require, "name"));
        // A plain key, not the optional anchor "=(runtimeClassName)": a pod without a class fails the pattern.
        Assert.Equal("kata-vm-isolation | kata-clh", Scalar(require, "validate.pattern.spec.runtimeClassName"));
        Assert.Equal("Pod", Scalar(require, "match.any[0].resources.kinds[0]"));
        Assert.Equal("NotIn", Scalar(require, "match.any[0].resources.namespaceSelector.matchExpressions[0].operator"));
        // Label values are strings: "true" must stay quoted, or the selector's map[string]string refuses a boolean.
        var labelled = Node(Load(SandboxPolicy.RequireSandbox().ToKyvernoYaml(), 0), "spec.rules[0].match.any[0].resources.namespaceSelector.matchLabels");
        Assert.Equal(ScalarStyle.DoubleQuoted, ((YamlScalarNode)((YamlMappingNode)labelled).Children[new YamlScalarNode("sandboxing.sdk/enforce")]).Style);
        Assert.Contains("sandboxing.sdk/exempt", Scalar(require, "preconditions.all[0].key"));
        var hostNetwork = Node(validate, "spec.rules[1]");
        Assert.Equal("false", Scalar(hostNetwork, "validate.pattern.spec.=(hostNetwork)"));
        Assert.Contains("sandboxing.sdk/exempt.SBX2001", Scalar(hostNetwork, "preconditions.all[1].key"));

        var add = Node(mutate, "spec.rules[0]");
        Assert.Equal("kata-vm-isolation", Scalar(add, "mutate.patchStrategicMerge.spec.+(runtimeClassName)"));
        Assert.Contains("hostNetwork", Scalar(add, "preconditions.all[1].key"));

        Assert.Equal("Audit", Scalar(Load(policy.InMode(SandboxPolicyMode.Audit).ToKyvernoYaml(), 0), "spec.validationFailureAction"));
        Assert.DoesNotContain("annotations.\"sandboxing.sdk/exempt", policy.HonouringExemptions(false).ToKyvernoYaml());
    }

    [Fact]
    public void Generated_policies_match_the_golden_files()
    {
        var policy = SandboxPolicy.RequireSandbox();
        Golden.Match(policy.ToYaml(), "yaml", "vap");
        Golden.Match(policy.ToKyvernoYaml(), "yaml", "kyverno");
    }

    // ---- evaluation with the Cel library ----

    private static bool Admits(SandboxPolicy policy, Dictionary<string, object?> obj)
    {
        var vap = policy.ToValidatingAdmissionPolicy();
        var variables = EvaluateVariables(vap, obj);
        return vap.Spec.Validations.All(v => Evaluate(v.Expression, obj, variables) is true);
    }

    private static Dictionary<string, object?> EvaluateVariables(V1ValidatingAdmissionPolicy vap, Dictionary<string, object?> obj)
    {
        var variables = new Dictionary<string, object?>();
        foreach (var variable in vap.Spec.Variables ?? [])
        {
            variables[variable.Name] = Evaluate(variable.Expression, obj, variables);
        }

        return variables;
    }

    private static object Evaluate(string expression, Dictionary<string, object?> obj, Dictionary<string, object?> variables)
    {
        var program = new CelEnvironment(null, null).Compile(expression);
        var result = program(new Dictionary<string, object?> { ["object"] = obj, ["variables"] = variables });
        // The library returns a marker instead of throwing when a key is selected without has(); the API server would fail.
        Assert.True(result is bool, $"'{expression}' gave {result} ({result?.GetType().Name}) instead of a boolean");
        return result!;
    }

    /// <summary>A workload of <paramref name="kind"/> whose pod spec has the lines of <paramref name="spec"/>, as CEL sees it.</summary>
    private static Dictionary<string, object?> Workload(string kind, string spec, string? annotations = null, string? templateAnnotations = null)
    {
        string Block(string? lines, int indent) => lines is null or "" ? "" : string.Join("", lines.Split('\n').Select(l => new string(' ', indent) + l + "\n"));
        var podSpec = Block(spec, 2) + "  containers:\n  - {name: app, image: nginx}\n";
        var templateMetadata = templateAnnotations is null ? "" : "metadata:\n  annotations:\n" + Block(templateAnnotations, 4);
        var template = "template:\n" + Block(templateMetadata + "spec:\n" + podSpec.TrimEnd('\n'), 2);
        var (apiVersion, body) = kind switch
        {
            "Pod" => ("v1", "spec:\n" + podSpec),
            "CronJob" => ("batch/v1", "spec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n" + Block(template.TrimEnd('\n'), 6)),
            "Job" or "ReplicationController" => (kind == "Job" ? "batch/v1" : "v1", "spec:\n" + Block(template.TrimEnd('\n'), 2)),
            _ => ("apps/v1", "spec:\n  selector: {matchLabels: {app: x}}\n" + Block(template.TrimEnd('\n'), 2)),
        };
        var yaml = $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  name: x\n  namespace: tenant\n" +
            (annotations is null ? "" : "  annotations:\n" + Block(annotations, 4)) + body;
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (Dictionary<string, object?>)ToCel(stream.Documents[0].RootNode)!;
    }

    /// <summary>YAML as the nested maps and lists the Cel library evaluates: plain booleans and integers typed as Kubernetes would.</summary>
    private static object? ToCel(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ToCel(e.Value)),
        YamlSequenceNode s => s.Children.Select(ToCel).ToList(),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" } => true,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "false" } => false,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: { } v } when long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        YamlScalarNode scalar => scalar.Value,
        _ => null,
    };

    private static YamlNode Load(string yaml, int document)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[document].RootNode;
    }

    private static YamlNode Node(YamlNode root, string path)
    {
        var node = root;
        foreach (var part in path.Split('.'))
        {
            var name = part;
            int? index = null;
            if (part.EndsWith(']') && part.IndexOf('[', StringComparison.Ordinal) is var open and > 0)
            {
                index = int.Parse(part[(open + 1)..^1], CultureInfo.InvariantCulture);
                name = part[..open];
            }

            node = ((YamlMappingNode)node).Children[new YamlScalarNode(name)];
            if (index is { } i)
            {
                node = ((YamlSequenceNode)node).Children[i];
            }
        }

        return node;
    }

    private static string Scalar(YamlNode root, string path) => ((YamlScalarNode)Node(root, path)).Value!;
}
