using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.NodePools;

public class NodePoolRuleTests
{
    private static AksNodePool.Builder Good(string name = "kata") =>
        AksNodePool.ForSandboxing(name).InCluster("myAKSCluster", "myResourceGroup").WithVmSize("Standard_D4s_v5");

    private static IReadOnlyList<SandboxFinding> Findings(Func<AksNodePool.Builder, AksNodePool.Builder> configure) => configure(Good()).Validate();

    private static void AssertOnly(IReadOnlyList<SandboxFinding> findings, string ruleId, string path)
    {
        var finding = Assert.Single(findings);
        Assert.Equal(ruleId, finding.RuleId);
        Assert.Equal(path, finding.Path);
        Assert.Equal("AgentPool", finding.Kind);
        Assert.EndsWith($"docs/rules/{ruleId}.md", finding.HelpLink, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_a_valid_sandboxing_pool()
    {
        Assert.Empty(Good().Validate());
        var pool = Good().Build();
        Assert.Equal(AksOsSku.AzureLinux, pool.OsSku);
        Assert.Equal(AksWorkloadRuntime.KataVmIsolation, pool.WorkloadRuntime);
        Assert.Equal(AksNodePoolMode.User, pool.Mode);
        Assert.Equal(AksApiVersions.Default, pool.ApiVersion);
        Assert.Equal(1, pool.Count);
        Assert.Empty(pool.Findings);
        Assert.Equal("kata-vm-isolation", pool.RuntimeClassName);
    }

    [Theory]
    [InlineData("Ubuntu")]
    [InlineData("Ubuntu2204")]
    [InlineData("AzureContainerLinux")]
    [InlineData("Flatcar")]
    public void SBX3001_os_sku_not_azure_linux(string sku) => AssertOnly(Findings(b => b.WithOsSku(sku)), "SBX3001", "properties.osSKU");

    [Theory]
    [InlineData("AzureLinux")]
    [InlineData("azurelinux")]
    public void SBX3001_passes_for_azure_linux(string sku) => Assert.Empty(Findings(b => b.WithOsSku(sku)));

    [Theory]
    [InlineData("1.27")]
    [InlineData("1.31.4")]
    public void SBX3014_azure_linux_before_1_32_is_the_retired_azure_linux_2(string version)
    {
        var findings = Findings(b => b.WithOrchestratorVersion(version));
        AssertOnly(findings, "SBX3014", "properties.osSKU");
        Assert.Equal(SandboxSeverity.Error, findings[0].Severity);
        Assert.Contains("Azure Linux 2.0", findings[0].Message, StringComparison.Ordinal);
        Assert.Empty(Findings(b => b.WithOrchestratorVersion("1.32")));
    }

    [Theory]
    [InlineData("1.27")]
    [InlineData("1.37")]
    public void SBX3015_azure_linux_3_outside_1_28_to_1_36(string version)
    {
        var findings = Findings(b => b.WithOsSku(AksOsSku.AzureLinux3).WithOrchestratorVersion(version));
        Assert.Equal(["SBX3015", "SBX3016"], findings.Select(f => f.RuleId));
        Assert.Contains("1.28 to 1.36", findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SBX3016_azure_linux_3_is_a_warning_that_recommends_azure_linux()
    {
        var findings = Findings(b => b.WithOsSku("azurelinux3").WithOrchestratorVersion("1.35"));
        AssertOnly(findings, "SBX3016", "properties.osSKU");
        Assert.Equal(SandboxSeverity.Warning, findings[0].Severity);
        Assert.Contains("use 'AzureLinux'", findings[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mariner")]
    [InlineData("Mariner")]
    [InlineData("CBLMariner")]
    public void SBX3017_mariner_is_accepted_with_a_finding_naming_the_replacement(string sku)
    {
        var findings = Findings(b => b.WithOsSku(sku));
        AssertOnly(findings, "SBX3017", "properties.osSKU");
        Assert.Contains("use 'AzureLinux'", findings[0].Message, StringComparison.Ordinal);
        Assert.Equal(sku, Good().WithOsSku(sku).Build().OsSku.Value); // a warning: accepted as input
        // On Kubernetes before 1.32 it also means the retired Azure Linux 2.0.
        Assert.Equal(["SBX3017", "SBX3014"], Findings(b => b.WithOsSku(sku).WithOrchestratorVersion("1.30")).Select(f => f.RuleId));
    }

    [Theory]
    [InlineData("Standard_D4ps_v5")]
    [InlineData("Standard_D8pds_v6")]
    [InlineData("Standard_E4ps_v5")]
    [InlineData("Standard_B2pls_v2")]
    public void SBX3018_arm64_sizes(string size) => AssertOnly(Findings(b => b.WithVmSize(size)), "SBX3018", "properties.vmSize");

    [Theory]
    [InlineData(true, true, "secure boot and vTPM", "properties.securityProfile.enableSecureBoot")]
    [InlineData(false, true, "vTPM", "properties.securityProfile.enableVTPM")]
    public void SBX3019_trusted_launch(bool secureBoot, bool vtpm, string what, string path)
    {
        var findings = Findings(b => b.WithTrustedLaunch(secureBoot, vtpm));
        AssertOnly(findings, "SBX3019", path);
        Assert.Contains($"({what})", findings[0].Message, StringComparison.Ordinal);
        Assert.Empty(Findings(b => b.WithTrustedLaunch(false, false)));
    }

    [Theory]
    [InlineData("Standard_DC4as_v5")]
    [InlineData("Standard_DC8as_cc_v5")]
    [InlineData("Standard_EC16ads_v5")]
    [InlineData("Standard_DC4es_v6")]
    public void SBX3020_confidential_vm_sizes(string size) => AssertOnly(Findings(b => b.WithVmSize(size)), "SBX3020", "properties.vmSize");

    [Fact]
    public void SBX3021_artifact_streaming()
    {
        AssertOnly(Findings(b => b.WithArtifactStreaming()), "SBX3021", "properties.artifactStreamingProfile.enabled");
        Assert.Empty(Findings(b => b.WithArtifactStreaming(false)));
    }

    [Theory]
    [InlineData("Windows2022")]
    [InlineData("Windows2019")]
    public void SBX3002_windows(string sku) => AssertOnly(Findings(b => b.WithOsSku(sku)), "SBX3002", "properties.osType");

    [Theory]
    [InlineData("Standard_D4as_v4", "nested virtualization")]
    [InlineData("Standard_A4_v2", "Generation 2")]
    [InlineData("Standard_B4ms", "nested virtualization")]
    [InlineData("Standard_DC4s_v2", "nested virtualization")]
    [InlineData("standard_b2s", "nested virtualization")]
    public void SBX3003_vm_size_without_nested_virtualization_or_gen2(string size, string reason)
    {
        var findings = Findings(b => b.WithVmSize(size));
        AssertOnly(findings, "SBX3003", "properties.vmSize");
        Assert.Contains(reason, findings[0].Message, StringComparison.Ordinal);
        Assert.Contains(VmSizes.Suggested, findings[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Standard_D4s_v3")]
    [InlineData("Standard_D8s_v4")]
    [InlineData("Standard_D2s_v5")]
    [InlineData("Standard_D16ds_v5")]
    [InlineData("Standard_E4s_v3")]
    [InlineData("Standard_E20s_v4")]
    [InlineData("Standard_E104is_v5")]
    [InlineData("Standard_E104ids_v5")]
    [InlineData("Standard_E80is_v4")]
    [InlineData("Standard_E8ds_v5")]
    [InlineData("Standard_D4s_v6")]
    [InlineData("Standard_D192s_v6")]
    [InlineData("Standard_D16ads_v7")]
    public void SBX3003_passes_for_confirmed_families(string size) => Assert.Empty(Findings(b => b.WithVmSize(size)));

    [Theory]
    [InlineData("Standard_NC24ads_A100_v4", "not in the SDK's VM size catalog")]
    [InlineData("Standard_D3s_v5", "does not list")]
    public void SBX3004_unknown_vm_size_is_a_warning_that_says_how_to_proceed(string size, string why)
    {
        var findings = Findings(b => b.WithVmSize(size));
        AssertOnly(findings, "SBX3004", "properties.vmSize");
        Assert.Equal(SandboxSeverity.Warning, findings[0].Severity);
        Assert.Contains(why, findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("check on its Azure size page", findings[0].Message, StringComparison.Ordinal);
        var pool = Good().WithVmSize(size).Build(); // a warning does not stop Build()
        Assert.Contains(pool.Findings, f => f.RuleId == "SBX3004");
    }

    [Fact]
    public void SBX3005_fips()
    {
        AssertOnly(Findings(b => b.WithFips()), "SBX3005", "properties.enableFIPS");
        Assert.Contains("AKS rejects", Findings(b => b.WithFips())[0].Message, StringComparison.Ordinal);
        Assert.Empty(Findings(b => b.WithFips(false)));
    }

    [Theory]
    [InlineData("2025-08-01", "KataVmIsolation")]
    [InlineData("2024-10-01", "KataVmIsolation")]
    [InlineData("2025-08-02-preview", "KataVmIsolation")]
    [InlineData("2025-09-01", "KataMshvVmIsolation")]
    [InlineData("2026-05-01", "KataMshvVmIsolation")]
    [InlineData("2021-02-01", "KataVmIsolation")]
    public void SBX3006_api_version_lacks_the_runtime(string apiVersion, string runtime)
    {
        var findings = Findings(b => b.WithApiVersion(apiVersion).WithWorkloadRuntime(runtime));
        var finding = Assert.Single(findings, f => f.RuleId == "SBX3006");
        Assert.Equal("apiVersion", finding.Path);
        Assert.Equal(SandboxSeverity.Error, finding.Severity);
    }

    [Theory]
    [InlineData("2025-09-01", "KataVmIsolation")]
    [InlineData("2025-10-01", "KataVmIsolation")]
    [InlineData("2026-05-01", "KataVmIsolation")]
    [InlineData("2025-09-02-preview", "KataVmIsolation")]
    [InlineData("2026-05-02-preview", "KataVmIsolation")]
    [InlineData("2027-01-01", "KataVmIsolation")]
    public void SBX3006_passes_when_the_api_version_has_the_runtime(string apiVersion, string runtime) =>
        Assert.Empty(Findings(b => b.WithApiVersion(apiVersion).WithWorkloadRuntime(runtime)));

    [Fact]
    public void SBX3007_legacy_runtime_is_a_warning_and_needs_a_preview_version()
    {
        var findings = Findings(b => b.WithWorkloadRuntime("kataMSHVvmIsolation"));
        AssertOnly(findings, "SBX3007", "properties.workloadRuntime");
        Assert.Equal(SandboxSeverity.Warning, findings[0].Severity);
        Assert.Equal(["SBX3007"], Findings(b => b.WithWorkloadRuntime(AksWorkloadRuntime.KataMshvVmIsolation).WithApiVersion("2022-11-02-preview")).Select(f => f.RuleId));
        Assert.Equal(["SBX3007", "SBX3006"], Findings(b => b.WithWorkloadRuntime(AksWorkloadRuntime.KataMshvVmIsolation).WithApiVersion("2025-10-01")).Select(f => f.RuleId));
    }

    [Theory]
    [InlineData("OCIContainer", "without VM isolation")]
    [InlineData("WasmWasi", "without VM isolation")]
    [InlineData("KataCcIsolation", "sunset in March 2026")]
    [InlineData("KataTurbo", "not a workload runtime AKS documents")]
    public void SBX3008_runtime_not_kata(string runtime, string why)
    {
        var findings = Findings(b => b.WithWorkloadRuntime(runtime));
        AssertOnly(findings, "SBX3008", "properties.workloadRuntime");
        Assert.Contains(why, findings[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Kata", "uppercase")]
    [InlineData("1kata", "must start with a lowercase letter")]
    [InlineData("kata-pool", "'-'")]
    [InlineData("katapool12345", "13 characters")]
    [InlineData("", "empty")]
    public void SBX3009_invalid_pool_name(string name, string why)
    {
        var findings = Good(name).Validate();
        AssertOnly(findings, "SBX3009", "name");
        Assert.Contains(why, findings[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("k")]
    [InlineData("kata")]
    [InlineData("katapool1234")]
    public void SBX3009_passes_for_valid_names(string name) => Assert.Empty(Good(name).Validate());

    [Theory]
    [InlineData(-1, null, null, "properties.count")]
    [InlineData(1001, null, null, "properties.count")]
    [InlineData(null, 5, 2, "properties.minCount")]
    [InlineData(null, -1, 3, "properties.minCount")]
    [InlineData(null, 0, 1001, "properties.maxCount")]
    [InlineData(null, 0, 0, "properties.maxCount")]
    public void SBX3010_counts_out_of_range(int? count, int? min, int? max, string path)
    {
        var findings = Findings(b => count is { } c ? b.WithNodeCount(c) : b.WithAutoscaling(min!.Value, max!.Value));
        AssertOnly(findings, "SBX3010", path);
    }

    [Fact]
    public void SBX3010_system_pools_need_a_node_and_initial_count_stays_in_bounds()
    {
        AssertOnly(Findings(b => b.WithMode(AksNodePoolMode.System).WithNodeCount(0)), "SBX3010", "properties.count");
        Assert.Empty(Findings(b => b.WithNodeCount(0)));
        Assert.Empty(Findings(b => b.WithAutoscaling(0, 1000)));
        AssertOnly(Findings(b => b.WithAutoscaling(1, 3, initialCount: 4)), "SBX3010", "properties.count");
    }

    [Theory]
    [InlineData("properties.maxPods")]
    [InlineData("properties.osDiskSizeGB")]
    [InlineData("properties.availabilityZones[0]")]
    [InlineData("properties.nodeLabels['bad key!']")]
    [InlineData("properties.nodeLabels['kubernetes.azure.com/mode']")]
    [InlineData("properties.nodeTaints[0]")]
    [InlineData("properties.vnetSubnetID")]
    [InlineData("properties.orchestratorVersion")]
    [InlineData("properties.tags['a/b']")]
    [InlineData("subscriptionId")]
    [InlineData("resourceGroup")]
    [InlineData("managedCluster.name")]
    [InlineData("apiVersion")]
    public void SBX3011_invalid_settings(string path)
    {
        var builder = path switch
        {
            "properties.maxPods" => Good().WithMaxPods(5),
            "properties.osDiskSizeGB" => Good().WithOsDisk(AksOsDiskType.Managed, 4096),
            "properties.availabilityZones[0]" => Good().WithAvailabilityZones("4"),
            "properties.nodeLabels['bad key!']" => Good().WithNodeLabel("bad key!", "x"),
            "properties.nodeLabels['kubernetes.azure.com/mode']" => Good().WithNodeLabel("kubernetes.azure.com/mode", "x"),
            "properties.nodeTaints[0]" => Good().WithNodeTaint("no-effect"),
            "properties.vnetSubnetID" => Good().WithSubnets("subnet-1"),
            "properties.orchestratorVersion" => Good().WithOrchestratorVersion("latest"),
            "properties.tags['a/b']" => Good().WithTag("a/b", "x"),
            "subscriptionId" => Good().InCluster("myAKSCluster", "rg", "not-a-guid"),
            "resourceGroup" => Good().InCluster("myAKSCluster", "rg."),
            "managedCluster.name" => Good().InCluster("", "rg"),
            "apiVersion" => Good().WithApiVersion("latest"),
            _ => throw new ArgumentOutOfRangeException(nameof(path)),
        };
        AssertOnly(builder.Validate(), "SBX3011", path);
    }

    [Theory]
    [InlineData("1.26", true)]
    [InlineData("1.26.3", true)]
    [InlineData("1.32", false)]
    [InlineData("1.35.1", false)]
    public void SBX3012_kubernetes_too_old(string version, bool fails)
    {
        var findings = Findings(b => b.WithOrchestratorVersion(version));
        if (fails)
        {
            AssertOnly(findings, "SBX3012", "properties.orchestratorVersion");
        }
        else
        {
            Assert.Empty(findings);
        }
    }

    [Fact]
    public void SBX3013_tainted_pool_needs_pod_tolerations()
    {
        var pool = Good().WithNodeTaint(AksNodeTaint.SandboxDefault).WithNodeTaint("soft=yes:PreferNoSchedule").Build();
        Assert.Single(pool.PodTolerations); // PreferNoSchedule needs no toleration

        var plain = Sandboxed.Deployment("web").WithContainer("web", "nginx:1.27", c => c.WithResources(cpu: "1", memory: "1Gi")).Build();
        var finding = Assert.Single(pool.ValidateWorkloads(plain));
        Assert.Equal("SBX3013", finding.RuleId);
        Assert.Equal("Deployment", finding.Kind);
        Assert.Equal("spec.template.spec.tolerations", finding.Path);
        Assert.Contains("sandboxing.sdk/runtime=kata:NoSchedule", finding.Message, StringComparison.Ordinal);

        var viaBuilder = Sandboxed.Deployment("web").WithNodePool(pool).WithContainer("web", "nginx:1.27", c => c.WithResources(cpu: "1", memory: "1Gi")).Build();
        Assert.Empty(pool.ValidateWorkloads(viaBuilder));

        var job = TestObjects.Job();
        job.Sandbox(pool);
        Assert.Equal("kata-vm-isolation", job.Spec.Template.Spec.RuntimeClassName);
        Assert.Empty(pool.ValidateWorkloads(job));
        job.Sandbox(pool); // idempotent: no duplicate toleration
        Assert.Single(job.Spec.Template.Spec.Tolerations);

        var tolerateAll = TestObjects.Pod();
        tolerateAll.Spec.Tolerations = [new k8s.Models.V1Toleration { OperatorProperty = "Exists" }];
        Assert.Empty(pool.ValidateWorkloads(tolerateAll));

        var wrongValue = TestObjects.Pod();
        wrongValue.Spec.Tolerations = [new k8s.Models.V1Toleration { Key = "sandboxing.sdk/runtime", OperatorProperty = "Equal", Value = "gvisor", Effect = "NoSchedule" }];
        Assert.Single(pool.ValidateWorkloads(wrongValue));
    }

    [Fact]
    public void SBX3013_custom_runtime_class_tolerations_count()
    {
        var pool = Good().WithNodeTaint(AksNodeTaint.SandboxDefault).Build();
        var small = SandboxRuntime.Define("small-kata-pods").WithOverhead(memory: "120Mi").WithToleration("sandboxing.sdk/runtime", "kata").Build();
        var pod = Sandboxed.Pod("p").WithRuntime(small).WithContainer("c", "busybox:1.36", c => c.WithResources(cpu: "250m", memory: "128Mi")).Build();
        Assert.Single(pool.ValidateWorkloads(pod));
        var plan = pool.Plan([pod], new CapacityPlanOptions { RuntimeClasses = [small], DefaultMaxPods = 30 });
        Assert.Empty(plan.Findings);
    }

    [Fact]
    public void Bad_input_is_one_exception_listing_every_problem_with_field_and_fix()
    {
        var builder = AksNodePool.ForSandboxing("Kata_Pool!")
            .InCluster("", "myResourceGroup")
            .WithVmSize("Standard_X9")
            .WithAutoscaling(min: 5, max: 2)
            .WithOsSku("Windows2022")
            .WithFips()
            .WithApiVersion("2025-08-01");
        var ex = Assert.Throws<SandboxValidationException>(() => builder.Build());
        Assert.Equal(["SBX3009", "SBX3011", "SBX3002", "SBX3005", "SBX3006", "SBX3010"], ex.Findings.Select(f => f.RuleId));
        Assert.All(ex.Findings, f => Assert.Equal(SandboxSeverity.Error, f.Severity));
        Assert.Contains("name: Node pool name 'Kata_Pool!' is not valid", ex.Message, StringComparison.Ordinal);
        Assert.Contains("managedCluster.name: Node pool 'Kata_Pool!': the cluster name is empty; call InCluster", ex.Message, StringComparison.Ordinal);
        Assert.Contains("properties.minCount", ex.Message, StringComparison.Ordinal);
        Assert.Contains("apiVersion: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"use API version '{AksApiVersions.Default}'", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("6 sandboxing errors:", ex.Message, StringComparison.Ordinal);

        // The unknown VM size is a warning: Validate() reports it with the errors.
        Assert.Contains(builder.Validate(), f => f.RuleId == "SBX3004" && f.Severity == SandboxSeverity.Warning);
    }

    [Fact]
    public void Count_out_of_range_and_bad_taint_and_label_are_reported_together()
    {
        var ex = Assert.Throws<SandboxValidationException>(() => Good()
            .WithNodeCount(1001)
            .WithNodeTaint("sandbox=kata:Sometimes")
            .WithNodeLabel("tier", "not valid!")
            .Build());
        Assert.Equal(["properties.count", "properties.nodeLabels['tier']", "properties.nodeTaints[0]"], ex.Findings.Select(f => f.Path));
    }

    [Fact]
    public void A_builder_builds_once()
    {
        var builder = Good();
        builder.Build();
        Assert.Throws<InvalidOperationException>(() => builder.WithMaxPods(30));
    }

    [Fact]
    public void Every_node_pool_rule_is_in_the_catalog_with_its_page()
    {
        var rules = SandboxRules.All.Where(r => r.Category == SandboxRules.NodePoolCategory).ToList();
        Assert.Equal(Enumerable.Range(1, 21).Concat(Enumerable.Range(30, 6)).Select(i => $"SBX30{i:00}"), rules.Select(r => r.Id)); // 3030-3035: AksCluster
        var docs = Path.Combine(RepoRoot(), "docs", "rules");
        foreach (var rule in rules)
        {
            Assert.Same(rule, SandboxRules.Find(rule.Id.ToLowerInvariant()));
            var page = Path.Combine(docs, rule.Id + ".md");
            Assert.True(File.Exists(page), $"{rule.Id} has no page at {page}");
            var text = File.ReadAllText(page);
            foreach (var section in new[] { "## Cause", "## Why it matters on Kata/AKS", "## How to fix", "## When to suppress", "## Configuration", "## Examples" })
            {
                Assert.Contains(section, text, StringComparison.Ordinal);
            }
        }
    }

    internal static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", "..", ".."));
}
