using k8s;
using k8s.Models;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>One sandboxed object of every kind the SDK applies, with the API path it goes to.</summary>
public static class ClusterObjects
{
    public static readonly TheoryData<string> Kinds = new()
    {
        "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob",
        "Namespace", "RuntimeClass", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
        "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "ConfigMap",
    };

    public static (IKubernetesObject<V1ObjectMeta> Object, string Path, string ApiVersion) Of(string kind) => kind switch
    {
        "Pod" => (TestObjects.Pod().Sandbox(), "/api/v1/namespaces/tenant/pods/pod", "v1"),
        "Deployment" => (TestObjects.Deployment().Sandbox(), "/apis/apps/v1/namespaces/tenant/deployments/deploy", "apps/v1"),
        "StatefulSet" => (TestObjects.StatefulSet().Sandbox(), "/apis/apps/v1/namespaces/tenant/statefulsets/sts", "apps/v1"),
        "DaemonSet" => (TestObjects.DaemonSet().Sandbox(), "/apis/apps/v1/namespaces/tenant/daemonsets/ds", "apps/v1"),
        "ReplicaSet" => (TestObjects.ReplicaSet().Sandbox(), "/apis/apps/v1/namespaces/tenant/replicasets/rs", "apps/v1"),
        "Job" => (TestObjects.Job().Sandbox(), "/apis/batch/v1/namespaces/tenant/jobs/job", "batch/v1"),
        "CronJob" => (TestObjects.CronJob().Sandbox(), "/apis/batch/v1/namespaces/tenant/cronjobs/cron", "batch/v1"),
        "Namespace" => (new V1Namespace { Metadata = new V1ObjectMeta { Name = "tenant-new", Labels = new Dictionary<string, string> { ["sandboxing.sdk/enforce"] = "true" } } }.Initialize(),
            "/api/v1/namespaces/tenant-new", "v1"),
        "RuntimeClass" => (SandboxRuntime.Define("small-kata").WithHandler("kata").WithOverhead(memory: "120Mi").Build().ToRuntimeClass(),
            "/apis/node.k8s.io/v1/runtimeclasses/small-kata", "node.k8s.io/v1"),
        "ValidatingAdmissionPolicy" => (Policy(), "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/require-kata", "admissionregistration.k8s.io/v1"),
        "ValidatingAdmissionPolicyBinding" => (Binding(), "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/require-kata-binding", "admissionregistration.k8s.io/v1"),
        "MutatingAdmissionPolicy" => (Mutating().OfType<V1MutatingAdmissionPolicy>().Single(),
            "/apis/admissionregistration.k8s.io/v1/mutatingadmissionpolicies/sandboxing-require-runtime-class-add", "admissionregistration.k8s.io/v1"),
        "MutatingAdmissionPolicyBinding" => (Mutating().OfType<V1MutatingAdmissionPolicyBinding>().Single(),
            "/apis/admissionregistration.k8s.io/v1/mutatingadmissionpolicybindings/sandboxing-require-runtime-class-add-binding", "admissionregistration.k8s.io/v1"),
        "ConfigMap" => (Sandboxing.Sdk.SandboxPolicy.RequireSandbox().WithExemptionConfigMap("tenant").ToExemptionConfigMap()!,
            "/api/v1/namespaces/tenant/configmaps/sandboxing-exemptions", "v1"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static IEnumerable<IKubernetesObject<V1ObjectMeta>> Mutating() =>
        Sandboxing.Sdk.SandboxPolicy.DefaultToSandbox().ToObjects().OfType<IKubernetesObject<V1ObjectMeta>>();

    public static V1ValidatingAdmissionPolicy Policy() => new V1ValidatingAdmissionPolicy
    {
        Metadata = new V1ObjectMeta { Name = "require-kata" },
        Spec = new V1ValidatingAdmissionPolicySpec
        {
            FailurePolicy = "Fail",
            MatchConstraints = new V1MatchResources
            {
                ResourceRules = [new V1NamedRuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Operations = ["CREATE"], Resources = ["pods"] }],
            },
            Validations = [new V1Validation { Expression = "has(object.spec.runtimeClassName) && object.spec.runtimeClassName == 'kata-vm-isolation'" }],
        },
    }.Initialize();

    public static V1ValidatingAdmissionPolicyBinding Binding() => new V1ValidatingAdmissionPolicyBinding
    {
        Metadata = new V1ObjectMeta { Name = "require-kata-binding" },
        Spec = new V1ValidatingAdmissionPolicyBindingSpec { PolicyName = "require-kata", ValidationActions = ["Deny"] },
    }.Initialize();

    /// <summary>A Job as the job-runner sample builds it: sandboxed, with limits.</summary>
    public static V1Job Job(string name = "build-42", string ns = "tenant", string memory = "1Gi", string cpu = "1", int parallelism = 1) =>
        Sandboxed.Job(name).InNamespace(ns)
            .WithCompletions(parallelism, parallelism)
            .WithContainer("run", "registry.example.com/runner:1.0", c => c.WithCommand("make", "test").WithResources(cpu: cpu, memory: memory))
            .Build();

    /// <summary>A retry policy that records the waits instead of sleeping.</summary>
    public static SandboxRetryPolicyRecorder RecordingRetry(int maxAttempts = 4) => new(maxAttempts);
}

public sealed class SandboxRetryPolicyRecorder(int maxAttempts)
{
    private readonly InstantTimeProvider _clock = new();

    public IReadOnlyList<TimeSpan> Waits => _clock.DueTimes;

    public Sandboxing.Sdk.Cluster.SandboxRetryPolicy Policy => new()
    {
        MaxAttempts = maxAttempts,
        Jitter = false,
        InitialDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromSeconds(1),
        AttemptTimeout = Timeout.InfiniteTimeSpan,
        Deadline = Timeout.InfiniteTimeSpan,
        TimeProvider = _clock,
    };
}
