using k8s.Models;

namespace Sandboxing.Sdk.Tests.Tenancy;

public class TenantValidatorTests
{
    private const string Des = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/keys-rg/providers/Microsoft.Compute/diskEncryptionSets/tenant-des";

    private static List<object> Bundle(Func<TenantIsolation.Builder, TenantIsolation.Builder>? configure = null) =>
        [.. (configure ?? (b => b))(TenantIsolation.For("t1")).Build()];

    private static IEnumerable<string> Ids(IEnumerable<object> objects) => TenantValidator.Validate(objects).Select(f => f.RuleId);

    [Fact]
    public void A_clean_bundle_has_no_findings() => Assert.Empty(Ids(Bundle(b => b.WithInternetEgress().WithEncryptedStorage(Des).WithCustomerManagedKeyRequired())));

    [Fact]
    public void SBX4002_without_default_deny()
    {
        var objects = Bundle();
        objects.RemoveAll(o => o is V1NetworkPolicy { Metadata.Name: "default-deny" });
        var finding = Assert.Single(TenantValidator.Validate(objects), f => f.RuleId == "SBX4002");
        // The DNS policy isolates egress but has a rule, so it is no default deny either.
        Assert.Contains("denies ingress and egress by default", finding.Message);
    }

    [Fact]
    public void SBX4003_and_SBX4004_for_egress_to_everything_or_a_whole_private_range()
    {
        var objects = Bundle();
        objects.Add(new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta { Name = "too-open", NamespaceProperty = "t1" },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector(),
                PolicyTypes = ["Egress"],
                Egress =
                [
                    new V1NetworkPolicyEgressRule { Ports = [new V1NetworkPolicyPort { Port = 443 }] },                        // only ports: everything
                    new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0", Except = ["10.0.0.0/8"] } }] },
                    new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector() }] },
                    new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "10.1.2.3/32" } }] }, // a deliberate /32
                ],
            },
        });
        var findings = TenantValidator.Validate(objects).Where(f => f.Kind == "NetworkPolicy").ToList();
        Assert.Equal(
            ["SBX4003 spec.egress[0].to", "SBX4004 spec.egress[0].to", "SBX4003 spec.egress[1].to[0].ipBlock", "SBX4004 spec.egress[1].to[0].ipBlock", "SBX4004 spec.egress[2].to[0].namespaceSelector"],
            findings.Select(f => f.RuleId + " " + f.Path));
        Assert.Contains("169.254.0.0/16", findings[3].Message);
        Assert.DoesNotContain("10.0.0.0/8", findings[3].Message);
    }

    [Fact]
    public void Egress_to_every_namespace_every_system_pod_or_the_wire_server_is_reported()
    {
        var objects = Bundle();
        var everyNamespace = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "kubernetes.io/metadata.name", OperatorProperty = "Exists" }] };
        var allBut = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "kubernetes.io/metadata.name", OperatorProperty = "NotIn", Values = ["t1"] }] };
        var kubeSystem = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "kube-system" } };
        objects.Add(new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta { Name = "wide", NamespaceProperty = "t1" },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector(),
                PolicyTypes = ["Egress"],
                Egress =
                [
                    new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { NamespaceSelector = everyNamespace }] },
                    new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { NamespaceSelector = allBut, PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } } }] },
                    new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { NamespaceSelector = kubeSystem }] },
                    new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "168.63.129.16/32" } }] },
                    new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "168.63.0.0/16" } }] },
                ],
            },
        });

        var findings = TenantValidator.Validate(objects).Where(f => f.Kind == "NetworkPolicy").ToList();

        Assert.Equal(
            ["SBX4004 spec.egress[0].to[0].namespaceSelector", "SBX4004 spec.egress[1].to[0].namespaceSelector", "SBX4004 spec.egress[2].to[0].podSelector",
             "SBX4003 spec.egress[3].to[0].ipBlock", "SBX4003 spec.egress[4].to[0].ipBlock"],
            findings.Select(f => f.RuleId + " " + f.Path));
        Assert.Contains("every pod in every namespace", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("pods in every namespace but a few", findings[1].Message, StringComparison.Ordinal);
        Assert.Contains("every pod in the system namespace kube-system (not only cluster DNS", findings[2].Message, StringComparison.Ordinal);
        Assert.Contains("Azure's WireServer 168.63.129.16 (ipBlock 168.63.129.16/32", findings[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SBX4010_for_ingress_from_every_namespace_every_source_or_every_address()
    {
        var objects = Bundle(b => b.WithIngressFromNamespace("ingress-nginx").WithTrafficWithinTenant());
        objects.Add(new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta { Name = "open-door", NamespaceProperty = "t1" },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector(),
                PolicyTypes = ["Ingress"],
                Ingress =
                [
                    new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector() }] },
                    new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0" } }] },
                    new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "10.0.0.0/8" } }] },
                    new V1NetworkPolicyIngressRule { Ports = [new V1NetworkPolicyPort { Port = 8080 }] },
                    new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "52.1.2.3/32" } }] }, // one client
                ],
            },
        });

        var findings = TenantValidator.Validate(objects).Where(f => f.Kind == "NetworkPolicy").ToList();

        Assert.Equal(
            ["SBX4010 spec.ingress[0].from[0].namespaceSelector", "SBX4010 spec.ingress[1].from[0].ipBlock", "SBX4010 spec.ingress[2].from[0].ipBlock", "SBX4010 spec.ingress[3]"],
            findings.Select(f => f.RuleId + " " + f.Path));
        Assert.All(findings, f => Assert.Equal("'open-door'", f.Message.Split(' ')[1]));
        Assert.Contains("every address (ipBlock 0.0.0.0/0)", findings[1].Message, StringComparison.Ordinal);
        Assert.Contains("every source (the rule has no 'from')", findings[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SBX4005_without_quota_or_default_memory()
    {
        var objects = Bundle();
        objects.RemoveAll(o => o is V1ResourceQuota or V1LimitRange);
        var finding = Assert.Single(TenantValidator.Validate(objects));
        Assert.Equal("SBX4005", finding.RuleId);
        Assert.Contains("no ResourceQuota and no LimitRange", finding.Message);
    }

    [Fact]
    public void SBX4006_for_a_pod_that_mounts_a_token()
    {
        var tenant = TenantIsolation.For("t1").Build();
        var withToken = Sandboxed.Pod("p").ForTenant(tenant).WithServiceAccountToken().WithContainer("c", "img:1", c => c.WithResources("1", "1Gi")).Build();
        var defaultAccount = Sandboxed.Pod("q").InNamespace("t1").WithContainer("c", "img:1", c => c.WithResources("1", "1Gi"))
            .ConfigurePodSpec(s => s.AutomountServiceAccountToken = null).Build();
        var findings = TenantValidator.Validate([.. tenant, withToken, defaultAccount]);
        Assert.Equal(["SBX4006", "SBX4006"], findings.Select(f => f.RuleId));
        Assert.Contains("automountServiceAccountToken is true", findings[0].Message);
        Assert.Contains("'default' is not among the checked objects", findings[1].Message);
    }

    [Fact]
    public void SBX4007_for_the_workload_identity_label_without_an_annotated_account()
    {
        var tenant = TenantIsolation.For("t1").Build(); // no Workload ID on its account
        var pod = Sandboxed.Pod("p").ForTenant(tenant).WithLabel(TenantLabels.WorkloadIdentityUse, "true")
            .WithContainer("c", "img:1", c => c.WithResources("1", "1Gi")).Build();
        var finding = Assert.Single(TenantValidator.Validate([.. tenant, pod]));
        Assert.Equal("SBX4007", finding.RuleId);
        Assert.Contains("has no 'azure.workload.identity/client-id' annotation", finding.Message);
    }

    [Theory]
    [InlineData("True")]
    [InlineData("TRUE")]
    [InlineData("yes")]
    public void SBX4007_ignores_a_label_the_webhook_does_not_select(string value)
    {
        // The webhook's objectSelector matches "true" exactly: a pod labelled "True" gets no token, so its account needs no client ID.
        var tenant = TenantIsolation.For("t1").Build();
        var pod = Sandboxed.Pod("p").ForTenant(tenant).WithLabel(TenantLabels.WorkloadIdentityUse, value)
            .WithContainer("c", "img:1", c => c.WithResources("1", "1Gi")).Build();
        Assert.DoesNotContain("SBX4007", Ids([.. tenant, pod]));
    }

    [Fact]
    public void SBX4008_for_claims_and_classes_without_a_customer_key()
    {
        var objects = Bundle(b => b.WithEncryptedStorage(Des).WithCustomerManagedKeyRequired());
        objects.Add(new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data", NamespaceProperty = "t1" }, Spec = new V1PersistentVolumeClaimSpec { StorageClassName = "managed-csi" } });
        objects.Add(new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "ok", NamespaceProperty = "t1" }, Spec = new V1PersistentVolumeClaimSpec { StorageClassName = "t1-cmk" } });
        var finding = Assert.Single(TenantValidator.Validate(objects));
        Assert.Equal("SBX4008", finding.RuleId);
        Assert.Contains("'managed-csi' is not among the checked objects", finding.Message);

        objects.RemoveAll(o => o is V1StorageClass);
        Assert.Equal(3, TenantValidator.Validate(objects).Count(f => f.RuleId == "SBX4008"));
    }

    [Fact]
    public void SBX4009_for_a_namespace_that_does_not_enforce_restricted_at_a_pinned_version()
    {
        var objects = Bundle();
        var ns = objects.OfType<V1Namespace>().Single();
        ns.Metadata.Labels["pod-security.kubernetes.io/enforce"] = "baseline";
        Assert.Contains("enforces the Pod Security level 'baseline'", Assert.Single(TenantValidator.Validate(objects)).Message);
        ns.Metadata.Labels["pod-security.kubernetes.io/enforce"] = "restricted";
        ns.Metadata.Labels["pod-security.kubernetes.io/enforce-version"] = "latest";
        Assert.Equal("SBX4009", Assert.Single(TenantValidator.Validate(objects)).RuleId);
    }

    [Fact]
    public void Yaml_from_elsewhere_gets_the_same_findings()
    {
        const string yaml = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: acme
              labels:
                sandboxing.sdk/tenant: acme
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: egress-https
              namespace: acme
            spec:
              podSelector: {}
              policyTypes: [Egress]
              egress:
              - ports:
                - port: 443
            """;
        Assert.Equal(["SBX4002", "SBX4005", "SBX4009", "SBX4003", "SBX4004"], TenantValidator.ValidateYaml(yaml).Select(f => f.RuleId));
    }

    [Fact]
    public void Objects_outside_tenant_namespaces_are_not_tenant_checked()
    {
        var pod = Sandboxed.Pod("p").InNamespace("team").WithServiceAccountToken().WithContainer("c", "img:1", c => c.WithResources("1", "1Gi")).Build();
        Assert.Empty(TenantValidator.Validate([pod]));
    }

    [Fact]
    public void SBX4011_for_an_ipBlock_into_the_cluster_network_on_Cilium()
    {
        var objects = Bundle(b => b.WithCiliumDataplane().WithClusterNetworks("10.244.0.0/16", "10.0.0.0/16")
            .WithEgressToCidr("10.244.3.0/24", [5432], force: true)          // pods (forced): never matched on Cilium
            .WithEgressToCidr("10.0.0.0/8", except: ["10.244.0.0/16"], force: true) // the pod range excepted, the service range still open
            .WithEgressToCidr("52.1.2.3/32", [443])                         // outside the cluster: fine
            .WithInternetEgress());                                         // excepts every private range: fine
        var all = TenantValidator.Validate(objects);
        Assert.Equal(["SBX4011", "SBX4011", "SBX4004"], all.Select(f => f.RuleId)); // namespace checks first; 10.0.0.0/8 is also a whole private range
        var findings = all.Where(f => f.RuleId == "SBX4011").ToList();
        Assert.Contains("ipBlock 10.244.3.0/24 reaches into the cluster network 10.244.0.0/16", findings[0].Message);
        Assert.Contains("ipBlock 10.0.0.0/8 reaches into the cluster network 10.0.0.0/16", findings[1].Message);
        Assert.DoesNotContain("10.244.0.0/16", findings[1].Message);
        Assert.Contains("namespaceSelector and podSelector", findings[0].Message);
        Assert.EndsWith(".ipBlock", findings[0].Path);
    }

    [Fact]
    public void SBX4011_needs_the_Cilium_dataplane_and_uses_the_AKS_default_pod_range_when_none_is_named()
    {
        TenantIsolation.Builder Rule(TenantIsolation.Builder b) => b.WithEgressToCidr("10.244.0.0/16");
        Assert.DoesNotContain("SBX4011", Ids(Bundle(Rule)));                            // azure dataplane (or unknown): ipBlock works
        var finding = Assert.Single(TenantValidator.Validate(Bundle(b => Rule(b).WithCiliumDataplane())), f => f.RuleId == "SBX4011");
        Assert.Contains("cluster network 10.244.0.0/16", finding.Message);
        Assert.DoesNotContain("SBX4011", Ids(Bundle(b => Rule(b).WithCiliumDataplane().WithClusterNetworks("172.20.0.0/16"))));
    }

    [Fact]
    public void SBX4011_reads_the_dataplane_from_yaml_and_checks_ingress_too()
    {
        const string yaml = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: acme
              labels: { sandboxing.sdk/tenant: acme }
              annotations: { sandboxing.sdk/network-dataplane: cilium, sandboxing.sdk/cluster-networks: "192.168.0.0/16" }
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: { name: from-lb, namespace: acme }
            spec:
              podSelector: {}
              policyTypes: [Ingress]
              ingress:
              - from: [ { ipBlock: { cidr: 192.168.10.0/24 } } ]
            """;
        var finding = Assert.Single(TenantValidator.ValidateYaml(yaml), f => f.RuleId == "SBX4011");
        Assert.Equal("spec.ingress[0].from[0].ipBlock", finding.Path);
    }

    [Fact]
    public void Internet_egress_on_a_dual_stack_tenant_needs_an_IPv6_cluster_network()
    {
        var open = Assert.Single(TenantValidator.Validate(Bundle(b => b.WithInternetEgress().WithDualStack())));
        Assert.Equal("SBX4004", open.RuleId);
        Assert.Contains("IPv6 node subnet", open.Message);
        Assert.Contains("::/0", open.Message);

        // Naming the node subnet (a global range here) excepts it; a single-stack tenant is never told.
        Assert.Empty(Ids(Bundle(b => b.WithInternetEgress().WithDualStack().WithClusterNetworks("2001:db8:10::/64"))));
        Assert.Empty(Ids(Bundle(b => b.WithInternetEgress().WithDualStack().WithClusterNetworks("fd00:10::/64")))); // unique-local: already excepted
        Assert.Empty(Ids(Bundle(b => b.WithInternetEgress())));
        Assert.Empty(Ids(Bundle(b => b.WithDualStack())));
    }
}
