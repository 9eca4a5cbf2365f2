using static Sandboxing.Sdk.Tests.Policies.PolicyHarness;

namespace Sandboxing.Sdk.Tests.Policies;

/// <summary>
/// Each operator-granted exemption signal (user, group, service account, namespace label, parameter ConfigMap), evaluated with the
/// Cel library on every matched kind: the signal admits, its absence (or a near miss) refuses.
/// </summary>
public class ExemptionTests
{
    public static readonly TheoryData<string> AllKinds = new(Kinds);

    private static readonly SandboxPolicy Policy = SandboxPolicy.RequireSandbox()
        .WithExemptUsers("alice@example.com")
        .WithExemptGroups("platform-ops")
        .WithExemptServiceAccounts("ci/deployer")
        .WithExemptNamespaceLabel()
        .WithExemptionConfigMap("sandboxing-system");

    private static Workload Bad(string kind, string? metadata = null, string? annotations = null, string name = "x") =>
        Workload.Of(kind, spec: "hostNetwork: true", metadata: metadata, annotations: annotations, name: name);

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Users_groups_and_service_accounts_listed_by_the_operator_are_exempt(string kind)
    {
        Assert.False(Admits(Policy, Bad(kind)));
        Assert.True(Admits(Policy, Bad(kind), new AdmissionRequest(User: "alice@example.com")));
        Assert.True(Admits(Policy, Bad(kind), new AdmissionRequest(Groups: ["system:authenticated", "platform-ops"])));
        Assert.True(Admits(Policy, Bad(kind), new AdmissionRequest(User: "system:serviceaccount:ci:deployer")));
        // Near misses: another user, a group that only contains the name, the same account name in a tenant's namespace.
        Assert.False(Admits(Policy, Bad(kind), new AdmissionRequest(User: "alice@example.org")));
        Assert.False(Admits(Policy, Bad(kind), new AdmissionRequest(Groups: ["platform-ops-readers"])));
        Assert.False(Admits(Policy, Bad(kind), new AdmissionRequest(User: "system:serviceaccount:tenant:deployer")));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void A_namespace_label_exempts_the_whole_namespace_or_one_rule(string kind)
    {
        Assert.True(Admits(Policy, Bad(kind), namespaceLabels: new Dictionary<string, string> { ["sandboxing.sdk/exempt"] = "true" }));
        Assert.False(Admits(Policy, Bad(kind), namespaceLabels: new Dictionary<string, string> { ["sandboxing.sdk/exempt"] = "false" }));
        var hostNetworkOnly = new Dictionary<string, string> { ["sandboxing.sdk/exempt.SBX2001"] = "true" };
        Assert.StartsWith("SBX1001:", Assert.Single(Failures(Policy, Bad(kind), namespaceLabels: hostNetworkOnly)));
        Assert.True(Admits(Policy, Workload.Of(kind, spec: "runtimeClassName: kata-vm-isolation\nhostNetwork: true"), namespaceLabels: hostNetworkOnly));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void The_parameter_config_map_exempts_the_workload_it_names_with_a_reason(string kind)
    {
        Assert.True(Admits(Policy, Bad(kind, name: "legacy-agent"), configMap: new Dictionary<string, string> { ["tenant.legacy-agent"] = "needs the host network" }));
        Assert.False(Admits(Policy, Bad(kind, name: "legacy-agent"), configMap: new Dictionary<string, string> { ["tenant.legacy-agent"] = " \t" }));
        Assert.False(Admits(Policy, Bad(kind, name: "legacy-agent"), configMap: new Dictionary<string, string> { ["other.legacy-agent"] = "wrong namespace" }));
        Assert.False(Admits(Policy, Bad(kind, name: "legacy-agent-2"), configMap: new Dictionary<string, string> { ["tenant.legacy-agent"] = "another workload" }));
        Assert.False(Admits(Policy, Bad(kind, name: "legacy-agent"), configMap: new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("ReplicaSet", "web-7d9c6b8f5", "pod-template-hash: 7d9c6b8f5", "tenant.web", true)] // a Deployment's pod
    [InlineData("ReplicaSet", "web-7d9c6b8f5", "pod-template-hash: 7d9c6b8f5", "tenant.web-7d9c6b8f5", true)] // the ReplicaSet itself
    [InlineData("ReplicaSet", "web-api-7d9c6b8f5", "pod-template-hash: 7d9c6b8f5", "tenant.web", false)] // another Deployment
    [InlineData("Job", "nightly-29440800", "", "tenant.nightly", true)] // a CronJob's pod
    [InlineData("Job", "nightly-report-29440800", "", "tenant.nightly", false)]
    [InlineData("Job", "migrate", "", "tenant.migrate", true)]
    [InlineData("StatefulSet", "db", "", "tenant.db", true)]
    [InlineData("StatefulSet", "db-1", "", "tenant.db", false)] // only ReplicaSets and Jobs carry a suffix
    [InlineData("DaemonSet", "agent", "", "tenant.agent", true)]
    public void A_pod_is_exempt_through_its_controller(string ownerKind, string ownerName, string labels, string entry, bool exempt)
    {
        var metadata = $"ownerReferences:\n- {{apiVersion: v1, kind: {ownerKind}, name: {ownerName}, uid: u1, controller: true}}" +
            (labels.Length == 0 ? "" : $"\nlabels:\n  {labels}");
        var pod = Bad("Pod", metadata: metadata, name: ownerName + "-abcde");
        var fromController = new AdmissionRequest(User: PolicyExemptions.ControllerUser(ownerKind));
        Assert.Equal(exempt, Admits(Policy, pod, fromController, configMap: new Dictionary<string, string> { [entry] = "legacy" }));
        Assert.Equal(exempt, Admits(Policy, pod, new AdmissionRequest(User: PolicyExemptions.ControllerManager), configMap: new Dictionary<string, string> { [entry] = "legacy" }));
        // An owner reference that is not the controller does not count.
        var notController = Bad("Pod", metadata: metadata.Replace("controller: true", "controller: false", StringComparison.Ordinal), name: ownerName + "-abcde");
        Assert.False(Admits(Policy, notController, fromController, configMap: new Dictionary<string, string> { [entry] = "legacy" }));
    }

    [Theory]
    [InlineData("Job", "ci.nightly.build", "ci-nightly", "build-1")] // '.' would match any character
    [InlineData("Job", "tenant.night.*", "tenant", "nightly-report-1")]
    [InlineData("Job", "tenant.[a-z]+", "tenant", "nightly-1")]
    [InlineData("Job", "tenant.nightly\\d", "tenant", "nightly-1")]
    [InlineData("Job", "tenant.nightly|report", "tenant", "report-1")]
    [InlineData("Job", "tenant..*", "tenant", "migrate-29440800")]
    [InlineData("ReplicaSet", "tenant.w.b", "tenant", "web-7d9c6b8f5")]
    [InlineData("ReplicaSet", "tenant.*", "tenant", "web-7d9c6b8f5")]
    public void A_config_map_key_is_a_name_never_a_pattern(string ownerKind, string entry, string ns, string ownerName)
    {
        var metadata = $"ownerReferences:\n- {{apiVersion: v1, kind: {ownerKind}, name: {ownerName}, uid: u1, controller: true}}\nlabels:\n  pod-template-hash: 7d9c6b8f5";
        var pod = Bad("Pod", metadata: metadata, name: ownerName + "-abcde");
        var request = new AdmissionRequest(User: PolicyExemptions.ControllerUser(ownerKind), Namespace: ns);
        Assert.False(Admits(Policy, pod, request, configMap: new Dictionary<string, string> { [entry] = "legacy" }));
        // The exact workload name still exempts.
        var workload = ownerName[..ownerName.LastIndexOf('-')];
        Assert.True(Admits(Policy, pod, request, configMap: new Dictionary<string, string> { [entry] = "legacy", [$"{ns}.{workload}"] = "legacy" }));
    }

    [Fact]
    public void A_job_made_by_an_exempt_cron_job_is_exempt()
    {
        var job = Bad("Job", metadata: "ownerReferences:\n- {apiVersion: batch/v1, kind: CronJob, name: nightly, uid: u1, controller: true}", name: "nightly-29440800");
        Assert.True(Admits(Policy, job, new AdmissionRequest(User: PolicyExemptions.ControllerUser("CronJob")), configMap: new Dictionary<string, string> { ["tenant.nightly"] = "legacy" }));
    }

    public static readonly TheoryData<string> OwnerKinds = new(PolicyExemptions.Controllers.Select(c => c.OwnerKind));

    [Theory]
    [MemberData(nameof(OwnerKinds))]
    public void A_forged_owner_reference_does_not_exempt(string ownerKind)
    {
        // Anyone who may create a pod may write its ownerReferences; only the owner's controller makes them count.
        var exemptions = new Dictionary<string, string> { ["tenant.legacy-agent"] = "legacy", ["tenant.legacy"] = "legacy" };
        foreach (var kind in new[] { "Pod", "Job", "ReplicaSet" })
        {
            foreach (var ownerName in new[] { "legacy-agent", "legacy-7d9c6b8f5", "legacy-29440800" })
            {
                var metadata = $"ownerReferences:\n- {{apiVersion: v1, kind: {ownerKind}, name: {ownerName}, uid: u1, controller: true}}\nlabels:\n  pod-template-hash: 7d9c6b8f5";
                var forged = Bad(kind, metadata: metadata, name: "x");
                Assert.False(Admits(Policy, forged, new AdmissionRequest(User: "mallory"), configMap: exemptions));
                Assert.False(Admits(Policy, forged, new AdmissionRequest(User: "system:serviceaccount:tenant:replicaset-controller"), configMap: exemptions));
                // Another controller's account does not vouch for this kind either.
                var other = PolicyExemptions.Controllers.First(c => c.OwnerKind != ownerKind).OwnerKind;
                Assert.False(Admits(Policy, forged, new AdmissionRequest(User: PolicyExemptions.ControllerUser(other)), configMap: exemptions));
            }
        }

        var genuine = Bad("Pod", metadata: $"ownerReferences:\n- {{apiVersion: v1, kind: {ownerKind}, name: legacy-agent, uid: u1, controller: true}}", name: "x");
        Assert.True(Admits(Policy, genuine, new AdmissionRequest(User: PolicyExemptions.ControllerUser(ownerKind)), configMap: exemptions));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Annotations_are_ignored_unless_the_less_strict_mode_is_chosen(string kind)
    {
        var annotated = Bad(kind, annotations: "sandboxing.sdk/exempt: I say so");
        Assert.False(Admits(Policy, annotated));
        Assert.True(Admits(Policy.WithExemptionAnnotationsHonored(), annotated));
    }

    [Fact]
    public void Every_variable_and_validation_evaluates_to_a_boolean_on_every_kind_and_request()
    {
        var vap = Policy.WithChecks(SandboxPolicyChecks.Hardened).WithExemptionAnnotationsHonored().ToValidatingAdmissionPolicy();
        Assert.Equal(2 + 7, vap.Spec.Validations.Count);
        foreach (var kind in Kinds)
        {
            foreach (var workload in new[] { Workload.Of(kind, ""), Workload.Of(kind, "hostNetwork: true", annotations: "a: b", templateAnnotations: "c: d") })
            {
                foreach (var request in new[] { new AdmissionRequest(), new AdmissionRequest(Groups: []), new AdmissionRequest(Operation: "UPDATE", SubResource: "ephemeralcontainers") })
                {
                    // Failures() asserts that each expression gives a boolean.
                    _ = Failures(vap, workload, request, configMap: new Dictionary<string, string> { ["tenant.y"] = "r" });
                }
            }
        }
    }
}
