using k8s;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>A fact that runs only when <c>SANDBOXING_KUBECONFIG</c> names a kubeconfig of a real cluster.</summary>
public sealed class RealClusterFactAttribute : FactAttribute
{
    public const string Variable = "SANDBOXING_KUBECONFIG";

    public RealClusterFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"Set {Variable} to a kubeconfig to run the tests against a real cluster.";
        }
    }
}

/// <summary>Against a real cluster; changes nothing (reads and server dry runs only).</summary>
public sealed class RealClusterTests
{
    [RealClusterFact]
    public async Task Preflight_and_a_dry_run_apply_work_against_the_cluster()
    {
        using var client = SandboxKubeconfig.Connect(Environment.GetEnvironmentVariable(RealClusterFactAttribute.Variable));
        var job = ClusterObjects.Job(name: "sandboxing-sdk-dry-run", ns: "default", memory: "256Mi", cpu: "250m");

        var report = await client.CheckSandboxReadinessAsync(new SandboxReadinessOptions { Workloads = [job] });
        var applied = await client.ApplySandboxedAsync(job, "sandboxing-sdk-tests", new SandboxApplyOptions { DryRun = true });

        Assert.Contains(report.Checks, c => c.Name == "RuntimeClass kata-vm-isolation" && c.Status != ReadinessStatus.Skipped);
        Assert.Contains(report.Checks, c => c.Name == "Namespace default" && c.Status == ReadinessStatus.Passed);
        Assert.Equal("kata-vm-isolation", applied.Spec.Template.Spec.RuntimeClassName);
        Assert.Contains(applied.Metadata.ManagedFields, m => m.Manager == "sandboxing-sdk-tests" && m.Operation == "Apply");
    }
}
