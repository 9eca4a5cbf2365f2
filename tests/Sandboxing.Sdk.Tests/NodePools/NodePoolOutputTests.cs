using System.Diagnostics;
using System.Text.Json.Nodes;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.NodePools;

public class NodePoolOutputTests
{
    [Theory]
    [MemberData(nameof(NodePoolVariants.Names), MemberType = typeof(NodePoolVariants))]
    public void AzCli_matches_golden(string variant) => Golden.Match(NodePoolVariants.Get(variant).ToAzCli(), "sh", name: "AzCli." + variant);

    [Theory]
    [MemberData(nameof(NodePoolVariants.Names), MemberType = typeof(NodePoolVariants))]
    public void Bicep_matches_golden(string variant) => Golden.Match(NodePoolVariants.Get(variant).ToBicep(), "bicep", name: "Bicep." + variant);

    [Theory]
    [MemberData(nameof(NodePoolVariants.Names), MemberType = typeof(NodePoolVariants))]
    public void Arm_matches_golden(string variant) => Golden.Match(NodePoolVariants.Get(variant).ToArmTemplate(), "json", name: "Arm." + variant);

    [Theory]
    [MemberData(nameof(NodePoolVariants.Names), MemberType = typeof(NodePoolVariants))]
    public void Terraform_matches_golden(string variant) => Golden.Match(NodePoolVariants.Get(variant).ToTerraform(), "tf", name: "Terraform." + variant);

    [Theory]
    [MemberData(nameof(NodePoolVariants.Names), MemberType = typeof(NodePoolVariants))]
    public void Rest_matches_golden(string variant) => Golden.Match(NodePoolVariants.Get(variant).ToRestRequest().ToString(), "http", name: "Rest." + variant);

    [Theory]
    [MemberData(nameof(NodePoolVariants.Names), MemberType = typeof(NodePoolVariants))]
    public void Every_format_is_deterministic(string variant)
    {
        var a = NodePoolVariants.Get(variant);
        var b = NodePoolVariants.Get(variant);
        Assert.Equal(a.ToAzCli(), b.ToAzCli());
        Assert.Equal(a.ToBicep(), b.ToBicep());
        Assert.Equal(a.ToArmTemplate(), b.ToArmTemplate());
        Assert.Equal(a.ToTerraform(), b.ToTerraform());
        Assert.Equal(a.ToRestRequest().ToString(), b.ToRestRequest().ToString());
    }

    [Trait("Category", "Slow")]
    [Theory]
    [MemberData(nameof(NodePoolVariants.Names), MemberType = typeof(NodePoolVariants))]
    public void Bicep_builds_without_diagnostics_and_matches_the_emitted_arm(string variant)
    {
        var pool = NodePoolVariants.Get(variant);
        var (json, diagnostics, exitCode) = BicepCompiler.Build(pool.ToBicep(), variant);
        Assert.True(exitCode == 0, $"bicep build failed ({exitCode}):\n{diagnostics}");
        Assert.True(diagnostics.Trim().Length == 0, $"bicep build reported diagnostics:\n{diagnostics}");

        var compiled = JsonNode.Parse(json)!.AsObject();
        var emitted = JsonNode.Parse(pool.ToArmTemplate())!.AsObject();
        compiled.Remove("metadata");
        emitted.Remove("metadata");
        Assert.True(JsonNode.DeepEquals(compiled, emitted),
            $"The ARM template differs from bicep build's output.\nbicep build:\n{compiled.ToJsonString()}\nemitted:\n{emitted.ToJsonString()}");
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Bicep_compiler_reports_a_property_aks_does_not_know()
    {
        // The check above can fail: an unknown property is a BCP037 diagnostic.
        var bicep = NodePoolVariants.Minimal().ToBicep().Replace("    enableFIPS: false", "    enableFIPS: false\n    kataTurbo: true", StringComparison.Ordinal);
        var (_, diagnostics, _) = BicepCompiler.Build(bicep, "unknown-property");
        Assert.Contains("BCP037", diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Arm_escapes_values_that_look_like_expressions()
    {
        var tags = JsonNode.Parse(NodePoolVariants.Hostile().ToArmTemplate())!["resources"]![0]!["properties"]!["tags"]!;
        Assert.Equal("[[starts with a bracket]", (string?)tags["[bracket"]);
        var rest = JsonNode.Parse(NodePoolVariants.Hostile().ToRestRequest().Body)!["properties"]!["tags"]!;
        Assert.Equal("[starts with a bracket]", (string?)rest["[bracket"]);
    }

    [Fact]
    public void Az_cli_passes_hostile_values_to_the_shell_unchanged()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var pool = NodePoolVariants.Hostile();
        // Replace az with a function that prints each argument on its own line (NUL-separated), and run the script in bash.
        var script = "az() { printf '%s\\0' \"$@\"; printf '\\n---\\n'; }\n" + pool.ToAzCli();
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        Assert.False(File.Exists("/tmp/pwned") && File.GetLastWriteTimeUtc("/tmp/pwned") > DateTime.UtcNow.AddMinutes(-1), "the shell ran a command substitution");

        var commands = output.Split("\n---\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, commands.Length);
        var add = commands[0].Split('\0')[..^1];
        Assert.Equal(["aks", "nodepool", "add"], add[..3]);
        int tags = Array.IndexOf(add, "--tags");
        Assert.Equal(["[bracket=[starts with a bracket]", "owner's team=" + NodePoolVariants.HostileTag], add[(tags + 1)..(tags + 3)]);
        Assert.Equal("rg.(prod)-1", add[Array.IndexOf(add, "--resource-group") + 1]);
        var update = commands[1].Split('\0')[..^1];
        Assert.Equal(["aks", "update", "--resource-group", "rg.(prod)-1", "--name", "myAKSCluster"], update);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "''")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$(id)", "'$(id)'")]
    [InlineData("-x", "'-x'")]
    [InlineData("k=v:NoSchedule,a=b:NoExecute", "k=v:NoSchedule,a=b:NoExecute")]
    public void Shell_quoting(string value, string expected) => Assert.Equal(expected, NodePoolEmittersAccess.ShellQuote(value));

    [Fact]
    public void Terraform_names_the_provider_requirement_and_escapes_templates()
    {
        var tf = NodePoolVariants.Hostile().ToTerraform();
        Assert.Contains("PR #32579", tf, StringComparison.Ordinal);
        Assert.Contains("      source  = \"hashicorp/azurerm\"\n      version = \">= 5.0.0, < 6.0.0\"\n", tf, StringComparison.Ordinal);
        Assert.Contains("workload_runtime      = \"KataVmIsolation\"", tf, StringComparison.Ordinal);
        Assert.Contains("os_sku                = \"AzureLinux\"", tf, StringComparison.Ordinal);
        Assert.Contains("$${x} %%{y}", tf, StringComparison.Ordinal);
        Assert.Contains("\\\"quoted\\\"", tf, StringComparison.Ordinal);
    }

    [Fact]
    public void Rest_url_carries_the_api_version_and_escapes_segments()
    {
        var request = NodePoolVariants.Hostile().ToRestRequest();
        Assert.Equal("PUT", request.Method);
        Assert.Equal(
            "https://management.azure.com/subscriptions/{subscriptionId}/resourceGroups/rg.%28prod%29-1/providers/Microsoft.ContainerService/managedClusters/myAKSCluster/agentPools/kata?api-version=" + AksApiVersions.Default,
            request.Url);
        Assert.Equal("KataVmIsolation", (string?)JsonNode.Parse(request.Body)!["properties"]!["workloadRuntime"]);
    }

    [Fact]
    public void Legacy_runtime_defaults_to_the_newest_preview_api_and_warns()
    {
        var pool = NodePoolVariants.Legacy();
        Assert.Equal(AksApiVersions.NewestPreview, pool.ApiVersion);
        Assert.Contains(pool.Findings, f => f.RuleId == "SBX3007");
        Assert.Contains("aks-preview", pool.ToAzCli(), StringComparison.Ordinal);
    }
}
