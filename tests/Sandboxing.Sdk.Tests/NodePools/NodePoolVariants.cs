using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.NodePools;

/// <summary>The node pools the output tests emit in every format.</summary>
public static class NodePoolVariants
{
    public const string Subscription = "00000000-1111-2222-3333-444444444444";
    public const string HostileTag = "$(touch /tmp/pwned) `id` \"quoted\" it's ${x} %{y} \\ [not-an-expression]";

    public static AksNodePool Minimal() =>
        AksNodePool.ForSandboxing("kata").InCluster("myAKSCluster", "myResourceGroup").WithVmSize("Standard_D4s_v5").Build();

    public static AksNodePool Full() =>
        AksNodePool.ForSandboxing("kata2")
            .InCluster("prod-aks_01", "rg-platform", Subscription)
            .WithVmSize("Standard_E8s_v5")
            .WithOsSku(AksOsSku.AzureLinux3)
            .WithAutoscaling(min: 1, max: 10, initialCount: 2)
            .WithAvailabilityZones("1", "2", "3")
            .WithNodeLabel("workload", "sandbox")
            .WithNodeLabel("sandboxing.sdk/tier", "untrusted")
            .WithNodeTaint(AksNodeTaint.SandboxDefault)
            .WithNodeTaint("dedicated=tenants:NoExecute")
            .WithMaxPods(30)
            .WithOsDisk(AksOsDiskType.Ephemeral, sizeGB: 128)
            .WithOrchestratorVersion("1.35")
            .WithSubnets(
                $"/subscriptions/{Subscription}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes",
                $"/subscriptions/{Subscription}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pods")
            .WithTag("cost-center", "42")
            .WithTag("owner", "platform-team")
            .Build();

    public static AksNodePool Legacy() =>
        AksNodePool.ForSandboxing("katalegacy")
            .InCluster("myAKSCluster", "myResourceGroup")
            .WithVmSize("Standard_D4s_v3")
            .WithWorkloadRuntime(AksWorkloadRuntime.KataMshvVmIsolation)
            .WithNodeCount(2)
            .Build();

    public static AksNodePool Hostile() =>
        AksNodePool.ForSandboxing("kata")
            .InCluster("myAKSCluster", "rg.(prod)-1")
            .WithVmSize("Standard_D4s_v5")
            .WithTag("owner's team", HostileTag)
            .WithTag("[bracket", "[starts with a bracket]")
            .WithNodeLabel("note", "a.b_c-d")
            .Build();

    public static IEnumerable<object[]> Names() => [["minimal"], ["full"], ["legacy"], ["hostile"]];

    public static AksNodePool Get(string name) => name switch
    {
        "minimal" => Minimal(),
        "full" => Full(),
        "legacy" => Legacy(),
        "hostile" => Hostile(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
