using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Benchmarks;

/// <summary>
/// The fleet audit against loopback API servers that answer every request after a fixed latency (a scripted run, not
/// BenchmarkDotNet: one measurement takes seconds and what matters is the wall time and the peak memory of the auditing process).
/// The servers run in this process; each audit runs in a child process, so its peak resident memory (VmHWM) is the audit's alone.
/// Run: dotnet run -c Release --project tests/Sandboxing.Benchmarks -- --fleet-audit
/// </summary>
internal static class FleetAuditRun
{
    private const string ClientFlag = "--fleet-audit-client";

    /// <summary>Starts the fleets, audits them from child processes and prints the figures as a Markdown table.</summary>
    public static async Task<int> RunAsync(int repeats)
    {
        var latency = TimeSpan.FromSeconds(1);
        var rows = new List<string>();
        await using (var six = await Fleet.StartAsync(6, 1_500, latency, sandboxed: false))
        {
            // One cluster and the six, alternated so the machine's noise falls on both alike.
            for (int i = 0; i < repeats; i++)
            {
                rows.Add(Row("1 cluster × 1,500 pods", Audit(six.Kubeconfig, parallel: 8, contexts: ["c00"])));
                rows.Add(Row("6 clusters × 1,500 pods", Audit(six.Kubeconfig, parallel: 8, contexts: [])));
            }
        }

        await using (var fifty = await Fleet.StartAsync(50, 2_000, latency, sandboxed: false))
        {
            rows.Add(Row("50 clusters × 2,000 pods (--parallel 8, the default)", Audit(fifty.Kubeconfig, parallel: 8, contexts: [])));
            rows.Add(Row("50 clusters × 2,000 pods (--parallel 50)", Audit(fifty.Kubeconfig, parallel: 50, contexts: [])));
        }

        await using (var sandboxed = await Fleet.StartAsync(50, 2_000, latency, sandboxed: true))
        {
            rows.Add(Row("50 clusters × 2,000 sandboxed pods (--parallel 8)", Audit(sandboxed.Kubeconfig, parallel: 8, contexts: [])));
        }

        Console.WriteLine($"Every request answered after {latency.TotalSeconds:0} s; pods without a class are findings; {Environment.ProcessorCount} cores, load average {LoadAverage()}.");
        Console.WriteLine("| run | clusters audited/failed | findings | wall time | peak memory (VmHWM) |");
        Console.WriteLine("|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    /// <summary>The child process: audits the kubeconfig's contexts and prints one JSON line of figures.</summary>
    public static async Task<int> ClientAsync(string[] args)
    {
        string kubeconfig = args[1];
        int parallel = int.Parse(args[2], CultureInfo.InvariantCulture);
        var contexts = args.Skip(3).ToList();
        var clock = Stopwatch.StartNew();
        var fleet = await SandboxKubeconfig.AuditContextsAsync(kubeconfig, contexts, new SandboxAuditOptions { Namespaces = [] }, parallel);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new Figures(
            seconds,
            PeakResidentMegabytes(),
            fleet.Count(c => c.Error is null),
            fleet.Count(c => c.Error is not null),
            fleet.Sum(c => c.Report?.Objects.Sum(o => o.Findings.Count) ?? 0),
            fleet.FirstOrDefault(c => c.Error is not null)?.Error?.Message)));
        return 0;
    }

    public static bool IsClient(string[] args) => args.Length > 2 && args[0] == ClientFlag;

    private static Figures Audit(string kubeconfig, int parallel, IReadOnlyList<string> contexts)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { ClientFlag, kubeconfig, parallel.ToString(CultureInfo.InvariantCulture) }.Concat(contexts))
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        return JsonSerializer.Deserialize<Figures>(output.Trim().Split('\n')[^1])
            ?? throw new InvalidOperationException("The audit process printed no figures: " + output);
    }

    private static string Row(string name, Figures f)
    {
        if (f.FirstError is not null)
        {
            Console.Error.WriteLine($"{name}: a cluster failed: {f.FirstError}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"| {name} | {f.Audited}/{f.Failed} | {f.Findings:N0} | {f.Seconds:0.00} s | {f.PeakMegabytes:0} MB |");
    }

    /// <summary>The most resident memory the process has had (Linux's VmHWM); the GC's committed bytes elsewhere.</summary>
    private static double PeakResidentMegabytes()
    {
        const string Key = "VmHWM:";
        if (File.Exists("/proc/self/status"))
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(Key, StringComparison.Ordinal))
                {
                    return double.Parse(line[Key.Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) / 1024;
                }
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
    }

    /// <summary>The machine's one-minute load average (Linux), to read the figures against.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private sealed record Figures(double Seconds, double PeakMegabytes, int Audited, int Failed, int Findings, string? FirstError);

    /// <summary>A fleet of loopback API servers and a kubeconfig with one context per server (c00, c01, …).</summary>
    private sealed class Fleet : IAsyncDisposable
    {
        private readonly List<LoopbackApiServer> _servers;

        private Fleet(List<LoopbackApiServer> servers, string kubeconfig)
        {
            _servers = servers;
            Kubeconfig = kubeconfig;
        }

        public string Kubeconfig { get; }

        public static async Task<Fleet> StartAsync(int clusters, int pods, TimeSpan latency, bool sandboxed)
        {
            var servers = new List<LoopbackApiServer>();
            for (int i = 0; i < clusters; i++)
            {
                servers.Add(await LoopbackApiServer.StartAsync($"c{i:00}", pods, latency, sandboxed));
            }

            var text = new StringBuilder("apiVersion: v1\nkind: Config\nusers:\n- name: bench\n  user:\n    token: not-a-real-token\nclusters:\n");
            for (int i = 0; i < clusters; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"- name: c{i:00}\n  cluster:\n    server: {servers[i].BaseUri}\n");
            }

            text.Append("contexts:\n");
            for (int i = 0; i < clusters; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"- name: c{i:00}\n  context:\n    cluster: c{i:00}\n    user: bench\n");
            }

            text.Append("current-context: c00\n");
            string path = Path.Combine(Path.GetTempPath(), $"fleet-audit-{clusters}x{pods}-{Environment.ProcessId}.kubeconfig");
            await File.WriteAllTextAsync(path, text.ToString());
            return new Fleet(servers, path);
        }

        public async ValueTask DisposeAsync()
        {
            File.Delete(Kubeconfig);
            foreach (var server in _servers)
            {
                await server.DisposeAsync();
            }
        }
    }
}
