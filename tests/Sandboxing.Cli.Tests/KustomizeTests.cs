namespace Sandboxing.Cli.Tests;

/// <summary>
/// A kustomize layout (Fixtures/kustomize: a base and two overlays whose kustomizations name strategic-merge patches under
/// <c>patches</c> and <c>patchesStrategicMerge</c>, one turning on hostNetwork): patches are linted for what they set, left alone by fix, not counted by plan.
/// </summary>
public class KustomizeTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    [Fact]
    public void Lint_reports_what_a_patch_sets_and_never_what_it_leaves_to_the_base()
    {
        var run = CliRunner.Run(Fixtures, "lint", "--fail-on", "info", "kustomize");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("kustomize/overlays/legacy/host-network.yaml:8:7: warning SBX1002: Deployment web uses runtimeClassName 'runc'", run.Output);
        Assert.Contains("kustomize/overlays/legacy/node-agent.yaml:9:7: error SBX2001: once runtimeClassName is set to 'kata-vm-isolation': Deployment web sets hostNetwork: true", run.Output);
        Assert.Contains("kustomize/overlays/legacy/node-agent.yaml:13:20: error SBX2007:", run.Output);
        Assert.DoesNotContain("SBX1001", run.Output);
        Assert.DoesNotContain("SBX2005", run.Output);
        Assert.DoesNotContain("replicas.yaml", run.Output); // it sets a memory limit of 512Mi, nothing wrong
        // The patch that sets runc also hears, in the same pass, the host network it would meet once the class is set.
        Assert.Contains("kustomize/overlays/legacy/host-network.yaml:9:7: error SBX2001: once runtimeClassName is set to 'kata-vm-isolation'", run.Output);
        Assert.Contains("4 findings (3 errors, 1 warning, 0 info)", run.Output);
    }

    [Fact]
    public void The_same_file_outside_a_kustomization_is_linted_as_a_whole_object()
    {
        var dir = Directory.CreateTempSubdirectory("sandboxing-kustomize-").FullName;
        File.Copy(Path.Combine(Fixtures, "kustomize/overlays/prod/replicas.yaml"), Path.Combine(dir, "replicas.yaml"));
        var run = CliRunner.Run(dir, "lint", "replicas.yaml");
        Assert.Contains("SBX1001", run.Output);
    }

    [Fact]
    public void Fix_leaves_patches_alone()
    {
        var dir = CopyLayout();
        var patch = Path.Combine(dir, "overlays/prod/replicas.yaml");
        var before = File.ReadAllText(patch);
        var run = CliRunner.Run(dir, "fix", ".");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(before, File.ReadAllText(patch));
        Assert.Contains("skipped: overlays/prod/replicas.yaml: left unchanged: a kustomization names it as a patch", run.Error);
        Assert.Contains("kustomize build <overlay> | sandboxing fix -", run.Error);
    }

    [Fact]
    public void Plan_counts_the_base_deployment_once()
    {
        var run = CliRunner.Run(Fixtures, "plan", "-s", "Standard_D8s_v5", "--count", "2", "kustomize");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Single(run.Output.Split('\n'), l => l.StartsWith("Deployment web", StringComparison.Ordinal));
        Assert.Contains("skipped: kustomize/overlays/legacy/host-network.yaml: not counted", run.Error);
    }

    [Fact]
    public void A_patch_named_directly_is_still_a_patch()
    {
        var run = CliRunner.Run(Fixtures, "lint", "kustomize/overlays/prod/replicas.yaml");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.DoesNotContain("SBX1001", run.Output);
    }

    [Fact]
    public void Kustomize_build_output_is_linted_from_standard_input_as_whole_objects()
    {
        var built = File.ReadAllText(Path.Combine(Fixtures, "kustomize/overlays/legacy/host-network.yaml"));
        var run = CliRunner.Run(Fixtures, System.Text.Encoding.UTF8.GetBytes(built), "lint", "-");
        Assert.Contains("<stdin>:8:7: warning SBX1002", run.Output);
    }

    private static string CopyLayout()
    {
        var target = Directory.CreateTempSubdirectory("sandboxing-kustomize-").FullName;
        var source = Path.Combine(Fixtures, "kustomize");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }
}
