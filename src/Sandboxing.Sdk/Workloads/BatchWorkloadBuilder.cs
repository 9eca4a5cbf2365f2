using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

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
