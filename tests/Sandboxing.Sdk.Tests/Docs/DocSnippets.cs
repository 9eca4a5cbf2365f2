using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Sandboxing.Sdk.Tests.Docs;

/// <summary>
/// Compiles a page's C# as a reader pastes it into a console app: with the page's own <c>using</c> lines, the console app's
/// implicit usings and KubernetesClient's <c>k8s</c> and <c>k8s.Models</c>, and nothing else. A page that uses an SDK type
/// without showing its namespace does not compile.
/// </summary>
internal static partial class DocSnippets
{
    /// <summary>What <c>dotnet new console</c> imports (ImplicitUsings), plus the KubernetesClient namespaces every page works with.</summary>
    internal static readonly string[] AmbientNamespaces =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
        "k8s", "k8s.Models",
    ];

    /// <summary>The blocks fenced <c>```csharp</c>; fragments that cannot compile are fenced <c>```cs</c>.</summary>
    internal static IReadOnlyList<string> Blocks(string markdown) => CSharpBlock().Matches(markdown).Select(m => m.Groups[1].Value).ToList();

    /// <summary>
    /// Builds the program for a page: its <c>using</c> lines hoisted to the top; the bodies in sequence when the page is a
    /// <paramref name="tour"/> (later blocks use earlier ones), otherwise each block in its own scope.
    /// </summary>
    internal static string Program(IReadOnlyList<string> blocks, bool tour)
    {
        static bool IsUsing(string line) => UsingDirective().IsMatch(line);
        var usings = blocks.SelectMany(b => b.Split('\n')).Where(IsUsing).Distinct();
        var bodies = blocks.Select(b => string.Join("\n", b.Split('\n').Where(l => !IsUsing(l))));
        return string.Concat(AmbientNamespaces.Select(n => $"using {n}; ")) + "\n"
            + string.Join("\n", usings) + "\n"
            + (tour ? string.Join("\n", bodies) : string.Join("\n", bodies.Select(b => "{\n" + b + "\n}")));
    }

    /// <summary>Compiles <paramref name="program"/> against the SDK and KubernetesClient; the image is empty when it has errors.</summary>
    internal static (byte[] Image, IReadOnlyList<string> Errors) Compile(string program)
    {
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
        return (result.Success ? image.ToArray() : [], errors);
    }

    /// <summary>Runs a compiled tour with its console output discarded.</summary>
    internal static void Run(byte[] image)
    {
        var entry = Assembly.Load(image).EntryPoint!;
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

    /// <summary>A using directive for a namespace (not an alias, not a using declaration), with an optional trailing comment.</summary>
    [GeneratedRegex(@"^using\s+[A-Za-z_][A-Za-z0-9_.]*\s*;\s*(//.*)?$")]
    private static partial Regex UsingDirective();

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
