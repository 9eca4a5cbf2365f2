using System.CommandLine;
using Sandboxing.Sdk.Catalog;
using Sandboxing.Sdk.Manifests;
using Sandboxing.Sdk.Validation;

namespace Sandboxing.Cli;

/// <summary><c>sandboxing lint</c>: checks manifests against the rule catalog.</summary>
public static class LintCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var paths = new Argument<string[]>("paths")
        {
            Description = "Files, folders (searched recursively for .yaml and .yml) or '-' for standard input.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format: text, json or sarif (SARIF 2.1.0, for code scanning).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of standard output.", HelpName = "file" };
        var runtime = SandboxingCli.RuntimeOption();
        var allowed = new Option<string[]>("--allowed-runtime-classes", "-a")
        {
            Description = "The runtime classes that count as sandboxes (comma-separated or repeated). Default: every known current sandbox class.",
            AllowMultipleArgumentsPerToken = false,
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
        var baseDir = new Option<string?>("--base-dir")
        {
            Description = "The folder SARIF paths are relative to (originalUriBaseIds SRCROOT). Default: the current folder.",
            HelpName = "folder",
        };
        var maxFileSize = SandboxingCli.MaxFileSizeOption();
        var exclude = SandboxingCli.ExcludeOption();
        var color = SandboxingCli.ColorOption();

        var command = new Command("lint", "Check Kubernetes manifests for pods that run without a VM sandbox or with settings Kata cannot run. " +
            "Every pod-bearing kind is checked (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, " +
            "PodTemplate), in multi-document files and List items; other YAML is skipped. Exit codes: 0 nothing at or above --fail-on, " +
            "1 findings, 2 bad input (the other files are still linted).")
        {
            paths, format, output, runtime, allowed, failOn, strict, baseDir, maxFileSize, exclude, color,
        };
        examples[command] = """
              sandboxing lint deploy/                                    every .yaml/.yml under deploy/
              sandboxing lint -f sarif -o sandboxing.sarif deploy/       SARIF for GitHub code scanning
              helm template web ./chart | sandboxing lint -              rendered Helm output from standard input
              kustomize build overlays/prod | sandboxing lint -f json -  kustomize output as JSON
              sandboxing lint --allowed-runtime-classes kata-vm-isolation,kata-clh --fail-on error k8s/
              sandboxing lint --strict k8s/                              exemption annotations count for nothing
            Exempt a workload with a reason (on the object or its pod template):
              metadata.annotations: { sandboxing.sdk/exempt: "node agent needs host networking" }
              metadata.annotations: { sandboxing.sdk/exempt.SBX2004: "reads node logs" }   (one rule only)
            """;

        command.SetAction(parse =>
        {
            var read = SandboxingCli.ReadOptions(parse, maxFileSize);
            var classes = SandboxingCli.SplitList(parse.GetValue(allowed));
            var validation = new SandboxValidationOptions
            {
                Runtime = SandboxingCli.ParseRuntime(parse.GetValue(runtime)),
                AllowedRuntimeClasses = classes.Length > 0 ? classes : null,
                HonourExemptions = !parse.GetValue(strict),
            };
            var choice = SandboxingCli.Color(parse, color);
            var requested = parse.GetValue(paths) ?? [];
            if (requested.Length == 0)
            {
                console.Error.WriteLine($"{console.ErrorStyles(choice).Error}: name the manifests to lint: files, folders, or '-' for standard input (for example: helm template … | sandboxing lint -).");
                return ExitCodes.BadInput;
            }

            var (files, missing) = InputFiles.Expand(requested, console, exclude: SandboxingCli.SplitList(parse.GetValue(exclude)));
            var results = new List<ManifestLintResult>();
            results.AddRange(missing.Select(p => new ManifestLintResult(p.Source, [], [p], 0)));
            var lintOptions = new ManifestLintOptions { Validation = validation, Read = read };
            foreach (var file in files)
            {
                try
                {
                    var source = file.Read(console, read);
                    var result = ManifestLinter.Lint(source, lintOptions);
                    var tenant = TenantLint.Check(source, read);
                    results.Add(tenant.Count == 0 ? result : result with { Findings = [.. result.Findings, .. tenant] });
                }
                catch (ManifestException e)
                {
                    results.Add(new ManifestLintResult(file.DisplayName, [], e.Problems, 0));
                }
            }

            var reportFormat = parse.GetValue(format) switch
            {
                "json" => LintReportFormat.Json,
                "sarif" => LintReportFormat.Sarif,
                _ => LintReportFormat.Text,
            };
            bool textToOutput = reportFormat == LintReportFormat.Text && parse.GetValue(output) is null;
            var report = LintReport.Write(results, reportFormat, new LintReportOptions
            {
                BaseDirectory = parse.GetValue(baseDir) is { } b ? console.FullPath(b) : console.WorkingDirectory,
            }, textToOutput ? console.OutputStyles(choice) : StyledText.Plain);

            console.WriteResult(parse.GetValue(output), report);

            if (!textToOutput)
            {
                var styles = console.ErrorStyles(choice);
                foreach (var problem in results.SelectMany(r => r.Problems))
                {
                    console.Error.WriteLine($"{styles.Error}: {problem}");
                }
            }

            if (results.Any(r => r.Problems.Count > 0))
            {
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
}
