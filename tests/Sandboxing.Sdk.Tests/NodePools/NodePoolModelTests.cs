using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.NodePools;

public class NodePoolModelTests
{
    [Fact]
    public void Workload_runtime_is_an_extensible_case_insensitive_value()
    {
        AksWorkloadRuntime fromString = "katavmisolation";
        Assert.Equal(AksWorkloadRuntime.KataVmIsolation, fromString);
        Assert.True(fromString == AksWorkloadRuntime.KataVmIsolation);
        Assert.Equal(AksWorkloadRuntime.KataVmIsolation.GetHashCode(), fromString.GetHashCode());
        Assert.Equal("katavmisolation", fromString.ToString());
        Assert.Equal(AksWorkloadRuntime.KataVmIsolation, default(AksWorkloadRuntime));
        Assert.NotEqual(AksWorkloadRuntime.KataMshvVmIsolation, AksWorkloadRuntime.KataVmIsolation);
        Assert.Equal("Future", new AksWorkloadRuntime("Future").Value);
        Assert.Throws<ArgumentException>(() => new AksWorkloadRuntime(" "));
        Assert.Equal("kata-mshv-vm-isolation", AksWorkloadRuntime.KataMshvVmIsolation.RuntimeClassName);
        Assert.Null(AksWorkloadRuntime.OciContainer.RuntimeClassName);
    }

    [Fact]
    public void Os_sku_is_an_extensible_case_insensitive_value()
    {
        Assert.Equal(AksOsSku.AzureLinux3, (AksOsSku)"AZURELINUX3");
        Assert.True(AksOsSku.AzureLinux3.SupportsPodSandboxing);
        Assert.False(AksOsSku.Ubuntu.SupportsPodSandboxing);
        Assert.True(AksOsSku.Windows2025.IsWindows);
        Assert.Equal(AksOsSku.AzureLinux, default(AksOsSku));
    }

    [Theory]
    [InlineData("2025-08-01", "OCIContainer,WasmWasi")]
    [InlineData("2025-09-01", "KataVmIsolation,OCIContainer,WasmWasi")]
    [InlineData("2026-05-01", "KataVmIsolation,OCIContainer,WasmWasi")]
    [InlineData("2026-08-01", "KataVmIsolation,OCIContainer,WasmWasi")]
    [InlineData("2022-11-02-preview", "KataMshvVmIsolation,OCIContainer,WasmWasi")]
    [InlineData("2025-08-02-preview", "KataMshvVmIsolation,OCIContainer,WasmWasi")]
    [InlineData("2025-09-02-preview", "KataMshvVmIsolation,KataVmIsolation,OCIContainer,WasmWasi")]
    [InlineData("2021-07-01", "")]
    [InlineData("not-a-version", "")]
    public void Api_version_table(string apiVersion, string runtimes) =>
        Assert.Equal(runtimes, string.Join(",", AksApiVersions.RuntimesOf(apiVersion)));

    [Fact]
    public void Default_api_version_is_the_newest_known_stable_with_kata()
    {
        var stable = AksApiVersions.KnownKataVersions.Where(v => !v.EndsWith("-preview", StringComparison.Ordinal)).ToList();
        Assert.Equal(AksApiVersions.Default, stable.Max(StringComparer.Ordinal));
        Assert.All(AksApiVersions.KnownKataVersions, v => Assert.True(AksApiVersions.Supports(v, AksWorkloadRuntime.KataVmIsolation), v));
        Assert.True(string.CompareOrdinal(AksApiVersions.Default, AksApiVersions.FirstWithKataVmIsolation) >= 0);
        Assert.Equal(AksApiVersions.NewestPreview, AksApiVersions.DefaultFor(AksWorkloadRuntime.KataMshvVmIsolation));
    }

    [Fact]
    public void Vm_size_catalog_has_the_families_aks_users_pick_and_cites_sources()
    {
        string[] supported = ["Dsv3", "Dsv4", "Dsv5", "Ddsv5", "Dsv6", "Dadsv7", "Esv3", "Esv4", "Esv5", "Edsv5"];
        // Only these have a public record of AKS accepting them (AKS runs its own check beyond the size page).
        Assert.Equal(["Dadsv7", "Dsv3", "Dsv5"], VmSizes.Families.Where(f => f.AksAccepted == VmSupport.Supported).Select(f => f.Name).Order());
        Assert.All(VmSizes.Families.Where(f => f.AksAccepted == VmSupport.Supported), f => Assert.False(string.IsNullOrEmpty(f.AksSource)));
        Assert.Equal(("Standard_E104is_v5", 104, 672m), Describe(VmSize.Find("Standard_E104is_v5")));
        Assert.Null(VmSize.Find("Standard_E104s_v5")); // not a real size name
        string[] notSupported = ["Dasv4", "Av2", "B-series", "DC-series"];
        foreach (var name in supported)
        {
            Assert.True(VmSizes.Families.Single(f => f.Name == name).SupportsPodSandboxing, name);
        }

        foreach (var name in notSupported)
        {
            Assert.True(VmSizes.Families.Single(f => f.Name == name).CannotRunPodSandboxing, name);
        }

        Assert.All(VmSizes.Families, f =>
        {
            Assert.Contains("learn.microsoft.com/azure/virtual-machines/sizes/", f.Source, StringComparison.Ordinal);
            Assert.NotEmpty(f.Sizes);
            Assert.All(f.Sizes, s => Assert.True(f.Matches(s.Name), $"{s.Name} does not match {f.Name}'s pattern"));
        });

        // Each size belongs to exactly one family.
        var all = VmSizes.Families.SelectMany(f => f.Sizes).ToList();
        Assert.All(all, s => Assert.Single(VmSizes.Families, f => f.Matches(s.Name)));
        Assert.Equal(("Standard_D4s_v5", 4, 16m), Describe(VmSize.Find("standard_d4s_v5")));
        Assert.Equal(("Standard_E64s_v3", 64, 432m), Describe(VmSize.Find("Standard_E64s_v3")));
        Assert.Null(VmSize.Find("Standard_Z1"));
    }

    [Theory]
    [InlineData("sandbox=kata:NoSchedule", "sandbox", "kata", "NoSchedule")]
    [InlineData("dedicated:NoExecute", "dedicated", null, "NoExecute")]
    [InlineData("example.com/a=b:PreferNoSchedule", "example.com/a", "b", "PreferNoSchedule")]
    public void Taints_parse_and_print(string text, string key, string? value, string effect)
    {
        var taint = AksNodeTaint.Parse(text);
        Assert.Equal((key, value, effect), (taint.Key, taint.Value, taint.Effect));
        Assert.Equal(text, taint.ToString());
        Assert.Null(taint.Problem());
        Assert.True(taint.IsToleratedBy(taint.ToToleration()));
    }

    private static (string Name, int VCpus, decimal MemoryGiB)? Describe(VmSize? size) => size is null ? null : (size.Name, size.VCpus, size.MemoryGiB);
}
