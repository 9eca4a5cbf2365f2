using System.Text.Json;
using Sandboxing.Sdk;

namespace Sandboxing.Cli.Tests;

/// <summary>CLI: a file name or YAML value cannot forge a line of output (a CI annotation) or send terminal escape sequences.</summary>
public class OutputEscapingTests
{
    private const string Forged = "::error file=ok.yaml,line=1::forged";

    private static void AssertNoForgedLine(CliRun run, string what)
    {
        foreach (var line in (run.Output + "\n" + run.Error).Split('\n'))
        {
            Assert.False(line.StartsWith("::", StringComparison.Ordinal), $"{what}: a line starts a workflow command: {line}");
            Assert.DoesNotContain('\u001b', line);
            Assert.DoesNotContain('\u0085', line);
            Assert.DoesNotContain('\u2028', line);
        }
    }

    [Theory]
    [InlineData("\n", "\\n")]
    [InlineData("\r", "\\r")]
    [InlineData("\t", "\\t")]
    [InlineData("\u0000", "\\x00")]
    [InlineData("\u001b[2J", "\\x1B[2J")]
    [InlineData("\u007f", "\\x7F")]
    [InlineData("\u0085", "\\x85")]
    [InlineData("\u009b", "\\x9B")]
    [InlineData("\u2028", "\\u2028")]
    [InlineData("\u2029", "\\u2029")]
    [InlineData("é ü ✓", "é ü ✓")]
    public void Control_characters_are_escaped_and_other_text_is_kept(string text, string expected) =>
        Assert.Equal("a" + expected + "b", ControlCharacters.Escape("a" + text + "b"));

    [Fact]
    public void A_file_name_with_a_new_line_cannot_forge_an_annotation_in_any_output()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // a new line is not allowed in a Windows file name
        }

        var directory = CliRunner.TempCopy();
        Directory.CreateDirectory(Path.Combine(directory, "deploy"));
        var name = "evil\n" + Forged + "\u2028\u0085.yaml";
        File.WriteAllText(Path.Combine(directory, "deploy", name),
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: busybox}]\n");

        foreach (var args in new[] { new[] { "lint", "deploy" }, ["fix", "-d", "deploy"], ["fix", "deploy"], ["plan", "deploy"], ["lint", $"deploy/{name}x"] })
        {
            var run = CliRunner.Run(directory, args);
            AssertNoForgedLine(run, string.Join(' ', args));
            if (args[0] != "plan")
            {
                Assert.Contains("evil\\n::error file=", run.Output + run.Error, StringComparison.Ordinal);
            }
        }

        // JSON and SARIF escape through their serializers: the report parses, and no line of it is a command.
        foreach (var format in new[] { "json", "sarif" })
        {
            var run = CliRunner.Run(directory, "lint", "-f", format, "deploy");
            AssertNoForgedLine(run, format);
            using var report = JsonDocument.Parse(run.Output);
            Assert.Contains("evil", report.RootElement.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_yaml_value_with_a_new_line_or_an_escape_sequence_stays_on_its_line()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "pod.yaml"),
            "apiVersion: v1\nkind: Pod\nmetadata: {name: \"p\\n" + Forged + "\\e[2J\\x9b31m\"}\nspec:\n  containers: [{name: c, image: busybox}]\n" +
            "---\napiVersion: v1\nkind: Pod\nmetadata: {name: \"h\\n" + Forged + "\"}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: busybox}]\n");

        foreach (var args in new[] { new[] { "lint", "pod.yaml" }, ["fix", "-d", "pod.yaml"], ["policy", "--test", "pod.yaml"], ["fix", "pod.yaml"] })
        {
            var run = CliRunner.Run(directory, args);
            AssertNoForgedLine(run, string.Join(' ', args));
        }
    }

    [Fact]
    public void Colour_sequences_the_cli_writes_pass_and_others_on_standard_error_are_escaped()
    {
        var error = new StringWriter { NewLine = "\n" };
        var writer = new MessageWriter(error);
        writer.WriteLine("\u001b[1;31merror\u001b[0m: a\u001b]0;title\u0007 b\r\n");
        writer.Write('\u001b');
        Assert.Equal("\u001b[1;31merror\u001b[0m: a\\x1B]0;title\\x07 b\r\n\n\\x1B", error.ToString());
    }
}
