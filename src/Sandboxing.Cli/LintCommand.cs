using System.CommandLine;
using Sandboxing.Cli.Config;
using Sandboxing.Sdk;

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
            Description = "Files, folders (searched recursively for .yaml, .yml and .json, hidden files too) or '-' for standard input.",
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
            Description = "The runtime classes that count as sandboxes (comma-separated or repeated). Default: the one default allow-list (kata-vm-isolation), as the policy command.",
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
        var profile = new Option<string>("--profile")
        {
            Description = "How the tenant rules (SBX4xxx) see the inputs: default (each file alone) or tenant (the inputs are one tenant's " +
                "manifests: a tenant namespace in one file is checked against the policies, quotas and workloads of all of them; " +
                "'sandboxing tenant --check' is this).",
            DefaultValueFactory = _ => "default",
        };
        profile.AcceptOnlyFromAmong("default", "tenant");
        var maxFileSize = SandboxingCli.MaxFileSizeOption();
        var exclude = SandboxingCli.ExcludeOption();
        var color = SandboxingCli.ColorOption();
        var configs = new ConfigOptions();

        var command = new Command("lint", "Check manifests for pods without a VM sandbox or with settings Kata cannot run, and tenant namespaces for isolation gaps.")
        {
            paths, format, output, runtime, allowed, failOn, strict, baseDir, profile, maxFileSize, exclude, color,
        };
        configs.AddTo(command);
        ConfigOptions.DescribeOverrides(command);
        examples[command] = """
              sandboxing lint deploy/                                    every .yaml/.yml/.json under deploy/
              sandboxing lint -f sarif -o sandboxing.sarif deploy/       SARIF for GitHub code scanning
              helm template web ./chart | sandboxing lint -              rendered Helm output from standard input
              kustomize build overlays/prod | sandboxing lint -f json -  kustomize output as JSON
              sandboxing lint --allowed-runtime-classes kata-vm-isolation,kata-clh --fail-on error k8s/
              sandboxing lint --strict k8s/                              exemption annotations count for nothing
              sandboxing lint --profile tenant tenants/tenant-42/        one tenant's manifests, checked together
              sandboxing lint --config ci/.sandboxing.yaml k8s/          settings from a config file (default: the nearest .sandboxing.yaml)
            Exempt a workload with a reason (on the object or its pod template):
              metadata.annotations: { sandboxing.sdk/exempt: "node agent needs host networking" }
              metadata.annotations: { sandboxing.sdk/exempt.SBX2004: "reads node logs" }   (one rule only)
            """;

        command.SetAction(parse =>
        {
            var read = SandboxingCli.ReadOptions(parse, maxFileSize);
            var choice = SandboxingCli.Color(parse, color);
            var requested = parse.GetValue(paths) ?? [];
            if (requested.Length == 0)
            {
                console.Error.WriteLine($"{console.ErrorStyles(choice).Error}: name the manifests to lint: files, folders, or '-' for standard input (for example: helm template … | sandboxing lint -).");
                return ExitCodes.BadInput;
            }

            var results = new List<ManifestLintResult>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var patches = new KustomizePatches();
            var groups = configs.ForInputs(parse, requested, console);
            var excluded = new List<(string File, bool ByConfig)>();
            int found = 0, missingPaths = 0;
            foreach (var group in groups)
            {
                var config = group.Config;
                var (files, missing) = InputFiles.Expand(group.Paths, console, exclude: SandboxingCli.SplitList(parse.GetValue(exclude)),
                    configExclude: config.Exclude, configDirectory: config.Directory, seen: seen, excluded: excluded);
                found += files.Count;
                missingPaths += missing.Count;
                results.AddRange(missing.Select(p => new ManifestLintResult(p.Source, [], [p], 0)));

                // Every file is read before any is linted: a RuntimeClass one file defines is known when another is linted.
                var sources = new List<(InputFile File, ManifestSource? Source, IReadOnlyList<ManifestProblem> Problems)>();
                foreach (var file in files)
                {
                    try
                    {
                        sources.Add((file, file.Read(console, read), []));
                    }
                    catch (ManifestException e)
                    {
                        sources.Add((file, null, e.Problems));
                    }
                }

                var (learned, learnProblems) = config.ReadRuntimeClassesFromInputs
                    ? InputRuntimeClasses.Read(sources.Where(s => s.Source is not null).Select(s => s.Source!), read)
                    : ([], []);
                var validation = ConfigSettings.Validation(parse, runtime, allowed, parse.GetValue(strict), config, learned);
                var lintOptions = new ManifestLintOptions
                {
                    Validation = validation,
                    Read = read,
                    Profile = parse.GetValue(profile) == "tenant" ? ManifestLintProfile.Tenant : ManifestLintProfile.Default,
                };
                if (ConfigSettings.RuntimeDefinedUnsafely(validation.Runtime, learned) is { } unsafeRuntime)
                {
                    learnProblems = [.. learnProblems, unsafeRuntime];
                }

                var readable = sources.Where(s => s.Source is not null).Select(s => s.Source!).ToList();
                var linted = ManifestLinter.Lint(readable, lintOptions);
                int next = 0;
                foreach (var (file, source, problems) in sources)
                {
                    if (source is null)
                    {
                        results.Add(new ManifestLintResult(file.DisplayName, [], problems, 0));
                        continue;
                    }

                    var result = linted[next++];
                    var learnedHere = learnProblems.Where(p => p.Source == source.Name).ToList();
                    if (learnedHere.Count > 0)
                    {
                        result = result.With(result.Findings, [.. result.Problems, .. learnedHere]);
                    }

                    results.Add(ConfigSettings.ApplyRules(patches.Contains(file) ? KustomizePatches.AsPatch(result) : result, config));
                }
            }

            if (InputFiles.NothingToCheck(requested, found, missingPaths, excluded, [.. groups.Select(g => g.Config)]) is { } nothing)
            {
                results.Add(new ManifestLintResult(nothing.Source, [], [nothing], 0));
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
                Configs = ConfigNames.Of(groups.Select(g => g.Config)),
            }, textToOutput ? console.OutputStyles(choice) : StyledText.Plain);

            console.WriteResult(parse.GetValue(output), report);

            if (!textToOutput)
            {
                var styles = console.ErrorStyles(choice);
                foreach (var problem in results.SelectMany(r => r.Problems))
                {
                    console.Error.WriteLine($"{styles.Error}: {ControlCharacters.Escape(problem.ToString())}");
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
