namespace Sandboxing.Cli.Tests;

/// <summary>Colour on a terminal only, decided in one place, and never in files, JSON or SARIF.</summary>
public class ColorTests
{
    private const string Escape = "\u001b[";
    private const string CleanPod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  runtimeClassName: kata-vm-isolation\n  containers:\n  - name: c\n    image: busybox\n    resources: {limits: {cpu: '1', memory: 256Mi}, requests: {cpu: '1', memory: 256Mi}}\n";
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    [Theory]
    [InlineData("auto", true, null, null, null, true)]
    [InlineData("auto", false, null, null, null, false)]
    [InlineData("auto", true, "1", null, null, false)]
    [InlineData("auto", true, "", null, null, true)] // NO_COLOR counts only when it is not empty
    [InlineData("auto", true, null, null, "dumb", false)]
    [InlineData("auto", true, null, null, "xterm-256color", true)]
    [InlineData("auto", false, null, "1", null, true)]
    [InlineData("auto", false, null, "0", null, false)]
    [InlineData("auto", false, null, "false", null, false)]
    [InlineData("auto", true, null, "0", null, true)] // FORCE_COLOR=0 forces nothing; the terminal still counts
    [InlineData("auto", false, null, "1", "dumb", true)]
    [InlineData("auto", false, "1", "1", null, false)] // NO_COLOR beats FORCE_COLOR
    [InlineData("always", false, "1", null, "dumb", true)] // the explicit flag beats NO_COLOR
    [InlineData("never", true, null, "1", null, false)]
    public void Colour_is_decided_by_the_flag_then_NO_COLOR_then_FORCE_COLOR_then_TERM_then_the_terminal(
        string choice, bool terminal, string? noColor, string? forceColor, string? term, bool expected)
    {
        var environment = new Dictionary<string, string?> { ["NO_COLOR"] = noColor, ["FORCE_COLOR"] = forceColor, ["TERM"] = term };
        var console = new CliConsole(TextWriter.Null, TextWriter.Null, () => Stream.Null, Fixtures) { GetEnvironmentVariable = n => environment.GetValueOrDefault(n) };
        var parsed = choice switch { "always" => ColorChoice.Always, "never" => ColorChoice.Never, _ => ColorChoice.Auto };
        Assert.Equal(expected, console.UseColor(parsed, terminal));
    }

    [Fact]
    public void Lint_on_a_terminal_is_coloured_and_without_the_codes_is_the_plain_report_byte_for_byte()
    {
        var plain = CliRunner.Run(Fixtures, "lint", "manifests");
        var coloured = CliRunner.Run(Fixtures, null, CliRunner.Terminal(), "lint", "manifests");

        Assert.DoesNotContain(Escape, plain.Output, StringComparison.Ordinal);
        Assert.Contains(Escape, coloured.Output, StringComparison.Ordinal);
        Assert.Contains("\u001b[1;31merror\u001b[0m \u001b[1mSBX", coloured.Output, StringComparison.Ordinal);
        Assert.Contains("\u001b[1;33mwarning\u001b[0m", coloured.Output, StringComparison.Ordinal);
        Assert.Contains("\u001b[36minfo\u001b[0m", coloured.Output, StringComparison.Ordinal);
        Assert.Contains("\u001b[1mmanifests/anchors.yaml:15:7\u001b[0m", coloured.Output, StringComparison.Ordinal);
        Assert.Contains("\u001b[1mSBX1001\u001b[0m", coloured.Output, StringComparison.Ordinal);
        Assert.Equal(plain.Output, CliRunner.StripColor(coloured.Output));
        Assert.Equal(plain.ExitCode, coloured.ExitCode);
    }

    [Fact]
    public void Auto_is_off_when_output_and_error_are_redirected_even_on_a_colour_terminal_type()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n");
        var redirected = CliRunner.Terminal(output: false, error: false, ("TERM", "xterm-256color"));
        foreach (var args in new[] { new[] { "lint", "pod.yaml" }, ["fix", "-d", "pod.yaml"], ["plan", "pod.yaml"], ["nodepool", "--fips"] })
        {
            var run = CliRunner.Run(directory, null, redirected, args);
            Assert.DoesNotContain(Escape, run.Output + run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Each_stream_is_decided_on_its_own()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n");

        // fix -d: the diff goes to standard output, the summary to standard error.
        var outputOnly = CliRunner.Run(directory, null, CliRunner.Terminal(output: true, error: false), "fix", "-d", "pod.yaml");
        Assert.Contains(Escape, outputOnly.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Escape, outputOnly.Error, StringComparison.Ordinal);

        var errorOnly = CliRunner.Run(directory, null, CliRunner.Terminal(output: false, error: true), "fix", "-d", "pod.yaml");
        Assert.DoesNotContain(Escape, errorOnly.Output, StringComparison.Ordinal);
        Assert.Contains(Escape, errorOnly.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void NO_COLOR_turns_auto_off_on_a_terminal()
    {
        var run = CliRunner.Run(Fixtures, null, CliRunner.Terminal(environment: ("NO_COLOR", "1")), "lint", "manifests");
        Assert.DoesNotContain(Escape, run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TERM_dumb_turns_auto_off_on_a_terminal()
    {
        var run = CliRunner.Run(Fixtures, null, CliRunner.Terminal(environment: ("TERM", "dumb")), "lint", "manifests");
        Assert.DoesNotContain(Escape, run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FORCE_COLOR_colours_a_redirected_stream_unless_it_is_0()
    {
        var forced = CliRunner.Run(Fixtures, null, CliRunner.Terminal(output: false, error: false, ("FORCE_COLOR", "1")), "lint", "manifests");
        Assert.Contains(Escape, forced.Output, StringComparison.Ordinal);

        var zero = CliRunner.Run(Fixtures, null, CliRunner.Terminal(output: false, error: false, ("FORCE_COLOR", "0")), "lint", "manifests");
        Assert.DoesNotContain(Escape, zero.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_color_always_wins_over_NO_COLOR_and_a_redirect()
    {
        var run = CliRunner.Run(Fixtures, null, CliRunner.Terminal(output: false, error: false, ("NO_COLOR", "1")), "lint", "--color", "always", "manifests");
        Assert.Contains(Escape, run.Output, StringComparison.Ordinal);
        Assert.Equal(CliRunner.Run(Fixtures, "lint", "manifests").Output, CliRunner.StripColor(run.Output));
    }

    [Fact]
    public void Color_never_writes_no_escape_code_even_on_a_terminal_with_FORCE_COLOR()
    {
        var run = CliRunner.Run(Fixtures, null, CliRunner.Terminal(environment: ("FORCE_COLOR", "1")), "lint", "--color", "never", "manifests", "malformed/tabs.yaml");
        Assert.DoesNotContain(Escape, run.Output + run.Error, StringComparison.Ordinal);
        Assert.Equal(CliRunner.Run(Fixtures, "lint", "manifests", "malformed/tabs.yaml").Output, run.Output);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("sarif")]
    public void Json_and_sarif_are_never_coloured(string format)
    {
        var run = CliRunner.Run(Fixtures, null, CliRunner.Terminal(), "lint", "--color", "always", "-f", format, "manifests");
        Assert.DoesNotContain(Escape, run.Output, StringComparison.Ordinal);
        Assert.Equal(CliRunner.Run(Fixtures, "lint", "-f", format, "manifests").Output, run.Output);
    }

    [Fact]
    public void A_report_written_with_output_is_never_coloured()
    {
        var directory = CliRunner.TempCopy(Fixtures);
        var run = CliRunner.Run(directory, null, CliRunner.Terminal(), "lint", "--color", "always", "-o", "report.txt", "manifests");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        var report = File.ReadAllText(Path.Combine(directory, "report.txt"));
        Assert.DoesNotContain(Escape, report, StringComparison.Ordinal);
        Assert.Equal(CliRunner.Run(directory, "lint", "manifests").Output, report);
    }

    [Fact]
    public void Input_problems_on_standard_error_are_coloured_when_the_report_goes_elsewhere()
    {
        var directory = CliRunner.TempCopy(Fixtures);
        var run = CliRunner.Run(directory, null, CliRunner.Terminal(), "lint", "-f", "json", "malformed/tabs.yaml");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.DoesNotContain(Escape, run.Output, StringComparison.Ordinal);
        Assert.StartsWith("\u001b[1;31merror\u001b[0m: malformed/tabs.yaml:6:1", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_is_green_when_clean_and_red_with_errors()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "pod.yaml"), CleanPod);
        var clean = CliRunner.Run(directory, null, CliRunner.Terminal(), "lint", "pod.yaml");
        Assert.Equal(ExitCodes.Success, clean.ExitCode);
        Assert.Equal("\u001b[32m0 findings (0 errors, 0 warnings, 0 info) in 1 pod-bearing object of 1 file\u001b[0m\n\u001b[2mconfig: none\u001b[0m\n", clean.Output);

        var failing = CliRunner.Run(Fixtures, null, CliRunner.Terminal(), "lint", "manifests");
        Assert.Matches("\u001b\\[1;31m[0-9]+ findings \\([1-9][0-9]* errors?, [^\n]*\u001b\\[0m\n\u001b\\[2mconfig: none\u001b\\[0m\n$", failing.Output);
    }

    [Fact]
    public void Fix_colours_its_diff_and_never_the_yaml_it_prints_for_standard_input()
    {
        var directory = CliRunner.TempCopy(Fixtures);
        var plain = CliRunner.Run(directory, "fix", "-d", "manifests");
        var coloured = CliRunner.Run(directory, null, CliRunner.Terminal(), "fix", "-d", "manifests");
        Assert.Contains("\u001b[32m+  runtimeClassName: kata-vm-isolation\u001b[0m", coloured.Output, StringComparison.Ordinal);
        Assert.Equal(plain.Output, CliRunner.StripColor(coloured.Output));
        Assert.Equal(plain.Error, CliRunner.StripColor(coloured.Error));

        var yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n"u8.ToArray();
        var stdin = CliRunner.Run(directory, yaml, CliRunner.Terminal(), "fix", "--color", "always", "-");
        Assert.DoesNotContain(Escape, stdin.Output, StringComparison.Ordinal);
        Assert.Equal(CliRunner.Run(directory, yaml, "fix", "-").Output, stdin.Output);
    }

    [Fact]
    public void Plan_colours_its_verdict_and_keeps_the_table_text()
    {
        var plain = CliRunner.Run(Fixtures, "plan", "--max-pods", "30", "--count", "1", "manifests/multi-document.yaml");
        var coloured = CliRunner.Run(Fixtures, null, CliRunner.Terminal(), "plan", "--max-pods", "30", "--count", "1", "manifests/multi-document.yaml");
        Assert.Contains("\u001b[32mNodes needed:", coloured.Output, StringComparison.Ordinal);
        Assert.Equal(plain.Output, CliRunner.StripColor(coloured.Output));
        Assert.Equal(plain.Error, CliRunner.StripColor(coloured.Error));
    }

    [Theory]
    [InlineData("nodepool", "-n", "Bad_Pool", "-c", "aks", "-g", "rg", "--fips")]
    [InlineData("migrate", "migrate/preview-nodepool-add.sh")]
    [InlineData("cluster", "-n", "aks", "-g", "rg", "-l", "westeurope", "--network-policy", "none")]
    [InlineData("tenant", "t", "--quota-pods", "0")]
    [InlineData("policy", "--all-namespaces-except", "default")]
    public void Findings_on_standard_error_are_coloured_on_a_terminal_and_otherwise_the_same(params string[] args)
    {
        var plain = CliRunner.Run(Fixtures, args);
        var coloured = CliRunner.Run(Fixtures, null, CliRunner.Terminal(), args);
        Assert.Contains(Escape, coloured.Error, StringComparison.Ordinal);
        Assert.Matches("\u001b\\[1;3[13]m(error|warning)\u001b\\[0m", coloured.Error);
        Assert.Equal(plain.Error, CliRunner.StripColor(coloured.Error));
        Assert.Equal(plain.Output, coloured.Output);
        Assert.Equal(plain.ExitCode, coloured.ExitCode);
    }

    [Fact]
    public void Every_command_that_prints_findings_or_a_summary_takes_color()
    {
        var root = SandboxingCli.Build(new CliConsole(TextWriter.Null, TextWriter.Null, () => Stream.Null, Fixtures));
        var withColor = root.Subcommands.Where(c => c.Options.Any(o => o.Name == "--color")).Select(c => c.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["audit", "cluster", "fix", "lint", "migrate", "nodepool", "plan", "policy", "tenant"], withColor);
    }
}
