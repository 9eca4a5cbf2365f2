using BenchmarkDotNet.Attributes;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Benchmarks;

/// <summary>Building a fully configured node pool, and emitting it in every format (target: well under a millisecond).</summary>
[MemoryDiagnoser]
public class NodePoolBenchmarks
{
    private AksNodePool _pool = null!;

    [GlobalSetup]
    public void Setup() => _pool = Build();

    [Benchmark]
    public AksNodePool BuildAndValidate() => Build();

    [Benchmark]
    public int EmitEveryFormat() =>
        _pool.ToAzCli().Length + _pool.ToBicep().Length + _pool.ToArmTemplate().Length + _pool.ToTerraform().Length + _pool.ToRestRequest().Body.Length;

    private static AksNodePool Build() =>
        AksNodePool.ForSandboxing("kata")
            .InCluster("prod-aks", "rg-platform", "00000000-1111-2222-3333-444444444444")
            .WithVmSize("Standard_D8s_v5")
            .WithAutoscaling(min: 1, max: 10)
            .WithAvailabilityZones("1", "2", "3")
            .WithNodeLabel("workload", "sandbox")
            .WithNodeTaint(AksNodeTaint.SandboxDefault)
            .WithMaxPods(30)
            .WithOsDisk(AksOsDiskType.Ephemeral, 128)
            .WithTag("cost-center", "42")
            .Build();
}
