using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Analyzers.Tests;

/// <summary>
/// The analyzer never throws: it runs over every C# file of this repository and over thousands of generated programs that use
/// KubernetesClient types in random shapes, incomplete code included, with internal errors allowed to escape (so they would
/// surface as AD0001 or through the exception callback).
/// </summary>
public class RobustnessTests
{
    static RobustnessTests() => AppContext.SetSwitch("Sandboxing.Analyzers.ThrowOnInternalError", true);

    private static readonly ImmutableArray<MetadataReference> References = TestReferences.Net100
        .Add(TestReferences.KubernetesClient)
        .Add(TestReferences.Sdk);

    [Fact]
    public async Task Every_csharp_file_of_the_repository()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Sandboxing.Sdk.sln")))
        {
            root = root.Parent!;
        }

        var files = Directory.EnumerateFiles(root.FullName, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 20, "expected the repository's sources, found " + files.Count);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), CSharpParseOptions.Default, path: f)).ToList();

        // One compilation with everything (duplicate names and top-level statements only add compiler errors, which is fine).
        var (diagnostics, exceptions) = await AnalyzeAsync(trees, OutputKind.ConsoleApplication);
        Assert.True(exceptions.Count == 0, string.Join("\n", exceptions));
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Thousands_of_generated_programs()
    {
        const int Batches = 75, ProgramsPerBatch = 40; // 3000 programs
        int reported = 0;
        for (int batch = 0; batch < Batches; batch++)
        {
            var trees = new List<SyntaxTree>();
            for (int i = 0; i < ProgramsPerBatch; i++)
            {
                int seed = batch * ProgramsPerBatch + i;
                var source = new ProgramGenerator(new Random(seed)).Program(seed);
                trees.Add(CSharpSyntaxTree.ParseText(source, path: $"/gen/P{seed}.cs"));
            }

            var (diagnostics, exceptions) = await AnalyzeAsync(trees, batch % 5 == 0 ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary);
            Assert.True(exceptions.Count == 0, $"batch {batch}: " + string.Join("\n", exceptions));
            Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
            reported += diagnostics.Count(d => d.Id.StartsWith("SBX", StringComparison.Ordinal));
        }

        // The generated shapes are meant to hit the rules, not only to survive them.
        Assert.True(reported > 1000, "only " + reported + " findings over the generated programs");
    }

    private static readonly CSharpCompilation s_library = CSharpCompilation.Create(
        "Robustness", [], References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static readonly CSharpCompilation s_console = s_library.WithOptions(s_library.Options.WithOutputKind(OutputKind.ConsoleApplication));

    private static async Task<(ImmutableArray<Diagnostic> Diagnostics, List<Exception> Exceptions)> AnalyzeAsync(IEnumerable<SyntaxTree> trees, OutputKind kind)
    {
        // Adding trees to one empty compilation per output kind reuses its resolved references.
        var compilation = (kind == OutputKind.ConsoleApplication ? s_console : s_library).AddSyntaxTrees(trees);
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            (exception, analyzer, diagnostic) => { lock (exceptions) { exceptions.Add(exception); } },
            concurrentAnalysis: true, logAnalyzerExecutionTime: false);
        var withAnalyzers = compilation.WithAnalyzers([new SandboxAnalyzer()], options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        return (diagnostics, exceptions);
    }
}

/// <summary>Random programs that build KubernetesClient objects the way platform code does, and sometimes break off half-way.</summary>
internal sealed class ProgramGenerator(Random random)
{
    private static readonly string[] RuntimeValues =
    [
        "\"kata-vm-isolation\"", "\"runc\"", "null", "\"\"", "\"kata-mshv-vm-isolation\"", "\"kata-cc-isolation\"", "\"gvisor\"",
        "runtime", "config[\"runtime\"]", "Runtime", "KnownRuntimeClasses.KataVmIsolation", "(string)null", "$\"kata-{runtime}\"",
    ];

    private static readonly string[] Junk = ["{", "}", "new", "=", ".", "with", "(", ")", ",", ";", "[", "]", "=>", "Spec", "new()", "?."];

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private bool Chance(double p) => random.NextDouble() < p;

    public string Program(int seed)
    {
        var sb = new StringBuilder();
        sb.AppendLine("using System; using System.Collections.Generic; using k8s; using k8s.Models; " + Snippets.SdkUsings);
        bool topLevel = Chance(0.15);
        if (topLevel)
        {
            sb.AppendLine("string runtime = \"x\"; var config = new Dictionary<string, string>();");
            for (int i = random.Next(1, 4); i > 0; i--)
            {
                sb.AppendLine(Statement(0));
            }
        }

        sb.AppendLine($"namespace Gen{seed} {{ class C{seed} {{");
        sb.AppendLine("  const string Runtime = \"kata-vm-isolation\"; string runtime = \"\"; Dictionary<string, string> config = new();");
        for (int m = random.Next(1, 5); m > 0; m--)
        {
            sb.AppendLine(Member(m));
        }

        sb.AppendLine("} }");
        var text = sb.ToString();
        return Chance(0.35) ? Break(text) : text;
    }

    private string Break(string text)
    {
        switch (random.Next(3))
        {
            case 0:
                return text.Substring(0, random.Next(text.Length));
            case 1:
                int start = random.Next(text.Length), length = random.Next(Math.Min(40, text.Length - start) + 1);
                return text.Remove(start, length);
            default:
                var sb = new StringBuilder(text);
                for (int i = random.Next(1, 6); i > 0; i--)
                {
                    sb.Insert(random.Next(sb.Length), " " + Pick(Junk) + " ");
                }

                return sb.ToString();
        }
    }

    private string Member(int index) => random.Next(6) switch
    {
        0 => $"  V1Pod M{index}() => {Workload("V1Pod")};",
        1 => $"  object M{index}(V1Pod other, string runtime) {{ {Statement(0)} {Statement(0)} return other; }}",
        2 => $"  static readonly {Pick(Kinds)} F{index} = {Workload(null)};",
        3 => $"  V1Pod P{index} => new() {{ Spec = {Spec(0)} }};",
        4 => $"  Func<object> L{index}() => () => {Workload(null)};",
        _ => $"  void N{index}(V1Pod other) {{ {Statement(0)} object Local() => {Workload(null)}; {Statement(0)} }}",
    };

    private static readonly string[] Kinds = ["V1Pod", "V1Deployment", "V1Job", "V1StatefulSet", "V1CronJob", "V1PodTemplateSpec", "V1PodSpec", "object"];

    private string Statement(int depth)
    {
        var name = "x" + random.Next(4);
        return random.Next(14) switch
        {
            0 => $"var {name} = {Workload(null)};",
            1 => $"var {name} = new V1Pod {{ Spec = {Spec(depth)} }}; {name}.Spec.RuntimeClassName = {Pick(RuntimeValues)};",
            2 => $"var {name} = {Workload("V1Deployment")}; {name}.Spec.Template.Spec.RuntimeClassName = {Pick(RuntimeValues)};",
            3 => $"other.Spec = {Spec(depth)};",
            4 => $"var {name} = other with {{ Spec = {Spec(depth)} }};",
            5 => $"var {name} = {Workload("V1Pod")}.Initialize();",
            6 => $"var {name} = {Workload(null)}; {name}.Sandbox();",
            7 => $"var {name} = new List<V1Pod> {{ {Workload("V1Pod")} }}; {name}.Sandbox(SandboxRuntime.GkeGvisor);",
            8 => $"var {name} = new V1Pod[{random.Next(3)}];",
            9 => $"var {name} = other.Spec; {name}.HostNetwork = {(Chance(0.5) ? "true" : "false")}; {name}.RuntimeClassName = {Pick(RuntimeValues)};",
            10 => $"var {name} = new V1Pod {{ Spec = {Spec(depth)} }}; {name}.Spec.HostPID = true; {name}.Spec.ShareProcessNamespace = true;",
            11 => $"V1PodSpec {name}() => {Spec(depth)};",
            12 => $"var {name} = {Spec(depth)}; var y{name} = new V1Pod {{ Spec = {name} }}; y{name}.Spec.RuntimeClassName = {Pick(RuntimeValues)};",
            _ => $"var {name} = Sandboxed.Pod(\"p\").ConfigurePodSpec(s => s.HostNetwork = true).Build();",
        };
    }

    private string Workload(string? kind)
    {
        kind ??= Pick(Kinds);
        var create = Chance(0.3) ? "new()" : "new " + (kind == "object" ? "V1Pod" : kind) + (Chance(0.2) ? "()" : string.Empty);
        return kind switch
        {
            "V1Pod" or "object" => $"{create} {{ Metadata = new V1ObjectMeta {{ Name = \"p\" }}, Spec = {Spec(0)} }}",
            "V1Deployment" => $"{create} {{ Spec = new V1DeploymentSpec {{ Selector = new(), Template = new V1PodTemplateSpec {{ Spec = {Spec(0)} }} }} }}",
            "V1Job" => $"{create} {{ Spec = new() {{ Template = new() {{ Spec = {Spec(0)} }} }} }}",
            "V1StatefulSet" => $"{create} {{ Spec = new V1StatefulSetSpec {{ ServiceName = \"s\", Selector = new(), Template = new() {{ Spec = {Spec(0)} }} }} }}",
            "V1CronJob" => $"{create} {{ Spec = new V1CronJobSpec {{ Schedule = \"* * * * *\", JobTemplate = new() {{ Spec = new() {{ Template = new() {{ Spec = {Spec(0)} }} }} }} }} }}",
            "V1PodTemplateSpec" => $"{create} {{ Spec = {Spec(0)} }}",
            _ => Spec(0),
        };
    }

    private string Spec(int depth)
    {
        var create = Chance(0.4) ? "new()" : Chance(0.5) ? "new V1PodSpec" : "new k8s.Models.V1PodSpec()";
        var parts = new List<string>();
        if (Chance(0.5))
        {
            parts.Add("RuntimeClassName = " + Pick(RuntimeValues));
        }

        foreach (var flag in new[] { "HostNetwork", "HostPID", "HostIPC", "ShareProcessNamespace" })
        {
            if (Chance(0.15))
            {
                parts.Add($"{flag} = {(Chance(0.7) ? "true" : "false")}");
            }
        }

        if (Chance(0.9))
        {
            var containers = Enumerable.Range(0, random.Next(0, 3)).Select(_ => Container()).ToList();
            parts.Add(random.Next(3) switch
            {
                0 => "Containers = [" + string.Join(", ", containers) + "]",
                1 => "Containers = new List<V1Container> { " + string.Join(", ", containers) + " }",
                _ => "Containers = new V1Container[] { " + string.Join(", ", containers) + " }",
            });
        }

        if (Chance(0.3))
        {
            parts.Add("Volumes = [new V1Volume { Name = \"v\", HostPath = new V1HostPathVolumeSource { Path = \"/var\" } }, new() { Name = \"e\", EmptyDir = new() }]");
        }

        if (Chance(0.1) && depth < 2)
        {
            parts.Add("Overhead = new Dictionary<string, ResourceQuantity> { [\"memory\"] = new(\"1Gi\") }");
        }

        return parts.Count == 0 && create.EndsWith("()", StringComparison.Ordinal) && Chance(0.5)
            ? create
            : create + " { " + string.Join(", ", parts) + (Chance(0.3) ? ", " : " ") + "}";
    }

    private string Container()
    {
        var parts = new List<string> { "Name = \"c\"" };
        switch (random.Next(5))
        {
            case 0:
                parts.Add("Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { [\"memory\"] = new ResourceQuantity(\"1Gi\") } }");
                break;
            case 1:
                parts.Add("Resources = new() { Limits = new Dictionary<string, ResourceQuantity> { { \"cpu\", new(\"1\") } } }");
                break;
            case 2:
                parts.Add("Resources = new() { Limits = null }");
                break;
            case 3:
                parts.Add("Resources = other.Spec.Containers[0].Resources");
                break;
        }

        if (Chance(0.2))
        {
            parts.Add("SecurityContext = new() { Privileged = " + (Chance(0.7) ? "true" : "null") + " }");
        }

        return (Chance(0.5) ? "new()" : "new V1Container") + " { " + string.Join(", ", parts) + " }";
    }
}
