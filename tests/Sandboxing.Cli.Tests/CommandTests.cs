using Sandboxing.Sdk.Tests;
using YamlDotNet.RepresentationModel;
using Sandboxing.Sdk;

namespace Sandboxing.Cli.Tests;

public class CommandTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    [Theory]
    [InlineData]
    [InlineData("lint")]
    [InlineData("fix")]
    [InlineData("nodepool")]
    [InlineData("plan")]
    [InlineData("migrate")]
    [InlineData("runtimes")]
    [InlineData("policy")]
    public void Every_command_has_help_with_examples(params string[] command)
    {
        var run = CliRunner.Run(Fixtures, [.. command, "--help"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Output);
        Assert.Contains("Examples:", run.Output);
        Assert.Contains("sandboxing " + (command.Length == 0 ? "" : command[0]), run.Output);
    }

    /// <summary>The long names of the options a command's help lists, in order.</summary>
    private static string[] HelpOptions(params string[] command)
    {
        var run = CliRunner.Run(Fixtures, [.. command, "--help"]);
        Assert.Equal(0, run.ExitCode);
        var options = run.Output.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\nOptions:\n")[1].Split("\n\n")[0];
        return options.Split('\n')
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^  ((?:-[^\s,]+, )*-[^\s,]+)"))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value.Split(", ").Last())
            .ToArray();
    }

    [Fact]
    public void Plan_help_lists_exactly_the_options_a_capacity_plan_reads()
    {
        Assert.Equal(
            ["--name", "--vm-size", "--count", "--min", "--max", "--taint", "--sandbox-taint", "--max-pods", "--kubernetes-version", "--max-file-size", "--color", "--exclude", "--config", "--no-config", "--help"],
            HelpOptions("plan"));
    }

    [Theory]
    [InlineData("--cluster", "aks")]
    [InlineData("--subscription", "00000000-0000-0000-0000-000000000000")]
    [InlineData("--zones", "1")]
    [InlineData("--os-sku", "AzureLinux")]
    [InlineData("--fips", null)]
    public void Plan_refuses_the_node_pool_options_it_would_ignore(string option, string? value)
    {
        var run = CliRunner.Run(Fixtures, value is null ? ["plan", option, "manifests/cronjob.yaml"] : ["plan", option, value, "manifests/cronjob.yaml"]);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"'{option}' is not an option of 'sandboxing plan'", run.Error);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void Nodepool_help_still_lists_every_setting_of_the_pool()
    {
        Assert.Equal(
            ["--name", "--cluster", "--resource-group", "--subscription", "--vm-size", "--count", "--min", "--max", "--zones", "--label", "--taint",
             "--sandbox-taint", "--max-pods", "--os-sku", "--workload-runtime", "--api-version", "--kubernetes-version", "--tag", "--fips", "--format",
             "--output", "--color", "--help"],
            HelpOptions("nodepool"));
    }

    [Fact]
    public void Tenant_check_refuses_the_bundle_settings_it_would_ignore()
    {
        var run = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--egress", "internet", "-o", "bundle.yaml", "--check", "manifests/multi-document.yaml");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("so it would ignore the tenant name, --egress, --output;", run.Error);
        Assert.Equal("", run.Output);
        Assert.False(File.Exists(Path.Combine(Fixtures, "bundle.yaml")));
        Assert.Equal(ExitCodes.Findings, CliRunner.Run(Fixtures, "tenant", "--check", "manifests/multi-document.yaml", "--color", "never").ExitCode);
    }

    [Fact]
    public void Runtimes_lists_every_known_class_as_a_table()
    {
        var run = CliRunner.Run(Fixtures, "runtimes");
        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.TrimEnd('\n').Split('\n');
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.Equal(KnownRuntimeClasses.All.Count + 1, lines.Length);
        foreach (var known in KnownRuntimeClasses.All)
        {
            Assert.Contains(lines, l => l.StartsWith(known.Name + " ", StringComparison.Ordinal));
        }

        Assert.Contains(lines, l => l.StartsWith("kata-mshv-vm-isolation", StringComparison.Ordinal) && l.Contains("Deprecated", StringComparison.Ordinal) && l.EndsWith("kata-vm-isolation", StringComparison.Ordinal));
        Golden.Match(run.Output, "txt");
    }

    [Fact]
    public void Runtimes_as_json_has_one_entry_per_class()
    {
        var run = CliRunner.Run(Fixtures, "runtimes", "--format", "json");
        using var document = System.Text.Json.JsonDocument.Parse(run.Output);
        Assert.Equal(KnownRuntimeClasses.All.Count, document.RootElement.GetArrayLength());
    }
}
