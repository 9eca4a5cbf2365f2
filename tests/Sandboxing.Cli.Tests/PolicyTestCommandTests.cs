using Sandboxing.Sdk;
using Sandboxing.Sdk.Tests.Policies;

namespace Sandboxing.Cli.Tests;

/// <summary><c>sandboxing policy --test</c>: the generated ValidatingAdmissionPolicy evaluated offline, object by object.</summary>
public class PolicyTestCommandTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    [Fact]
    public void Sandboxed_objects_are_admitted_and_runc_or_classless_ones_denied_with_the_rule()
    {
        var run = CliRunner.Run(Fixtures, "policy", "--test", "policy-test/app.yaml");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("policy-test/app.yaml:7: Deployment web/good: admit\n", run.Output);
        Assert.Contains("policy-test/app.yaml:18: Pod web/runc: deny\n    SBX1002: runtimeClassName must be one of [kata-vm-isolation]", run.Output);
        Assert.Contains("policy-test/app.yaml:25: Job web/noclass: deny\n    SBX1001: the pod has no runtimeClassName", run.Output);
        Assert.Contains("(run 'sandboxing fix')", run.Output);
        Assert.Contains("Pod other/elsewhere: admit (not matched)\n    the policy does not select namespace other (labels: kubernetes.io/metadata.name=other)\n", run.Output);
        Assert.EndsWith("5 objects the policy covers: 1 admitted, 2 denied, 2 not matched (namespace or match condition)\n", run.Output);
        Assert.DoesNotContain("Namespace", run.Output);
    }

    [Fact]
    public void A_namespace_an_operator_exempts_is_admitted()
    {
        var run = CliRunner.Run(Fixtures, "policy", "--exempt-namespace-label", "sandboxing.sdk/exempt=true", "--test", "policy-test/app.yaml",
            "--namespace-labels", "legacy=sandboxing.sdk/enforce=true", "--namespace-labels", "legacy=sandboxing.sdk/exempt=true");
        Assert.Contains("Pod legacy/exempt: admit\n", run.Output);
        Assert.Contains("Pod web/runc: deny", run.Output);
    }

    [Fact]
    public void The_same_namespace_without_the_exemption_label_is_denied()
    {
        var run = CliRunner.Run(Fixtures, "policy", "--exempt-namespace-label", "sandboxing.sdk/exempt=true", "--test", "policy-test/app.yaml",
            "--namespace-labels", "legacy=sandboxing.sdk/enforce=true");
        Assert.Contains("Pod legacy/exempt: deny\n    SBX1001:", run.Output);
    }

    [Fact]
    public void All_admitted_exits_0()
    {
        var dir = Directory.CreateTempSubdirectory("sandboxing-policy-test-").FullName;
        File.WriteAllText(Path.Combine(dir, "ok.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: web}\nspec: {runtimeClassName: kata-vm-isolation, containers: [{name: c, image: nginx}]}\n");
        var run = CliRunner.Run(dir, "policy", "--all-namespaces-except", "kube-system", "--test", "ok.yaml");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("ok.yaml:1: Pod web/p: admit\n1 objects the policy covers: 1 admitted, 0 denied, 0 not matched (namespace or match condition)\n", run.Output);
    }

    [Fact]
    public void Audit_mode_admits_with_a_warning()
    {
        var run = CliRunner.Run(Fixtures, "policy", "--mode", "audit", "--test", "policy-test/app.yaml");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Pod web/runc: admit with warning\n    SBX1002:", run.Output);
    }

    [Theory]
    [InlineData("missing.yaml", "no such file or folder")]
    [InlineData("malformed/tabs.yaml", "a tab is used for indentation")]
    public void Bad_input_exits_2_and_judges_nothing(string path, string message)
    {
        var run = CliRunner.Run(Fixtures, "policy", "--test", path);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.Equal("", run.Output);
    }

    [Theory]
    [InlineData("--engine", "kyverno")]
    [InlineData("--engine", "mutating")]
    [InlineData("--namespace-labels", "web=a=b")]
    [InlineData("--output", "policy.yaml")]
    public void Options_test_cannot_honour_are_usage_errors(string option, string value)
    {
        var args = option == "--namespace-labels" ? new[] { "policy", option, value } : ["policy", option, value, "--test", "policy-test/app.yaml"];
        var run = CliRunner.Run(Fixtures, args);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal("", run.Output);
    }

    public static TheoryData<string, string> Samples()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in PolicyHarness.Kinds)
        {
            data.Add(kind, "runtimeClassName: kata-vm-isolation");
            data.Add(kind, "");
            data.Add(kind, "runtimeClassName: runc");
            data.Add(kind, "runtimeClassName: kata-vm-isolation\nhostNetwork: true");
            data.Add(kind, "runtimeClassName: kata-vm-isolation\nvolumes:\n- {name: h, hostPath: {path: /var}}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Agrees_with_the_sdk_policy_tests_cel_evaluation(string kind, string spec)
    {
        var policy = SandboxPolicy.RequireSandbox().WithChecks(SandboxPolicyChecks.Hardened).WithExemptNamespaceLabel("sandboxing.sdk/exempt", "true");
        var workload = Workload.Of(kind, spec: spec, containers: "- {name: app, image: nginx, resources: {limits: {memory: 256Mi}}}");
        var labels = new Dictionary<string, string> { [SandboxPolicy.DefaultNamespaceLabel] = "true" };
        var expected = PolicyHarness.Failures(policy, workload, namespaceLabels: labels);
        var located = SandboxManifest.ReadWithLocations(workload.Yaml, "sample.yaml").Single();
        var verdict = Assert.Single(PolicyTest.Evaluate(policy, [("sample.yaml", located)],
            new Dictionary<string, IReadOnlyDictionary<string, string>> { ["tenant"] = labels }));
        Assert.Equal(expected, verdict.Reasons);
        Assert.Equal(expected.Count == 0 ? PolicyOutcome.Admitted : PolicyOutcome.Denied, verdict.Outcome);
    }
}
