using Xunit;

namespace Sandboxing.Sdk.Tests.Policies;

// Every SandboxPolicy builder method refuses bad input at the call, naming the parameter and what to write instead: a policy the
// API server would refuse, or one that silently admits host-kernel pods, never gets built.
public class PolicyBuilderArgumentTests
{
    private static readonly RuntimeClassDefinition SmallKata = SandboxRuntime.Define("small-kata").WithHandler("kata").Build();
    private static readonly RuntimeClassDefinition HostKernel = SandboxRuntime.Define("plain").WithHandler("runc").Build();

    private static void Refused(Action call, string parameter, string message)
    {
        var error = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_name_must_be_a_subdomain_of_at_most_200_characters()
    {
        string Name(int length) => string.Join('.', new string('a', 60), new string('b', 60), new string('c', 60), new string('d', length - 183));
        Assert.Equal(Name(200), SandboxPolicy.RequireSandbox().WithName(Name(200)).Name);
        Refused(() => SandboxPolicy.RequireSandbox().WithName(Name(201)), "name", "is longer than 200 characters; the binding and Kyverno names add suffixes to it");
        Refused(() => SandboxPolicy.RequireSandbox().WithName("Sandbox_Policy"), "name", "policy name");
    }

    [Fact]
    public void Allowed_runtime_classes_are_sandbox_class_names_and_at_least_one()
    {
        Assert.Throws<ArgumentNullException>(() => SandboxPolicy.RequireSandbox().WithAllowedRuntimeClasses(null!));
        Refused(() => SandboxPolicy.RequireSandbox().WithAllowedRuntimeClasses(), "names", "Name at least one allowed runtime class, for example kata-vm-isolation");
        Refused(() => SandboxPolicy.RequireSandbox().WithAllowedRuntimeClasses("Kata_VM"), "names", "runtime class name");
        Refused(() => SandboxPolicy.RequireSandbox().WithAllowedRuntimeClasses("runc"), "names",
            "Allow sandbox classes only, such as kata-vm-isolation; for a sandbox class the SDK does not know, pass its RuntimeClassDefinition to WithAllowedRuntimeClass.");
        // A declared sandbox runtime is allowed by its own name, and lends that to no other class.
        Refused(() => SandboxPolicy.DefaultToSandbox(SmallKata).WithAllowedRuntimeClasses("runc"), "names", "Allow sandbox classes only");
        Assert.Equal(["kata-vm-isolation", "small-kata"], SandboxPolicy.DefaultToSandbox(SmallKata).WithAllowedRuntimeClasses("kata-vm-isolation").AllowedRuntimeClasses);
        Assert.Equal(["small-kata"], SandboxPolicy.DefaultToSandbox(SmallKata).WithAllowedRuntimeClasses("small-kata").AllowedRuntimeClasses);
    }

    [Fact]
    public void A_class_allowed_by_definition_has_a_sandbox_handler_and_is_listed_once()
    {
        Assert.Throws<ArgumentNullException>(() => SandboxPolicy.RequireSandbox().WithAllowedRuntimeClass(null!));
        Refused(() => SandboxPolicy.RequireSandbox().WithAllowedRuntimeClass(HostKernel), "definition",
            "The runtime class 'plain' has the handler 'runc', which is not a sandbox, so allowing it would admit pods on the node's shared kernel.");
        var policy = SandboxPolicy.RequireSandbox().WithAllowedRuntimeClass(SmallKata).WithAllowedRuntimeClass(SmallKata);
        Assert.Equal(["kata-vm-isolation", "small-kata"], policy.AllowedRuntimeClasses);
    }

    [Fact]
    public void The_runtime_is_a_sandbox()
    {
        Refused(() => SandboxPolicy.RequireSandbox().WithRuntime(HostKernel), "runtime",
            "Use a sandbox class such as kata-vm-isolation (SandboxRuntime.Default), or a RuntimeClassDefinition whose handler is a sandbox.");
        // A sandbox class's name does not make a host-kernel handler a sandbox.
        var impostor = SandboxRuntime.Define("kata-vm-isolation").WithHandler("runc").Build();
        Refused(() => SandboxPolicy.RequireSandbox().WithRuntime(impostor), "runtime",
            "'kata-vm-isolation' has a handler that is not a sandbox, so a policy that allows it would admit pods on the node's shared kernel.");
    }

    [Fact]
    public void Namespace_labels_and_names_are_what_Kubernetes_accepts()
    {
        Refused(() => SandboxPolicy.RequireSandbox().WithNamespaceLabel("team name", "a"), "key", "namespace label key");
        Refused(() => SandboxPolicy.RequireSandbox().WithNamespaceLabel("team", "a b"), "value", "namespace label value");
        Refused(() => SandboxPolicy.RequireSandbox().WithExemptNamespaceLabel(value: ""), "value", "The exemption label value is empty; use a value such as \"true\".");
        Assert.Throws<ArgumentNullException>(() => SandboxPolicy.RequireSandbox().WithNamespaces(null!));
        Refused(() => SandboxPolicy.RequireSandbox().WithNamespaces(), "names", "Name at least one namespace.");
        Refused(() => SandboxPolicy.RequireSandbox().WithAllNamespacesExcept("Tenant_A"), "names", "namespace name");
    }

    [Fact]
    public void Checks_are_known_flags_and_host_network_is_switched_on_and_off()
    {
        Refused(() => SandboxPolicy.RequireSandbox().WithChecks((SandboxPolicyChecks)(1 << 20)), "checks", "Unknown SandboxPolicyChecks flags.");
        var refusing = SandboxPolicy.RequireSandbox().WithHostNetworkRefused();
        Assert.True(refusing.Checks.HasFlag(SandboxPolicyChecks.HostNetwork));
        var allowing = refusing.WithHostNetworkRefused(false);
        Assert.False(allowing.Checks.HasFlag(SandboxPolicyChecks.HostNetwork));
        Assert.Equal(refusing.Checks & ~SandboxPolicyChecks.HostNetwork, allowing.Checks); // the other checks stay
    }

    [Fact]
    public void Custom_resources_are_custom_and_each_kind_is_listed_once()
    {
        var rollout = PodTemplateRegistry.Default.Find("argoproj.io/v1alpha1", "Rollout")!;
        var runnerSet = PodTemplateRegistry.Default.Find("actions.github.com/v1alpha1", "AutoscalingRunnerSet")!;
        Assert.Throws<ArgumentNullException>(() => SandboxPolicy.RequireSandbox().WithCustomResources(null!));
        Refused(() => SandboxPolicy.RequireSandbox().WithCustomResources(rollout, null!), "kinds", "kinds");
        Refused(() => SandboxPolicy.RequireSandbox().WithCustomResources(PodTemplateRegistry.Default.Find("apps/v1", "Deployment")!), "kinds",
            "Deployment (apps) is a built-in kind, which the policies always cover.");

        var replaced = new PodTemplateKind("argoproj.io", "Rollout", "rollouts", "spec.template.spec") { Replicas = "spec.replicas" };
        var policy = SandboxPolicy.RequireSandbox().WithCustomResources(rollout, runnerSet).WithCustomResources(replaced);
        Assert.Equal(["AutoscalingRunnerSet", "Rollout"], policy.CustomResources.Select(k => k.Kind));
        Assert.Same(replaced, policy.CustomResources[1]);
    }

    [Fact]
    public void Exempt_identities_and_versions_are_written_as_Kubernetes_reports_them()
    {
        Refused(() => SandboxPolicy.RequireSandbox().WithExemptServiceAccounts("deployer"), "serviceAccounts", "The service account 'deployer' is not 'namespace/name' (for example ci/deployer).");
        Refused(() => SandboxPolicy.RequireSandbox().WithExemptGroups(), "groups", "Name at least one group to exempt.");
        Refused(() => SandboxPolicy.RequireSandbox().WithExemptUsers(" alice"), "users", "The user to exempt is empty or has surrounding white space (' alice')");
        Assert.Throws<ArgumentNullException>(() => SandboxPolicy.RequireSandbox().WithKubernetesVersion(null!));
        Refused(() => SandboxPolicy.RequireSandbox().WithKubernetesVersion("latest"), "version", "The Kubernetes version 'latest' is not like 1.34 or v1.35.2.");
    }
}
