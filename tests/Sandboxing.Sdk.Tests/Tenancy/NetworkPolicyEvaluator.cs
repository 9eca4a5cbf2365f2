using System.Net;
using k8s.Models;

namespace Sandboxing.Sdk.Tests.Tenancy;

/// <summary>An endpoint of a connection: a pod (namespace, labels, IP) or an address outside the cluster.</summary>
public sealed record Endpoint(string Description, IPAddress Ip, string? Namespace = null, IReadOnlyDictionary<string, string>? Labels = null)
{
    public bool IsPod => Namespace is not null;

    public static Endpoint Pod(string ns, string ip, params (string Key, string Value)[] labels) =>
        new($"pod {ns}/{string.Join(",", labels.Select(l => l.Key + "=" + l.Value))}", IPAddress.Parse(ip), ns, labels.ToDictionary(l => l.Key, l => l.Value));

    public static Endpoint External(string ip, string description) => new(description, IPAddress.Parse(ip));

    public override string ToString() => $"{Description} ({Ip})";
}

/// <summary>
/// Decides whether a connection is allowed, from the Kubernetes NetworkPolicy semantics alone
/// (kubernetes.io/docs/concepts/services-networking/network-policies, the networking.k8s.io/v1 API reference):
/// <list type="bullet">
/// <item>A pod is isolated for egress (ingress) when some policy in its namespace selects it and has that policy type; a pod
/// no policy isolates allows everything in that direction.</item>
/// <item>policyTypes defaults to Ingress, plus Egress when the policy has egress rules.</item>
/// <item>An isolated pod allows a connection when ANY selecting policy of that type has a rule that matches (the union); rules
/// only add.</item>
/// <item>A rule matches when one of its peers matches (no peers: every peer) and one of its ports matches (no ports: every port).</item>
/// <item>A peer is an ipBlock (cidr minus except), or a namespaceSelector and/or podSelector: podSelector alone means pods of the
/// policy's namespace; namespaceSelector alone all pods of the selected namespaces; both, the selected pods of the selected
/// namespaces. Selectors never match addresses outside the cluster.</item>
/// <item>A port matches by protocol (default TCP) and number (no number: all ports; endPort: a range).</item>
/// <item>A connection needs the source's egress and the destination's ingress to allow it.</item>
/// </list>
/// Namespaces carry the <c>kubernetes.io/metadata.name</c> label as the API server sets it. ipBlock is applied to pod IPs too, the
/// more permissive reading (the docs leave it to the implementation), so a "denied" here is denied under every reading.
/// </summary>
public sealed class NetworkPolicyEvaluator(IReadOnlyList<V1NetworkPolicy> policies, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> namespaceLabels)
{
    public bool Allows(Endpoint source, Endpoint destination, int port, string protocol = "TCP") =>
        (!source.IsPod || Allowed(source, destination, port, protocol, egress: true))
        && (!destination.IsPod || Allowed(destination, source, port, protocol, egress: false));

    private bool Allowed(Endpoint pod, Endpoint peer, int port, string protocol, bool egress)
    {
        string type = egress ? "Egress" : "Ingress";
        var selecting = policies.Where(p => p.Metadata.NamespaceProperty == pod.Namespace && Matches(p.Spec.PodSelector, pod.Labels!)
            && Types(p.Spec).Contains(type)).ToList();
        if (selecting.Count == 0)
        {
            return true;
        }

        return selecting.Any(p => egress
            ? (p.Spec.Egress ?? []).Any(r => PeersMatch(r.To, p, peer) && PortsMatch(r.Ports, port, protocol))
            : (p.Spec.Ingress ?? []).Any(r => PeersMatch(r.FromProperty, p, peer) && PortsMatch(r.Ports, port, protocol)));
    }

    private static IList<string> Types(V1NetworkPolicySpec spec) =>
        spec.PolicyTypes is { Count: > 0 } t ? t : spec.Egress is { Count: > 0 } ? ["Ingress", "Egress"] : ["Ingress"];

    private bool PeersMatch(IList<V1NetworkPolicyPeer>? peers, V1NetworkPolicy policy, Endpoint peer) =>
        peers is null || peers.Count == 0 || peers.Any(p => PeerMatches(p, policy, peer));

    private bool PeerMatches(V1NetworkPolicyPeer p, V1NetworkPolicy policy, Endpoint peer)
    {
        if (p.IpBlock is { } block)
        {
            return InCidr(peer.Ip, block.Cidr) && !(block.Except ?? []).Any(e => InCidr(peer.Ip, e));
        }

        if (!peer.IsPod)
        {
            return false;
        }

        bool namespaceOk = p.NamespaceSelector is null
            ? peer.Namespace == policy.Metadata.NamespaceProperty
            : Matches(p.NamespaceSelector, namespaceLabels.TryGetValue(peer.Namespace!, out var l) ? l : new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = peer.Namespace! });
        bool podOk = p.PodSelector is null || Matches(p.PodSelector, peer.Labels!);
        return namespaceOk && podOk;
    }

    private static bool InCidr(IPAddress ip, string cidr)
    {
        var network = IPNetwork.Parse(cidr);
        return network.BaseAddress.AddressFamily == ip.AddressFamily && network.Contains(ip);
    }

    private static bool PortsMatch(IList<V1NetworkPolicyPort>? ports, int port, string protocol) =>
        ports is null || ports.Count == 0 || ports.Any(p => (p.Protocol ?? "TCP") == protocol
            && (p.Port is null || (int.TryParse(p.Port.Value, out int n) && (p.EndPort is { } end ? port >= n && port <= end : port == n))));

    private static bool Matches(V1LabelSelector? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return true;
        }

        return (selector.MatchLabels ?? new Dictionary<string, string>()).All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value)
            && (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
            {
                "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
                "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
                "Exists" => labels.ContainsKey(e.Key),
                "DoesNotExist" => !labels.ContainsKey(e.Key),
                _ => throw new NotSupportedException(e.OperatorProperty),
            });
    }
}
