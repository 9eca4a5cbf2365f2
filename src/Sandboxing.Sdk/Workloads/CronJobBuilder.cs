using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>Builds a sandboxed <see cref="V1CronJob"/>: a Job on a cron schedule.</summary>
public sealed class CronJobBuilder : BatchWorkloadBuilder<CronJobBuilder, V1CronJob>
{
    /// <summary>Kubernetes appends 11 characters to a CronJob's name for its Jobs, so the name has at most 52.</summary>
    public const int MaxNameLength = 52;

    private const string CronJobSpecPath = "spec.jobTemplate.spec.template.spec";

    internal CronJobBuilder(string name, string schedule)
        : base(CheckName(name, "CronJob", MaxNameLength), Create(CheckSchedule(schedule)), CronJobSpecPath)
    {
    }

    internal CronJobBuilder(V1CronJob copy)
        : base(copy, TemplateOf, CronJobSpecPath)
    {
    }

    /// <inheritdoc />
    private protected override (string Group, string Version, string Kind) TypeMeta => (V1CronJob.KubeGroup, V1CronJob.KubeApiVersion, V1CronJob.KubeKind);

    /// <inheritdoc />
    private protected override V1JobSpec JobSpecOf(V1CronJob obj) => obj.Spec.JobTemplate.Spec;

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

    /// <summary>Interprets the schedule in an IANA time zone such as <c>Europe/Paris</c>.</summary>
    public CronJobBuilder WithTimeZone(string timeZone)
    {
        ArgumentException.ThrowIfNullOrEmpty(timeZone);
        MutableObject.Spec.TimeZone = timeZone;
        return this;
    }

    /// <summary>Suspends (or resumes) the schedule.</summary>
    public CronJobBuilder Suspended(bool suspend = true)
    {
        MutableObject.Spec.Suspend = suspend;
        return this;
    }

    private static Func<string, V1PodTemplateSpec, V1CronJob> Create(string schedule) => (_, template) => new V1CronJob
    {
        Spec = new V1CronJobSpec { Schedule = schedule, JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = template } } },
    };

    private static V1PodTemplateSpec TemplateOf(V1CronJob copy)
    {
        var jobTemplate = (copy.Spec ??= new V1CronJobSpec()).JobTemplate ??= new V1JobTemplateSpec();
        return (jobTemplate.Spec ??= new V1JobSpec()).Template ??= new V1PodTemplateSpec();
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
