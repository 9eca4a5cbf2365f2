using System.Runtime.CompilerServices;
using k8s.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit.Abstractions;

namespace Sandboxing.Sdk.Tests.Architecture;

/// <summary>
/// The SDK's folders are layers that depend one way (docs/architecture.md): a folder may use the folders below it, never one
/// above. The check resolves every name in the SDK's sources with the compiler, so a fully qualified name or an extension method
/// counts as much as a <c>using</c>.
/// </summary>
[Trait("Category", "Slow")]
public class LayeringTests(ITestOutputHelper output)
{
    /// <summary>Bottom first. "" is the root folder (the exception base).</summary>
    public static readonly string[] Layers =
        ["", "Catalog", "Objects", "Runtimes", "Validation", "Hardening", "Workloads", "Manifests", "Policies", "Tenancy", "Agents", "Linting", "Capacity", "NodePools", "Fleet", "Cluster"];

    /// <summary>
    /// Users import about three namespaces whatever the folder count: the core, AKS infrastructure and a live cluster. The
    /// folders stay layers for maintainers; this table says which namespace each folder's types belong to.
    /// </summary>
    public static string NamespaceOf(string folder) => folder switch
    {
        "NodePools" or "Capacity" or "Fleet" => "Sandboxing.Sdk.Aks",
        "Cluster" => "Sandboxing.Sdk.Cluster",
        _ => "Sandboxing.Sdk",
    };

    [Fact]
    public void Every_folder_is_a_known_layer_and_its_namespace_is_the_one_users_import()
    {
        foreach (var file in SourceFiles())
        {
            string folder = FolderOf(file);
            Assert.True(Array.IndexOf(Layers, folder) >= 0, $"{file}: folder '{folder}' is not in the layer list; add it to Layers and docs/architecture.md.");
            string expected = NamespaceOf(folder);
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetCompilationUnitRoot();
            foreach (var ns in root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>())
            {
                Assert.True(ns.Name.ToString() == expected, $"{file}: namespace {ns.Name} should be {expected}.");
            }
        }
    }

    [Fact]
    public void No_folder_uses_a_folder_above_it()
    {
        var edges = FolderEdges();
        foreach (var ((from, to), where) in edges.OrderBy(e => e.Key.From).ThenBy(e => e.Key.To))
        {
            output.WriteLine($"{Display(from)} -> {Display(to)} ({where})");
        }

        var upward = edges.Where(e => Array.IndexOf(Layers, e.Key.To) > Array.IndexOf(Layers, e.Key.From))
            .Select(e => $"{Display(e.Key.From)} uses {Display(e.Key.To)}, a layer above it, at {e.Value}").ToList();
        Assert.True(upward.Count == 0, string.Join(Environment.NewLine, upward));
        Assert.NotEmpty(edges); // the resolver really ran: the layers do use each other downward
    }

    private static string Display(string folder) => folder.Length == 0 ? "(root)" : folder;

    /// <summary>Every (from folder, to folder) pair where a name in one resolves to a type declared in the other, with one place.</summary>
    internal static Dictionary<(string From, string To), string> FolderEdges()
    {
        var files = SourceFiles().ToList();
        var globalUsings = CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
            "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;");
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f)).Append(globalUsings).ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat([typeof(V1Pod).Assembly.Location, typeof(YamlDotNet.Serialization.Serializer).Assembly.Location])
            .Distinct().Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Layers", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        var folderOfType = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
        var edges = new Dictionary<(string, string), string>();
        foreach (var tree in trees.Where(t => t.FilePath.Length > 0))
        {
            string from = FolderOf(tree.FilePath);
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var symbol = model.GetSymbolInfo(name).Symbol ?? model.GetSymbolInfo(name).CandidateSymbols.FirstOrDefault();
                var type = symbol as INamedTypeSymbol ?? symbol?.ContainingType;
                while (type?.ContainingType is not null)
                {
                    type = type.ContainingType;
                }

                var declaration = type?.OriginalDefinition.DeclaringSyntaxReferences.FirstOrDefault();
                if (declaration is null || declaration.SyntaxTree.FilePath.Length == 0)
                {
                    continue; // not a type of the SDK
                }

                string to = FolderOf(declaration.SyntaxTree.FilePath);
                if (to != from)
                {
                    var line = name.GetLocation().GetLineSpan();
                    edges.TryAdd((from, to), $"{Path.GetFileName(tree.FilePath)}:{line.StartLinePosition.Line + 1} {name}");
                }
            }
        }

        return edges;
    }

    private static string SdkFolder([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "../../../src/Sandboxing.Sdk"));

    private static IEnumerable<string> SourceFiles()
    {
        string root = SdkFolder();
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(s => s is "bin" or "obj"));
    }

    private static string FolderOf(string file)
    {
        string relative = Path.GetRelativePath(SdkFolder(), file);
        int slash = relative.IndexOf(Path.DirectorySeparatorChar);
        return slash < 0 ? "" : relative[..slash];
    }
}
