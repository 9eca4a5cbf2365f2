using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sandboxing.Sdk;

/// <summary>
/// An IPv4 or IPv6 CIDR block as a NetworkPolicy <c>ipBlock</c> writes it (<c>10.0.0.0/8</c>, <c>fc00::/7</c>). Host bits below
/// the prefix are ignored, as Kubernetes does when it matches; <see cref="ToString"/> writes the canonical network address.
/// </summary>
internal readonly record struct IpCidr
{
    private readonly byte[] _network;

    private IpCidr(byte[] network, int prefixLength)
    {
        _network = network;
        PrefixLength = prefixLength;
    }

    /// <summary>The prefix length (0–32 for IPv4, 0–128 for IPv6).</summary>
    public int PrefixLength { get; }

    /// <summary>True for an IPv6 block.</summary>
    public bool IsIPv6 => _network is { Length: 16 };

    /// <summary>The network address (host bits cleared).</summary>
    public IPAddress Network => new(_network ?? new byte[4]);

    /// <summary>Parses <c>address/prefix</c>; the error names <paramref name="field"/>.</summary>
    /// <exception cref="ArgumentException">The text is not a CIDR block.</exception>
    public static IpCidr Parse(string text, string field) =>
        TryParse(text, out var cidr, out var error) ? cidr : throw new ArgumentException($"{field}: {error}", field);

    /// <summary>Parses <c>address/prefix</c>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out IpCidr cidr, out string error)
    {
        cidr = default;
        int slash = text?.IndexOf('/', StringComparison.Ordinal) ?? 0; // no text, no slash (-1) or nothing before it (0): not a block
        if (text is null || slash <= 0)
        {
            error = $"'{text}' is not a CIDR block (address/prefix, for example 10.0.0.0/8 or fc00::/7)";
            return false;
        }

        if (!IPAddress.TryParse(text[..slash], out var address) || text[..slash].Contains('%', StringComparison.Ordinal)
            || (address.AddressFamily == AddressFamily.InterNetwork && text[..slash].Count(c => c == '.') != 3))
        {
            error = $"'{text}' does not start with an IP address";
            return false;
        }

        int max = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) || prefix > max)
        {
            error = $"'{text}' has no prefix length between 0 and {max}";
            return false;
        }

        cidr = new IpCidr(Mask(address.GetAddressBytes(), prefix), prefix);
        error = "";
        return true;
    }

    /// <summary>True when <paramref name="address"/> lies in the block (an IPv4-mapped IPv6 address counts as IPv4).</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        return bytes.Length == (_network?.Length ?? 4) && Mask(bytes, PrefixLength).AsSpan().SequenceEqual(_network ?? new byte[4]);
    }

    /// <summary>True when every address of <paramref name="other"/> lies in this block.</summary>
    public bool Contains(IpCidr other) =>
        other.IsIPv6 == IsIPv6 && other.PrefixLength >= PrefixLength && Contains(other.Network);

    /// <summary>True when the blocks share an address (for CIDR blocks: one contains the other).</summary>
    public bool Overlaps(IpCidr other) => Contains(other) || other.Contains(this);

    /// <summary>The canonical form, <c>network/prefix</c>.</summary>
    public override string ToString() => Network + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public bool Equals(IpCidr other) => PrefixLength == other.PrefixLength && Network.Equals(other.Network);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Network, PrefixLength);

    private static byte[] Mask(byte[] bytes, int prefix)
    {
        var result = (byte[])bytes.Clone();
        for (int i = 0; i < result.Length; i++)
        {
            int bits = Math.Clamp(prefix - (i * 8), 0, 8);
            result[i] &= (byte)(0xFF << (8 - bits));
        }

        return result;
    }
}

/// <summary>
/// Address ranges a tenant must not reach by default, with their sources. The IPv4 and IPv6 lists are what the
/// <c>Internet</c> egress mode excepts from <c>0.0.0.0/0</c> and <c>::/0</c>.
/// </summary>
internal static class TenantAddressRanges
{
    /// <summary>The cloud instance metadata endpoint (Azure IMDS, also AWS and GCP): learn.microsoft.com/azure/virtual-machines/instance-metadata-service.</summary>
    public static IPAddress MetadataEndpoint { get; } = IPAddress.Parse("169.254.169.254");

    /// <summary>
    /// IPv4 ranges never reached through the internet: RFC 1918 private networks (10/8, 172.16/12, 192.168/16), RFC 6598 shared
    /// address space 100.64/10 (carrier-grade NAT),
    /// and RFC 3927 link-local 169.254/16 (holds the metadata endpoint 169.254.169.254). Loopback never leaves the pod.
    /// </summary>
    public static IReadOnlyList<IpCidr> PrivateIPv4 { get; } =
        new[] { "10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16" }
            .Select(c => IpCidr.Parse(c, nameof(PrivateIPv4))).ToArray();

    /// <summary>
    /// Azure's platform address 168.63.129.16 (DNS, health probes and the WireServer; learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16).
    /// A public address, so <c>0.0.0.0/0</c> covers it; the <c>Internet</c> mode excepts it: pods have no business with the host's
    /// WireServer (Mandiant's 2024 "WireServing Up Kubernetes" read node bootstrap secrets through it from a pod).
    /// </summary>
    public static IpCidr AzurePlatformEndpoint { get; } = IpCidr.Parse("168.63.129.16/32", nameof(AzurePlatformEndpoint));

    /// <summary>RFC 3927 IPv4 link-local, which holds the metadata endpoint and node-local services.</summary>
    public static IpCidr LinkLocalIPv4 { get; } = IpCidr.Parse("169.254.0.0/16", nameof(LinkLocalIPv4));

    /// <summary>RFC 4291 IPv6 link-local.</summary>
    public static IpCidr LinkLocalIPv6 { get; } = IpCidr.Parse("fe80::/10", nameof(LinkLocalIPv6));

    /// <summary>IPv6 ranges never reached through the internet: RFC 4193 unique local fc00::/7, RFC 4291 link-local fe80::/10.</summary>
    public static IReadOnlyList<IpCidr> PrivateIPv6 { get; } =
        new[] { "fc00::/7", "fe80::/10" }.Select(c => IpCidr.Parse(c, nameof(PrivateIPv6))).ToArray();

    /// <summary>
    /// AKS's default pod CIDRs for Azure CNI Overlay, IPv4 and (dual-stack) IPv6: MicrosoftDocs/azure-aks-docs @fb060abe6
    /// <c>articles/aks/azure-cni-overlay.md</c> L45 and L110. Used as the cluster's networks when a Cilium tenant names none.
    /// </summary>
    public static IReadOnlyList<IpCidr> AksDefaultPodCidrs { get; } =
        new[] { "10.244.0.0/16", "fd12:3456:789a::/64" }.Select(c => IpCidr.Parse(c, nameof(AksDefaultPodCidrs))).ToArray();
}
