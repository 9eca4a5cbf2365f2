using System.CommandLine;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Cli;

/// <summary>The <c>migrate</c> command: an old Pod Sandboxing node pool (az or ARM) in, its findings and current equivalent out.</summary>
public static class MigrateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var input = new Argument<string>("input")
        {
            Description = "A file with an 'az aks nodepool add' or 'az aks create' command line, or an ARM template / agent pool JSON; '-' for standard input.",
        };
        var color = SandboxingCli.ColorOption();
        var command = new Command("migrate", "Migrate a Pod Sandboxing node pool from the preview to the current settings.")
        {
            input, color,
        };
        examples[command] = """
              sandboxing migrate preview-nodepool.sh
              echo 'az aks nodepool add --cluster-name c -g rg --name kata --os-sku mariner --workload-runtime KataMshvVmIsolation --node-vm-size Standard_D4s_v3' | sandboxing migrate -
              sandboxing migrate agentpool.json > agentpool.migrated.json
            """;
        command.SetAction(parse =>
        {
            string path = parse.GetValue(input)!;
            string shown = ControlCharacters.Escape(path);
            var err = console.ErrorStyles(SandboxingCli.Color(parse, color));
            string? full = path == "-" ? null : console.FullPath(path);
            if (full is not null && !File.Exists(full))
            {
                console.Error.WriteLine($"{err.Error}: {shown}: no such file.");
                return ExitCodes.BadInput;
            }

            // Read as every input is: a FIFO or a device is refused, the size limit counts bytes read, the text must be UTF-8.
            string text;
            try
            {
                text = new InputFile(full is null ? InputFile.StdinName : shown, full, Named: true).Read(console, ManifestReadOptions.Default).Text;
            }
            catch (ManifestException e)
            {
                foreach (var problem in e.Problems)
                {
                    console.Error.WriteLine($"{err.Error}: {ControlCharacters.Escape(problem.ToString())}");
                }

                return ExitCodes.BadInput;
            }

            AksMigration migration;
            try
            {
                migration = AksMigration.Migrate(text);
            }
            catch (ArgumentException e)
            {
                console.Error.WriteLine($"{err.Error}: {shown}: {e.Message}");
                return ExitCodes.BadInput;
            }

            foreach (var finding in migration.Findings)
            {
                console.Error.WriteLine(err.Finding(finding));
            }

            foreach (var note in migration.Notes)
            {
                console.Error.WriteLine($"{err.Paint("note:", TextRole.Note)} {CliWording.Apply(note)}");
            }

            console.Output.Write(migration.Migrated);
            return migration.Findings.Count == 0 && migration.Notes.Count == 0 ? ExitCodes.Success : ExitCodes.Findings;
        });
        return command;
    }
}
