using BenchmarkDotNet.Running;
using Sandboxing.Benchmarks;

// Run all: dotnet run -c Release --project tests/Sandboxing.Benchmarks -- --filter '*'
// The analyzer's share of a compilation, from the compiler's telemetry: ... -- --analyzer-telemetry
if (args.Length > 0 && args[0] == "--analyzer-telemetry")
{
    AnalyzerBenchmarks.PrintTelemetry();
    return 0;
}

// The manifest corpus as a file (for timing the command line on it): ... -- --write-corpus corpus.yaml [documents]
if (args.Length > 1 && args[0] == "--write-corpus")
{
    int documents = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
    File.WriteAllText(args[1], ManifestCorpus.Generate(documents));
    return 0;
}

// The fleet audit against loopback API servers (wall time and peak memory of the auditing process): ... -- --fleet-audit [repeats]
if (FleetAuditRun.IsClient(args))
{
    return await FleetAuditRun.ClientAsync(args);
}

if (args.Length > 0 && args[0] == "--fleet-audit")
{
    return await FleetAuditRun.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
