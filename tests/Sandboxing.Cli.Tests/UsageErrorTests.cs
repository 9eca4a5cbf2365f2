namespace Sandboxing.Cli.Tests;

/// <summary>Usage errors stop the run before any work, name the token, suggest the nearest option or command, and show the usage line.</summary>
public class UsageErrorTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    [Fact]
    public void A_mistyped_option_stops_lint_before_it_reads_any_file()
    {
        var run = CliRunner.Run(Fixtures, "lint", "--fromat", "json", "manifests");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Equal(
            "error: '--fromat' is not an option of 'sandboxing lint'; did you mean '--format'?\n" +
            "Usage: sandboxing lint [<paths>...] [options]\n" +
            "Run 'sandboxing lint --help' for the options and examples.\n",
            run.Error);
    }

    [Fact]
    public void A_mistyped_option_stops_fix_before_it_writes_any_file()
    {
        var dir = Directory.CreateTempSubdirectory("sandboxing-usage-").FullName;
        var file = Path.Combine(dir, "pod.yaml");
        File.WriteAllText(file, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n");
        var run = CliRunner.Run(dir, "fix", "--dryrun", "pod.yaml");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("did you mean '--dry-run'?", run.Error);
        Assert.DoesNotContain("runtimeClassName", File.ReadAllText(file));
    }

    [Fact]
    public void An_unknown_command_gets_the_nearest_command()
    {
        var run = CliRunner.Run(Fixtures, "lnt", "manifests");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith("error: 'lnt' is not a command of 'sandboxing'; did you mean 'lint'?\nUsage: sandboxing [command] [options]\n", run.Error);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void An_unknown_word_with_no_near_command_lists_the_commands()
    {
        var run = CliRunner.Run(Fixtures, "frobnicate");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("'frobnicate' is not a command of 'sandboxing'; the commands are lint, fix,", run.Error);
    }

    [Fact]
    public void An_option_of_a_command_without_arguments_gets_the_nearest_option()
    {
        var run = CliRunner.Run(Fixtures, "nodepool", "--clustr", "aks", "-g", "rg");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("error: '--clustr' is not an option of 'sandboxing nodepool'; did you mean '--cluster'?", run.Error);
        Assert.Contains("Usage: sandboxing nodepool [options]", run.Error);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void An_argument_a_command_does_not_take_is_named()
    {
        var run = CliRunner.Run(Fixtures, "policy", "extra");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("error: 'sandboxing policy' takes no argument 'extra'", run.Error);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void An_extra_argument_of_a_command_with_arguments_is_unexpected()
    {
        var run = CliRunner.Run(Fixtures, "explain", "SBX1001", "SBX1002");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith("error: unexpected argument 'SBX1002' for 'sandboxing explain'\nUsage: sandboxing explain <rule> [options]\n", run.Error);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void A_path_after_double_dash_is_a_path_even_when_it_starts_with_a_dash()
    {
        var run = CliRunner.Run(Fixtures, "lint", "--", "-missing.yaml");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("-missing.yaml: error: no such file or folder", run.Output + run.Error);
        Assert.DoesNotContain("is not an option", run.Error);
    }

    [Fact]
    public void Standard_input_is_still_a_path()
    {
        var run = CliRunner.Run(Fixtures, System.Text.Encoding.UTF8.GetBytes("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"), "lint", "-");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
    }
}
