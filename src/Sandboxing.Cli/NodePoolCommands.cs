using System.CommandLine;
using Sandboxing.Cli.Config;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Cli;

/// <summary><c>sandboxing nodepool</c> (az, Bicep, ARM, Terraform, REST) and <c>sandboxing plan</c> (capacity), over <see cref="AksNodePool"/>.</summary>
public static class NodePoolCommands
{
    /// <summary>
    /// The options that describe a pool. <c>nodepool</c> takes them all; <c>plan</c> only those a capacity plan reads (the pool's
    /// name, VM size, node counts, taints, max pods and Kubernetes version), so its help lists nothing it would ignore.
    /// </summary>
    /// <param name="planning">True for <c>plan</c>.</param>
    private sealed class PoolOptions(bool planning)
    {
        public Option<string> Name { get; } = new("--name", "-n") { Description = "The node pool name (1-12 lowercase letters and digits, starting with a letter).", DefaultValueFactory = _ => "kata" };
        public Option<string?> Cluster { get; } = new("--cluster", "-c") { Description = "The AKS cluster name.", HelpName = "name" };
        public Option<string?> ResourceGroup { get; } = new("--resource-group", "-g") { Description = "The cluster's resource group.", HelpName = "name" };
        public Option<string?> Subscription { get; } = new("--subscription") { Description = "The subscription ID (for ARM ids and REST URLs).", HelpName = "id" };
        public Option<string> VmSize { get; } = new("--vm-size", "-s") { Description = "A Generation 2 VM size with nested virtualization.", DefaultValueFactory = _ => "Standard_D4s_v5", HelpName = "size" };
        public Option<int?> Count { get; } = new("--count") { Description = "A fixed node count (without autoscaling)." };
        public Option<int?> Min { get; } = new("--min") { Description = "Autoscaling: the fewest nodes (with --max)." };
        public Option<int?> Max { get; } = new("--max") { Description = "Autoscaling: the most nodes (with --min)." };
        public Option<string[]> Zones { get; } = new("--zones") { Description = "Availability zones (comma-separated), e.g. 1,2,3.", HelpName = "zones" };
        public Option<string[]> Labels { get; } = new("--label") { Description = "A node label key=value (repeatable).", HelpName = "key=value" };
        public Option<string[]> Taints { get; } = new("--taint") { Description = "A node taint key=value:Effect (repeatable).", HelpName = "taint" };
        public Option<bool> DefaultTaint { get; } = new("--sandbox-taint") { Description = "Add the taint sandboxing.sdk/runtime=kata:NoSchedule, so only sandboxed pods land on the pool." };
        public Option<int?> MaxPods { get; } = new("--max-pods") { Description = "The most pods per node." };
        public Option<string?> OsSku { get; } = new("--os-sku") { Description = "The OS SKU (default AzureLinux; Kata needs Azure Linux).", HelpName = "sku" };
        public Option<string?> WorkloadRuntime { get; } = new("--workload-runtime") { Description = "The workload runtime (default KataVmIsolation).", HelpName = "runtime" };
        public Option<string?> ApiVersion { get; } = new("--api-version") { Description = $"The ARM API version (default {AksApiVersions.Default}).", HelpName = "version" };
        public Option<string?> OrchestratorVersion { get; } = new("--kubernetes-version") { Description = "The pool's Kubernetes version (1.27 or later).", HelpName = "version" };
        public Option<string[]> Tags { get; } = new("--tag") { Description = "An Azure tag key=value (repeatable).", HelpName = "key=value" };
        public Option<bool> Fips { get; } = new("--fips") { Description = "Enable FIPS (Kata does not support it: reported as an error)." };

        /// <summary>The options of the command, in help order.</summary>
        public IReadOnlyList<Option> All => planning
            ? [Name, VmSize, Count, Min, Max, Taints, DefaultTaint, MaxPods, OrchestratorVersion]
            : [Name, Cluster, ResourceGroup, Subscription, VmSize, Count, Min, Max, Zones, Labels, Taints, DefaultTaint, MaxPods, OsSku, WorkloadRuntime, ApiVersion, OrchestratorVersion, Tags, Fips];

        /// <summary>Builds the pool; errors come back as the exception's findings.</summary>
        public AksNodePool Build(ParseResult parse)
        {
            // A plan does not depend on where the pool lives; the builder still wants a cluster and resource group to accept it.
            var builder = AksNodePool.ForSandboxing(Value(parse, Name) ?? "kata")
                .InCluster(Value(parse, Cluster) ?? (planning ? "plan" : ""), Value(parse, ResourceGroup) ?? (planning ? "plan" : ""), Value(parse, Subscription))
                .WithVmSize(Value(parse, VmSize) ?? "Standard_D4s_v5");
            int? min = Value(parse, Min), max = Value(parse, Max), count = Value(parse, Count);
            if (min is not null || max is not null)
            {
                if (min is null || max is null)
                {
                    throw new ArgumentException("give both --min and --max for autoscaling.");
                }

                builder = builder.WithAutoscaling(min.Value, max.Value, count);
            }
            else if (count is { } fixedCount)
            {
                builder = builder.WithNodeCount(fixedCount);
            }

            if (SandboxingCli.SplitList(Value(parse, Zones)) is { Length: > 0 } zones)
            {
                builder = builder.WithAvailabilityZones(zones);
            }

            foreach (var label in Value(parse, Labels) ?? [])
            {
                var parts = label.Split('=', 2);
                builder = builder.WithNodeLabel(parts[0], parts.Length > 1 ? parts[1] : "");
            }

            foreach (var taint in Value(parse, Taints) ?? [])
            {
                builder = builder.WithNodeTaint(taint);
            }

            if (Value(parse, DefaultTaint))
            {
                builder = builder.WithNodeTaint(AksNodeTaint.SandboxDefault);
            }

            if (Value(parse, MaxPods) is { } maxPods)
            {
                builder = builder.WithMaxPods(maxPods);
            }

            if (Value(parse, OsSku) is { } osSku)
            {
                builder = builder.WithOsSku(osSku);
            }

            if (Value(parse, WorkloadRuntime) is { } runtime)
            {
                builder = builder.WithWorkloadRuntime(runtime);
            }

            if (Value(parse, ApiVersion) is { } apiVersion)
            {
                builder = builder.WithApiVersion(apiVersion);
            }

            if (Value(parse, OrchestratorVersion) is { } version)
            {
                builder = builder.WithOrchestratorVersion(version);
            }

            foreach (var tag in Value(parse, Tags) ?? [])
            {
                var parts = tag.Split('=', 2);
                builder = builder.WithTag(parts[0], parts.Length > 1 ? parts[1] : "");
            }

            if (Value(parse, Fips))
            {
                builder = builder.WithFips();
            }

            return builder.Build();
        }

        /// <summary>The value of an option the command has; the default for one it does not take (a plan's Azure-only settings).</summary>
        private T? Value<T>(ParseResult parse, Option<T> option) => All.Contains(option) ? parse.GetValue(option) : default;
    }

    /// <summary>Creates <c>sandboxing nodepool</c>.</summary>
    public static Command CreateNodePool(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var pool = new PoolOptions(planning: false);
        var format = new Option<string>("--format", "-f")
        {
            Description = "az (CLI commands), bicep, arm (an ARM template), terraform (azurerm 5.x), or rest (the ARM PUT request).",
            DefaultValueFactory = _ => "az",
        };
        format.AcceptOnlyFromAmong("az", "bicep", "arm", "terraform", "rest");
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output.", HelpName = "file" };
        var color = SandboxingCli.ColorOption();
        var command = new Command("nodepool", "Emit an AKS node pool that can run Kata pods, checked first (az, Bicep, ARM, Terraform, REST).");
        foreach (var option in pool.All)
        {
            command.Add(option);
        }

        command.Add(format);
        command.Add(output);
        command.Add(color);
        examples[command] = """
              sandboxing nodepool -c myAKSCluster -g myResourceGroup --min 1 --max 5 --sandbox-taint
              sandboxing nodepool -c myAKSCluster -g myResourceGroup -s Standard_D8s_v5 --count 3 -f bicep -o kata-pool.bicep
              sandboxing nodepool -c aks -g rg --subscription 00000000-0000-0000-0000-000000000000 -f rest
              sandboxing nodepool -c aks -g rg -f terraform --zones 1,2,3 --label workload=sandbox
            """;

        command.SetAction(parse =>
        {
            if (!TryBuild(pool, parse, console.ErrorStyles(SandboxingCli.Color(parse, color)), console, out var built))
            {
                return ExitCodes.Findings;
            }

            var text = parse.GetValue(format) switch
            {
                "bicep" => built.ToBicep(),
                "arm" => built.ToArmTemplate(),
                "terraform" => built.ToTerraform(),
                "rest" => built.ToRestRequest().ToString(),
                _ => built.ToAzCli(),
            };
            if (!text.EndsWith('\n'))
            {
                text += "\n";
            }

            console.WriteResult(parse.GetValue(output), text);
            if (built.NodeTaints.Where(t => t.RepelsPods).ToList() is { Count: > 0 } taints)
            {
                // Pods that do not tolerate the pool's taint stay Pending: say how fix adds the toleration (on standard error, so the output stays valid).
                var flags = string.Join(" ", taints.Select(t => $"--node-pool-taint {t}"));
                console.Error.WriteLine($"{console.ErrorStyles(SandboxingCli.Color(parse, color)).Paint("note", TextRole.Note)}: pods need a toleration for the pool's taints to run on it; " +
                    $"add it while adding the runtime class: sandboxing fix {flags} <manifests>");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Creates <c>sandboxing plan</c>.</summary>
    public static Command CreatePlan(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var pool = new PoolOptions(planning: true);
        var paths = new Argument<string[]>("paths")
        {
            Description = "The workloads: files, folders (.yaml/.yml/.json, recursively) or '-' for standard input.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var maxFileSize = SandboxingCli.MaxFileSizeOption();
        var color = SandboxingCli.ColorOption();
        var exclude = SandboxingCli.ExcludeOption();
        var configs = new ConfigOptions();
        var command = new Command("plan", "Plan node pool capacity for sandboxed workloads: pods per node and nodes needed.")
        {
            paths,
        };
        foreach (var option in pool.All)
        {
            command.Add(option);
        }

        command.Add(maxFileSize);
        command.Add(color);
        command.Add(exclude);
        configs.AddTo(command);
        ConfigOptions.DescribeOverrides(command);
        examples[command] = """
              sandboxing plan --min 1 --max 5 --max-pods 30 deploy/
              helm template web ./chart | sandboxing plan -s Standard_D8s_v5 --count 3 --sandbox-taint -
            """;

        command.SetAction(parse =>
        {
            var choice = SandboxingCli.Color(parse, color);
            var err = console.ErrorStyles(choice);
            var requested = parse.GetValue(paths) ?? [];
            if (requested.Length == 0)
            {
                console.Error.WriteLine($"{err.Error}: name the workloads to plan for: files, folders, or '-' for standard input.");
                return ExitCodes.BadInput;
            }

            var read = SandboxingCli.ReadOptions(parse, maxFileSize);
            var groups = configs.ForInputs(parse, requested, console);
            if (groups.Count > 1)
            {
                // One plan has one set of RuntimeClasses and kinds; merging two configs' would be a guess.
                throw new ArgumentException("the inputs are under different config files (" +
                    string.Join(", ", groups.Select(g => $"{(g.Config.FullPath is null ? "none" : g.Config.DisplayPath)} for {string.Join(" ", g.Paths)}")) +
                    "); plan them in separate runs, or pass --config <file> (or --no-config) to use one.");
            }

            var config = groups[0].Config;
            var excluded = new List<(string File, bool ByConfig)>();
            var (files, missing) = InputFiles.Expand(requested, console, exclude: SandboxingCli.SplitList(parse.GetValue(exclude)),
                configExclude: config.Exclude, configDirectory: config.Directory, excluded: excluded);
            bool bad = missing.Count > 0;
            foreach (var problem in missing)
            {
                console.Error.WriteLine($"{err.Error}: {ControlCharacters.Escape(problem.ToString())}");
            }

            if (InputFiles.NothingToCheck(requested, files.Count, missing.Count, excluded, [config]) is { } nothing)
            {
                console.Error.WriteLine($"{err.Error}: {ControlCharacters.Escape(nothing.ToString())}");
                bad = true;
            }

            console.Error.WriteLine(err.Paint(ControlCharacters.Escape(ConfigNames.Line(ConfigNames.Of([config]))), TextRole.Dim));

            var sources = new List<ManifestSource>();
            var patches = new KustomizePatches();
            foreach (var file in files)
            {
                if (patches.Contains(file))
                {
                    console.Error.WriteLine($"{err.Paint("skipped:", TextRole.Note)} {KustomizePatches.LeftOut(file, "not counted", "plan")}");
                    continue;
                }

                try
                {
                    sources.Add(file.Read(console, read));
                }
                catch (ManifestException e)
                {
                    foreach (var problem in e.Problems)
                    {
                        console.Error.WriteLine($"{err.Error}: {ControlCharacters.Escape(problem.ToString())}");
                    }

                    bad = true;
                }
            }

            var workloads = new List<object>();
            foreach (var source in sources)
            {
                try
                {
                    foreach (var located in SandboxManifest.ReadWorkloads(source, config.PodTemplates, read))
                    {
                        var model = located.Object;
                        if (PodTemplates.FindAll(model, config.PodTemplates).Any(site => site.Spec.Containers is { Count: > 0 }))
                        {
                            workloads.Add(model);
                        }
                        else
                        {
                            // A custom resource's operator may size its pods itself (Spark's driver and executor: cores and memory).
                            var why = model is UnstructuredObject
                                ? "declares no containers in its pod specs (its operator sizes the pods itself), so the plan cannot size them"
                                : "has no containers, so it has no pods to plan for (Kubernetes requires at least one container)";
                            console.Error.WriteLine($"{err.Paint("skipped:", TextRole.Note)} {err.Paint($"{source.Name}:{located.Line}:{located.Column}", TextRole.Location)}: " +
                                $"{PodTemplates.Describe((k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>)model)} {why}");
                        }
                    }

                    // A warm pool runs its template's pods, each a VM: the planner resolves the template among the inputs.
                    workloads.AddRange(SandboxManifest.ReadKind(source, "extensions.agents.x-k8s.io", "SandboxWarmPool", read).Select(o => o.Object));
                }
                catch (ManifestException e)
                {
                    foreach (var problem in e.Problems)
                    {
                        console.Error.WriteLine($"{err.Error}: {ControlCharacters.Escape(problem.ToString())}");
                    }

                    bad = true;
                }
            }

            var (learned, learnProblems) = config.ReadRuntimeClassesFromInputs ? InputRuntimeClasses.Read(sources, read) : ([], []);
            foreach (var problem in learnProblems)
            {
                console.Error.WriteLine($"{err.Error}: {ControlCharacters.Escape(problem.ToString())}");
                bad = true;
            }

            if (bad)
            {
                return ExitCodes.BadInput;
            }

            if (!TryBuild(pool, parse, err, console, out var built))
            {
                return ExitCodes.Findings;
            }

            if (VmSize.Find(built.VmSize) is null)
            {
                // The planner needs the size's vCPUs and memory; the SDK takes them in C#, the CLI has no flag for them.
                console.Error.WriteLine($"{err.Error}: --vm-size '{built.VmSize}' is not in the SDK's VM size catalog, so its vCPUs and memory are " +
                    $"unknown and no plan can be made; plan with a listed size of the same vCPUs and memory, such as {VmSizes.Suggested}.");
                return ExitCodes.BadInput;
            }

            // Manifests not sandboxed yet are planned as if they were (the linter's "once runtimeClassName is set"), with a note,
            // rather than left out of a Kata plan that would then say "enough".
            var taints = built.NodeTaints.Where(t => t.RepelsPods).ToList();
            string tolerated = taints.Count == 0 ? "" : $" and tolerations of its taints ({string.Join(", ", taints)})";
            foreach (var name in PlanAsSandboxed.Apply(built, workloads, config.PodTemplates))
            {
                console.Error.WriteLine($"{err.Paint("note:", TextRole.Note)} {name} has no runtimeClassName; planned as if sandboxed for node pool " +
                    $"'{built.Name}' (runtimeClassName {built.RuntimeClassName}{tolerated}). Set them before deploying: 'sandboxing fix' sets the runtime class.");
            }

            // The plan prices the Kata classes the config and the inputs define (a class on another handler is not a Kata VM).
            var classes = ConfigSettings.Defined(config, learned).Where(d => d.Handler == "kata" || d.Handler.StartsWith("kata-", StringComparison.Ordinal))
                .DistinctBy(d => d.Name).ToList();
            var plan = built.Plan(workloads, new CapacityPlanOptions { RuntimeClasses = classes, PodTemplates = config.PodTemplates });
            console.Output.Write(console.OutputStyles(choice).Plan(CliWording.Apply(plan.ToTable())));
            bool fits = plan.FitsInPool && plan.Findings.Count == 0 && plan.Workloads.All(w => w.PodsPerNode > 0);
            return fits ? ExitCodes.Success : ExitCodes.Findings;
        });
        return command;
    }

    private static bool TryBuild(PoolOptions pool, ParseResult parse, StyledText err, CliConsole console, out AksNodePool built)
    {
        try
        {
            built = pool.Build(parse);
        }
        catch (SandboxValidationException e)
        {
            foreach (var finding in e.Findings)
            {
                console.Error.WriteLine(err.Finding(finding));
            }

            console.Error.WriteLine(err.Paint($"The node pool has {e.Findings.Count} error{(e.Findings.Count == 1 ? "" : "s")}; nothing was emitted.", TextRole.Error));
            built = null!;
            return false;
        }

        foreach (var warning in built.Findings)
        {
            console.Error.WriteLine(err.Finding(warning));
        }

        return true;
    }
}
