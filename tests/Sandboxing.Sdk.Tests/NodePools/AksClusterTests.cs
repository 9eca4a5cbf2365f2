using System.Text.Json.Nodes;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.NodePools;

public class AksClusterTests
{
    private const string Des = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/keys-rg/providers/Microsoft.Compute/diskEncryptionSets/aks-des";
    private const string Admins = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";

    public static TheoryData<string> Variants() => new(["Minimal", "Full", "Calico"]);

    internal static AksCluster Get(string variant) => variant switch
    {
        "Minimal" => AksCluster.ForSandboxing("sandbox-aks", "sandbox-rg", "westeurope").Build(),
        "Full" => AksCluster.ForSandboxing("sandbox-aks", "sandbox-rg", "westeurope")
            .WithSubscription("11111111-2222-3333-4444-555555555555")
            .WithKubernetesVersion("1.35")
            .WithSystemPool("Standard_D4s_v5", 3)
            .WithNodePool(AksNodePool.ForSandboxing("tenants").InCluster("sandbox-aks", "sandbox-rg", "11111111-2222-3333-4444-555555555555")
                .WithVmSize("Standard_D8s_v5").WithAutoscaling(1, 10).WithNodeTaint(AksNodeTaint.SandboxDefault).WithNodeLabel("workload", "tenant")
                .WithEncryptionAtHost().Build())
            .WithNetworkPolicy(AksNetworkPolicy.Cilium)
            .WithNetwork("10.244.0.0/16", "10.0.0.0/16", "10.0.0.10")
            .WithEntraId(adminGroupObjectIds: [Admins])
            .WithDiskEncryptionSet(Des)
            .WithEncryptionAtHost()
            .Build(),
        "Calico" => AksCluster.ForSandboxing("sandbox-aks", "sandbox-rg", "westeurope").WithNetworkPolicy(AksNetworkPolicy.Calico).Build(),
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    [Trait("Category", "Slow")]
    [Theory]
    [MemberData(nameof(Variants))]
    public void Bicep_builds_without_diagnostics_and_matches_the_emitted_arm(string variant)
    {
        var cluster = Get(variant);
        var (json, diagnostics, exitCode) = BicepCompiler.Build(cluster.ToBicep(), "cluster-" + variant);
        Assert.True(exitCode == 0, $"bicep build failed ({exitCode}):\n{diagnostics}");
        Assert.True(diagnostics.Trim().Length == 0, $"bicep build reported diagnostics:\n{diagnostics}");

        var compiled = JsonNode.Parse(json)!.AsObject();
        var emitted = JsonNode.Parse(cluster.ToArmTemplate())!.AsObject();
        foreach (var doc in new[] { compiled, emitted })
        {
            doc.Remove("metadata");
            doc.Remove("outputs");
        }

        Assert.True(JsonNode.DeepEquals(compiled, emitted),
            $"The ARM template differs from bicep build's output.\nbicep build:\n{compiled.ToJsonString()}\nemitted:\n{emitted.ToJsonString()}");
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Bicep_compiler_rejects_an_unknown_cluster_property()
    {
        var bicep = Get("Minimal").ToBicep().Replace("    disableLocalAccounts: true", "    disableLocalAccounts: true\n    kataEverywhere: true", StringComparison.Ordinal);
        Assert.Contains("BCP037", BicepCompiler.Build(bicep, "cluster-unknown").Diagnostics, StringComparison.Ordinal);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Bicep_compiler_has_the_types_of_the_default_api_version_but_not_of_a_later_one()
    {
        // BCP081 "does not have types available": the default passes only while the compiler the tests run knows it.
        string bicep = Get("Full").ToBicep();
        Assert.Contains($"@{AksApiVersions.Default}'", bicep, StringComparison.Ordinal);
        Assert.DoesNotContain("BCP081", BicepCompiler.Build(bicep, "cluster-default-api").Diagnostics, StringComparison.Ordinal);
        string later = bicep.Replace($"@{AksApiVersions.Default}'", "@2099-01-01'", StringComparison.Ordinal);
        Assert.Contains("BCP081", BicepCompiler.Build(later, "cluster-later-api").Diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Outputs_match_golden(string variant)
    {
        var cluster = Get(variant);
        Golden.Match(cluster.ToAzCli(), "sh", name: "AzCli." + variant);
        Golden.Match(cluster.ToBicep(), "bicep", name: "Bicep." + variant);
        Golden.Match(cluster.ToTerraform(), "tf", name: "Terraform." + variant);
        Golden.Match(cluster.ToRestRequest().ToString(), "http", name: "Rest." + variant);
    }

    [Fact]
    public void The_full_cluster_says_what_the_issue_asks_for_in_every_format()
    {
        var cluster = Get("Full");
        var props = JsonNode.Parse(cluster.ToRestRequest().Body)!["properties"]!;
        Assert.Equal("KataVmIsolation", (string?)props["agentPoolProfiles"]![0]!["workloadRuntime"]);
        Assert.Equal("System", (string?)props["agentPoolProfiles"]![0]!["mode"]);
        Assert.True((bool)props["agentPoolProfiles"]![1]!["enableEncryptionAtHost"]!);
        Assert.Equal("cilium", (string?)props["networkProfile"]!["networkPolicy"]);
        Assert.Equal("cilium", (string?)props["networkProfile"]!["networkDataplane"]);
        Assert.True((bool)props["oidcIssuerProfile"]!["enabled"]!);
        Assert.True((bool)props["securityProfile"]!["workloadIdentity"]!["enabled"]!);
        Assert.True((bool)props["aadProfile"]!["enableAzureRBAC"]!);
        Assert.Equal(Des, (string?)props["diskEncryptionSetID"]);

        var az = cluster.ToAzCli();
        foreach (var flag in new[] { "--workload-runtime KataVmIsolation", "--network-policy cilium", "--network-dataplane cilium", "--enable-oidc-issuer",
            "--enable-workload-identity", "--enable-aad", "--enable-azure-rbac", "--disable-local-accounts", "--enable-encryption-at-host",
            "--node-osdisk-diskencryptionset-id", "az aks nodepool add" })
        {
            Assert.Contains(flag, az);
        }

        var tf = cluster.ToTerraform();
        foreach (var text in new[] { "version = \">= 5.0.0, < 6.0.0\"", "node_provisioning_profile", "workload_runtime        = \"KataVmIsolation\"", "host_encryption_enabled = true",
            "oidc_issuer_enabled       = true", "network_policy      = \"cilium\"", "azure_rbac_enabled", "azurerm_kubernetes_cluster_node_pool" })
        {
            Assert.Contains(text, tf);
        }
    }

    [Fact]
    public void Network_policy_none_is_an_error_under_the_tenant_profile_and_a_warning_without()
    {
        var error = Assert.Throws<SandboxValidationException>(() =>
            AksCluster.ForSandboxing("sandbox-aks", "sandbox-rg", "westeurope").WithNetworkPolicy(AksNetworkPolicy.None).Build());
        var finding = Assert.Single(error.Findings);
        Assert.Equal(("SBX3030", "properties.networkProfile.networkPolicy"), (finding.RuleId, finding.Path));

        var relaxed = AksCluster.ForSandboxing("sandbox-aks", "sandbox-rg", "westeurope").WithNetworkPolicy(AksNetworkPolicy.None).WithoutTenantIsolation().Build();
        Assert.Equal("SBX3030", Assert.Single(relaxed.Findings).RuleId);
        Assert.Contains("networkPolicy: 'none'", relaxed.ToBicep());
    }

    [Theory]
    [InlineData("SBX3031", "properties.oidcIssuerProfile.enabled", "oidc")]
    [InlineData("SBX3033", "properties.networkProfile.networkPolicy", "dataplane")]
    [InlineData("SBX3034", "location", "location")]
    [InlineData("SBX3034", "properties.diskEncryptionSetID", "des")]
    [InlineData("SBX3034", "properties.networkProfile.dnsServiceIP", "dns")]
    [InlineData("SBX3034", "properties.aadProfile.adminGroupObjectIDs[0]", "admins")]
    [InlineData("SBX3034", "properties.kubernetesVersion", "version")]
    [InlineData("SBX3035", "properties.agentPoolProfiles", "legacy")]
    [InlineData("SBX3003", "properties.vmSize", "size")]
    public void Bad_clusters_fail_at_build_naming_the_field(string rule, string path, string what)
    {
        var builder = AksCluster.ForSandboxing("sandbox-aks", "sandbox-rg", what == "location" ? "West Europe" : "westeurope");
        _ = what switch
        {
            "oidc" => builder.WithOidcIssuer(false),
            "dataplane" => builder.WithNetworkPolicy(AksNetworkPolicy.Calico, dataplane: "cilium"),
            "des" => builder.WithDiskEncryptionSet("aks-des"),
            "dns" => builder.WithNetwork("10.244.0.0/16", "10.0.0.0/16", "10.1.0.10"),
            "admins" => builder.WithEntraId(adminGroupObjectIds: ["platform-admins"]),
            "version" => builder.WithKubernetesVersion("1.26"),
            "legacy" => builder.WithApiVersion(AksApiVersions.NewestPreview).WithSystemPool(AksNodePool.ForSandboxing("system").InCluster("sandbox-aks", "sandbox-rg")
                .WithMode(AksNodePoolMode.System).WithVmSize("Standard_D4s_v5").WithWorkloadRuntime(AksWorkloadRuntime.KataMshvVmIsolation).Build()),
            "size" => builder.WithSystemPool("Standard_D4as_v4", 2),
            _ => builder,
        };

        var error = Assert.Throws<SandboxValidationException>(() => builder.Build());
        Assert.Contains(error.Findings, f => f.RuleId == rule && f.Path == path);
    }

    [Fact]
    public void Warnings_for_entra_without_azure_rbac_and_local_accounts()
    {
        var cluster = AksCluster.ForSandboxing("sandbox-aks", "sandbox-rg", "westeurope").WithEntraId(azureRbac: false, disableLocalAccounts: false).Build();
        var finding = Assert.Single(cluster.Findings);
        Assert.Equal("SBX3032", finding.RuleId);
        Assert.Contains("Azure RBAC for Kubernetes authorization is off and local accounts are enabled", finding.Message);
    }

    [Fact]
    public void A_pool_of_another_cluster_is_refused()
    {
        var pool = AksNodePool.ForSandboxing("kata").InCluster("other-aks", "sandbox-rg").WithVmSize("Standard_D4s_v5").Build();
        var error = Assert.Throws<SandboxValidationException>(() => AksCluster.ForSandboxing("sandbox-aks", "sandbox-rg", "westeurope").WithNodePool(pool).Build());
        Assert.Contains(error.Findings, f => f.Path == "properties.agentPoolProfiles[1]" && f.Message.Contains("other-aks"));
    }
}

public class NodePoolEncryptionAtHostTests
{
    [Trait("Category", "Slow")]
    [Fact]
    public void Encryption_at_host_and_pod_subnet_in_every_format_and_bicep_builds()
    {
        const string subnets = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/net-rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/";
        var pool = AksNodePool.ForSandboxing("kata").InCluster("sandbox-aks", "sandbox-rg").WithVmSize("Standard_D4s_v5")
            .WithEncryptionAtHost().WithSubnets(subnets + "nodes", subnets + "pods").Build();
        Assert.True(pool.EnableEncryptionAtHost);
        Assert.Contains("--enable-encryption-at-host", pool.ToAzCli());
        Assert.Contains("--pod-subnet-id", pool.ToAzCli());
        Assert.Matches(@"host_encryption_enabled\s+= true", pool.ToTerraform());
        Assert.True((bool)JsonNode.Parse(pool.ToRestRequest().Body)!["properties"]!["enableEncryptionAtHost"]!);
        var (_, diagnostics, exitCode) = BicepCompiler.Build(pool.ToBicep(), "pool-encryption-at-host");
        Assert.True(exitCode == 0 && diagnostics.Trim().Length == 0, diagnostics);

        var plain = AksNodePool.ForSandboxing("kata").InCluster("sandbox-aks", "sandbox-rg").WithVmSize("Standard_D4s_v5").Build();
        Assert.DoesNotContain("encryption", plain.ToAzCli() + plain.ToTerraform() + plain.ToBicep(), StringComparison.OrdinalIgnoreCase);
    }
}
