using k8s.Models;
using YamlDotNet.RepresentationModel;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Tests;

namespace Sandboxing.Cli.Tests;

/// <summary><c>sandboxing policy</c>: every engine, the exemption flags, and bad input that would break the cluster.</summary>
public class PolicyCommandTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    [Theory]
    [InlineData("runc")]
    [InlineData("nvidia")]
    [InlineData("default")]
    public void Policy_refuses_to_allow_a_class_that_is_not_a_sandbox(string name)
    {
        var run = CliRunner.Run(Fixtures, "policy", "-a", name);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains($"--allowed-runtime-classes '{name}' is not a sandbox runtime class", run.Error, StringComparison.Ordinal);
        var runtime = CliRunner.Run(Fixtures, "policy", "--engine", "mutating", "--runtime", name);
        Assert.Equal(2, runtime.ExitCode);
        Assert.Contains($"--runtime '{name}'", runtime.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--runtime")]
    [InlineData("--allowed-runtime-classes")]
    public void Policy_refuses_a_typo_of_a_known_class_with_the_class_meant(string flag)
    {
        var run = CliRunner.Run(Fixtures, "policy", flag, "kata-vm-isolaton");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{flag} 'kata-vm-isolaton' is not a known runtime class; did you mean 'kata-vm-isolation'?", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void Policy_prints_the_admission_policy_and_binding()
    {
        var run = CliRunner.Run(Fixtures, "policy");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        var objects = SandboxManifest.Read(run.Output, "policy.yaml");
        var policy = Assert.IsType<V1ValidatingAdmissionPolicy>(objects[0]);
        var binding = Assert.IsType<V1ValidatingAdmissionPolicyBinding>(objects[1]);
        Assert.Equal(policy.Metadata.Name, binding.Spec.PolicyName);
        Assert.Equal(["Deny"], binding.Spec.ValidationActions);
        Assert.Equal("true", binding.Spec.MatchResources.NamespaceSelector.MatchLabels["sandboxing.sdk/enforce"]);
        Golden.Match(run.Output, "yaml");
    }

    [Fact]
    public void Policy_options_choose_mode_namespaces_classes_and_checks()
    {
        var run = CliRunner.Run(Fixtures, "policy", "--mode", "audit", "--all-namespaces-except", "kube-system,kube-public",
            "-a", "kata-vm-isolation-v2", "--allow-host-network", "--name", "tenants-sandbox");
        Assert.Equal(0, run.ExitCode);
        var objects = SandboxManifest.Read(run.Output, "policy.yaml");
        var policy = (V1ValidatingAdmissionPolicy)objects[0];
        var binding = (V1ValidatingAdmissionPolicyBinding)objects[1];
        Assert.Equal("tenants-sandbox", policy.Metadata.Name);
        Assert.Equal(["Warn", "Audit"], binding.Spec.ValidationActions);
        var requirement = Assert.Single(binding.Spec.MatchResources.NamespaceSelector.MatchExpressions);
        Assert.Equal(("kubernetes.io/metadata.name", "NotIn"), (requirement.Key, requirement.OperatorProperty));
        Assert.Equal(["kube-system", "kube-public"], requirement.Values);
        Assert.Equal(2, policy.Spec.Validations.Count);
        Assert.Contains("['kata-vm-isolation-v2', 'kata-vm-isolation']", policy.Spec.Validations[1].Expression);

        var hardened = (V1ValidatingAdmissionPolicy)SandboxManifest.Read(CliRunner.Run(Fixtures, "policy", "--checks", "hardened").Output, "p.yaml")[0];
        Assert.Equal(9, hardened.Spec.Validations.Count);
        var some = (V1ValidatingAdmissionPolicy)SandboxManifest.Read(CliRunner.Run(Fixtures, "policy", "--checks", "privileged,host-path").Output, "p.yaml")[0];
        Assert.Equal(["SBX1001", "SBX1002", "SBX2003", "SBX2004"], some.Spec.Validations.Select(v => v.Message[..7]));
    }

    [Fact]
    public void Mutating_prints_the_mutating_policy_first_then_the_validating_one()
    {
        var run = CliRunner.Run(Fixtures, "policy", "--engine", "mutating", "--exempt-namespace-label", "sandboxing.sdk/exempt=true");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"],
            SandboxManifest.Read(run.Output, "p.yaml").Select(o => o.Kind));
        Assert.Contains("note: SBX5006:", run.Error);
        Golden.Match(run.Output, "yaml");

        var beta = CliRunner.Run(Fixtures, "policy", "--engine", "mutating", "--kubernetes-version", "1.34");
        Assert.Equal(0, beta.ExitCode);
        Assert.IsType<V1beta1MutatingAdmissionPolicy>(SandboxManifest.Read(beta.Output, "p.yaml")[0]);
        Assert.Contains("warning: SBX5002:", beta.Error);
        Assert.Contains("--feature-gates=MutatingAdmissionPolicy=true", beta.Error);

        var alpha = CliRunner.Run(Fixtures, "policy", "--engine", "mutating", "--kubernetes-version", "1.33");
        Assert.Equal(ExitCodes.BadInput, alpha.ExitCode);
        Assert.Equal("", alpha.Output);
        Assert.Contains("error: SBX5001:", alpha.Error);
    }

    [Fact]
    public void Exemption_flags_reach_the_policy_and_user_exemptions_warn_about_controller_made_pods()
    {
        var run = CliRunner.Run(Fixtures, "policy", "--exempt-groups", "platform-ops", "--exempt-service-accounts", "ci/deployer",
            "--exempt-users", "alice@example.com", "--exemptions-configmap", "sandboxing-system/exempt-workloads");
        Assert.Equal(0, run.ExitCode);
        var objects = SandboxManifest.Read(run.Output, "p.yaml");
        var configMap = Assert.IsType<V1ConfigMap>(objects[0]);
        Assert.Equal(("sandboxing-system", "exempt-workloads"), (configMap.Metadata.NamespaceProperty, configMap.Metadata.Name));
        var policy = Assert.IsType<V1ValidatingAdmissionPolicy>(objects[1]);
        var exempt = policy.Spec.Variables.Single(v => v.Name == "exempt").Expression;
        Assert.Contains("['alice@example.com', 'system:serviceaccount:ci:deployer']", exempt);
        Assert.Contains("['platform-ops']", exempt);
        Assert.Equal("Deny", ((V1ValidatingAdmissionPolicyBinding)objects[2]).Spec.ParamRef.ParameterNotFoundAction);
        Assert.Contains("warning: SBX5004:", run.Error);

        var lenient = CliRunner.Run(Fixtures, "policy", "--honour-exemption-annotations");
        Assert.Equal(0, lenient.ExitCode);
        Assert.Contains("warning: SBX5007:", lenient.Error);
        Assert.Contains("sandboxing.sdk/exempt", lenient.Output);
        Assert.DoesNotContain("sandboxing.sdk/exempt", CliRunner.Run(Fixtures, "policy").Output);
    }

    [Fact]
    public void Kyverno_prints_validate_and_with_mutate_the_mutate_policy_too()
    {
        var validate = CliRunner.Run(Fixtures, "policy", "--engine", "kyverno", "--mode", "audit");
        Assert.Equal(0, validate.ExitCode);
        Assert.Single(Documents(validate.Output));
        Assert.Contains("failureAction: Audit", validate.Output);
        Assert.DoesNotContain("validationFailureAction", validate.Output);

        var run = CliRunner.Run(Fixtures, "policy", "--engine", "kyverno", "--mutate", "--exempt-groups", "platform-ops");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, Documents(run.Output).Count);
        Assert.Contains("+(runtimeClassName): kata-vm-isolation", run.Output);
        Assert.Contains("kind: Group", run.Output);
        Golden.Match(run.Output, "yaml");

        // Kubernetes versions do not matter to Kyverno.
        Assert.Equal(0, CliRunner.Run(Fixtures, "policy", "--engine", "kyverno", "--mutate", "--kubernetes-version", "1.29").ExitCode);
    }

    [Theory]
    [InlineData("error: SBX5003:", "--exempt-groups", "system:serviceaccounts:kube-system")]
    [InlineData("error: SBX5008: Policy 'sandboxing-require-runtime-class': the exempt group 'system:serviceaccounts' (--exempt-groups)", "--exempt-groups", "system:serviceaccounts")]
    [InlineData("the exempt group 'system:serviceaccounts:tenant-42' (--exempt-groups) holds every service account of namespace tenant-42", "--exempt-groups", "platform-ops,system:serviceaccounts:tenant-42")]
    [InlineData("the exempt group 'system:authenticated' (--exempt-groups)", "--exempt-groups", "system:authenticated")]
    [InlineData("the exempt group 'system:unauthenticated' (--exempt-groups)", "--exempt-groups", "system:unauthenticated")]
    [InlineData("error: SBX5003:", "--exempt-users", "system:serviceaccount:kube-system:replicaset-controller")]
    [InlineData("error: SBX5005:", "--all-namespaces-except", "kube-public")]
    [InlineData("error: SBX5005:", "--namespaces", "kube-system")]
    [InlineData("error: SBX5001:", "--kubernetes-version", "1.29")]
    [InlineData("--namespaces is empty", "--namespaces", "")]
    [InlineData("--namespaces is empty", "--namespaces", " , ")]
    [InlineData("--exempt-groups is empty", "--exempt-groups", "")]
    [InlineData("--allowed-runtime-classes is empty", "-a", "")]
    [InlineData("--checks 'everything'", "--checks", "everything")]
    [InlineData("--exempt-namespace-label '=x' has no key", "--exempt-namespace-label", "=x")]
    [InlineData("not 'namespace/name'", "--exempt-service-accounts", "deployer")]
    [InlineData("Kubernetes version 'latest'", "--kubernetes-version", "latest")]
    [InlineData("contradict", "--strict", "--honour-exemption-annotations")]
    [InlineData("--name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is too long: the names derived from it, up to 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-mutating-v1beta1', must be DNS labels of at most 63 characters; give a shorter --name.",
        "--engine", "azure-policy", "--name", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Bad_input_is_refused_with_exit_code_2_and_a_message_naming_it(string message, params string[] args)
    {
        var run = CliRunner.Run(Fixtures, ["policy", .. args]);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public void Kube_system_carved_out_by_the_exemption_label_is_a_warning_not_an_error()
    {
        var run = CliRunner.Run(Fixtures, "policy", "--all-namespaces-except", "kube-public", "--exempt-namespace-label", "sandboxing.sdk/exempt=true");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: SBX5005:", run.Error);
        Assert.Contains("label kube-system sandboxing.sdk/exempt=true", run.Error);
    }

    [Fact]
    public void Output_writes_the_file()
    {
        var folder = CliRunner.TempCopy();
        var run = CliRunner.Run(folder, "policy", "--engine", "mutating", "-o", "policy.yaml");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Equal(4, SandboxManifest.Read(File.ReadAllText(Path.Combine(folder, "policy.yaml")), "policy.yaml").Count);
    }

    private static IList<YamlDocument> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents;
    }
}
