using System.Diagnostics;
using System.Text.Json;

namespace Sandboxing.Cli.Tests;

/// <summary>CLI: input a pull request controls (file types, links, az command lines, ARM JSON) cannot hang, crash or escape the run.</summary>
public class HostileInputTests
{
    private const string Pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n";

    private static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task A_fifo_in_a_folder_is_skipped_by_name_and_a_named_one_is_refused_without_hanging()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // mkfifo and /dev/zero are the Linux cases
        }

        var directory = CliRunner.TempCopy();
        Directory.CreateDirectory(Path.Combine(directory, "deploy"));
        File.WriteAllText(Path.Combine(directory, "deploy", "pod.yaml"), Pod);
        MakeFifo(Path.Combine(directory, "deploy", "pipe.yaml"));

        // Opening a FIFO for reading blocks until a writer comes: a hang fails the test with a TimeoutException.
        var walk = await Task.Run(() => CliRunner.Run(directory, "lint", "deploy")).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains("skipped: deploy/pipe.yaml: it is a FIFO (named pipe), not a regular file", walk.Error, StringComparison.Ordinal);
        Assert.Contains("of 1 file", walk.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Findings, walk.ExitCode);

        foreach (var command in new[] { "lint", "fix", "plan" })
        {
            var named = await Task.Run(() => CliRunner.Run(directory, command, "deploy/pipe.yaml")).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(ExitCodes.BadInput, named.ExitCode);
            var text = named.Output + named.Error;
            Assert.Contains("deploy/pipe.yaml", text, StringComparison.Ordinal);
            Assert.Contains("it is a FIFO (named pipe), not a regular file", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_link_to_dev_zero_is_refused_as_a_device_and_never_read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var directory = CliRunner.TempCopy();
        Directory.CreateDirectory(Path.Combine(directory, "deploy"));
        File.CreateSymbolicLink(Path.Combine(directory, "deploy", "zero.yaml"), "/dev/zero");
        File.CreateSymbolicLink(Path.Combine(directory, "zero.yaml"), "/dev/zero");

        var named = CliRunner.Run(directory, "lint", "zero.yaml");
        Assert.Equal(ExitCodes.BadInput, named.ExitCode);
        Assert.Contains("zero.yaml: error: it is a character device, not a regular file", named.Output, StringComparison.Ordinal);

        var walk = CliRunner.Run(directory, "lint", "deploy");
        Assert.Contains("skipped: deploy/zero.yaml: it is a character device", walk.Error, StringComparison.Ordinal);

        var migrate = CliRunner.Run(directory, "migrate", "zero.yaml");
        Assert.Equal(ExitCodes.BadInput, migrate.ExitCode);
        Assert.Contains("error: zero.yaml: it is a character device", migrate.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Migrate_quotes_a_flag_it_reads_and_refuses_shell_syntax_with_exit_2_and_the_word()
    {
        var directory = CliRunner.TempCopy();
        var quoted = CliRunner.Run(directory, "az aks nodepool add -g rg --cluster-name c --name kata --workload-runtime KataVmIsolation -s Standard_D4s_v5 '--labels=$(touch x)'\n"u8.ToArray(),
            "migrate", "-");
        Assert.Contains("  '--labels=$(touch x)'\n", quoted.Output, StringComparison.Ordinal);
        Assert.NotEqual(ExitCodes.BadInput, quoted.ExitCode);

        var refused = CliRunner.Run(directory, "az aks nodepool add -g rg --cluster-name c --name kata --labels=$(touch x)\n"u8.ToArray(), "migrate", "-");
        Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
        Assert.Equal("", refused.Output);
        Assert.Contains("'--labels=$(touch' has a command substitution '$(…)'", refused.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"workloadRuntime\": 5", "$.properties.workloadRuntime: expected a string, found a number (5)")]
    [InlineData("\"count\": \"x\"", "$.properties.count: expected a whole number, found a string (\"x\")")]
    public void Migrate_refuses_an_arm_value_of_the_wrong_type_with_exit_2_and_its_json_path(string property, string message)
    {
        var json = "{\"properties\": {\"vmSize\": \"Standard_D4s_v5\", " + property + "}}";
        var run = CliRunner.Run(CliRunner.TempCopy(), System.Text.Encoding.UTF8.GetBytes(json), "migrate", "-");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("error: -: " + message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fix_refuses_a_link_to_a_file_outside_the_repository_and_names_the_link_and_its_target()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symbolic links need privileges there
        }

        var root = CliRunner.TempCopy();
        var repository = Path.Combine(root, "repo");
        Directory.CreateDirectory(Path.Combine(repository, ".git"));
        Directory.CreateDirectory(Path.Combine(repository, "deploy"));
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        var outside = Path.Combine(root, "etc", "x.yaml");
        File.WriteAllText(outside, Pod);
        File.CreateSymbolicLink(Path.Combine(repository, "deploy", "x.yaml"), outside);
        File.WriteAllText(Path.Combine(repository, "shared.yaml"), Pod);
        File.CreateSymbolicLink(Path.Combine(repository, "deploy", "shared.yaml"), Path.Combine(repository, "shared.yaml"));

        var run = CliRunner.Run(repository, "fix", "deploy");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"deploy/x.yaml: it links to {outside}, outside the repository {repository}", run.Error, StringComparison.Ordinal);
        Assert.Equal(Pod, File.ReadAllText(outside));

        // A link within the repository is written through, as before.
        Assert.Contains("runtimeClassName: kata-vm-isolation", File.ReadAllText(Path.Combine(repository, "shared.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_repository_fix_writes_through_links_only_inside_the_paths_given()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var root = CliRunner.TempCopy();
        Directory.CreateDirectory(Path.Combine(root, "deploy"));
        Directory.CreateDirectory(Path.Combine(root, "elsewhere"));
        var target = Path.Combine(root, "elsewhere", "x.yaml");
        File.WriteAllText(target, Pod);
        File.CreateSymbolicLink(Path.Combine(root, "deploy", "x.yaml"), target);

        var refused = CliRunner.Run(root, "fix", "deploy");
        Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
        Assert.Contains($"deploy/x.yaml: it links to {target}, outside the paths given", refused.Error, StringComparison.Ordinal);
        Assert.Equal(Pod, File.ReadAllText(target));

        Assert.Equal(ExitCodes.Success, CliRunner.Run(root, "fix", "deploy", "elsewhere").ExitCode);
        Assert.Contains("runtimeClassName: kata-vm-isolation", File.ReadAllText(target), StringComparison.Ordinal);
    }
}
