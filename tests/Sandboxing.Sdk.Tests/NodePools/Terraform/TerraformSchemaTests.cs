using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.NodePools.Terraform;

/// <summary>The Terraform the SDK writes, checked against the schema of the azurerm major version it pins.</summary>
public class TerraformSchemaTests
{
    [Fact]
    public void The_schema_is_of_the_pinned_provider_major()
    {
        // ">= 5.0.0, < 6.0.0": the fixture must come from a release inside that range.
        string constraint = TerraformEmitter.ProviderConstraint;
        var version = Version.Parse(AzurermSchema.ProviderVersion);
        Assert.Equal($">= {version.Major}.0.0, < {version.Major + 1}.0.0", constraint);
        Assert.True(Version.Parse(TerraformEmitter.MinimumProvider) < version);
    }

    [Theory]
    [MemberData(nameof(AksClusterTests.Variants), MemberType = typeof(AksClusterTests))]
    public void Clusters_fit_the_provider_schema(string variant)
    {
        var tf = Hcl.Parse(AksClusterTests.Get(variant).ToTerraform());
        Assert.Empty(AzurermSchema.Check(tf));
        Assert.Equal("azurerm_kubernetes_cluster", tf.Blocks.First(b => b.Type == "resource").Labels[0]);
    }

    [Theory]
    [MemberData(nameof(NodePoolVariants.Names), MemberType = typeof(NodePoolVariants))]
    public void Node_pools_fit_the_provider_schema_except_the_legacy_runtime(string variant)
    {
        var problems = AzurermSchema.Check(Hcl.Parse(NodePoolVariants.Get(variant).ToTerraform()));
        if (variant == "legacy")
        {
            // The preview runtime is not in azurerm's enum; the output says so in a comment.
            Assert.Equal(["azurerm_kubernetes_cluster_node_pool.katalegacy.workload_runtime: \"KataMshvVmIsolation\" is not one of KataVmIsolation, OCIContainer, WasmWasi"], problems);
        }
        else
        {
            Assert.Empty(problems);
        }
    }

    [Fact]
    public void A_cluster_without_a_network_policy_engine_leaves_the_argument_out()
    {
        var cluster = AksCluster.ForSandboxing("sandbox-aks", "sandbox-rg", "westeurope").WithNetworkPolicy(AksNetworkPolicy.None).WithoutTenantIsolation().Build();
        var tf = Hcl.Parse(cluster.ToTerraform());
        Assert.Empty(AzurermSchema.Check(tf));
        var network = tf.Blocks.Single(b => b.Type == "resource").Blocks.Single(b => b.Type == "network_profile");
        Assert.DoesNotContain(network.Attributes, a => a.Name == "network_policy");
    }

    [Fact]
    public void The_check_rejects_the_4x_cluster_shape_and_values_azurerm_does_not_accept()
    {
        string tf = AksClusterTests.Get("Minimal").ToTerraform();
        string fourX = tf.Replace("  node_provisioning_profile {\n    mode = \"Manual\"\n  }\n", "", StringComparison.Ordinal)
            .Replace("network_policy      = \"cilium\"", "network_policy      = \"none\"", StringComparison.Ordinal)
            .Replace("fips_enabled ", "fips_on      ", StringComparison.Ordinal);
        Assert.Equal(
        [
            "azurerm_kubernetes_cluster.sandbox-aks.default_node_pool.fips_on: not an argument",
            "azurerm_kubernetes_cluster.sandbox-aks.network_profile.network_policy: \"none\" is not one of calico, azure, cilium",
            "azurerm_kubernetes_cluster.sandbox-aks.node_provisioning_profile: required, missing",
        ], AzurermSchema.Check(Hcl.Parse(fourX)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_reader_refuses_what_it_does_not_understand() =>
        Assert.Throws<FormatException>(() => Hcl.Parse("resource \"azurerm_kubernetes_cluster\" \"x\" {\n  name = \"x\n}\n"));
}
