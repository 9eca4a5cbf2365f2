using System.CommandLine;
using k8s;
using Sandboxing.Cli.Config;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Cli;

/// <summary>
/// <c>sandboxing audit</c>: reads the running workloads and pods of a live cluster (through the kubeconfig), or of every cluster
/// of the kubeconfig at once (<c>--all-contexts</c>, <c>--contexts</c>), and reports those without an allowed runtime class, with
/// <c>lint</c>'s formats and exit codes.
/// </summary>
public static class AuditCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "The kubeconfig file. Default: the first file of KUBECONFIG, else ~/.kube/config.",
            HelpName = "path",
        };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context. Default: its current-context.", HelpName = "name" };
        var allContexts = new Option<bool>("--all-contexts") { Description = "Audit the cluster of every context of the kubeconfig, several at once." };
        var contexts = new Option<string[]>("--contexts")
        {
            Description = "Audit the clusters of these contexts (comma-separated or repeated), several at once.",
            HelpName = "names",
        };
        var parallel = new Option<int>("--parallel")
        {
            Description = "With --all-contexts or --contexts: how many clusters are audited at once.",
            DefaultValueFactory = _ => SandboxKubeconfig.DefaultMaxParallelism,
            HelpName = "count",
        };
        var namespaces = new Option<string[]>("--namespace")
        {
            Description = "Audit this namespace (repeat, or comma-separate, for more). Default: the context's namespace, else 'default'.",
            HelpName = "ns",
        };
        var allNamespaces = new Option<bool>("--all-namespaces", "-A") { Description = "Audit every namespace (one cluster-wide list per kind)." };
        var selector = new Option<string?>("--selector")
        {
            Description = "Audit only objects with these labels, as kubectl's label selector (app=web,tier!=db).",
            HelpName = "selector",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format: text, json or sarif (SARIF 2.1.0, for code scanning).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of standard output.", HelpName = "file" };
        var runtime = SandboxingCli.RuntimeOption();
        runtime.Description = "The sandbox runtime class that messages suggest. kata-vm-isolation is AKS Pod Sandboxing.";
        var allowed = new Option<string[]>("--allowed-runtime-classes", "-a")
        {
            Description = "The runtime classes that count as sandboxes (comma-separated or repeated). Default: the one default allow-list (kata-vm-isolation), as the policy command.",
            HelpName = "classes",
        };
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit with 1 when a finding has this severity or a higher one: error, warning, info, or none.",
            DefaultValueFactory = _ => "warning",
        };
        failOn.AcceptOnlyFromAmong("error", "warning", "info", "none");
        var strict = new Option<bool>("--strict")
        {
            Description = "Refuse exemptions: sandboxing.sdk/exempt annotations (even with a reason) silence nothing.",
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Give up on a cluster after this many seconds: its kubeconfig credentials, every list and every retry included.",
            DefaultValueFactory = _ => (int)SandboxKubeconfig.DefaultClusterTimeout.TotalSeconds,
            HelpName = "seconds",
        };
        var color = SandboxingCli.ColorOption();

        var configs = new ConfigOptions();
        var command = new Command("audit", "Report running workloads of a live cluster that run without an allowed sandbox class.")
        {
            kubeconfig, context, allContexts, contexts, parallel, namespaces, allNamespaces, selector, format, output, runtime, allowed, failOn,
            strict, timeout, color,
        };
        configs.AddTo(command);
        ConfigOptions.DescribeOverrides(command);
        examples[command] = """
              sandboxing audit -A                                        every namespace of the current context
              sandboxing audit --namespace tenant-42,tenant-43           two namespaces
              sandboxing audit --context aks-prod -A -f sarif -o audit.sarif
              sandboxing audit --kubeconfig ./ci.kubeconfig -A --selector app=runner --fail-on error
              sandboxing audit -A --strict                               exemption annotations count for nothing
              sandboxing audit --all-contexts -A -f sarif -o fleet.sarif every cluster of the kubeconfig
              sandboxing audit --contexts aks-weu,aks-neu -A --parallel 4 --timeout 60
            The identity needs 'list' on the audited resources, for example:
              kubectl create clusterrole sandboxing-audit --verb=list --resource=pods,deployments.apps,statefulsets.apps,daemonsets.apps,replicasets.apps,jobs.batch,cronjobs.batch
              kubectl create clusterrolebinding sandboxing-audit --clusterrole=sandboxing-audit --user=<user>
            """;

        command.SetAction(parse =>
        {
            var choice = SandboxingCli.Color(parse, color);
            var requested = SandboxingCli.SplitList(parse.GetValue(namespaces));
            bool all = parse.GetValue(allNamespaces);
            if (all && requested.Length > 0)
            {
                throw new ArgumentException("--all-namespaces and --namespace exclude each other: pass one of them.");
            }

            if (parse.GetValue(timeout) is var seconds && seconds < 1)
            {
                throw new ArgumentException($"--timeout {seconds} is not a number of seconds; pass 1 or more.");
            }

            var fleetContexts = SandboxingCli.SplitList(parse.GetValue(contexts));
            bool fleet = parse.GetValue(allContexts) || fleetContexts.Length > 0;
            if (parse.GetValue(allContexts) && fleetContexts.Length > 0)
            {
                throw new ArgumentException("--all-contexts and --contexts exclude each other: pass one of them.");
            }

            if (fleet && parse.GetValue(context) is not null)
            {
                throw new ArgumentException($"--context audits one cluster and {(fleetContexts.Length > 0 ? "--contexts" : "--all-contexts")} several: pass one of them.");
            }

            if (ConfigSettings.Given(parse, parallel) && !fleet)
            {
                throw new ArgumentException("--parallel applies to several clusters: pass it with --all-contexts or --contexts.");
            }

            if (parse.GetValue(parallel) is var clustersAtOnce && clustersAtOnce < 1)
            {
                throw new ArgumentException($"--parallel {clustersAtOnce} is not a number of clusters; pass 1 or more.");
            }

            // The config of the working directory: its classes and rules (a cluster has no files to exclude or kinds to add).
            var config = configs.ForWorkingDirectory(parse, console);
            var validation = ConfigSettings.Validation(parse, runtime, allowed, parse.GetValue(strict), config, []);
            string? path = parse.GetValue(kubeconfig) is { } k ? console.FullPath(k) : null;
            var deadline = TimeSpan.FromSeconds(seconds);
            // Each cluster: every namespace, the ones asked for, or its context's namespace (else default), as kubectl.
            SandboxAuditOptions For(string name, KubernetesClientConfiguration configuration) => new()
            {
                Namespaces = all ? [] : requested.Length > 0 ? requested : [string.IsNullOrEmpty(configuration.Namespace) ? "default" : configuration.Namespace],
                LabelSelector = parse.GetValue(selector),
                Validation = validation,
                Retry = new SandboxRetryPolicy { Deadline = deadline },
            };

            var styles = console.ErrorStyles(choice);
            List<AuditedContext> audited;
            try
            {
                var audits = fleet
                    ? SandboxKubeconfig.AuditEachContextAsync(path, fleetContexts, For, clustersAtOnce, deadline, CancellationToken.None).GetAwaiter().GetResult()
                    : [SandboxKubeconfig.AuditContextAsync(path, parse.GetValue(context), deadline, For, CancellationToken.None).GetAwaiter().GetResult()];
                audited = audits.Select(a => new AuditedContext(a, a.Report is { } r
                    ? ToResults(r, a.Context).Select(x => ConfigSettings.ApplyRules(x, config)).ToList()
                    : FleetAuditReport.Failed(a))).ToList();
            }
            catch (SandboxDeployException e)
            {
                // Nothing was audited: the kubeconfig cannot be read, or lacks a context of --contexts.
                console.Error.WriteLine($"{styles.Error}: {CliWording.Apply(e.Message)}");
                return ExitCodes.BadInput;
            }

            if (!fleet && audited[0].Audit.Error is { } failure)
            {
                // One cluster and nothing audited: its kubeconfig entry cannot be used, it cannot be reached, or it refused the credentials.
                console.Error.WriteLine($"{styles.Error}: {CliWording.Apply(failure.Message)}");
                return ExitCodes.BadInput;
            }

            var results = audited.SelectMany(c => c.Results).ToList();
            var reportFormat = parse.GetValue(format) switch
            {
                "json" => LintReportFormat.Json,
                "sarif" => LintReportFormat.Sarif,
                _ => LintReportFormat.Text,
            };
            bool textToOutput = reportFormat == LintReportFormat.Text && parse.GetValue(output) is null;
            var outputStyles = textToOutput ? console.OutputStyles(choice) : StyledText.Plain;
            var configNames = Config.ConfigNames.Of([config]);
            string report = (fleet, reportFormat) switch
            {
                (true, LintReportFormat.Text) => FleetAuditReport.Text(audited, outputStyles, configNames),
                (true, LintReportFormat.Json) => FleetAuditReport.Json(audited, configNames),
                _ => LintReport.Write(results, reportFormat, new LintReportOptions { BaseDirectory = console.WorkingDirectory, SourceNoun = "namespace", Configs = configNames }, outputStyles),
            };
            console.WriteResult(parse.GetValue(output), CliWording.Apply(report));

            var problems = results.SelectMany(r => r.Problems).ToList();
            if (!textToOutput)
            {
                foreach (var problem in problems)
                {
                    string where = fleet ? $"context {ClusterUri.ContextOf(problem.Source)}: " : "";
                    console.Error.WriteLine($"{styles.Error}: {where}{CliWording.Apply(problem.Message)}");
                }
            }

            if (problems.Count > 0)
            {
                // A refused list or a failed cluster: the report is incomplete.
                return ExitCodes.BadInput;
            }

            SandboxSeverity? threshold = parse.GetValue(failOn) switch
            {
                "error" => SandboxSeverity.Error,
                "info" => SandboxSeverity.Info,
                "none" => null,
                _ => SandboxSeverity.Warning,
            };
            bool failed = threshold is { } t && results.SelectMany(r => r.Findings).Any(f => f.Finding.Severity >= t);
            return failed ? ExitCodes.Findings : ExitCodes.Success;
        });

        return command;
    }

    /// <summary>
    /// The audit as lint results, so that <see cref="LintReport"/> renders it: one result per namespace, each finding located at
    /// <c>cluster://&lt;context&gt;/&lt;namespace&gt;/&lt;kind&gt;/&lt;name&gt;</c>, each refused list a problem at
    /// <c>cluster://&lt;context&gt;[/&lt;namespace&gt;]/&lt;resource&gt;</c>.
    /// </summary>
    internal static IReadOnlyList<ManifestLintResult> ToResults(SandboxAuditReport audit, string context)
    {
        string root = ClusterUri.Root(context);
        var namespaces = new SortedSet<string>(audit.Checked.Keys, StringComparer.Ordinal);
        namespaces.UnionWith(audit.Objects.Select(o => o.Namespace));
        var results = new List<ManifestLintResult>();
        foreach (var ns in namespaces)
        {
            var findings = audit.Objects.Where(o => o.Namespace == ns)
                .SelectMany(o => o.Findings.Select(f => new ManifestFinding(
                    f, $"{root}/{Uri.EscapeDataString(ns)}/{o.Kind}/{Uri.EscapeDataString(o.Name)}", 0, 0, 0, fieldExists: true)))
                .ToList();
            var problems = audit.Problems.Where(p => p.Namespace == ns).Select(Problem).ToList();
            results.Add(new ManifestLintResult($"{root}/{Uri.EscapeDataString(ns)}", findings, problems, audit.Checked.GetValueOrDefault(ns)));
        }

        var clusterWide = audit.Problems.Where(p => p.Namespace is null || !namespaces.Contains(p.Namespace)).Select(Problem).ToList();
        if (clusterWide.Count > 0)
        {
            results.Add(new ManifestLintResult(root, [], clusterWide, 0));
        }

        return results;

        ManifestProblem Problem(SandboxDeployException p) =>
            new(p.Namespace is null ? $"{root}/{p.Target}" : $"{root}/{Uri.EscapeDataString(p.Namespace)}/{p.Target}", 0, 0, p.Message);
    }
}
