using System.Text.RegularExpressions;

namespace Sandboxing.Sdk.Aks;

/// <summary>Whether a VM family supports a capability, as far as the SDK's sources say.</summary>
internal enum VmSupport
{
    /// <summary>The family's Azure size page, or a public record of Kata on AKS, says it is supported.</summary>
    Supported = 0,

    /// <summary>The family's Azure size page says it is not supported.</summary>
    NotSupported,

    /// <summary>No source the SDK trusts says either way: treat as unconfirmed and check the size page.</summary>
    Unconfirmed,
}

/// <summary>One Azure VM size: its name, vCPUs and memory.</summary>
public sealed class VmSize
{
    /// <summary>Describes a VM size, for one the catalog does not list (<c>CapacityPlanOptions.NodeSize</c>).</summary>
    /// <param name="name">The ARM size name, such as <c>Standard_D4s_v5</c>.</param>
    /// <param name="vCpus">The number of vCPUs.</param>
    /// <param name="memoryGiB">The memory in GiB.</param>
    public VmSize(string name, int vCpus, decimal memoryGiB)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        VCpus = vCpus;
        MemoryGiB = memoryGiB;
    }

    /// <summary>The ARM size name, such as <c>Standard_D4s_v5</c>.</summary>
    public string Name { get; }

    /// <summary>The number of vCPUs.</summary>
    public int VCpus { get; }

    /// <summary>The memory in GiB.</summary>
    public decimal MemoryGiB { get; }

    /// <summary>The memory in bytes.</summary>
    public decimal MemoryBytes => MemoryGiB * 1024m * 1024 * 1024;

    /// <summary>
    /// The SDK's catalog row of a size name (case-insensitive): the Generation 2 sizes with nested virtualization that Pod
    /// Sandboxing pools can use, and the families that cannot, with their vCPUs and memory. Null when the catalog does not list it.
    /// </summary>
    /// <param name="name">The ARM size name, such as <c>Standard_D4s_v5</c>.</param>
    public static VmSize? Find(string? name) => VmSizes.Find(name);
}

/// <summary>
/// One family row of the VM size catalog: which sizes belong to it, whether it offers Generation 2 images and nested
/// virtualization (both needed by Pod Sandboxing), the sizes the SDK lists, and the public source of these facts.
/// </summary>
/// <param name="Name">The family, as Azure names it (<c>Dsv5</c>).</param>
/// <param name="Pattern">A regular expression every size name of the family matches (case-insensitive).</param>
/// <param name="Generation2">Whether the family runs Generation 2 images.</param>
/// <param name="NestedVirtualization">Whether the family supports nested virtualization.</param>
/// <param name="Source">Where the facts come from, and how sure they are.</param>
/// <param name="Sizes">The sizes of the family the SDK lists, smallest first.</param>
internal sealed record VmSizeFamily(string Name, string Pattern, VmSupport Generation2, VmSupport NestedVirtualization, string Source, IReadOnlyList<VmSize> Sizes)
{
    private readonly Regex _regex = new(Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>True when both Generation 2 and nested virtualization are confirmed: the family can run Kata pods.</summary>
    public bool SupportsPodSandboxing => Generation2 == VmSupport.Supported && NestedVirtualization == VmSupport.Supported;

    /// <summary>True when a source says the family cannot run Kata pods (no Generation 2, or no nested virtualization).</summary>
    public bool CannotRunPodSandboxing => Generation2 == VmSupport.NotSupported || NestedVirtualization == VmSupport.NotSupported;

    /// <summary>
    /// Whether AKS is known to accept Pod Sandboxing pools of this family. AKS runs its own nested-virtualization check, so a size
    /// page that says "Supported" is necessary but not sufficient: Dadsv7's page said Supported, yet AKS rejected it until its
    /// release of 19 June 2026 (Azure/AKS CHANGELOG.md L132 @8d1c890). <see cref="VmSupport.Supported"/> only where a public
    /// record exists (<see cref="AksSource"/>); <see cref="VmSupport.Unconfirmed"/> otherwise.
    /// </summary>
    public VmSupport AksAccepted { get; init; } = VmSupport.Unconfirmed;

    /// <summary>The public record that AKS accepts the family for Pod Sandboxing, or null.</summary>
    public string? AksSource { get; init; }

    /// <summary>True when <paramref name="vmSize"/> belongs to this family by its name.</summary>
    public bool Matches(string vmSize) => _regex.IsMatch(vmSize);
}

/// <summary>
/// The ONE VM size catalog for Pod Sandboxing pools. AKS requires a Generation 2 size with nested virtualization, and no Azure
/// API exposes nested-virtualization support (AutomatedLab issue #1679), so the SDK keeps an allowlist. The evidence is thin
/// (docs/domain.md §10.4): each family row says where its facts come from. An unknown size is a warning (SBX3004), not an error.
/// </summary>
internal static partial class VmSizes
{
    private const string SizePages = "learn.microsoft.com/azure/virtual-machines/sizes/";

    // Row sources: the size pages' "Nested Virtualization" row, read from MicrosoftDocs/azure-compute-docs
    // articles/virtual-machines/sizes/... at the commit given per row (research notes of 2026-11).
    private const string CommunityTable = "community table gist stknohg (2022)";

    private static VmSize[] Sizes(string format, params (int VCpus, decimal MemoryGiB)[] sizes) =>
        sizes.Select(s => new VmSize(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, s.VCpus), s.VCpus, s.MemoryGiB)).ToArray();

    private static (int, decimal)[] Ratio(decimal gibPerVCpu, params int[] vcpus) => vcpus.Select(v => (v, v * gibPerVCpu)).ToArray();

    private static readonly VmSizeFamily[] s_families =
    [
        new("Dsv3", @"^Standard_D\d+s_v3$", VmSupport.Supported, VmSupport.Supported,
            SizePages + "general-purpose/dsv3-series (\"Nested Virtualization: Supported\", azure-compute-docs @1827cf35; a previous-generation size)",
            Sizes("Standard_D{0}s_v3", Ratio(4, 2, 4, 8, 16, 32, 48, 64)))
        {
            AksAccepted = VmSupport.Supported,
            AksSource = "AKS docs use-pod-sandboxing.md L75, L112 (Standard_D4s_v3); azurerm acceptance test kubernetes_cluster_node_pool_resource_test.go L3359",
        },
        new("Dsv4", @"^Standard_D\d+s_v4$", VmSupport.Supported, VmSupport.Supported,
            SizePages + "general-purpose/dsv4-series (\"Nested Virtualization: Supported\", azure-compute-docs @05e75b14)",
            Sizes("Standard_D{0}s_v4", Ratio(4, 2, 4, 8, 16, 32, 48, 64))),
        new("Dsv5", @"^Standard_D\d+s_v5$", VmSupport.Supported, VmSupport.Supported,
            SizePages + "general-purpose/dsv5-series (\"Nested Virtualization: Supported\", azure-compute-docs @005f8f6e)",
            Sizes("Standard_D{0}s_v5", Ratio(4, 2, 4, 8, 16, 32, 48, 64, 96)))
        {
            AksAccepted = VmSupport.Supported,
            AksSource = "Kata Containers CI runs AKS Pod Sandboxing on Standard_D2s_v5 and Standard_D4s_v5 (kata-containers tests/gha-run-k8s-common.sh L78, L81, L165 @7c6ba40)",
        },
        new("Ddsv5", @"^Standard_D\d+ds_v5$", VmSupport.Supported, VmSupport.Supported,
            SizePages + "general-purpose/ddsv5-series (\"Nested Virtualization: Supported\", azure-compute-docs @1421aebc)",
            Sizes("Standard_D{0}ds_v5", Ratio(4, 2, 4, 8, 16, 32, 48, 64, 96))),
        new("Dsv6", @"^Standard_D\d+s_v6$", VmSupport.Supported, VmSupport.Supported,
            SizePages + "general-purpose/dsv6-series (Generation 2 only; \"Nested Virtualization: Supported\", azure-compute-docs @05e75b14)",
            Sizes("Standard_D{0}s_v6", Ratio(4, 2, 4, 8, 16, 32, 48, 64, 96, 128, 192))),
        new("Dadsv7", @"^Standard_D\d+ads_v7$", VmSupport.Supported, VmSupport.Supported,
            SizePages + "general-purpose/dadsv7-series (Generation 2 only, NVMe images; \"Nested Virtualization: Supported\", azure-compute-docs @02773904)",
            Sizes("Standard_D{0}ads_v7", Ratio(4, 2, 4, 8, 16, 32, 48, 64, 96, 128, 160)))
        {
            AksAccepted = VmSupport.Supported,
            AksSource = "Azure/AKS CHANGELOG.md L132 @8d1c890, release 2026-06-19: \"You can now create Pod Sandboxing (Kata) node pools on Standard_DadsV7-series VM sizes, which were previously rejected by nested-virtualization validation.\"",
        },
        new("Esv3", @"^Standard_E\d+s_v3$", VmSupport.Supported, VmSupport.Supported,
            SizePages + "memory-optimized/esv3-series (\"Nested virtualization: Supported\"); " + CommunityTable + "; not re-read for this table",
            Sizes("Standard_E{0}s_v3", (2, 16), (4, 32), (8, 64), (16, 128), (20, 160), (32, 256), (48, 384), (64, 432))),
        new("Esv4", @"^Standard_E\d+i?s_v4$", VmSupport.Supported, VmSupport.Supported,
            SizePages + "memory-optimized/esv4-series (\"Nested Virtualization: Supported\", azure-compute-docs @2e4af987)",
            [.. Sizes("Standard_E{0}s_v4", (2, 16), (4, 32), (8, 64), (16, 128), (20, 160), (32, 256), (48, 384), (64, 504)), new("Standard_E80is_v4", 80, 504)]),
        new("Esv5", @"^Standard_E\d+i?s_v5$", VmSupport.Supported, VmSupport.Supported,
            SizePages + "memory-optimized/esv5-series (\"Nested Virtualization: Supported\", azure-compute-docs @0175d5fa)",
            [.. Sizes("Standard_E{0}s_v5", (2, 16), (4, 32), (8, 64), (16, 128), (20, 160), (32, 256), (48, 384), (64, 512), (96, 672)), new("Standard_E104is_v5", 104, 672)]),
        new("Edsv5", @"^Standard_E\d+i?ds_v5$", VmSupport.Supported, VmSupport.Supported,
            SizePages + "memory-optimized/edsv5-series (\"Nested Virtualization: Supported\", azure-compute-docs @1a043fb3)",
            [.. Sizes("Standard_E{0}ds_v5", (2, 16), (4, 32), (8, 64), (16, 128), (20, 160), (32, 256), (48, 384), (64, 512), (96, 672)), new("Standard_E104ids_v5", 104, 672)]),
        new("Dasv4", @"^Standard_D\d+as_v4$", VmSupport.Supported, VmSupport.NotSupported,
            SizePages + "general-purpose/dasv4-series (\"Nested Virtualization: Not Supported\", azure-compute-docs @2072bfd7; corrected in MicrosoftDocs/azure-docs PR #90910)",
            Sizes("Standard_D{0}as_v4", Ratio(4, 2, 4, 8, 16, 32, 48, 64, 96))),
        new("Av2", @"^Standard_A\d+m?_v2$", VmSupport.NotSupported, VmSupport.NotSupported,
            SizePages + "general-purpose/av2-series (Generation 1 only; nested virtualization not supported); " + CommunityTable,
            [new("Standard_A1_v2", 1, 2), new("Standard_A2_v2", 2, 4), new("Standard_A4_v2", 4, 8), new("Standard_A8_v2", 8, 16),
             new("Standard_A2m_v2", 2, 16), new("Standard_A4m_v2", 4, 32), new("Standard_A8m_v2", 8, 64)]),
        new("B-series", @"^Standard_B\d+", VmSupport.Supported, VmSupport.NotSupported,
            SizePages + "general-purpose/bv1-series and bsv2-series (burstable; nested virtualization not supported); " + CommunityTable,
            [new("Standard_B1s", 1, 1), new("Standard_B1ms", 1, 2), new("Standard_B2s", 2, 4), new("Standard_B2ms", 2, 8),
             new("Standard_B4ms", 4, 16), new("Standard_B8ms", 8, 32), new("Standard_B12ms", 12, 48), new("Standard_B16ms", 16, 64),
             new("Standard_B20ms", 20, 80)]),
        new("DC-series", @"^Standard_DC\d+", VmSupport.Supported, VmSupport.NotSupported,
            SizePages + "general-purpose/dcsv2-series and dcasv5-series (confidential computing; nested virtualization not supported; " +
            "AKS use-cvm.md L68–72: confidential VM pools can't use Pod Sandboxing); " + CommunityTable,
            [new("Standard_DC1s_v2", 1, 4), new("Standard_DC2s_v2", 2, 8), new("Standard_DC4s_v2", 4, 16), new("Standard_DC8_v2", 8, 32),
             new("Standard_DC2as_v5", 2, 8), new("Standard_DC4as_v5", 4, 16), new("Standard_DC8as_v5", 8, 32), new("Standard_DC8as_cc_v5", 8, 32)]),
    ];

    [GeneratedRegex(@"^Standard_[A-Z]+\d+[a-z]*p[a-z]*_v\d+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Arm64();

    [GeneratedRegex(@"^Standard_(DC|EC)\d+[ae]d?s(_cc)?_v\d+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConfidentialVm();

    /// <summary>
    /// True for an Arm64 (Ampere) size: a <c>p</c> in the size's feature letters (Dpsv5, Dpdsv5, Dplsv5, Dpsv6, Epsv5, Bpsv2, …).
    /// AKS cannot combine Arm64 with Pod Sandboxing (AKS docs node-images.md L98, L101 @fb060abe6).
    /// </summary>
    public static bool IsArm64(string? vmSize) => vmSize is not null && Arm64().IsMatch(vmSize);

    /// <summary>
    /// True for a confidential VM size (AMD SEV-SNP DCasv5/DCadsv5/ECasv5/ECadsv5 and v6, Intel TDX DCesv5/DCedsv5/ECesv5 …).
    /// AKS: "You can't use FIPS, ARM64, Trusted Launch, or Pod Sandboxing" with them (AKS docs use-cvm.md L68–72 @fb060abe6).
    /// </summary>
    public static bool IsConfidential(string? vmSize) => vmSize is not null && ConfidentialVm().IsMatch(vmSize);

    /// <summary>The size the SDK suggests when another one cannot run Kata: <c>Standard_D4s_v5</c>.</summary>
    public const string Suggested = "Standard_D4s_v5";

    /// <summary>Every family row.</summary>
    internal static IReadOnlyList<VmSizeFamily> Families => s_families;

    /// <summary>The family a size name belongs to (by pattern), or null when the catalog has no such family.</summary>
    internal static VmSizeFamily? FindFamily(string? vmSize)
    {
        if (string.IsNullOrEmpty(vmSize))
        {
            return null;
        }

        foreach (var family in s_families)
        {
            if (family.Matches(vmSize))
            {
                return family;
            }
        }

        return null;
    }

    /// <summary>The catalog row of a size (case-insensitive), or null when the catalog does not list it.</summary>
    public static VmSize? Find(string? vmSize)
    {
        var family = FindFamily(vmSize);
        if (family is null)
        {
            return null;
        }

        foreach (var size in family.Sizes)
        {
            if (string.Equals(size.Name, vmSize, StringComparison.OrdinalIgnoreCase))
            {
                return size;
            }
        }

        return null;
    }
}
