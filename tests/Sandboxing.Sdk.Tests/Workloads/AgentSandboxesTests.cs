using k8s.Models;
using Xunit;

namespace Sandboxing.Sdk.Tests.Workloads;

public class AgentSandboxesTests
{
    private static V1Pod Coder() => Sandboxed.Pod("coder").InNamespace("agents").WithLabel("team", "ai")
        .WithContainer("coder", "python:3.12-slim", c => c.WithResources(cpu: "1", memory: "1Gi"))
        .Build();

    [Fact]
    public void A_built_pod_becomes_a_Sandbox_that_the_linter_reads_as_sandboxed_and_secure()
    {
        var sandbox = Coder().ToAgentSandbox();
        Assert.Equal(("agents.x-k8s.io/v1alpha1", "Sandbox", "coder", "agents"), (sandbox.ApiVersion, sandbox.Kind, sandbox.Metadata.Name, sandbox.Metadata.NamespaceProperty));
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
        var template = Coder().ToSandboxTemplate("extensions.agents.x-k8s.io/v1beta1");
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
        Assert.Contains("agents.x-k8s.io group", wrong.Message, StringComparison.Ordinal);
    }
}
