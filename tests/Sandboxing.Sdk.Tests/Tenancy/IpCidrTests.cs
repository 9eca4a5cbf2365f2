using System.Net;

namespace Sandboxing.Sdk.Tests.Tenancy;

// The CIDR arithmetic behind the tenant's except-lists and the SBX4003/SBX4004/SBX4011 checks: a wrong answer here opens or
// hides a range, so each operation is pinned on both families, on the edges of a byte and on IPv4/IPv6 mixing.
public class IpCidrTests
{
    private static IpCidr C(string text) => IpCidr.Parse(text, "cidr");

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.0.0/16", true)]
    [InlineData("10.0.0.0/8", "10.0.0.0/8", true)]          // a block contains itself
    [InlineData("10.1.0.0/16", "10.0.0.0/8", false)]        // never a wider block
    [InlineData("10.0.0.0/8", "11.0.0.0/16", false)]
    [InlineData("0.0.0.0/0", "255.255.255.255/32", true)]
    [InlineData("10.0.0.0/9", "10.128.0.0/9", false)]       // the prefix cuts inside a byte
    [InlineData("10.0.0.0/9", "10.127.0.0/16", true)]
    [InlineData("fc00::/7", "fd12:3456:789a::/64", true)]
    [InlineData("fc00::/7", "fe80::/10", false)]
    [InlineData("::/0", "2001:db8::/32", true)]
    public void Contains_a_block(string outer, string inner, bool expected) => Assert.Equal(expected, C(outer).Contains(C(inner)));

    [Theory]
    // An IPv4-mapped IPv6 block has IPv4 addresses in its low bits: Kubernetes keeps the families apart in ipBlock/except, so
    // neither family contains the other, whatever the addresses say.
    [InlineData("10.0.0.0/8", "::ffff:10.0.0.0/104")]
    [InlineData("0.0.0.0/0", "::/0")]
    [InlineData("::/0", "0.0.0.0/0")]
    [InlineData("::/0", "10.0.0.0/8")]
    [InlineData("::ffff:0.0.0.0/96", "10.0.0.0/8")]
    public void Never_contains_the_other_family(string outer, string inner)
    {
        Assert.False(C(outer).Contains(C(inner)));
        Assert.False(C(outer).Overlaps(C(inner)));
        Assert.False(C(inner).Overlaps(C(outer)));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.244.0.0/16", true)]       // the first contains the second
    [InlineData("10.244.0.0/16", "10.0.0.0/8", true)]       // the second contains the first
    [InlineData("10.244.0.0/16", "10.245.0.0/16", false)]
    [InlineData("192.168.0.0/16", "172.16.0.0/12", false)]
    [InlineData("fd12:3456:789a::/64", "fc00::/7", true)]
    [InlineData("2001:db8::/32", "fc00::/7", false)]
    public void Overlaps_when_either_contains_the_other(string a, string b, bool expected)
    {
        Assert.Equal(expected, C(a).Overlaps(C(b)));
        Assert.Equal(expected, C(b).Overlaps(C(a)));
    }

    [Theory]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]                // host bits are ignored
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("fd12::1/16", "fd12::/16")]
    public void Equal_blocks_have_the_same_network_and_prefix(string a, string b)
    {
        Assert.Equal(C(a), C(b));
        Assert.True(C(a) == C(b));
        Assert.Equal(C(a).GetHashCode(), C(b).GetHashCode());
        Assert.Equal(C(b).ToString(), C(a).ToString());
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/16")]              // same network, other prefix
    [InlineData("10.0.0.0/8", "11.0.0.0/8")]                // same prefix, other network
    [InlineData("0.0.0.0/0", "::/0")]                       // both all-zero, other family
    public void Different_blocks_are_not_equal(string a, string b)
    {
        Assert.NotEqual(C(a), C(b));
        Assert.False(C(a).Equals(C(b)));
        Assert.True(C(a) != C(b));
    }

    [Theory]
    [InlineData("10.1.2.3/8", "10.0.0.0/8", false)]
    [InlineData("10.255.255.255/9", "10.128.0.0/9", false)]
    [InlineData("192.168.1.77/32", "192.168.1.77/32", false)]
    [InlineData("fd12:3456:789a:1::1/64", "fd12:3456:789a:1::/64", true)]
    [InlineData("fe80::ffff/10", "fe80::/10", true)]
    [InlineData("::/0", "::/0", true)]
    public void Parses_to_the_canonical_network(string text, string canonical, bool ipv6)
    {
        var cidr = C(text);
        Assert.Equal(canonical, cidr.ToString());
        Assert.Equal(ipv6, cidr.IsIPv6);
        Assert.Equal(int.Parse(canonical[(canonical.IndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture), cidr.PrefixLength);
        Assert.Equal(IPAddress.Parse(canonical[..canonical.IndexOf('/')]), cidr.Network);
    }

    [Theory]
    [InlineData(null, "is not a CIDR block")]
    [InlineData("", "is not a CIDR block")]
    [InlineData("10.0.0.0", "is not a CIDR block")]
    [InlineData("/8", "is not a CIDR block")]                                  // no address before the slash
    [InlineData("10.0.0/8", "does not start with an IP address")]              // .NET would read 10.0.0 as 10.0.0.0
    [InlineData("10/8", "does not start with an IP address")]
    [InlineData("10.0.0.0.0/8", "does not start with an IP address")]
    [InlineData("fe80::1%eth0/64", "does not start with an IP address")]       // a zone is no part of a block
    [InlineData("nope/8", "does not start with an IP address")]
    [InlineData("10.0.0.0/33", "has no prefix length between 0 and 32")]
    [InlineData("::/129", "has no prefix length between 0 and 128")]
    [InlineData("10.0.0.0/-1", "has no prefix length between 0 and 32")]
    [InlineData("10.0.0.0/+8", "has no prefix length between 0 and 32")]
    [InlineData("10.0.0.0/ 8", "has no prefix length between 0 and 32")]
    [InlineData("10.0.0.0/", "has no prefix length between 0 and 32")]
    [InlineData("10.0.0.0/8/8", "has no prefix length between 0 and 32")]
    public void Rejects_with_the_reason(string? text, string reason)
    {
        Assert.False(IpCidr.TryParse(text, out var cidr, out var error));
        Assert.Contains(reason, error);
        Assert.StartsWith($"'{text}' ", error);
        Assert.Equal(default, cidr);
    }

    [Theory]
    [InlineData("10.0.0.0/32")]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/128")]
    public void Accepts_the_edges_of_the_prefix_range(string text)
    {
        Assert.True(IpCidr.TryParse(text, out _, out var error));
        Assert.Equal("", error);
    }

    [Fact]
    public void Parse_names_the_field_it_refuses()
    {
        var error = Assert.Throws<ArgumentException>(() => IpCidr.Parse("10.0.0/8", "egress.cidrs[0]"));
        Assert.Equal("egress.cidrs[0]", error.ParamName);
        Assert.StartsWith("egress.cidrs[0]: '10.0.0/8' does not start with an IP address", error.Message);
    }

    [Theory]
    [InlineData("10.0.0.0/9", "10.127.255.255", true)]
    [InlineData("10.0.0.0/9", "10.128.0.0", false)]
    [InlineData("192.168.1.0/31", "192.168.1.1", true)]
    [InlineData("192.168.1.0/31", "192.168.1.2", false)]
    [InlineData("0.0.0.0/0", "::ffff:8.8.8.8", true)]       // a mapped address is IPv4
    [InlineData("::ffff:0.0.0.0/96", "::ffff:8.8.8.8", false)] // …so an IPv6 block never holds it
    [InlineData("fe80::/10", "febf::1", true)]
    [InlineData("fe80::/10", "fec0::1", false)]
    public void Contains_an_address_bit_exactly(string cidr, string address, bool expected) =>
        Assert.Equal(expected, C(cidr).Contains(IPAddress.Parse(address)));

    [Fact]
    public void Contains_refuses_a_null_address() => Assert.Throws<ArgumentNullException>(() => C("10.0.0.0/8").Contains((IPAddress)null!));

    [Fact]
    public void The_default_value_is_the_IPv4_block_of_everything()
    {
        IpCidr none = default;
        Assert.False(none.IsIPv6);
        Assert.Equal(IPAddress.Any, none.Network);
        Assert.Equal("0.0.0.0/0", none.ToString());
        Assert.True(none.Contains(IPAddress.Parse("1.2.3.4")));
        Assert.False(none.Contains(IPAddress.IPv6Loopback));
    }

    [Fact]
    public void The_tenant_ranges_are_the_documented_ones()
    {
        Assert.Equal(["10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"], TenantAddressRanges.PrivateIPv4.Select(c => c.ToString()));
        Assert.Equal(["fc00::/7", "fe80::/10"], TenantAddressRanges.PrivateIPv6.Select(c => c.ToString()));
        Assert.Equal("168.63.129.16/32", TenantAddressRanges.AzurePlatformEndpoint.ToString());
        Assert.Equal(IPAddress.Parse("169.254.169.254"), TenantAddressRanges.MetadataEndpoint);
        Assert.Equal(["10.244.0.0/16", "fd12:3456:789a::/64"], TenantAddressRanges.AksDefaultPodCidrs.Select(c => c.ToString()));
    }
}
