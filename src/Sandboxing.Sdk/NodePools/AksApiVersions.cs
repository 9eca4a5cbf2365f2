using System.Globalization;

namespace Sandboxing.Sdk.Aks;

/// <summary>
/// One row of the table of <c>Microsoft.ContainerService/managedClusters/agentPools</c> API versions: a range of stable or preview
/// versions and the <c>workloadRuntime</c> values their swagger enum lists.
/// </summary>
/// <param name="From">The first API version of the range (inclusive, date part).</param>
/// <param name="To">The last API version of the range (inclusive, date part), or null for "and every later one".</param>
/// <param name="Preview">True for <c>-preview</c> versions.</param>
/// <param name="Runtimes">The workloadRuntime values the range accepts.</param>
/// <param name="Source">Where this row comes from.</param>
internal sealed record AksApiVersionRange(string From, string? To, bool Preview, IReadOnlyList<AksWorkloadRuntime> Runtimes, string Source);

/// <summary>
/// The ONE table of agent pool API versions and the workload runtimes they accept (docs/domain.md §2.2, extracted from
/// Azure/bicep-types-az <c>generated/containerservice_*/microsoft.containerservice/&lt;ver&gt;/types.md</c>, snapshot 2026-08-20, and
/// for the stable versions after it from the types bundled with the Bicep compiler the tests run).
/// </summary>
public static class AksApiVersions
{
    private const string BicepTypes = "Azure/bicep-types-az generated/containerservice types.md, snapshot 2026-08-20 (docs/domain.md §2.2)";

    // The bicep-types-az snapshot stops at 2026-05-01 for managedClusters; the compiler bundles newer types. Its workloadRuntime
    // is an open string ('…' | string), so these rows keep the values of the 2025-09-01 row rather than read new ones.
    private const string BicepCompiler =
        "Azure.Bicep.CommandLine 0.49.2: managedClusters and agentPools @2026-06-01, @2026-07-01 and @2026-08-01 compile without " +
        "BCP081 and with property checks (BCP037), checked 2026-12-07 (docs/domain.md §2.2)";

    /// <summary>
    /// The newest stable version the SDK writes: 2026-08-01. Bicep 0.49.2 (the compiler the tests run) has its
    /// <c>managedClusters</c> and <c>agentPools</c> types; it accepts <c>KataVmIsolation</c> like every stable version since 2025-09-01.
    /// </summary>
    public const string Default = "2026-08-01";

    /// <summary>The newest preview version in the table; it accepts both <c>KataVmIsolation</c> and the legacy <c>KataMshvVmIsolation</c>.</summary>
    public const string NewestPreview = "2026-05-02-preview";

    /// <summary>The first stable version that accepts <c>KataVmIsolation</c>.</summary>
    public const string FirstWithKataVmIsolation = "2025-09-01";

    private static readonly AksApiVersionRange[] s_ranges =
    [
        new("2021-08-01", "2025-08-01", Preview: false, [AksWorkloadRuntime.OciContainer, AksWorkloadRuntime.WasmWasi], BicepTypes),
        new("2025-09-01", "2026-05-31", Preview: false,
            [AksWorkloadRuntime.KataVmIsolation, AksWorkloadRuntime.OciContainer, AksWorkloadRuntime.WasmWasi], BicepTypes),
        new("2026-06-01", null, Preview: false,
            [AksWorkloadRuntime.KataVmIsolation, AksWorkloadRuntime.OciContainer, AksWorkloadRuntime.WasmWasi], BicepCompiler),
        new("2021-08-01", "2022-11-01", Preview: true, [AksWorkloadRuntime.OciContainer, AksWorkloadRuntime.WasmWasi], BicepTypes),
        new("2022-11-02", "2025-08-02", Preview: true,
            [AksWorkloadRuntime.KataMshvVmIsolation, AksWorkloadRuntime.OciContainer, AksWorkloadRuntime.WasmWasi], BicepTypes),
        new("2025-09-02", null, Preview: true,
            [AksWorkloadRuntime.KataMshvVmIsolation, AksWorkloadRuntime.KataVmIsolation, AksWorkloadRuntime.OciContainer, AksWorkloadRuntime.WasmWasi], BicepTypes),
    ];

    /// <summary>Every row of the table.</summary>
    internal static IReadOnlyList<AksApiVersionRange> Ranges => s_ranges;

    /// <summary>
    /// The API versions the table's sources publish that accept <c>KataVmIsolation</c> (stable and preview), newest first.
    /// Later versions follow the last row.
    /// </summary>
    public static IReadOnlyList<string> KnownKataVersions { get; } =
    [
        "2026-08-01", "2026-07-01", "2026-06-01", "2026-05-02-preview", "2026-05-01", "2026-04-02-preview", "2026-04-01", "2026-03-02-preview", "2026-03-01",
        "2026-02-02-preview", "2026-02-01", "2026-01-02-preview", "2026-01-01", "2025-10-02-preview", "2025-10-01",
        "2025-09-02-preview", "2025-09-01",
    ];

    /// <summary>Checks the form of an API version (<c>yyyy-MM-dd</c> or <c>yyyy-MM-dd-preview</c>); null when valid.</summary>
    internal static string? CheckFormat(string? apiVersion)
    {
        if (string.IsNullOrEmpty(apiVersion))
        {
            return "the API version is empty";
        }

        string date = apiVersion.EndsWith("-preview", StringComparison.Ordinal) ? apiVersion[..^"-preview".Length] : apiVersion;
        return DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? null
            : $"'{apiVersion}' is not an API version (yyyy-MM-dd or yyyy-MM-dd-preview)";
    }

    /// <summary>The table row an API version falls in, or null (malformed, or older than any agent pool workloadRuntime).</summary>
    internal static AksApiVersionRange? Find(string apiVersion)
    {
        if (CheckFormat(apiVersion) is not null)
        {
            return null;
        }

        bool preview = apiVersion.EndsWith("-preview", StringComparison.Ordinal);
        string date = preview ? apiVersion[..^"-preview".Length] : apiVersion;
        foreach (var range in s_ranges)
        {
            if (range.Preview == preview && string.CompareOrdinal(date, range.From) >= 0
                && (range.To is null || string.CompareOrdinal(date, range.To) <= 0))
            {
                return range;
            }
        }

        return null;
    }

    /// <summary>The workload runtimes an API version accepts; empty when it is malformed or predates <c>workloadRuntime</c>.</summary>
    public static IReadOnlyList<AksWorkloadRuntime> RuntimesOf(string apiVersion) => Find(apiVersion)?.Runtimes ?? [];

    /// <summary>True when <paramref name="apiVersion"/> accepts <paramref name="runtime"/>.</summary>
    public static bool Supports(string apiVersion, AksWorkloadRuntime runtime) => RuntimesOf(apiVersion).Contains(runtime);

    /// <summary>
    /// The version the SDK uses for a runtime when none is chosen: <see cref="Default"/> for <c>KataVmIsolation</c>, the newest
    /// preview for <c>KataMshvVmIsolation</c> (no stable version accepts it), <see cref="Default"/> otherwise.
    /// </summary>
    public static string DefaultFor(AksWorkloadRuntime runtime) =>
        Supports(Default, runtime) || !Supports(NewestPreview, runtime) ? Default : NewestPreview;
}
