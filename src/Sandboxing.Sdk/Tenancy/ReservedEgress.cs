namespace Sandboxing.Sdk;

/// <summary>
/// The destinations an allow-listed egress block must not reach unless forced: the node's platform endpoints (the metadata
/// endpoint's node identity, the WireServer's bootstrap secrets, link-local services) and the cluster's own networks (other
/// tenants' pods, cluster services). The same ranges <see cref="TenantEgressMode.Internet"/> excepts from <c>0.0.0.0/0</c>.
/// </summary>
internal static class ReservedEgress
{
    /// <summary>
    /// What <paramref name="block"/> (minus <paramref name="excepts"/>) reaches of the reserved destinations, with the rule that
    /// reports it on a NetworkPolicy, or null when it reaches none.
    /// </summary>
    public static string? Problem(IpCidr block, IReadOnlyCollection<IpCidr> excepts, IEnumerable<IpCidr> clusterNetworks)
    {
        var platform = new (IpCidr Range, string What)[]
        {
            (IpCidr.Parse("169.254.169.254/32", "metadata"), "the cloud metadata endpoint 169.254.169.254"),
            (TenantAddressRanges.AzurePlatformEndpoint, "Azure's WireServer 168.63.129.16"),
            (TenantAddressRanges.LinkLocalIPv4, "IPv4 link-local 169.254.0.0/16"),
            (TenantAddressRanges.LinkLocalIPv6, "IPv6 link-local fe80::/10"),
        };
        var cluster = clusterNetworks.Select(c => (Range: c, What: $"the cluster network {c}"));
        bool Reaches(IpCidr range) => block.Overlaps(range) && !excepts.Any(e => e.Contains(block.Contains(range) ? range : block));

        var reached = new List<string>();
        var platformHits = platform.Where(p => Reaches(p.Range)).Select(p => p.What).ToList();
        if (platformHits.Count > 0)
        {
            reached.Add($"{string.Join(", ", platformHits)} ({SandboxRules.TenantEgressToMetadata.Id})");
        }

        var clusterHits = cluster.Where(c => Reaches(c.Range)).Select(c => c.What).ToList();
        if (clusterHits.Count > 0)
        {
            reached.Add($"{string.Join(", ", clusterHits)} ({SandboxRules.TenantEgressToPrivateRanges.Id})");
        }

        return reached.Count == 0 ? null : $"{block} reaches {string.Join(" and ", reached)}";
    }
}
