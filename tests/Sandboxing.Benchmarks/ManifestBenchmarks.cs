using System.Text;
using BenchmarkDotNet.Attributes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Sandboxing.Sdk;

namespace Sandboxing.Benchmarks;

/// <summary>
/// The manifest linter and fixer against parsing the same bytes with YamlDotNet alone (targets: lint at most 2x, fix at most
/// 3x the <see cref="ParseYamlStream"/> baseline). The corpus is 10,000 documents of every pod-bearing kind, block and flow
/// style, with comments, as a platform repository's rendered manifests look.
/// Run: dotnet run -c Release --project tests/Sandboxing.Benchmarks -- --filter '*ManifestBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class ManifestBenchmarks
{
    private string _corpus = "";
    private ManifestLintOptions _lint = ManifestLintOptions.Default;
    private ManifestFixOptions _fix = ManifestFixOptions.Default;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = ManifestCorpus.Generate(10_000);
        var read = new ManifestReadOptions { MaxFileBytes = 1L << 30 };
        _lint = new ManifestLintOptions { Read = read };
        _fix = new ManifestFixOptions { Read = read };
        var check = ManifestLinter.Lint(_corpus, "corpus.yaml", _lint);
        if (check.Problems.Count > 0 || check.PodObjects != 10_000)
        {
            throw new InvalidOperationException($"The corpus is not what the benchmark means to measure: {check.PodObjects} objects, {string.Join("; ", check.Problems)}");
        }
    }

    /// <summary>YamlDotNet's representation model: the parse the linter builds on.</summary>
    [Benchmark(Baseline = true)]
    public int ParseYamlStream()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(_corpus));
        return stream.Documents.Count;
    }

    /// <summary>YamlDotNet's event parser alone, the least any YAML reader pays.</summary>
    [Benchmark]
    public int ParseEvents()
    {
        var parser = new Parser(new StringReader(_corpus));
        int events = 0;
        while (parser.MoveNext())
        {
            events++;
        }

        return events;
    }

    [Benchmark]
    public int Lint() => ManifestLinter.Lint(_corpus, "corpus.yaml", _lint).Findings.Count;

    [Benchmark]
    public int Fix() => ManifestFixer.Fix(_corpus, "corpus.yaml", _fix).Edits.Count;
}

/// <summary>A deterministic corpus of pod-bearing documents (about a third already sandboxed).</summary>
public static class ManifestCorpus
{
    private static readonly string[] s_kinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod", "ReplicationController", "PodTemplate"];

    public static string Generate(int documents)
    {
        var text = new StringBuilder(documents * 700);
        for (int i = 0; i < documents; i++)
        {
            var kind = s_kinds[i % s_kinds.Length];
            var (apiVersion, path) = kind switch
            {
                "Pod" => ("v1", Array.Empty<string>()),
                "PodTemplate" => ("v1", ["template"]),
                "ReplicationController" => ("v1", ["spec", "template"]),
                "Job" => ("batch/v1", ["spec", "template"]),
                "CronJob" => ("batch/v1", new[] { "spec", "jobTemplate", "spec", "template" }),
                _ => ("apps/v1", new[] { "spec", "template" }),
            };
            text.Append("---\n# Source: platform/templates/").Append(kind.ToLowerInvariant()).Append(".yaml\n");
            text.Append("apiVersion: ").Append(apiVersion).Append("\nkind: ").Append(kind).Append('\n');
            text.Append("metadata:\n  name: app-").Append(i).Append("\n  namespace: tenant-").Append(i % 50).Append('\n');
            text.Append("  labels:\n    app.kubernetes.io/name: app-").Append(i).Append("\n    app.kubernetes.io/part-of: platform\n");
            string indent = "";
            foreach (var key in path)
            {
                text.Append(indent).Append(key).Append(":\n");
                indent += "  ";
                if (key == "template")
                {
                    text.Append(indent).Append("metadata:\n").Append(indent).Append("  labels: {app.kubernetes.io/name: app-").Append(i).Append("}\n");
                }
            }

            if (i % 7 == 3)
            {
                // Flow style, as JSON-minded generators write it.
                text.Append(indent).Append("spec: {containers: [{name: app, image: \"registry.example.com/app:1.").Append(i % 10)
                    .Append("\", ports: [{containerPort: 8080}], resources: {limits: {cpu: \"1\", memory: 1Gi}, requests: {cpu: \"1\", memory: 1Gi}}}]}\n");
                continue;
            }

            text.Append(indent).Append("spec:\n");
            indent += "  ";
            if (i % 3 == 0)
            {
                text.Append(indent).Append("runtimeClassName: kata-vm-isolation\n");
            }

            text.Append(indent).Append("# the application container\n");
            text.Append(indent).Append("containers:\n");
            text.Append(indent).Append("- name: app\n");
            text.Append(indent).Append("  image: registry.example.com/app:1.").Append(i % 10).Append('\n');
            text.Append(indent).Append("  args: [\"--port\", \"8080\", \"--log-level\", \"info\"]\n");
            text.Append(indent).Append("  ports:\n").Append(indent).Append("  - containerPort: 8080\n").Append(indent).Append("    name: http\n");
            text.Append(indent).Append("  env:\n").Append(indent).Append("  - name: TENANT\n").Append(indent).Append("    value: \"tenant-").Append(i % 50).Append("\"\n");
            text.Append(indent).Append("  resources:\n").Append(indent).Append("    limits: {cpu: 500m, memory: 512Mi}\n").Append(indent).Append("    requests: {cpu: 500m, memory: 512Mi}\n");
            text.Append(indent).Append("  securityContext:\n").Append(indent).Append("    allowPrivilegeEscalation: false\n").Append(indent).Append("    readOnlyRootFilesystem: true\n");
            text.Append(indent).Append("automountServiceAccountToken: false\n");
        }

        return text.ToString();
    }
}
