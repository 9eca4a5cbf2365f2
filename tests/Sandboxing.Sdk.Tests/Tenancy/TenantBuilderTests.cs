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
}
