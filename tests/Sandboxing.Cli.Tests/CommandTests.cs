using Sandboxing.Sdk.Tests;
using YamlDotNet.RepresentationModel;
using Sandboxing.Sdk.Catalog;
using Sandboxing.Sdk.Manifests;

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
