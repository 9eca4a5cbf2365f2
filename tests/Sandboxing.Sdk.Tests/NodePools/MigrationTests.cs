using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.NodePools;

public class MigrationTests
{
    [Fact]
    public void Az_words_split_like_a_posix_shell()
    {
        Assert.Equal(["az", "aks", "nodepool", "add", "--name", "a b", "--tags", "x=it's", "--labels", "k=\"v\""],
            AksMigration.Split("az aks nodepool add \\\n  --name 'a b' \\\r\n  --tags \"x=it's\" --labels k=\\\"v\\\" # comment"));
    }

    [Fact]
    public void Unusual_values_are_requoted_in_the_migrated_command()
    {
        var migration = AksMigration.FromAzCli(
            "az aks nodepool add -g 'rg(prod)' --cluster-name c --name kata --os-sku CBLMariner --workload-runtime KataMshvVmIsolation -s Standard_D4s_v5 --tags 'team=a b'");
        Assert.Contains("-g 'rg(prod)'", migration.Migrated, StringComparison.Ordinal);
        Assert.Contains("--tags 'team=a b'", migration.Migrated, StringComparison.Ordinal);
        Assert.Contains("--os-sku AzureLinux", migration.Migrated, StringComparison.Ordinal);
        Assert.Equal(["SBX3017", "SBX3007"], migration.Findings.Select(f => f.RuleId));
    }

    [Fact]
    public void Arm_cluster_profiles_and_pool_settings_are_read_and_checked()
    {
        const string template = """
            {
              "resources": [
                {
                  "type": "Microsoft.ContainerService/managedClusters",
                  "apiVersion": "2026-05-01",
                  "name": "aks",
                  "properties": {
                    "agentPoolProfiles": [
                      { "name": "kata", "mode": "System", "osSKU": "AzureLinux", "vmSize": "Standard_D4ps_v5", "workloadRuntime": "KataVmIsolation",
                        "count": 2, "enableFIPS": true, "securityProfile": { "enableSecureBoot": true }, "artifactStreamingProfile": { "enabled": true } }
                    ]
                  }
                }
              ]
            }
            """;
        var findings = AksNodePool.FromArm(template).Validate();
        Assert.Equal(["SBX3005", "SBX3018", "SBX3019", "SBX3021"], findings.Select(f => f.RuleId));
        var migration = AksMigration.FromArm(template);
        Assert.Empty(migration.Notes); // nothing to rename: the findings need a human
        Assert.Equal(4, migration.Findings.Count);
    }

    [Fact]
    public void A_rest_body_is_an_agent_pool_too()
    {
        var pool = AksNodePool.FromArm("""{ "properties": { "osSKU": "AzureLinux", "vmSize": "Standard_D4s_v5", "workloadRuntime": "KataVmIsolation", "count": 1 } }""").Build();
        Assert.Equal("agentpool", pool.Name);
        Assert.Equal("Standard_D4s_v5", pool.VmSize);
    }

    [Theory]
    [InlineData("nodepool2", "nodepool3")]
    [InlineData("kata", "kata2")]
    [InlineData("katapool1234", "katapool1235")]
    [InlineData("abcdefghijkl", "abcdefghijk2")]
    [InlineData("abcdefghijk2", "abcdefghijk3")]
    public void A_replaced_pool_gets_a_new_valid_name(string old, string expected)
    {
        Assert.Equal(expected, AksMigration.ReplacementName(old));
        Assert.Empty(AksNodePool.ForSandboxing(expected).InCluster("c", "rg").WithVmSize("Standard_D4s_v5").Validate()
            .Where(f => f.RuleId == SandboxRules.NodePoolInvalidName.Id));
    }

    [Fact]
    public void Only_a_preview_runtime_pool_is_replaced()
    {
        var current = AksMigration.FromAzCli("az aks nodepool add -g rg --cluster-name c --name kata --os-sku mariner --workload-runtime KataVmIsolation -s Standard_D4s_v5");
        Assert.Contains("--name kata", current.Migrated, StringComparison.Ordinal);
        Assert.DoesNotContain(current.Notes, n => n.Contains("replace", StringComparison.Ordinal));

        var preview = AksMigration.FromAzCli("az aks nodepool add -g rg --cluster-name c -n kata --workload-runtime KataMshvVmIsolation -s Standard_D4s_v5");
        Assert.Contains("-n kata2", preview.Migrated, StringComparison.Ordinal);
    }
}
