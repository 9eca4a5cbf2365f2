using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Sandboxing.Cli.Config;
using Sandboxing.Sdk;

namespace Sandboxing.Cli;

/// <summary>The <c>sandboxing</c> command line: <c>lint</c>, <c>fix</c>, <c>nodepool</c>, <c>plan</c>, <c>migrate</c>, <c>runtimes</c> and <c>policy</c>.</summary>
public static class SandboxingCli
{
    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        console = console with { Error = new MessageWriter(console.Error) };
        var root = Build(console);
        var parse = root.Parse(args);
        bool help = args.Any(a => a is "--help" or "-h" or "-?");
        var err = ErrorStyles(parse, console);
        var usageErrors = help ? [] : UsageErrors.Find(parse, root);
        if (usageErrors.Count > 0)
        {
            // A usage error stops the run before any work: no file is read, nothing is written.
            foreach (var message in usageErrors)
            {
                console.Error.WriteLine($"{err.Error}: {message}");
            }

            var command = parse.CommandResult.Command;
            console.Error.WriteLine($"Usage: {UsageErrors.Usage(command, root)}");
            console.Error.WriteLine($"Run '{string.Join(' ', ["sandboxing", .. UsageErrors.Path(command, root)])} --help' for the options and examples.");
            return ExitCodes.BadInput;
        }

        try
        {
            if (help)
            {
                // The usage line names the process (Sandboxing.Cli, dotnet, testhost); users type 'sandboxing'.
                var buffer = new StringWriter { NewLine = console.Output.NewLine };
                int code = parse.Invoke(new InvocationConfiguration { Output = buffer, Error = console.Error, EnableDefaultExceptionHandler = false });
                console.Output.Write(System.Text.RegularExpressions.Regex.Replace(buffer.ToString(),
                    "(?m)^(  )" + System.Text.RegularExpressions.Regex.Escape(root.Name) + @"(?=\s|$)", "$1sandboxing"));
                return code;
            }

            return parse.Invoke(new InvocationConfiguration { Output = console.Output, Error = console.Error, EnableDefaultExceptionHandler = false });
        }
        catch (ConfigException e)
        {
            foreach (var problem in e.Problems)
            {
                console.Error.WriteLine($"{err.Error}: {ControlCharacters.Escape(problem.ToString())}");
            }

            return ExitCodes.BadInput;
        }
        catch (ManifestException e)
        {
            foreach (var problem in e.Problems)
            {
                console.Error.WriteLine($"{err.Error}: {ControlCharacters.Escape(problem.ToString())}");
            }

            return ExitCodes.BadInput;
        }
        catch (ArgumentException e)
        {
            console.Error.WriteLine($"{err.Error}: {CliWording.Apply(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.Error.WriteLine($"{err.Error}: {e.Message} Check that the folder exists and can be written.");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>Builds the command tree (exposed for tests and documentation).</summary>
    public static RootCommand Build(CliConsole console)
    {
        var root = new RootCommand("Lint and fix Kubernetes YAML for Kata VM isolation (AKS Pod Sandboxing), and emit what runs and enforces it. " +
            "Exit codes: 0 clean, 1 findings, 2 bad input or usage. Details of every command: docs/cli.md.");
        var examples = new Dictionary<Command, string>
        {
            [root] = """
                  sandboxing lint k8s/                          lint every .yaml/.yml/.json under k8s/
                  helm template web ./chart | sandboxing lint - lint rendered Helm output
                  sandboxing fix --dry-run k8s/                 show what fix would change
                  sandboxing policy --mode audit                a ValidatingAdmissionPolicy in audit mode
                  sandboxing nodepool -c aks -g rg -f bicep     a Kata node pool as Bicep
                  sandboxing plan --min 1 --max 5 deploy/       nodes needed for the workloads under deploy/
                  sandboxing runtimes                           the runtime classes the SDK knows
                  sandboxing tenant tenant-42                   a tenant's isolation bundle (namespace, policies, quota, …)
                  sandboxing cluster -n aks -g rg -l westeurope a new AKS cluster with Pod Sandboxing
                  sandboxing fleet placement -l env=prod        place the policies on Fleet Manager member clusters
                  sandboxing audit -A                           running workloads of the cluster without a sandbox
                  sandboxing rules                              the rule catalog and where each rule is checked
                  sandboxing explain SBX2001                    one rule's page
                  sandboxing agent template py --image python:3.12-slim --warm 2
                                                                an agent SandboxTemplate and a warm pool of 2
                """,
        };

        root.Add(LintCommand.Create(console, examples));
        root.Add(FixCommand.Create(console, examples));
        root.Add(NodePoolCommands.CreateNodePool(console, examples));
        root.Add(NodePoolCommands.CreatePlan(console, examples));
        root.Add(MigrateCommand.Create(console, examples));
        root.Add(RuntimesCommand.Create(console, examples));
        root.Add(PolicyCommand.Create(console, examples));
        root.Add(TenantCommand.Create(console, examples));
        root.Add(FleetCommand.Create(console, examples));
        root.Add(ClusterCommand.Create(console, examples));
        root.Add(AuditCommand.Create(console, examples));
        root.Add(RulesCommand.CreateRules(console, examples));
        root.Add(RulesCommand.CreateExplain(console, examples));
        root.Add(AgentCommand.Create(console, examples));

        foreach (var option in root.Options)
        {
            if (option is HelpOption helpOption && helpOption.Action is HelpAction inner)
            {
                helpOption.Action = new ExamplesHelpAction(inner, examples);
            }
        }

        return root;
    }

    internal static Option<string> RuntimeOption() => new("--runtime", "-r")
    {
        Description = "The sandbox runtime class to suggest (lint) or add (fix). kata-vm-isolation is AKS Pod Sandboxing.",
        DefaultValueFactory = _ => KnownRuntimeClasses.Default,
        HelpName = "class",
    };

    internal static Option<string[]> ExcludeOption() => new("--exclude", "-x")
    {
        Description = "Leave out files found in folders that match these globs (comma-separated or repeated): 'charts' or '*.tmpl.yaml' match " +
            "any name in the path, 'deploy/legacy/**' the path from the folder given. Files named on the command line are always read.",
        HelpName = "globs",
    };

    internal static Option<string> ColorOption()
    {
        var option = new Option<string>("--color")
        {
            Description = "Colour the text: auto (when the stream is a terminal, unless NO_COLOR is set or TERM is dumb; FORCE_COLOR forces it), " +
                "always, or never. Files written with --output, JSON and SARIF are never coloured.",
            DefaultValueFactory = _ => "auto",
            HelpName = "auto|always|never",
        };
        option.AcceptOnlyFromAmong("auto", "always", "never");
        return option;
    }

    internal static ColorChoice Color(ParseResult parse, Option<string> option) => parse.GetValue(option) switch
    {
        "always" => ColorChoice.Always,
        "never" => ColorChoice.Never,
        _ => ColorChoice.Auto,
    };

    internal static Option<string> MaxFileSizeOption() => new("--max-file-size")
    {
        Description = "Refuse files larger than this (bytes, or with a suffix such as 16Mi or 50M).",
        DefaultValueFactory = _ => "16Mi",
        HelpName = "size",
    };

    internal static ManifestReadOptions ReadOptions(ParseResult parse, Option<string> maxFileSize)
    {
        var text = parse.GetValue(maxFileSize) ?? "16Mi";
        if (!Quantities.TryParse(text, out var bytes) || bytes < 1 || bytes > long.MaxValue)
        {
            throw new ArgumentException($"--max-file-size '{text}' is not a size; write bytes or a size such as 16Mi, 50M or 1Gi.");
        }

        return new ManifestReadOptions { MaxFileBytes = (long)bytes };
    }

    internal static SandboxRuntime ParseRuntime(string? name)
    {
        var value = string.IsNullOrWhiteSpace(name) ? KnownRuntimeClasses.Default : name.Trim();
        if (KubernetesNames.CheckSubdomain(value) is { } error)
        {
            throw new ArgumentException($"--runtime '{value}' is not a runtime class name: {error}.");
        }

        var runtime = new SandboxRuntime(value);
        if (runtime.IsHostKernel)
        {
            throw new ArgumentException($"--runtime '{value}' runs pods on the node's shared kernel, so it is not a sandbox class; name one such as {KnownRuntimeClasses.Default}.");
        }

        return runtime;
    }

    internal static string[] SplitList(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The renderer for errors the run reports itself (usage errors, errors a command throws): the command's <c>--color</c> when
    /// it has one that parsed, else <c>auto</c>.
    /// </summary>
    private static StyledText ErrorStyles(ParseResult parse, CliConsole console)
    {
        var option = parse.CommandResult.Command.Options.OfType<Option<string>>().FirstOrDefault(o => o.Name == "--color");
        var choice = option is not null && parse.GetResult(option) is { } result && !result.Errors.Any() ? Color(parse, option) : ColorChoice.Auto;
        return console.ErrorStyles(choice);
    }

    /// <summary>The default help, followed by the command's examples.</summary>
    private sealed class ExamplesHelpAction(HelpAction inner, IReadOnlyDictionary<Command, string> examples) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            int code = inner.Invoke(parseResult);
            if (examples.TryGetValue(parseResult.CommandResult.Command, out var text))
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Examples:");
                output.WriteLine(text.TrimEnd());
                output.WriteLine();
            }

            return code;
        }
    }
}
