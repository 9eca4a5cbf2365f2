using System.Text.Json;
using k8s;
using Xunit;

namespace Sandboxing.Sdk.Tests.Agents;

/// <summary>AgentSandboxes.Template: a hardened SandboxTemplate whose network policy is the tenant's egress, and its warm pool.</summary>
public class AgentSandboxTemplateTests
{
    private static AgentSandboxTemplateBuilder Runtime() => AgentSandboxes.Template("python-runtime").InNamespace("agents")
        .WithContainer("runtime", "python:3.12-slim", c => c.WithResources(cpu: "1", memory: "1Gi"));

    private static string Json(object? plain) => JsonSerializer.Serialize(plain);

    [Theory]
    [InlineData("extensions.agents.x-k8s.io/v1beta1")]
    [InlineData("extensions.agents.x-k8s.io/v1alpha1")]
    public void The_template_and_its_pool_are_valid_against_the_CRDs_of_their_version(string apiVersion)
    {
        var objects = Runtime().WithInternetEgress("10.244.0.0/16").WithWarmPool(0).WithApiVersion(apiVersion).Build();

        Assert.Equal(["SandboxTemplate", "SandboxWarmPool"], objects.Select(o => o.Kind));
        foreach (var obj in objects)
        {
            Assert.Equal(apiVersion, obj.ApiVersion);
            Assert.Equal(("python-runtime", "agents"), (obj.Metadata.Name, obj.Metadata.NamespaceProperty));
            Assert.Empty(CrdSchema.AgentSandbox.Errors(SandboxManifest.ToYaml(obj)));
        }

        // replicas 0 is written: the pool's default would be one warm pod (and v1alpha1 requires the field).
        Assert.Contains("replicas: 0", SandboxManifest.ToYaml(objects[1]), StringComparison.Ordinal);
        Assert.Equal("python-runtime", objects[1].Get("spec.sandboxTemplateRef.name"));
    }

    [Fact]
    public void The_pod_is_the_pod_builders_own_Kata_non_root_without_a_token()
    {
        var template = Assert.Single(Runtime().Build());
        var site = Assert.Single(PodTemplates.FindAll(template));
        Assert.Equal("kata-vm-isolation", site.Spec.RuntimeClassName);
        Assert.True(site.Spec.SecurityContext.RunAsNonRoot);
        Assert.False(site.Spec.AutomountServiceAccountToken);
        Assert.Equal("1Gi", site.Spec.Containers[0].Resources.Limits["memory"].ToString());
        Assert.DoesNotContain(SandboxValidator.Validate(template), f => f.Severity != SandboxSeverity.Info);
    }

    [Fact]
    public void Without_internet_egress_the_sandboxes_reach_only_the_tenants_cluster_DNS_and_the_router_reaches_them()
    {
        var template = Assert.Single(Runtime().Build());
        var tenant = TenantIsolation.For("agents").Build();
        var dns = tenant.NetworkPolicies.Single(p => p.Metadata.Name == "allow-cluster-dns").Spec.Egress;

        Assert.Equal(Json(AgentSandboxesPlain(dns)), Json(template.Get("spec.networkPolicy.egress")));
        Assert.Equal(
            """[{"from":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"agent-sandbox-system"}},"podSelector":{"matchLabels":{"app":"sandbox-router"}}}]}]""",
            Json(template.Get("spec.networkPolicy.ingress")));
    }

    [Fact]
    public void Internet_egress_is_the_tenant_bundles_own_rule_with_the_same_exceptions()
    {
        var template = Assert.Single(Runtime().WithInternetEgress("10.244.0.0/16", "fd12:3456:789a::/64").WithRouter("agents", "app.kubernetes.io/name", "sandbox-router").Build());
        var tenant = TenantIsolation.For("agents").WithInternetEgress().WithClusterNetworks("10.244.0.0/16", "fd12:3456:789a::/64").Build();
        var internet = tenant.NetworkPolicies.Single(p => p.Metadata.Name == "allow-internet-egress").Spec.Egress.Single();

        var egress = (IList<object?>)template.Get("spec.networkPolicy.egress")!;
        Assert.Equal(2, egress.Count); // cluster DNS, then the internet
        Assert.Equal(Json(AgentSandboxesPlain(internet)), Json(egress[1]));
        Assert.Contains("168.63.129.16/32", Json(egress[1]), StringComparison.Ordinal);
        Assert.Contains("\"app.kubernetes.io/name\":\"sandbox-router\"", Json(template.Get("spec.networkPolicy.ingress")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_container_without_a_memory_limit_and_bad_arguments_are_refused()
    {
        var unsized = AgentSandboxes.Template("r").WithContainer("runtime", "python:3.12-slim");
        var e = Assert.Throws<SandboxValidationException>(() => unsized.Build());
        Assert.Equal("SBX2005", Assert.Single(e.Findings).RuleId);

        Assert.Throws<ArgumentOutOfRangeException>(() => Runtime().WithWarmPool(-1));
        var version = Assert.Throws<ArgumentException>(() => Runtime().WithApiVersion("agents.x-k8s.io/v1beta1"));
        Assert.Contains("not in the extensions.agents.x-k8s.io group", version.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Runtime().WithInternetEgress("10.0.0.0/33"));
        Assert.Contains("The SandboxTemplate name 'Bad_Name' is not valid", Assert.Throws<ArgumentException>(() => AgentSandboxes.Template("Bad_Name")).Message, StringComparison.Ordinal);
    }

    private static object? AgentSandboxesPlain(object model) =>
        JsonSerializer.Deserialize<JsonElement>(KubernetesJson.Serialize(model));
}
