using k8s;
using k8s.Models;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;
using Sandboxing.Sdk.Cluster;

namespace JobRunnerPlatform;

/// <summary>Turns job requests into sandboxed Kubernetes objects, and deploys them.</summary>
public static class Platform
{
    public const string FieldManager = "job-runner-platform";
    public const string TenantLabel = "platform.example.com/tenant";

    /// <summary>
    /// The Pod Sandboxing pool the jobs run on, tainted as QuickStart recommends (sandboxing.sdk/runtime=kata:NoSchedule) so that
    /// only pods that tolerate it land there. The Job takes its tolerations with WithNodePool: without them its pods would stay
    /// Pending on a cluster whose only Kata nodes are tainted.
    /// </summary>
    public static AksNodePool KataPool { get; } = AksNodePool.ForSandboxing("kata")
        .InCluster("myAKSCluster", "myResourceGroup")
        .WithVmSize("Standard_D4s_v5")
        .WithAutoscaling(min: 1, max: 5)
        .WithNodeTaint(AksNodeTaint.SandboxDefault)
        .Build();

    /// <summary>The tenant's namespace and the Job, sandboxed (kata-vm-isolation), hardened by the SDK's builder, and tolerating
    /// <see cref="KataPool"/>.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Build(JobRequest request)
    {
        var ns = new V1Namespace
        {
            Metadata = new V1ObjectMeta
            {
                Name = request.Tenant,
                Labels = new Dictionary<string, string> { [TenantLabel] = request.Tenant, ["sandboxing.sdk/enforce"] = "true" },
            },
        };
        SandboxManifest.EnsureTypeMeta(ns);

        V1Job job = Sandboxed.Job(request.Name)
            .InNamespace(request.Tenant)
            .WithLabel(TenantLabel, request.Tenant)
            .WithCompletions(request.Parallelism, request.Parallelism)
            .WithBackoffLimit(0)
            .WithActiveDeadline(TimeSpan.FromMinutes(30))
            .WithTtlAfterFinished(TimeSpan.FromHours(1))
            .WithNodePool(KataPool)
            .WithContainer("job", request.Image, c => c
                .WithCommand([.. request.Command])
                .WithResources(cpu: request.Cpu, memory: request.Memory))
            .Build();
        return [ns, job];
    }

    /// <summary>Prints what the platform would do, without a cluster.</summary>
    public static void PrintDryRun(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects, SandboxReadinessOptions readiness, TextWriter output)
    {
        output.WriteLine("# Manifests");
        output.Write(SandboxManifest.ToYaml([.. objects]));
        output.WriteLine();
        output.WriteLine("# Preflight it would run");
        foreach (var line in SandboxClusterExtensions.DescribePreflight(readiness))
        {
            output.WriteLine("  " + line);
        }

        output.WriteLine();
        output.WriteLine("# Server-side apply it would send (Content-Type: application/apply-patch+yaml)");
        foreach (var obj in objects)
        {
            string path = obj switch
            {
                V1Namespace n => $"/api/v1/namespaces/{n.Metadata.Name}",
                V1Job j => $"/apis/batch/v1/namespaces/{j.Metadata.NamespaceProperty}/jobs/{j.Metadata.Name}",
                _ => $"({obj.Kind} {obj.Metadata.Name})",
            };
            output.WriteLine($"  PATCH {path}?fieldManager={FieldManager}&force=false&fieldValidation=Strict");
        }
    }

    /// <summary>Preflights and applies; returns the process exit code.</summary>
    public static async Task<int> DeployAsync(
        IKubernetes client, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects, SandboxReadinessOptions readiness, bool serverDryRun,
        TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine($"Cluster: {client.BaseUri}");
        var report = await client.CheckSandboxReadinessAsync(readiness, cancellationToken);
        output.WriteLine(report);
        if (!report.IsReady)
        {
            output.WriteLine("Not applying: fix the failed checks above first.");
            return 1;
        }

        var applied = await client.ApplySandboxedAsync(objects, FieldManager, new SandboxApplyOptions { DryRun = serverDryRun }, cancellationToken);
        foreach (var obj in applied)
        {
            output.WriteLine($"{(serverDryRun ? "would apply" : "applied")} {obj.Kind} {obj.Metadata.NamespaceProperty}/{obj.Metadata.Name} " +
                $"(uid {obj.Metadata.Uid}, resourceVersion {obj.Metadata.ResourceVersion})");
        }

        return 0;
    }
}
