using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// Entry points of the fluent builders. Every builder returns a real KubernetesClient model, sandboxed (AKS
/// <c>kata-vm-isolation</c>) and secure by default (Pod Security Standards "restricted", read-only root filesystem, no service
/// account token), and validated by <c>Build()</c>. See <see cref="WorkloadBuilder{TSelf, TObject}"/> for the defaults.
/// </summary>
/// <example>
/// <code>
/// V1Deployment deployment = Sandboxed.Deployment("code-runner")
///     .InNamespace("tenant-42")
///     .WithReplicas(3)
///     .WithContainer("runner", "ghcr.io/acme/runner:1.4", c => c.WithResources(cpu: "1", memory: "1Gi"))
///     .Build();
/// </code>
/// </example>
public static class Sandboxed
{
    /// <summary>Starts a Pod.</summary>
    public static PodBuilder Pod(string name) => new(name);

    /// <summary>Starts a Deployment (one replica unless <see cref="ReplicatedWorkloadBuilder{TSelf, TObject}.WithReplicas"/> says otherwise).</summary>
    public static DeploymentBuilder Deployment(string name) => new(name);

    /// <summary>Starts a StatefulSet.</summary>
    public static StatefulSetBuilder StatefulSet(string name) => new(name);

    /// <summary>Starts a DaemonSet (a sandboxed pod on every node it may run on).</summary>
    public static DaemonSetBuilder DaemonSet(string name) => new(name);

    /// <summary>Starts a ReplicaSet.</summary>
    public static ReplicaSetBuilder ReplicaSet(string name) => new(name);

    /// <summary>Starts a Job (restart policy <c>Never</c>).</summary>
    public static JobBuilder Job(string name) => new(name);

    /// <summary>Starts a CronJob with a cron schedule such as <c>"*/15 * * * *"</c>.</summary>
    public static CronJobBuilder CronJob(string name, string schedule) => new(name, schedule);

    /// <summary>
    /// Edits a copy of an existing Pod: the original is left untouched, everything it has is kept, and a missing or deprecated
    /// runtime class becomes <c>kata-vm-isolation</c> (unless the Pod opted out with a reason). <c>Build()</c> validates the copy.
    /// </summary>
    public static PodBuilder From([SandboxesArgument] V1Pod existing) => new(Copy(existing));

    /// <summary>Edits a copy of an existing Deployment (see <see cref="From(V1Pod)"/>).</summary>
    public static DeploymentBuilder From([SandboxesArgument] V1Deployment existing) => new(Copy(existing));

    /// <summary>Edits a copy of an existing StatefulSet (see <see cref="From(V1Pod)"/>).</summary>
    public static StatefulSetBuilder From([SandboxesArgument] V1StatefulSet existing) => new(Copy(existing));

    /// <summary>Edits a copy of an existing DaemonSet (see <see cref="From(V1Pod)"/>).</summary>
    public static DaemonSetBuilder From([SandboxesArgument] V1DaemonSet existing) => new(Copy(existing));

    /// <summary>Edits a copy of an existing ReplicaSet (see <see cref="From(V1Pod)"/>).</summary>
    public static ReplicaSetBuilder From([SandboxesArgument] V1ReplicaSet existing) => new(Copy(existing));

    /// <summary>Edits a copy of an existing Job (see <see cref="From(V1Pod)"/>).</summary>
    public static JobBuilder From([SandboxesArgument] V1Job existing) => new(Copy(existing));

    /// <summary>Edits a copy of an existing CronJob (see <see cref="From(V1Pod)"/>).</summary>
    public static CronJobBuilder From([SandboxesArgument] V1CronJob existing) => new(Copy(existing));

    /// <summary>A deep copy through KubernetesClient's JSON serialiser, so the builder never edits the caller's object.</summary>
    private static T Copy<T>(T existing)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(existing);
        return k8s.KubernetesJson.Deserialize<T>(k8s.KubernetesJson.Serialize(existing));
    }
}
