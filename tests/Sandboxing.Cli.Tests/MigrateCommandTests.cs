using Sandboxing.Sdk.Aks;
using Sandboxing.Sdk.Tests;

namespace Sandboxing.Cli.Tests;

/// <summary>
/// `sandboxing migrate` from the Pod Sandboxing preview's exact commands (MicrosoftDocs/azure-aks-docs use-pod-sandboxing.md
/// @7fc2f147d, L108 and L143, the last version with --os-sku mariner) to the current ones (use-pod-sandboxing.md L112 @fb060abe6).
/// </summary>
public class MigrateCommandTests
{
    private static readonly string Fixtures = Path.Combine(CliRunner.FixturesDirectory(), "migrate");

    /// <summary>The multi-line az output as one line (the continuations joined).</summary>
    private static string OneLine(string az) => string.Join(' ', az.Replace("\\\n", " ", StringComparison.Ordinal).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void The_preview_nodepool_add_becomes_the_current_command_with_every_finding()
    {
        var run = CliRunner.Run(Fixtures, "migrate", "preview-nodepool-add.sh");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Golden.Match(run.Output, "sh", "az");
        Golden.Match(run.Error, "txt", "az.findings");
        // The current docs' command (use-pod-sandboxing.md L112), flag for flag, under a new name: a pool's runtime cannot change.
        Assert.Equal(
            "az aks nodepool add --cluster-name myAKSCluster --resource-group myResourceGroup --name nodepool3 --os-sku AzureLinux " +
            "--workload-runtime KataVmIsolation --node-vm-size Standard_D4s_v3",
            OneLine(run.Output));
        Assert.Contains("adds a new pool, 'nodepool3', to replace 'nodepool2'", run.Error, StringComparison.Ordinal);
        Assert.Contains("kubectl cordon -l agentpool=nodepool2", run.Error, StringComparison.Ordinal);
        Assert.Contains("kubectl drain -l agentpool=nodepool2 --ignore-daemonsets --delete-emptydir-data", run.Error, StringComparison.Ordinal);
        Assert.Contains("az aks nodepool delete --resource-group myResourceGroup --cluster-name myAKSCluster --name nodepool2", run.Error, StringComparison.Ordinal);
        Assert.Contains("SBX3007", run.Error, StringComparison.Ordinal);
        Assert.Contains("SBX3017", run.Error, StringComparison.Ordinal);
        Assert.Contains("previous-generation", run.Error, StringComparison.Ordinal);
        Assert.Contains("kata-mshv-vm-isolation", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_preview_create_becomes_the_current_create()
    {
        var run = CliRunner.Run(Fixtures, "migrate", "preview-create.sh");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Golden.Match(run.Output, "sh", "create");
        Assert.Equal(
            "az aks create --name myAKSCluster --resource-group myResourceGroup --os-sku AzureLinux --workload-runtime KataVmIsolation " +
            "--node-vm-size Standard_D4s_v3 --node-count 1",
            OneLine(run.Output));
    }

    [Fact]
    public void An_arm_agent_pool_gets_the_current_runtime_os_sku_and_a_stable_api_version()
    {
        var run = CliRunner.Run(Fixtures, "migrate", "preview-agentpool.json");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Golden.Match(run.Output, "json", "arm");
        Assert.Contains($"\"apiVersion\": \"{AksApiVersions.Default}\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("\"workloadRuntime\": \"KataVmIsolation\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("\"osSKU\": \"AzureLinux\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("SBX3007", run.Error, StringComparison.Ordinal);
        Assert.Contains("SBX3017", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_migrated_command_reads_back_clean()
    {
        var migrated = AksMigration.FromAzCli(File.ReadAllText(Path.Combine(Fixtures, "preview-nodepool-add.sh"))).Migrated;
        var again = AksMigration.FromAzCli(migrated);
        Assert.Empty(again.Findings);
        Assert.Equal(migrated, again.Migrated);
        var pool = AksNodePool.FromAzCli(migrated).Build();
        Assert.Equal(AksWorkloadRuntime.KataVmIsolation, pool.WorkloadRuntime);
        Assert.Equal(AksOsSku.AzureLinux, pool.OsSku);
        Assert.Equal("nodepool3", pool.Name);
    }

    [Theory]
    [InlineData("kubectl get pods", "Expected an 'az aks nodepool add' or 'az aks create' command line")]
    [InlineData("{ \"resources\": [] }", "no agent pool")]
    [InlineData("{ nope", "not JSON")]
    [InlineData("az aks nodepool add --name 'kata", "unclosed")]
    public void Bad_input_says_what_was_expected(string text, string message)
    {
        var run = CliRunner.Run(Fixtures, CliRunner.Utf8(text), "migrate", "-");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }
}
