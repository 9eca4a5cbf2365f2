namespace Sandboxing.Sdk.Tests.Linting;

/// <summary>The one linter reports the tenant rules (SBX4xxx) beside the pod rules, each at its field in its file.</summary>
public class TenantLintingTests
{
    private static string[] BundleDocuments() =>
        TenantIsolation.For("t1").Build().ToYaml().Split("---\n", StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void A_tenant_namespace_alone_gets_SBX4002_and_SBX4005_at_its_name()
    {
        const string yaml = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: tenant-42
              labels:
                sandboxing.sdk/tenant: tenant-42
            """;

        var result = ManifestLinter.Lint(yaml, "tenant.yaml");

        Assert.Empty(result.Problems);
        var deny = Assert.Single(result.Findings, f => f.Finding.RuleId == "SBX4002");
        Assert.Equal(("tenant.yaml", 4, 3, true), (deny.Source, deny.Line, deny.Column, deny.FieldExists));
        Assert.Contains(result.Findings, f => f.Finding.RuleId == "SBX4005" && f.Line == 4);
        Assert.Equal("tenant.yaml:4:3: warning SBX4002: " + deny.Finding.Message, deny.ToString());
    }

    [Fact]
    public void The_bundle_lints_clean_in_one_file() =>
        Assert.Empty(ManifestLinter.Lint(string.Join("---\n", BundleDocuments()), "bundle.yaml").Findings);

    [Fact]
    public void The_tenant_profile_checks_a_namespace_against_the_objects_of_every_file()
    {
        var documents = BundleDocuments();
        var ns = Assert.Single(documents, d => d.Contains("kind: Namespace", StringComparison.Ordinal));
        var rest = string.Join("---\n", documents.Where(d => d != ns));
        const string pod = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: agent
              namespace: t1
            spec:
              runtimeClassName: kata-vm-isolation
              automountServiceAccountToken: true
              containers:
              - name: agent
                image: agent:1
                resources:
                  limits: {cpu: "1", memory: 1Gi}
                  requests: {cpu: "1", memory: 1Gi}
            """;
        ManifestSource[] sources = [ManifestSource.FromText(ns, "ns.yaml"), ManifestSource.FromText(rest, "rest.yaml"), ManifestSource.FromText(pod, "pod.yaml")];

        var alone = ManifestLinter.Lint(sources);
        var together = ManifestLinter.Lint(sources, new ManifestLintOptions { Profile = ManifestLintProfile.Tenant });

        // Each file alone: the namespace misses the policies and quota of the other file; the pod's namespace is unknown to it.
        Assert.Contains(alone[0].Findings, f => f.Finding.RuleId == "SBX4002");
        Assert.DoesNotContain(alone[2].Findings, f => f.Finding.Rule.Category == SandboxRules.TenancyCategory);

        // Together: the bundle is complete, and the pod that mounts its token is reported at the field, in its own file.
        Assert.DoesNotContain(together[0].Findings, f => f.Finding.Rule.Category == SandboxRules.TenancyCategory);
        Assert.Empty(together[1].Findings);
        var token = Assert.Single(together[2].Findings, f => f.Finding.RuleId == "SBX4006");
        Assert.Equal(("pod.yaml", 8, 3, true), (token.Source, token.Line, token.Column, token.FieldExists));
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_reported_once_and_the_others_are_still_checked()
    {
        const string tenant = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: t2, labels: {sandboxing.sdk/tenant: t2}}
            """;
        ManifestSource[] sources = [ManifestSource.FromText("kind: [", "broken.yaml"), ManifestSource.FromText(tenant, "t2.yaml")];

        var results = ManifestLinter.Lint(sources, new ManifestLintOptions { Profile = ManifestLintProfile.Tenant });

        Assert.Single(results[0].Problems);
        Assert.Empty(results[0].Findings);
        Assert.Contains(results[1].Findings, f => f.Finding.RuleId == "SBX4002" && f.Line == 3);
    }
}
