using BenchmarkDotNet.Attributes;
using k8s;
using k8s.Models;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Benchmarks;

/// <summary>Builder against the same Deployment written with object initializers (target: at most 1.5x time and allocations).</summary>
[MemoryDiagnoser]
public class BuilderBenchmarks
{
    [Benchmark(Baseline = true)]
    public V1Deployment HandWritten()
    {
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "code-runner" };
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "code-runner", NamespaceProperty = "tenant-42", Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = 3,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "code-runner" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(labels) },
                    Spec = new V1PodSpec
                    {
                        RuntimeClassName = "kata-vm-isolation",
                        AutomountServiceAccountToken = false,
                        SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
                        Containers = new List<V1Container>
                        {
                            new()
                            {
                                Name = "runner",
                                Image = "ghcr.io/acme/runner:1.4",
                                Args = new List<string> { "--untrusted" },
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    RunAsNonRoot = true,
                                    ReadOnlyRootFilesystem = true,
                                    Capabilities = new V1Capabilities { Drop = new List<string> { "ALL" } },
                                },
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1Gi") },
                                    Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1Gi") },
                                },
                            },
                        },
                    },
                },
            },
        };
    }

    [Benchmark]
    public V1Deployment Builder() =>
        Sandboxed.Deployment("code-runner")
            .InNamespace("tenant-42")
            .WithReplicas(3)
            .WithContainer("runner", "ghcr.io/acme/runner:1.4", static c => c
                .WithArgs("--untrusted")
                .WithResources(cpu: "1", memory: "1Gi"))
            .Build();
}

/// <summary>Sandbox() plus Validate over 1,000 workloads against serialising them with KubernetesYaml (target: under 0.25x).</summary>
[MemoryDiagnoser]
public class HardeningBenchmarks
{
    private List<IKubernetesObject> _workloads = [];

    [GlobalSetup]
    public void Setup() => _workloads = Corpus.Workloads(1000);

    [Benchmark(Baseline = true)]
    public string SerializeWithKubernetesYaml() => KubernetesYaml.SerializeAll(_workloads);

    [Benchmark]
    public int SandboxAndValidate()
    {
        _workloads.Sandbox();
        return SandboxValidator.Validate(_workloads).Count;
    }
}

/// <summary>Generated workloads of every pod-bearing kind, as another generator would produce them (no runtime class).</summary>
public static class Corpus
{
    public static List<IKubernetesObject> Workloads(int count)
    {
        var result = new List<IKubernetesObject>(count);
        for (int i = 0; i < count; i++)
        {
            var spec = new V1PodSpec
            {
                Containers = new List<V1Container>
                {
                    new()
                    {
                        Name = "app",
                        Image = $"registry.example.com/app-{i}:1.0",
                        Resources = new V1ResourceRequirements
                        {
                            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("512Mi") },
                            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("512Mi") },
                        },
                    },
                },
            };
            var meta = new V1ObjectMeta { Name = $"workload-{i}", NamespaceProperty = "tenant" };
            var template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta(), Spec = spec };
            IKubernetesObject obj = (i % 4) switch
            {
                0 => new V1Deployment { Metadata = meta, Spec = new V1DeploymentSpec { Template = template, Selector = new V1LabelSelector() } }.Initialize(),
                1 => new V1Job { Metadata = meta, Spec = new V1JobSpec { Template = template } }.Initialize(),
                2 => new V1CronJob { Metadata = meta, Spec = new V1CronJobSpec { Schedule = "* * * * *", JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = template } } } }.Initialize(),
                _ => new V1Pod { Metadata = meta, Spec = spec }.Initialize(),
            };
            result.Add(obj);
        }

        return result;
    }
}
