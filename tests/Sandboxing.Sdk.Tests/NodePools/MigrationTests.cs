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
    public void A_flag_read_from_input_is_quoted_so_it_cannot_run_in_the_migrated_command()
    {
        var migration = AksMigration.FromAzCli(
            "az aks nodepool add -g rg --cluster-name c --name kata --workload-runtime KataVmIsolation '--labels=$(touch x)' '--tags=a'\\''b'");
        Assert.Contains(" '--labels=$(touch x)'", migration.Migrated, StringComparison.Ordinal);
        Assert.Contains(" '--tags=a'\\''b'", migration.Migrated, StringComparison.Ordinal);
        Assert.Contains(" --cluster-name c", migration.Migrated, StringComparison.Ordinal);

        // The migrated command splits back into the same words: nothing in it is shell syntax.
        Assert.Equal(AksMigration.Split(migration.Migrated)[4..], AksMigration.Split(
            "az aks nodepool add -g rg --cluster-name c --name kata --workload-runtime KataVmIsolation '--labels=$(touch x)' '--tags=a'\\''b'")[4..]);
    }

    [Theory]
    [InlineData("--labels=$(touch x)", "--labels=$(touch", "command substitution")]
    [InlineData("--labels=\"$(touch x)\"", "--labels=$(touch", "command substitution")]
    [InlineData("--tags `id`", "`id`", "command substitution")]
    [InlineData("-g rg; rm -rf /", "rg;", "second command (';')")]
    [InlineData("-g rg && echo", "&&", "'&&'")]
    [InlineData("-g rg | tee log", "|", "pipe")]
    [InlineData("-g rg > out", ">", "redirection")]
    [InlineData("-g rg 2>/dev/null", "2>/dev/null", "redirection")]
    [InlineData("-g $RG", "$RG", "shell variable")]
    public void Shell_syntax_is_refused_with_the_word_it_is_in(string tail, string token, string what)
    {
        var e = Assert.Throws<ArgumentException>(() => AksMigration.FromAzCli("az aks nodepool add --cluster-name c --name kata " + tail));
        Assert.Contains($"'{token}", e.Message, StringComparison.Ordinal);
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"workloadRuntime\": 5", "$.resources[0].properties.workloadRuntime: expected a string, found a number (5)")]
    [InlineData("\"count\": \"x\"", "$.resources[0].properties.count: expected a whole number, found a string (\"x\")")]
    [InlineData("\"count\": 2.5", "$.resources[0].properties.count: expected a whole number, found a number (2.5)")]
    [InlineData("\"osSKU\": [\"Mariner\"]", "$.resources[0].properties.osSKU: expected a string, found an array")]
    [InlineData("\"enableFIPS\": \"yes\"", "$.resources[0].properties.enableFIPS: expected true or false, found a string")]
    [InlineData("\"nodeTaints\": \"a=b:NoSchedule\"", "$.resources[0].properties.nodeTaints: expected an array, found a string")]
    public void A_value_of_the_wrong_type_is_refused_with_its_json_path(string property, string message)
    {
        var json = "{\"resources\": [{\"type\": \"Microsoft.ContainerService/managedClusters/agentPools\", \"apiVersion\": \"2023-02-02-preview\", " +
            "\"name\": \"c/kata\", \"properties\": {\"vmSize\": \"Standard_D4s_v5\", " + property + "}}]}";
        var e = Assert.Throws<ArgumentException>(() => AksMigration.FromArm(json));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_arm_expression_stands_for_a_value_of_any_type()
    {
        var json = "{\"resources\": [{\"type\": \"Microsoft.ContainerService/managedClusters/agentPools\", \"apiVersion\": \"2024-02-01\", \"name\": \"c/kata\", " +
            "\"properties\": {\"vmSize\": \"Standard_D4s_v5\", \"workloadRuntime\": \"KataVmIsolation\", \"osSKU\": \"AzureLinux\", " +
            "\"count\": \"[parameters('count')]\", \"enableFIPS\": \"[parameters('fips')]\", \"availabilityZones\": \"[parameters('zones')]\"}}]}";
        var migration = AksMigration.FromArm(json);
        Assert.Contains("\"count\": \"[parameters('count')]\"", migration.Migrated, StringComparison.Ordinal);
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
        Assert.DoesNotContain(AksNodePool.ForSandboxing(expected).InCluster("c", "rg").WithVmSize("Standard_D4s_v5").Validate(),
            f => f.RuleId == SandboxRules.NodePoolInvalidName.Id);
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
