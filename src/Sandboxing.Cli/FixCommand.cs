using System.CommandLine;
using Sandboxing.Sdk.Manifests;

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
            Description = "Files or folders (searched recursively for .yaml and .yml); '-' fixes standard input to standard output.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var runtime = SandboxingCli.RuntimeOption();
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Print a unified diff of the changes and write nothing." };
        var force = new Option<bool>("--force")
        {
            Description = "Also add the class to pods that cannot run under Kata as written (hostNetwork), and rename retired classes (kata-cc-isolation).",
        };
        var maxFileSize = SandboxingCli.MaxFileSizeOption();

        var command = new Command("fix", "Add 'runtimeClassName: <class>' to every pod spec that has none and rename deprecated classes " +
            "(kata-mshv-vm-isolation becomes kata-vm-isolation), changing nothing else: comments, key order, quoting, indentation, " +
            "flow or block style, line endings and a byte order mark stay. Running it twice changes nothing the second time. Files are " +
            "replaced atomically; a file with a syntax error is never touched. Pods exempted with a reason are left alone; pods with " +
            "hostNetwork are reported, not changed, unless --force. Exit codes: 0 done, 1 pods left for a human, 2 bad input.")
        {
            paths, runtime, dryRun, force, maxFileSize,
        };
        examples[command] = """
              sandboxing fix --dry-run deploy/             show the diff, change nothing
              sandboxing fix deploy/                       fix every .yaml/.yml under deploy/ in place
              sandboxing fix --runtime kata-clh pod.yaml   add another class (upstream kata-deploy)
              kustomize build . | sandboxing fix -         fix a stream, print the result
            """;

        command.SetAction(parse =>
        {
            var read = SandboxingCli.ReadOptions(parse, maxFileSize);
            var options = new ManifestFixOptions
            {
                Runtime = SandboxingCli.ParseRuntime(parse.GetValue(runtime)),
                Force = parse.GetValue(force),
                Read = read,
            };
            bool dry = parse.GetValue(dryRun);
            var requested = parse.GetValue(paths) ?? [];
            if (requested.Length == 0)
            {
                console.Error.WriteLine("error: name the manifests to fix: files or folders ('-' fixes standard input to standard output).");
                return ExitCodes.BadInput;
            }

            var (files, missing) = InputFiles.Expand(requested, console);
            bool badInput = missing.Count > 0;
            bool skippedAny = false;
            int changedFiles = 0, edits = 0;
            foreach (var problem in missing)
            {
                console.Error.WriteLine($"error: {problem}");
            }

            foreach (var file in files)
            {
                ManifestFixResult result;
                try
                {
                    result = ManifestFixer.Fix(file.Read(console, read), options);
                }
                catch (ManifestException e)
                {
                    foreach (var problem in e.Problems)
                    {
                        console.Error.WriteLine($"error: {problem} (the file was not changed)");
                    }

                    badInput = true;
                    continue;
                }

                foreach (var problem in result.Problems)
                {
                    console.Error.WriteLine($"error: {problem} (the file was not changed)");
                    badInput = true;
                }

                foreach (var skipped in result.Skipped)
                {
                    console.Error.WriteLine($"not changed: {skipped}");
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

                changedFiles++;
                edits += result.Edits.Count;
                if (dry)
                {
                    console.Output.Write(result.Diff());
                    continue;
                }

                WriteAtomically(file.FullPath!, result.Source.Encode(result.FixedText));
                foreach (var edit in result.Edits)
                {
                    console.Error.WriteLine($"{file.DisplayName}:{edit.Line}:{edit.Column}: {edit.Object}: {edit.Description}");
                }
            }

            if (!files.Any(f => f.IsStdin) || dry)
            {
                console.Error.WriteLine(dry
                    ? $"{edits} change{(edits == 1 ? "" : "s")} in {changedFiles} file{(changedFiles == 1 ? "" : "s")} would be made (dry run: nothing written)"
                    : $"{edits} change{(edits == 1 ? "" : "s")} in {changedFiles} file{(changedFiles == 1 ? "" : "s")}");
            }

            return badInput ? ExitCodes.BadInput : skippedAny ? ExitCodes.Findings : ExitCodes.Success;
        });

        return command;
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, then renames it over the original (keeping its Unix mode).</summary>
    internal static void WriteAtomically(string path, byte[] bytes)
    {
        var directory = Path.GetDirectoryName(path)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.sandboxing.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
