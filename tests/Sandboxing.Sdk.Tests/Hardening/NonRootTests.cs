using CsCheck;
using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Tests.Hardening;

/// <summary>Pods that start: A default non-root user in the builders and Sandbox(), and SBX2008.</summary>
public class NonRootTests
{
    private static void App(ContainerBuilder c) => c.WithResources(cpu: "500m", memory: "256Mi");

    private static V1Pod Pod(V1PodSecurityContext? pod, V1SecurityContext? container, V1SecurityContext? init = null) => new V1Pod
    {
        Metadata = new V1ObjectMeta { Name = "probe" },
        Spec = new V1PodSpec
        {
            RuntimeClassName = "kata-vm-isolation",
            SecurityContext = pod,
            InitContainers = init is null ? null : [new V1Container { Name = "init", Image = "busybox:1.36", SecurityContext = init }],
            Containers = [new V1Container { Name = "probe", Image = "busybox:1.36", SecurityContext = container }],
        },
    }.Initialize();

    private static IEnumerable<SandboxFinding> Sbx2008(object obj) => SandboxValidator.Validate(obj).Where(f => f.RuleId == "SBX2008");

    [Fact]
    public void Builders_run_pods_as_the_default_non_root_user_and_group()
    {
        // python:3.12-slim has no USER (uid 0): with runAsNonRoot alone the kubelet would refuse it.
        var job = Sandboxed.Job("script").WithContainer("script", "python:3.12-slim", App).Build();
        var context = job.Spec.Template.Spec.SecurityContext;
        Assert.True(context.RunAsNonRoot);
        Assert.Equal(SecureDefaults.UserId, context.RunAsUser);
        Assert.Equal(SecureDefaults.GroupId, context.RunAsGroup);
        Assert.Equal(25000, SecureDefaults.UserId);
        Assert.Equal(26000, SecureDefaults.GroupId);
        Assert.Empty(Sbx2008(job));

        var pod = Sandboxed.Pod("p").WithContainer("c", "busybox:1.36", App).Build();
        Assert.Equal(25000, pod.Spec.SecurityContext.RunAsUser);
    }

    [Fact]
    public void The_default_user_is_overridable_on_the_workload_and_the_container()
    {
        var deployment = Sandboxed.Deployment("app").RunAsUser(1001, groupId: 1002)
            .WithContainer("app", "ghcr.io/acme/app:1", c => App(c.RunAsUser(2000)))
            .Build();
        var pod = deployment.Spec.Template.Spec;
        Assert.Equal(1001, pod.SecurityContext.RunAsUser);
        Assert.Equal(1002, pod.SecurityContext.RunAsGroup);
        Assert.Equal(2000, pod.Containers[0].SecurityContext.RunAsUser);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sandboxed.Pod("p").RunAsUser(0));

        var viaContext = Sandboxed.Pod("p").WithPodSecurityContext(s => s.RunAsUser = 65532).WithContainer("c", "gcr.io/distroless/static:nonroot", App).Build();
        Assert.Equal(65532, viaContext.Spec.SecurityContext.RunAsUser);
    }

    [Fact]
    public void SBX2008_runAsNonRoot_on_the_pod_without_a_user()
    {
        var finding = Assert.Single(Sbx2008(Pod(new V1PodSecurityContext { RunAsNonRoot = true }, null)));
        Assert.Equal("spec.containers[0].securityContext.runAsUser", finding.Path);
        Assert.Equal(SandboxSeverity.Warning, finding.Severity);
        Assert.Contains("container has runAsNonRoot and image will run as root", finding.Message, StringComparison.Ordinal);
        Assert.Contains("'probe'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SBX2008_runAsNonRoot_on_the_container_and_init_container_without_a_user()
    {
        var findings = Sbx2008(Pod(null, new V1SecurityContext { RunAsNonRoot = true }, new V1SecurityContext { RunAsNonRoot = true })).ToList();
        Assert.Equal(["spec.initContainers[0].securityContext.runAsUser", "spec.containers[0].securityContext.runAsUser"], findings.Select(f => f.Path));
    }

    [Fact]
    public void SBX2008_runAsUser_zero_breaks_the_non_root_policy()
    {
        var finding = Assert.Single(Sbx2008(Pod(new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 1000 }, new V1SecurityContext { RunAsUser = 0 })));
        Assert.Contains("container's runAsUser breaks non-root policy", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, 1000L, null, null)]     // the pod names a user
    [InlineData(null, null, true, 1000L)]     // the container does
    [InlineData(true, null, false, null)]     // the container turns the check off
    [InlineData(null, null, null, null)]      // no check at all
    [InlineData(true, null, null, 1000L)]     // pod asserts, container names the user
    public void No_SBX2008_when_the_kubelet_would_start_the_container(bool? podNonRoot, long? podUser, bool? containerNonRoot, long? containerUser)
    {
        var pod = Pod(new V1PodSecurityContext { RunAsNonRoot = podNonRoot, RunAsUser = podUser },
            new V1SecurityContext { RunAsNonRoot = containerNonRoot, RunAsUser = containerUser });
        Assert.Empty(Sbx2008(pod));
    }

    [Fact]
    public void SBX2008_can_be_exempted_per_rule()
    {
        var pod = Pod(new V1PodSecurityContext { RunAsNonRoot = true }, null);
        pod.Metadata.Annotations = new Dictionary<string, string> { ["sandboxing.sdk/exempt.SBX2008"] = "image USER is 65532" };
        Assert.Empty(Sbx2008(pod));
    }

    [Fact]
    public void Sandbox_adds_the_same_user_only_when_asked()
    {
        var pod = Pod(new V1PodSecurityContext { RunAsNonRoot = true }, null);
        pod.Spec.RuntimeClassName = null;
        pod.Sandbox();
        Assert.Null(pod.Spec.SecurityContext.RunAsUser);  // default Sandbox(): class and tolerations only

        pod.Sandbox(new SandboxOptions { RunAsNonRootUser = true });
        Assert.Equal(SecureDefaults.UserId, pod.Spec.SecurityContext.RunAsUser);
        Assert.Equal(SecureDefaults.GroupId, pod.Spec.SecurityContext.RunAsGroup);
        Assert.Empty(Sbx2008(pod));

        var bare = Pod(null, null);
        bare.Sandbox(new SandboxOptions { RunAsNonRootUser = true, RunAsUser = 1234, RunAsGroup = 1235 });
        Assert.Equal((true, 1234L, 1235L), (bare.Spec.SecurityContext.RunAsNonRoot, bare.Spec.SecurityContext.RunAsUser, bare.Spec.SecurityContext.RunAsGroup));
    }

    [Fact]
    public void Sandbox_keeps_a_user_that_is_already_chosen()
    {
        var pod = Pod(new V1PodSecurityContext { RunAsNonRoot = false, RunAsUser = 1000 }, null);
        pod.Sandbox(new SandboxOptions { RunAsNonRootUser = true });
        Assert.Equal((false, 1000L, (long?)null), (pod.Spec.SecurityContext.RunAsNonRoot, pod.Spec.SecurityContext.RunAsUser, pod.Spec.SecurityContext.RunAsGroup));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxOptions { RunAsUser = 0 });
    }

    private static readonly Gen<V1SecurityContext?> ContainerContext =
        Gen.Select(Gen.OneOfConst<bool?>(null, true, false), Gen.OneOfConst<long?>(null, 0, 1000))
            .Select(t => t.Item1 is null && t.Item2 is null ? null : new V1SecurityContext { RunAsNonRoot = t.Item1, RunAsUser = t.Item2 });

    private static readonly Gen<V1PodSecurityContext?> PodContext =
        Gen.Select(Gen.OneOfConst<bool?>(null, true, false), Gen.OneOfConst<long?>(null, 0, 1000))
            .Select(t => t.Item1 is null && t.Item2 is null ? null : new V1PodSecurityContext { RunAsNonRoot = t.Item1, RunAsUser = t.Item2 });

    [Fact]
    public void Sandbox_with_the_non_root_user_is_idempotent_and_leaves_only_explicit_root_or_opt_outs() =>
        Gen.Select(PodContext, ContainerContext, ContainerContext).Sample(t =>
        {
            var (podContext, container, init) = t;
            var pod = Pod(podContext, container, init);
            var options = new SandboxOptions { RunAsNonRootUser = true };
            pod.Sandbox(options);
            var once = KubernetesJson.Serialize(pod);
            pod.Sandbox(options);
            Assert.Equal(once, KubernetesJson.Serialize(pod));

            // Any SBX2008 left comes from a user id 0 someone chose: Sandbox() never leaves runAsNonRoot without a user.
            foreach (var finding in Sbx2008(pod))
            {
                Assert.Contains("runAsUser: 0", finding.Message, StringComparison.Ordinal);
            }
        }, iter: 500);
}
