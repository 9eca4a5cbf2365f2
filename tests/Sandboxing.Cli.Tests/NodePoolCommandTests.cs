using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Cli.Tests;

public class NodePoolCommandTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    private static AksNodePool ExpectedPool() => AksNodePool.ForSandboxing("kata")
        .InCluster("myAKSCluster", "myResourceGroup", "00000000-1111-2222-3333-444444444444")
        .WithVmSize("Standard_D8s_v5")
        .WithAutoscaling(1, 5)
        .WithAvailabilityZones("1", "2")
        .WithNodeLabel("workload", "sandbox")
        .WithNodeTaint(AksNodeTaint.SandboxDefault)
        .WithMaxPods(30)
        .WithTag("cost-center", "42")
        .Build();

    private static readonly string[] PoolArgs =
    [
        "-c", "myAKSCluster", "-g", "myResourceGroup", "--subscription", "00000000-1111-2222-3333-444444444444", "-s", "Standard_D8s_v5",
        "--min", "1", "--max", "5", "--zones", "1,2", "--label", "workload=sandbox", "--sandbox-taint", "--max-pods", "30", "--tag", "cost-center=42",
    ];

    [Theory]
    [InlineData("az")]
    [InlineData("bicep")]
    [InlineData("arm")]
    [InlineData("terraform")]
    [InlineData("rest")]
    public void Every_format_is_the_sdk_emitter_of_the_same_pool(string format)
    {
        var run = CliRunner.Run(Fixtures, ["nodepool", .. PoolArgs, "--format", format]);
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var pool = ExpectedPool();
        var expected = format switch
        {
            "bicep" => pool.ToBicep(),
            "arm" => pool.ToArmTemplate(),
            "terraform" => pool.ToTerraform(),
            "rest" => pool.ToRestRequest().ToString(),
            _ => pool.ToAzCli(),
        };
        Assert.Equal(expected.TrimEnd('\n'), run.Output.TrimEnd('\n'));
    }

    [Fact]
    public void A_pool_that_cannot_run_kata_is_refused_with_every_finding_and_nothing_emitted()
    {
        var run = CliRunner.Run(Fixtures, "nodepool", "-n", "Bad_Pool", "-c", "aks", "-g", "rg", "--os-sku", "Ubuntu", "--fips", "-f", "bicep");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("SBX3009", run.Error);
        Assert.Contains("SBX3001", run.Error);
        Assert.Contains("SBX3005", run.Error);
        Assert.Contains("nothing was emitted", run.Error);
    }

    [Fact]
    public void Plan_prints_the_capacity_table_for_the_workloads()
    {
        var run = CliRunner.Run(Fixtures, "plan", "--min", "1", "--max", "5", "--max-pods", "30", "manifests/multi-document.yaml", "manifests/cronjob.yaml");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Capacity plan for node pool 'kata'", run.Output);
        Assert.Contains("Deployment tenant-a/web", run.Output);
        Assert.Contains("CronJob reports/nightly-report", run.Output);
        Assert.DoesNotContain("ConfigMap", run.Output);
        var pool = AksNodePool.ForSandboxing("kata").InCluster("aks", "rg").WithVmSize("Standard_D4s_v5").WithAutoscaling(1, 5).WithMaxPods(30).Build();
        var objects = SandboxManifest.Read(File.ReadAllText(Path.Combine(Fixtures, "manifests/multi-document.yaml")))
            .Concat(SandboxManifest.Read(File.ReadAllText(Path.Combine(Fixtures, "manifests/cronjob.yaml"))))
            .Where(o => PodTemplates.TryGet(o, out _)).Cast<object>().ToArray();
        Assert.Equal(["Deployment tenant-a/web"], PlanAsSandboxed.Apply(pool, objects, PodTemplateRegistry.Default));
        Assert.Equal(CliWording.Apply(pool.Plan(objects).ToTable()), run.Output); // the SDK's table in the CLI's words
    }

    [Fact]
    public void Plan_sizes_manifests_not_yet_sandboxed_as_if_they_were_and_says_so()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "web.yaml"),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: t}\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers: [{name: a, image: b, resources: {limits: {cpu: '1', memory: 1Gi}, requests: {cpu: '1', memory: 1Gi}}}]\n");

        var run = CliRunner.Run(directory, "plan", "--max-pods", "30", "--sandbox-taint", "web.yaml");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Matches(@"Deployment t/web\s+3\s+kata-vm-isolation", run.Output);
        Assert.Contains("Nodes needed: 1 (all replicas packed together); the pool has at most 1: enough.", run.Output);
        Assert.DoesNotContain("Left out", run.Output);
        Assert.DoesNotContain("SBX3013", run.Output);
        Assert.Contains("note: Deployment t/web has no runtimeClassName; planned as if sandboxed for node pool 'kata' (runtimeClassName kata-vm-isolation " +
            "and tolerations of its taints (sandboxing.sdk/runtime=kata:NoSchedule))", run.Error);
    }

    [Fact]
    public void Plan_prints_each_warning_once()
    {
        var directory = CliRunner.TempCopy();
        string job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: t}\nspec:\n  template:\n    spec:\n      runtimeClassName: kata-vm-isolation\n      containers: [{name: a, image: b}]\n";
        File.WriteAllText(Path.Combine(directory, "jobs.yaml"), job + "---\n" + job);

        var run = CliRunner.Run(directory, "plan", "--max-pods", "30", "jobs.yaml");

        string warning = "Job t/j: not every container has a memory limit";
        Assert.Equal(1, run.Output.Split(warning).Length - 1);
    }

    [Fact]
    public void Plan_exits_with_1_when_the_pool_is_too_small()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "big.yaml"),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: big}\nspec:\n  replicas: 20\n  template:\n    spec:\n      runtimeClassName: kata-vm-isolation\n      containers: [{name: a, image: b, resources: {limits: {cpu: '1', memory: 4Gi}, requests: {cpu: '1', memory: 4Gi}}}]\n");
        var run = CliRunner.Run(directory, "plan", "--count", "2", "big.yaml");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("Nodes needed", run.Output);
    }

    [Fact]
    public void Plan_reports_bad_input_with_exit_code_2()
    {
        var run = CliRunner.Run(Fixtures, "plan", "malformed/tabs.yaml");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("malformed/tabs.yaml:6:1", run.Error);
    }
}
