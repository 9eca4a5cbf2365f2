using BenchmarkDotNet.Running;
using Sandboxing.Benchmarks;

// Run all: dotnet run -c Release --project tests/Sandboxing.Benchmarks -- --filter '*'
// The analyzer's share of a compilation, from the compiler's telemetry: ... -- --analyzer-telemetry
if (args.Length > 0 && args[0] == "--analyzer-telemetry")
{
    AnalyzerBenchmarks.PrintTelemetry();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
