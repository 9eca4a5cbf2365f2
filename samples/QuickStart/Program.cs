// QuickStart: build sandboxed workloads for untrusted code, check them, and print (or write) their manifests.
// Usage: dotnet run --project samples/QuickStart [-- --out DIR]
using k8s.Models;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

string? outDir = null;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] is "--out" or "-o" && i + 1 < args.Length)
    {
        outDir = args[++i];
    }
    else if (args[i] is "--help" or "-h")
    {
        Console.WriteLine("Usage: QuickStart [--out DIR]\n  Prints sandboxed manifests for a code-runner Deployment, an untrusted-code Job and a custom RuntimeClass,\n  then the Kata node pool (az CLI, Bicep) and its capacity plan.\n  --out DIR  also writes one YAML file per object into DIR.");
        return 0;
    }
    else
    {
        Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: QuickStart [--out DIR]");
        return 2;
    }
}

// 1. A custom RuntimeClass for small pod VMs, as the AKS docs show with small-kata-pods.
RuntimeClassDefinition smallPods = SandboxRuntime.Define("small-kata-pods")
    .WithHandler("kata")
    .WithOverhead(memory: "120Mi")
    .Build();

// The AKS node pool that runs them: Azure Linux, a Gen2 nested-virtualization size, KataVmIsolation, and a taint so only
// sandboxed pods land there. WithNodePool(kataPool) gives the workloads the matching toleration.
AksNodePool kataPool = AksNodePool.ForSandboxing("kata")
    .InCluster("myAKSCluster", resourceGroup: "myResourceGroup")
    .WithVmSize("Standard_D4s_v5")
    .WithAutoscaling(min: 1, max: 3)
    .WithMaxPods(30)
    .WithNodeTaint(AksNodeTaint.SandboxDefault)
    .Build();

// 2. A long-running service that executes tenant code: three sandboxed replicas.
V1Deployment codeRunner = Sandboxed.Deployment("code-runner")
    .InNamespace("tenant-42")
    .WithLabel("app.kubernetes.io/part-of", "acme-platform")
    .WithReplicas(3)
    .WithNodePool(kataPool)
    .WithContainer("runner", "ghcr.io/acme/runner:1.4", c => c
        .WithArgs("--untrusted")
        .WithPort(8080, "http")
        .WithResources(cpu: "1", memory: "1Gi")
        .WithReadinessProbe(Probes.HttpGet("/healthz", 8080))
        .WithVolumeMount("scratch", "/tmp"))
    .WithEmptyDirVolume("scratch", sizeLimit: "1Gi")
    .Build();

// 3. A one-shot Job for an untrusted script, on the small-pod runtime class, with a hard deadline.
//    python:3.12-slim has no USER line (docker-library/python 3.12/slim-bookworm/Dockerfile), so it would run as root and the
//    kubelet would refuse it under runAsNonRoot; the builders' default runAsUser 25000 / runAsGroup 26000
//    lets it start, and `python -c` writes nothing to the read-only root filesystem. See docs/getting-started.md, "The non-root user".
V1Job untrustedJob = Sandboxed.Job("run-untrusted-script")
    .InNamespace("tenant-42")
    .WithRuntime(smallPods)
    .WithNodePool(kataPool)
    .WithActiveDeadline(TimeSpan.FromMinutes(10))
    .WithBackoffLimit(0)
    .WithTtlAfterFinished(TimeSpan.FromHours(1))
    .WithContainer("script", "python:3.12-slim", c => c
        .WithCommand("python", "-c", "print('hello from a Kata VM')")
        .WithResources(cpu: "500m", memory: "256Mi"))
    .Build();

// An AI agent's code interpreter as a kubernetes-sigs/agent-sandbox Sandbox (the AKS agent sandbox extension runs these): the
// same builders, then ToAgentSandbox(); the linter, the policies and the plan read its pod spec like any workload's
// (docs/pod-templates.md lists every custom resource the SDK knows).
UnstructuredObject agentSandbox = Sandboxed.Pod("agent-interpreter")
    .InNamespace("tenant-42")
    .WithNodePool(kataPool)
    .WithContainer("interpreter", "python:3.12-slim", c => c
        .WithCommand("python", "-c", "import time; time.sleep(3600)")
        .WithResources(cpu: "1", memory: "1Gi"))
    .Build()
    .ToAgentSandbox();

V1RuntimeClass runtimeClass = smallPods.ToRuntimeClass();
object[] objects = [runtimeClass, codeRunner, untrustedJob, agentSandbox];

// 4. The validation report: what the linter, the analyzer and the admission policy would say.
var options = new SandboxValidationOptions { AllowedRuntimeClasses = [KnownRuntimeClasses.KataVmIsolation, smallPods.Name] };
Console.WriteLine("# Validation report");
foreach (var obj in objects.OfType<k8s.IKubernetesObject<V1ObjectMeta>>())
{
    var findings = SandboxValidator.Validate(obj, options);
    var label = $"{obj.Kind} {obj.Metadata.NamespaceProperty}/{obj.Metadata.Name}".Replace(" /", " ", StringComparison.Ordinal);
    if (!PodTemplates.TryGet(obj, out _))
    {
        Console.WriteLine($"#   {label}: holds no pod template");
    }
    else if (findings.Count == 0)
    {
        Console.WriteLine($"#   {label}: sandboxed ({PodTemplates.FindAll(obj)[0].Spec.RuntimeClassName}), no findings");
    }
    else
    {
        foreach (var finding in findings)
        {
            Console.WriteLine($"#   {finding}");
        }
    }
}

Console.WriteLine();
Console.Write(SandboxManifest.ToYaml(objects));

// 5. The node pool, as az CLI and Bicep, and how many nodes the workloads need on it.
Console.WriteLine();
Console.WriteLine("# Node pool (az CLI)");
Console.Write(kataPool.ToAzCli());
Console.WriteLine();
Console.WriteLine("# Node pool (Bicep)");
Console.Write(kataPool.ToBicep());
Console.WriteLine();
Console.WriteLine("# Capacity plan");
Console.Write(kataPool.Plan([codeRunner, untrustedJob, agentSandbox], new CapacityPlanOptions { RuntimeClasses = [smallPods] }).ToTable());

// 6. The admission policy that makes the cluster refuse what slips through: in namespaces labelled sandboxing.sdk/enforce=true,
//    Pods and the pod templates of every workload kind must name one of these runtime classes.
SandboxPolicy policy = SandboxPolicy.RequireSandbox(KnownRuntimeClasses.KataVmIsolation, smallPods.Name)
    .WithNamespaceLabel("sandboxing.sdk/enforce", "true");
Console.WriteLine();
Console.WriteLine("# Admission policy (ValidatingAdmissionPolicy and binding)");
Console.Write(policy.ToYaml());

if (outDir is not null)
{
    Directory.CreateDirectory(outDir);
    foreach (var obj in objects.OfType<k8s.IKubernetesObject<V1ObjectMeta>>())
    {
        var path = Path.Combine(outDir, $"{obj.Kind.ToLowerInvariant()}-{obj.Metadata.Name}.yaml");
        var temp = path + ".tmp";
        File.WriteAllText(temp, SandboxManifest.ToYaml(obj));
        File.Move(temp, path, overwrite: true);
        Console.Error.WriteLine($"wrote {path}");
    }

    foreach (var (file, text) in new[] { ("nodepool-kata.sh", kataPool.ToAzCli()), ("nodepool-kata.bicep", kataPool.ToBicep()), ("policy-require-sandbox.yaml", policy.ToYaml()) })
    {
        var path = Path.Combine(outDir, file);
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
        Console.Error.WriteLine($"wrote {path}");
    }
}

// 7. The tenant around the VM (namespace, default-deny network with DNS to cluster DNS only, quota, token-less account), and a new
//    cluster with Pod Sandboxing, a network policy engine and Workload ID from the start.
var tenant = Sandboxing.Sdk.TenantIsolation.For("tenant-42")
    .WithInternetEgress()
    .WithClusterNetworks("10.244.0.0/16", "10.0.0.0/16")
    .WithIngressFromNamespace("ingress-nginx")
    .WithPodTolerations(kataPool.PodTolerations)
    .Build();
AksCluster cluster = AksCluster.ForSandboxing("myAKSCluster", "myResourceGroup", "westeurope").Build();
Console.WriteLine();
Console.WriteLine("# Tenant bundle");
Console.Write(tenant.ToYaml());
Console.WriteLine();
Console.WriteLine("# New cluster (Bicep)");
Console.Write(cluster.ToBicep());
Console.WriteLine();
Console.WriteLine("# New cluster (az CLI)");
Console.Write(cluster.ToAzCli());
if (outDir is not null)
{
    foreach (var (file, text) in new[] { ("tenant-tenant-42.yaml", tenant.ToYaml()), ("cluster.bicep", cluster.ToBicep()), ("cluster.sh", cluster.ToAzCli()) })
    {
        var path = Path.Combine(outDir, file);
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
        Console.Error.WriteLine($"wrote {path}");
    }
}

return 0;
