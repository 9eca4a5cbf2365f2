using k8s.Models;

namespace Sandboxing.Sdk.Tests.Tenancy;

// The edges of each tenant check, on the SDK's own bundle with one thing changed: the finding names the policy, the field and
// what is open, and a near miss (a label value, a narrower block, an except) is not reported.
public class TenantValidatorEdgeTests
{
    private static List<object> Bundle(Func<TenantIsolation.Builder, TenantIsolation.Builder>? configure = null) =>
        [.. (configure ?? (b => b))(TenantIsolation.For("t1")).Build()];

    private static V1Namespace Namespace(List<object> objects) => objects.OfType<V1Namespace>().Single();

    private static V1NetworkPolicy Policy(string name, V1NetworkPolicySpec spec) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "t1" }, Spec = spec };

    private static V1NetworkPolicySpec Egress(params V1NetworkPolicyPeer[] to) =>
        new() { PodSelector = new V1LabelSelector(), PolicyTypes = ["Egress"], Egress = [new V1NetworkPolicyEgressRule { To = to }] };

    private static V1NetworkPolicySpec Ingress(params V1NetworkPolicyPeer[] from) =>
        new() { PodSelector = new V1LabelSelector(), PolicyTypes = ["Ingress"], Ingress = [new V1NetworkPolicyIngressRule { FromProperty = from }] };

    private static V1NetworkPolicyPeer Block(string cidr, params string[] except) =>
        new() { IpBlock = new V1IPBlock { Cidr = cidr, Except = except.Length == 0 ? null : except } };

    private static V1NetworkPolicyPeer Namespaces(V1LabelSelector selector, V1LabelSelector? pods = null) =>
        new() { NamespaceSelector = selector, PodSelector = pods };

    private static V1LabelSelectorRequirement Requirement(string key, string op, params string[] values) =>
        new() { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values };

    /// <summary>The findings on the added policy, as "rule path: message".</summary>
    private static List<SandboxFinding> On(List<object> objects, V1NetworkPolicy policy)
    {
        objects.Add(policy);
        return [.. TenantValidator.Validate(objects).Where(f => f.Name == policy.Metadata.Name)];
    }

    [Fact]
    public void Validate_needs_objects_reads_nested_collections_and_checks_pods_as_the_validator_does()
    {
        Assert.Throws<ArgumentNullException>(() => TenantValidator.Validate(null!));
        var flat = Bundle();
        flat.RemoveAll(o => o is V1ResourceQuota);
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "t1" }, Spec = TestObjects.Spec() };
        var expected = TenantValidator.Validate([.. flat, pod]).Select(f => f.RuleId + " " + f.Path).ToList();
        Assert.Contains("SBX1001 spec.runtimeClassName", expected);
        Assert.Contains("SBX4005 metadata.name", expected);
        Assert.Equal(expected, TenantValidator.Validate([new List<object> { flat.ToArray() }, new object[] { pod }]).Select(f => f.RuleId + " " + f.Path));
    }

    [Fact]
    public void Only_namespaces_labelled_as_tenants_are_tenant_checked()
    {
        var plain = new V1Namespace { Metadata = new V1ObjectMeta { Name = "plain", Labels = new Dictionary<string, string> { ["team"] = "a" } } };
        Assert.Empty(TenantValidator.Validate([plain]));
    }

    [Fact]
    public void A_default_deny_is_judged_per_direction_and_policy_types_default_as_the_API_server_does()
    {
        var objects = Bundle();
        objects.RemoveAll(o => o is V1NetworkPolicy { Metadata.Name: "default-deny" });
        // Ingress denied (no rules), egress open by a rule: only egress is missing.
        objects.Add(Policy("half", new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector(),
            PolicyTypes = ["Ingress", "Egress"],
            Egress = [new V1NetworkPolicyEgressRule { To = [Block("10.1.2.3/32")] }],
        }));
        var finding = Assert.Single(TenantValidator.Validate(objects), f => f.RuleId == "SBX4002");
        Assert.Equal("metadata.name", finding.Path);
        Assert.Contains("denies egress by default", finding.Message, StringComparison.Ordinal);

        // No policyTypes and no egress rules: the API server makes it an Ingress policy, so egress is still not denied.
        objects.Add(Policy("implicit", new V1NetworkPolicySpec { PodSelector = new V1LabelSelector() }));
        Assert.Contains("denies egress by default", Assert.Single(TenantValidator.Validate(objects), f => f.RuleId == "SBX4002").Message, StringComparison.Ordinal);

        // No policyTypes with an egress rule: both directions, so its egress rule is checked.
        var open = On(objects, Policy("implicit-egress", new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector(),
            Egress = [new V1NetworkPolicyEgressRule { To = [Block("0.0.0.0/0")] }],
        }));
        Assert.Contains(open, f => f.RuleId == "SBX4003" && f.Path == "spec.egress[0].to[0].ipBlock");
    }

    [Fact]
    public void Without_policy_types_a_policy_is_an_ingress_policy_plus_egress_only_when_it_has_egress_rules()
    {
        static List<string> Missing(params V1NetworkPolicySpec[] specs)
        {
            var objects = Bundle();
            objects.RemoveAll(o => o is V1NetworkPolicy { Metadata.Name: "default-deny" });
            objects.AddRange(specs.Select((spec, i) => Policy("p" + i, spec)));
            return [.. TenantValidator.Validate(objects).Where(f => f.RuleId == "SBX4002").Select(f => f.Message)];
        }

        var egressDeny = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), PolicyTypes = ["Egress"] };

        // An empty egress list is no egress rule: the policy denies ingress only.
        var emptyEgress = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), Egress = [] };
        Assert.Contains("denies egress by default", Assert.Single(Missing(emptyEgress)), StringComparison.Ordinal);
        Assert.Empty(Missing(emptyEgress, egressDeny));

        // With an egress rule and no ingress rule it is both, so it denies ingress.
        var withEgress = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector(),
            Egress = [new V1NetworkPolicyEgressRule { To = [Block("52.1.2.3/32")] }],
        };
        Assert.Empty(Missing(withEgress, egressDeny));
    }

    [Fact]
    public void Quota_gaps_are_named_and_any_container_default_memory_item_counts()
    {
        var objects = Bundle();
        objects.RemoveAll(o => o is V1ResourceQuota);
        var quota = Assert.Single(TenantValidator.Validate(objects));
        Assert.Equal("metadata.name", quota.Path);
        Assert.Contains("has no ResourceQuota, so", quota.Message, StringComparison.Ordinal);

        objects = Bundle();
        var limits = objects.OfType<V1LimitRange>().Single();
        limits.Spec.Limits.Insert(0, new V1LimitRangeItem { Type = "Pod", Max = new Dictionary<string, ResourceQuantity> { ["memory"] = new("8Gi") } });
        Assert.Empty(TenantValidator.Validate(objects)); // one item of the right kind is enough

        limits.Spec.Limits = [new V1LimitRangeItem { Type = "Pod", DefaultProperty = new Dictionary<string, ResourceQuantity> { ["memory"] = new("1Gi") } }];
        Assert.Contains("no LimitRange that gives containers a default memory limit", Assert.Single(TenantValidator.Validate(objects)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_Security_findings_name_the_label_they_read()
    {
        var objects = Bundle();
        var labels = Namespace(objects).Metadata.Labels;
        labels.Remove("pod-security.kubernetes.io/enforce");
        var missing = Assert.Single(TenantValidator.Validate(objects));
        Assert.Equal("metadata.labels['pod-security.kubernetes.io/enforce']", missing.Path);
        Assert.Contains("has no Pod Security enforce label", missing.Message, StringComparison.Ordinal);

        labels["pod-security.kubernetes.io/enforce"] = "restricted";
        labels.Remove("pod-security.kubernetes.io/enforce-version");
        var unpinned = Assert.Single(TenantValidator.Validate(objects));
        Assert.Equal("metadata.labels['pod-security.kubernetes.io/enforce-version']", unpinned.Path);
        Assert.Contains("does not pin the Pod Security version", unpinned.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_and_dataplane_checks_need_their_label_and_annotation_set_to_the_value()
    {
        var objects = Bundle();
        Namespace(objects).Metadata.Labels[TenantIsolation.CustomerManagedKeyLabel] = "false";
        objects.Add(new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data", NamespaceProperty = "t1" }, Spec = new V1PersistentVolumeClaimSpec() });
        Assert.Empty(TenantValidator.Validate(objects));

        var ns = Namespace(objects);
        ns.Metadata.Annotations ??= new Dictionary<string, string>();
        ns.Metadata.Annotations[TenantLabels.NetworkDataplaneAnnotation] = "calico";
        Assert.DoesNotContain(On(objects, Policy("pods", Egress(Block("10.244.0.0/16")))), f => f.RuleId == "SBX4011");
    }

    [Fact]
    public void On_Cilium_rules_without_peers_are_read_and_a_fully_excepted_narrow_block_is_not_reported()
    {
        var objects = Bundle(b => b.WithCiliumDataplane());
        objects.Add(Policy("ports-only", new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector(),
            PolicyTypes = ["Ingress", "Egress"],
            Egress = [new V1NetworkPolicyEgressRule { Ports = [new V1NetworkPolicyPort { Port = 443 }] }],
            Ingress = [new V1NetworkPolicyIngressRule { Ports = [new V1NetworkPolicyPort { Port = 8080 }] }],
        }));
        Assert.DoesNotContain(TenantValidator.Validate(objects), f => f.RuleId == "SBX4011");

        Assert.DoesNotContain(On(objects, Policy("excepted", Egress(Block("10.244.1.0/24", "10.244.1.0/24")))), f => f.RuleId == "SBX4011");
        var reached = Assert.Single(On(objects, Policy("reached", Egress(Block("10.244.1.0/24")))), f => f.RuleId == "SBX4011");
        Assert.Contains("'reached'", reached.Message, StringComparison.Ordinal);
        Assert.Contains("10.244.1.0/24", reached.Message, StringComparison.Ordinal);
        Assert.Contains("10.244.0.0/16", reached.Message, StringComparison.Ordinal);

        Assert.Empty(On(objects, Policy("garbage", Egress(Block("10.244.0.0/33"))))); // the API server refuses it; nothing to judge

        var named = Bundle(b => b.WithCiliumDataplane().WithClusterNetworks("10.244.0.0/16", "10.10.0.0/16"));
        Assert.Contains("10.244.0.0/16, 10.10.0.0/16", Assert.Single(On(named, Policy("both", Egress(Block("10.0.0.0/8")))), f => f.RuleId == "SBX4011").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dual_stack_check_reads_only_egress_IPv6_everything_blocks_excepting_only_private_ranges()
    {
        var objects = Bundle(b => b.WithDualStack());
        string Ipv6(IEnumerable<SandboxFinding> findings) => string.Join("\n", findings.Where(f => f.Message.Contains("IPv6 node subnet", StringComparison.Ordinal)).Select(f => f.Path));

        Assert.Equal("spec.egress[0].to[0].ipBlock", Ipv6(On(objects, Policy("v6-all", Egress(Block("::/0", "fc00::/7"))))));
        var finding = TenantValidator.Validate(objects).First(f => f.Name == "v6-all" && f.Message.Contains("IPv6 node subnet", StringComparison.Ordinal));
        Assert.Contains("'v6-all'", finding.Message, StringComparison.Ordinal);
        Assert.Contains("ipBlock ::/0 excepts only unique-local and link-local ranges", finding.Message, StringComparison.Ordinal);
        Assert.Contains("WithClusterNetworks or --cluster-networks", finding.Message, StringComparison.Ordinal);

        Assert.Equal("", Ipv6(On(objects, Policy("v6-node-excepted", Egress(Block("::/0", "fc00::/7", "2001:db8::/32"))))));
        Assert.Equal("", Ipv6(On(objects, Policy("v6-global", Egress(Block("2000::/3", "fc00::/7"))))));
        Assert.Equal("", Ipv6(On(objects, Policy("v4-all", Egress(Block("0.0.0.0/0"))))));
        Assert.Equal("", Ipv6(On(objects, Policy("v6-ingress", Ingress(Block("::/0"))))));
    }

    [Fact]
    public void Egress_findings_say_what_is_open_in_the_words_of_the_policy()
    {
        var objects = Bundle();
        var noTo = On(objects, Policy("no-to", new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector(),
            PolicyTypes = ["Egress"],
            Egress = [new V1NetworkPolicyEgressRule()],
        }));
        Assert.Equal(["SBX4003 spec.egress[0].to", "SBX4004 spec.egress[0].to"], noTo.Select(f => f.RuleId + " " + f.Path));
        Assert.Contains("'no-to'", noTo[0].Message, StringComparison.Ordinal);
        Assert.Contains("the metadata endpoint 169.254.169.254 and the WireServer 168.63.129.16 too (the rule has no 'to')", noTo[0].Message, StringComparison.Ordinal);
        Assert.Contains("with only ports it also opens the API server", noTo[1].Message, StringComparison.Ordinal);

        var both = Assert.Single(On(objects, Policy("link-local", Egress(Block("169.254.0.0/16", "169.254.1.0/24")))), f => f.RuleId == "SBX4003");
        Assert.Contains("the metadata endpoint 169.254.169.254 (ipBlock 169.254.0.0/16 covers it and no except does)", both.Message, StringComparison.Ordinal);
        var wide = On(objects, Policy("wide", Egress(Block("128.0.0.0/1"))));
        Assert.Contains("the metadata endpoint 169.254.169.254 and Azure's WireServer 168.63.129.16 (ipBlock 128.0.0.0/1 covers them and no except does)",
            Assert.Single(wide, f => f.RuleId == "SBX4003").Message, StringComparison.Ordinal);
        Assert.Contains("the private ranges 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16 (ipBlock 128.0.0.0/1 without a matching except)",
            Assert.Single(wide, f => f.RuleId == "SBX4004").Message, StringComparison.Ordinal);
        Assert.Contains("the private range 10.0.0.0/8 (ipBlock 10.0.0.0/8 without a matching except)",
            Assert.Single(On(objects, Policy("ten", Egress(Block("10.0.0.0/8")))), f => f.RuleId == "SBX4004").Message, StringComparison.Ordinal);
        Assert.Contains("fc00::/7", Assert.Single(On(objects, Policy("v6", Egress(Block("::/0")))), f => f.RuleId == "SBX4004").Message, StringComparison.Ordinal);
        Assert.Empty(On(objects, Policy("garbage", Egress(Block("not-a-cidr")))));
    }

    [Fact]
    public void A_system_namespace_named_by_an_In_requirement_is_found_and_other_requirements_are_not()
    {
        var objects = Bundle();
        var system = Assert.Single(On(objects, Policy("kube-dns-all", Egress(Namespaces(new V1LabelSelector { MatchExpressions = [Requirement("kubernetes.io/metadata.name", "In", "kube-system")] })))));
        Assert.Equal(("SBX4004", "spec.egress[0].to[0].podSelector"), (system.RuleId, system.Path));
        Assert.Contains("every pod in the system namespace kube-system", system.Message, StringComparison.Ordinal);

        Assert.Empty(On(objects, Policy("two", Egress(Namespaces(new V1LabelSelector { MatchExpressions = [Requirement("kubernetes.io/metadata.name", "In", "kube-system", "t2")] })))));
        Assert.Empty(On(objects, Policy("other-key", Egress(Namespaces(new V1LabelSelector { MatchExpressions = [Requirement("team", "In", "kube-system")] })))));
        Assert.Empty(On(objects, Policy("not-in", Egress(Namespaces(new V1LabelSelector { MatchExpressions = [Requirement("kubernetes.io/metadata.name", "NotIn", "kube-system"), Requirement("team", "In", "a")] })))));
        Assert.Empty(On(objects, Policy("tenant", Egress(Namespaces(new V1LabelSelector { MatchExpressions = [Requirement("kubernetes.io/metadata.name", "In", "t2")] })))));
    }

    [Fact]
    public void Ingress_findings_name_every_namespace_every_address_or_the_private_ranges()
    {
        var objects = Bundle();
        string Message(string name, V1NetworkPolicyPeer peer) => Assert.Single(On(objects, Policy(name, Ingress(peer)))).Message;

        Assert.Contains("every pod in every namespace", Message("all-ns", Namespaces(new V1LabelSelector())), StringComparison.Ordinal);
        Assert.Contains("pods in every namespace but a few", Message("but-few", Namespaces(
            new V1LabelSelector { MatchLabels = new Dictionary<string, string>(), MatchExpressions = [Requirement("team", "DoesNotExist")] },
            new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } })), StringComparison.Ordinal);
        Assert.Contains("every pod in every namespace but a few", Message("exists-but", Namespaces(new V1LabelSelector
        {
            MatchExpressions = [Requirement("kubernetes.io/metadata.name", "Exists"), Requirement("kubernetes.io/metadata.name", "NotIn", "t1")],
        })), StringComparison.Ordinal);
        var exists = Message("exists", Namespaces(new V1LabelSelector { MatchExpressions = [Requirement("kubernetes.io/metadata.name", "Exists")] }));
        Assert.Contains("every pod in every namespace", exists, StringComparison.Ordinal);
        Assert.DoesNotContain("but a few", exists, StringComparison.Ordinal);
        Assert.Contains("every address (ipBlock 0.0.0.0/0)", Message("anywhere", Block("0.0.0.0/0")), StringComparison.Ordinal);
        Assert.Contains("the private range fc00::/7 (ipBlock fc00::/7), where other tenants' pods live", Message("ula", Block("fc00::/7")), StringComparison.Ordinal);
        Assert.Contains("the private ranges 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16 (ipBlock 128.0.0.0/1), where", Message("upper-half", Block("128.0.0.0/1")), StringComparison.Ordinal);

        Assert.Empty(On(objects, Policy("excepted", Ingress(Block("10.0.0.0/8", "10.0.0.0/8")))));
        Assert.Empty(On(objects, Policy("labelled", Ingress(Namespaces(new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["team"] = "a" },
            MatchExpressions = [Requirement("kubernetes.io/metadata.name", "Exists")],
        })))));
        Assert.Empty(On(objects, Policy("exists-other", Ingress(Namespaces(new V1LabelSelector { MatchExpressions = [Requirement("team", "Exists")] })))));
        Assert.Empty(On(objects, Policy("in", Ingress(Namespaces(new V1LabelSelector { MatchExpressions = [Requirement("kubernetes.io/metadata.name", "In", "t2")] })))));
        Assert.Empty(On(objects, Policy("mixed", Ingress(Namespaces(new V1LabelSelector
        {
            MatchExpressions = [Requirement("kubernetes.io/metadata.name", "Exists"), Requirement("team", "In", "a")],
        })))));
    }

    [Fact]
    public void Storage_findings_name_the_class_the_namespace_and_each_claim()
    {
        const string des = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/keys-rg/providers/Microsoft.Compute/diskEncryptionSets/tenant-des";
        var objects = Bundle(b => b.WithEncryptedStorage(des).WithCustomerManagedKeyRequired());
        objects.OfType<V1StorageClass>().Single().Parameters.Remove("diskEncryptionSetID");
        objects.Add(new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "t1" },
            Spec = new V1StatefulSetSpec
            {
                Selector = new V1LabelSelector(),
                Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RuntimeClassName = "kata-vm-isolation", AutomountServiceAccountToken = false, Containers = [] } },
                VolumeClaimTemplates =
                [
                    new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data" }, Spec = new V1PersistentVolumeClaimSpec() },
                    new V1PersistentVolumeClaim { Spec = new V1PersistentVolumeClaimSpec { StorageClassName = "t1-cmk" } },
                ],
            },
        });
        objects.Add(new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "scratch", NamespaceProperty = "t1" }, Spec = new V1PersistentVolumeClaimSpec { StorageClassName = "t1-cmk" } });
        var noClaims = TestObjects.StatefulSet("cache");
        noClaims.Metadata.NamespaceProperty = "t1";
        objects.Add(noClaims); // no volumeClaimTemplates: no claim to judge
        var findings = TenantValidator.Validate(objects).Where(f => f.RuleId == "SBX4008").ToList();
        Assert.Equal(
            ["StorageClass parameters", "Namespace metadata.labels['sandboxing.sdk/require-customer-managed-key']", "PersistentVolumeClaim spec.storageClassName", "StatefulSet spec.volumeClaimTemplates[0].spec.storageClassName", "StatefulSet spec.volumeClaimTemplates[1].spec.storageClassName"],
            findings.Select(f => f.Kind + " " + f.Path));
        Assert.StartsWith("StorageClass 't1-cmk' in tenant 't1': it has no diskEncryptionSetID, so its disks use platform-managed keys", findings[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("Namespace 't1' in tenant 't1': the tenant requires a customer-managed key but none of the StorageClasses labelled for it has one", findings[1].Message, StringComparison.Ordinal);
        Assert.StartsWith("claim 'scratch' in tenant 't1': its StorageClass 't1-cmk' has no diskEncryptionSetID", findings[2].Message, StringComparison.Ordinal);
        Assert.StartsWith("claim 'data' in tenant 't1': it names no storageClassName, so it gets the cluster's default class", findings[3].Message, StringComparison.Ordinal);
        Assert.StartsWith("claim '' in tenant 't1': its StorageClass 't1-cmk' has no diskEncryptionSetID", findings[4].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_findings_read_the_account_and_a_blank_per_rule_exemption_exempts_nothing()
    {
        var tenant = TenantIsolation.For("t1").WithServiceAccount("runner").Build();
        V1Pod Pod(string? account, bool? automount, string? exemption = null) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = "p", NamespaceProperty = "t1",
                Annotations = exemption is null ? null : new Dictionary<string, string> { ["sandboxing.sdk/exempt.SBX4006"] = exemption },
            },
            Spec = new V1PodSpec
            {
                RuntimeClassName = "kata-vm-isolation", ServiceAccountName = account, AutomountServiceAccountToken = automount,
                Containers = [new V1Container { Name = "c", Image = "img:1", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("1Gi") } } }],
            },
        };
        List<SandboxFinding> Tokens(V1Pod pod, params object[] extra) => [.. TenantValidator.Validate([.. tenant, .. extra, pod]).Where(f => f.RuleId == "SBX4006")];

        Assert.Empty(Tokens(Pod("runner", null)));                      // the account turns the token off
        var ghost = Assert.Single(Tokens(Pod("ghost", null)));
        Assert.Equal("spec.automountServiceAccountToken", ghost.Path);
        Assert.Contains("its ServiceAccount 'ghost' is not among the checked objects", ghost.Message, StringComparison.Ordinal);
        var open = new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "open", NamespaceProperty = "t1" }, AutomountServiceAccountToken = true };
        Assert.Contains("neither the pod nor its ServiceAccount 'open' sets automountServiceAccountToken to false", Assert.Single(Tokens(Pod("open", null), open)).Message, StringComparison.Ordinal);
        Assert.Single(Tokens(Pod(null, true, exemption: " ")));
        Assert.Empty(Tokens(Pod(null, true, exemption: "the runner calls the API on purpose")));
    }

    [Fact]
    public void Workload_ID_reads_the_pod_template_s_labels_and_names_the_default_account()
    {
        var tenant = TenantIsolation.For("t1").Build();
        var deployment = TestObjects.Deployment("web");
        deployment.Metadata.NamespaceProperty = "t1";
        deployment.Metadata.Labels = new Dictionary<string, string> { ["app"] = "web" };
        deployment.Spec.Template.Metadata.Labels = new Dictionary<string, string> { [TenantLabels.WorkloadIdentityUse] = "true" };
        deployment.Spec.Template.Spec.ServiceAccountName = null;
        var finding = Assert.Single(TenantValidator.Validate([.. tenant, deployment]), f => f.RuleId == "SBX4007");
        Assert.Equal("spec.template.spec.serviceAccountName", finding.Path);
        Assert.Contains("service account 'default' is the namespace's default account (the pod names none)", finding.Message, StringComparison.Ordinal);

        deployment.Spec.Template.Spec.ServiceAccountName = "elsewhere"; // not among the objects: nothing to judge
        Assert.DoesNotContain(TenantValidator.Validate([.. tenant, deployment]), f => f.RuleId == "SBX4007");
    }

    [Fact]
    public void Workload_ID_reads_the_pods_labels_not_the_workload_s()
    {
        var tenant = TenantIsolation.For("t1").Build();
        var deployment = TestObjects.Deployment("web");
        deployment.Metadata.NamespaceProperty = "t1";
        deployment.Metadata.Labels = new Dictionary<string, string> { [TenantLabels.WorkloadIdentityUse] = "true" };
        deployment.Spec.Template.Metadata = null; // the pods carry no label, so the webhook leaves them alone
        deployment.Spec.Template.Spec.ServiceAccountName = null;
        Assert.DoesNotContain(TenantValidator.Validate([.. tenant, deployment]), f => f.RuleId == "SBX4007");
    }
}
