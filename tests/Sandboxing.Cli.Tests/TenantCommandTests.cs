namespace Sandboxing.Cli.Tests;

public class TenantCommandTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    [Theory]
    [InlineData("tenant")]
    [InlineData("cluster")]
    public void Help_has_examples(string command)
    {
        var run = CliRunner.Run(Fixtures, command, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Examples:", run.Output);
        Assert.Contains($"sandboxing {command} ", run.Output);
    }

    [Fact]
    public void Tenant_prints_the_bundle_and_the_bundle_passes_its_own_check()
    {
        var run = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--egress", "internet", "--cluster-networks", "10.244.0.0/16,10.0.0.0/16",
            "--api-server", "20.1.2.3/32", "--ingress-from", "ingress-nginx/app.kubernetes.io/name=ingress-nginx:8080", "--allow-cidr", "fd12::/64:443");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("kind: Namespace", run.Output);
        Assert.Contains("pod-security.kubernetes.io/enforce: restricted", run.Output);
        Assert.Contains("20.1.2.3/32", run.Output);
        Assert.Contains("cidr: fd12::/64", run.Output);
        Assert.Contains("port: 8080", run.Output);

        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "tenant.yaml"), run.Output);
        var check = CliRunner.Run(directory, "tenant", "--check", "tenant.yaml");
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("0 findings", check.Output);

        File.WriteAllText(Path.Combine(directory, "tenant.yaml"), run.Output.Replace("enforce: restricted", "enforce: baseline", StringComparison.Ordinal));
        var bad = CliRunner.Run(directory, "tenant", "--check", "tenant.yaml");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("SBX4009", bad.Output);
    }

    [Fact]
    public void Local_dns_allows_dns_to_the_node_proxy_and_the_bundle_passes_its_own_check()
    {
        var plain = CliRunner.Run(Fixtures, "tenant", "tenant-42");
        Assert.DoesNotContain("169.254.10.10", plain.Output);

        var run = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--local-dns");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("cidr: 169.254.10.10/32", run.Output);
        Assert.Contains("cidr: 169.254.10.11/32", run.Output);

        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "tenant.yaml"), run.Output);
        var check = CliRunner.Run(directory, "tenant", "--check", "tenant.yaml");
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("0 findings", check.Output);
    }

    [Fact]
    public void Tenant_with_bad_settings_lists_each_field_and_prints_nothing()
    {
        var run = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--workload-identity", "not-a-guid", "--allow-cidr", "10.0.0.0/40");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("workloadIdentity.clientId", run.Error);
        Assert.Contains("egress.cidrs[0].cidr", run.Error);
    }

    [Theory]
    [InlineData("az", "az aks create")]
    [InlineData("bicep", "Microsoft.ContainerService/managedClusters@")]
    [InlineData("arm", "\"enableAzureRBAC\": true")]
    [InlineData("terraform", "resource \"azurerm_kubernetes_cluster\"")]
    [InlineData("rest", "PUT https://management.azure.com/")]
    public void Cluster_in_each_format(string format, string expected)
    {
        var run = CliRunner.Run(Fixtures, "cluster", "-n", "sandbox-aks", "-g", "sandbox-rg", "-l", "westeurope", "--tenant-pool", "-f", format);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains(expected, run.Output);
        Assert.Contains("KataVmIsolation", run.Output);
    }

    [Fact]
    public void Cluster_without_network_policy_is_refused_for_tenants()
    {
        var run = CliRunner.Run(Fixtures, "cluster", "-n", "sandbox-aks", "-g", "sandbox-rg", "-l", "westeurope", "--network-policy", "none");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("SBX3030 properties.networkProfile.networkPolicy", run.Error);
        Assert.Equal("", run.Output);
    }
}
