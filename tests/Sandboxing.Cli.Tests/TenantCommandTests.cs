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
        string[] args = ["tenant", "tenant-42", "--network-dataplane", "cilium", "--cluster-networks", "10.244.0.0/16,10.224.0.0/16", "--allow-cidr", "10.244.7.0/24:5432", "--force-cidr"];
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
        var azure = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--network-dataplane", "azure", "--cluster-networks", "10.244.0.0/16", "--allow-cidr", "10.244.7.0/24:5432", "--force-cidr");
        Assert.Equal(0, azure.ExitCode);
        Assert.DoesNotContain("SBX4011", azure.Error);
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

        var named = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--egress", "internet", "--dual-stack", "--cluster-networks", "10.244.0.0/16,2001:db8:10::/64", "--api-server", "20.1.2.3/32");
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

    [Theory]
    [InlineData("kube-system")]
    [InlineData("default")]
    [InlineData("kyverno")]
    [InlineData("app-routing-system")]
    public void A_system_namespace_is_refused_as_a_tenant_with_exit_2_and_the_reason(string name)
    {
        var run = CliRunner.Run(Fixtures, "tenant", name, "--operators", "8f2a1c3e-0000-4000-8000-000000000042", "--operators-edit");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.StartsWith($"error: the tenant name '{name}' is a system namespace (", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("169.254.169.254/32", "the cloud metadata endpoint 169.254.169.254, IPv4 link-local 169.254.0.0/16 (SBX4003)")]
    [InlineData("168.63.129.16/32:80", "Azure's WireServer 168.63.129.16 (SBX4003)")]
    [InlineData("160.0.0.0/4", "the cloud metadata endpoint 169.254.169.254, Azure's WireServer 168.63.129.16, IPv4 link-local 169.254.0.0/16 (SBX4003)")]
    [InlineData("fe80::/64", "IPv6 link-local fe80::/10 (SBX4003)")]
    [InlineData("10.244.0.0/24", "the cluster network 10.244.0.0/16 (SBX4004)")]
    public void An_allowed_cidr_that_reaches_a_reserved_range_exits_2_naming_the_flag_and_the_rule(string cidr, string reaches)
    {
        var run = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--cluster-networks", "10.244.0.0/16", "--allow-cidr", cidr);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains($"error: --allow-cidr '{cidr}': ", run.Error, StringComparison.Ordinal);
        Assert.Contains($"reaches {reaches}", run.Error, StringComparison.Ordinal);
        Assert.Contains("--force-cidr", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Forced_the_cidr_is_emitted_and_the_check_reports_it()
    {
        var directory = CliRunner.TempCopy();
        var run = CliRunner.Run(directory, "tenant", "tenant-42", "--allow-cidr", "169.254.169.254/32:80", "--force-cidr", "-o", "tenant.yaml");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("169.254.169.254/32", File.ReadAllText(Path.Combine(directory, "tenant.yaml")));

        var check = CliRunner.Run(directory, "tenant", "--check", "tenant.yaml");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("warning SBX4003", check.Output);
    }

    [Fact]
    public void Force_cidr_without_an_allowed_cidr_is_refused_rather_than_ignored()
    {
        var run = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--force-cidr");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("error: --force-cidr forces --allow-cidr blocks, and none is given", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Internet_egress_without_the_api_server_warns_what_is_missing_and_the_flag_to_add()
    {
        var run = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--egress", "internet");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: --egress internet without --api-server", run.Error, StringComparison.Ordinal);
        Assert.Contains("add --api-server <cidr>", run.Error, StringComparison.Ordinal);

        var given = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--egress", "internet", "--api-server", "20.1.2.3/32");
        Assert.Equal("", given.Error);
    }

    [Fact]
    public void Operators_edit_binds_the_bundles_role_not_the_edit_cluster_role()
    {
        var run = CliRunner.Run(Fixtures, "tenant", "tenant-42", "--operators", "8f2a1c3e-0000-4000-8000-000000000042", "--operators-edit");
        Assert.Equal(0, run.ExitCode);
        string yaml = run.Output.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains("\nkind: Role\n", yaml, StringComparison.Ordinal);
        Assert.Contains("roleRef:\n  kind: Role\n  apiGroup: rbac.authorization.k8s.io\n  name: tenant-operators-edit\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("name: edit", run.Output, StringComparison.Ordinal);
    }
}
