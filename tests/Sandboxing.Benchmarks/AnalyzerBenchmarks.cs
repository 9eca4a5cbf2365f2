using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Sandboxing.Analyzers;

namespace Sandboxing.Benchmarks;

/// <summary>
/// The analyzer's cost on a synthetic project of 500 files and about 50,000 lines, 3% of whose files build pods and another 3%
/// build them through helpers (private and local helpers, generic and extension helpers, helpers calling helpers, callers that
/// sandbox a helper's result, foreach over lists), compiled with and
/// without the analyzer, with and without KubernetesClient referenced. Targets: at most 3% of the compilation's time with
/// KubernetesClient, indistinguishable from no analyzer (under 0.5%) without it.
/// Run: <c>dotnet run -c Release --project tests/Sandboxing.Benchmarks -- --filter '*AnalyzerBenchmarks*'</c>; the per-analyzer
/// telemetry ratio: <c>dotnet run -c Release --project tests/Sandboxing.Benchmarks -- --analyzer-telemetry</c>.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private SyntheticProject _withKubernetes = null!;
    private SyntheticProject _withoutKubernetes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _withKubernetes = SyntheticProject.Create(kubernetes: true);
        _withoutKubernetes = SyntheticProject.Create(kubernetes: false);
    }

    [Benchmark(Baseline = true)]
    public int KubernetesClient_NoAnalyzer() => _withKubernetes.Compile().GetDiagnostics().Length;

    [Benchmark]
    public int KubernetesClient_EmptyAnalyzer() => _withKubernetes.Analyze(new EmptyAnalyzer());

    [Benchmark]
    public int KubernetesClient_SandboxAnalyzer() => _withKubernetes.Analyze(new SandboxAnalyzer());

    [Benchmark]
    public int NoKubernetesClient_NoAnalyzer() => _withoutKubernetes.Compile().GetDiagnostics().Length;

    [Benchmark]
    public int NoKubernetesClient_EmptyAnalyzer() => _withoutKubernetes.Analyze(new EmptyAnalyzer());

    [Benchmark]
    public int NoKubernetesClient_SandboxAnalyzer() => _withoutKubernetes.Analyze(new SandboxAnalyzer());

    /// <summary>
    /// The ratio the issue asks for, from the compiler's own telemetry: the analyzer's execution time
    /// (<c>AnalyzerTelemetryInfo.ExecutionTime</c>) against the compilation's time (<c>GetDiagnostics</c>) in the same run.
    /// </summary>
    public static void PrintTelemetry(int rounds = 7)
    {
        foreach (var kubernetes in new[] { true, false })
        {
            var project = SyntheticProject.Create(kubernetes);
            project.Compile().GetDiagnostics(); // warm-up (JIT, metadata)
            project.Analyze(new SandboxAnalyzer());
            var ratios = new List<double>();
            var floorRatios = new List<double>();
            var compileTimes = new List<double>();
            var analyzerTimes = new List<double>();
            int findings = 0;
            for (int round = 0; round < rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                project.Compile().GetDiagnostics();
                double compileMs = watch.Elapsed.TotalMilliseconds;

                (double analyzerMs, findings) = Measure(project, new SandboxAnalyzer());
                (double floorMs, _) = Measure(project, new BindOnlyAnalyzer());
                compileTimes.Add(compileMs);
                analyzerTimes.Add(analyzerMs);
                ratios.Add(analyzerMs / compileMs);
                floorRatios.Add(floorMs / compileMs);
            }

            ratios.Sort();
            floorRatios.Sort();
            compileTimes.Sort();
            analyzerTimes.Sort();
            Console.WriteLine(
                $"KubernetesClient referenced: {kubernetes,-5}  files {project.Trees.Length}, lines {project.Lines}, pod files {project.PodFiles}, helper files {project.HelperFiles}, findings {findings}; " +
                $"compile median {compileTimes[rounds / 2]:F0} ms, analyzer median {analyzerTimes[rounds / 2]:F1} ms, " +
                $"ratio median {ratios[rounds / 2]:P2} (min {ratios[0]:P2}, max {ratios[^1]:P2}); " +
                $"binding the pod-spec members alone: {floorRatios[rounds / 2]:P2}");
        }
    }

    private static (double Milliseconds, int Findings) Measure(SyntheticProject project, DiagnosticAnalyzer analyzer)
    {
        var withAnalyzers = project.Compile().WithAnalyzers(
            [analyzer], new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        int findings = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Count(d => d.Id.StartsWith("SBX", StringComparison.Ordinal));
        var telemetry = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult();
        return (telemetry.ExecutionTime.TotalMilliseconds, findings);
    }

    /// <summary>
    /// The floor: an analyzer that only asks the semantic model about the same pod-spec constructions. Any semantic analyzer
    /// re-binds the members it asks about, so this is what looking at them at all costs.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
#pragma warning disable RS1036, RS1041 // benchmark-only analyzer
    private sealed class BindOnlyAnalyzer : DiagnosticAnalyzer
#pragma warning restore RS1036, RS1041
    {
        private static readonly DiagnosticDescriptor s_none = new("BENCH0002", "none", "none", "none", DiagnosticSeverity.Hidden, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [s_none];

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(
                c =>
                {
                    bool candidate = c.Node switch
                    {
                        Microsoft.CodeAnalysis.CSharp.Syntax.ObjectCreationExpressionSyntax o => o.Type.ToString().EndsWith("V1PodSpec", StringComparison.Ordinal),
                        Microsoft.CodeAnalysis.CSharp.Syntax.ImplicitObjectCreationExpressionSyntax { Parent: Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax a } =>
                            a.Left.ToString() == "Spec",
                        _ => false,
                    };
                    if (candidate)
                    {
                        c.SemanticModel.GetOperation(c.Node, c.CancellationToken);
                    }
                },
                Microsoft.CodeAnalysis.CSharp.SyntaxKind.ObjectCreationExpression, Microsoft.CodeAnalysis.CSharp.SyntaxKind.ImplicitObjectCreationExpression);
        }
    }

    /// <summary>An analyzer that registers nothing: the cost of running any analyzer at all, for comparison.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
#pragma warning disable RS1036, RS1041 // benchmark-only analyzer
    private sealed class EmptyAnalyzer : DiagnosticAnalyzer
#pragma warning restore RS1036, RS1041
    {
        private static readonly DiagnosticDescriptor s_none = new("BENCH0001", "none", "none", "none", DiagnosticSeverity.Hidden, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [s_none];

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        }
    }
}

/// <summary>
/// A generated project: 500 files of ordinary C# (about 100 lines each); when KubernetesClient is referenced, 3% of them build
/// pods in place and another 3% build them through helpers.
/// </summary>
internal sealed class SyntheticProject
{
    public const int Files = 500;
    public const int PodFilePercent = 3;
    public const int HelperFilePercent = 3;

    private SyntheticProject(ImmutableArray<SyntaxTree> trees, ImmutableArray<MetadataReference> references, int lines, int podFiles)
    {
        Trees = trees;
        References = references;
        Lines = lines;
        PodFiles = podFiles;
    }

    public ImmutableArray<SyntaxTree> Trees { get; }

    public ImmutableArray<MetadataReference> References { get; }

    public int Lines { get; }

    public int PodFiles { get; }

    public int HelperFiles { get; private set; }

    public CSharpCompilation Compile() => CSharpCompilation.Create(
        "Synthetic", Trees, References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false));

    public int Analyze(DiagnosticAnalyzer analyzer) =>
        Compile().WithAnalyzers([analyzer], new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: false, logAnalyzerExecutionTime: false))
            .GetAllDiagnosticsAsync().GetAwaiter().GetResult().Length;

    public static SyntheticProject Create(bool kubernetes)
    {
        var references = TargetingPack().ToList();
        if (kubernetes)
        {
            references.Add(MetadataReference.CreateFromFile(typeof(k8s.Models.V1Pod).Assembly.Location));
        }

        var random = new Random(42);
        var trees = ImmutableArray.CreateBuilder<SyntaxTree>();
        int lines = 0, podFiles = 0, helperFiles = 0;
        for (int i = 0; i < Files; i++)
        {
            bool pods = kubernetes && i % (100 / PodFilePercent) == 0 && podFiles < Files * PodFilePercent / 100;
            bool helpers = kubernetes && !pods && i % (100 / HelperFilePercent) == 1 && helperFiles < Files * HelperFilePercent / 100;
            var text = pods ? PodFile(i, random) : helpers ? HelperFile(i, random) : OrdinaryFile(i, random);
            podFiles += pods ? 1 : 0;
            helperFiles += helpers ? 1 : 0;
            lines += text.Count(c => c == '\n');
            trees.Add(CSharpSyntaxTree.ParseText(text, path: $"/synthetic/File{i}.cs"));
        }

        return new SyntheticProject(trees.ToImmutable(), references.ToImmutableArray(), lines, podFiles) { HelperFiles = helperFiles };
    }

    private static IEnumerable<MetadataReference> TargetingPack()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var packs = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref"));
        var version = Directory.GetDirectories(packs).Select(Path.GetFileName).Where(v => v!.StartsWith("10.", StringComparison.Ordinal))
            .OrderBy(v => Version.TryParse(v!.Split('-')[0], out var parsed) ? parsed : new Version(0, 0)).Last()!;
        return Directory.GetFiles(Path.Combine(packs, version, "ref", "net10.0"), "*.dll").Select(p => MetadataReference.CreateFromFile(p));
    }

    private static string OrdinaryFile(int index, Random random)
    {
        var sb = new StringBuilder();
        sb.AppendLine("using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Text;\n");
        sb.AppendLine($"namespace Acme.Platform.Module{index % 25};\n");
        sb.AppendLine($"public sealed record Item{index}(string Name, int Count, decimal Price);\n");
        sb.AppendLine($"public sealed class Service{index}");
        sb.AppendLine("{");
        sb.AppendLine($"    private readonly Dictionary<string, Item{index}> _items = new();");
        sb.AppendLine("    private readonly List<string> _log = new();");
        sb.AppendLine("    private readonly StringBuilder _buffer = new();\n");
        for (int m = 0; m < 8; m++)
        {
            switch ((index + m + random.Next(3)) % 4)
            {
                case 0:
                    sb.AppendLine($$"""
                            public decimal Total{{m}}(IEnumerable<Item{{index}}> items)
                            {
                                var total = 0m;
                                foreach (var item in items.Where(i => i.Count > {{m}}).OrderBy(i => i.Name))
                                {
                                    total += item.Price * item.Count;
                                    _log.Add($"{item.Name}: {item.Count} x {item.Price}");
                                }
                                return total;
                            }

                        """);
                    break;
                case 1:
                    sb.AppendLine($$"""
                            public Item{{index}} Add{{m}}(string name, int count)
                            {
                                var item = new Item{{index}}(name, count, {{m}}.5m) with { Count = count + {{m}} };
                                _items[name] = item;
                                var options = new Options { Name = name, Retries = {{m}}, Tags = new() { "a", "b" } };
                                return options.Retries > 10 ? item with { Price = 0 } : item;
                            }

                        """);
                    break;
                case 2:
                    sb.AppendLine($$"""
                            public string Describe{{m}}(int seed)
                            {
                                _buffer.Clear();
                                for (int i = 0; i < seed % 17; i++)
                                {
                                    _buffer.Append(i switch { 0 => "zero", 1 => "one", _ => i.ToString() }).Append(',');
                                }
                                var groups = _items.Values.GroupBy(v => v.Count % 3).ToDictionary(g => g.Key, g => g.Count());
                                return _buffer.ToString() + string.Join(";", groups.Select(g => $"{g.Key}={g.Value}"));
                            }

                        """);
                    break;
                default:
                    sb.AppendLine($$"""
                            public async System.Threading.Tasks.Task<int> Process{{m}}Async(IReadOnlyList<string> names)
                            {
                                int count = 0;
                                foreach (var name in names)
                                {
                                    await System.Threading.Tasks.Task.Yield();
                                    if (_items.TryGetValue(name, out var item) && item is { Count: > 0 }) count += item.Count;
                                }
                                return count;
                            }

                        """);
                    break;
            }
        }

        sb.AppendLine("    private sealed class Options { public string Name { get; set; } = \"\"; public int Retries { get; set; } public List<string> Tags { get; set; } = new(); }");
        sb.AppendLine("}");
        return sb.ToString();
    }

    /// <summary>Pods built across methods: the shapes the analyzer follows through summaries and callers.</summary>
    private static string HelperFile(int index, Random random)
    {
        var forgetful = random.Next(2) == 0 ? "Label(pod);" : "Harden(pod);";
        return $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using k8s;
            using k8s.Models;

            namespace Acme.Platform.Helpers{{index}};

            public static class PodExtensions{{index}}
            {
                public static T Kata<T>(this T pod) where T : V1Pod
                {
                    pod.Spec.RuntimeClassName = "kata-vm-isolation";
                    return pod;
                }
            }

            public sealed class TenantFactory{{index}}
            {
                private readonly string _image = Environment.GetEnvironmentVariable("IMAGE") ?? "nginx";

                public V1Pod Web(string name)
                {
                    var pod = Template(name);
                    Harden(pod);
                    return pod;
                }

                public V1Pod Worker(string name)
                {
                    var pod = Template(name);
                    {{forgetful}}
                    return pod;
                }

                public V1Pod Batch(string name) => Template(name).Kata();

                public List<V1Pod> Fleet(int count)
                {
                    var pods = new List<V1Pod>();
                    for (int i = 0; i < count; i++)
                    {
                        pods.Add(Template("fleet-" + i));
                    }

                    foreach (var pod in pods)
                    {
                        pod.Spec.RuntimeClassName = "kata-vm-isolation";
                    }

                    return pods;
                }

                public V1Job Job(string name)
                {
                    var job = new V1Job
                    {
                        Metadata = new V1ObjectMeta { Name = name },
                        Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = Spec(name) } },
                    };
                    Sandbox(job.Spec.Template.Spec);
                    return job;

                    static void Sandbox(V1PodSpec spec) => SetClass(spec, "kata-vm-isolation");
                }

                public V1Pod Defaulted(V1Pod pod)
                {
                    pod.Spec ??= new V1PodSpec { Containers = [Container("app")] };
                    pod.Spec.RuntimeClassName ??= "kata-vm-isolation";
                    return pod;
                }

                private V1Pod Template(string name) => new V1Pod
                {
                    Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["tenant"] = "{{index}}" } },
                    Spec = new V1PodSpec { Containers = [Container(name)] },
                };

                private V1PodSpec Spec(string name) => new V1PodSpec { RestartPolicy = "Never", Containers = [Container(name)] };

                private V1Container Container(string name) => new V1Container
                {
                    Name = name.Length > 0 ? name : "app",
                    Image = _image,
                    Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new ResourceQuantity("1Gi") } },
                };

                private static void Harden(V1Pod pod) => Kata(pod.Spec);

                private static void Kata(V1PodSpec spec) => SetClass(spec, "kata-vm-isolation");

                private static void SetClass(V1PodSpec spec, string runtime) => spec.RuntimeClassName = runtime;

                private static void Label(V1Pod pod) => pod.Metadata.Labels["sandboxed"] = "no";
            }
            """;
    }

    private static string PodFile(int index, Random random)
    {
        var sb = new StringBuilder();
        sb.AppendLine("using System;\nusing System.Collections.Generic;\nusing k8s;\nusing k8s.Models;\n");
        sb.AppendLine($"namespace Acme.Platform.Workloads{index};\n");
        sb.AppendLine($"public sealed class WorkloadFactory{index}");
        sb.AppendLine("{");
        sb.AppendLine("    private readonly string _runtime = Environment.GetEnvironmentVariable(\"RUNTIME\") ?? \"kata-vm-isolation\";\n");
        sb.AppendLine($$"""
                public V1Pod Pod(string name) => new V1Pod
                {
                    Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "tenant-{{index}}" },
                    Spec = new V1PodSpec
                    {
                        Containers = new List<V1Container>
                        {
                            new V1Container { Name = "app", Image = "nginx", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new ResourceQuantity("1Gi") } } },
                        },
                    },
                };

                public V1Deployment Deployment(string name, int replicas)
                {
                    var deployment = new V1Deployment
                    {
                        Metadata = new() { Name = name },
                        Spec = new V1DeploymentSpec
                        {
                            Replicas = replicas,
                            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                            Template = new V1PodTemplateSpec
                            {
                                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                                Spec = new()
                                {
                                    HostNetwork = {{(random.Next(2) == 0 ? "true" : "false")}},
                                    Containers = [new V1Container { Name = name, Image = "registry/app:1" }],
                                },
                            },
                        },
                    };
                    deployment.Spec.Template.Spec.RuntimeClassName = _runtime;
                    return deployment;
                }

                public V1Job Job(string name) => new V1Job
                {
                    Metadata = new V1ObjectMeta { Name = name },
                    Spec = new V1JobSpec
                    {
                        BackoffLimit = 2,
                        Template = new V1PodTemplateSpec
                        {
                            Spec = new V1PodSpec
                            {
                                RuntimeClassName = "kata-mshv-vm-isolation",
                                RestartPolicy = "Never",
                                Containers = [new V1Container { Name = "job", Image = "busybox", Command = ["sh", "-c", "echo hi"] }],
                                Volumes = [new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = "/var/log" } }],
                            },
                        },
                    },
                };

                public IEnumerable<V1Pod> Many(int count)
                {
                    for (int i = 0; i < count; i++)
                    {
                        var pod = Pod("p" + i);
                        pod.Spec.RuntimeClassName = i % 2 == 0 ? "runc" : _runtime;
                        yield return pod;
                    }
                }
            }
            """);
        return sb.ToString();
    }
}
