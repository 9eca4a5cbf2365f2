using System.Text.Json;
using Sandboxing.Sdk;

namespace Sandboxing.Cli.Tests;

public class RulesCommandTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    [Fact]
    public void Rules_lists_every_rule_of_the_catalog_once_in_id_order()
    {
        var run = CliRunner.Run(Fixtures, "rules");
        Assert.Equal(0, run.ExitCode);
        var ids = run.Output.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(' ')[0]).ToList();
        Assert.Equal(SandboxRules.All.Select(r => r.Id).Order(StringComparer.Ordinal), ids);
        Assert.Contains("SBX2001  error     Sandboxed pod uses the host network", run.Output);
    }

    [Fact]
    public void Rules_json_says_where_each_rule_is_checked()
    {
        var run = CliRunner.Run(Fixtures, "rules", "--format", "json");
        Assert.Equal(0, run.ExitCode);
        var rows = JsonDocument.Parse(run.Output).RootElement.EnumerateArray().ToDictionary(
            r => r.GetProperty("id").GetString()!, r => r.GetProperty("checkedBy").EnumerateArray().Select(e => e.GetString()!).ToList());
        Assert.Equal(SandboxRules.All.Count, rows.Count);
        Assert.Equal(["analyzer", "SDK validator", "lint", "audit", "admission"], rows["SBX1001"]);
        Assert.Equal(["node pool validator", "nodepool", "plan"], rows["SBX3001"]);
        Assert.Equal(["cluster validator", "cluster"], rows["SBX3035"]);
        Assert.Equal(["policy"], rows["SBX5003"]);
        Assert.Contains("admission", rows["SBX4006"]);
        Assert.DoesNotContain("analyzer", rows["SBX2006"]);
    }

    [Fact]
    public void The_analyzer_column_agrees_with_the_analyzers_release_file()
    {
        var releases = File.ReadAllText(Path.Combine(Fixtures, "../../../analyzers/Sandboxing.Analyzers/AnalyzerReleases.Unshipped.md"));
        var listed = System.Text.RegularExpressions.Regex.Matches(releases, @"(?m)^(SBX\d{4}) \|").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(listed);
        foreach (var rule in SandboxRules.All)
        {
            Assert.Equal(listed.Contains(rule.Id), RuleCatalogView.CheckedBy(rule).Contains("analyzer"));
        }
    }

    [Fact]
    public void Explain_prints_the_embedded_rule_page()
    {
        var run = CliRunner.Run(Fixtures, "explain", "sbx2001");
        Assert.Equal(0, run.ExitCode);
        var page = File.ReadAllText(Path.Combine(Fixtures, "../../../docs/rules/SBX2001.md")).ReplaceLineEndings("\n");

        // The page as written, without the HTML comments that mark its generated header.
        Assert.Equal(string.Concat(page.Split('\n').Where(l => !l.StartsWith("<!-- ", StringComparison.Ordinal)).Select(l => l + "\n"))[..^1], run.Output);
        Assert.DoesNotContain("<!--", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_rule_has_an_embedded_page()
    {
        Assert.All(SandboxRules.All, rule => Assert.StartsWith($"# {rule.Id}:", RuleCatalogView.Page(rule)));
    }

    [Fact]
    public void Explain_an_unknown_id_suggests_the_nearest_and_exits_2()
    {
        var run = CliRunner.Run(Fixtures, "explain", "SBX2070");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal("error: no rule 'SBX2070'; did you mean SBX2007?\n", run.Error);
        Assert.Equal("", run.Output);
    }
}
