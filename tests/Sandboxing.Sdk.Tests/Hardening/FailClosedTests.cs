using CsCheck;
using k8s;
using k8s.Models;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Hardening;

/// <summary>No unsandboxed object slips through the builders or Sandbox(), and bad input gives clear errors.</summary>
public class FailClosedTests
{
    private static V1Pod Pod(string name, string? runtimeClass = null, Dictionary<string, string>? annotations = null) => new V1Pod
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "tenant-1", Annotations = annotations },
        Spec = new V1PodSpec { RuntimeClassName = runtimeClass, Containers = [new V1Container { Name = "app", Image = "busybox:1.36" }] },
    }.Initialize();

    private static void App(ContainerBuilder c) => c.WithResources(cpu: "1", memory: "1Gi");

    // --- Sandbox() on sequences -------------------------------------------------------------------------------------------

    [Fact]
    public void Sandbox_refuses_a_lazy_Select_so_no_thrown_away_object_is_sandboxed()
    {
        var names = new List<string> { "a", "b" };
        IEnumerable<V1Pod> lazy = names.Select(n => Pod(n));
        var error = Assert.Throws<SandboxException>(() => lazy.Sandbox());
        Assert.Contains("lazy sequence", error.Message, StringComparison.Ordinal);
        Assert.Contains("ToList()", error.Message, StringComparison.Ordinal);

        // From an array, from Enumerable.Range and from an iterator too.
        Assert.Throws<SandboxException>(() => names.ToArray().Select(n => Pod(n)).Sandbox());
        Assert.Throws<SandboxException>(() => Enumerable.Range(0, 2).Select(i => Pod("p" + i)).Sandbox(SandboxRuntime.KataQemu));
        Assert.Throws<SandboxException>(() => Yield().Sandbox());

        static IEnumerable<V1Pod> Yield()
        {
            yield return Pod("y");
        }
    }

    [Fact]
    public void Sandbox_on_a_materialised_sequence_sandboxes_its_objects_in_place()
    {
        var list = new[] { "a", "b" }.Select(n => Pod(n)).ToList();
        Assert.Same(list, list.Sandbox());
        Assert.All(list, p => Assert.Equal("kata-vm-isolation", p.Spec.RuntimeClassName));

        var set = new HashSet<V1Pod>(ReferenceEqualityComparer.Instance) { Pod("c") };
        set.Sandbox();
        Assert.All(set, p => Assert.True(p.IsSandboxed()));
    }

    // --- host-kernel runtimes and the implicit string conversion ---------------------------------------------------------

    [Theory]
    [InlineData("runc")]
    [InlineData("crun")]
    [InlineData("youki")]
    public void Sandbox_with_a_host_kernel_class_throws_and_changes_nothing(string runtimeClass)
    {
        var pod = Pod("app");
        var error = Assert.Throws<SandboxException>(() => pod.Sandbox(runtimeClass));   // compiles through string -> SandboxRuntime
        Assert.Contains($"'{runtimeClass}' runs pods on the node's shared kernel", error.Message, StringComparison.Ordinal);
        Assert.Null(pod.Spec.RuntimeClassName);
        Assert.Throws<SandboxException>(() => new List<V1Pod> { pod }.Sandbox(runtimeClass));
        Assert.Throws<SandboxException>(() => pod.Sandbox(new SandboxOptions { Runtime = runtimeClass }));
    }

    [Fact]
    public void WithRuntime_runc_throws_naming_the_object_and_the_way_out()
    {
        var error = Assert.Throws<SandboxException>(() => Sandboxed.Pod("app").WithRuntime("runc"));
        Assert.Contains("Pod app: WithRuntime: 'runc'", error.Message, StringComparison.Ordinal);
        Assert.Contains("WithoutSandbox(reason)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "SBX1001")]
    [InlineData("", "SBX1002")]
    [InlineData("runc", "SBX1002")]
    [InlineData("my-unknown-class", "SBX1002")]
    public void Build_refuses_a_runtime_class_removed_or_replaced_through_ConfigurePodSpec(string? runtimeClass, string rule)
    {
        var builder = Sandboxed.Deployment("web").InNamespace("tenant-1")
            .WithContainer("web", "nginx:1.27", App)
            .ConfigurePodSpec(s => s.RuntimeClassName = runtimeClass);
        var error = Assert.Throws<SandboxValidationException>(() => builder.Build());
        var finding = Assert.Single(error.Findings);
        Assert.Equal(rule, finding.RuleId);
        Assert.Equal("spec.template.spec.runtimeClassName", finding.Path);
        Assert.Contains("spec.template.spec.runtimeClassName", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_accepts_a_host_kernel_class_only_with_an_opt_out_reason()
    {
        var pod = Sandboxed.Pod("agent")
            .WithContainer("agent", "ghcr.io/acme/agent:1", App)
            .ConfigurePodSpec(s => s.RuntimeClassName = "runc")
            .WithAnnotation(SandboxAnnotations.Exempt, "node agent needs the host kernel")
            .Build();
        Assert.Equal("runc", pod.Spec.RuntimeClassName);

        var withoutSandbox = Sandboxed.Pod("agent2").WithContainer("agent", "ghcr.io/acme/agent:1", App).WithoutSandbox("host networking").Build();
        Assert.Null(withoutSandbox.Spec.RuntimeClassName);
    }

    [Fact]
    public void From_an_object_on_runc_gives_the_default_sandbox_class()
    {
        var built = Sandboxed.From(Pod("app", "runc")).Build();
        Assert.Equal("kata-vm-isolation", built.Spec.RuntimeClassName);
    }

    // --- a captured ContainerBuilder -------------------------------------------------------------------------------------

    [Fact]
    public void A_ContainerBuilder_kept_outside_its_lambda_cannot_change_the_built_object()
    {
        ContainerBuilder? captured = null;
        var pod = Sandboxed.Pod("app").WithContainer("app", "busybox:1.36", c => { App(c); captured = c; }).Build();
        var before = KubernetesJson.Serialize(pod);

        var error = Assert.Throws<InvalidOperationException>(() => captured!.WithEnv("EVIL", "1"));
        Assert.Contains("spec.containers[0]", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => captured!.WithSecurityContext(s => s.Privileged = true));
        Assert.Throws<InvalidOperationException>(() => captured!.Configure(c => c.Image = "evil:1"));
        Assert.Equal(before, KubernetesJson.Serialize(pod));
    }

    [Fact]
    public void A_ContainerBuilder_is_closed_even_when_its_lambda_throws()
    {
        ContainerBuilder? captured = null;
        var builder = Sandboxed.Pod("app");
        Assert.Throws<ArgumentException>(() => builder.WithInitContainer("init", "busybox:1.36", c => { captured = c; c.WithWorkingDir(""); }));
        Assert.Throws<InvalidOperationException>(() => captured!.WithArgs("x"));
    }

    // --- one exemption model ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("SBX1001", null)]
    [InlineData("SBX1002", "runc")]
    public async Task A_per_rule_exemption_of_an_isolation_rule_does_not_let_an_unsandboxed_pod_through(string rule, string? runtimeClass)
    {
        var pod = Pod("app", runtimeClass, new Dictionary<string, string> { [SandboxAnnotations.ExemptRule(rule)] = "legacy" });

        Assert.Contains(SandboxValidator.Validate(pod), f => f.RuleId == rule);
        Assert.False(SandboxValidator.IsPerRuleExemptable(rule));

        // apply refuses it before sending anything (the address is never contacted)
        var client = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" });
        var error = await Assert.ThrowsAsync<SandboxValidationException>(() => client.ApplySandboxedAsync(pod, "tests"));
        Assert.Contains(error.Findings, f => f.RuleId == rule);

        // Sandbox() treats it as not exempt: it sandboxes it
        pod.Sandbox();
        Assert.Equal("kata-vm-isolation", pod.Spec.RuntimeClassName);
        Assert.DoesNotContain(SandboxValidator.Validate(pod), f => f.RuleId == rule);
    }

    [Fact]
    public void An_opt_out_annotation_without_a_value_exempts_nothing_on_the_pod_or_its_template()
    {
        // YAML `sandboxing.sdk/exempt: ~` reads as a null value: a blank reason, which must not count as a reason.
        var pod = Pod("agent", null, new Dictionary<string, string> { [SandboxAnnotations.Exempt] = null! });
        var findings = SandboxValidator.Validate(pod);
        Assert.Contains(findings, f => f.RuleId == "SBX1004" && f.Path == $"metadata.annotations['{SandboxAnnotations.Exempt}']");
        Assert.Contains(findings, f => f.RuleId == "SBX1001");

        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1", Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "agent", NamespaceProperty = "tenant-1" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "agent" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = new Dictionary<string, string> { ["app"] = "agent" },
                        Annotations = new Dictionary<string, string> { [SandboxAnnotations.Exempt] = null! },
                    },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox:1.36" }] },
                },
            },
        };
        findings = SandboxValidator.Validate(deployment);
        Assert.Contains(findings, f => f.RuleId == "SBX1004" && f.Path == $"template metadata.annotations['{SandboxAnnotations.Exempt}']");
        Assert.Contains(findings, f => f.RuleId == "SBX1001");
    }

    [Theory]
    [InlineData("SBX0001")]
    [InlineData("SBX1004")]
    [InlineData("SBX2009")]
    public void Names_quantities_and_blank_opt_outs_cannot_be_exempted(string rule) =>
        Assert.False(SandboxValidator.IsPerRuleExemptable(rule));

    [Theory]
    [InlineData("SBX1003")]
    [InlineData("SBX2001")]
    [InlineData("SBX2004")]
    [InlineData("SBX2008")]
    public void Rules_about_a_pod_that_stays_sandboxed_can_be_exempted(string rule) =>
        Assert.True(SandboxValidator.IsPerRuleExemptable(rule));

    [Fact]
    public void The_opt_out_is_the_one_exemption_for_isolation_everywhere()
    {
        var pod = Pod("agent", null, new Dictionary<string, string> { [SandboxAnnotations.Exempt] = "node agent" });
        Assert.DoesNotContain(SandboxValidator.Validate(pod), f => f.RuleId is "SBX1001" or "SBX1002");
        Assert.Throws<SandboxException>(() => pod.Sandbox());
        Assert.Same(pod, pod.Sandbox(new SandboxOptions { SkipOptedOut = true }));
        Assert.Null(pod.Spec.RuntimeClassName);
    }

    // --- quantities ------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("memory", "1e400")]
    [InlineData("memory", "-1Gi")]
    [InlineData("cpu", "1e400")]
    [InlineData("cpu", "-2")]
    public async Task Validate_reports_an_unusable_quantity_as_a_finding_with_its_path(string resource, string value)
    {
        var pod = KubernetesJson.Deserialize<V1Pod>(
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"probe","namespace":"tenant-1"},"spec":{"runtimeClassName":"kata-vm-isolation","containers":[{"name":"probe","image":"busybox:1.36","resources":{"limits":{"RESOURCE":"VALUE"},"requests":{"cpu":"1"}}}]}}"""
                .Replace("RESOURCE", resource, StringComparison.Ordinal).Replace("VALUE", value, StringComparison.Ordinal));
        var findings = SandboxValidator.Validate(pod);
        var finding = Assert.Single(findings, f => f.RuleId == "SBX2009");
        Assert.Equal($"spec.containers[0].resources.limits.{resource}", finding.Path);
        Assert.Contains($"spec.containers[0].resources.limits.{resource} '", finding.Message, StringComparison.Ordinal);
        if (value.StartsWith('-'))
        {
            Assert.Contains($"'{value}' is not a usable quantity", finding.Message, StringComparison.Ordinal);
        }

        var client = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" });
        var error = await Assert.ThrowsAsync<SandboxValidationException>(() => client.ApplySandboxedAsync(pod, "tests"));
        Assert.Contains(error.Findings, f => f.RuleId == "SBX2009");
    }

    [Fact]
    public void Quantities_that_are_not_text_of_a_quantity_never_reach_Validate()
    {
        // KubernetesClient refuses "12 GB" and "two" while reading the object; SandboxManifest.Read and lint report them with a line.
        Assert.ThrowsAny<Exception>(() => KubernetesJson.Deserialize<V1Pod>("""{"spec":{"containers":[{"name":"a","resources":{"limits":{"memory":"12 GB"}}}]}}"""));
        Assert.ThrowsAny<Exception>(() => KubernetesJson.Deserialize<V1Pod>("""{"spec":{"containers":[{"name":"a","resources":{"limits":{"cpu":"two"}}}]}}"""));
    }

    [Fact]
    public void Overhead_and_emptyDir_sizes_are_checked_too()
    {
        var pod = Pod("app", "kata-vm-isolation");
        pod.Spec.Overhead = new Dictionary<string, ResourceQuantity> { ["memory"] = new ResourceQuantity("-1Mi") };
        pod.Spec.Volumes = [new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("1e400") } }];
        var paths = SandboxValidator.Validate(pod).Where(f => f.RuleId == "SBX2009").Select(f => f.Path).ToList();
        Assert.Equal(["spec.overhead.memory", "spec.volumes[0].emptyDir.sizeLimit"], paths);
    }

    // --- nulls -----------------------------------------------------------------------------------------------------------

    [Fact]
    public void Null_tolerations_in_SandboxOptions_fail_with_a_clear_error()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new SandboxOptions { Tolerations = null! });
        Assert.Contains("SandboxOptions.Tolerations is null", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentNullException>(() => new SandboxOptions { Tolerations = [new V1Toleration { Key = "a" }, null!] });
        Assert.Contains("SandboxOptions.Tolerations[1] is null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_tolerations_in_a_builder_fail_with_a_clear_error()
    {
        var error = Assert.Throws<ArgumentNullException>(() => Sandboxed.Job("j").WithTolerations([null!]));
        Assert.Contains("spec.template.spec.tolerations: toleration [0] is null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigurePodSpec_that_removes_the_container_list_fails_with_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => Sandboxed.Job("j").ConfigurePodSpec(s => s.Containers = null!));
        Assert.Contains("ConfigurePodSpec set spec.template.spec.containers to null", error.Message, StringComparison.Ordinal);
    }

    // --- SBX0001 keeps its reason ----------------------------------------------------------------------------------------

    [Fact]
    public void SBX0001_says_why_a_name_is_not_valid()
    {
        var finding = Assert.Single(SandboxValidator.Validate(Pod("Bad_Name", "kata-vm-isolation")), f => f.RuleId == "SBX0001");
        Assert.StartsWith("Pod tenant-1/Bad_Name: metadata.name 'Bad_Name' is not valid: ", finding.Message, StringComparison.Ordinal);
        Assert.Contains("uppercase", finding.Message, StringComparison.Ordinal);
    }

    // --- laws ------------------------------------------------------------------------------------------------------------

    private static readonly Gen<string?> RuntimeClassEdit = Gen.OneOfConst<string?>(
        null, "", " ", "runc", "crun", "Bad_Name", "custom-class", "kata-vm-isolation", "kata-mshv-vm-isolation", "gvisor");

    [Fact]
    public void A_builder_never_returns_a_pod_that_runs_unsandboxed_without_a_reason() =>
        Gen.Select(RuntimeClassEdit, Gen.Bool, Gen.Int[0, 2]).Sample(t =>
        {
            var (runtimeClass, exempt, kind) = t;
            IKubernetesObject<V1ObjectMeta>? built = null;
            try
            {
                built = kind switch
                {
                    0 => Edit(Sandboxed.Pod("p").WithContainer("c", "img:1", App), runtimeClass, exempt).Build(),
                    1 => Edit(Sandboxed.Deployment("d").WithContainer("c", "img:1", App), runtimeClass, exempt).Build(),
                    _ => Edit(Sandboxed.CronJob("cj", "@daily").WithContainer("c", "img:1", App), runtimeClass, exempt).Build(),
                };
            }
            catch (SandboxException)
            {
                return; // refused: fine
            }

            var site = Assert.Single(PodTemplates.FindAll(built));
            bool sandboxed = site.Spec.RuntimeClassName is { } name
                && (SandboxValidationOptions.Default.IsAllowed(name) || KnownRuntimeClasses.Find(name) is { IsObsolete: true });
            Assert.True(sandboxed || exempt, $"built with runtimeClassName '{site.Spec.RuntimeClassName}' and no opt-out");
            Assert.False(SandboxRuntime.IsHostKernelClass(site.Spec.RuntimeClassName) && !exempt);
        }, iter: 300);

    private static TBuilder Edit<TBuilder, TObject>(WorkloadBuilder<TBuilder, TObject> builder, string? runtimeClass, bool exempt)
        where TBuilder : WorkloadBuilder<TBuilder, TObject>
        where TObject : class, IKubernetesObject<V1ObjectMeta>
    {
        var edited = builder.ConfigurePodSpec(s => s.RuntimeClassName = runtimeClass);
        return exempt ? edited.WithAnnotation(SandboxAnnotations.Exempt, "reason") : edited;
    }

    [Fact]
    public void Validate_never_throws_on_unusable_quantities() =>
        Gen.Select(Gen.OneOfConst("1e400", "-1", "-1Gi", "1Gi", "500m", "0"), Gen.OneOfConst("memory", "cpu", "ephemeral-storage"), Gen.Bool)
            .List[0, 4].Sample(entries =>
            {
                var pod = Pod("app", "kata-vm-isolation");
                var limits = new Dictionary<string, ResourceQuantity>();
                var requests = new Dictionary<string, ResourceQuantity>();
                foreach (var (value, resource, request) in entries)
                {
                    (request ? requests : limits)[resource] = new ResourceQuantity(value);
                }

                pod.Spec.Containers[0].Resources = new V1ResourceRequirements { Limits = limits, Requests = requests };
                var findings = SandboxValidator.Validate(pod);
                int bad = limits.Values.Concat(requests.Values).Count(q => !Quantities.TryValueOf(q, out _, out _));
                Assert.Equal(bad, findings.Count(f => f.RuleId == "SBX2009"));
            }, iter: 500);
}
