namespace Sandboxing.Cli.Tests.Config;

/// <summary>A misspelt runtime class in <c>--runtime</c> or the config's <c>runtime</c> is refused before anything is written.</summary>
public class RuntimeTypoTests
{
    private const string Pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox, " +
        "resources: {limits: {memory: 1Gi, cpu: '1'}, requests: {memory: 1Gi, cpu: '1'}}}]\n";

    private static string Repo(string? config = null, string extraInput = "")
    {
        var directory = CliRunner.TempCopy();
        Directory.CreateDirectory(Path.Combine(directory, ".git"));
        File.WriteAllText(Path.Combine(directory, "pod.yaml"), Pod + extraInput);
        if (config is not null)
        {
            File.WriteAllText(Path.Combine(directory, ".sandboxing.yaml"), config);
        }

        return directory;
    }

    [Theory]
    [InlineData("-r")]
    [InlineData("--runtime")]
    public void Fix_refuses_a_misspelt_runtime_flag_with_did_you_mean_and_writes_nothing(string flag)
    {
        var repo = Repo();
        var run = CliRunner.Run(repo, "fix", flag, "kata-vm-isolaton", "pod.yaml");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("--runtime 'kata-vm-isolaton' is not a runtime class this tool knows; did you mean 'kata-vm-isolation'?", run.Error, StringComparison.Ordinal);
        Assert.Equal(Pod, File.ReadAllText(Path.Combine(repo, "pod.yaml")));
    }

    [Fact]
    public void A_misspelt_config_runtime_is_refused_at_its_file_line_and_column()
    {
        var repo = Repo("exclude: [charts/**]\nruntime: kata-qmeu\n");
        foreach (var command in new[] { "lint", "fix" })
        {
            var run = CliRunner.Run(repo, command, "pod.yaml");
            Assert.Equal(ExitCodes.BadInput, run.ExitCode);
            Assert.Contains(".sandboxing.yaml:2:10: runtime: 'kata-qmeu' is not a known runtime class; did you mean 'kata-qemu'?", run.Error, StringComparison.Ordinal);
        }

        Assert.Equal(Pod, File.ReadAllText(Path.Combine(repo, "pod.yaml")));
    }

    [Theory]
    [InlineData("nvidia")]
    [InlineData("default")]
    [InlineData("my-company-sandbox")]
    public void A_runtime_flag_that_names_no_sandbox_class_is_refused_and_fix_writes_nothing(string name)
    {
        var repo = Repo();
        foreach (var command in new[] { "lint", "fix" })
        {
            var run = CliRunner.Run(repo, command, "--runtime", name, "pod.yaml");
            Assert.Equal(ExitCodes.BadInput, run.ExitCode);
            Assert.Contains($"--runtime '{name}' is not a sandbox runtime class", run.Error, StringComparison.Ordinal);
            Assert.Contains("runtimeClasses", run.Error, StringComparison.Ordinal);
        }

        Assert.Equal(Pod, File.ReadAllText(Path.Combine(repo, "pod.yaml")));
    }

    [Fact]
    public void A_custom_class_declared_with_a_sandbox_handler_is_the_runtime()
    {
        var repo = Repo("runtimeClasses:\n  - name: my-company-sandbox\n    handler: kata\n");
        var run = CliRunner.Run(repo, "fix", "--runtime", "my-company-sandbox", "pod.yaml");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("runtimeClassName: my-company-sandbox", File.ReadAllText(Path.Combine(repo, "pod.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_close_to_a_known_one_is_taken_when_the_config_or_the_inputs_declare_it()
    {
        var declaredInConfig = Repo("runtime: kata-qemu2\nruntimeClasses:\n  - name: kata-qemu2\n    handler: kata-qemu\n");
        Assert.Equal(ExitCodes.Success, CliRunner.Run(declaredInConfig, "fix", "pod.yaml").ExitCode);
        Assert.Contains("runtimeClassName: kata-qemu2", File.ReadAllText(Path.Combine(declaredInConfig, "pod.yaml")), StringComparison.Ordinal);

        var declaredInInputs = Repo(extraInput: "---\napiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: kata-qemu2}\nhandler: kata-qemu\n");
        Assert.Equal(ExitCodes.Success, CliRunner.Run(declaredInInputs, "fix", "-r", "kata-qemu2", "pod.yaml").ExitCode);
        Assert.Contains("runtimeClassName: kata-qemu2", File.ReadAllText(Path.Combine(declaredInInputs, "pod.yaml")), StringComparison.Ordinal);
    }
}
