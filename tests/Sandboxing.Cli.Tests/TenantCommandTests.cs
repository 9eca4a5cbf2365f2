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
    public void On_cilium_an_allow_cidr_into_the_pod_range_is_printed_and_reported_on_stderr_and_by_check()
    {
        string[] args = ["tenant", "tenant-42", "--network-dataplane", "cilium", "--cluster-networks", "10.244.0.0/16,10.224.0.0/16", "--allow-cidr", "10.244.7.0/24:5432"];
        var run = CliRunner.Run(Fixtures, args);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("sandboxing.sdk/network-dataplane: cilium", run.Output);
        Assert.DoesNotContain("SBX4011", run.Output);                      // stdout stays YAML for kubectl
        Assert.Contains("SBX4011", run.Error);
        Assert.Contains("10.244.7.0/24", run.Error);

        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "tenant.yaml"), run.Output);
        var check = CliRunner.Run(directory, "tenant", "--check", "tenant.yaml");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("SBX4011", check.Output);

        // The same rule on the azure dataplane, or a selector instead of a block, is silent.
        var azure = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--network-dataplane", "azure", "--cluster-networks", "10.244.0.0/16", "--allow-cidr", "10.244.7.0/24:5432");
        Assert.Equal((0, ""), (azure.ExitCode, azure.Error));
        var selector = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--network-dataplane", "cilium", "--allow-namespace", "shared-db:5432");
        Assert.Equal((0, ""), (selector.ExitCode, selector.Error));
    }

    [Fact]
    public void Dual_stack_internet_egress_asks_for_the_IPv6_node_subnet()
    {
        var open = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--egress", "internet", "--dual-stack");
        Assert.Equal(0, open.ExitCode);
        Assert.Contains("SBX4004", open.Error);
        Assert.Contains("IPv6 node subnet", open.Error);

        var named = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--egress", "internet", "--dual-stack", "--cluster-networks", "10.244.0.0/16,2001:db8:10::/64");
        Assert.Equal((0, ""), (named.ExitCode, named.Error));
        Assert.Contains("2001:db8:10::/64", named.Output);
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
