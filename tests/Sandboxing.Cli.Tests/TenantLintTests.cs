using System.Text;

namespace Sandboxing.Cli.Tests;

/// <summary><c>sandboxing lint</c> reports the tenant-isolation rules (SBX4xxx) on YAML, as the validator does on objects.</summary>
public sealed class TenantLintTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbx-tenant-lint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_tenant_namespace_without_its_bundle_is_reported_at_the_namespace()
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
        Assert.Contains("tenant.yaml:1:1: warning SBX4002", run.Output);
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
}
