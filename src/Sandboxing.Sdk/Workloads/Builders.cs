using k8s.Models;
using Sandboxing.Sdk.Catalog;
using Sandboxing.Sdk.Objects;

namespace Sandboxing.Sdk.Workloads;

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

    /// <summary>Starts a Deployment (one replica unless <see cref="DeploymentBuilder.WithReplicas"/> says otherwise).</summary>
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
    public static PodBuilder From([SandboxesArgument] V1Pod existing) => new(Copy(existing), fromExisting: true);

    /// <summary>Edits a copy of an existing Deployment (see <see cref="From(V1Pod)"/>).</summary>
    public static DeploymentBuilder From([SandboxesArgument] V1Deployment existing) => new(Copy(existing), fromExisting: true);

    /// <summary>Edits a copy of an existing StatefulSet (see <see cref="From(V1Pod)"/>).</summary>
    public static StatefulSetBuilder From([SandboxesArgument] V1StatefulSet existing) => new(Copy(existing), fromExisting: true);

    /// <summary>Edits a copy of an existing DaemonSet (see <see cref="From(V1Pod)"/>).</summary>
    public static DaemonSetBuilder From([SandboxesArgument] V1DaemonSet existing) => new(Copy(existing), fromExisting: true);

    /// <summary>Edits a copy of an existing ReplicaSet (see <see cref="From(V1Pod)"/>).</summary>
    public static ReplicaSetBuilder From([SandboxesArgument] V1ReplicaSet existing) => new(Copy(existing), fromExisting: true);

    /// <summary>Edits a copy of an existing Job (see <see cref="From(V1Pod)"/>).</summary>
    public static JobBuilder From([SandboxesArgument] V1Job existing) => new(Copy(existing), fromExisting: true);

    /// <summary>Edits a copy of an existing CronJob (see <see cref="From(V1Pod)"/>).</summary>
    public static CronJobBuilder From([SandboxesArgument] V1CronJob existing) => new(Copy(existing), fromExisting: true);

    /// <summary>A deep copy through KubernetesClient's JSON serialiser, so the builder never edits the caller's object.</summary>
    internal static T Copy<T>(T existing)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(existing);
        return k8s.KubernetesJson.Deserialize<T>(k8s.KubernetesJson.Serialize(existing));
    }

    /// <summary>Makes sure a copied workload has a pod template with metadata and a spec to edit.</summary>
    internal static V1PodTemplateSpec EnsureTemplate(V1PodTemplateSpec? template)
    {
        template ??= new V1PodTemplateSpec();
        template.Metadata ??= new V1ObjectMeta();
        template.Spec ??= new V1PodSpec();
        return template;
    }

    internal static string CheckName(string name, string kind, int maxLength = KubernetesNames.MaxSubdomainLength)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(name, nameof(name), kind + " name");
        if (name.Length > maxLength)
        {
            throw new ArgumentException(
                $"{SandboxRules.InvalidName.Id}: the {kind} name '{name}' is {name.Length} characters long; a {kind} name has at most {maxLength}.",
                nameof(name));
        }

        return name;
    }

    internal static V1PodTemplateSpec NewTemplate() => new() { Metadata = new V1ObjectMeta(), Spec = new V1PodSpec() };

    internal static V1LabelSelector SelectorFor(string name) =>
        new() { MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal) { [PodBuilder.NameLabel] = name } };

    internal static void CheckReplicas(int replicas)
    {
        if (replicas < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(replicas), replicas, "spec.replicas: the replica count cannot be negative.");
        }
    }
}

/// <summary>Builds a sandboxed <see cref="V1Pod"/>.</summary>
public sealed class PodBuilder : WorkloadBuilder<PodBuilder, V1Pod>
{
    /// <inheritdoc />
    private protected override (string Group, string Version, string Kind) TypeMeta => (V1Pod.KubeGroup, V1Pod.KubeApiVersion, V1Pod.KubeKind);

    internal PodBuilder(V1Pod copy, bool fromExisting)
        : base(copy, copy.Spec ??= new V1PodSpec(), templateMetadata: null, "spec")
    {
        _ = fromExisting;
    }

    internal PodBuilder(string name)
        : this(Sandboxed.CheckName(name, "Pod"), new V1Pod { Spec = new V1PodSpec() })
    {
    }

    private PodBuilder(string name, V1Pod pod)
        : base(name, pod, pod.Spec, templateMetadata: null, "spec")
    {
    }

    /// <summary>Sets the restart policy: <c>Always</c> (the Kubernetes default), <c>OnFailure</c> or <c>Never</c>.</summary>
    public PodBuilder WithRestartPolicy(string policy)
    {
        if (policy is not ("Always" or "OnFailure" or "Never"))
        {
            throw new ArgumentException($"spec.restartPolicy: '{policy}' is not one of Always, OnFailure, Never.", nameof(policy));
        }

        MutablePodSpec.RestartPolicy = policy;
        return this;
    }
}

/// <summary>Builds a sandboxed <see cref="V1Deployment"/>.</summary>
public sealed class DeploymentBuilder : WorkloadBuilder<DeploymentBuilder, V1Deployment>
{
    /// <inheritdoc />
    private protected override (string Group, string Version, string Kind) TypeMeta => (V1Deployment.KubeGroup, V1Deployment.KubeApiVersion, V1Deployment.KubeKind);

    internal DeploymentBuilder(V1Deployment copy, bool fromExisting)
        : this(copy, Template(copy), fromExisting)
    {
    }

    private DeploymentBuilder(V1Deployment copy, V1PodTemplateSpec template, bool fromExisting)
        : base(copy, template.Spec, template.Metadata, "spec.template.spec")
    {
        _ = fromExisting;
    }

    private static V1PodTemplateSpec Template(V1Deployment copy)
    {
        copy.Spec ??= new V1DeploymentSpec();
        return copy.Spec.Template = Sandboxed.EnsureTemplate(copy.Spec.Template);
    }

    internal DeploymentBuilder(string name)
        : this(Sandboxed.CheckName(name, "Deployment"), Sandboxed.NewTemplate())
    {
    }

    private DeploymentBuilder(string name, V1PodTemplateSpec template)
        : base(name, new V1Deployment { Spec = new V1DeploymentSpec { Replicas = 1, Selector = Sandboxed.SelectorFor(name), Template = template } },
            template.Spec, template.Metadata, "spec.template.spec")
    {
    }

    /// <summary>Sets the number of replicas (default 1).</summary>
    public DeploymentBuilder WithReplicas(int replicas)
    {
        Sandboxed.CheckReplicas(replicas);
        MutableObject.Spec.Replicas = replicas;
        return this;
    }

    /// <summary>Sets the rolling update bounds, as counts or percentages (<c>"25%"</c>).</summary>
    public DeploymentBuilder WithRollingUpdate(string maxSurge = "25%", string maxUnavailable = "25%")
    {
        MutableObject.Spec.Strategy = new V1DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = maxSurge, MaxUnavailable = maxUnavailable },
        };
        return this;
    }
}

/// <summary>Builds a sandboxed <see cref="V1StatefulSet"/>.</summary>
public sealed class StatefulSetBuilder : WorkloadBuilder<StatefulSetBuilder, V1StatefulSet>
{
    /// <inheritdoc />
    private protected override (string Group, string Version, string Kind) TypeMeta => (V1StatefulSet.KubeGroup, V1StatefulSet.KubeApiVersion, V1StatefulSet.KubeKind);

    internal StatefulSetBuilder(V1StatefulSet copy, bool fromExisting)
        : this(copy, Template(copy), fromExisting)
    {
    }

    private StatefulSetBuilder(V1StatefulSet copy, V1PodTemplateSpec template, bool fromExisting)
        : base(copy, template.Spec, template.Metadata, "spec.template.spec")
    {
        _ = fromExisting;
    }

    private static V1PodTemplateSpec Template(V1StatefulSet copy)
    {
        copy.Spec ??= new V1StatefulSetSpec();
        return copy.Spec.Template = Sandboxed.EnsureTemplate(copy.Spec.Template);
    }

    internal StatefulSetBuilder(string name)
        : this(Sandboxed.CheckName(name, "StatefulSet"), Sandboxed.NewTemplate())
    {
    }

    private StatefulSetBuilder(string name, V1PodTemplateSpec template)
        : base(name, new V1StatefulSet { Spec = new V1StatefulSetSpec { Replicas = 1, Selector = Sandboxed.SelectorFor(name), Template = template } },
            template.Spec, template.Metadata, "spec.template.spec")
    {
    }

    /// <summary>Sets the number of replicas (default 1).</summary>
    public StatefulSetBuilder WithReplicas(int replicas)
    {
        Sandboxed.CheckReplicas(replicas);
        MutableObject.Spec.Replicas = replicas;
        return this;
    }

    /// <summary>Names the headless Service that gives the pods their network identity.</summary>
    public StatefulSetBuilder WithServiceName(string serviceName)
    {
        KubernetesNames.ThrowIfInvalidLabel(serviceName, nameof(serviceName), "Service name");
        MutableObject.Spec.ServiceName = serviceName;
        return this;
    }

    /// <summary>Adds a PersistentVolumeClaim template; mount it by <paramref name="name"/> like a volume.</summary>
    /// <param name="name">The claim template's name.</param>
    /// <param name="storage">The requested size, for example <c>10Gi</c>.</param>
    /// <param name="storageClassName">The storage class, or null for the cluster default.</param>
    /// <param name="accessMode">The access mode (default <c>ReadWriteOnce</c>).</param>
    public StatefulSetBuilder WithVolumeClaimTemplate(string name, string storage, string? storageClassName = null, string accessMode = "ReadWriteOnce")
    {
        KubernetesNames.ThrowIfInvalidLabel(name, nameof(name), "volume claim template name");
        var size = Quantities.Parse(storage, $"spec.volumeClaimTemplates['{name}'].spec.resources.requests.storage");
        (MutableObject.Spec.VolumeClaimTemplates ??= []).Add(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = [accessMode],
                StorageClassName = storageClassName,
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = size } },
            },
        });
        return this;
    }
}

/// <summary>Builds a sandboxed <see cref="V1DaemonSet"/>.</summary>
public sealed class DaemonSetBuilder : WorkloadBuilder<DaemonSetBuilder, V1DaemonSet>
{
    /// <inheritdoc />
    private protected override (string Group, string Version, string Kind) TypeMeta => (V1DaemonSet.KubeGroup, V1DaemonSet.KubeApiVersion, V1DaemonSet.KubeKind);

    internal DaemonSetBuilder(V1DaemonSet copy, bool fromExisting)
        : this(copy, Template(copy), fromExisting)
    {
    }

    private DaemonSetBuilder(V1DaemonSet copy, V1PodTemplateSpec template, bool fromExisting)
        : base(copy, template.Spec, template.Metadata, "spec.template.spec")
    {
        _ = fromExisting;
    }

    private static V1PodTemplateSpec Template(V1DaemonSet copy)
    {
        copy.Spec ??= new V1DaemonSetSpec();
        return copy.Spec.Template = Sandboxed.EnsureTemplate(copy.Spec.Template);
    }

    internal DaemonSetBuilder(string name)
        : this(Sandboxed.CheckName(name, "DaemonSet"), Sandboxed.NewTemplate())
    {
    }

    private DaemonSetBuilder(string name, V1PodTemplateSpec template)
        : base(name, new V1DaemonSet { Spec = new V1DaemonSetSpec { Selector = Sandboxed.SelectorFor(name), Template = template } },
            template.Spec, template.Metadata, "spec.template.spec")
    {
    }
}

/// <summary>Builds a sandboxed <see cref="V1ReplicaSet"/>.</summary>
public sealed class ReplicaSetBuilder : WorkloadBuilder<ReplicaSetBuilder, V1ReplicaSet>
{
    /// <inheritdoc />
    private protected override (string Group, string Version, string Kind) TypeMeta => (V1ReplicaSet.KubeGroup, V1ReplicaSet.KubeApiVersion, V1ReplicaSet.KubeKind);

    internal ReplicaSetBuilder(V1ReplicaSet copy, bool fromExisting)
        : this(copy, Template(copy), fromExisting)
    {
    }

    private ReplicaSetBuilder(V1ReplicaSet copy, V1PodTemplateSpec template, bool fromExisting)
        : base(copy, template.Spec, template.Metadata, "spec.template.spec")
    {
        _ = fromExisting;
    }

    private static V1PodTemplateSpec Template(V1ReplicaSet copy)
    {
        copy.Spec ??= new V1ReplicaSetSpec();
        return copy.Spec.Template = Sandboxed.EnsureTemplate(copy.Spec.Template);
    }

    internal ReplicaSetBuilder(string name)
        : this(Sandboxed.CheckName(name, "ReplicaSet"), Sandboxed.NewTemplate())
    {
    }

    private ReplicaSetBuilder(string name, V1PodTemplateSpec template)
        : base(name, new V1ReplicaSet { Spec = new V1ReplicaSetSpec { Replicas = 1, Selector = Sandboxed.SelectorFor(name), Template = template } },
            template.Spec, template.Metadata, "spec.template.spec")
    {
    }

    /// <summary>Sets the number of replicas (default 1).</summary>
    public ReplicaSetBuilder WithReplicas(int replicas)
    {
        Sandboxed.CheckReplicas(replicas);
        MutableObject.Spec.Replicas = replicas;
        return this;
    }
}

/// <summary>Builds a sandboxed <see cref="V1Job"/>. Pods restart <c>Never</c> unless <see cref="WithRestartPolicy"/> says <c>OnFailure</c>.</summary>
public sealed class JobBuilder : WorkloadBuilder<JobBuilder, V1Job>
{
    /// <inheritdoc />
    private protected override (string Group, string Version, string Kind) TypeMeta => (V1Job.KubeGroup, V1Job.KubeApiVersion, V1Job.KubeKind);

    internal JobBuilder(V1Job copy, bool fromExisting)
        : this(copy, Template(copy), fromExisting)
    {
    }

    private JobBuilder(V1Job copy, V1PodTemplateSpec template, bool fromExisting)
        : base(copy, template.Spec, template.Metadata, "spec.template.spec")
    {
        _ = fromExisting;
    }

    private static V1PodTemplateSpec Template(V1Job copy)
    {
        copy.Spec ??= new V1JobSpec();
        return copy.Spec.Template = Sandboxed.EnsureTemplate(copy.Spec.Template);
    }

    internal JobBuilder(string name)
        : this(Sandboxed.CheckName(name, "Job"), Sandboxed.NewTemplate())
    {
    }

    private JobBuilder(string name, V1PodTemplateSpec template)
        : base(name, new V1Job { Spec = new V1JobSpec { Template = template } }, template.Spec, template.Metadata, "spec.template.spec")
    {
        template.Spec.RestartPolicy = "Never";
    }

    /// <summary>Sets the pods' restart policy: <c>Never</c> (default) or <c>OnFailure</c>.</summary>
    public JobBuilder WithRestartPolicy(string policy)
    {
        if (policy is not ("Never" or "OnFailure"))
        {
            throw new ArgumentException($"spec.template.spec.restartPolicy: a Job's pods restart Never or OnFailure, not '{policy}'.", nameof(policy));
        }

        MutablePodSpec.RestartPolicy = policy;
        return this;
    }

    /// <summary>Sets how many retries the Job makes before it fails (Kubernetes default 6).</summary>
    public JobBuilder WithBackoffLimit(int retries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        MutableObject.Spec.BackoffLimit = retries;
        return this;
    }

    /// <summary>Fails the Job when it runs longer than <paramref name="deadline"/> (a cap on untrusted code's run time).</summary>
    public JobBuilder WithActiveDeadline(TimeSpan deadline)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(deadline, TimeSpan.Zero);
        MutableObject.Spec.ActiveDeadlineSeconds = (long)Math.Ceiling(deadline.TotalSeconds);
        return this;
    }

    /// <summary>Deletes the finished Job and its pods after <paramref name="ttl"/>.</summary>
    public JobBuilder WithTtlAfterFinished(TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ttl, TimeSpan.Zero);
        MutableObject.Spec.TtlSecondsAfterFinished = (int)Math.Ceiling(ttl.TotalSeconds);
        return this;
    }

    /// <summary>Sets how many pods must succeed, and how many run at once.</summary>
    public JobBuilder WithCompletions(int completions, int? parallelism = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(completions, 1);
        MutableObject.Spec.Completions = completions;
        MutableObject.Spec.Parallelism = parallelism;
        return this;
    }
}

/// <summary>Builds a sandboxed <see cref="V1CronJob"/>.</summary>
public sealed class CronJobBuilder : WorkloadBuilder<CronJobBuilder, V1CronJob>
{
    /// <inheritdoc />
    private protected override (string Group, string Version, string Kind) TypeMeta => (V1CronJob.KubeGroup, V1CronJob.KubeApiVersion, V1CronJob.KubeKind);

    internal CronJobBuilder(V1CronJob copy, bool fromExisting)
        : this(copy, Template(copy), fromExisting)
    {
    }

    private CronJobBuilder(V1CronJob copy, V1PodTemplateSpec template, bool fromExisting)
        : base(copy, template.Spec, template.Metadata, "spec.jobTemplate.spec.template.spec")
    {
        _ = fromExisting;
    }

    private static V1PodTemplateSpec Template(V1CronJob copy)
    {
        copy.Spec ??= new V1CronJobSpec();
        copy.Spec.JobTemplate ??= new V1JobTemplateSpec();
        copy.Spec.JobTemplate.Spec ??= new V1JobSpec();
        return copy.Spec.JobTemplate.Spec.Template = Sandboxed.EnsureTemplate(copy.Spec.JobTemplate.Spec.Template);
    }

    /// <summary>Kubernetes appends 11 characters to a CronJob's name for its Jobs, so the name has at most 52.</summary>
    public const int MaxNameLength = 52;

    internal CronJobBuilder(string name, string schedule)
        : this(Sandboxed.CheckName(name, "CronJob", MaxNameLength), CheckSchedule(schedule), Sandboxed.NewTemplate())
    {
    }

    private CronJobBuilder(string name, string schedule, V1PodTemplateSpec template)
        : base(name, new V1CronJob
        {
            Spec = new V1CronJobSpec { Schedule = schedule, JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = template } } },
        }, template.Spec, template.Metadata, "spec.jobTemplate.spec.template.spec")
    {
        template.Spec.RestartPolicy = "Never";
    }

    /// <summary>What to do when a run is due while the previous one still runs: <c>Allow</c>, <c>Forbid</c> or <c>Replace</c>.</summary>
    public CronJobBuilder WithConcurrencyPolicy(string policy)
    {
        if (policy is not ("Allow" or "Forbid" or "Replace"))
        {
            throw new ArgumentException($"spec.concurrencyPolicy: '{policy}' is not one of Allow, Forbid, Replace.", nameof(policy));
        }

        MutableObject.Spec.ConcurrencyPolicy = policy;
        return this;
    }

    /// <summary>Sets the pods' restart policy: <c>Never</c> (default) or <c>OnFailure</c>.</summary>
    public CronJobBuilder WithRestartPolicy(string policy)
    {
        if (policy is not ("Never" or "OnFailure"))
        {
            throw new ArgumentException($"spec.jobTemplate.spec.template.spec.restartPolicy: a CronJob's pods restart Never or OnFailure, not '{policy}'.", nameof(policy));
        }

        MutablePodSpec.RestartPolicy = policy;
        return this;
    }

    /// <summary>Interprets the schedule in an IANA time zone such as <c>Europe/Paris</c>.</summary>
    public CronJobBuilder WithTimeZone(string timeZone)
    {
        ArgumentException.ThrowIfNullOrEmpty(timeZone);
        MutableObject.Spec.TimeZone = timeZone;
        return this;
    }

    /// <summary>Fails each run's Job when it runs longer than <paramref name="deadline"/>.</summary>
    public CronJobBuilder WithActiveDeadline(TimeSpan deadline)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(deadline, TimeSpan.Zero);
        MutableObject.Spec.JobTemplate.Spec.ActiveDeadlineSeconds = (long)Math.Ceiling(deadline.TotalSeconds);
        return this;
    }

    /// <summary>Sets each run's retry count (Kubernetes default 6).</summary>
    public CronJobBuilder WithBackoffLimit(int retries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        MutableObject.Spec.JobTemplate.Spec.BackoffLimit = retries;
        return this;
    }

    /// <summary>Suspends (or resumes) the schedule.</summary>
    public CronJobBuilder Suspended(bool suspend = true)
    {
        MutableObject.Spec.Suspend = suspend;
        return this;
    }

    private static string CheckSchedule(string schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        bool macro = schedule.StartsWith('@');
        if (!macro && fields.Length != 5)
        {
            throw new ArgumentException(
                $"spec.schedule: '{schedule}' has {fields.Length} fields; a cron schedule has five (minute hour day-of-month month day-of-week), for example '*/15 * * * *', or a macro such as '@hourly'.",
                nameof(schedule));
        }

        return schedule;
    }
}
