using System.Text.Json;
using Sandboxing.Sdk.Tests.Cluster;

namespace Sandboxing.Cli.Tests.Config;

/// <summary>The config file (.sandboxing.yaml) of lint, fix, plan and audit.</summary>
public class ConfigTests
{
    private const string Resources = "resources: {limits: {memory: 1Gi, cpu: '1'}, requests: {memory: 1Gi, cpu: '1'}}";

    /// <summary>A pod with nothing but a missing runtime class to report (SBX1001, a warning).</summary>
    private const string Pod = $"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers: [{{name: c, image: busybox, {Resources}}}]\n";

    private static string PodOf(string runtimeClass, string name = "p") =>
        $"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  runtimeClassName: {runtimeClass}\n  containers: [{{name: c, image: busybox, {Resources}}}]\n";

    private static string RuntimeClass(string name, string handler, string overhead = "") =>
        $"apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {{name: {name}}}\nhandler: {handler}\n{overhead}";

    /// <summary>A workspace of a custom resource the tool does not know: three pods of one spec.</summary>
    private const string Workspace = "apiVersion: dev.example.com/v1\nkind: Workspace\nmetadata: {name: agent, namespace: team}\nspec:\n  replicas: 3\n" +
        "  podTemplate:\n    spec:\n      containers: [{name: c, image: busybox, " + Resources + "}]\n";

    /// <summary>A temporary repository: a folder with <c>.git</c>, so the search for a config stops there.</summary>
    private static string Repo()
    {
        var directory = CliRunner.TempCopy();
        Directory.CreateDirectory(Path.Combine(directory, ".git"));
        return directory;
    }

    private static string Write(string directory, string relative, string text)
    {
        var path = Path.Combine(directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Suggested(string runtime) => $"set runtimeClassName to '{runtime}'";

    [Fact]
    public void The_nearest_config_above_each_input_applies()
    {
        var repo = Repo();
        Write(repo, ".sandboxing.yaml", ConfigExamples.RuntimeClh);
        Write(repo, "team/.sandboxing.yml", ConfigExamples.RuntimeQemu);
        Write(repo, "team/app/deep/pod.yaml", Pod);
        Write(repo, "other/pod.yaml", Pod);

        var nested = CliRunner.Run(repo, "lint", "team/app");
        Assert.Equal(ExitCodes.Findings, nested.ExitCode);
        Assert.Contains(Suggested("kata-qemu"), nested.Output);

        var top = CliRunner.Run(Path.Combine(repo, "other"), "lint", "pod.yaml");
        Assert.Contains(Suggested("kata-clh"), top.Output);

        // Two inputs under two configs: each file is linted with its own, in one report.
        var both = CliRunner.Run(repo, "lint", "team/app/deep/pod.yaml", "other");
        Assert.Contains("team/app/deep/pod.yaml:4:1: warning SBX1001", both.Output);
        Assert.Contains(Suggested("kata-qemu"), both.Output);
        Assert.Contains(Suggested("kata-clh"), both.Output);
        Assert.Contains("2 findings (0 errors, 2 warnings, 0 info) in 2 pod-bearing objects of 2 files\n", both.Output);

        // Both files are named; the nested one with the file it replaces.
        Assert.EndsWith("config: team/.sandboxing.yml (replaces .sandboxing.yaml); .sandboxing.yaml\n", both.Output);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_search_stops_at_the_git_root(bool worktree)
    {
        var outer = CliRunner.TempCopy();
        Write(outer, ".sandboxing.yaml", ConfigExamples.RuntimeClh);
        var repo = Path.Combine(outer, "repo");
        if (worktree)
        {
            Write(repo, ".git", "gitdir: /elsewhere/.git/worktrees/repo\n"); // a worktree's or submodule's .git is a file
        }
        else
        {
            Directory.CreateDirectory(Path.Combine(repo, ".git"));
        }

        Write(repo, "deploy/pod.yaml", Pod);

        var run = CliRunner.Run(repo, "lint", "deploy");
        Assert.Contains(Suggested("kata-vm-isolation"), run.Output);
        Assert.Contains(Suggested("kata-clh"), CliRunner.Run(outer, "lint", "--config", ".sandboxing.yaml", "repo/deploy").Output);
    }

    [Fact]
    public void Standard_input_uses_the_config_of_the_working_directory()
    {
        var repo = Repo();
        Write(repo, ".sandboxing.yaml", ConfigExamples.RuntimeQemu);
        var sub = Directory.CreateDirectory(Path.Combine(repo, "sub")).FullName;

        var lint = CliRunner.Run(sub, CliRunner.Utf8(Pod), "lint", "-");
        Assert.Contains(Suggested("kata-qemu"), lint.Output);

        var fix = CliRunner.Run(sub, CliRunner.Utf8(Pod), "fix", "-");
        Assert.Equal(ExitCodes.Success, fix.ExitCode);
        Assert.Contains("runtimeClassName: kata-qemu", fix.Output);
    }

    [Fact]
    public void Config_names_the_file_and_no_config_skips_the_search()
    {
        var repo = Repo();
        Write(repo, ".sandboxing.yaml", ConfigExamples.RuntimeClh);
        Write(repo, "ci/strict.yaml", ConfigExamples.RuntimeQemu);
        Write(repo, "pod.yaml", Pod);

        Assert.Contains(Suggested("kata-clh"), CliRunner.Run(repo, "lint", "pod.yaml").Output);
        Assert.Contains(Suggested("kata-qemu"), CliRunner.Run(repo, "lint", "--config", "ci/strict.yaml", "pod.yaml").Output);
        Assert.Contains(Suggested("kata-vm-isolation"), CliRunner.Run(repo, "lint", "--no-config", "pod.yaml").Output);

        var missing = CliRunner.Run(repo, "lint", "--config", "ci/missing.yaml", "pod.yaml");
        Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
        Assert.Equal("", missing.Output);
        Assert.StartsWith("error: ci/missing.yaml: --config: no such file; check the path", missing.Error);

        var folder = CliRunner.Run(repo, "fix", "--config", "ci", "pod.yaml");
        Assert.Equal(ExitCodes.BadInput, folder.ExitCode);
        Assert.Contains("error: ci: --config names a folder", folder.Error);

        var both = CliRunner.Run(repo, "lint", "--config", "ci/strict.yaml", "--no-config", "pod.yaml");
        Assert.Equal(ExitCodes.BadInput, both.ExitCode);
        Assert.Contains("--config and --no-config exclude each other", both.Error);
    }

    [Fact]
    public void Both_spellings_in_one_folder_are_refused()
    {
        var repo = Repo();
        Write(repo, ".sandboxing.yaml", ConfigExamples.RuntimeClh);
        Write(repo, ".sandboxing.yml", ConfigExamples.RuntimeQemu);
        Write(repo, "pod.yaml", Pod);

        var run = CliRunner.Run(repo, "lint", "pod.yaml");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("both .sandboxing.yaml and .sandboxing.yml are in this folder", run.Error);
    }

    [Fact]
    public void The_runtime_flag_wins_over_the_file_which_wins_over_the_default()
    {
        var repo = Repo();
        Write(repo, ".sandboxing.yaml", ConfigExamples.RuntimeClh);
        Write(repo, "pod.yaml", Pod);

        Assert.Contains(Suggested("kata-clh"), CliRunner.Run(repo, "lint", "pod.yaml").Output);
        Assert.Contains(Suggested("kata-qemu"), CliRunner.Run(repo, "lint", "-r", "kata-qemu", "pod.yaml").Output);
        Assert.Contains(Suggested("kata-vm-isolation"), CliRunner.Run(repo, "lint", "--runtime", "kata-vm-isolation", "pod.yaml").Output);

        Assert.Contains("+  runtimeClassName: kata-clh", CliRunner.Run(repo, "fix", "--dry-run", "pod.yaml").Output);
        Assert.Contains("+  runtimeClassName: kata-qemu", CliRunner.Run(repo, "fix", "--dry-run", "--runtime", "kata-qemu", "pod.yaml").Output);
        Assert.Contains("+  runtimeClassName: kata-vm-isolation", CliRunner.Run(repo, "fix", "--dry-run", "--no-config", "pod.yaml").Output);
    }

    [Fact]
    public void The_allowed_classes_flag_replaces_the_files_list()
    {
        var repo = Repo();
        Write(repo, ".sandboxing.yaml", ConfigExamples.AllowedClh);
        Write(repo, "clh.yaml", PodOf("kata-clh"));
        Write(repo, "qemu.yaml", PodOf("kata-qemu"));

        Assert.Equal(ExitCodes.Success, CliRunner.Run(repo, "lint", "clh.yaml").ExitCode);
        var qemu = CliRunner.Run(repo, "lint", "qemu.yaml");
        Assert.Equal(ExitCodes.Findings, qemu.ExitCode);
        Assert.Contains("SBX1002", qemu.Output);
        Assert.Contains("(kata-vm-isolation, kata-clh)", qemu.Output); // the runtime is always allowed

        Assert.Equal(ExitCodes.Success, CliRunner.Run(repo, "lint", "-a", "kata-qemu", "qemu.yaml").ExitCode);
        Assert.Equal(ExitCodes.Findings, CliRunner.Run(repo, "lint", "-a", "kata-qemu", "clh.yaml").ExitCode);
        Assert.Equal(ExitCodes.Findings, CliRunner.Run(repo, "lint", "--no-config", "qemu.yaml").ExitCode); // the default list is AKS's
    }

    [Fact]
    public void Excludes_of_the_file_and_the_flag_add_up()
    {
        var repo = Repo();
        Write(repo, ".sandboxing.yaml", ConfigExamples.ExcludeLegacy + "  - deploy/generated/**\n");
        Write(repo, "deploy/app/pod.yaml", Pod);
        Write(repo, "deploy/legacy/pod.yaml", Pod);
        Write(repo, "deploy/generated/pod.yaml", Pod);
        Write(repo, "deploy/vendor/pod.yaml", Pod);

        // The anchored glob is written from the config's folder, so it also holds when the folder given is below it.
        foreach (var (cwd, folder) in new[] { (repo, "deploy"), (Path.Combine(repo, "deploy"), ".") })
        {
            var run = CliRunner.Run(cwd, "lint", "-f", "json", "-x", "vendor", folder);
            using var report = JsonDocument.Parse(run.Output);
            var files = report.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("file").GetString()).ToList();
            Assert.Equal([folder == "." ? "app/pod.yaml" : "deploy/app/pod.yaml"], files);
        }

        var fix = CliRunner.Run(repo, "fix", "--dry-run", "deploy");
        Assert.Contains("a/deploy/app/pod.yaml", fix.Output);
        Assert.Contains("a/deploy/vendor/pod.yaml", fix.Output);
        Assert.DoesNotContain("legacy", fix.Output);
        Assert.DoesNotContain("generated", fix.Output);

        // A file named on the command line is read, as with --exclude.
        Assert.Equal(ExitCodes.Findings, CliRunner.Run(repo, "lint", "deploy/legacy/pod.yaml").ExitCode);
    }

    [Fact]
    public void A_custom_kind_from_pod_templates_is_linted_fixed_and_planned()
    {
        var repo = Repo();
        Write(repo, ".sandboxing.yaml", ConfigExamples.Workspaces);
        var file = Write(repo, "workspace.yaml", Workspace);

        // Undeclared, the kind's pods are not checked, but never unseen: the pod spec is named with the key that declares it.
        var unknown = CliRunner.Run(repo, "lint", "--no-config", "workspace.yaml");
        Assert.Equal(ExitCodes.Findings, unknown.ExitCode);
        Assert.Contains("in 0 pod-bearing objects", unknown.Output);
        Assert.Contains("warning SBX0003: Workspace team/agent has a pod spec at spec.podTemplate.spec", unknown.Output);
        Assert.Contains("in .sandboxing.yaml podTemplates so they are", unknown.Output);

        var lint = CliRunner.Run(repo, "lint", "workspace.yaml");
        Assert.Equal(ExitCodes.Findings, lint.ExitCode);
        Assert.Contains("workspace.yaml:7:5: warning SBX1001: Workspace team/agent has no runtimeClassName", lint.Output);
        Assert.Contains("[spec.podTemplate.spec.runtimeClassName]", lint.Output);

        var fix = CliRunner.Run(repo, "fix", "workspace.yaml");
        Assert.Equal(ExitCodes.Success, fix.ExitCode);
        Assert.Contains("      runtimeClassName: kata-vm-isolation\n      containers:", File.ReadAllText(file));
        Assert.Equal(ExitCodes.Success, CliRunner.Run(repo, "lint", "workspace.yaml").ExitCode);

        var plan = CliRunner.Run(repo, "plan", "--count", "2", "workspace.yaml");
        Assert.Equal(ExitCodes.Success, plan.ExitCode);
        Assert.Matches(@"\nWorkspace team/agent +3 +kata-vm-isolation +1024Mi +600Mi", plan.Output);
    }

    [Fact]
    public void A_runtime_class_defined_in_the_inputs_is_allowed_by_its_handler()
    {
        var repo = Repo();
        Write(repo, "classes.yaml", RuntimeClass("small-kata-pods", "kata", "overhead: {podFixed: {memory: 120Mi}}\n") + "---\n" + RuntimeClass("plain-pods", "runc"));
        Write(repo, "apps/small.yaml", PodOf("small-kata-pods", "small"));
        Write(repo, "apps/plain.yaml", PodOf("plain-pods", "plain"));

        var run = CliRunner.Run(repo, "lint", ".");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.DoesNotContain("apps/small.yaml", run.Output);
        Assert.Contains("apps/plain.yaml:5:3: warning SBX1002: Pod plain uses runtimeClassName 'plain-pods', which is not an allowed sandbox runtime class (kata-vm-isolation, small-kata-pods)", run.Output);

        // Only the inputs of the run count: without the file that defines it, the class is unknown.
        Assert.Contains("SBX1002", CliRunner.Run(repo, "lint", "apps/small.yaml").Output);

        Write(repo, ".sandboxing.yaml", ConfigExamples.NoInputClasses);
        Assert.Contains("'small-kata-pods', which is not an allowed", CliRunner.Run(repo, "lint", ".").Output);

        // The plan prices the class the inputs define.
        File.Delete(Path.Combine(repo, ".sandboxing.yaml"));
        var plan = CliRunner.Run(repo, "plan", "--count", "2", "classes.yaml", "apps/small.yaml");
        Assert.Matches(@"Pod small +1 +small-kata-pods +1024Mi +120Mi", plan.Output);
    }

    [Fact]
    public void A_class_the_inputs_define_on_runc_is_never_added_nor_allowed()
    {
        var repo = Repo();
        Write(repo, "classes.yaml", RuntimeClass("kata-qemu", "runc"));
        Write(repo, "pod.yaml", Pod);
        Write(repo, "qemu.yaml", PodOf("kata-qemu"));

        var lint = CliRunner.Run(repo, "lint", "--runtime", "kata-qemu", ".");
        Assert.Equal(ExitCodes.BadInput, lint.ExitCode);
        Assert.Contains("classes.yaml:1:1: error: RuntimeClass 'kata-qemu' has handler 'runc', which is not a sandbox", lint.Output);
        Assert.Contains("qemu.yaml:5:3: warning SBX1002", lint.Output);

        var fix = CliRunner.Run(repo, "fix", "--runtime", "kata-qemu", ".");
        Assert.Equal(ExitCodes.BadInput, fix.ExitCode);
        Assert.Contains("(no file was changed)", fix.Error);
        Assert.Equal(Pod, File.ReadAllText(Path.Combine(repo, "pod.yaml")));
    }

    [Fact]
    public void Runtime_classes_of_the_config_are_allowed_and_priced()
    {
        var repo = Repo();
        Write(repo, ".sandboxing.yaml", ConfigExamples.SmallKataPods);
        Write(repo, "small.yaml", PodOf("small-kata-pods", "small"));

        Assert.Equal(ExitCodes.Success, CliRunner.Run(repo, "lint", "small.yaml").ExitCode);
        Assert.Equal(ExitCodes.Findings, CliRunner.Run(repo, "lint", "--no-config", "small.yaml").ExitCode);

        var plan = CliRunner.Run(repo, "plan", "--count", "2", "small.yaml");
        Assert.Matches(@"Pod small +1 +small-kata-pods +1024Mi +120Mi +1144Mi +1 +1250m", plan.Output);
    }

    [Fact]
    public void Rule_severities_change_the_report_and_the_exit_code()
    {
        var repo = Repo();
        Write(repo, "pod.yaml", Pod);
        const string hostPath = $"apiVersion: v1\nkind: Pod\nmetadata: {{name: h}}\nspec:\n  runtimeClassName: kata-vm-isolation\n" +
            $"  containers: [{{name: c, image: busybox, {Resources}}}]\n  volumes: [{{name: logs, hostPath: {{path: /var/log}}}}]\n";
        Write(repo, "hostpath.yaml", hostPath);

        Assert.Equal(ExitCodes.Success, CliRunner.Run(repo, "lint", "--fail-on", "error", "pod.yaml").ExitCode);
        Assert.Equal(ExitCodes.Findings, CliRunner.Run(repo, "lint", "hostpath.yaml").ExitCode);

        Write(repo, ".sandboxing.yaml", ConfigExamples.StrictRules);
        var strict = CliRunner.Run(repo, "lint", "--fail-on", "error", "pod.yaml");
        Assert.Equal(ExitCodes.Findings, strict.ExitCode);
        Assert.Contains("error SBX1001", strict.Output);
        Assert.Contains("1 finding (1 error, 0 warnings, 0 info)", strict.Output);

        var off = CliRunner.Run(repo, "lint", "-f", "sarif", "hostpath.yaml");
        Assert.Equal(ExitCodes.Success, off.ExitCode);
        Assert.DoesNotContain("\"ruleId\": \"SBX2004\"", off.Output);

        Write(repo, ".sandboxing.yaml", ConfigExamples.InfoHostPath);
        var info = CliRunner.Run(repo, "lint", "-f", "json", "hostpath.yaml");
        Assert.Equal(ExitCodes.Success, info.ExitCode);
        using var report = JsonDocument.Parse(info.Output);
        var finding = Assert.Single(report.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal(("SBX2004", "info"), (finding.GetProperty("ruleId").GetString(), finding.GetProperty("severity").GetString()));
        Assert.Equal(ExitCodes.Findings, CliRunner.Run(repo, "lint", "--fail-on", "info", "hostpath.yaml").ExitCode);
    }

    [Fact]
    public async Task Audit_reads_the_config_of_the_working_directory()
    {
        await using var server = await FakeApiServer.StartAsync();
        var repo = Repo();
        File.WriteAllText(Path.Combine(repo, "kubeconfig"), AuditCluster.Kubeconfig(server.BaseUri, "aks-test", ns: "tenant"));
        AuditCluster.Deployment(server, "web", "tenant", runtimeClass: null);
        AuditCluster.Deployment(server, "clh", "tenant", "kata-clh");

        Assert.Equal(ExitCodes.Success, CliRunner.Run(repo, "audit", "--kubeconfig", "kubeconfig", "--fail-on", "error").ExitCode);

        Write(repo, ".sandboxing.yaml", ConfigExamples.StrictRules + "\n" + ConfigExamples.RuntimeQemu + ConfigExamples.AllowedClh);
        var run = CliRunner.Run(repo, "audit", "--kubeconfig", "kubeconfig", "--fail-on", "error");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("cluster://aks-test/tenant/Deployment/web: error SBX1001", run.Output);
        Assert.Contains(Suggested("kata-qemu"), run.Output);
        Assert.DoesNotContain("Deployment/clh", run.Output);
        Assert.Contains("Deployment/clh", CliRunner.Run(repo, "audit", "--kubeconfig", "kubeconfig", "-a", "kata-vm-isolation").Output);
    }

    [Fact]
    public void Plan_refuses_inputs_under_two_configs()
    {
        var repo = Repo();
        Write(repo, "a/.sandboxing.yaml", ConfigExamples.RuntimeClh);
        Write(repo, "a/pod.yaml", PodOf("kata-vm-isolation"));
        Write(repo, "b/pod.yaml", PodOf("kata-vm-isolation"));

        var run = CliRunner.Run(repo, "plan", "a", "b");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("the inputs are under different config files (a/.sandboxing.yaml for a, none for b)", run.Error);
        Assert.Equal(ExitCodes.Success, CliRunner.Run(repo, "plan", "--count", "1", "--no-config", "a", "b").ExitCode);
    }

    public static TheoryData<string, string> BadConfigs() => new()
    {
        { "runtme: kata-clh\n", "1:1: runtme: unknown key; did you mean 'runtime'? a config file takes allowedRuntimeClasses, runtime, runtimeClasses, readRuntimeClassesFromInputs, exclude, podTemplates, rules" },
        { "allowed_runtime_classes: [kata-clh]\n", "1:1: allowed_runtime_classes: unknown key; did you mean 'allowedRuntimeClasses'?" },
        { "rules:\n  SBX2070: off\n", "2:3: rules.SBX2070: no rule SBX2070; did you mean SBX2007?" },
        { "rules:\n  SBX20: off\n", "2:3: rules.SBX20: no rule SBX20; similar: SBX2001, SBX2002" },
        { "rules: {SBX3001: off}\n", "1:9: rules.SBX3001: SBX3001 is a node pool rule, which lint and audit do not report" },
        { "rules:\n  SBX2007: warn\n", "2:12: rules.SBX2007: 'warn' is not a severity; did you mean warning? write error, warning, info or off" },
        { "rules:\n  SBX1001: off\n", "2:12: rules.SBX1001: SBX1001 cannot be off: it is the finding that a pod runs without a sandbox" },
        { "rules:\n  SBX1002: info\n", "annotation sandboxing.sdk/exempt: \"<reason>\"" },
        { "runtime: runc\n", "1:10: runtime: 'runc' runs pods on the node's shared kernel, so it is not a sandbox" },
        { "runtime: Kata\n", "1:10: runtime: 'Kata' is not a runtime class name" },
        { "allowedRuntimeClasses: []\n", "1:24: allowedRuntimeClasses: the list is empty" },
        { "exclude: charts\n", "1:10: exclude: 'charts' is not a list; write a list of globs" },
        { "readRuntimeClassesFromInputs: yes\n", "1:31: readRuntimeClassesFromInputs: 'yes' is not a boolean; write true or false" },
        { "runtimeClasses:\n  - name: plain\n    handler: runc\n", "3:14: runtimeClasses[0].handler: 'runc' runs pods on the node's shared kernel; a class defined here must be a sandbox, so its handler is kata, kata-<shim> or one of confidential-sandbox, gvisor, isolated-sandbox, runv" },
        { "runtimeClasses:\n  - name: small\n    handler: kata\n    overhead: {memory: 120MB}\n", "4:24: runtimeClasses[0].overhead.memory: '120MB' is not a Kubernetes quantity" },
        { "runtimeClasses:\n  - name: small\n    handlr: kata\n", "3:5: runtimeClasses[0].handlr: unknown key; did you mean 'handler'?" },
        { "runtimeClasses:\n  - handler: kata\n", "2:5: runtimeClasses[0]: missing name" },
        { "runtimeClasses:\n  - {name: a, handler: kata, tolerations: [{key: sandbox, effect: Never}]}\n", "runtimeClasses[0].tolerations[0].effect: 'Never' is not a taint effect" },
        { "podTemplates:\n  - apiVersion: dev.example.com/v1\n    kind: Workspace\n    resource: workspaces\n    paths:\n      - spec.containers[0]\n", "6:9: podTemplates[0].paths[0]: 'spec.containers[0]' is not a field path" },
        { "podTemplates:\n  - apiVersion: apps/v1\n    kind: Workspace\n    resource: workspaces\n    paths: [spec]\n", "2:17: podTemplates[0].apiVersion: 'apps/v1' is a built-in API group" },
        { "podTemplates:\n  - group: dev.example.com\n    resource: workspaces\n    paths: [spec]\n", "2:5: podTemplates[0]: missing kind" },
        { "podTemplates:\n  - kind: Workspace\n    resource: workspaces\n    paths: [spec]\n", "2:5: podTemplates[0]: missing apiVersion (or group)" },
        { "runtime: kata-clh\nruntime: kata-qemu\n", "2:1: the key 'runtime' is given twice (first at line 1)" },
        { "runtime: [kata-clh\n", "YAML syntax error" },
        { "- runtime: kata-clh\n", "1:1: the file is a list; a config file is a map of settings" },
        { "runtime: kata-clh\n---\nruntime: kata-qemu\n", "2:1: the file has more than one YAML document" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void A_bad_config_is_an_input_error_at_its_line_and_column(string config, string expected)
    {
        var repo = Repo();
        Write(repo, ".sandboxing.yaml", config);
        Write(repo, "pod.yaml", Pod);

        foreach (var command in new[] { "lint", "fix", "plan" })
        {
            var run = CliRunner.Run(repo, command, "pod.yaml");
            Assert.Equal(ExitCodes.BadInput, run.ExitCode);
            Assert.Equal("", run.Output);
            Assert.StartsWith("error: .sandboxing.yaml:", run.Error);
            Assert.Contains(expected, run.Error);
        }

        Assert.Equal(Pod, File.ReadAllText(Path.Combine(repo, "pod.yaml")));
    }

    [Fact]
    public void Every_problem_of_a_config_is_reported_at_once()
    {
        var repo = Repo();
        Write(repo, ".sandboxing.yaml", "runtme: kata-clh\nrules: {SBX1001: off}\nexclude: [charts]\n");
        Write(repo, "pod.yaml", Pod);

        var run = CliRunner.Run(repo, "lint", "pod.yaml");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        var lines = run.Error.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("error: .sandboxing.yaml:1:1: runtme:", lines[0]);
        Assert.StartsWith("error: .sandboxing.yaml:2:18: rules.SBX1001:", lines[1]);
    }

    [Fact]
    public void An_empty_config_leaves_every_default()
    {
        var repo = Repo();
        Write(repo, ".sandboxing.yaml", "# nothing yet\n");
        Write(repo, "pod.yaml", Pod);
        Assert.Contains(Suggested("kata-vm-isolation"), CliRunner.Run(repo, "lint", "pod.yaml").Output);
    }

    [Fact]
    public void A_config_above_the_working_directory_is_named_by_its_relative_path()
    {
        var repo = Repo();
        Write(repo, ".sandboxing.yaml", "runtme: kata-clh\n");
        Write(repo, "deploy/pod.yaml", Pod);

        var run = CliRunner.Run(Path.Combine(repo, "deploy"), "lint", "pod.yaml");
        Assert.StartsWith("error: ../.sandboxing.yaml:1:1: runtme: unknown key", run.Error);
    }
}
