using Sandboxing.Sdk.Tests;
using YamlDotNet.RepresentationModel;
using Sandboxing.Sdk.Catalog;
using Sandboxing.Sdk.Manifests;

namespace Sandboxing.Cli.Tests;

public class CommandTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    [Theory]
    [InlineData]
    [InlineData("lint")]
    [InlineData("fix")]
    [InlineData("nodepool")]
    [InlineData("plan")]
    [InlineData("migrate")]
    [InlineData("runtimes")]
    [InlineData("policy")]
    public void Every_command_has_help_with_examples(params string[] command)
    {
        var run = CliRunner.Run(Fixtures, [.. command, "--help"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Output);
        Assert.Contains("Examples:", run.Output);
        Assert.Contains("sandboxing " + (command.Length == 0 ? "" : command[0]), run.Output);
    }

    [Fact]
    public void Runtimes_lists_every_known_class_as_a_table()
    {
        var run = CliRunner.Run(Fixtures, "runtimes");
        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.TrimEnd('\n').Split('\n');
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.Equal(KnownRuntimeClasses.All.Count + 1, lines.Length);
        foreach (var known in KnownRuntimeClasses.All)
        {
            Assert.Contains(lines, l => l.StartsWith(known.Name + " ", StringComparison.Ordinal));
        }

        Assert.Contains(lines, l => l.StartsWith("kata-mshv-vm-isolation", StringComparison.Ordinal) && l.Contains("Deprecated", StringComparison.Ordinal) && l.EndsWith("kata-vm-isolation", StringComparison.Ordinal));
        Golden.Match(run.Output, "txt");
    }

    [Fact]
    public void Runtimes_as_json_has_one_entry_per_class()
    {
        var run = CliRunner.Run(Fixtures, "runtimes", "--format", "json");
        using var document = System.Text.Json.JsonDocument.Parse(run.Output);
        Assert.Equal(KnownRuntimeClasses.All.Count, document.RootElement.GetArrayLength());
    }

    [Fact]
    public void Policy_prints_the_admission_policy_and_binding()
    {
        var run = CliRunner.Run(Fixtures, "policy");
        Assert.Equal(0, run.ExitCode);
        var objects = SandboxManifest.Read(run.Output, "policy.yaml");
        var policy = Assert.IsType<k8s.Models.V1ValidatingAdmissionPolicy>(objects[0]);
        var binding = Assert.IsType<k8s.Models.V1ValidatingAdmissionPolicyBinding>(objects[1]);
        Assert.Equal(policy.Metadata.Name, binding.Spec.PolicyName);
        Assert.Equal(["Deny"], binding.Spec.ValidationActions);
        Assert.Equal("true", binding.Spec.MatchResources.NamespaceSelector.MatchLabels["sandboxing.sdk/enforce"]);
        Golden.Match(run.Output, "yaml");
    }

    [Fact]
    public void Policy_options_choose_mode_namespaces_classes_and_rules()
    {
        var run = CliRunner.Run(Fixtures, "policy", "--mode", "audit", "--all-namespaces-except", "kube-system,kube-public",
            "-a", "kata-vm-isolation-v2", "--allow-host-network", "--name", "tenants-sandbox");
        Assert.Equal(0, run.ExitCode);
        var objects = SandboxManifest.Read(run.Output, "policy.yaml");
        var policy = (k8s.Models.V1ValidatingAdmissionPolicy)objects[0];
        var binding = (k8s.Models.V1ValidatingAdmissionPolicyBinding)objects[1];
        Assert.Equal("tenants-sandbox", policy.Metadata.Name);
        Assert.Equal(["Warn", "Audit"], binding.Spec.ValidationActions);
        var requirement = Assert.Single(binding.Spec.MatchResources.NamespaceSelector.MatchExpressions);
        Assert.Equal(("kubernetes.io/metadata.name", "NotIn"), (requirement.Key, requirement.OperatorProperty));
        Assert.Equal(["kube-system", "kube-public"], requirement.Values);
        var validation = Assert.Single(policy.Spec.Validations);
        Assert.Contains("['kata-vm-isolation-v2', 'kata-vm-isolation']", validation.Expression);

        var conflicting = CliRunner.Run(Fixtures, "policy", "--namespaces", "a", "--namespace-label", "x=y");
        Assert.Equal(ExitCodes.BadInput, conflicting.ExitCode);
    }

    [Fact]
    public void Policy_for_kyverno_prints_a_validate_and_a_mutate_cluster_policy()
    {
        var run = CliRunner.Run(Fixtures, "policy", "--engine", "kyverno", "--mode", "audit");
        Assert.Equal(0, run.ExitCode);
        var stream = new YamlStream();
        stream.Load(new StringReader(run.Output));
        Assert.Equal(2, stream.Documents.Count);
        Assert.Contains("validationFailureAction: Audit", run.Output);
        Assert.Contains("+(runtimeClassName): kata-vm-isolation", run.Output);
        Golden.Match(run.Output, "yaml");
    }
}
