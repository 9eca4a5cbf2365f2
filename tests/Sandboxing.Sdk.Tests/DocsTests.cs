using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Sandboxing.Sdk.Tests;

/// <summary>The docs are part of the feature: every rule has a page, and the README's code compiles and runs.</summary>
public partial class DocsTests
{
    /// <summary>A using directive for every public namespace of the SDK, as README's "Namespaces" section tells users to write.</summary>
    private static readonly string SdkNamespaces = string.Join(" ", typeof(Sandboxing.Sdk.SandboxException).Assembly.GetExportedTypes()
        .Select(t => t.Namespace).Distinct().Order(StringComparer.Ordinal).Select(n => $"using {n};"));

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));

    public static TheoryData<string> RuleIds() => new(SandboxRules.All.Select(r => r.Id));

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_has_a_page(string id)
    {
        var page = Path.Combine(RepositoryRoot(), "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{id} has no page: write docs/rules/{id}.md (cause, why it matters, how to fix, when to suppress, configuration, examples).");
        var text = File.ReadAllText(page);
        var rule = SandboxRules.Find(id)!;
        Assert.StartsWith($"# {id}", text);
        Assert.Contains(rule.Title, text);
        foreach (var section in new[] { "## Cause", "## How to fix", "## When to suppress", "## Configuration", "## Examples" })
        {
            Assert.Contains(section, text);
        }

        Assert.EndsWith($"docs/rules/{id}.md", rule.HelpLink);
    }

    [Fact]
    public void Every_rule_page_belongs_to_a_rule()
    {
        foreach (var page in Directory.GetFiles(Path.Combine(RepositoryRoot(), "docs", "rules"), "*.md"))
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

    public static TheoryData<string> DocumentsWithCode() => new(
        new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(RepositoryRoot(), "docs"), "*.md", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(RepositoryRoot(), f).Replace('\\', '/')))
            .Where(f => CSharpBlock().IsMatch(File.ReadAllText(Path.Combine(RepositoryRoot(), f))))
            .Order());

    /// <summary>
    /// Compiles the C# blocks of a document (their <c>using</c> lines hoisted) and, for the README, runs them. README blocks form one
    /// program; elsewhere each block must stand alone. Blocks marked <c>```csharp</c> must compile; fragments that cannot use <c>```cs</c>.
    /// </summary>
    [Theory]
    [MemberData(nameof(DocumentsWithCode))]
    public void Code_in_docs_compiles(string document)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), document));
        var blocks = CSharpBlock().Matches(text).Select(m => m.Groups[1].Value).ToList();
        static bool IsUsing(string line) => line.StartsWith("using ", StringComparison.Ordinal) && line.TrimEnd().EndsWith(';') && !line.Contains('=');

        // The README is a tour: its blocks run in sequence. Elsewhere every block stands alone, in its own scope.
        bool tour = document == "README.md";
        var usings = blocks.SelectMany(b => b.Split('\n')).Where(IsUsing).Distinct();
        var bodies = blocks.Select(b => string.Join("\n", b.Split('\n').Where(l => !IsUsing(l))));
        var program = "using System; using System.IO; using System.Collections.Generic; using System.Linq; using k8s; using k8s.Models; " + SdkNamespaces + "\n"
            + string.Join("\n", usings) + "\n"
            + (tour ? string.Join("\n", bodies) : string.Join("\n", bodies.Select(b => "{\n" + b + "\n}")));

        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat([typeof(SandboxRuntime).Assembly.Location, typeof(k8s.Models.V1Pod).Assembly.Location])
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "DocSnippets",
            [CSharpSyntaxTree.ParseText(program, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(result.Success, $"The C# in {document} does not compile:\n" + string.Join("\n", errors) + "\n\n" + program);

        if (document != "README.md")
        {
            return;
        }

        var entry = Assembly.Load(image.ToArray()).EntryPoint!;
        var original = Console.Out;
        Console.SetOut(new StringWriter());
        try
        {
            entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
