using k8s.Models;
using Xunit;

namespace Sandboxing.Sdk.Tests.Agents;

public class AgentSandboxesTests
{
    private static V1Pod Coder() => Sandboxed.Pod("coder").InNamespace("agents").WithLabel("team", "ai")
        .WithContainer("coder", "python:3.12-slim", c => c.WithResources(cpu: "1", memory: "1Gi"))
        .Build();

    [Fact]
    public void A_built_pod_becomes_a_Sandbox_that_the_linter_reads_as_sandboxed_and_secure()
    {
        var sandbox = Coder().ToAgentSandbox();
        Assert.Equal(("agents.x-k8s.io/v1beta1", "Sandbox", "coder", "agents"), (sandbox.ApiVersion, sandbox.Kind, sandbox.Metadata.Name, sandbox.Metadata.NamespaceProperty));
        Assert.Equal("kata-vm-isolation", sandbox.Get("spec.podTemplate.spec.runtimeClassName"));
        Assert.Equal("ai", sandbox.Get("spec.podTemplate.metadata.labels") is IDictionary<string, object?> labels ? labels["team"] : null);

        var yaml = SandboxManifest.ToYaml(sandbox);
        var lint = ManifestLinter.Lint(yaml, "sandbox.yaml");
        Assert.Empty(lint.Problems);
        Assert.Equal(1, lint.PodObjects);
        Assert.DoesNotContain(lint.Findings, f => f.Finding.Severity != SandboxSeverity.Info);

        var site = Assert.Single(PodTemplates.FindAll(SandboxManifest.Read(yaml).Single()));
        Assert.Equal(25000, site.Spec.SecurityContext.RunAsUser);
        Assert.False(site.Spec.AutomountServiceAccountToken);
    }

    [Fact]
    public void A_SandboxTemplate_carries_the_same_pod_spec_in_the_extensions_group()
    {
        var template = Coder().ToSandboxTemplate();
        Assert.Equal(("extensions.agents.x-k8s.io/v1beta1", "SandboxTemplate"), (template.ApiVersion, template.Kind));
        Assert.Equal(0, Assert.Single(PodTemplates.FindAll(template)).PodsAtOnce); // a template runs nothing by itself
        Assert.DoesNotContain(SandboxValidator.Validate(template), f => f.Severity == SandboxSeverity.Error);
    }

    [Fact]
    public void An_unsandboxed_pod_or_a_wrong_group_is_refused()
    {
        var bare = new V1Pod { Metadata = new V1ObjectMeta { Name = "bare" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "a", Image = "busybox" }] } };
        var e = Assert.Throws<SandboxValidationException>(() => bare.ToAgentSandbox());
        Assert.Contains(e.Findings, f => f.Rule == SandboxRules.MissingRuntimeClass);
        var wrong = Assert.Throws<ArgumentException>(() => Coder().ToAgentSandbox("extensions.agents.x-k8s.io/v1alpha1"));
        Assert.Contains("not in the agents.x-k8s.io group", wrong.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<ArgumentException>(() => Coder().ToSandboxTemplate("extensions.agents.x-k8s.io/v2"));
        Assert.Contains("use extensions.agents.x-k8s.io/v1beta1 (the default) or the deprecated extensions.agents.x-k8s.io/v1alpha1", unknown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1beta1")]
    [InlineData("v1alpha1")]
    public void Every_object_is_valid_against_the_agent_sandbox_CRD_of_its_version(string version)
    {
        var sandbox = Coder().ToAgentSandbox($"agents.x-k8s.io/{version}");
        var template = Coder().ToSandboxTemplate($"extensions.agents.x-k8s.io/{version}");
        foreach (var obj in new[] { sandbox, template })
        {
            Assert.Equal(version, obj.ApiVersion[(obj.ApiVersion.IndexOf('/') + 1)..]);
            Assert.Empty(CrdSchema.AgentSandbox.Errors(SandboxManifest.ToYaml(obj)));
        }

        // The schema is strict: a field the CRD does not declare (v1beta1 dropped Sandbox's replicas) is an error.
        var yaml = SandboxManifest.ToYaml(sandbox).Replace("spec:\n  podTemplate:", "spec:\n  replicas: 1\n  podTemplate:", StringComparison.Ordinal);
        Assert.Equal(version == "v1beta1", CrdSchema.AgentSandbox.Errors(yaml).Count > 0);
    }

    [Theory]
    [InlineData("agents.x-k8s.io", "Sandbox")]
    [InlineData("extensions.agents.x-k8s.io", "SandboxTemplate")]
    [InlineData("extensions.agents.x-k8s.io", "SandboxWarmPool")]
    [InlineData("extensions.agents.x-k8s.io", "SandboxClaim")]
    public void Only_v1alpha1_has_a_deprecation_warning_and_it_is_the_CRDs_own(string group, string kind)
    {
        Assert.Null(AgentSandboxes.DeprecationWarning($"{group}/v1beta1", kind));
        Assert.Null(CrdSchema.AgentSandbox.DeprecationWarning(kind, "v1beta1"));
        Assert.Equal(CrdSchema.AgentSandbox.DeprecationWarning(kind, "v1alpha1"), AgentSandboxes.DeprecationWarning($"{group}/v1alpha1", kind));
    }

    [Fact]
    public void A_v1beta1_Sandbox_counts_as_its_one_pod()
    {
        var sandbox = Coder().ToAgentSandbox();
        Assert.Equal(1, Assert.Single(PodTemplates.FindAll(sandbox)).PodsAtOnce);
    }
}
