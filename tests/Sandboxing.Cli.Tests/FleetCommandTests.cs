using System.Text.Json.Nodes;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Cli.Tests;

/// <summary><c>fleet placement</c> and <c>policy --engine azure-policy</c>: the SDK's output, in the CLI's words on errors.</summary>
public class FleetCommandTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    [Fact]
    public void Fleet_placement_prints_what_the_sdk_builds_for_the_same_choices()
    {
        var run = CliRunner.Run(Fixtures, "fleet", "placement", "--cluster-selector", "env=prod,region=westeurope", "--tenants", "tenant-a",
            "--engine", "mutating", "--exemptions-configmap", "sandboxing-system");
        Assert.Equal(0, run.ExitCode);
        var expected = SandboxFleet.For(SandboxPolicy.DefaultToSandbox().WithExemptionConfigMap("sandboxing-system"))
            .WithClusterLabel("env", "prod").WithClusterLabel("region", "westeurope").WithTenants(TenantIsolation.For("tenant-a").Build()).ToYaml();
        Assert.Equal(expected, run.Output);
    }

    [Fact]
    public void Fleet_placement_help_has_examples_and_a_missing_subcommand_is_a_usage_error()
    {
        var help = CliRunner.Run(Fixtures, "fleet", "placement", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("sandboxing fleet placement ", help.Output, StringComparison.Ordinal);
        var bare = CliRunner.Run(Fixtures, "fleet");
        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("Usage: sandboxing fleet", bare.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cluster-selector env", "--cluster-selector 'env' is not key=value")]
    [InlineData("--cluster-selector sandboxing.sdk/mutating-admission-policy=v1", "pass another label to --cluster-selector")]
    [InlineData("--checks bogus", "--checks 'bogus' is not a profile or check")]
    [InlineData("--tenants Bad_Name", "--tenants 'Bad_Name'")]
    [InlineData("--name aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "give a shorter --name")]
    public void Fleet_placement_errors_name_the_flag(string arguments, string message)
    {
        var run = CliRunner.Run(Fixtures, ["fleet", "placement", .. arguments.Split(' ')]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public void Policy_engine_azure_policy_prints_json_by_default_and_bicep_at_the_scope_asked()
    {
        var json = CliRunner.Run(Fixtures, "policy", "--engine", "azure-policy", "--mutate");
        Assert.Equal(0, json.ExitCode);
        var definitions = JsonNode.Parse(json.Output)!["policyDefinitions"]!.AsArray();
        Assert.Equal(2, definitions.Count);
        Assert.All(definitions, d => Assert.Equal("Microsoft.Kubernetes.Data", (string?)d!["properties"]!["mode"]));

        var bicep = CliRunner.Run(Fixtures, "policy", "--engine", "azure-policy", "-f", "bicep", "--scope", "subscription");
        Assert.Equal(0, bicep.ExitCode);
        Assert.Contains("targetScope = 'subscription'", bicep.Output, StringComparison.Ordinal);
        Assert.Equal(SandboxFleet.For(SandboxPolicy.RequireSandbox()).ToAzurePolicyBicep(subscriptionScope: true), bicep.Output);
    }

    [Theory]
    [InlineData("policy -f bicep", "--format applies to --engine azure-policy")]
    [InlineData("policy --engine azure-policy --scope subscription", "--scope sets the Bicep file's targetScope; add -f bicep")]
    [InlineData("policy --engine azure-policy --test .", "leave out --engine kyverno, --engine azure-policy")]
    public void Azure_policy_flags_out_of_place_are_refused_with_the_fix(string arguments, string message)
    {
        var run = CliRunner.Run(Fixtures, arguments.Split(' '));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }
}
