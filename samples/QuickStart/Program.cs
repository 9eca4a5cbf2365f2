// QuickStart: build sandboxed workloads for untrusted code and the tenant, node pool and cluster around them, check them with
// the SDK's rules, print a summary, and write the files with --out.
// Usage: dotnet run --project samples/QuickStart [-- --out DIR]
using k8s;
using k8s.Models;
using QuickStart;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

const string Usage = """
    Usage: QuickStart [--out DIR]
      Builds a sandboxed code-runner Deployment, an untrusted-code Job, an agent Sandbox, a custom RuntimeClass, the tenant
      around them, an admission policy, the Kata node pool and a new cluster; checks them all and prints a summary.
      --out DIR  writes the files: Kubernetes YAML that 'kubectl apply -f DIR' takes, and the Bicep, az scripts and capacity
                 plan beside it (other extensions).
    """;
string? outDir = null;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] is "--out" or "-o" && i + 1 < args.Length)
    {
        outDir = args[++i];
    }
    else if (args[i] is "--help" or "-h")
    {
        Console.WriteLine(Usage);
        return 0;
    }
    else
    {
        Console.Error.WriteLine($"Unknown argument '{args[i]}'.\n{Usage}");
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

// 4. The tenant around the VMs (namespace, default-deny network with DNS to cluster DNS only, quota, token-less account), the
//    admission policy that makes the cluster refuse what slips through (in namespaces labelled sandboxing.sdk/enforce=true,
//    which the tenant's namespace is), and a new cluster with Pod Sandboxing, a network policy engine and Workload ID.
TenantIsolation tenant = TenantIsolation.For("tenant-42")
    .WithInternetEgress()
    .WithClusterNetworks("10.244.0.0/16", "10.0.0.0/16")
    .WithIngressFromNamespace("ingress-nginx")
    .WithPodTolerations(kataPool.PodTolerations)
    .Build();
SandboxPolicy policy = SandboxPolicy.RequireSandbox(KnownRuntimeClasses.KataVmIsolation)
    .WithAllowedRuntimeClass(smallPods) // a custom class is allowed by its definition: its handler (kata) is a sandbox
    .WithNamespaceLabel(SandboxPolicy.DefaultNamespaceLabel, "true");
AksCluster cluster = AksCluster.ForSandboxing("myAKSCluster", "myResourceGroup", "westeurope").Build();
CapacityPlan plan = kataPool.Plan([codeRunner, untrustedJob, agentSandbox], new CapacityPlanOptions { RuntimeClasses = [smallPods] });

// 5. Check everything with the rules the analyzer, the linter and the admission policy use.
var options = new SandboxValidationOptions { AllowedRuntimeClasses = [KnownRuntimeClasses.KataVmIsolation, smallPods.Name] };
IKubernetesObject<V1ObjectMeta>[] workloads = [codeRunner, untrustedJob, agentSandbox];
List<SandboxFinding> findings =
[
    .. workloads.SelectMany(w => SandboxValidator.Validate(w, options)),
    // The tenant's own rules; its sandbox checks use the default allowed classes, which the line above already widened.
    .. tenant.Validate([.. workloads]).Where(f => f.Rule.Category == SandboxRules.TenancyCategory),
    .. policy.Validate(),
    .. kataPool.Findings,
    .. cluster.Findings,
    .. plan.Findings,
];

// 6. The files: Kubernetes objects in .yaml files, numbered in the order kubectl applies them (the namespace before what lives
//    in it); the agent Sandbox needs the agent-sandbox controller's CRDs, so it sits in a folder of its own; Bicep, az scripts
//    and the capacity plan beside them, with other extensions.
V1RuntimeClass runtimeClass = smallPods.ToRuntimeClass();
OutputFile[] files =
[
    OutputFile.Manifests("01-tenant-tenant-42.yaml", [.. tenant], "tenant: Pod Security restricted, default-deny network, quota"),
    OutputFile.Manifests("02-runtimeclass-small-kata-pods.yaml", [runtimeClass], $"handler {smallPods.Handler}, pod overhead {string.Join(", ", smallPods.Overhead.Select(o => $"{o.Key} {o.Value}"))}"),
    OutputFile.Manifests("03-policy-require-sandbox.yaml", [.. policy], $"requires {string.Join(" or ", policy.AllowedRuntimeClasses)}"),
    OutputFile.Manifests("04-deployment-code-runner.yaml", [codeRunner], "3 replicas"),
    OutputFile.Manifests("04-job-run-untrusted-script.yaml", [untrustedJob], "10 minute deadline"),
    OutputFile.Manifests("agent-sandbox/sandbox-agent-interpreter.yaml", [agentSandbox], "agent-sandbox custom resource"),
    OutputFile.Text("nodepool-kata.sh", kataPool.ToAzCli(), $"AKS node pool {kataPool.Name}", $"az CLI: {kataPool.VmSize}, {kataPool.MinCount}-{kataPool.MaxCount} nodes, KataVmIsolation"),
    OutputFile.Text("nodepool-kata.bicep", kataPool.ToBicep(), $"AKS node pool {kataPool.Name}", "Bicep, the same pool"),
    OutputFile.Text("cluster.sh", cluster.ToAzCli(), $"AKS cluster {cluster.Name}", $"az CLI: a new cluster in {cluster.Location} with Pod Sandboxing"),
    OutputFile.Text("cluster.bicep", cluster.ToBicep(), $"AKS cluster {cluster.Name}", "Bicep, the same cluster"),
    OutputFile.Text("capacity.txt", plan.ToTable(), "capacity plan", $"{plan.NodesNeeded} node(s) of at most {plan.PoolMaxNodes} for these workloads" + (plan.FitsInPool ? ": fits" : ": does not fit")),
];

Console.WriteLine("Built and checked (one line per object and output; the file --out writes it to):");
var rows = files.SelectMany(f => f.Summary.Select(s => (s.What, s.Detail, f.Path))).ToList();
int whatWidth = rows.Max(r => r.What.Length), detailWidth = rows.Max(r => r.Detail.Length);
foreach (var (what, detail, path) in rows)
{
    Console.WriteLine($"  {what.PadRight(whatWidth)}  {detail.PadRight(detailWidth)}  {path}");
}

Console.WriteLine();
Console.WriteLine(findings.Count == 0 ? "Findings: none." : $"Findings ({findings.Count}):");
foreach (var finding in findings)
{
    Console.WriteLine($"  {finding}");
}

Console.WriteLine();
if (outDir is null)
{
    Console.WriteLine("Next:");
    Console.WriteLine("  dotnet run --project samples/QuickStart -- --out out/     write the files (YAML for kubectl, Bicep, az scripts)");
    Console.WriteLine("  dotnet run --project src/Sandboxing.Cli -- lint out/       then check the YAML with the same rules");
}
else
{
    foreach (var file in files)
    {
        file.WriteTo(outDir);
    }

    var dir = outDir.TrimEnd('/', '\\');
    Console.WriteLine($"Wrote {files.Length} files to {dir}/. Next, on Azure (or skip to kubectl with a cluster that has a Kata node pool):");
    Console.WriteLine($"  az deployment group create -g {kataPool.ResourceGroup} -f {dir}/cluster.bicep         a new cluster (or: bash {dir}/cluster.sh)");
    Console.WriteLine($"  az deployment group create -g {kataPool.ResourceGroup} -f {dir}/nodepool-kata.bicep   or the Kata pool on an existing cluster (or: bash {dir}/nodepool-kata.sh)");
    Console.WriteLine($"  az aks get-credentials -g {kataPool.ResourceGroup} -n {kataPool.ClusterName}");
    Console.WriteLine($"  kubectl apply -f {dir}/                    the tenant, RuntimeClass, policy and workloads");
    Console.WriteLine($"  kubectl apply -f {dir}/agent-sandbox/      once agent-sandbox (kubernetes-sigs/agent-sandbox) is installed");
    Console.WriteLine($"  dotnet run --project src/Sandboxing.Cli -- lint {dir}/   the same rules on the YAML");
}

return findings.Any(f => f.Severity == SandboxSeverity.Error) ? 1 : 0;
