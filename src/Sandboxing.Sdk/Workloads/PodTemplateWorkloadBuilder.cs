using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Workloads;

/// <summary>
/// The part shared by the builders of workloads that hold a pod template (<c>spec.template</c>): everything
/// <see cref="WorkloadBuilder{TSelf, TObject}"/> does, on the template's metadata and spec, whose labels follow the object's.
/// </summary>
/// <typeparam name="TSelf">The concrete builder, returned by every method for chaining.</typeparam>
/// <typeparam name="TObject">The model it builds.</typeparam>
public abstract class PodTemplateWorkloadBuilder<TSelf, TObject> : WorkloadBuilder<TSelf, TObject>
    where TSelf : PodTemplateWorkloadBuilder<TSelf, TObject>
    where TObject : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Where the pod spec is in most workload kinds.</summary>
    private protected const string TemplateSpecPath = "spec.template.spec";

    /// <summary>Starts a new object: <paramref name="create"/> wraps a fresh pod template in the kind's spec.</summary>
    /// <param name="name">The object's name, already checked.</param>
    /// <param name="create">Builds the object around the template, given the name (for the selector) and the template.</param>
    /// <param name="specPath">Where the template's pod spec is in the object.</param>
    private protected PodTemplateWorkloadBuilder(string name, Func<string, V1PodTemplateSpec, TObject> create, string specPath = TemplateSpecPath)
        : this(name, new V1PodTemplateSpec { Metadata = new V1ObjectMeta(), Spec = new V1PodSpec() }, create, specPath)
    {
    }

    private PodTemplateWorkloadBuilder(string name, V1PodTemplateSpec template, Func<string, V1PodTemplateSpec, TObject> create, string specPath)
        : base(name, create(name, template), template.Spec, template.Metadata, specPath)
    {
    }

    /// <summary>Edits a copy: <paramref name="templateOf"/> returns the copy's pod template, creating the missing levels.</summary>
    private protected PodTemplateWorkloadBuilder(TObject copy, Func<TObject, V1PodTemplateSpec?> templateOf, string specPath = TemplateSpecPath)
        : this(copy, CompleteTemplate(templateOf(copy)), specPath)
    {
    }

    private PodTemplateWorkloadBuilder(TObject copy, V1PodTemplateSpec template, string specPath)
        : base(copy, template.Spec, template.Metadata, specPath)
    {
    }

    /// <summary>The selector that matches the pods of a workload named <paramref name="name"/> (by <see cref="WorkloadBuilder{TSelf, TObject}.NameLabel"/>).</summary>
    private protected static V1LabelSelector SelectorFor(string name) =>
        new() { MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal) { [NameLabel] = name } };

    /// <summary>Gives a copied template the metadata and spec the builder edits (the template object itself is already in place).</summary>
    private static V1PodTemplateSpec CompleteTemplate(V1PodTemplateSpec? template)
    {
        if (template is null)
        {
            throw new InvalidOperationException("The kind's template accessor must create the pod template when it is missing.");
        }

        template.Metadata ??= new V1ObjectMeta();
        template.Spec ??= new V1PodSpec();
        return template;
    }
}

/// <summary>
/// The part shared by the builders of workloads that run a number of identical pods (Deployment, StatefulSet, ReplicaSet):
/// one replica by default, and <see cref="WithReplicas"/>.
/// </summary>
/// <typeparam name="TSelf">The concrete builder, returned by every method for chaining.</typeparam>
/// <typeparam name="TObject">The model it builds.</typeparam>
public abstract class ReplicatedWorkloadBuilder<TSelf, TObject> : PodTemplateWorkloadBuilder<TSelf, TObject>
    where TSelf : ReplicatedWorkloadBuilder<TSelf, TObject>
    where TObject : class, IKubernetesObject<V1ObjectMeta>
{
    private protected ReplicatedWorkloadBuilder(string name, Func<string, V1PodTemplateSpec, TObject> create)
        : base(name, create)
    {
    }

    private protected ReplicatedWorkloadBuilder(TObject copy, Func<TObject, V1PodTemplateSpec?> templateOf)
        : base(copy, templateOf)
    {
    }

    /// <summary>Sets <c>spec.replicas</c> of the object (its spec type differs per kind).</summary>
    private protected abstract void SetReplicas(TObject obj, int replicas);

    /// <summary>Sets the number of replicas (default 1).</summary>
    public TSelf WithReplicas(int replicas)
    {
        if (replicas < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(replicas), replicas, "spec.replicas: the replica count cannot be negative.");
        }

        SetReplicas(MutableObject, replicas);
        return Self;
    }
}

/// <summary>
/// The part shared by the builders of batch workloads (Job, CronJob): pods restart <c>Never</c> by default, a retry count and a
/// run-time cap on the <see cref="V1JobSpec"/>.
/// </summary>
/// <typeparam name="TSelf">The concrete builder, returned by every method for chaining.</typeparam>
/// <typeparam name="TObject">The model it builds.</typeparam>
public abstract class BatchWorkloadBuilder<TSelf, TObject> : PodTemplateWorkloadBuilder<TSelf, TObject>
    where TSelf : BatchWorkloadBuilder<TSelf, TObject>
    where TObject : class, IKubernetesObject<V1ObjectMeta>
{
    private protected BatchWorkloadBuilder(string name, Func<string, V1PodTemplateSpec, TObject> create, string specPath)
        : base(name, create, specPath)
    {
        PodSpec.RestartPolicy = "Never";
    }

    private protected BatchWorkloadBuilder(TObject copy, Func<TObject, V1PodTemplateSpec?> templateOf, string specPath)
        : base(copy, templateOf, specPath)
    {
    }

    /// <summary>The Job spec: the Job's own, or each run's for a CronJob.</summary>
    private protected abstract V1JobSpec JobSpecOf(TObject obj);

    /// <summary>Sets the pods' restart policy: <c>Never</c> (default) or <c>OnFailure</c>.</summary>
    public TSelf WithRestartPolicy(string policy)
    {
        if (policy is not ("Never" or "OnFailure"))
        {
            throw new ArgumentException($"{SpecPath}.restartPolicy: a {TypeMeta.Kind}'s pods restart Never or OnFailure, not '{policy}'.", nameof(policy));
        }

        MutablePodSpec.RestartPolicy = policy;
        return Self;
    }

    /// <summary>Sets how many retries a run makes before it fails (Kubernetes default 6).</summary>
    public TSelf WithBackoffLimit(int retries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        JobSpecOf(MutableObject).BackoffLimit = retries;
        return Self;
    }

    /// <summary>Fails a run when it lasts longer than <paramref name="deadline"/> (a cap on untrusted code's run time).</summary>
    public TSelf WithActiveDeadline(TimeSpan deadline)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(deadline, TimeSpan.Zero);
        JobSpecOf(MutableObject).ActiveDeadlineSeconds = (long)Math.Ceiling(deadline.TotalSeconds);
        return Self;
    }
}
