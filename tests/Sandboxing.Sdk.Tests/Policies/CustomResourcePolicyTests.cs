using System.Runtime.CompilerServices;
using Xunit;
using static Sandboxing.Sdk.Tests.Policies.PolicyHarness;

namespace Sandboxing.Sdk.Tests.Policies;

/// <summary>
/// The validating policy on custom resources that carry pod templates, evaluated with CEL on every example of the registry's
/// fixture: refused without the class, admitted once sandboxed, each pod spec of a multi-spec kind checked.
/// </summary>
public class CustomResourcePolicyTests
{
    private static readonly SandboxPolicy Covering = SandboxPolicy.RequireSandbox()
        .WithCustomResources([.. PodTemplateRegistry.Default.CustomResources]);

    private static string Fixture([CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "Manifests", "Fixtures", "custom-resources.yaml"));

    private static IEnumerable<string> Documents(string yaml) =>
        yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n---\n").Where(d => d.Contains("kind:", StringComparison.Ordinal));

    [Fact]
    public void Every_custom_resource_without_a_class_is_refused_with_SBX1001_and_admitted_once_sandboxed()
    {
        var documents = Documents(Fixture()).ToList();
        Assert.Equal(30, documents.Count);
        foreach (var document in documents)
        {
            var failures = Failures(Covering, Workload.FromYaml(document));
            Assert.Contains(failures, m => m.StartsWith("SBX1001", StringComparison.Ordinal));

            var objects = SandboxManifest.Read(document, "cr.yaml").ToList();
            objects.Sandbox();
            Assert.Empty(Failures(Covering, Workload.FromYaml(SandboxManifest.ToYaml(objects))));
        }
    }

    [Fact]
    public void A_tekton_run_s_partial_pod_template_is_refused_without_the_class_and_admitted_with_it_though_it_has_no_containers()
    {
        const string run = """
            apiVersion: tekton.dev/v1
            kind: TaskRun
            metadata: {name: build-1, namespace: ci}
            spec:
              taskRef: {name: build}
              podTemplate:
                nodeSelector: {kubernetes.io/os: linux}
            """;
        Assert.Contains(Failures(Covering, Workload.FromYaml(run)), m => m.StartsWith("SBX1001", StringComparison.Ordinal));
        var sandboxed = run.Replace("    nodeSelector:", "    runtimeClassName: kata-vm-isolation\n    nodeSelector:", StringComparison.Ordinal);
        Assert.Empty(Failures(Covering, Workload.FromYaml(sandboxed)));
        Assert.Contains(Failures(Covering, Workload.FromYaml(sandboxed.Replace("kata-vm-isolation", "runc", StringComparison.Ordinal))),
            m => m.StartsWith("SBX1002", StringComparison.Ordinal));
    }

    [Theory]
    // A template kind's pods carry the template's labels; a Tekton run's pods carry the run's own.
    [InlineData("argoproj.io/v1alpha1", "Rollout", "spec.template.spec", "spec.template.metadata", true)]
    [InlineData("argoproj.io/v1alpha1", "Rollout", "spec.template.spec", "metadata", false)]
    [InlineData("tekton.dev/v1", "TaskRun", "spec.podTemplate", "metadata", true)]
    [InlineData("tekton.dev/v1", "TaskRun", "spec.podTemplate", "spec.podTemplate.metadata", false)]
    public void The_workload_identity_label_of_a_custom_resource_is_read_where_its_pods_get_their_labels(
        string apiVersion, string kind, string specPath, string labelledAt, bool admitted)
    {
        var policy = SandboxPolicy.RequireSandbox().WithChecks(SandboxPolicyChecks.Kata | SandboxPolicyChecks.ServiceAccountToken)
            .WithCustomResources([.. PodTemplateRegistry.Default.CustomResources.Where(k => k.Kind is "Rollout" or "TaskRun")]);
        var spec = new Dictionary<string, object?>
        {
            ["runtimeClassName"] = "kata-vm-isolation",
            ["automountServiceAccountToken"] = false,
            ["containers"] = new List<object?> { new Dictionary<string, object?> { ["name"] = "app", ["image"] = "busybox:1.36" } },
            ["volumes"] = new List<object?>
            {
                new Dictionary<string, object?>
                {
                    ["name"] = "azure-identity-token",
                    ["projected"] = new Dictionary<string, object?>
                    {
                        ["sources"] = new List<object?> { new Dictionary<string, object?> { ["serviceAccountToken"] = new Dictionary<string, object?> { ["audience"] = "api://AzureADTokenExchange", ["path"] = "token" } } },
                    },
                },
            },
        };
        var root = new Dictionary<string, object?> { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = new Dictionary<string, object?> { ["name"] = "w", ["namespace"] = "tenant" } };
        Place(root, specPath, spec);
        Place(root, labelledAt, new Dictionary<string, object?> { ["labels"] = new Dictionary<string, object?> { ["azure.workload.identity/use"] = "true" } });

        var failures = Failures(policy, Workload.FromYaml(System.Text.Json.JsonSerializer.Serialize(root)));
        Assert.Equal(!admitted, failures.Any(m => m.StartsWith("SBX4006", StringComparison.Ordinal)));
    }

    private static void Place(Dictionary<string, object?> root, string path, Dictionary<string, object?> value)
    {
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            node = (Dictionary<string, object?>)(node.TryGetValue(part, out var next) && next is not null ? next : node[part] = new Dictionary<string, object?>());
        }

        if (node.TryGetValue(parts[^1], out var existing) && existing is Dictionary<string, object?> map)
        {
            foreach (var (k, v) in value)
            {
                map[k] = v;
            }
        }
        else
        {
            node[parts[^1]] = value;
        }
    }

    [Fact]
    public void Each_pod_spec_of_a_multi_spec_kind_is_checked_so_one_bad_worker_is_refused()
    {
        const string job = """
            apiVersion: kubeflow.org/v1
            kind: PyTorchJob
            metadata: {name: mnist, namespace: ml}
            spec:
              pytorchReplicaSpecs:
                Master:
                  template:
                    spec:
                      runtimeClassName: kata-vm-isolation
                      containers: [{name: pytorch, image: pytorch, resources: {limits: {memory: 2Gi}}}]
                Worker:
                  template:
                    spec:
                      runtimeClassName: kata-vm-isolation
                      hostNetwork: true
                      containers: [{name: pytorch, image: pytorch, resources: {limits: {memory: 2Gi}}}]
            """;
        Assert.Contains(Failures(Covering, Workload.FromYaml(job)), m => m.StartsWith("SBX2001", StringComparison.Ordinal));
        Assert.Empty(Failures(Covering, Workload.FromYaml(job.Replace("hostNetwork: true", "hostNetwork: false", StringComparison.Ordinal))));

        const string jobSet = """
            apiVersion: jobset.x-k8s.io/v1alpha2
            kind: JobSet
            metadata: {name: t, namespace: ml}
            spec:
              replicatedJobs:
                - name: a
                  template: {spec: {template: {spec: {runtimeClassName: kata-vm-isolation, containers: [{name: a, image: busybox, resources: {limits: {memory: 256Mi}}}]}}}}
                - name: b
                  template: {spec: {template: {spec: {runtimeClassName: runc, containers: [{name: b, image: busybox, resources: {limits: {memory: 256Mi}}}]}}}}
            """;
        Assert.Contains(Failures(Covering, Workload.FromYaml(jobSet)), m => m.StartsWith("SBX1002", StringComparison.Ordinal));
    }

    [Fact]
    public void A_kind_of_the_same_name_in_another_API_group_is_judged_as_a_pod_not_by_the_covered_kind_s_paths()
    {
        const string run = """
            apiVersion: {0}
            kind: TaskRun
            metadata: {name: build-1, namespace: ci}
            spec:
              runtimeClassName: kata-vm-isolation
              containers: [{name: app, image: busybox, resources: {limits: {memory: 256Mi}}}]
              podTemplate:
                nodeSelector: {kubernetes.io/os: linux}
            """;
        // Tekton's run: its partial pod template has no class.
        Assert.Contains(Failures(Covering, Workload.FromYaml(run.Replace("{0}", "tekton.dev/v1", StringComparison.Ordinal))),
            m => m.StartsWith("SBX1001", StringComparison.Ordinal));
        // Another group's TaskRun is not Tekton's: its spec is read as a pod spec, which names the class.
        Assert.Empty(Failures(Covering, Workload.FromYaml(run.Replace("{0}", "example.com/v1", StringComparison.Ordinal))));
        Assert.Empty(Failures(Covering, Workload.FromYaml(run.Replace("{0}", "tekton.devx/v1", StringComparison.Ordinal))));
    }

    [Fact]
    public void A_defaulting_policy_admits_a_custom_resource_template_without_a_class_and_still_refuses_a_host_kernel_class()
    {
        // The mutating policy adds the class to the pods the template makes, as for a Deployment's template.
        var defaulting = SandboxPolicy.DefaultToSandbox().WithCustomResources([.. PodTemplateRegistry.Default.CustomResources]);
        const string rollout = """
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata: {name: web, namespace: shop}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: nginx, resources: {limits: {memory: 256Mi}}}]
            """;
        Assert.Empty(Failures(defaulting, Workload.FromYaml(rollout)));
        Assert.Contains(Failures(Covering, Workload.FromYaml(rollout)), m => m.StartsWith("SBX1001", StringComparison.Ordinal));
        var runc = rollout.Replace("    spec:\n      containers", "    spec:\n      runtimeClassName: runc\n      containers", StringComparison.Ordinal);
        Assert.NotEqual(rollout, runc);
        Assert.Contains(Failures(defaulting, Workload.FromYaml(runc)), m => m.StartsWith("SBX1002", StringComparison.Ordinal));
    }

    [Fact]
    public void A_Rollout_that_takes_its_pods_from_a_Deployment_has_no_template_to_check_and_is_admitted()
    {
        const string rollout = """
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata: {name: web, namespace: shop}
            spec:
              workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}
            """;
        Assert.Empty(Failures(Covering, Workload.FromYaml(rollout)));
    }

    [Fact]
    public void The_policy_matches_the_covered_resources_and_nothing_more_by_default()
    {
        var rules = SandboxPolicy.RequireSandbox().ToValidatingAdmissionPolicy().Spec.MatchConstraints.ResourceRules;
        Assert.DoesNotContain(rules, r => r.ApiGroups.Contains("argoproj.io"));

        var covered = Covering.ToValidatingAdmissionPolicy().Spec.MatchConstraints.ResourceRules;
        var kubeflow = Assert.Single(covered, r => r.ApiGroups.Single() == "kubeflow.org");
        Assert.Equal(["pytorchjobs", "tfjobs", "xgboostjobs", "paddlejobs", "jaxjobs", "mpijobs"], kubeflow.Resources);
        Assert.Equal(["*"], kubeflow.ApiVersions);
        Assert.Equal(["CREATE", "UPDATE"], kubeflow.Operations);
        Assert.Contains(covered, r => r.ApiGroups.Single() == "agents.x-k8s.io" && r.Resources.SequenceEqual(["sandboxes"]));
    }

    [Fact]
    public void Kyverno_covers_the_kinds_a_pattern_can_reach_and_leaves_map_keyed_kinds_to_the_Pod_rules()
    {
        var policy = Covering.ToKyvernoValidatePolicy();
        var rules = ((IEnumerable<object?>)((IDictionary<string, object?>)policy["spec"]!)["rules"]!).Cast<IDictionary<string, object?>>()
            .ToDictionary(r => (string)r["name"]!);
        var sandbox = rules["allowed-runtime-class-sandbox"];
        var pattern = (IDictionary<string, object?>)((IDictionary<string, object?>)sandbox["validate"]!)["pattern"]!;
        Assert.True(pattern.ContainsKey("=(spec)"));
        Assert.Contains("allowed-runtime-class-jobset", rules.Keys);
        Assert.Contains("allowed-runtime-class-raycluster-1", rules.Keys);
        Assert.DoesNotContain(rules.Keys, k => k.Contains("pytorchjob", StringComparison.Ordinal));
        var kinds = (IEnumerable<object?>)((IDictionary<string, object?>)((IDictionary<string, object?>)((IEnumerable<object?>)((IDictionary<string, object?>)sandbox["match"]!)["any"]!).First()!)["resources"]!)["kinds"]!;
        Assert.Equal("agents.x-k8s.io/*/Sandbox", Assert.Single(kinds));
    }

    [Fact]
    public void Kinds_the_policy_cannot_read_are_refused_when_covered()
    {
        Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithCustomResources(PodTemplateRegistry.Default.Kinds[0]));
        var dashed = new PodTemplateKind("example.com", "Thing", "things", "spec.pod-template.spec");
        var e = Assert.Throws<ArgumentException>(() => SandboxPolicy.RequireSandbox().WithCustomResources(dashed));
        Assert.Contains("pod-template", e.Message, StringComparison.Ordinal);
    }
}
