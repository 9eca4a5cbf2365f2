using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// The tenant's NetworkPolicies (networking.k8s.io/v1). Kubernetes allows a connection when any policy that selects the pod
/// allows it (the union), and denies everything else for the policy types a selecting policy names; so a default deny of both
/// types plus narrow allow policies means "only this" (kubernetes.io/docs/concepts/services-networking/network-policies).
/// </summary>
internal static class TenantNetwork
{
    public static IReadOnlyList<V1NetworkPolicy> Policies(TenantSpec spec, Func<Dictionary<string, string>> labels)
    {
        V1NetworkPolicy Policy(string name, string[] types, List<V1NetworkPolicyIngressRule>? ingress = null, List<V1NetworkPolicyEgressRule>? egress = null) =>
            new V1NetworkPolicy
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = spec.Name, Labels = labels() },
                Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector() /* {}: every pod of the namespace */, PolicyTypes = types, Ingress = ingress, Egress = egress },
            }.Initialize();

        var policies = new List<V1NetworkPolicy>
        {
            // No rules: every pod of the namespace is isolated for ingress and egress.
            Policy("default-deny", ["Ingress", "Egress"]),

            // DNS to the cluster DNS pods only.
            Policy("allow-cluster-dns", ["Egress"], egress: DnsEgress(spec)),
        };

        if (spec.Internet)
        {
            policies.Add(Policy("allow-internet-egress", ["Egress"], egress: [InternetEgress(spec)]));
        }

        var allowed = new List<V1NetworkPolicyEgressRule>();
        foreach (var rule in spec.EgressCidrs)
        {
            var block = IpCidr.Parse(rule.Cidr, "egress.cidrs");
            allowed.Add(new V1NetworkPolicyEgressRule
            {
                To =
                [
                    new V1NetworkPolicyPeer
                    {
                        IpBlock = new V1IPBlock
                        {
                            Cidr = block.ToString(),
                            Except = rule.Except.Length == 0 ? null : rule.Except.Select(e => IpCidr.Parse(e, "except").ToString()).ToList(),
                        },
                    },
                ],
                Ports = Ports(rule.Ports),
            });
        }

        foreach (var rule in spec.EgressPeers)
        {
            allowed.Add(new V1NetworkPolicyEgressRule { To = [Peer(rule)], Ports = Ports(rule.Ports) });
        }

        if (allowed.Count > 0)
        {
            policies.Add(Policy("allow-egress", ["Egress"], egress: allowed));
        }

        if (spec.AllowApiServer && spec.ApiServerCidr is { } apiServer)
        {
            policies.Add(Policy("allow-api-server", ["Egress"], egress:
            [
                new V1NetworkPolicyEgressRule
                {
                    To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = IpCidr.Parse(apiServer, "apiServer.cidr").ToString() } }],
                    Ports = [Port(new TenantPort(spec.ApiServerPort))],
                },
            ]));
        }

        if (spec.IngressPeers.Count > 0)
        {
            policies.Add(Policy("allow-ingress", ["Ingress"], ingress:
                spec.IngressPeers.Select(r => new V1NetworkPolicyIngressRule { FromProperty = [Peer(r)], Ports = Ports(r.Ports) }).ToList()));
        }

        if (spec.WithinTenant)
        {
            // A peer with only a podSelector means pods of the policy's own namespace.
            policies.Add(Policy("allow-within-tenant", ["Ingress", "Egress"],
                ingress: [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector() }] }],
                egress: [new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector() }] }]));
        }

        return policies;
    }

    /// <summary>
    /// DNS to the cluster DNS pods (both selectors in ONE peer means "these pods in that namespace") and, with AKS LocalDNS, to
    /// the node-local proxy's link-local addresses no other rule allows. Also the DNS rules of an agent SandboxTemplate.
    /// </summary>
    public static List<V1NetworkPolicyEgressRule> DnsEgress(TenantSpec spec)
    {
        var rules = new List<V1NetworkPolicyEgressRule>
        {
            new()
            {
                To =
                [
                    new V1NetworkPolicyPeer
                    {
                        NamespaceSelector = Match(TenantLabels.NamespaceName, spec.DnsNamespace),
                        PodSelector = Match(spec.DnsPodLabel.Key, spec.DnsPodLabel.Value),
                    },
                ],
                Ports = [Port(new TenantPort(53, "UDP")), Port(new TenantPort(53, "TCP"))],
            },
        };

        if (spec.LocalDns)
        {
            rules.Add(new V1NetworkPolicyEgressRule
            {
                To = [.. TenantIsolation.LocalDnsAddresses.Select(a => new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = a } })],
                Ports = [Port(new TenantPort(53, "UDP")), Port(new TenantPort(53, "TCP"))],
            });
        }

        return rules;
    }

    /// <summary>
    /// The internet: 0.0.0.0/0 and ::/0 except the private, link-local and Azure platform ranges, the cluster's own networks and
    /// (unless allowed) the API server. Also the internet rule of an agent SandboxTemplate.
    /// </summary>
    public static V1NetworkPolicyEgressRule InternetEgress(TenantSpec spec)
    {
        var excludedV4 = new List<IpCidr>(TenantAddressRanges.PrivateIPv4) { TenantAddressRanges.AzurePlatformEndpoint };
        var excludedV6 = new List<IpCidr>(TenantAddressRanges.PrivateIPv6);
        var extra = spec.ClusterCidrs.Select(c => IpCidr.Parse(c, "clusterNetworks")).ToList();
        if (spec.ApiServerCidr is { } api && !spec.AllowApiServer)
        {
            extra.Add(IpCidr.Parse(api, "apiServer.cidr"));
        }

        foreach (var cidr in extra)
        {
            var list = cidr.IsIPv6 ? excludedV6 : excludedV4;
            // An except range must lie inside its block and be distinct; one already covered adds nothing.
            if (cidr.PrefixLength > 0 && !list.Any(e => e.Contains(cidr)))
            {
                list.RemoveAll(cidr.Contains);
                list.Add(cidr);
            }
        }

        return new V1NetworkPolicyEgressRule
        {
            To =
            [
                new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0", Except = Sorted(excludedV4) } },
                new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "::/0", Except = Sorted(excludedV6) } },
            ],
        };
    }

    private static List<string> Sorted(List<IpCidr> cidrs) =>
        cidrs.OrderBy(c => c.Network.GetAddressBytes(), ByteOrder.Instance).ThenBy(c => c.PrefixLength).Select(c => c.ToString()).ToList();

    private static V1NetworkPolicyPeer Peer(PeerRule rule) => new()
    {
        NamespaceSelector = Match(TenantLabels.NamespaceName, rule.Namespace),
        PodSelector = rule.PodLabels.Count == 0 ? null : new V1LabelSelector { MatchLabels = new Dictionary<string, string>(rule.PodLabels) },
    };

    private static V1LabelSelector Match(string key, string value) => new() { MatchLabels = new Dictionary<string, string> { [key] = value } };

    private static List<V1NetworkPolicyPort>? Ports(TenantPort[] ports) => ports.Length == 0 ? null : ports.Select(Port).ToList();

    private static V1NetworkPolicyPort Port(TenantPort port) => new() { Port = (IntOrString)port.Port, Protocol = port.Protocol };

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => ((ReadOnlySpan<byte>)x).SequenceCompareTo(y);
    }
}
