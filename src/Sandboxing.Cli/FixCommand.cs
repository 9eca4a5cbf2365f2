using System.CommandLine;
using Sandboxing.Cli.Config;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Cli;

/// <summary><c>sandboxing fix</c>: adds the runtime class and renames deprecated ones, changing nothing else.</summary>
public static class FixCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var paths = new Argument<string[]>("paths")
        {
            Description = "Files or folders (searched recursively for .yaml, .yml and .json, hidden files too); '-' fixes standard input to standard output.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var runtime = SandboxingCli.RuntimeOption();
        var dryRun = new Option<bool>("--dry-run", "-d") { Description = "Print a unified diff of the changes and write nothing; exit 1 when there are changes." };
        var force = new Option<bool>("--force")
        {
            Description = "Also add the class to pods that cannot run under Kata as written (hostNetwork), and rename retired classes (kata-cc-isolation).",
        };
        var taints = new Option<string[]>("--node-pool-taint")
        {
            Description = "Also add the toleration of this node pool taint (key=value:Effect, repeatable) to every pod spec that gets the class, " +
                "so the pods can run on a tainted sandbox pool (nodepool --sandbox-taint: sandboxing.sdk/runtime=kata:NoSchedule).",
            HelpName = "taint",
        };
        var maxFileSize = SandboxingCli.MaxFileSizeOption();
        var exclude = SandboxingCli.ExcludeOption();
        var color = SandboxingCli.ColorOption();
        var configs = new ConfigOptions();

        var command = new Command("fix", "Add runtimeClassName to pod specs that have none and rename deprecated classes, changing nothing else.")
        {
            paths, runtime, dryRun, force, taints, maxFileSize, exclude, color,
        };
        configs.AddTo(command);
        ConfigOptions.DescribeOverrides(command);
        examples[command] = """
              sandboxing fix --dry-run deploy/             show the diff, change nothing
              sandboxing fix deploy/                       fix every .yaml/.yml/.json under deploy/ in place
              sandboxing fix --runtime kata-clh pod.yaml   add another class (upstream kata-deploy)
              kustomize build . | sandboxing fix -         fix a stream, print the result
              sandboxing fix --node-pool-taint sandboxing.sdk/runtime=kata:NoSchedule deploy/
                                                           also tolerate the sandbox pool's taint
            """;

        command.SetAction(parse =>
        {
            var read = SandboxingCli.ReadOptions(parse, maxFileSize);
            bool dry = parse.GetValue(dryRun);
            var choice = SandboxingCli.Color(parse, color);
            var err = console.ErrorStyles(choice);
            var requested = parse.GetValue(paths) ?? [];
            if (requested.Length == 0)
            {
                console.Error.WriteLine($"{err.Error}: name the manifests to fix: files or folders ('-' fixes standard input to standard output).");
                return ExitCodes.BadInput;
            }

            bool badInput = false;
            bool skippedAny = false;
            bool anyStdin = false;
            int changedFiles = 0, edits = 0, unwritten = 0;
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
                anyStdin |= files.Any(f => f.IsStdin);
                badInput |= missing.Count > 0;
                foreach (var problem in missing)
                {
                    console.Error.WriteLine($"{err.Error}: {ControlCharacters.Escape(problem.ToString())}");
                }

                // Every file is read first, so that a class the inputs define on runc is never the one added.
                var sources = new List<(InputFile File, ManifestSource Source)>();
                foreach (var file in files)
                {
                    try
                    {
                        sources.Add((file, file.Read(console, read)));
                    }
                    catch (ManifestException e)
                    {
                        foreach (var problem in e.Problems)
                        {
                            console.Error.WriteLine($"{err.Error}: {ControlCharacters.Escape(problem.ToString())} (the file was not changed)");
                        }

                        badInput = true;
                    }
                }

                var learned = config.ReadRuntimeClassesFromInputs
                    ? InputRuntimeClasses.Read(sources.Select(s => s.Source), read).Classes
                    : [];
                var options = new ManifestFixOptions
                {
                    Runtime = ConfigSettings.Runtime(parse, runtime, config, ConfigSettings.Defined(config, learned)),
                    Force = parse.GetValue(force),
                    Read = read,
                    PodTemplates = config.PodTemplates,
                    Tolerations = Tolerations(parse.GetValue(taints)),
                };
                if (ConfigSettings.RuntimeDefinedUnsafely(options.Runtime, learned) is { } unsafeRuntime)
                {
                    console.Error.WriteLine($"{err.Error}: {unsafeRuntime} (no file was changed)");
                    badInput = true;
                    continue;
                }

                var scope = new WriteScope(group.Paths, console);
                foreach (var (file, source) in sources)
                {
                    if (patches.Contains(file))
                    {
                        // A runtimeClassName in a patch would override every overlay's choice; the base is the place.
                        console.Error.WriteLine($"{err.Paint("skipped:", TextRole.Note)} {KustomizePatches.LeftOut(file, "left unchanged", "fix")}");
                        continue;
                    }

                    var result = ManifestFixer.Fix(source, options);
                    foreach (var problem in result.Problems)
                    {
                        console.Error.WriteLine($"{err.Error}: {ControlCharacters.Escape(problem.ToString())} (the file was not changed)");
                        badInput = true;
                    }

                    foreach (var skipped in result.Skipped)
                    {
                        console.Error.WriteLine($"{err.Paint("not changed:", TextRole.Warning)} {ControlCharacters.Escape(skipped.ToString())}");
                        skippedAny = true;
                    }

                    if (file.IsStdin && !dry)
                    {
                        console.Output.Write(result.Problems.Count > 0 ? result.Source.Text : result.FixedText);
                        edits += result.Edits.Count;
                        continue;
                    }

                    if (!result.Changed)
                    {
                        continue;
                    }

                    if (scope.Refusal(file) is { } outside)
                    {
                        console.Error.WriteLine($"{err.Error}: {file.DisplayName}: {outside} (the file was not changed)");
                        badInput = true;
                        continue;
                    }

                    changedFiles++;
                    edits += result.Edits.Count;
                    if (dry)
                    {
                        console.Output.Write(console.OutputStyles(choice).Diff(result.Diff()));
                        continue;
                    }

                    try
                    {
                        ReplaceContent(file.FullPath!, result.Source.Encode(result.Source.Text), result.Source.Encode(result.FixedText));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // One file that cannot be written (read-only, changed meanwhile, disk full) does not stop the others.
                        console.Error.WriteLine($"{err.Error}: {file.DisplayName}: {e.Message}");
                        changedFiles--;
                        edits -= result.Edits.Count;
                        unwritten++;
                        badInput = true;
                        continue;
                    }

                    foreach (var edit in result.Edits)
                    {
                        console.Error.WriteLine($"{err.Paint($"{file.DisplayName}:{edit.Line}:{edit.Column}", TextRole.Location)}: {ControlCharacters.Escape($"{edit.Object}: {edit.Description}")}");
                    }
                }
            }

            if (InputFiles.NothingToCheck(requested, found, missingPaths, excluded, [.. groups.Select(g => g.Config)]) is { } nothing)
            {
                console.Error.WriteLine($"{err.Error}: {ControlCharacters.Escape(nothing.ToString())}");
                badInput = true;
            }

            // The config files used, on standard error beside the summary (standard output may be the fixed stream).
            console.Error.WriteLine(err.Paint(ControlCharacters.Escape(ConfigNames.Line(ConfigNames.Of(groups.Select(g => g.Config)))), TextRole.Dim));
            if (!anyStdin || dry)
            {
                var summary = dry
                    ? $"{edits} change{(edits == 1 ? "" : "s")} in {changedFiles} file{(changedFiles == 1 ? "" : "s")} would be made (dry run: nothing written)"
                    : $"{edits} change{(edits == 1 ? "" : "s")} in {changedFiles} file{(changedFiles == 1 ? "" : "s")}" +
                      (unwritten > 0 ? $"; {unwritten} file{(unwritten == 1 ? "" : "s")} could not be written and {(unwritten == 1 ? "was" : "were")} left unchanged" : "");
                console.Error.WriteLine(err.Paint(summary, badInput ? TextRole.Error : skippedAny ? TextRole.Warning : TextRole.Clean));
            }

            // A dry run that would change something fails, as 'gofmt -l' and 'prettier --check' do, so CI can gate on it.
            return badInput ? ExitCodes.BadInput : skippedAny || (dry && changedFiles > 0) ? ExitCodes.Findings : ExitCodes.Success;
        });

        return command;
    }

    /// <summary>
    /// Replaces the content of the file <paramref name="path"/> names with <paramref name="bytes"/>, in place: through symbolic
    /// links to their target, keeping the file's owner, mode and hard links (the inode stays). It refuses a read-only file and one
    /// whose bytes are no longer <paramref name="expected"/> (changed since it was read), holding an exclusive lock while it
    /// checks and writes; if the write fails (a full disk), the original bytes are put back before the error is reported.
    /// </summary>
    /// <exception cref="IOException">The file is read-only, changed meanwhile, or cannot be written; it is left as it was.</exception>
    internal static void ReplaceContent(string path, byte[] expected, byte[] bytes)
    {
        var info = new FileInfo(path);
        var target = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        bool readOnly = OperatingSystem.IsWindows()
            ? target.IsReadOnly
            : (File.GetUnixFileMode(target.FullName) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0;
        if (readOnly)
        {
            throw new IOException("the file is read-only, so it was not changed; make it writable (chmod u+w) to fix it");
        }

        using var stream = new FileStream(target.FullName, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var current = new byte[stream.Length];
        stream.ReadExactly(current);
        if (!current.AsSpan().SequenceEqual(expected))
        {
            throw new IOException("the file changed while fix was running, so it was not changed; run fix again");
        }

        try
        {
            stream.Position = 0;
            stream.Write(bytes);
            stream.SetLength(bytes.Length);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException e)
        {
            // The blocks of the original are still allocated, so writing it back needs no new space.
            stream.Position = 0;
            stream.Write(expected);
            stream.SetLength(expected.Length);
            stream.Flush(flushToDisk: true);
            throw new IOException($"the file could not be written ({e.Message}), so it was left unchanged", e);
        }
    }

    /// <summary>The tolerations of the --node-pool-taint values.</summary>
    private static IReadOnlyList<k8s.Models.V1Toleration> Tolerations(string[]? taints)
    {
        var tolerations = new List<k8s.Models.V1Toleration>();
        foreach (var text in taints ?? [])
        {
            AksNodeTaint taint;
            try
            {
                taint = AksNodeTaint.Parse(text);
            }
            catch (ArgumentException)
            {
                throw new ArgumentException($"--node-pool-taint '{text}' is not a taint; write key=value:Effect, for example {AksNodeTaint.SandboxDefault}.");
            }

            if (taint.Problem() is { } problem)
            {
                throw new ArgumentException($"--node-pool-taint '{text}': {problem}");
            }

            tolerations.Add(taint.ToToleration());
        }

        return tolerations;
    }
}
