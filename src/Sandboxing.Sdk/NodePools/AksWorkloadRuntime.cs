using System.Diagnostics.CodeAnalysis;

namespace Sandboxing.Sdk.Aks;

/// <summary>
/// The <c>workloadRuntime</c> of an AKS agent pool (ARM <c>properties.workloadRuntime</c>, az <c>--workload-runtime</c>). An
/// extensible value like Azure's <c>WorkloadRuntime</c>: the well-known runtimes are static properties, any other string is
/// accepted (<c>new AksWorkloadRuntime("X")</c> or an implicit conversion), and equality ignores case.
/// </summary>
/// <remarks><c>default(AksWorkloadRuntime)</c> is <see cref="KataVmIsolation"/>, the SDK's default.</remarks>
public readonly struct AksWorkloadRuntime : IEquatable<AksWorkloadRuntime>
{
    private readonly string? _value;

    /// <summary>Creates a runtime from its ARM value.</summary>
    /// <exception cref="ArgumentException">The value is null, empty or blank.</exception>
    public AksWorkloadRuntime(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("workloadRuntime: the value is empty; use KataVmIsolation.", nameof(value));
        }

        _value = value;
    }

    /// <summary><c>KataVmIsolation</c>: AKS Pod Sandboxing, generally available since November 2025 (API 2025-09-01 and later). The default.</summary>
    public static AksWorkloadRuntime KataVmIsolation { get; } = new("KataVmIsolation");

    /// <summary><c>KataMshvVmIsolation</c>: the preview runtime (2023–2025), deprecated; only preview API versions accept it.</summary>
    public static AksWorkloadRuntime KataMshvVmIsolation { get; } = new("KataMshvVmIsolation");

    /// <summary><c>KataCcIsolation</c>: Confidential Containers, retired in March 2026.</summary>
    public static AksWorkloadRuntime KataCcIsolation { get; } = new("KataCcIsolation");

    /// <summary><c>OCIContainer</c>: the ordinary runc runtime, no VM isolation (the AKS default).</summary>
    public static AksWorkloadRuntime OciContainer { get; } = new("OCIContainer");

    /// <summary><c>WasmWasi</c>: WebAssembly System Interface runtime, no VM isolation.</summary>
    public static AksWorkloadRuntime WasmWasi { get; } = new("WasmWasi");

    /// <summary>The ARM value.</summary>
    public string Value => _value ?? "KataVmIsolation";

    /// <summary>True for <see cref="KataVmIsolation"/> and the legacy <see cref="KataMshvVmIsolation"/>.</summary>
    public bool IsKataVmIsolation => Equals(KataVmIsolation) || Equals(KataMshvVmIsolation);

    /// <summary>The pod runtime class name this pool serves (<c>kata-vm-isolation</c>, <c>kata-mshv-vm-isolation</c>), or null.</summary>
    public string? RuntimeClassName =>
        Equals(KataVmIsolation) ? KnownRuntimeClasses.KataVmIsolation
        : Equals(KataMshvVmIsolation) ? KnownRuntimeClasses.KataMshvVmIsolation
        : Equals(KataCcIsolation) ? KnownRuntimeClasses.KataCcIsolation
        : null;

    /// <summary>Creates a runtime from its ARM value.</summary>
    public static implicit operator AksWorkloadRuntime(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(AksWorkloadRuntime other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is AksWorkloadRuntime other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <summary>Compares two runtimes, ignoring case.</summary>
    public static bool operator ==(AksWorkloadRuntime left, AksWorkloadRuntime right) => left.Equals(right);

    /// <summary>Compares two runtimes, ignoring case.</summary>
    public static bool operator !=(AksWorkloadRuntime left, AksWorkloadRuntime right) => !left.Equals(right);

    /// <summary>The ARM value.</summary>
    public override string ToString() => Value;
}

/// <summary>
/// The OS SKU of an AKS agent pool (ARM <c>properties.osSKU</c>, az <c>--os-sku</c>). Extensible, case-insensitive, from any string.
/// Only <see cref="AzureLinux"/> and <see cref="AzureLinux3"/> run Pod Sandboxing.
/// </summary>
/// <remarks><c>default(AksOsSku)</c> is <see cref="AzureLinux"/>, the SDK's default.</remarks>
public readonly struct AksOsSku : IEquatable<AksOsSku>
{
    private readonly string? _value;

    /// <summary>Creates an OS SKU from its ARM value.</summary>
    /// <exception cref="ArgumentException">The value is null, empty or blank.</exception>
    public AksOsSku(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("osSKU: the value is empty; use AzureLinux.", nameof(value));
        }

        _value = value;
    }

    /// <summary><c>AzureLinux</c>: Azure Linux, the version AKS chooses for the Kubernetes version (the default).</summary>
    public static AksOsSku AzureLinux { get; } = new("AzureLinux");

    /// <summary><c>AzureLinux3</c>: Azure Linux 3.0 explicitly (Azure Linux 2.0 images are removed on 31 March 2026).</summary>
    public static AksOsSku AzureLinux3 { get; } = new("AzureLinux3");

    /// <summary><c>Ubuntu</c>: cannot run Pod Sandboxing.</summary>
    public static AksOsSku Ubuntu { get; } = new("Ubuntu");

    /// <summary><c>Ubuntu2204</c>: cannot run Pod Sandboxing.</summary>
    public static AksOsSku Ubuntu2204 { get; } = new("Ubuntu2204");

    /// <summary><c>Ubuntu2404</c>: cannot run Pod Sandboxing.</summary>
    public static AksOsSku Ubuntu2404 { get; } = new("Ubuntu2404");

    /// <summary><c>CBLMariner</c>: a deprecated name of Azure Linux ("Deprecated OSSKU" in the ARM API); use <see cref="AzureLinux"/>.</summary>
    public static AksOsSku CblMariner { get; } = new("CBLMariner");

    /// <summary><c>Mariner</c>: the 2022–2023 preview name seen in old Pod Sandboxing docs; use <see cref="AzureLinux"/>.</summary>
    public static AksOsSku Mariner { get; } = new("Mariner");

    /// <summary><c>AzureContainerLinux</c> (API 2026-05-01): not Azure Linux, cannot run Pod Sandboxing.</summary>
    public static AksOsSku AzureContainerLinux { get; } = new("AzureContainerLinux");

    /// <summary><c>Windows2019</c>.</summary>
    public static AksOsSku Windows2019 { get; } = new("Windows2019");

    /// <summary><c>Windows2022</c>.</summary>
    public static AksOsSku Windows2022 { get; } = new("Windows2022");

    /// <summary><c>Windows2025</c> (API 2026-05-01).</summary>
    public static AksOsSku Windows2025 { get; } = new("Windows2025");

    /// <summary>The ARM value.</summary>
    public string Value => _value ?? "AzureLinux";

    /// <summary>
    /// True for the OS SKUs that run Pod Sandboxing: <see cref="AzureLinux"/>, <see cref="AzureLinux3"/> (not documented for it,
    /// SBX3016) and the deprecated names <see cref="Mariner"/>/<see cref="CblMariner"/>, which AKS maps to Azure Linux (SBX3017).
    /// </summary>
    public bool SupportsPodSandboxing => Equals(AzureLinux) || Equals(AzureLinux3) || IsOldAzureLinuxName;

    /// <summary>True for the Windows SKUs (their value starts with <c>Windows</c>).</summary>
    public bool IsWindows => Value.StartsWith("Windows", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the old names of Azure Linux (<c>CBLMariner</c>, <c>Mariner</c>).</summary>
    public bool IsOldAzureLinuxName => Equals(CblMariner) || Equals(Mariner);

    /// <summary>Creates an OS SKU from its ARM value.</summary>
    public static implicit operator AksOsSku(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(AksOsSku other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is AksOsSku other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <summary>Compares two OS SKUs, ignoring case.</summary>
    public static bool operator ==(AksOsSku left, AksOsSku right) => left.Equals(right);

    /// <summary>Compares two OS SKUs, ignoring case.</summary>
    public static bool operator !=(AksOsSku left, AksOsSku right) => !left.Equals(right);

    /// <summary>The ARM value.</summary>
    public override string ToString() => Value;
}

/// <summary>The mode of an agent pool (ARM <c>properties.mode</c>).</summary>
public enum AksNodePoolMode
{
    /// <summary><c>User</c>: application pods only (the default for a sandboxing pool). Count 0–1000.</summary>
    User = 0,

    /// <summary><c>System</c>: also hosts critical system pods. Count 1–1000.</summary>
    System,
}

/// <summary>The OS disk type of an agent pool (ARM <c>properties.osDiskType</c>).</summary>
public enum AksOsDiskType
{
    /// <summary><c>Managed</c>: an Azure managed disk.</summary>
    Managed = 0,

    /// <summary><c>Ephemeral</c>: on the VM's cache or temp disk; faster, lost on reimage.</summary>
    Ephemeral,
}
