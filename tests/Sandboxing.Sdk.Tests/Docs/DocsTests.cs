using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Sandboxing.Sdk.Tests.Docs;

/// <summary>The docs are part of the feature: every rule has a page, and the README's code compiles and runs.</summary>
public class DocsTests
{
    internal static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));

    public static TheoryData<string> RuleIds() => new(SandboxRules.All.Select(r => r.Id));

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_has_a_page(string id)
    {
        var page = Path.Combine(RepositoryRoot(), "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{id} has no page: run {RuleDocs.UpdateCommand} (it writes the page's header), then write the sections of docs/rules/{id}.md (cause, why it matters, how to fix, when to suppress, configuration, examples).");
        var text = File.ReadAllText(page);
        var rule = SandboxRules.Find(id)!;
        Assert.Contains($"# {id}: {rule.Title}\n", text);
        foreach (var section in new[] { "## Cause", "## How to fix", "## When to suppress", "## Configuration", "## Examples" })
        {
            Assert.Contains(section, text);
        }

        Assert.EndsWith($"docs/rules/{id}.md", rule.HelpLink);
    }

    [Fact]
    public void Every_rule_page_belongs_to_a_rule()
    {
        foreach (var page in Directory.GetFiles(Path.Combine(RepositoryRoot(), "docs", "rules"), "SBX*.md"))
        {
            Assert.NotNull(SandboxRules.Find(Path.GetFileNameWithoutExtension(page)));
        }
    }

    [Fact]
    public void Rule_ids_are_unique_and_well_formed()
    {
        Assert.Equal(SandboxRules.All.Count, SandboxRules.All.Select(r => r.Id).Distinct().Count());
        Assert.All(SandboxRules.All, r => Assert.Matches("^SBX[0-9]{4}$", r.Id));
        Assert.All(SandboxRules.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Fix)));
    }

    [Fact]
    public void Readme_starts_with_the_two_set_up_commands()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var firstBlock = Regex.Match(readme, "```sh\n(.*?)```", RegexOptions.Singleline).Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("dotnet run --project samples/QuickStart", firstBlock[0]);
        Assert.StartsWith("dotnet test Sandboxing.Sdk.sln", firstBlock[1]);
        var ci = File.ReadAllText(Path.Combine(RepositoryRoot(), ".ci", "run"));
        Assert.Contains("dotnet test Sandboxing.Sdk.sln", ci);
    }

    [Fact]
    public void Readme_tour_starts_with_two_namespaces_and_needs_at_most_the_three_of_the_SDK()
    {
        var blocks = DocSnippets.Blocks(File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")));
        static IEnumerable<string> Usings(string block) =>
            block.Split('\n').Select(l => Regex.Match(l, @"^using\s+([\w.]+)\s*;")).Where(m => m.Success).Select(m => m.Groups[1].Value);
        Assert.Equal(["k8s.Models", "Sandboxing.Sdk"], Usings(blocks[0]));
        var sdk = blocks.SelectMany(Usings).Where(n => n.StartsWith("Sandboxing.Sdk", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(sdk.Count <= 3, "the README tour imports " + string.Join(", ", sdk));
    }

    public static TheoryData<string> DocumentsWithCode() => new(
        new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(RepositoryRoot(), "docs"), "*.md", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(RepositoryRoot(), f).Replace('\\', '/')))
            .Where(f => DocSnippets.Blocks(File.ReadAllText(Path.Combine(RepositoryRoot(), f))).Count > 0)
            .Order());

    /// <summary>
    /// Compiles the C# blocks of a document with only the usings it shows (see <see cref="DocSnippets"/>) and, for the README, runs
    /// them. README blocks form one program; elsewhere each block stands alone. Blocks marked <c>```csharp</c> must compile;
    /// fragments that cannot use <c>```cs</c>.
    /// </summary>
    [Theory]
    [MemberData(nameof(DocumentsWithCode))]
    public void Code_in_docs_compiles(string document)
    {
        bool tour = document == "README.md";
        var program = DocSnippets.Program(DocSnippets.Blocks(File.ReadAllText(Path.Combine(RepositoryRoot(), document))), tour);
        var (image, errors) = DocSnippets.Compile(program);
        Assert.True(errors.Count == 0, $"The C# in {document} does not compile as a reader pastes it (only the page's usings, k8s, k8s.Models and a console app's implicit usings are imported):\n"
            + string.Join("\n", errors) + "\n\n" + program);
        if (tour)
        {
            DocSnippets.Run(image);
        }
    }

    [Fact]
    public void A_page_that_does_not_show_an_SDK_namespace_does_not_compile()
    {
        const string page = """
            Build a pool:

            ```csharp
            using Sandboxing.Sdk;

            AksNodePool pool = AksNodePool.ForSandboxing("kata").InCluster("c", resourceGroup: "rg").Build();
            ```
            """;
        var (_, errors) = DocSnippets.Compile(DocSnippets.Program(DocSnippets.Blocks(page), tour: false));
        Assert.Contains(errors, e => e.Contains("CS0246", StringComparison.Ordinal) && e.Contains("AksNodePool", StringComparison.Ordinal));

        var fixedPage = page.Replace("using Sandboxing.Sdk;", "using Sandboxing.Sdk.Aks;", StringComparison.Ordinal);
        var (_, none) = DocSnippets.Compile(DocSnippets.Program(DocSnippets.Blocks(fixedPage), tour: false));
        Assert.Empty(none);
    }

    [Fact]
    public void Snippets_on_a_page_share_its_usings_and_the_tour_chains_its_blocks()
    {
        string[] blocks = ["using Sandboxing.Sdk;\nvar runtime = SandboxRuntime.Default;\n", "Console.WriteLine(runtime.Name);\n"];
        Assert.Empty(DocSnippets.Compile(DocSnippets.Program(blocks, tour: true)).Errors);
        Assert.Contains(DocSnippets.Compile(DocSnippets.Program(blocks, tour: false)).Errors, e => e.Contains("runtime", StringComparison.Ordinal));
    }
}
