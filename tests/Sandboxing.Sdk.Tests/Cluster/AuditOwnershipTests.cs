using k8s;
using k8s.Models;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

// Anyone who may create a pod may write any owner reference into it: the audit skips a pod behind a reported controller only
// when the reference names that listed controller (kind, name, uid) and the pod is its template.
public sealed class AuditOwnershipTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _client = _server.Client();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    public static TheoryData<string, string> Forgeries => new()
    {
        { "kind", "its controller reference names Deployment decoy, and a Deployment does not control Pods (their controllers are ReplicaSet, StatefulSet, DaemonSet, Job)" },
        { "name", "its controller reference names ReplicaSet decoy-5f7d9c8b7, which the audit did not list (the reference's uid is ReplicaSet decoy-6d4cf56db6's)" },
        { "uid", "its controller reference names ReplicaSet decoy-6d4cf56db6 with uid 00000000-0000-0000-0000-000000000001, and the listed ReplicaSet decoy-6d4cf56db6 has uid " },
        { "apiVersion", "its controller reference names ReplicaSet decoy-6d4cf56db6 in apiVersion evil.example.com/v1, and the listed ReplicaSet decoy-6d4cf56db6 is apps/v1" },
        { "spec", "its spec is not the pod template of ReplicaSet decoy-6d4cf56db6 (spec.runtimeClassName differs)" },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_runc_pod_behind_a_forged_controller_reference_is_reported_with_why_the_reference_did_not_count(string forged, string why)
    {
        var decoy = AuditCluster.Deployment(_server, "decoy", "tenant", runtimeClass: null, pods: 1);
        var replicaSet = ReplicaSet("decoy");
        var reference = forged switch
        {
            "kind" => AuditCluster.Owner(decoy),
            "name" => Rename(AuditCluster.Owner(replicaSet), "decoy-5f7d9c8b7"),
            "uid" => WithUid(AuditCluster.Owner(replicaSet), "00000000-0000-0000-0000-000000000001"),
            "apiVersion" => WithApiVersion(AuditCluster.Owner(replicaSet), "evil.example.com/v1"),
            _ => AuditCluster.Owner(replicaSet),
        };
        _server.Add(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "miner", NamespaceProperty = "tenant", OwnerReferences = [reference] },
            Spec = AuditCluster.Spec("runc"),
            Status = new V1PodStatus { Phase = "Running" },
        });

        var result = await _client.AuditSandboxingAsync();

        Assert.Equal(["Deployment/decoy", "Pod/miner"], result.Objects.Select(o => $"{o.Kind}/{o.Name}"));
        var finding = Assert.Single(result.Objects[1].Findings);
        Assert.Equal("SBX1002", finding.RuleId);
        Assert.Contains($" It was not taken as covered by its controller: {why}", finding.Message, StringComparison.Ordinal);
        Assert.False(result.IsClean);
    }

    [Fact]
    public async Task A_job_behind_a_cron_job_it_is_not_the_template_of_is_reported()
    {
        var cronJob = _server.Add(new V1CronJob
        {
            Metadata = new V1ObjectMeta { Name = "nightly", NamespaceProperty = "tenant" },
            Spec = new V1CronJobSpec
            {
                Schedule = "0 2 * * *",
                JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = AuditCluster.Spec(null) } } },
            },
        });
        _server.Add(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "nightly-1", NamespaceProperty = "tenant", OwnerReferences = [AuditCluster.Owner(cronJob)] },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = AuditCluster.Spec(null) } },
        });
        _server.Add(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "nightly-2", NamespaceProperty = "tenant", OwnerReferences = [AuditCluster.Owner(cronJob)] },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = AuditCluster.Spec("runc") } },
        });

        var result = await _client.AuditSandboxingAsync();

        Assert.Equal(["CronJob/nightly", "Job/nightly-2"], result.Objects.Select(o => $"{o.Kind}/{o.Name}"));
        Assert.EndsWith("its spec is not the pod template of CronJob nightly (spec.template.spec.runtimeClassName differs).",
            Assert.Single(result.Objects[1].Findings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_genuine_pod_with_what_the_control_plane_adds_is_covered_by_its_reported_deployment()
    {
        AuditCluster.Deployment(_server, "web", "tenant", runtimeClass: null, pods: 0);
        var replicaSet = ReplicaSet("web");
        var spec = AuditCluster.Spec(null);
        spec.NodeName = "aks-kata-12345678-vmss000000";
        spec.ServiceAccount = "default";
        spec.ServiceAccountName = "default";
        spec.PriorityClassName = "cluster-default";
        spec.Priority = 0;
        spec.EnableServiceLinks = true;
        spec.Tolerations = [new V1Toleration { Key = "node.kubernetes.io/not-ready", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 }];
        spec.Volumes = [new V1Volume { Name = "kube-api-access-x7k2p", Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token" } }] } }];
        spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "kube-api-access-x7k2p", MountPath = "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnlyProperty = true }];
        _server.Add(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web-6d4cf56db6-abcde", NamespaceProperty = "tenant", OwnerReferences = [AuditCluster.Owner(replicaSet)] },
            Spec = spec,
            Status = new V1PodStatus { Phase = "Running" },
        });

        var result = await _client.AuditSandboxingAsync();

        Assert.Equal("Deployment/web", $"{Assert.Single(result.Objects).Kind}/{result.Objects[0].Name}");
        Assert.DoesNotContain("not taken as covered", Assert.Single(result.Objects[0].Findings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reference_to_an_owner_that_is_not_reported_changes_nothing()
    {
        AuditCluster.Deployment(_server, "web", "tenant", AuditCluster.Kata, pods: 0);
        var replicaSet = ReplicaSet("web");
        _server.Add(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "miner", NamespaceProperty = "tenant", OwnerReferences = [AuditCluster.Owner(replicaSet)] },
            Spec = AuditCluster.Spec("runc"),
            Status = new V1PodStatus { Phase = "Running" },
        });

        var result = await _client.AuditSandboxingAsync();

        var finding = Assert.Single(Assert.Single(result.Objects).Findings);
        Assert.DoesNotContain("not taken as covered", finding.Message, StringComparison.Ordinal);
    }

    private V1ReplicaSet ReplicaSet(string deployment) =>
        KubernetesJson.Deserialize<V1ReplicaSet>(_server.Stored($"/apis/apps/v1/namespaces/tenant/replicasets/{deployment}-6d4cf56db6")!.ToJsonString());

    private static V1OwnerReference Rename(V1OwnerReference reference, string name)
    {
        reference.Name = name;
        return reference;
    }

    private static V1OwnerReference WithUid(V1OwnerReference reference, string uid)
    {
        reference.Uid = uid;
        return reference;
    }

    private static V1OwnerReference WithApiVersion(V1OwnerReference reference, string apiVersion)
    {
        reference.ApiVersion = apiVersion;
        return reference;
    }
}
