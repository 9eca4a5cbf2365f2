using k8s.Models;

namespace Sandboxing.Sdk.Tests.Tenancy;

// The builder's life cycle and the summary a bundle gives: a built tenant cannot change under its objects, a refused build can
// be fixed, and the egress mode says what the policies open.
public class TenantBuilderTests
{
    [Fact]
    public void A_builder_builds_once_but_a_refused_build_can_be_fixed()
    {
        var builder = TenantIsolation.For("t1").WithQuota("1", "16Gi", 0, "1Gi");
        Assert.Equal(["quota.pods"], builder.Validate().Select(f => f.Path)); // Validate reports without throwing
        Assert.Throws<SandboxValidationException>(() => builder.Build());

        var tenant = builder.WithQuota("1", "16Gi", 5, "1Gi").Build();
        Assert.Equal("5", tenant.OfType<V1ResourceQuota>().Single().Spec.Hard["pods"].ToString());
        var again = Assert.Throws<InvalidOperationException>(() => builder.WithInternetEgress());
        Assert.Equal("This builder has already built its tenant; start a new one with TenantIsolation.For(name).", again.Message);
        Assert.Empty(builder.Validate());
    }

    [Fact]
    public void The_egress_mode_follows_what_the_tenant_may_reach()
    {
        Assert.Equal(TenantEgressMode.None, TenantIsolation.For("t1").Build().EgressMode);
        Assert.Equal(TenantEgressMode.Internet, TenantIsolation.For("t1").WithInternetEgress().WithEgressToNamespace("db").Build().EgressMode);
        Assert.Equal(TenantEgressMode.AllowList, TenantIsolation.For("t1").WithEgressToCidr("52.0.0.0/16").Build().EgressMode);
        Assert.Equal(TenantEgressMode.AllowList, TenantIsolation.For("t1").WithEgressToNamespace("db").Build().EgressMode);
        Assert.Equal(TenantEgressMode.AllowList, TenantIsolation.For("t1").WithApiServerAllowed("20.1.2.3/32").Build().EgressMode);
    }

    [Fact]
    public void A_bundle_validates_itself_with_the_workloads_given()
    {
        var tenant = TenantIsolation.For("t1").Build();
        Assert.Empty(tenant.Validate());
        Assert.Empty(tenant.Validate(null!));
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "t1" }, Spec = TestObjects.Spec() };
        Assert.Contains(tenant.Validate(pod), f => f.RuleId == "SBX1001");
        Assert.Equal(tenant.Validate(pod).Select(f => f.RuleId), TenantIsolation.ValidateObjects([.. tenant, pod]).Select(f => f.RuleId));
        Assert.Equal(443, ((TenantPort)443).Port);
        Assert.Equal("TCP", ((TenantPort)443).Protocol);
    }

    [Fact]
    public void Internet_egress_excepts_each_cluster_network_once_in_address_order_and_the_api_server_unless_allowed()
    {
        static List<string> Excepts(TenantIsolation tenant, int family) =>
            [.. tenant.NetworkPolicies.Single(p => p.Metadata.Name == "allow-internet-egress").Spec.Egress.Single().To[family].IpBlock.Except];

        // 10.244.0.0/16 lies inside 10.0.0.0/8 (nothing to add); 10.0.0.0/7 covers it (it replaces it); a /0 cannot be an except.
        var tenant = TenantIsolation.For("t1").WithInternetEgress().WithClusterNetworks("10.244.0.0/16", "10.0.0.0/7", "0.0.0.0/0", "fd12::/64")
            .WithApiServerAddress("20.1.2.3/32").Build();
        Assert.Equal(["10.0.0.0/7", "20.1.2.3/32", "100.64.0.0/10", "168.63.129.16/32", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"], Excepts(tenant, 0));
        Assert.Equal(["fc00::/7", "fe80::/10"], Excepts(tenant, 1)); // fd12::/64 is inside fc00::/7

        var allowed = TenantIsolation.For("t1").WithInternetEgress().WithApiServerAllowed("20.1.2.3/32").Build();
        Assert.DoesNotContain("20.1.2.3/32", Excepts(allowed, 0));
    }

    [Fact]
    public void Builder_methods_refuse_null_with_the_parameter_s_name()
    {
        var builder = TenantIsolation.For("t1");
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => builder.WithNamespaceLabel(null!, "v")).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => builder.WithNamespaceLabel("k", null!)).ParamName);
        Assert.Equal("version", Assert.Throws<ArgumentNullException>(() => builder.WithPodSecurityVersion(null!)).ParamName);
        Assert.Equal("cidrs", Assert.Throws<ArgumentNullException>(() => builder.WithClusterNetworks(null!)).ParamName);
        Assert.Equal("tolerations", Assert.Throws<ArgumentNullException>(() => builder.WithPodTolerations(null!)).ParamName);
        Assert.Empty(builder.Validate()); // nothing refused was kept

        var tenant = builder.Build();
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => TenantWorkloadExtensions.ForTenant<PodBuilder, V1Pod>(null!, tenant)).ParamName);
        Assert.Equal("tenant", Assert.Throws<ArgumentNullException>(() => Sandboxed.Pod("p").ForTenant(null!)).ParamName);
        Assert.Equal("tenant", Assert.Throws<ArgumentNullException>(() => Sandboxed.Pod("p").WithWorkloadIdentity(null!)).ParamName);
    }

    [Fact]
    public void Pod_labels_are_the_tenant_label_the_network_policies_select()
    {
        var tenant = TenantIsolation.For("t1").Build();
        var label = Assert.Single(tenant.PodLabels);
        Assert.Equal((TenantIsolation.TenantLabel, "t1"), (label.Key, label.Value));
    }

    [Fact]
    public void Namespace_peers_select_the_named_pods_or_every_pod_and_no_ports_means_every_port()
    {
        var tenant = TenantIsolation.For("t1")
            .WithEgressToNamespace("db", new Dictionary<string, string> { ["app"] = "postgres" }, new TenantPort(5432))
            .WithEgressToNamespace("cache", null, null!)
            .WithIngressFromNamespace("ingress", null, null!)
            .Build();
        var egress = tenant.NetworkPolicies.Single(p => p.Metadata.Name == "allow-egress").Spec.Egress;
        Assert.Equal(2, egress.Count);
        Assert.Equal("db", egress[0].To.Single().NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "postgres" }, egress[0].To.Single().PodSelector.MatchLabels);
        Assert.Equal("5432", egress[0].Ports.Single().Port.Value);
        Assert.Null(egress[1].To.Single().PodSelector); // every pod of the namespace
        Assert.Null(egress[1].Ports);
        var ingress = tenant.NetworkPolicies.Single(p => p.Metadata.Name == "allow-ingress").Spec.Ingress.Single();
        Assert.Null(ingress.FromProperty.Single().PodSelector);
        Assert.Null(ingress.Ports);
    }

    [Fact]
    public void The_api_server_and_traffic_within_the_tenant_get_policies_of_their_own()
    {
        var tenant = TenantIsolation.For("t1").WithApiServerAllowed("20.1.2.3/32", 6443).WithTrafficWithinTenant().Build();
        var api = tenant.NetworkPolicies.Single(p => p.Metadata.Name == "allow-api-server").Spec;
        Assert.Equal(["Egress"], api.PolicyTypes);
        var rule = api.Egress.Single();
        Assert.Equal("20.1.2.3/32", rule.To.Single().IpBlock.Cidr);
        Assert.Equal(("6443", "TCP"), (rule.Ports.Single().Port.Value, rule.Ports.Single().Protocol));

        // A peer with only an (empty) podSelector is every pod of the policy's own namespace; no peer at all would be everything.
        var within = tenant.NetworkPolicies.Single(p => p.Metadata.Name == "allow-within-tenant").Spec;
        Assert.Equal(["Ingress", "Egress"], within.PolicyTypes);
        var from = within.Ingress.Single().FromProperty.Single();
        var to = within.Egress.Single().To.Single();
        foreach (var peer in new[] { from, to })
        {
            Assert.NotNull(peer.PodSelector);
            Assert.Null(peer.PodSelector.MatchLabels);
            Assert.Null(peer.NamespaceSelector);
            Assert.Null(peer.IpBlock);
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(65535, true)]
    [InlineData(0, false)]
    [InlineData(65536, false)]
    public void The_api_server_port_is_a_TCP_port(int port, bool valid)
    {
        var findings = TenantIsolation.For("t1").WithApiServerAllowed("20.1.2.3/32", port).Validate();
        Assert.Equal(valid ? [] : ["apiServer.port"], findings.Select(f => f.Path));
    }

    [Fact]
    public void A_refused_setting_is_a_TenantIsolation_finding_at_the_field_s_path()
    {
        var finding = Assert.Single(TenantIsolation.For("t1").WithEgressToCidr("52.0.0.0/16", except: ["52.1"]).Validate());
        Assert.Equal(("SBX4001", SandboxSeverity.Error, "TenantIsolation", "t1", "egress.cidrs[0].except[0]"),
            (finding.RuleId, finding.Severity, finding.Kind, finding.Name, finding.Path));
        Assert.Contains("'52.1' is not a CIDR block", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_namespace_records_the_cluster_networks_only_when_some_are_named()
    {
        static IDictionary<string, string> Annotations(TenantIsolation.Builder builder) => builder.Build().Namespace.Metadata.Annotations;

        Assert.Equal(new Dictionary<string, string> { [TenantLabels.NetworkDataplaneAnnotation] = "cilium" }, Annotations(TenantIsolation.For("t1").WithCiliumDataplane()));
        Assert.Equal("10.244.0.0/16,fd12::/64", Annotations(TenantIsolation.For("t1").WithCiliumDataplane().WithClusterNetworks("10.244.1.7/16", "fd12::/64"))[TenantLabels.ClusterNetworksAnnotation]);
        Assert.Null(Annotations(TenantIsolation.For("t1")));
    }
}
