using System.Collections.Immutable;
using k8s.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Sandboxing.Analyzers.Tests;

/// <summary>The references every test compilation gets: .NET 10 reference assemblies (offline) and KubernetesClient.</summary>
public static class TestReferences
{
    /// <summary>No package to download: the .NET 10 reference assemblies come from the installed SDK's targeting pack.</summary>
    public static readonly ReferenceAssemblies None = new("net10.0");

    public static readonly ImmutableArray<MetadataReference> Net100 = LoadTargetingPack();

    public static readonly MetadataReference KubernetesClient = MetadataReference.CreateFromFile(typeof(V1Pod).Assembly.Location);

    public static readonly MetadataReference Sdk = MetadataReference.CreateFromFile(typeof(Sandboxing.Sdk.SandboxExtensions).Assembly.Location);

    /// <summary>The reference assemblies of the newest 10.0 targeting pack beside the running runtime (dotnet/packs/Microsoft.NETCore.App.Ref).</summary>
    public static string TargetingPackDirectory()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;         // dotnet/shared/Microsoft.NETCore.App/10.0.x
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var version = Directory.GetDirectories(packs)
            .Select(Path.GetFileName)
            .Where(v => v!.StartsWith("10.", StringComparison.Ordinal))
            .OrderBy(v => Version.TryParse(v!.Split('-')[0], out var parsed) ? parsed : new Version(0, 0))
            .Last()!;
        return Path.Combine(packs, version, "ref", "net10.0");
    }

    private static ImmutableArray<MetadataReference> LoadTargetingPack() =>
        Directory.GetFiles(TargetingPackDirectory(), "*.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();

    public static void Configure(SolutionState state, bool kubernetes, bool sdk)
    {
        state.ReferenceAssemblies = None;
        state.AdditionalReferences.AddRange(Net100);
        if (kubernetes)
        {
            state.AdditionalReferences.Add(KubernetesClient);
        }

        if (sdk)
        {
            state.AdditionalReferences.Add(Sdk);
        }
    }
}

/// <summary><c>using VerifyCS = CSharpCodeFixVerifier&lt;SandboxAnalyzer, RuntimeClassCodeFixProvider&gt;;</c></summary>
public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>An expected diagnostic whose message is checked (give its arguments with <c>WithArguments</c>).</summary>
    public static DiagnosticResult Diagnostic(string id) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(id);

    /// <summary>An expected diagnostic checked by ID, severity and location only.</summary>
    public static DiagnosticResult Rule(string id)
    {
        var descriptor = new TAnalyzer().SupportedDiagnostics.Single(d => d.Id == id);
        return new DiagnosticResult(id, descriptor.DefaultSeverity);
    }

    /// <summary>Checks the diagnostics of <paramref name="source"/> (a program that uses KubernetesClient, not the SDK).</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        new Test(source) { ExpectedDiagnostics = { }, }.WithExpected(expected).RunAsync();

    public static Task VerifyCodeFixAsync(string source, string fixedSource, params DiagnosticResult[] expected) =>
        new Test(source) { FixedCode = fixedSource }.WithExpected(expected).RunAsync();

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test(string source = "", bool sdk = false, bool kubernetes = true, string? editorConfig = null, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
        {
            if (source.Length > 0)
            {
                TestCode = source;
            }

            TestReferences.Configure(TestState, kubernetes, sdk);
            TestState.OutputKind = outputKind;
            if (editorConfig is not null)
            {
                TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*]\n" + editorConfig));
            }
        }

        public Test WithExpected(IEnumerable<DiagnosticResult> expected)
        {
            ExpectedDiagnostics.AddRange(expected);
            return this;
        }

        public void ConfigureFixed(bool sdk, bool kubernetes = true)
        {
            TestReferences.Configure(FixedState, kubernetes, sdk);
        }
    }
}
