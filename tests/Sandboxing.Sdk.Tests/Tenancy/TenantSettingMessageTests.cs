namespace Sandboxing.Sdk.Tests.Tenancy;

// A refused tenant setting (SBX4001) names the field, the value given and what would do: the words the builder's user reads
// before anything reaches a cluster.
public class TenantSettingMessageTests
{
    private const string Des = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/keys-rg/providers/Microsoft.Compute/diskEncryptionSets/tenant-des";

    public static TheoryData<string, string> Settings() => new()
    {
        { "name", "name: the tenant (namespace) name 'Tenant_42' " },
        { "system", "name: 'kube-system' is a system namespace (the kube- prefix is reserved for Kubernetes system namespaces); a tenant needs a namespace of its own, such as tenant-system" },
        { "ns-key", "namespaceLabels['bad key!']: label key 'bad key!' " },
        { "ns-value", "namespaceLabels['team']: label value 'bad value!' " },
        { "policy-label", "admissionPolicyLabel: label key 'bad key!' " },
        { "pss", "podSecurityVersion: 'latest' is not a pinned version such as " },
        { "dns-ns", "dns.namespace: the DNS namespace 'Kube_DNS' " },
        { "dns-label", "dns.podLabel: label key 'bad key!' " },
        { "cluster", "clusterNetworks[0]: '10.0.0.0' is not a CIDR block" },
        { "api", "apiServer.cidr: 'api.example.com' is not a CIDR block" },
        { "api-port", "apiServer.port: port 0 is not between 1 and 65535" },
        { "except-outside", "egress.cidrs[0].except[0]: 52.1.0.0/24 is not strictly inside the block 52.0.0.0/16; Kubernetes rejects an except range outside its cidr" },
        { "except-equal", "egress.cidrs[0].except[0]: 52.0.0.0/16 is not strictly inside the block 52.0.0.0/16" },
        { "reserved", "egress.cidrs[0].cidr: 169.254.0.0/16 reaches the cloud metadata endpoint 169.254.169.254, IPv4 link-local 169.254.0.0/16 (SBX4003); except those ranges, use WithInternetEgress() for the internet, or pass force: true to WithEgressToCidr if the tenant must reach them" },
        { "egress-ns", "egress.namespaces[0].namespace: the namespace 'Bad_NS' " },
        { "ingress-label", "ingress.namespaces[0].podLabels['bad key!']: label key 'bad key!' " },
        { "port", "ingress.namespaces[0].ports[0]: port 70000 is not between 1 and 65535" },
        { "protocol", "egress.namespaces[0].ports[0]: protocol 'ICMP' is not TCP, UDP or SCTP" },
        { "quota-cpu", "quota.cpu: '0' is not a positive Kubernetes quantity (for example 8 or 500m)" },
        { "quota-memory", "quota.memory: '16GB' is not a positive Kubernetes quantity (for example 16Gi)" },
        { "quota-pods", "quota.pods: 0 pods admits no pod at all; give at least 1" },
        { "min", "containerDefaults.minMemory: 64Mi is under 128Mi, the smallest pod VM Pod Sandboxing supports" },
        { "default-under-min", "containerDefaults.memory: the default memory 192Mi is under the minimum 256Mi, so containers without limits are rejected" },
        { "quota-below-min", "quota.memory: the quota 64Mi is below the LimitRange minimum 128Mi: no container fits" },
        { "quota-below-default", "quota.memory: the quota 256Mi is below the LimitRange default 1Gi: no container with the default limit fits" },
        { "sa", "serviceAccount.name: 'Bad_SA' " },
        { "client", "workloadIdentity.clientId: 'my-client' is not a GUID (the managed identity's or app registration's client ID, xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)" },
        { "entra-tenant", "workloadIdentity.tenantId: 'contoso.onmicrosoft.com' is not a GUID (the Microsoft Entra tenant ID)" },
        { "group", "operators.groupObjectId: 'platform-admins' is not a GUID (the Entra group's object ID)" },
        { "des", "storage.diskEncryptionSetId: 'tenant-des' is not a disk encryption set resource ID (/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Compute/diskEncryptionSets/<name>)" },
        { "storage-class", "storage.storageClassName: 'Bad_SC' " },
        { "cmk", "storage.diskEncryptionSetId: the tenant requires a customer-managed key but has no disk encryption set; call WithEncryptedStorage(diskEncryptionSetId)" },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void A_refused_setting_names_the_field_the_value_and_the_fix(string what, string expected)
    {
        const string clientId = "6f1d2c3b-4a59-4e8f-9a7b-1c2d3e4f5a6b";
        var builder = TenantIsolation.For(what switch { "name" => "Tenant_42", "system" => "kube-system", _ => "t1" });
        _ = what switch
        {
            "ns-key" => builder.WithNamespaceLabel("bad key!", "x"),
            "ns-value" => builder.WithNamespaceLabel("team", "bad value!"),
            "policy-label" => builder.WithAdmissionPolicyLabel("bad key!"),
            "pss" => builder.WithPodSecurityVersion("latest"),
            "dns-ns" => builder.WithClusterDns("Kube_DNS"),
            "dns-label" => builder.WithClusterDns(podLabelKey: "bad key!"),
            "cluster" => builder.WithClusterNetworks("10.0.0.0"),
            "api" => builder.WithApiServerAddress("api.example.com"),
            "api-port" => builder.WithApiServerAllowed("10.0.0.1/32", 0),
            "except-outside" => builder.WithEgressToCidr("52.0.0.0/16", except: ["52.1.0.0/24"]),
            "except-equal" => builder.WithEgressToCidr("52.0.0.0/16", except: ["52.0.0.0/16"]),
            "reserved" => builder.WithEgressToCidr("169.254.0.0/16"),
            "egress-ns" => builder.WithEgressToNamespace("Bad_NS"),
            "ingress-label" => builder.WithIngressFromNamespace("ingress-nginx", new Dictionary<string, string> { ["bad key!"] = "x" }),
            "port" => builder.WithIngressFromNamespace("ingress-nginx", null, 70000),
            "protocol" => builder.WithEgressToNamespace("db", null, new TenantPort(5432, "ICMP")),
            "quota-cpu" => builder.WithQuota("0", "16Gi", 5, "1Gi"),
            "quota-memory" => builder.WithQuota("1", "16GB", 5, "1Gi"),
            "quota-pods" => builder.WithQuota("1", "16Gi", 0, "1Gi"),
            "min" => builder.WithContainerDefaults("1Gi", "1", minMemory: "64Mi"),
            "default-under-min" => builder.WithContainerDefaults("192Mi", "1", minMemory: "256Mi"),
            "quota-below-min" => builder.WithQuota("1", "64Mi", 5, "1Gi"),
            "quota-below-default" => builder.WithQuota("1", "256Mi", 5, "1Gi"),
            "sa" => builder.WithServiceAccount("Bad_SA"),
            "client" => builder.WithWorkloadIdentity("my-client"),
            "entra-tenant" => builder.WithWorkloadIdentity(clientId, "contoso.onmicrosoft.com"),
            "group" => builder.WithOperators("platform-admins"),
            "des" => builder.WithEncryptedStorage("tenant-des"),
            "storage-class" => builder.WithEncryptedStorage(Des, storageClassName: "Bad_SC"),
            "cmk" => builder.WithCustomerManagedKeyRequired(),
            _ => builder,
        };

        var error = Assert.Throws<SandboxValidationException>(() => builder.Build());
        Assert.Contains(error.Findings, f => f.RuleId == "SBX4001" && f.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_reserved_range_may_be_forced_and_a_strict_except_is_accepted()
    {
        Assert.NotEmpty(TenantIsolation.For("t1").WithEgressToCidr("169.254.0.0/16", force: true).Build());
        Assert.NotEmpty(TenantIsolation.For("t1").WithEgressToCidr("52.0.0.0/16", except: ["52.0.1.0/24"]).Build());
        Assert.NotEmpty(TenantIsolation.For("t1").WithContainerDefaults("256Mi", "1", minMemory: "256Mi").WithQuota("1", "256Mi", 1, "1Gi").Build());
    }
}
