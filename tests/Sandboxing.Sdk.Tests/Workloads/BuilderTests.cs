using k8s.Models;

namespace Sandboxing.Sdk.Tests.Workloads;

public class BuilderTests
{
    private static void Runner(ContainerBuilder c) => c.WithResources(cpu: "1", memory: "1Gi");

    [Fact]
    public void Pod_yaml() => Golden.Match(SandboxManifest.ToYaml(Sandboxed.Pod("probe").InNamespace("tenant-1")
        .WithRestartPolicy("Never")
        .WithContainer("probe", "busybox:1.36", c => c.WithCommand("sh", "-c", "echo ok").WithResources("250m", "128Mi"))
        .Build()));

    [Fact]
    public void Deployment_yaml() => Golden.Match(SandboxManifest.ToYaml(Sandboxed.Deployment("code-runner")
        .InNamespace("tenant-42")
        .WithReplicas(3)
        .WithRollingUpdate("1", "0")
        .WithLabel("app.kubernetes.io/part-of", "acme")
        .WithAnnotation("acme.io/owner", "platform-team")
        .WithPodAnnotation("acme.io/tenant", "42")
        .WithServiceAccount("runner")
        .WithNodeSelector("kubernetes.io/arch", "amd64")
        .WithToleration("sandbox", "kata")
        .WithImagePullSecret("registry-creds")
        .WithTerminationGracePeriod(TimeSpan.FromSeconds(5))
        .WithPriorityClass("tenant-workloads")
        .WithAffinity(new V1Affinity
        {
            PodAntiAffinity = new V1PodAntiAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1WeightedPodAffinityTerm
                    {
                        Weight = 100,
                        PodAffinityTerm = new V1PodAffinityTerm
                        {
                            TopologyKey = "kubernetes.io/hostname",
                            LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "code-runner" } },
                        },
                    },
                ],
            },
        })
        .WithInitContainer("fetch", "ghcr.io/acme/fetch:1.0", c => c.WithArgs("--to", "/work").WithVolumeMount("work", "/work").WithResources("100m", "128Mi"))
        .WithContainer("runner", "ghcr.io/acme/runner:1.4", c => c
            .WithArgs("--untrusted")
            .WithWorkingDir("/work")
            .WithImagePullPolicy("IfNotPresent")
            .WithEnv("MODE", "sandbox")
            .WithEnvFromSecret("API_TOKEN", "runner-secrets", "token")
            .WithEnvFromConfigMap("LOG_LEVEL", "runner-config", "logLevel", optional: true)
            .WithAllEnvFromConfigMap("runner-env", prefix: "RUNNER_")
            .WithAllEnvFromSecret("runner-env-secrets")
            .WithPort(8080, "http")
            .WithResources(cpu: "1", memory: "1Gi")
            .WithLivenessProbe(Probes.HttpGet("/healthz", 8080, initialDelaySeconds: 5))
            .WithReadinessProbe(Probes.TcpSocket(8080))
            .WithStartupProbe(Probes.Exec("cat", "/tmp/ready"))
            .WithVolumeMount("work", "/work")
            .WithVolumeMount("config", "/etc/runner", readOnly: true)
            .WithVolumeMount("secrets", "/var/run/secrets/runner", readOnly: true)
            .WithVolumeMount("data", "/data")
            .WithVolumeMount("bundle", "/etc/bundle", readOnly: true)
            .RunAsUser(10001, 10001))
        .WithEmptyDirVolume("work", sizeLimit: "2Gi")
        .WithConfigMapVolume("config", "runner-config")
        .WithSecretVolume("secrets", "runner-secrets")
        .WithPersistentVolumeClaimVolume("data", "runner-data")
        .WithProjectedVolume("bundle",
            new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "runner-config" } },
            new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token", ExpirationSeconds = 600 } })
        .Build()));

    [Fact]
    public void Stateful_set_yaml() => Golden.Match(SandboxManifest.ToYaml(Sandboxed.StatefulSet("notebook")
        .InNamespace("tenant-7")
        .WithReplicas(2)
        .WithServiceName("notebook")
        .WithVolumeClaimTemplate("home", "10Gi", "managed-csi")
        .WithContainer("jupyter", "quay.io/jupyter/base-notebook:2026-01", c => c.WithResources("2", "4Gi").WithVolumeMount("home", "/home/jovyan").WithPort(8888))
        .Build()));

    [Fact]
    public void Daemon_set_yaml() => Golden.Match(SandboxManifest.ToYaml(Sandboxed.DaemonSet("log-shipper")
        .InNamespace("observability")
        .WithContainer("shipper", "fluent/fluent-bit:3.1", Runner)
        .Build()));

    [Fact]
    public void Replica_set_yaml() => Golden.Match(SandboxManifest.ToYaml(Sandboxed.ReplicaSet("worker")
        .InNamespace("jobs")
        .WithReplicas(4)
        .WithContainer("worker", "ghcr.io/acme/worker:2", Runner)
        .Build()));

    [Fact]
    public void Job_yaml() => Golden.Match(SandboxManifest.ToYaml(Sandboxed.Job("run-42")
        .InNamespace("tenant-42")
        .WithActiveDeadline(TimeSpan.FromMinutes(10))
        .WithBackoffLimit(0)
        .WithTtlAfterFinished(TimeSpan.FromHours(1))
        .WithCompletions(3, parallelism: 2)
        .WithRestartPolicy("OnFailure")
        .WithContainer("script", "python:3.12-slim", c => c.WithCommand("python", "main.py").WithResources("500m", "256Mi"))
        .Build()));

    [Fact]
    public void Cron_job_yaml() => Golden.Match(SandboxManifest.ToYaml(Sandboxed.CronJob("nightly-scan", "0 3 * * *")
        .InNamespace("security")
        .WithConcurrencyPolicy("Forbid")
        .WithTimeZone("Europe/Paris")
        .WithActiveDeadline(TimeSpan.FromHours(1))
        .WithBackoffLimit(2)
        .Suspended(false)
        .WithContainer("scan", "ghcr.io/acme/scan:5", Runner)
        .Build()));

    [Fact]
    public void Defaults_are_sandboxed_and_restricted()
    {
        var job = Sandboxed.Job("j").WithContainer("c", "img:1").Build();
        var spec = job.Spec.Template.Spec;
        Assert.Equal("batch/v1", job.ApiVersion);
        Assert.Equal("Job", job.Kind);
        Assert.Equal("kata-vm-isolation", spec.RuntimeClassName);
        Assert.False(spec.AutomountServiceAccountToken);
        Assert.True(spec.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", spec.SecurityContext.SeccompProfile.Type);
        Assert.Equal("Never", spec.RestartPolicy);
        var container = Assert.Single(spec.Containers);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(container.SecurityContext.RunAsNonRoot);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal("j", job.Metadata.Labels["app.kubernetes.io/name"]);
        Assert.Equal("j", job.Spec.Template.Metadata.Labels["app.kubernetes.io/name"]);
    }

    [Fact]
    public void Workloads_select_their_own_pods()
    {
        var deployment = Sandboxed.Deployment("web").WithContainer("c", "img:1").Build();
        Assert.Equal(1, deployment.Spec.Replicas);
        foreach (var (key, value) in deployment.Spec.Selector.MatchLabels)
        {
            Assert.Equal(value, deployment.Spec.Template.Metadata.Labels[key]);
        }
    }

    [Fact]
    public void Defaults_can_be_overridden()
    {
        var pod = Sandboxed.Pod("p")
            .WithRuntime(SandboxRuntime.KataQemu)
            .WithServiceAccountToken()
            .WithPodSecurityContext(s => s.FsGroup = 2000)
            .WithContainer("c", "img:1", c => c.WithWritableRootFilesystem().WithSecurityContext(s => s.RunAsNonRoot = false).WithResources("1", "1Gi"))
            .Build();
        Assert.Equal("kata-qemu", pod.Spec.RuntimeClassName);
        Assert.True(pod.Spec.AutomountServiceAccountToken);
        Assert.Equal(2000, pod.Spec.SecurityContext.FsGroup);
        Assert.False(pod.Spec.Containers[0].SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(pod.Spec.Containers[0].SecurityContext.RunAsNonRoot);
    }

    [Fact]
    public void With_resources_sets_requests_equal_to_limits()
    {
        var pod = Sandboxed.Pod("p").WithContainer("c", "img:1", c => c.WithResources("1500m", "3Gi")).Build();
        var resources = pod.Spec.Containers[0].Resources;
        Assert.Equal(resources.Limits["cpu"], resources.Requests["cpu"]);
        Assert.Equal(resources.Limits["memory"], resources.Requests["memory"]);
        Assert.Equal("3Gi", resources.Limits["memory"].ToString());
    }

    [Fact]
    public void Gvisor_runtime_adds_its_toleration()
    {
        var pod = Sandboxed.Pod("p").WithRuntime(SandboxRuntime.GkeGvisor).WithRuntime(SandboxRuntime.GkeGvisor)
            .WithContainer("c", "img:1", Runner).Build();
        Assert.Equal("gvisor", pod.Spec.RuntimeClassName);
        Assert.Single(pod.Spec.Tolerations);
    }

    [Fact]
    public void Opt_out_records_the_reason()
    {
        var ds = Sandboxed.DaemonSet("node-agent")
            .WithoutSandbox("node agent needs host networking")
            .ConfigurePodSpec(s => s.HostNetwork = true)
            .WithContainer("agent", "img:1", Runner)
            .Build();
        Assert.Null(ds.Spec.Template.Spec.RuntimeClassName);
        Assert.Equal("node agent needs host networking", ds.Metadata.Annotations[SandboxAnnotations.Exempt]);
        Assert.Empty(SandboxValidator.Validate(ds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Opt_out_without_a_reason_is_refused(string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => Sandboxed.Pod("p").WithoutSandbox(reason));
        Assert.Contains("SBX1004", error.Message);
        Assert.Contains("needs a reason", error.Message);
    }

    [Fact]
    public void Build_throws_one_exception_listing_every_error()
    {
        var builder = Sandboxed.Pod("p")
            .ConfigurePodSpec(s => s.HostNetwork = true)
            .WithContainer("a", "img:1", c => c.WithResources("1", "64Mi"))
            .WithContainer("b", "img:1", c => c.WithResources("1", "100Mi"));
        var error = Assert.Throws<SandboxValidationException>(() => builder.Build());
        Assert.Equal(["SBX2001", "SBX2007", "SBX2007"], error.Findings.Select(f => f.RuleId));
        Assert.Contains("spec.hostNetwork", error.Message);
        Assert.Contains("spec.containers[1].resources.limits.memory", error.Message);
        Assert.Contains("3 sandboxing errors", error.Message);
    }

    [Fact]
    public void Info_findings_do_not_stop_the_build_but_are_visible()
    {
        var builder = Sandboxed.Pod("p").WithContainer("c", "img:1");
        Assert.Equal("SBX2005", Assert.Single(builder.Validate()).RuleId);
        Assert.NotNull(builder.Build());
    }

    [Fact]
    public void A_builder_builds_once()
    {
        var builder = Sandboxed.Pod("p").WithContainer("c", "img:1", Runner);
        builder.Build();
        Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Throws<InvalidOperationException>(() => builder.WithLabel("a", "b"));
    }

    [Fact]
    public void A_pod_needs_a_container()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Sandboxed.Deployment("d").Build());
        Assert.Contains("spec.template.spec.containers is empty", error.Message);
        Assert.Contains("WithContainer", error.Message);
    }

    [Theory]
    [InlineData("Code_Runner")]
    [InlineData("")]
    [InlineData("-x")]
    public void Invalid_object_names_are_refused(string name)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Sandboxed.Deployment(name));
        Assert.Contains("Deployment name", error.Message);
    }

    [Fact]
    public void Cron_job_names_are_at_most_52_characters()
    {
        var error = Assert.Throws<ArgumentException>(() => Sandboxed.CronJob(new string('a', 53), "* * * * *"));
        Assert.Contains("at most 52", error.Message);
        Assert.NotNull(Sandboxed.CronJob(new string('a', 52), "@hourly"));
    }

    [Fact]
    public void Cron_schedules_need_five_fields()
    {
        var error = Assert.Throws<ArgumentException>(() => Sandboxed.CronJob("c", "* * *"));
        Assert.Contains("spec.schedule", error.Message);
    }

    [Theory]
    [InlineData("Tenant")]
    [InlineData("tenant.42")]
    public void Namespaces_are_dns_labels(string ns) =>
        Assert.ThrowsAny<ArgumentException>(() => Sandboxed.Pod("p").InNamespace(ns));

    [Theory]
    [InlineData("1GB", null)]
    [InlineData(null, "lots")]
    [InlineData("-1", null)]
    public void Bad_quantities_name_the_field(string? memory, string? cpu)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Sandboxed.Pod("p").WithContainer("c", "img:1", c => c.WithResources(cpu, memory)));
        Assert.Contains(memory is not null ? "spec.containers[0].resources.requests.memory" : "spec.containers[0].resources.requests.cpu", error.Message);
        Assert.Contains("is not a Kubernetes quantity", error.Message);
    }

    [Fact]
    public void Bad_container_inputs_are_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => Sandboxed.Pod("p").WithContainer("Runner", "img:1"));
        Assert.Throws<ArgumentException>(() => Sandboxed.Pod("p").WithContainer("c", "has space:1"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sandboxed.Pod("p").WithContainer("c", "img:1", c => c.WithPort(70000)));
        Assert.Throws<ArgumentException>(() => Sandboxed.Pod("p").WithContainer("c", "img:1", c => c.WithVolumeMount("v", "relative/path")));
        Assert.Throws<ArgumentException>(() => Sandboxed.Pod("p").WithContainer("c", "img:1", c => c.WithEnv("A=B", "x")));
        Assert.Throws<ArgumentException>(() => Sandboxed.Pod("p").WithEmptyDirVolume("v").WithEmptyDirVolume("v"));
        Assert.Throws<ArgumentException>(() => Sandboxed.Pod("p").WithToleration("k", "v", "Sometimes"));
        Assert.ThrowsAny<ArgumentException>(() => Sandboxed.Pod("p").WithLabel("app", "has space"));
        Assert.Throws<ArgumentException>(() => Sandboxed.Job("j").WithRestartPolicy("Always"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sandboxed.Deployment("d").WithReplicas(-1));
    }

    [Fact]
    public void Host_path_volumes_are_accepted_but_reported()
    {
        var pod = Sandboxed.Pod("p")
            .WithVolume(new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = "/var/run" } })
            .WithContainer("c", "img:1", Runner)
            .Build();
        Assert.Equal("SBX2004", Assert.Single(SandboxValidator.Validate(pod)).RuleId);
    }
}

public class FromExistingTests
{
    [Fact]
    public void Edits_a_copy_and_sandboxes_it()
    {
        var original = TestObjects.Deployment("legacy");
        original.Spec.Template.Spec.Containers[0].Args = ["--keep"];
        var edited = Sandboxed.From(original)
            .WithReplicas(2)
            .WithContainer("sidecar", "ghcr.io/acme/sidecar:1", c => c.WithResources("100m", "128Mi"))
            .Build();

        Assert.Null(original.Spec.Template.Spec.RuntimeClassName);
        Assert.Single(original.Spec.Template.Spec.Containers);
        Assert.Equal("kata-vm-isolation", edited.Spec.Template.Spec.RuntimeClassName);
        Assert.Equal(["--keep"], edited.Spec.Template.Spec.Containers[0].Args);
        Assert.Equal(2, edited.Spec.Template.Spec.Containers.Count);
        Assert.Equal(2, edited.Spec.Replicas);
        Assert.Null(edited.Spec.Template.Spec.Containers[0].SecurityContext); // existing containers are kept as they were
    }

    [Fact]
    public void Keeps_a_declared_custom_class_and_replaces_a_deprecated_one()
    {
        var custom = TestObjects.Job();
        custom.Spec.Template.Spec.RuntimeClassName = "small-kata-pods";
        var small = SandboxRuntime.Define("small-kata-pods").WithHandler("kata").Build();
        Assert.Equal("small-kata-pods", Sandboxed.From(custom).WithRuntime(small).Build().Spec.Template.Spec.RuntimeClassName);
        var undeclared = Assert.Throws<SandboxValidationException>(() => Sandboxed.From(custom).Build());
        Assert.Contains("SBX1002", undeclared.Message, StringComparison.Ordinal);
        // A class the object brings is judged by the one allow-list, never adopted as the runtime; WithRuntime declares one.
        var nvidia = TestObjects.Job();
        nvidia.Spec.Template.Spec.RuntimeClassName = "nvidia";
        Assert.Throws<SandboxValidationException>(() => Sandboxed.From(nvidia).Build());
        Assert.Equal("kata-vm-isolation", Sandboxed.From(nvidia).WithRuntime(SandboxRuntime.Default).Build().Spec.Template.Spec.RuntimeClassName);
        var gvisor = TestObjects.Job();
        gvisor.Spec.Template.Spec.RuntimeClassName = "gvisor";
        Assert.Throws<SandboxValidationException>(() => Sandboxed.From(gvisor).Build());
        Assert.Equal("gvisor", Sandboxed.From(gvisor).WithRuntime(SandboxRuntime.GkeGvisor).Build().Spec.Template.Spec.RuntimeClassName);

        var legacy = TestObjects.CronJob();
        legacy.Spec.JobTemplate.Spec.Template.Spec.RuntimeClassName = "kata-mshv-vm-isolation";
        Assert.Equal("kata-vm-isolation", Sandboxed.From(legacy).Build().Spec.JobTemplate.Spec.Template.Spec.RuntimeClassName);
    }

    [Fact]
    public void Every_kind_can_be_edited()
    {
        Assert.Equal("kata-vm-isolation", Sandboxed.From(TestObjects.Pod()).Build().Spec.RuntimeClassName);
        Assert.NotNull(Sandboxed.From(TestObjects.StatefulSet()).WithReplicas(1).Build());
        Assert.NotNull(Sandboxed.From(TestObjects.DaemonSet()).Build());
        Assert.NotNull(Sandboxed.From(TestObjects.ReplicaSet()).WithReplicas(1).Build());
        var empty = Sandboxed.From(new V1Job { Metadata = new V1ObjectMeta { Name = "empty" } });
        Assert.Throws<InvalidOperationException>(() => empty.Build()); // no container yet
    }

    [Fact]
    public void An_opted_out_object_stays_opted_out()
    {
        var agent = TestObjects.DaemonSet("agent");
        agent.Metadata.Annotations = new Dictionary<string, string> { [SandboxAnnotations.Exempt] = "host network" };
        agent.Spec.Template.Spec.HostNetwork = true;
        Assert.Null(Sandboxed.From(agent).Build().Spec.Template.Spec.RuntimeClassName);
    }
}
