using System.Text;
using System.Text.Json.Nodes;
using Sandboxing.Sdk.Aks;
using Sandboxing.Sdk.Tests.NodePools;
using Sandboxing.Sdk.Tests.Policies;
using YamlDotNet.RepresentationModel;
using static Sandboxing.Sdk.Tests.Policies.PolicyHarness;

namespace Sandboxing.Sdk.Tests.Fleet;

/// <summary>
/// Azure Policy for Kubernetes: the ConstraintTemplate shipped inside the definition agrees with the ValidatingAdmissionPolicy on
/// the policy fixtures (same CEL harness), the Assign sets the class only where none is set, and the Bicep compiles.
/// </summary>
public class SandboxAzurePolicyTests
{
    private static readonly SandboxPolicy Hardened = SandboxPolicy.RequireSandbox().WithChecks(SandboxPolicyChecks.Hardened)
        .WithExemptUsers("alice@example.com").WithExemptGroups("platform-ops").WithExemptServiceAccounts("ci/deployer")
        .WithExemptionConfigMap("sandboxing-system");

    /// <summary>The template as shipped: decoded from the definition's <c>templateInfo</c>.</summary>
    private static Dictionary<string, object?> ShippedTemplate(SandboxPolicy policy)
    {
        var info = SandboxAzurePolicy.For(policy).ValidateDefinition()["policyRule"]!["then"]!["details"]!["templateInfo"]!;
        Assert.Equal("Base64Encoded", (string?)info["sourceType"]);
        var stream = new YamlStream();
        stream.Load(new StringReader(Encoding.UTF8.GetString(Convert.FromBase64String((string)info["content"]!))));
        return (Dictionary<string, object?>)ToCel(stream.Documents[0].RootNode)!;
    }

    private static IReadOnlyList<string> TemplateFailures(SandboxPolicy policy, Workload workload, AdmissionRequest? request = null,
        IDictionary<string, string>? exemptWorkloads = null) =>
        TemplateFailures(policy, workload, request, new Dictionary<string, object?>
        {
            ["exemptWorkloads"] = (exemptWorkloads ?? new Dictionary<string, string>()).ToDictionary(p => p.Key, p => (object?)p.Value),
        });

    /// <summary>With the constraint's parameters as written: null when the constraint has none.</summary>
    private static IReadOnlyList<string> TemplateFailures(SandboxPolicy policy, Workload workload, AdmissionRequest? request,
        Dictionary<string, object?>? parameters)
    {
        var template = ShippedTemplate(policy);
        var target = (Dictionary<string, object?>)((List<object?>)((Dictionary<string, object?>)template["spec"]!)["targets"]!)[0]!;
        var code = (Dictionary<string, object?>)((List<object?>)target["code"]!).Single()!;
        Assert.Equal("K8sNativeValidation", code["engine"]);
        var source = (Dictionary<string, object?>)code["source"]!;
        var variables = ((List<object?>)(source.GetValueOrDefault("variables") ?? new List<object?>())).Cast<Dictionary<string, object?>>()
            .Select(v => ((string)v["name"]!, (string)v["expression"]!)).ToList();
        var validations = ((List<object?>)source["validations"]!).Cast<Dictionary<string, object?>>()
            .Select(v => ((string)v["expression"]!, (string)v["message"]!)).ToList();
        return GatekeeperFailures(variables, validations, workload, request, parameters);
    }

    public static TheoryData<string, string, string?> Fixtures()
    {
        var data = new TheoryData<string, string, string?>();
        foreach (var row in CheckTests.Violations())
        {
            data.Add((string)row[0], (string)row[1], (string?)row[2]);
        }

        foreach (var kind in Kinds)
        {
            data.Add(kind, "", "- {name: app, image: nginx, resources: {limits: {memory: 256Mi}}}");
            data.Add(kind, "runtimeClassName: runc\nautomountServiceAccountToken: false", "- {name: app, image: nginx, resources: {limits: {memory: 256Mi}}}");
            data.Add(kind, "runtimeClassName: kata-vm-isolation\nautomountServiceAccountToken: false", "- {name: app, image: nginx, resources: {limits: {memory: 256Mi}}}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_constraint_template_agrees_with_the_validating_admission_policy_on_the_policy_fixtures(string kind, string spec, string? containers)
    {
        var workload = Workload.Of(kind, spec, containers: containers);
        Assert.Equal(Failures(Hardened, workload), TemplateFailures(Hardened, workload));
        Assert.Equal(Failures(Hardened, workload, new AdmissionRequest(User: "alice@example.com")), TemplateFailures(Hardened, workload, new AdmissionRequest(User: "alice@example.com")));
        Assert.Empty(TemplateFailures(Hardened, workload, new AdmissionRequest(Groups: ["platform-ops"])));
        Assert.Empty(TemplateFailures(Hardened, workload, new AdmissionRequest(User: "system:serviceaccount:ci:deployer")));
    }

    [Theory]
    [MemberData(nameof(CheckTests.AllKinds), MemberType = typeof(CheckTests))]
    public void A_workload_exempt_in_the_parameter_is_admitted_as_an_entry_of_the_exemption_configmap_is(string kind)
    {
        var bad = Workload.Of(kind, spec: "hostNetwork: true");
        var entry = new Dictionary<string, string> { ["tenant.x"] = "needs the host network" };
        Assert.NotEmpty(TemplateFailures(Hardened, bad));
        Assert.Equal(Failures(Hardened, bad, configMap: entry), TemplateFailures(Hardened, bad, exemptWorkloads: entry));
        Assert.Empty(TemplateFailures(Hardened, bad, exemptWorkloads: entry));
        Assert.NotEmpty(TemplateFailures(Hardened, bad, exemptWorkloads: new Dictionary<string, string> { ["tenant.x"] = "  " }));
        Assert.NotEmpty(TemplateFailures(Hardened, bad, exemptWorkloads: new Dictionary<string, string> { ["other.x"] = "reason" }));
    }

    [Fact]
    public void A_constraint_without_parameters_or_without_exempt_workloads_exempts_nothing()
    {
        var bad = Workload.Of("Pod", spec: "hostNetwork: true");
        var expected = Failures(Hardened, bad);
        Assert.Contains(expected, m => m.StartsWith("SBX2001", StringComparison.Ordinal));
        // Gatekeeper binds variables.params to the constraint's spec.parameters: null when the constraint sets none. The Cel
        // library reads has() on null as false where cel-go fails, so the template's null guard is held by its golden file.
        Assert.Equal(expected, TemplateFailures(Hardened, bad, request: null, parameters: null));
        Assert.Equal(expected, TemplateFailures(Hardened, bad, request: null, parameters: new Dictionary<string, object?>()));
    }

    [Fact]
    public void A_pod_update_is_not_judged_as_the_admission_policy_matches_pods_only_on_create_but_kubectl_debug_is()
    {
        var old = Workload.Of("Pod", spec: "hostNetwork: true");
        Assert.NotEmpty(TemplateFailures(Hardened, old));
        Assert.Empty(TemplateFailures(Hardened, old, new AdmissionRequest(Operation: "UPDATE")));
        var debug = Workload.Of("Pod", spec: "runtimeClassName: kata-vm-isolation\nautomountServiceAccountToken: false\n" +
            "ephemeralContainers:\n- {name: debug, image: busybox, securityContext: {privileged: true}}", containers: "- {name: app, image: nginx, resources: {limits: {memory: 256Mi}}}");
        var request = new AdmissionRequest(Operation: "UPDATE", SubResource: "ephemeralcontainers");
        Assert.Equal(Failures(Hardened, debug, request), TemplateFailures(Hardened, debug, request));
        Assert.Contains(TemplateFailures(Hardened, debug, request), m => m.StartsWith("SBX2003", StringComparison.Ordinal));
    }

    [Fact]
    public void The_template_reads_no_namespace_labels_and_names_its_kind_in_lower_case()
    {
        var policy = Hardened.WithExemptNamespaceLabel();
        var yaml = SandboxAzurePolicy.For(policy).ConstraintTemplateYaml();
        Assert.DoesNotContain("namespaceObject", yaml, StringComparison.Ordinal);
        Assert.Contains("name: sandboxingrequireruntimeclass", yaml, StringComparison.Ordinal);
        Assert.Contains("kind: SandboxingRequireRuntimeClass", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void The_definitions_use_the_kubernetes_mode_the_policys_effect_and_its_namespaces()
    {
        var json = JsonNode.Parse(SandboxFleet.For(Hardened.WithMode(SandboxPolicyMode.Audit).WithAllNamespacesExcept("kube-system", "legacy")).ToAzurePolicyJson())!;
        var validate = json["policyDefinitions"]![0]!["properties"]!;
        Assert.Equal("Microsoft.Kubernetes.Data", (string?)validate["mode"]);
        Assert.Equal("Audit", (string?)validate["parameters"]!["effect"]!["defaultValue"]);
        Assert.Contains("legacy", validate["parameters"]!["excludedNamespaces"]!["defaultValue"]!.AsArray().Select(n => (string?)n));
        var details = validate["policyRule"]!["then"]!["details"]!;
        Assert.Equal(["", "apps", "batch"], details["apiGroups"]!.AsArray().Select(n => (string?)n));
        Assert.Contains("CronJob", details["kinds"]!.AsArray().Select(n => (string?)n));
        Assert.Single(json["policyDefinitions"]!.AsArray()); // no mutate definition: the policy does not default
        Assert.Equal("{scope}/providers/Microsoft.Authorization/policySetDefinitions/" + Hardened.Name, (string?)json["policyAssignment"]!["properties"]!["policyDefinitionId"]);
    }

    [Fact]
    public void The_assign_sets_the_runtime_class_only_on_pods_without_one()
    {
        var policy = SandboxPolicy.DefaultToSandbox();
        var mutate = JsonNode.Parse(SandboxFleet.For(policy).ToAzurePolicyJson())!["policyDefinitions"]![1]!["properties"]!;
        Assert.Equal("Mutate", (string?)mutate["parameters"]!["effect"]!["defaultValue"]);
        var info = mutate["policyRule"]!["then"]!["details"]!["mutationInfo"]!;
        var yaml = Encoding.UTF8.GetString(Convert.FromBase64String((string)info["content"]!));
        var assign = (UnstructuredObject)SandboxManifest.Read(yaml, "assign.yaml").Single();
        Assert.Equal(("mutations.gatekeeper.sh/v1", "Assign"), (assign.ApiVersion, assign.Kind));
        Assert.Equal("spec.runtimeClassName", assign.Get("spec.location"));
        Assert.Equal(KnownRuntimeClasses.Default, assign.Get("spec.parameters.assign.value"));
        var test = (IDictionary<string, object?>)((IList<object?>)assign.Get("spec.parameters.pathTests")!).Single()!;
        Assert.Equal("MustNotExist", test["condition"]);
    }

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Bicep_builds_without_diagnostics_at_each_scope(bool subscriptionScope, bool defaults)
    {
        var policy = defaults ? SandboxPolicy.DefaultToSandbox().WithExemptionConfigMap("sandboxing-system") : Hardened;
        var (json, diagnostics, exitCode) = BicepCompiler.Build(SandboxFleet.For(policy).ToAzurePolicyBicep(subscriptionScope), "azure-policy-" + subscriptionScope);
        Assert.True(exitCode == 0, $"bicep build failed ({exitCode}):\n{diagnostics}");
        Assert.True(diagnostics.Trim().Length == 0, $"bicep build reported diagnostics:\n{diagnostics}");
        var template = JsonNode.Parse(json)!;
        var resources = template["resources"]!.AsArray();
        Assert.Equal(defaults ? 4 : 3, resources.Count);
        var definition = resources.Single(r => (string?)r!["type"] == "Microsoft.Authorization/policyDefinitions" && (string?)r!["name"] == policy.Name)!;
        // A string that starts with '[' is escaped by Bicep, so Azure Policy (not ARM) reads the parameter at assignment time.
        Assert.Equal("[[parameters('effect')]", (string?)definition["properties"]!["policyRule"]!["then"]!["effect"]);
        Assert.Contains(!subscriptionScope ? "managementGroupDeploymentTemplate" : "subscriptionDeploymentTemplate", (string?)template["$schema"], StringComparison.Ordinal);
    }
}
