using System.Text;
using Sandboxing.Sdk.Tests;

namespace Sandboxing.Cli.Tests;

public class FixCommandTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    [Fact]
    public void Dry_run_prints_a_unified_diff_that_matches_the_golden_file_and_writes_nothing()
    {
        var directory = CliRunner.TempCopy(Path.Combine(Fixtures, "manifests"));
        var before = CliRunner.Snapshot(directory);
        var run = CliRunner.Run(directory, "fix", "--dry-run", ".");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Equal(before, CliRunner.Snapshot(directory));
        Assert.Contains("(dry run: nothing written)", run.Error);
        Golden.Match(run.Output, "diff");
    }

    [Fact]
    public void Dry_run_exits_1_when_something_would_change_and_0_when_nothing_would()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n");
        var pending = CliRunner.Run(directory, "fix", "--dry-run", "pod.yaml");
        Assert.Equal(ExitCodes.Findings, pending.ExitCode);
        Assert.Contains("1 change in 1 file would be made", pending.Error);

        Assert.Equal(ExitCodes.Success, CliRunner.Run(directory, "fix", "pod.yaml").ExitCode);
        var clean = CliRunner.Run(directory, "fix", "--dry-run", "pod.yaml");
        Assert.Equal(ExitCodes.Success, clean.ExitCode);
        Assert.Equal("", clean.Output);
    }

    [Fact]
    public void Fixed_files_match_the_golden_file()
    {
        var directory = CliRunner.TempCopy(Path.Combine(Fixtures, "manifests"));
        var run = CliRunner.Run(directory, "fix", ".");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var all = new StringBuilder();
        foreach (var (name, bytes) in CliRunner.Snapshot(directory))
        {
            all.Append("==> ").Append(name).Append(" <==\n").Append(Encoding.UTF8.GetString(bytes).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\uFEFF", "<BOM>", StringComparison.Ordinal));
        }

        Golden.Match(all.ToString(), "txt");
    }

    [Fact]
    public void Fix_then_lint_leaves_no_missing_or_deprecated_runtime_class_and_a_second_fix_changes_nothing()
    {
        var directory = CliRunner.TempCopy(Path.Combine(Fixtures, "manifests"));
        Assert.Equal(ExitCodes.Success, CliRunner.Run(directory, "fix", ".").ExitCode);
        var fixedOnce = CliRunner.Snapshot(directory);

        var lint = CliRunner.Run(directory, "lint", ".");
        Assert.DoesNotContain("SBX1001", lint.Output);
        Assert.DoesNotContain("SBX1003", lint.Output);

        var second = CliRunner.Run(directory, "fix", ".");
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        Assert.Contains("0 changes in 0 files", second.Error);
        Assert.Equal(fixedOnce, CliRunner.Snapshot(directory));
    }

    [Fact]
    public void Crlf_and_bom_survive_byte_for_byte()
    {
        var directory = CliRunner.TempCopy(Path.Combine(Fixtures, "manifests"));
        CliRunner.Run(directory, "fix", "crlf.yaml", "bom.yaml");

        var crlf = File.ReadAllBytes(Path.Combine(directory, "crlf.yaml"));
        var crlfText = Encoding.UTF8.GetString(crlf);
        Assert.Contains("    spec:\r\n      runtimeClassName: kata-vm-isolation\r\n      containers:\r\n", crlfText);
        Assert.DoesNotContain("\n", crlfText.Replace("\r\n", "", StringComparison.Ordinal));

        var bom = File.ReadAllBytes(Path.Combine(directory, "bom.yaml"));
        Assert.Equal([0xEF, 0xBB, 0xBF], bom[..3]);
        Assert.Equal(1, CountBoms(bom));
        Assert.Contains("    spec:\n      runtimeClassName: kata-vm-isolation\n      containers:\n", Encoding.UTF8.GetString(bom[3..]));

        static int CountBoms(byte[] bytes) =>
            Enumerable.Range(0, bytes.Length - 2).Count(i => bytes[i] == 0xEF && bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF);
    }

    [Fact]
    public void Host_network_pods_are_reported_not_changed_unless_forced()
    {
        var directory = CliRunner.TempCopy();
        var file = Path.Combine(directory, "agent.yaml");
        const string yaml = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers: [{name: a, image: b}]\n";
        File.WriteAllText(file, yaml);

        var run = CliRunner.Run(directory, "fix", "agent.yaml");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("not changed: agent.yaml:7:7: DaemonSet agent uses hostNetwork", run.Error);
        Assert.Equal(yaml, File.ReadAllText(file));

        var forced = CliRunner.Run(directory, "fix", "--force", "agent.yaml");
        Assert.Equal(ExitCodes.Success, forced.ExitCode);
        Assert.Contains("      runtimeClassName: kata-vm-isolation\n      hostNetwork: true\n", File.ReadAllText(file));
    }

    [Fact]
    public void Retired_classes_are_renamed_only_with_force()
    {
        var directory = CliRunner.TempCopy();
        var file = Path.Combine(directory, "cc.yaml");
        const string yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: cc}\nspec:\n  runtimeClassName: 'kata-cc-isolation'  # confidential\n  containers: [{name: a, image: b}]\n";
        File.WriteAllText(file, yaml);

        Assert.Equal(ExitCodes.Findings, CliRunner.Run(directory, "fix", "cc.yaml").ExitCode);
        Assert.Equal(yaml, File.ReadAllText(file));
        Assert.Equal(ExitCodes.Success, CliRunner.Run(directory, "fix", "--force", "cc.yaml").ExitCode);
        Assert.Equal(yaml.Replace("'kata-cc-isolation'", "'kata-vm-isolation'", StringComparison.Ordinal), File.ReadAllText(file));
    }

    [Fact]
    public void Another_runtime_can_be_added()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: b}]\n");
        CliRunner.Run(directory, "fix", "--runtime", "kata-clh", "pod.yaml");
        Assert.Equal("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  runtimeClassName: kata-clh\n  containers: [{name: a, image: b}]\n", File.ReadAllText(Path.Combine(directory, "pod.yaml")));
    }

    [Fact]
    public void Standard_input_is_fixed_to_standard_output()
    {
        var yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: b}]\n";
        var run = CliRunner.Run(Fixtures, CliRunner.Utf8(yaml), "fix", "-");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(yaml.Replace("spec:\n", "spec:\n  runtimeClassName: kata-vm-isolation\n", StringComparison.Ordinal), run.Output);
    }

    [Fact]
    public void Files_are_replaced_atomically_and_keep_their_mode()
    {
        var directory = CliRunner.TempCopy(Path.Combine(Fixtures, "manifests"));
        var file = Path.Combine(directory, "list.yaml");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Assert.Equal(ExitCodes.Success, CliRunner.Run(directory, "fix", ".").ExitCode);
        Assert.Empty(Directory.EnumerateFiles(directory, "*.tmp", SearchOption.AllDirectories));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }
}
