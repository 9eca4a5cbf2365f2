using static Sandboxing.Sdk.Tests.Policies.PolicyHarness;

namespace Sandboxing.Sdk.Tests.Policies;

/// <summary>The checks beyond the class, opt-in by profile, each refused with its catalog ID on every kind and admitted when fixed.</summary>
public class CheckTests
{
    public static readonly TheoryData<string> AllKinds = new(Kinds);

    private static readonly SandboxPolicy Hardened = SandboxPolicy.RequireSandbox().WithChecks(SandboxPolicyChecks.Hardened);

    private const string Sized = "resources: {limits: {memory: 256Mi}}";

    /// <summary>A pod spec that passes every check.</summary>
    private static string Good(string extra = "") =>
        "runtimeClassName: kata-vm-isolation\nautomountServiceAccountToken: false" + (extra.Length == 0 ? "" : "\n" + extra);

    private static Workload Of(string kind, string spec, string? containers = null, string? templateLabels = null, string? metadata = null) =>
        Workload.Of(kind, spec, containers: containers ?? $"- {{name: app, image: nginx, {Sized}}}", templateLabels: templateLabels, metadata: metadata);

    public static TheoryData<string, string, string?, string> Violations()
    {
        var data = new TheoryData<string, string, string?, string>();
        var cases = new (string Spec, string? Containers, string Rule)[]
        {
            (Good("hostNetwork: true"), null, "SBX2001"),
            (Good("hostPID: true"), null, "SBX2002"),
            (Good("hostIPC: true"), null, "SBX2002"),
            (Good("shareProcessNamespace: true"), null, "SBX2002"),
            (Good(), $"- {{name: app, image: nginx, {Sized}, securityContext: {{privileged: true}}}}", "SBX2003"),
            (Good($"initContainers:\n- {{name: init, image: busybox, {Sized}, securityContext: {{privileged: true}}}}"), null, "SBX2003"),
            (Good("ephemeralContainers:\n- {name: debug, image: busybox, securityContext: {privileged: true}}"), null, "SBX2003"),
            (Good("volumes:\n- {name: host, hostPath: {path: /var/run}}"), null, "SBX2004"),
            (Good(), "- {name: app, image: nginx}", "SBX2005"),
            (Good(), "- {name: app, image: nginx, resources: {limits: {cpu: '1'}}}", "SBX2005"),
            (Good("initContainers:\n- {name: init, image: busybox}"), null, "SBX2005"),
            (Good(), "- {name: app, image: nginx, resources: {limits: {memory: 64Mi}}}", "SBX2007"),
            (Good(), "- {name: app, image: nginx, resources: {limits: {memory: '100000000'}}}", "SBX2007"),
            (Good($"initContainers:\n- {{name: init, image: busybox, resources: {{limits: {{memory: 127Mi}}}}}}"), null, "SBX2007"),
            ("runtimeClassName: kata-vm-isolation", null, "SBX4006"),
            ("runtimeClassName: kata-vm-isolation\nautomountServiceAccountToken: true", null, "SBX4006"),
            (Good("volumes:\n- name: token\n  projected:\n    sources:\n    - serviceAccountToken: {path: token, audience: vault}"), null, "SBX4006"),
        };
        foreach (var kind in Kinds)
        {
            foreach (var (spec, containers, rule) in cases)
            {
                data.Add(kind, spec, containers, rule);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Violations))]
    public void Each_violation_is_refused_with_its_rule_id_only_when_its_check_is_chosen(string kind, string spec, string? containers, string rule)
    {
        var workload = Of(kind, spec, containers);
        Assert.StartsWith(rule + ":", Assert.Single(Failures(Hardened, workload)));
        // The default profile (Kata) checks only the host network.
        Assert.Equal(rule == "SBX2001", Failures(SandboxPolicy.RequireSandbox(), workload).Count == 1);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void A_compliant_workload_passes_every_check(string kind)
    {
        Assert.True(Admits(Hardened, Of(kind, Good())));
        Assert.True(Admits(Hardened, Of(kind, Good(), containers: "- {name: app, image: nginx, resources: {limits: {memory: 128Mi}}}")));
        Assert.True(Admits(Hardened, Of(kind, Good(), containers: "- {name: app, image: nginx, resources: {limits: {memory: 1Gi}}, securityContext: {privileged: false}}")));
        Assert.True(Admits(Hardened, Of(kind, Good("volumes:\n- {name: scratch, emptyDir: {}}\n- name: cfg\n  projected:\n    sources:\n    - configMap: {name: cfg}"))));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void The_workload_identity_token_is_allowed_only_on_labelled_pods_with_its_audience(string kind)
    {
        const string token = "volumes:\n- name: azure-identity-token\n  projected:\n    sources:\n    - serviceAccountToken: {path: azure-identity-token, audience: 'api://AzureADTokenExchange', expirationSeconds: 3600}";
        const string label = "azure.workload.identity/use: 'true'";
        var labelled = kind == "Pod"
            ? Of(kind, Good(token), metadata: "labels:\n  " + label)
            : Of(kind, Good(token), templateLabels: label);
        Assert.True(Admits(Hardened, labelled));
        Assert.False(Admits(Hardened, Of(kind, Good(token))));
        Assert.False(Admits(Hardened, kind == "Pod"
            ? Of(kind, Good(token.Replace("api://AzureADTokenExchange", "api://other", StringComparison.Ordinal)), metadata: "labels:\n  " + label)
            : Of(kind, Good(token.Replace("api://AzureADTokenExchange", "api://other", StringComparison.Ordinal)), templateLabels: label)));
    }

    [Fact]
    public void Kubectl_debug_is_judged_on_its_containers_only()
    {
        var vap = Hardened.ToValidatingAdmissionPolicy();
        Assert.Contains(vap.Spec.MatchConstraints.ResourceRules, r => r.Resources.SequenceEqual(["pods/ephemeralcontainers"]) && r.Operations.SequenceEqual(["UPDATE"]));
        var debug = new AdmissionRequest(Operation: "UPDATE", SubResource: "ephemeralcontainers");
        // An old pod without a class can still be debugged, but not with a privileged debug container.
        Assert.True(Admits(Hardened, Workload.Of("Pod", "ephemeralContainers:\n- {name: debug, image: busybox}"), debug));
        Assert.StartsWith("SBX2003:", Assert.Single(Failures(Hardened, Workload.Of("Pod", "ephemeralContainers:\n- {name: debug, image: busybox, securityContext: {privileged: true}}"), debug)));
        var everything = Workload.Of("Pod", "hostNetwork: true\nhostPID: true\nvolumes:\n- {name: h, hostPath: {path: /}}\nephemeralContainers:\n- {name: debug, image: busybox, securityContext: {privileged: true}}");
        Assert.Equal(["SBX1001", "SBX2001", "SBX2002", "SBX2003", "SBX2004", "SBX2005", "SBX4006"], Failures(Hardened, everything).Select(m => m[..7]).Order(StringComparer.Ordinal));
        Assert.Equal(["SBX2003"], Failures(Hardened, everything, debug).Select(m => m[..7]));
        // Without a container check the subresource is not matched at all.
        Assert.DoesNotContain(SandboxPolicy.RequireSandbox().ToValidatingAdmissionPolicy().Spec.MatchConstraints.ResourceRules, r => r.Resources.Contains("pods/ephemeralcontainers"));
    }
}
