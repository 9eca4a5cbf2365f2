using Microsoft.CodeAnalysis;
using Sandboxing.Analyzers.CodeFixes;
using Sandboxing.Sdk;

namespace Sandboxing.Analyzers.Tests;

/// <summary>The analyzer speaks the catalog's words: same ID, title, message, category, severity and help page.</summary>
public class CatalogTests
{
    public static TheoryData<string> Ids() => new(new SandboxAnalyzer().SupportedDiagnostics.Select(d => d.Id));

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_matches_the_catalog_rule(string id)
    {
        var descriptor = new SandboxAnalyzer().SupportedDiagnostics.Single(d => d.Id == id);
        var rule = SandboxRules.Find(id);
        Assert.NotNull(rule);
        Assert.Equal(rule.Title, descriptor.Title.ToString());
        Assert.Equal(rule.MessageFormat, descriptor.MessageFormat.ToString());
        Assert.Equal(rule.Fix, descriptor.Description.ToString());
        Assert.Equal(rule.Category, descriptor.Category);
        Assert.Equal(rule.HelpLink, descriptor.HelpLinkUri);
        var expected = rule.DefaultSeverity switch
        {
            SandboxSeverity.Error => DiagnosticSeverity.Error,
            SandboxSeverity.Warning => DiagnosticSeverity.Warning,
            _ => DiagnosticSeverity.Info,
        };
        Assert.Equal(expected, descriptor.DefaultSeverity);
        Assert.True(descriptor.IsEnabledByDefault);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_rule_has_a_page_with_the_analyzer_section_and_a_release_entry(string id)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Sandboxing.Sdk.sln")))
        {
            root = root.Parent!;
        }

        var page = File.ReadAllText(Path.Combine(root.FullName, "docs", "rules", id + ".md"));
        Assert.Contains("## In the analyzer", page, StringComparison.Ordinal);
        Assert.Contains("dotnet_diagnostic." + id + ".severity", page, StringComparison.Ordinal);
        var unshipped = File.ReadAllText(Path.Combine(root.FullName, "analyzers", "Sandboxing.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains(id + " |", unshipped, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fixer_fixes_SBX1001_SBX1002_and_SBX1003()
    {
        Assert.Equal(["SBX1001", "SBX1002", "SBX1003"], new RuntimeClassCodeFixProvider().FixableDiagnosticIds.Order());
        Assert.Equal(RuleIdentifiers.MissingRuntimeClass, SandboxRules.Find("SBX1001")?.Id);
        Assert.Equal(RuleIdentifiers.RuntimeClassNotAllowed, SandboxRules.Find("SBX1002")?.Id);
        Assert.Equal(RuleIdentifiers.DeprecatedRuntimeClass, SandboxRules.Find("SBX1003")?.Id);
    }
}
