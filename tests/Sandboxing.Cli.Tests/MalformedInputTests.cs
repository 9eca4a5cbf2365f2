namespace Sandboxing.Cli.Tests;

/// <summary>Malformed input gives exit code 2 and a message with file:line:column, never a crash, a hang or a changed file.</summary>
public class MalformedInputTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    [Theory]
    [InlineData("truncated.yaml", "malformed/truncated.yaml:6:35: error: YAML syntax error in document 1:", "the file ends too early")]
    [InlineData("tabs.yaml", "malformed/tabs.yaml:6:1: error: YAML syntax error in document 1:", "indent with spaces")]
    [InlineData("alias-bomb.yaml", "malformed/alias-bomb.yaml:1:1: error:", "alias bomb")]
    [InlineData("binary.yaml", "malformed/binary.yaml:3:1: error:", "binary, not YAML")]
    [InlineData("helm-template.yaml", "malformed/helm-template.yaml:4:9: error:", "helm template <release> <chart> | sandboxing lint -")]
    [InlineData("schema-mismatch.yaml", "malformed/schema-mismatch.yaml:5:16: error:", "'sometimes' is not a boolean")]
    public void Lint_reports_the_problem_with_its_location_and_exit_code_2(string file, string location, string message)
    {
        var run = CliRunner.Run(Fixtures, "lint", "malformed/" + file);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(location, run.Output);
        Assert.Contains(message, run.Output);
    }

    [Fact]
    public void Other_files_are_still_linted_when_one_is_bad()
    {
        var run = CliRunner.Run(Fixtures, "lint", "malformed/truncated.yaml", "manifests/cronjob.yaml", "no/such/file.yaml");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("manifests/cronjob.yaml:15:11: warning SBX1003", run.Output);
        Assert.Contains("malformed/truncated.yaml:6:35: error", run.Output);
        Assert.Contains("no/such/file.yaml: error: no such file or folder", run.Output);
    }

    [Fact]
    public void Json_and_sarif_keep_problems_in_the_report_and_print_them_on_standard_error()
    {
        var json = CliRunner.Run(Fixtures, "lint", "-f", "json", "malformed/tabs.yaml");
        Assert.Equal(ExitCodes.BadInput, json.ExitCode);
        Assert.Contains("\"problems\": [", json.Output);
        Assert.Contains("malformed/tabs.yaml:6:1:", json.Error);
    }

    [Fact]
    public void Fix_never_touches_a_malformed_file()
    {
        var directory = CliRunner.TempCopy(Path.Combine(Fixtures, "malformed"));
        var before = CliRunner.Snapshot(directory);
        var run = CliRunner.Run(directory, "fix", ".");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("(the file was not changed)", run.Error);
        Assert.Equal(before, CliRunner.Snapshot(directory));
    }

    [Fact]
    public void A_50_megabyte_file_is_refused_before_it_is_parsed_and_left_unchanged()
    {
        var directory = CliRunner.TempCopy();
        var file = Path.Combine(directory, "huge.yaml");
        using (var stream = File.Create(file))
        {
            var line = "# padding padding padding padding padding padding padding padding padding padding\n"u8.ToArray();
            for (long written = 0; written < 50L * 1024 * 1024; written += line.Length)
            {
                stream.Write(line);
            }
        }

        var length = new FileInfo(file).Length;
        var lint = CliRunner.Run(directory, "lint", "huge.yaml");
        Assert.Equal(ExitCodes.BadInput, lint.ExitCode);
        Assert.Contains("huge.yaml: error: the file is", lint.Output);
        Assert.Contains("--max-file-size", lint.Output);

        var fix = CliRunner.Run(directory, "fix", "huge.yaml");
        Assert.Equal(ExitCodes.BadInput, fix.ExitCode);
        Assert.Equal(length, new FileInfo(file).Length);

        var stdin = CliRunner.Run(directory, File.ReadAllBytes(file), "lint", "-");
        Assert.Equal(ExitCodes.BadInput, stdin.ExitCode);
        Assert.Contains("standard input is over the limit", stdin.Output);
        File.Delete(file);
    }

    [Fact]
    public void Deep_nesting_is_refused_without_overflowing_the_stack()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "deep.yaml"), new string('[', 100_000) + new string(']', 100_000) + "\n");
        var run = CliRunner.Run(directory, "lint", "deep.yaml");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("deep.yaml:1:129: error: YAML syntax error in document 1: nesting deeper than 128 levels", run.Output);
    }

    [Fact]
    public void Invalid_utf8_and_utf16_are_refused_with_their_position()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllBytes(Path.Combine(directory, "latin1.yaml"), [.. "a: b\nname: caf"u8, 0xE9, (byte)'\n']);
        File.WriteAllBytes(Path.Combine(directory, "utf16.yaml"), [0xFF, 0xFE, (byte)'a', 0, (byte)':', 0]);
        var run = CliRunner.Run(directory, "lint", "latin1.yaml", "utf16.yaml");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("latin1.yaml:2:10: error: the file is not valid UTF-8", run.Output);
        Assert.Contains("utf16.yaml:1:1: error: the file is UTF-16 or UTF-32 encoded", run.Output);
    }

    [Fact]
    public void Usage_errors_exit_with_2_and_point_at_help()
    {
        var run = CliRunner.Run(Fixtures, "lint", "--format", "xml", "manifests");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("--help", run.Error);

        var none = CliRunner.Run(Fixtures, "lint");
        Assert.Equal(ExitCodes.BadInput, none.ExitCode);
        Assert.Contains("sandboxing lint -", none.Error);
    }
}
