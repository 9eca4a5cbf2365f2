using System.Text;

namespace Sandboxing.Cli.Tests;

/// <summary><c>sandboxing lint</c> reports the tenant-isolation rules (SBX4xxx) on YAML, as the validator does on objects.</summary>
public sealed class TenantLintTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbx-tenant-lint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_tenant_namespace_without_its_bundle_is_reported_at_the_namespace_name()
    {
        File.WriteAllText(Path.Combine(_dir, "tenant.yaml"), """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: tenant-42
              labels:
                sandboxing.sdk/tenant: tenant-42
            """);

        var run = CliRunner.Run(_dir, "lint", "tenant.yaml");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("tenant.yaml:4:3: warning SBX4002", run.Output);
        Assert.Contains("SBX4005", run.Output);
    }

    [Fact]
    public void The_bundle_the_tenant_command_prints_lints_clean()
    {
        var bundle = CliRunner.Run(_dir, "tenant", "tenant-42");
        Assert.Equal(0, bundle.ExitCode);

        var run = CliRunner.Run(_dir, Encoding.UTF8.GetBytes(bundle.Output), "lint", "-");

        Assert.DoesNotContain("SBX4", run.Output);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void Tenant_check_finds_egress_to_every_namespace_system_pods_and_the_wire_server_and_ingress_from_everywhere()
    {
        var bundle = CliRunner.Run(_dir, "tenant", "tenant-42", "-o", "bundle.yaml");
        Assert.Equal(0, bundle.ExitCode);
        File.WriteAllText(Path.Combine(_dir, "open.yaml"), """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: wide-egress
              namespace: tenant-42
            spec:
              podSelector: {}
              policyTypes: [Egress]
              egress:
              - to:
                - namespaceSelector:
                    matchExpressions:
                    - {key: kubernetes.io/metadata.name, operator: Exists}
              - to:
                - namespaceSelector:
                    matchLabels: {kubernetes.io/metadata.name: kube-system}
              - to:
                - ipBlock: {cidr: 168.63.129.16/32}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: wide-ingress
              namespace: tenant-42
            spec:
              podSelector: {}
              policyTypes: [Ingress]
              ingress:
              - from:
                - namespaceSelector: {}
              - from:
                - ipBlock: {cidr: 0.0.0.0/0}
            """);

        var run = CliRunner.Run(_dir, "tenant", "--check", "bundle.yaml", "open.yaml");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("open.yaml:11:7: warning SBX4004", run.Output);
        Assert.Contains("every pod in every namespace", run.Output);
        Assert.Contains("open.yaml:15:7: warning SBX4004", run.Output);
        Assert.Contains("every pod in the system namespace kube-system", run.Output);
        Assert.Contains("open.yaml:18:7: warning SBX4003", run.Output);
        Assert.Contains("Azure's WireServer 168.63.129.16", run.Output);
        Assert.Contains("open.yaml:30:7: warning SBX4010", run.Output);
        Assert.Contains("open.yaml:32:7: warning SBX4010", run.Output);
        Assert.Contains("every address (ipBlock 0.0.0.0/0)", run.Output);
    }

    [Fact]
    public void Files_without_a_tenant_namespace_get_no_tenant_findings()
    {
        File.WriteAllText(Path.Combine(_dir, "plain.yaml"), """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: team-a
            """);

        var run = CliRunner.Run(_dir, "lint", "plain.yaml");

        Assert.DoesNotContain("SBX4", run.Output);
        Assert.Equal(0, run.ExitCode);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("sarif")]
    public void Tenant_check_prints_the_report_of_lint_with_the_tenant_profile(string format)
    {
        var bundle = CliRunner.Run(_dir, "tenant", "tenant-42").Output;
        var documents = bundle.Split("---\n", StringSplitOptions.RemoveEmptyEntries);
        File.WriteAllText(Path.Combine(_dir, "namespace.yaml"), documents[0]);
        File.WriteAllText(Path.Combine(_dir, "policies.yaml"), string.Join("---\n", documents.Skip(1).Where(d => !d.Contains("kind: ResourceQuota", StringComparison.Ordinal))));
        File.WriteAllText(Path.Combine(_dir, "pod.yaml"), """
            apiVersion: v1
            kind: Pod
            metadata: {name: agent, namespace: tenant-42}
            spec:
              automountServiceAccountToken: true
              containers:
              - name: agent
                image: agent:1
            """);

        var lint = CliRunner.Run(_dir, "lint", "--profile", "tenant", "-f", format, "--color", "never", "namespace.yaml", "policies.yaml", "pod.yaml");
        var check = CliRunner.Run(_dir, "tenant", "--check", "namespace.yaml", "policies.yaml", "pod.yaml", "-f", format, "--color", "never");

        Assert.Equal(lint.Output, check.Output);
        Assert.Equal(lint.ExitCode, check.ExitCode);
        Assert.Equal(1, check.ExitCode);
        // SARIF lists every rule's metadata; its results name theirs as ruleId.
        string Reported(string id) => format == "sarif" ? $"\"ruleId\": \"{id}\"" : id;
        Assert.Contains(Reported("SBX4005"), check.Output);  // the quota is missing from every file
        Assert.Contains(Reported("SBX4006"), check.Output);  // the pod in another file mounts its token
        Assert.Contains(Reported("SBX1001"), check.Output);  // and the pod rules run too
        Assert.DoesNotContain(Reported("SBX4002"), check.Output); // the default-deny policies are in policies.yaml
        if (format == "text")
        {
            Assert.Contains("pod.yaml:5:3: warning SBX4006", check.Output);
        }
    }

    [Fact]
    public void Without_the_tenant_profile_each_file_is_checked_alone()
    {
        var documents = CliRunner.Run(_dir, "tenant", "tenant-42").Output.Split("---\n", StringSplitOptions.RemoveEmptyEntries);
        File.WriteAllText(Path.Combine(_dir, "namespace.yaml"), documents[0]);
        File.WriteAllText(Path.Combine(_dir, "rest.yaml"), string.Join("---\n", documents.Skip(1)));

        Assert.Contains("SBX4002", CliRunner.Run(_dir, "lint", "namespace.yaml", "rest.yaml").Output);
        Assert.DoesNotContain("SBX4", CliRunner.Run(_dir, "lint", "--profile", "tenant", "namespace.yaml", "rest.yaml").Output);
    }
}
