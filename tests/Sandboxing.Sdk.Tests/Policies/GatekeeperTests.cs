using k8s.Models;
using Xunit;

namespace Sandboxing.Sdk.Tests.Policies;

// The Gatekeeper objects Azure Policy for Kubernetes installs: the ConstraintTemplate must be one Gatekeeper accepts (its kind named
// after the constraint, the admission target, a parameter schema for the exempt workloads), and the Assign must touch Pods without
// a class only.
public class GatekeeperTests
{
    private static T At<T>(object? node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step switch
            {
                string key => Assert.IsAssignableFrom<IDictionary<string, object?>>(node)[key],
                int index => Assert.IsAssignableFrom<IList<object?>>(node)[index],
                _ => throw new ArgumentException("a path step is a key or an index"),
            };
        }

        return Assert.IsAssignableFrom<T>(node);
    }

    [Fact]
    public void The_constraint_template_and_the_assign_are_as_committed()
    {
        var policy = SandboxPolicy.RequireSandbox();
        Golden.Match(SandboxManifest.ToYaml(policy.ToGatekeeperConstraintTemplate()), "yaml", "constraint-template");
        Golden.Match(SandboxManifest.ToYaml(SandboxPolicy.DefaultToSandbox().ToGatekeeperAssign()), "yaml", "assign");
    }

    [Fact]
    public void The_template_names_the_constraint_kind_the_admission_target_and_a_schema_for_exempt_workloads()
    {
        var policy = SandboxPolicy.RequireSandbox();
        var template = policy.ToGatekeeperConstraintTemplate();
        var spec = template.Fields["spec"];

        Assert.Equal(("templates.gatekeeper.sh/v1", "ConstraintTemplate"), (template.ApiVersion, template.Kind));
        // Gatekeeper refuses a template whose name is not its kind in lower case.
        Assert.Equal(policy.GatekeeperKind.ToLowerInvariant(), template.Metadata.Name);
        Assert.Equal(policy.GatekeeperKind, At<string>(spec, "crd", "spec", "names", "kind"));
        Assert.Equal("sandboxing-sdk", template.Metadata.Labels["app.kubernetes.io/managed-by"]);

        var schema = At<IDictionary<string, object?>>(spec, "crd", "spec", "validation", "openAPIV3Schema");
        Assert.Equal("object", schema["type"]);
        var exempt = At<IDictionary<string, object?>>(schema, "properties", "exemptWorkloads");
        Assert.Equal("object", exempt["type"]);
        Assert.Equal("string", At<string>(exempt, "additionalProperties", "type"));
        Assert.Contains("<namespace>.<workload>", At<string>(exempt, "description"), StringComparison.Ordinal);

        var target = At<IDictionary<string, object?>>(spec, "targets", 0);
        Assert.Equal("admission.k8s.gatekeeper.sh", target["target"]);
        var code = At<IDictionary<string, object?>>(target, "code", 0);
        Assert.Equal("K8sNativeValidation", code["engine"]);
        Assert.Equal("Fail", At<string>(code, "source", "failurePolicy"));
        var (variables, validations) = policy.GatekeeperRules();
        Assert.Equal(variables.Count, At<IList<object?>>(code, "source", "variables").Count);
        Assert.Equal(validations.Select(v => v.Message), At<IList<object?>>(code, "source", "validations").Select(v => At<string>(v, "message")));
    }

    [Fact]
    public void The_template_applies_to_every_built_in_pod_bearing_kind_and_the_declared_custom_resources()
    {
        var kinds = SandboxPolicy.RequireSandbox().WithCustomResources(PodTemplateRegistry.Default.Find("argoproj.io/v1alpha1", "Rollout")!).GatekeeperKinds;
        Assert.Equal(
            [("", "Pod"), ("", "ReplicationController"), ("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("apps", "ReplicaSet"),
             ("batch", "Job"), ("batch", "CronJob"), ("argoproj.io", "Rollout")],
            kinds);
    }

    [Fact]
    public void The_assign_sets_the_runtime_on_pods_without_a_class_and_nothing_else()
    {
        var assign = SandboxPolicy.DefaultToSandbox().ToGatekeeperAssign();
        var spec = assign.Fields["spec"];

        Assert.Equal(("mutations.gatekeeper.sh/v1", "Assign"), (assign.ApiVersion, assign.Kind));
        Assert.False(string.IsNullOrEmpty(assign.Metadata.Name));
        Assert.Equal("sandboxing-sdk", assign.Metadata.Labels["app.kubernetes.io/managed-by"]);
        Assert.Equal([""], At<IList<object?>>(spec, "applyTo", 0, "groups"));
        Assert.Equal(["Pod"], At<IList<object?>>(spec, "applyTo", 0, "kinds"));
        Assert.Equal(["v1"], At<IList<object?>>(spec, "applyTo", 0, "versions"));
        Assert.Equal("Namespaced", At<string>(spec, "match", "scope"));
        Assert.Equal([""], At<IList<object?>>(spec, "match", "kinds", 0, "apiGroups"));
        Assert.Equal(["Pod"], At<IList<object?>>(spec, "match", "kinds", 0, "kinds"));
        Assert.Equal("spec.runtimeClassName", At<string>(spec, "location"));
        // The author's class stays: the validating constraint judges it.
        Assert.Equal("spec.runtimeClassName", At<string>(spec, "parameters", "pathTests", 0, "subPath"));
        Assert.Equal("MustNotExist", At<string>(spec, "parameters", "pathTests", 0, "condition"));
        Assert.Equal("kata-vm-isolation", At<string>(spec, "parameters", "assign", "value"));
    }

    [Fact]
    public void A_policy_with_errors_gives_no_gatekeeper_objects()
    {
        var policy = SandboxPolicy.RequireSandbox().WithExemptGroups("system:authenticated");
        Assert.Contains("SBX5008", Assert.Throws<SandboxValidationException>(() => policy.ToGatekeeperConstraintTemplate()).Message, StringComparison.Ordinal);
        Assert.Contains("SBX5008", Assert.Throws<SandboxValidationException>(() => policy.ToGatekeeperAssign()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sdk_decision_refuses_what_the_policy_enforces_and_admits_an_allowed_class()
    {
        var policy = SandboxPolicy.RequireSandbox();
        V1Pod Pod(string? runtimeClass) => new()
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "job", NamespaceProperty = "tenant" },
            Spec = new V1PodSpec { RuntimeClassName = runtimeClass, Containers = [new V1Container { Name = "app", Image = "busybox:1.36" }] },
        };

        Assert.Empty(PolicyDecision.Refusals(policy, Pod("kata-vm-isolation")));
        Assert.Equal(["SBX1001"], PolicyDecision.Refusals(policy, Pod(null)).Select(f => f.RuleId));
        var refused = Assert.Single(PolicyDecision.Refusals(policy, Pod("runc")));
        Assert.Equal("spec.runtimeClassName", refused.Path);
    }
}
