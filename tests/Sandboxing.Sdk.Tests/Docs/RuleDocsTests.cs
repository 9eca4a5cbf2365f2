namespace Sandboxing.Sdk.Tests.Docs;

/// <summary>The README's rules table, the rules index and each rule page's header are the catalog's, and current.</summary>
public class RuleDocsTests
{
    [Fact]
    public void Generated_rule_docs_are_current()
    {
        var root = DocsTests.RepositoryRoot();
        bool update = Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1";
        var stale = new List<string>();
        foreach (var (file, text) in RuleDocs.Expected(root).ToList())
        {
            var path = Path.Combine(root, file);
            if (File.Exists(path) && File.ReadAllText(path) == text)
            {
                continue;
            }

            if (update)
            {
                File.WriteAllText(path, text);
            }
            else
            {
                stale.Add(file);
            }
        }

        Assert.True(stale.Count == 0, "Generated from the rule catalog but not current: " + string.Join(", ", stale)
            + $". Regenerate with: {RuleDocs.UpdateCommand}");
    }

    [Fact]
    public void Every_rule_is_checked_somewhere()
    {
        var checkedBy = RuleDocs.CheckedBy(DocsTests.RepositoryRoot());
        Assert.All(SandboxRules.All, r => Assert.True(checkedBy[r.Id].Count > 0, $"{r.Id} is in the catalog but no folder in RuleDocs.Checkers reports it, nor the analyzer"));
    }

    [Fact]
    public void Markers_replace_only_the_text_between_them()
    {
        var once = RuleDocs.Replace("# Title\n\nhand-written\n", "rules", "| a |\n");
        Assert.StartsWith("<!-- BEGIN GENERATED rules:", once);
        var twice = RuleDocs.Replace(once.Replace("| a |", "| stale |", StringComparison.Ordinal), "rules", "| b $1 |\n");
        Assert.Contains("| b $1 |\n<!-- END GENERATED rules -->", twice);
        Assert.DoesNotContain("stale", twice);
        Assert.EndsWith("<!-- END GENERATED rules -->\n\n# Title\n\nhand-written\n", twice);
    }
}
