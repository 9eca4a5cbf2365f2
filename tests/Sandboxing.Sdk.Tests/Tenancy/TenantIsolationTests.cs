using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Tests.Tenancy;

public class TenantIsolationTests
{
    private const string ClientId = "6f1d2c3b-4a59-4e8f-9a7b-1c2d3e4f5a6b";
    private const string GroupId = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
    private const string Des = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/keys-rg/providers/Microsoft.Compute/diskEncryptionSets/tenant-des";

    private static TenantIsolation Full() => TenantIsolation.For("tenant-42")
        .WithInternetEgress()
        .WithClusterNetworks("10.244.0.0/16", "10.0.0.0/16", "fd00:10:244::/56")
        .WithApiServerAddress("20.50.60.70/32")
        .WithIngressFromNamespace("ingress-nginx", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "ingress-nginx" }, 8080)
        .WithQuota(cpu: "8", memory: "16Gi", pods: 40, storage: "200Gi")
        .WithContainerDefaults(memory: "1Gi", cpu: "1")
        .WithWorkloadIdentity(ClientId, "72f988bf-86f1-41af-91ab-2d7cd011db47")
        .WithOperators(GroupId, TenantOperatorRole.Edit)
        .WithEncryptedStorage(Des)
        .WithCustomerManagedKeyRequired()
        .WithPodTolerations([new V1Toleration { Key = "sandbox", OperatorProperty = "Equal", Value = "kata", Effect = "NoSchedule" }])
        .Build();

    [Fact]
    public void Namespace_enforces_restricted_at_a_pinned_version_and_binds_the_admission_policy()
    {
        var ns = Full().Namespace;
        Assert.Equal("v1", ns.ApiVersion);
        Assert.Equal("Namespace", ns.Kind);
        foreach (var mode in new[] { "enforce", "warn", "audit" })
        {
            Assert.Equal("restricted", ns.Metadata.Labels[$"pod-security.kubernetes.io/{mode}"]);
            Assert.Equal(TenantIsolation.DefaultPodSecurityVersion, ns.Metadata.Labels[$"pod-security.kubernetes.io/{mode}-version"]);
        }

        Assert.Equal("true", ns.Metadata.Labels[SandboxPolicy.DefaultNamespaceLabel]);
        Assert.Equal("tenant-42", ns.Metadata.Labels[TenantIsolation.TenantLabel]);
    }

    [Fact]
    public void The_bundle_is_the_real_models_in_apply_order()
    {
        var tenant = Full();
        Assert.Equal(
            ["Namespace", "ServiceAccount", "ResourceQuota", "LimitRange", "NetworkPolicy", "NetworkPolicy", "NetworkPolicy", "NetworkPolicy", "Role", "RoleBinding", "StorageClass"],
            tenant.Select(o => o.Kind));
        Assert.Equal(["default-deny", "allow-cluster-dns", "allow-internet-egress", "allow-ingress"], tenant.NetworkPolicies.Select(p => p.Metadata.Name));
        Assert.All(tenant.Where(o => o is not V1Namespace and not V1StorageClass), o => Assert.Equal("tenant-42", ((IKubernetesObject<V1ObjectMeta>)o).Metadata.NamespaceProperty));
    }

    [Fact]
    public void Internet_egress_excepts_private_link_local_cluster_and_api_server_ranges()
    {
        var rule = Full().NetworkPolicies.Single(p => p.Metadata.Name == "allow-internet-egress").Spec.Egress.Single();
        Assert.Null(rule.Ports);
        var v4 = rule.To[0].IpBlock;
        Assert.Equal("0.0.0.0/0", v4.Cidr);
        Assert.Equal(["10.0.0.0/8", "20.50.60.70/32", "100.64.0.0/10", "168.63.129.16/32", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"], v4.Except);
        var v6 = rule.To[1].IpBlock;
        Assert.Equal("::/0", v6.Cidr);
        Assert.Equal(["fc00::/7", "fe80::/10"], v6.Except); // fd00:10:244::/56 lies in fc00::/7 already
    }

    [Fact]
    public void Cluster_networks_outside_the_private_ranges_are_excepted_too()
    {
        var tenant = TenantIsolation.For("t1").WithInternetEgress().WithClusterNetworks("198.18.0.0/15", "2001:db8::/48").Build();
        var rule = tenant.NetworkPolicies.Single(p => p.Metadata.Name == "allow-internet-egress").Spec.Egress.Single();
        Assert.Contains("198.18.0.0/15", rule.To[0].IpBlock.Except);
        Assert.Contains("2001:db8::/48", rule.To[1].IpBlock.Except);
    }

    [Fact]
    public void Dns_policy_selects_the_dns_pods_in_their_namespace_on_udp_and_tcp_53()
    {
        var rule = Full().NetworkPolicies.Single(p => p.Metadata.Name == "allow-cluster-dns").Spec.Egress.Single();
        var peer = rule.To.Single();
        Assert.Equal("kube-system", peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal("kube-dns", peer.PodSelector.MatchLabels["k8s-app"]);
        Assert.Equal(["UDP/53", "TCP/53"], rule.Ports.Select(p => p.Protocol + "/" + p.Port.Value));
    }

    [Fact]
    public void Quota_limit_range_account_binding_and_storage()
    {
        var tenant = Full();
        var hard = tenant.ResourceQuota.Spec.Hard;
        Assert.Equal("8", hard["requests.cpu"].ToString());
        Assert.Equal("8", hard["limits.cpu"].ToString());
        Assert.Equal("16Gi", hard["requests.memory"].ToString());
        Assert.Equal("16Gi", hard["limits.memory"].ToString());
        Assert.Equal("40", hard["pods"].ToString());
        Assert.Equal("200Gi", hard["requests.storage"].ToString());
        Assert.Equal("0", hard["services.nodeports"].ToString());

        var item = tenant.LimitRange.Spec.Limits.Single();
        Assert.Equal("Container", item.Type);
        Assert.Equal("1Gi", item.DefaultProperty["memory"].ToString());
        Assert.Equal("1Gi", item.DefaultRequest["memory"].ToString());
        Assert.Equal("128Mi", item.Min["memory"].ToString());

        Assert.False(tenant.ServiceAccount.AutomountServiceAccountToken);
        Assert.Equal(ClientId, tenant.ServiceAccount.Metadata.Annotations[TenantLabels.WorkloadIdentityClientId]);
        Assert.Equal("72f988bf-86f1-41af-91ab-2d7cd011db47", tenant.ServiceAccount.Metadata.Annotations[TenantLabels.WorkloadIdentityTenantId]);

        var binding = tenant.OperatorsBinding!;
        Assert.Equal(("Role", "tenant-operators-edit"), (binding.RoleRef.Kind, binding.RoleRef.Name));
        Assert.Equal(("tenant-operators-edit", "tenant-42"), (tenant.OperatorsRole!.Metadata.Name, tenant.OperatorsRole.Metadata.NamespaceProperty));
        Assert.Equal(("Group", GroupId), (binding.Subjects.Single().Kind, binding.Subjects.Single().Name));

        var storage = tenant.StorageClass!;
        Assert.Equal("disk.csi.azure.com", storage.Provisioner);
        Assert.Equal(Des, storage.Parameters["diskEncryptionSetID"]);
        Assert.Equal("Delete", storage.ReclaimPolicy);
        Assert.Equal("tenant-42-cmk", storage.Metadata.Name);
    }

    [Fact]
    public void Workloads_made_for_the_tenant_agree_with_the_bundle_and_the_checks_are_clean()
    {
        var tenant = Full();
        var job = Sandboxed.Job("run-1").WithWorkloadIdentity(tenant)
            .WithContainer("run", "ghcr.io/acme/runner:1.4", c => c.WithResources("1", "1Gi")).Build();
        var deployment = Sandboxed.Deployment("api").ForTenant(tenant)
            .WithContainer("api", "ghcr.io/acme/api:2.0", c => c.WithResources("500m", "512Mi")).Build();

        Assert.Equal("tenant-42", job.Metadata.NamespaceProperty);
        Assert.Equal("workload", job.Spec.Template.Spec.ServiceAccountName);
        Assert.False(job.Spec.Template.Spec.AutomountServiceAccountToken);
        Assert.Equal("true", job.Spec.Template.Metadata.Labels[TenantLabels.WorkloadIdentityUse]);
        Assert.Equal("tenant-42", deployment.Spec.Template.Metadata.Labels[TenantIsolation.TenantLabel]);
        Assert.Contains(deployment.Spec.Template.Spec.Tolerations, t => t.Key == "sandbox" && t.Value == "kata");
        Assert.False(deployment.Spec.Template.Metadata.Labels.ContainsKey(TenantLabels.WorkloadIdentityUse));

        Assert.Empty(tenant.Validate(job, deployment));
        // and after a round trip through YAML
        Assert.Empty(TenantIsolation.ValidateYaml(SandboxManifest.ToYaml(tenant, job, deployment)));
    }

    [Fact]
    public void Bundle_yaml_matches_golden_and_reads_back_unchanged()
    {
        var yaml = Full().ToYaml();
        Golden.Match(yaml, "yaml", name: "FullBundle");
        Assert.Equal(yaml, SandboxManifest.ToYaml(SandboxManifest.Read(yaml)));
    }

    [Fact]
    public void Workload_identity_on_a_tenant_without_it_names_the_fix()
    {
        var tenant = TenantIsolation.For("t1").Build();
        var error = Assert.Throws<InvalidOperationException>(() => Sandboxed.Job("j").WithWorkloadIdentity(tenant));
        Assert.Contains("WithWorkloadIdentity(clientId)", error.Message);
    }

    public static TheoryData<string, string> BadInput() => new()
    {
        { "egress.cidrs[0].cidr", "cidr" },
        { "egress.cidrs[0].except[0]", "except" },
        { "quota.memory", "quota-below-min" },
        { "quota.memory", "quota-below-default" },
        { "workloadIdentity.clientId", "client" },
        { "workloadIdentity.tenantId", "tenant" },
        { "operators.groupObjectId", "group" },
        { "storage.diskEncryptionSetId", "des" },
        { "storage.diskEncryptionSetId", "cmk-required" },
        { "containerDefaults.minMemory", "min" },
        { "podSecurityVersion", "latest" },
        { "clusterNetworks[1]", "cluster" },
        { "apiServer.cidr", "api" },
        { "name", "name" },
        { "ingress.namespaces[0].ports[0]", "port" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Bad_input_fails_at_build_naming_the_field(string field, string what)
    {
        var builder = TenantIsolation.For(what == "name" ? "Tenant_42" : "t1");
        _ = what switch
        {
            "cidr" => builder.WithEgressToCidr("10.0.0.300/32"),
            "except" => builder.WithEgressToCidr("52.0.0.0/16", except: ["52.1.0.0/24"]),
            "quota-below-min" => builder.WithQuota("1", "64Mi", 5, "1Gi"),
            "quota-below-default" => builder.WithQuota("1", "256Mi", 5, "1Gi"),
            "client" => builder.WithWorkloadIdentity("my-client"),
            "tenant" => builder.WithWorkloadIdentity(ClientId, "contoso.onmicrosoft.com"),
            "group" => builder.WithOperators("platform-admins"),
            "des" => builder.WithEncryptedStorage("tenant-des"),
            "cmk-required" => builder.WithCustomerManagedKeyRequired(),
            "min" => builder.WithContainerDefaults("1Gi", "1", minMemory: "64Mi"),
            "latest" => builder.WithPodSecurityVersion("latest"),
            "cluster" => builder.WithClusterNetworks("10.244.0.0/16", "10.0.0.0"),
            "api" => builder.WithApiServerAddress("api.example.com"),
            "port" => builder.WithIngressFromNamespace("ingress-nginx", null, 70000),
            _ => builder,
        };

        var error = Assert.Throws<SandboxValidationException>(() => builder.Build());
        var finding = Assert.Single(error.Findings);
        Assert.Equal("SBX4001", finding.RuleId);
        Assert.Equal(field, finding.Path);
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var error = Assert.Throws<SandboxValidationException>(() => TenantIsolation.For("t1")
            .WithEgressToCidr("nope").WithWorkloadIdentity("nope").WithQuota("x", "16Gi", 0, "1Gi").Build());
        Assert.Equal(["egress.cidrs[0].cidr", "quota.cpu", "quota.pods", "workloadIdentity.clientId"], error.Findings.Select(f => f.Path).Order());
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("10.1.2.3/8", "10.200.0.1", true)]
    [InlineData("fc00::/7", "fd12::1", true)]
    [InlineData("fc00::/7", "fe80::1", false)]
    [InlineData("0.0.0.0/0", "::1", false)]
    [InlineData("192.168.0.0/16", "::ffff:192.168.1.1", true)]
    public void Cidr_contains(string cidr, string address, bool expected) =>
        Assert.Equal(expected, IpCidr.Parse(cidr, "cidr").Contains(System.Net.IPAddress.Parse(address)));

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("::/129")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("")]
    public void Cidr_rejects(string text) => Assert.False(IpCidr.TryParse(text, out _, out _));
}
