using k8s.Models;

namespace Sandboxing.Sdk.Tests.Tenancy;

/// <summary>The generated NetworkPolicies mean what the docs say: every mode against every kind of destination.</summary>
public class NetworkMatrixTests
{
    private const string Tenant = "tenant-a";

    private static readonly Endpoint TenantPod = Endpoint.Pod(Tenant, "10.244.1.10", ("sandboxing.sdk/tenant", Tenant), ("app.kubernetes.io/name", "runner"));
    private static readonly Endpoint SecondTenantPod = Endpoint.Pod(Tenant, "10.244.1.11", ("sandboxing.sdk/tenant", Tenant), ("app.kubernetes.io/name", "other"));
    private static readonly Endpoint ClusterDns = Endpoint.Pod("kube-system", "10.244.0.5", ("k8s-app", "kube-dns"));
    private static readonly Endpoint OtherKubeSystemPod = Endpoint.Pod("kube-system", "10.244.0.6", ("k8s-app", "metrics-server"));
    private static readonly Endpoint OtherTenantPod = Endpoint.Pod("tenant-b", "10.244.2.7", ("sandboxing.sdk/tenant", "tenant-b"));
    private static readonly Endpoint IngressController = Endpoint.Pod("ingress-nginx", "10.244.3.3", ("app.kubernetes.io/name", "ingress-nginx"));
    private static readonly Endpoint OtherIngressNsPod = Endpoint.Pod("ingress-nginx", "10.244.3.4", ("app.kubernetes.io/name", "admission"));
    private static readonly Endpoint SharedDb = Endpoint.Pod("shared-db", "10.244.4.4", ("app", "postgres"));
    private static readonly Endpoint Metadata = Endpoint.External("169.254.169.254", "metadata endpoint");
    private static readonly Endpoint WireServer = Endpoint.External("168.63.129.16", "Azure platform endpoint");
    private static readonly Endpoint PublicDns = Endpoint.External("8.8.8.8", "public resolver");
    private static readonly Endpoint PrivateResolver = Endpoint.External("10.1.0.4", "private resolver");
    private static readonly Endpoint Internet = Endpoint.External("93.184.215.14", "internet host");
    private static readonly Endpoint InternetV6 = Endpoint.External("2606:2800:21f:cb07::1", "internet host (IPv6)");
    private static readonly Endpoint UniqueLocalV6 = Endpoint.External("fd00::10", "unique-local IPv6");
    private static readonly Endpoint Private10 = Endpoint.External("10.20.30.40", "RFC 1918 10/8");
    private static readonly Endpoint Private172 = Endpoint.External("172.16.5.5", "RFC 1918 172.16/12");
    private static readonly Endpoint Private192 = Endpoint.External("192.168.1.1", "RFC 1918 192.168/16");
    private static readonly Endpoint SharedSpace = Endpoint.External("100.64.1.1", "RFC 6598 100.64/10");
    private static readonly Endpoint ServiceIp = Endpoint.External("10.0.0.1", "service CIDR");
    private static readonly Endpoint ApiServer = Endpoint.External("20.50.60.70", "API server public IP");
    private static readonly Endpoint AllowedPartner = Endpoint.External("52.1.2.3", "allow-listed partner");

    private static TenantIsolation Build(string mode) => mode switch
    {
        "None" => TenantIsolation.For(Tenant).WithIngressFromNamespace("ingress-nginx", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "ingress-nginx" }, 8080).Build(),
        "Internet" => TenantIsolation.For(Tenant).WithInternetEgress().WithClusterNetworks("10.244.0.0/16", "10.0.0.0/16")
            .WithApiServerAddress("20.50.60.70/32")
            .WithIngressFromNamespace("ingress-nginx", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "ingress-nginx" }, 8080).Build(),
        "AllowList" => TenantIsolation.For(Tenant).WithEgressToCidr("52.1.2.3/32", [443])
            .WithEgressToNamespace("shared-db", new Dictionary<string, string> { ["app"] = "postgres" }, 5432)
            .WithIngressFromNamespace("ingress-nginx", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "ingress-nginx" }, 8080).Build(),
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    private static NetworkPolicyEvaluator Evaluator(TenantIsolation tenant) =>
        new(tenant.NetworkPolicies, new Dictionary<string, IReadOnlyDictionary<string, string>>());

    /// <summary>mode, source, destination, port, protocol, allowed.</summary>
    public static TheoryData<string, string, string, int, string, bool> Matrix()
    {
        var data = new TheoryData<string, string, string, int, string, bool>();
        foreach (var mode in new[] { "None", "Internet", "AllowList" })
        {
            bool internet = mode == "Internet";
            bool allowList = mode == "AllowList";
            void Out(Endpoint to, int port, string protocol, bool allowed) => data.Add(mode, nameof(TenantPod), Name(to), port, protocol, allowed);

            Out(ClusterDns, 53, "UDP", true);
            Out(ClusterDns, 53, "TCP", true);
            Out(ClusterDns, 8080, "TCP", false);           // the DNS pod, but not DNS
            Out(OtherKubeSystemPod, 53, "UDP", false);     // DNS port, but not the DNS pods
            Out(PrivateResolver, 53, "UDP", false);        // DNS elsewhere (private)
            Out(WireServer, 53, "UDP", false);             // Azure's resolver address is not the cluster DNS
            Out(PublicDns, 53, "UDP", internet);           // a public resolver is part of the internet
            Out(Metadata, 80, "TCP", false);
            Out(WireServer, 80, "TCP", false);
            Out(WireServer, 32526, "TCP", false);
            Out(Private10, 443, "TCP", false);
            Out(Private172, 443, "TCP", false);
            Out(Private192, 443, "TCP", false);
            Out(SharedSpace, 443, "TCP", false);
            Out(UniqueLocalV6, 443, "TCP", false);
            Out(ServiceIp, 443, "TCP", false);
            Out(OtherTenantPod, 8080, "TCP", false);
            Out(SecondTenantPod, 8080, "TCP", false);      // not even its own tenant's pods, unless asked
            Out(ApiServer, 443, "TCP", false);             // excepted in Internet mode because its address was given
            Out(Internet, 443, "TCP", internet);
            Out(Internet, 80, "TCP", internet);
            Out(InternetV6, 443, "TCP", internet);
            Out(AllowedPartner, 443, "TCP", internet || allowList);
            Out(AllowedPartner, 22, "TCP", internet);      // the allow-list names a port
            Out(SharedDb, 5432, "TCP", allowList);
            Out(SharedDb, 22, "TCP", false);

            void In(Endpoint from, int port, bool allowed) => data.Add(mode, Name(from), nameof(TenantPod), port, "TCP", allowed);
            In(IngressController, 8080, true);
            In(IngressController, 9090, false);            // only the named port
            In(OtherIngressNsPod, 8080, false);            // only the named pods
            In(OtherTenantPod, 8080, false);
            In(SecondTenantPod, 8080, false);
            In(ClusterDns, 8080, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Generated_policies_allow_exactly_what_the_mode_says(string mode, string from, string to, int port, string protocol, bool allowed)
    {
        var evaluator = Evaluator(Build(mode));
        Assert.Equal(allowed, evaluator.Allows(Find(from), Find(to), port, protocol));
    }

    [Fact]
    public void Traffic_within_the_tenant_only_when_asked()
    {
        var open = Evaluator(TenantIsolation.For(Tenant).WithTrafficWithinTenant().Build());
        Assert.True(open.Allows(TenantPod, SecondTenantPod, 8080));
        Assert.False(open.Allows(TenantPod, OtherTenantPod, 8080));
        Assert.False(open.Allows(OtherTenantPod, TenantPod, 8080));
    }

    [Fact]
    public void Api_server_only_when_allowed_and_only_on_its_port()
    {
        var tenant = TenantIsolation.For(Tenant).WithApiServerAllowed("20.50.60.70/32").Build();
        var evaluator = Evaluator(tenant);
        Assert.Equal(TenantEgressMode.AllowList, tenant.EgressMode);
        Assert.True(evaluator.Allows(TenantPod, ApiServer, 443));
        Assert.False(evaluator.Allows(TenantPod, ApiServer, 10250));
        Assert.False(evaluator.Allows(TenantPod, Internet, 443));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Local_dns_reaches_the_node_proxy_on_port_53_only_and_nothing_else_link_local(bool internet)
    {
        var localDnsA = Endpoint.External("169.254.10.10", "AKS LocalDNS (VNet DNS)");
        var localDnsB = Endpoint.External("169.254.10.11", "AKS LocalDNS (cluster DNS)");
        TenantIsolation.Builder Builder()
        {
            var builder = TenantIsolation.For(Tenant);
            return internet ? builder.WithInternetEgress() : builder;
        }

        var without = Evaluator(Builder().Build());
        Assert.False(without.Allows(TenantPod, localDnsA, 53, "UDP")); // the break LocalDNS pools see without the option
        Assert.True(without.Allows(TenantPod, ClusterDns, 53, "UDP"));

        var bundle = Builder().WithLocalDns().Build();
        var with = Evaluator(bundle);
        foreach (var proxy in new[] { localDnsA, localDnsB })
        {
            Assert.True(with.Allows(TenantPod, proxy, 53, "UDP"));
            Assert.True(with.Allows(TenantPod, proxy, 53, "TCP"));
            Assert.False(with.Allows(TenantPod, proxy, 8181)); // the proxy's readiness port stays closed
        }

        Assert.True(with.Allows(TenantPod, ClusterDns, 53, "UDP"));
        Assert.False(with.Allows(TenantPod, Metadata, 80));
        Assert.False(with.Allows(TenantPod, Metadata, 53, "UDP"));
        Assert.False(with.Allows(TenantPod, WireServer, 53, "UDP"));
        Assert.Empty(TenantIsolation.ValidateObjects([.. bundle])); // no finding on the bundle the SDK made
    }

    [Fact]
    public void Internet_mode_without_the_api_server_address_reaches_it_as_the_docs_warn()
    {
        var evaluator = Evaluator(TenantIsolation.For(Tenant).WithInternetEgress().Build());
        Assert.True(evaluator.Allows(TenantPod, ApiServer, 443));
        Assert.False(evaluator.Allows(TenantPod, Metadata, 80));
    }

    [Fact]
    public void Other_namespaces_are_untouched_by_the_tenant_policies()
    {
        // Default allow without policies: the evaluator must not deny what no policy selects.
        var evaluator = Evaluator(Build("None"));
        Assert.True(evaluator.Allows(OtherTenantPod, Internet, 443));
        Assert.True(evaluator.Allows(OtherTenantPod, IngressController, 80));
    }

    private static Endpoint Find(string name) => (Endpoint)typeof(NetworkMatrixTests)
        .GetField(name, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null)!;

    private static string Name(Endpoint endpoint) => typeof(NetworkMatrixTests)
        .GetFields(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)
        .Single(f => f.FieldType == typeof(Endpoint) && ReferenceEquals(f.GetValue(null), endpoint)).Name;
}

/// <summary>The evaluator itself follows the documented semantics (so the matrix cannot pass by an evaluator that denies everything).</summary>
public class NetworkPolicyEvaluatorTests
{
    private static readonly Endpoint A = Endpoint.Pod("ns1", "10.244.0.1", ("app", "a"));
    private static readonly Endpoint B = Endpoint.Pod("ns1", "10.244.0.2", ("app", "b"));
    private static readonly Endpoint C = Endpoint.Pod("ns2", "10.244.0.3", ("app", "a"));
    private static readonly Endpoint Out = Endpoint.External("1.2.3.4", "outside");

    private static V1NetworkPolicy Policy(string ns, V1LabelSelector selector, string[]? types, List<V1NetworkPolicyIngressRule>? ingress = null, List<V1NetworkPolicyEgressRule>? egress = null) =>
        new() { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = ns }, Spec = new V1NetworkPolicySpec { PodSelector = selector, PolicyTypes = types, Ingress = ingress, Egress = egress } };

    private static NetworkPolicyEvaluator Eval(params V1NetworkPolicy[] policies) => new(policies, new Dictionary<string, IReadOnlyDictionary<string, string>>());

    [Fact]
    public void No_policy_allows_everything() => Assert.True(Eval().Allows(A, Out, 1234));

    [Fact]
    public void Policy_types_default_to_ingress_only_without_egress_rules()
    {
        var e = Eval(Policy("ns1", new V1LabelSelector(), null));
        Assert.True(e.Allows(A, Out, 80));   // egress not isolated
        Assert.False(e.Allows(C, A, 80));    // ingress isolated
    }

    [Fact]
    public void Allow_rules_are_a_union_over_policies()
    {
        var deny = Policy("ns1", new V1LabelSelector(), ["Egress"]);
        var allow = Policy("ns1", new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "a" } }, ["Egress"],
            egress: [new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "1.2.3.0/24", Except = ["1.2.3.128/25"] } }] }]);
        var e = Eval(deny, allow);
        Assert.True(e.Allows(A, Out, 80));
        Assert.False(e.Allows(B, Out, 80));
        Assert.False(e.Allows(A, Endpoint.External("1.2.3.200", "excepted"), 80));
    }

    [Fact]
    public void Pod_selector_alone_means_the_policy_namespace()
    {
        var e = Eval(Policy("ns1", new V1LabelSelector(), ["Ingress"],
            ingress: [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "a" } } }] }]));
        Assert.True(e.Allows(A, B, 80));
        Assert.False(e.Allows(C, B, 80)); // same label, other namespace
    }

    [Fact]
    public void Ports_match_protocol_and_end_port()
    {
        var e = Eval(Policy("ns1", new V1LabelSelector(), ["Egress"],
            egress: [new V1NetworkPolicyEgressRule { Ports = [new V1NetworkPolicyPort { Protocol = "UDP", Port = 1000, EndPort = 1010 }] }]));
        Assert.True(e.Allows(A, Out, 1005, "UDP"));
        Assert.False(e.Allows(A, Out, 1005, "TCP"));
        Assert.False(e.Allows(A, Out, 1011, "UDP"));
    }
}
