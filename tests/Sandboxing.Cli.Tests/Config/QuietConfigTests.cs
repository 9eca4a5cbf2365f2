using System.Text.Json;

namespace Sandboxing.Cli.Tests.Config;

/// <summary>A committed config cannot switch the gate off without a word: it is named, and what leaves nothing to check fails.</summary>
public class QuietConfigTests
{
    private const string Pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n";

    private static string Repo(string config)
    {
        var directory = CliRunner.TempCopy();
        Directory.CreateDirectory(Path.Combine(directory, ".git"));
        Directory.CreateDirectory(Path.Combine(directory, "deploy"));
        File.WriteAllText(Path.Combine(directory, "deploy", "pod.yaml"), Pod);
        File.WriteAllText(Path.Combine(directory, ".sandboxing.yaml"), config);
        return directory;
    }

    [Theory]
    [InlineData("lint")]
    [InlineData("fix")]
    [InlineData("plan")]
    public void An_exclude_that_leaves_nothing_to_check_exits_2_naming_the_config_and_the_key(string command)
    {
        var repo = Repo("exclude: [\"**\"]\n");
        var run = CliRunner.Run(repo, command, "deploy");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        var text = run.Output + run.Error;
        Assert.Contains(command == "lint" ? ".sandboxing.yaml: error: exclude" : "error: .sandboxing.yaml: exclude", text, StringComparison.Ordinal);
        Assert.Contains("exclude ('**') leaves out every file of deploy (1 file), so nothing was checked; narrow the globs of exclude in this config file", text, StringComparison.Ordinal);
        Assert.Equal(Pod, File.ReadAllText(Path.Combine(repo, "deploy", "pod.yaml")));
    }

    [Fact]
    public void A_folder_without_manifests_is_not_a_pass()
    {
        var repo = Repo("");
        Directory.CreateDirectory(Path.Combine(repo, "empty"));
        var run = CliRunner.Run(repo, "lint", "empty");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("empty: error: no .json, .yaml and .yml files here, so nothing was checked", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_output_of_lint_fix_and_plan_names_the_config_file()
    {
        var repo = Repo("rules: {SBX2005: off}\n");
        Assert.EndsWith("\nconfig: .sandboxing.yaml\n", CliRunner.Run(repo, "lint", "deploy").Output, StringComparison.Ordinal);

        using (var json = JsonDocument.Parse(CliRunner.Run(repo, "lint", "-f", "json", "deploy").Output))
        {
            Assert.Equal(".sandboxing.yaml", json.RootElement.GetProperty("configs")[0].GetString());
        }

        using (var sarif = JsonDocument.Parse(CliRunner.Run(repo, "lint", "-f", "sarif", "deploy").Output))
        {
            Assert.Equal(".sandboxing.yaml", sarif.RootElement.GetProperty("runs")[0].GetProperty("properties").GetProperty("configs")[0].GetString());
        }

        Assert.Contains("config: .sandboxing.yaml\n", CliRunner.Run(repo, "plan", "deploy").Error, StringComparison.Ordinal);
        Assert.Contains("config: .sandboxing.yaml\n", CliRunner.Run(repo, "fix", "deploy").Error, StringComparison.Ordinal);
        Assert.Contains("config: none\n", CliRunner.Run(repo, "fix", "--no-config", "deploy").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nested_config_is_named_with_the_file_it_replaces_and_every_setting_it_weakens()
    {
        var repo = Repo("allowedRuntimeClasses: [kata-vm-isolation]\nrules: {SBX2005: error}\npodTemplates:\n  - {apiVersion: dev.example.com/v1, kind: Workspace, resource: workspaces, paths: [spec.podTemplate.spec]}\n");
        File.WriteAllText(Path.Combine(repo, "deploy", ".sandboxing.yaml"), "allowedRuntimeClasses: [kata-vm-isolation, gvisor]\nrules: {SBX2005: off}\nexclude: [legacy]\n");
        var run = CliRunner.Run(repo, "lint", "deploy");
        Assert.EndsWith("\nconfig: deploy/.sandboxing.yaml (replaces .sandboxing.yaml; weaker than it: rules.SBX2005 is off, not error, " +
            "allowedRuntimeClasses adds gvisor, exclude adds 'legacy', podTemplates drops Workspace (dev.example.com))\n", run.Output, StringComparison.Ordinal);

        // A nested file as strict as the outer one is named, with nothing weaker.
        File.WriteAllText(Path.Combine(repo, "deploy", ".sandboxing.yaml"), "runtime: kata-vm-isolation\nallowedRuntimeClasses: [kata-vm-isolation]\nrules: {SBX2005: error}\npodTemplates:\n  - {apiVersion: dev.example.com/v1, kind: Workspace, resource: workspaces, paths: [spec.podTemplate.spec]}\n");
        Assert.EndsWith("\nconfig: deploy/.sandboxing.yaml (replaces .sandboxing.yaml)\n", CliRunner.Run(repo, "lint", "deploy").Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runtime: nvidia\n", ".sandboxing.yaml:1:10: runtime: 'nvidia' is not a sandbox runtime class")]
    [InlineData("runtime: my-class\n", ".sandboxing.yaml:1:10: runtime: 'my-class' is not a sandbox runtime class")]
    [InlineData("allowedRuntimeClasses: [kata-vm-isolation, nvidia]\n", ".sandboxing.yaml:1:44: allowedRuntimeClasses[1]: 'nvidia' is not a sandbox runtime class")]
    [InlineData("allowedRuntimeClasses: [kata-vm-isolaton]\n", ".sandboxing.yaml:1:25: allowedRuntimeClasses[0]: 'kata-vm-isolaton' is not a known runtime class; did you mean 'kata-vm-isolation'?")]
    public void A_class_that_is_not_a_sandbox_or_is_unknown_is_refused_at_its_position_and_fix_writes_nothing(string config, string message)
    {
        var repo = Repo(config);
        foreach (var command in new[] { "lint", "fix" })
        {
            var run = CliRunner.Run(repo, command, "deploy");
            Assert.Equal(ExitCodes.BadInput, run.ExitCode);
            Assert.Contains(message, run.Error, StringComparison.Ordinal);
        }

        Assert.Equal(Pod, File.ReadAllText(Path.Combine(repo, "deploy", "pod.yaml")));
    }

    [Fact]
    public void A_custom_class_defined_in_runtime_classes_may_be_the_runtime()
    {
        var repo = Repo("runtime: my-class\nruntimeClasses:\n  - {name: my-class, handler: kata}\n");
        Assert.Equal(ExitCodes.Success, CliRunner.Run(repo, "fix", "deploy").ExitCode);
        Assert.Contains("runtimeClassName: my-class", File.ReadAllText(Path.Combine(repo, "deploy", "pod.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_pod_templates_entry_whose_paths_match_nothing_is_reported_at_the_object_naming_the_entry()
    {
        var repo = Repo("podTemplates:\n  - apiVersion: dev.example.com/v1\n    kind: Workspace\n    resource: workspaces\n    paths: [spec.podTemplate.spec]\n");
        File.WriteAllText(Path.Combine(repo, "deploy", "ws.yaml"),
            "apiVersion: dev.example.com/v1\nkind: Workspace\nmetadata: {name: agent, namespace: team}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: b}]\n");
        var run = CliRunner.Run(repo, "lint", "deploy/ws.yaml");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("deploy/ws.yaml:1:1: warning SBX0003: Workspace team/agent has none of the pod spec paths declared for Workspace (spec.podTemplate.spec), " +
            "so none of its pods are checked (a pod spec is at spec.template.spec); correct the paths declared for Workspace at .sandboxing.yaml:2:5 (podTemplates)",
            run.Output, StringComparison.Ordinal);
    }
}
