using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// Builds a sandboxed <see cref="V1Job"/>. Pods restart <c>Never</c> unless
/// <see cref="BatchWorkloadBuilder{TSelf, TObject}.WithRestartPolicy"/> says <c>OnFailure</c>.
/// </summary>
public sealed class JobBuilder : BatchWorkloadBuilder<JobBuilder, V1Job>
{
    internal JobBuilder(string name)
        : base(CheckName(name, "Job"), static (_, template) => new V1Job { Spec = new V1JobSpec { Template = template } }, TemplateSpecPath)
    {
    }

    internal JobBuilder(V1Job copy)
        : base(copy, static j => (j.Spec ??= new V1JobSpec()).Template ??= new V1PodTemplateSpec(), TemplateSpecPath)
    {
    }

    /// <inheritdoc />
    private protected override (string Group, string Version, string Kind) TypeMeta => (V1Job.KubeGroup, V1Job.KubeApiVersion, V1Job.KubeKind);

    /// <inheritdoc />
    private protected override V1JobSpec JobSpecOf(V1Job obj) => obj.Spec;

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
