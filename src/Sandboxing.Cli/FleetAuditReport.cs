using System.Globalization;
using System.Text;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Cli;

/// <summary>One cluster of a fleet audit: the SDK's audit and its report as lint results (a failed cluster: one problem).</summary>
internal sealed record AuditedContext(SandboxContextAudit Audit, IReadOnlyList<ManifestLintResult> Results);

/// <summary>
/// The report of <c>audit --all-contexts</c> / <c>--contexts</c>: one section per context (the single-cluster report, or why the
/// cluster failed) and a fleet summary in text; in JSON the lint report of every cluster (each finding with its
/// <c>context</c>) plus a <c>clusters</c> array and fleet counts. SARIF is the lint report of every cluster, one run.
/// </summary>
internal static class FleetAuditReport
{
    /// <summary>The text report: a section per context, then the fleet summary.</summary>
    public static string Text(IReadOnlyList<AuditedContext> fleet, StyledText styles, IReadOnlyList<string>? configs = null)
    {
        var text = new StringBuilder();
        foreach (var (audit, results) in fleet)
        {
            text.Append(styles.Paint(ControlCharacters.Escape($"context {audit.Context}"), TextRole.Location));
            if (audit.Server is { } server)
            {
                text.Append(" (").Append(ControlCharacters.Escape(server.ToString())).Append(')');
            }

            string seconds = audit.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            if (audit.Error is { } error)
            {
                text.Append(": ").Append(styles.Paint($"failed after {seconds}s", TextRole.Error)).Append('\n')
                    .Append(styles.Error).Append(": ").Append(ControlCharacters.Escape(error.Message)).Append('\n');
            }
            else
            {
                text.Append($": audited in {seconds}s\n").Append(LintReport.Text(results, "namespace", styles));
            }

            text.Append('\n');
        }

        var counts = Count(fleet);
        var s = counts.Summary;
        var summary = new StringBuilder($"fleet: {fleet.Count} cluster{Plural(fleet.Count)}, {counts.Audited} audited, {counts.Failed.Count} failed");
        if (counts.Failed.Count > 0)
        {
            summary.Append(" (").Append(ControlCharacters.Escape(string.Join(", ", counts.Failed))).Append(')');
        }

        summary.Append($"; {s.Findings} finding{Plural(s.Findings)} ({s.Errors} error{Plural(s.Errors)}, {s.Warnings} warning{Plural(s.Warnings)}, {s.Info} info)")
            .Append($" in {s.Objects} pod-bearing object{Plural(s.Objects)}");
        if (s.Problems > 0)
        {
            summary.Append($"; {s.Problems} input problem{Plural(s.Problems)}");
        }

        var verdict = counts.Failed.Count > 0 || s.Errors > 0 || s.Problems > 0 ? TextRole.Error
            : s.Warnings > 0 ? TextRole.Warning : s.Info > 0 ? TextRole.Note : TextRole.Clean;
        text.Append(styles.Paint(summary.ToString(), verdict)).Append('\n');
        if (configs is not null)
        {
            text.Append(styles.Paint(ControlCharacters.Escape(Config.ConfigNames.Line(configs)), TextRole.Dim)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The JSON report: lint's document over every cluster (a failed cluster is a problem at <c>cluster://&lt;context&gt;</c>), with
    /// <c>clusters</c> and <c>failedClusters</c> in the summary and a <c>clusters</c> array: context, server, status
    /// (<c>audited</c> or <c>failed</c>), seconds, its counts, and the error of a failed one.
    /// </summary>
    public static string Json(IReadOnlyList<AuditedContext> fleet, IReadOnlyList<string>? configs = null)
    {
        var counts = Count(fleet);
        return LintReport.Json(
            fleet.SelectMany(c => c.Results).ToList(),
            "namespace",
            configs,
            summary: json =>
            {
                json.WriteNumber("clusters", fleet.Count);
                json.WriteNumber("failedClusters", counts.Failed.Count);
            },
            more: json =>
            {
                json.WriteStartArray("clusters");
                foreach (var (audit, results) in fleet)
                {
                    var s = LintReport.Summarise(results);
                    json.WriteStartObject();
                    json.WriteString("context", audit.Context);
                    json.WriteString("server", audit.Server?.ToString());
                    json.WriteString("status", audit.Error is null ? "audited" : "failed");
                    json.WriteNumber("seconds", Math.Round(audit.Elapsed.TotalSeconds, 3));
                    json.WriteNumber("namespaces", audit.Error is null ? s.Files : 0);
                    json.WriteNumber("objects", s.Objects);
                    json.WriteNumber("findings", s.Findings);
                    json.WriteNumber("errors", s.Errors);
                    json.WriteNumber("warnings", s.Warnings);
                    json.WriteNumber("info", s.Info);
                    json.WriteNumber("problems", audit.Error is null ? s.Problems : 0);
                    if (audit.Error is { } error)
                    {
                        json.WriteString("error", error.Message);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
            });
    }

    /// <summary>A failed cluster as lint results: one problem at the cluster's URI, so JSON and SARIF carry it like a refused list.</summary>
    public static IReadOnlyList<ManifestLintResult> Failed(SandboxContextAudit audit)
    {
        ArgumentNullException.ThrowIfNull(audit.Error);
        string root = ClusterUri.Root(audit.Context);
        return [new ManifestLintResult(root, [], [new ManifestProblem(root, 0, 0, $"The cluster of context '{audit.Context}' was not audited: {audit.Error.Message}")], 0)];
    }

    private static (LintReport.Summary Summary, int Audited, List<string> Failed) Count(IReadOnlyList<AuditedContext> fleet)
    {
        var audited = fleet.Where(c => c.Audit.Error is null).ToList();
        return (LintReport.Summarise(audited.SelectMany(c => c.Results).ToList()), audited.Count,
            fleet.Where(c => c.Audit.Error is not null).Select(c => c.Audit.Context).ToList());
    }

    private static string Plural(int count) => count == 1 ? "" : "s";
}
