using System.Text;
using System.Text.Json;

namespace Sandboxing.Cli.Tests;

/// <summary>CLI: folder walks that end, SARIF URIs that stay valid, and fix that damages no file.</summary>
public class FailClosedCliTests
{
    private const string Pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n";

    [Fact]
    public void Lint_visits_each_real_file_once_through_symlink_cycles()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symbolic links need privileges there
        }

        var directory = CliRunner.TempCopy();
        Directory.CreateDirectory(Path.Combine(directory, "a", "b"));
        File.WriteAllText(Path.Combine(directory, "a", "b", "pod.yaml"), Pod);
        Directory.CreateSymbolicLink(Path.Combine(directory, "a", "b", "loop"), Path.Combine(directory, "a"));
        Directory.CreateSymbolicLink(Path.Combine(directory, "a", "up"), directory);
        Directory.CreateSymbolicLink(Path.Combine(directory, "again"), Path.Combine(directory, "a", "b"));
        File.CreateSymbolicLink(Path.Combine(directory, "link.yaml"), Path.Combine(directory, "a", "b", "pod.yaml"));
        File.CreateSymbolicLink(Path.Combine(directory, "self.yaml"), Path.Combine(directory, "self.yaml")); // a link to itself

        var run = CliRunner.Run(directory, "lint", "-f", "json", ".");
        using var report = JsonDocument.Parse(run.Output);
        Assert.Equal(1, report.RootElement.GetProperty("summary").GetProperty("files").GetInt32());
        Assert.Equal(1, report.RootElement.GetProperty("summary").GetProperty("objects").GetInt32());
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
    }

    [Fact]
    public void Random_layouts_of_links_lint_each_file_once()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var random = new Random(15);
        for (int layout = 0; layout < 20; layout++)
        {
            var links = Enumerable.Range(0, 4).Select(_ => random.Next(4)).ToArray();

            // Folders d0..d3 each hold one pod; each gets a link to another folder (or none), making trees, diamonds and cycles.
            var directory = CliRunner.TempCopy();
            for (int i = 0; i < 4; i++)
            {
                Directory.CreateDirectory(Path.Combine(directory, $"d{i}"));
                File.WriteAllText(Path.Combine(directory, $"d{i}", $"pod{i}.yaml"), Pod.Replace("name: p", $"name: p{i}", StringComparison.Ordinal));
            }

            for (int i = 0; i < 4; i++)
            {
                Directory.CreateSymbolicLink(Path.Combine(directory, $"d{i}", "link"), Path.Combine(directory, $"d{links[i]}"));
            }

            var run = CliRunner.Run(directory, "lint", "-f", "json", ".");
            using var report = JsonDocument.Parse(run.Output);
            Assert.Equal(4, report.RootElement.GetProperty("summary").GetProperty("files").GetInt32());
        }
    }

    [Fact]
    public void Sarif_uris_escape_a_literal_percent_sign()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "100% sure#1.yaml"), Pod);
        var run = CliRunner.Run(directory, "lint", "-f", "sarif", ".");
        using var sarif = JsonDocument.Parse(run.Output);
        var uri = sarif.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("locations")[0]
            .GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!;
        Assert.Equal("100%25%20sure%231.yaml", uri);
        Assert.Equal("100% sure#1.yaml", Uri.UnescapeDataString(uri));
        var root = sarif.RootElement.GetProperty("runs")[0].GetProperty("originalUriBaseIds").GetProperty("SRCROOT").GetProperty("uri").GetString()!;
        Assert.True(Uri.TryCreate(root, UriKind.Absolute, out var parsed) && parsed.IsFile, root);
    }

    [Fact]
    public void Fix_writes_through_a_symlink_and_keeps_mode_and_hard_links()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var directory = CliRunner.TempCopy();
        Directory.CreateDirectory(Path.Combine(directory, "real"));
        var target = Path.Combine(directory, "real", "pod.yaml");
        File.WriteAllText(target, Pod);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var link = Path.Combine(directory, "link.yaml");
        File.CreateSymbolicLink(link, target);
        var hard = Path.Combine(directory, "real", "hard.yml");
        Assert.Equal(0, Link(target, hard));

        var run = CliRunner.Run(directory, "fix", "link.yaml");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.NotNull(new FileInfo(link).LinkTarget); // still a link
        Assert.Contains("runtimeClassName: kata-vm-isolation", File.ReadAllText(target));
        Assert.Equal(File.ReadAllText(target), File.ReadAllText(hard)); // the hard link sees the change: same inode
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(target));
    }

    [Fact]
    public void Fix_refuses_a_read_only_file_and_carries_on_with_the_next_one()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var directory = CliRunner.TempCopy();
        var readOnly = Path.Combine(directory, "a-read-only.yaml");
        var writable = Path.Combine(directory, "b-writable.yaml");
        File.WriteAllText(readOnly, Pod);
        File.WriteAllText(writable, Pod);
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var run = CliRunner.Run(directory, "fix", ".");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("a-read-only.yaml: the file is read-only", run.Error);
        Assert.Equal(Pod, File.ReadAllText(readOnly));
        Assert.Contains("runtimeClassName", File.ReadAllText(writable));
        Assert.Contains("1 change in 1 file; 1 file could not be written and was left unchanged", run.Error);
    }

    [Fact]
    public void Fix_detects_a_change_made_while_it_ran_and_leaves_the_file_alone()
    {
        var directory = CliRunner.TempCopy();
        var file = Path.Combine(directory, "pod.yaml");
        File.WriteAllText(file, Pod + "# edited meanwhile\n");
        var error = Assert.Throws<IOException>(() =>
            FixCommand.ReplaceContent(file, Encoding.UTF8.GetBytes(Pod), Encoding.UTF8.GetBytes("fixed")));
        Assert.Contains("changed while fix was running", error.Message);
        Assert.Equal(Pod + "# edited meanwhile\n", File.ReadAllText(file));

        FixCommand.ReplaceContent(file, Encoding.UTF8.GetBytes(Pod + "# edited meanwhile\n"), Encoding.UTF8.GetBytes("short"));
        Assert.Equal("short", File.ReadAllText(file)); // a shorter text truncates the rest
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);
}

/// <summary>Valid YAML with template syntax is linted; empty input is an input problem.</summary>
public class ManifestsInTheWildCliTests
{
    [Fact]
    public void A_folder_with_alert_rules_dashboards_and_workflows_lints_without_input_problems()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "alerts.yaml"), "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: a}\nspec:\n  groups:\n  - name: n\n    rules:\n    - alert: Down\n      annotations: {summary: \"{{ $labels.instance }} is down\"}\n");
        File.WriteAllText(Path.Combine(directory, "workflow.yml"), "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n    - run: echo ${{ github.sha }}\n");
        File.WriteAllText(Path.Combine(directory, "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  runtimeClassName: kata-vm-isolation\n  containers:\n  - name: c\n    image: \"acme/app:{{ .Chart.AppVersion }}\"\n    resources: {limits: {cpu: '1', memory: 256Mi}, requests: {cpu: '1', memory: 256Mi}}\n");
        var run = CliRunner.Run(directory, "lint", ".");
        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("pod.yaml:8:12: warning SBX0002:", run.Output);
        Assert.Contains("0 error", run.Output);
        Assert.DoesNotContain("input problem", run.Output);
        Assert.Equal(ExitCodes.Success, CliRunner.Run(directory, "lint", "--fail-on", "error", ".").ExitCode);
    }

    [Theory]
    [InlineData("lint")]
    [InlineData("fix")]
    public void Empty_standard_input_is_an_input_problem_with_a_message(string command)
    {
        var run = CliRunner.Run(CliRunner.TempCopy(), "\n  \n"u8.ToArray(), command, "-");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("standard input is empty", run.Output + run.Error);
    }

    [Fact]
    public void An_empty_file_named_on_the_command_line_is_an_input_problem_but_one_found_in_a_folder_is_not()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "empty.yaml"), "");
        Assert.Equal(ExitCodes.BadInput, CliRunner.Run(directory, "lint", "empty.yaml").ExitCode);
        Assert.Equal(ExitCodes.Success, CliRunner.Run(directory, "lint", ".").ExitCode);
    }
}

/// <summary>The CLI speaks CLI.</summary>
public class CliWordingTests
{
    [Theory]
    [InlineData("lint")]
    [InlineData("fix")]
    public void Usage_names_the_sandboxing_command(string command)
    {
        var run = CliRunner.Run(CliRunner.TempCopy(), command, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"Usage:\n  sandboxing {command} ", run.Output.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.DoesNotContain(RootCommandName(), run.Output);
    }

    [Fact]
    public void Lint_advises_sandboxing_fix_not_a_CSharp_call()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox, resources: {limits: {cpu: '1', memory: 256Mi}, requests: {cpu: 500m, memory: 256Mi}}}]\n");
        foreach (var format in new[] { "text", "json", "sarif" })
        {
            var run = CliRunner.Run(directory, "lint", "-f", format, "pod.yaml");
            Assert.Contains("sandboxing fix", run.Output);
            Assert.DoesNotContain("Sandbox()", run.Output);
            Assert.DoesNotContain("WithResources", run.Output);
        }
    }

    [Fact]
    public void Short_flags_mean_one_thing_everywhere()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n");
        var dry = CliRunner.Run(directory, "fix", "-d", "pod.yaml");
        Assert.Equal(ExitCodes.Findings, dry.ExitCode);
        Assert.Contains("+  runtimeClassName: kata-vm-isolation", dry.Output);
        Assert.Equal(ExitCodes.BadInput, CliRunner.Run(directory, "fix", "-n", "pod.yaml").ExitCode); // -n is --name elsewhere

        var root = SandboxingCli.Build(new CliConsole(TextWriter.Null, TextWriter.Null, () => Stream.Null, directory));
        var meanings = new Dictionary<string, HashSet<string>>();
        foreach (var command in root.Subcommands)
        {
            foreach (var option in command.Options)
            {
                foreach (var alias in option.Aliases.Where(a => a.Length == 2))
                {
                    (meanings.TryGetValue(alias, out var names) ? names : meanings[alias] = []).Add(option.Name);
                }
            }
        }

        Assert.All(meanings, m => Assert.True(m.Value.Count == 1, $"{m.Key} means {string.Join(" and ", m.Value)}"));
    }

    private static string RootCommandName() => System.CommandLine.RootCommand.ExecutableName + " lint";

    /// <summary>
    /// C# where a CLI user needs flags and files: a member call (<c>WithMaxPods(</c>, <c>InCluster(</c>, <c>Sandbox()</c>), a
    /// <c>Type.Member</c> (<c>CapacityPlanOptions.RuntimeClasses</c>), an options type, a builder method named bare
    /// (<c>WithWorkloadIdentity</c>, <c>WithAllNamespacesExcept</c>), <c>new T(</c>, or "or null".
    /// </summary>
    private static readonly System.Text.RegularExpressions.Regex s_csharp = new(
        @"\b[A-Z][a-z]+(?:[A-Z][A-Za-z0-9]*)+\(|\b[A-Z][A-Za-z]*\(\)|\b[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+\.[A-Z][A-Za-z]+|\b[A-Z]\w*Options\b" +
        @"|\b(?:With|Without|In|For|Allowing|Exempting|Requiring|Honouring)[A-Z][a-z]\w*|\bnew [A-Z]\w*[({]|\bor null\b");

    private const string Workloads = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: tenant-42
          labels: {sandboxing.sdk/tenant: tenant-42}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: tenant-42
          annotations: {sandboxing.sdk/exempt.SBX2004: ""}
        spec:
          template:
            metadata:
              labels: {azure.workload.identity/use: "true"}
            spec:
              securityContext: {runAsNonRoot: true}
              containers:
              - name: web
                image: nginx
                resources: {limits: {cpu: "2", memory: 256Mi}, requests: {cpu: 500m, memory: 256Mi}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: agent, namespace: tenant-42}
        spec:
          hostNetwork: true
          runtimeClassName: my-kata
          containers: [{name: a, image: agent}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: confidential}
        spec:
          runtimeClassName: kata-cc-isolation
          containers: [{name: a, image: agent, resources: {limits: {memory: 64Mi}}}]
        """;

    public static TheoryData<string[], bool> ErrorPathsAndHelp()
    {
        var data = new TheoryData<string[], bool>();

        // (arguments, whether standard output is text for a reader rather than an emitted artifact)
        foreach (var command in new[] { "lint", "fix", "nodepool", "plan", "migrate", "runtimes", "policy", "tenant", "cluster", "audit", "rules", "explain" })
        {
            data.Add([command, "--help"], true);
        }

        data.Add(["--help"], true);
        data.Add(["nodepool"], false);
        data.Add(["nodepool", "-c", "aks", "-g", "rg", "-s", ""], false);
        data.Add(["nodepool", "-c", "aks", "-g", "rg", "--subscription", "not-a-guid"], false);
        data.Add(["nodepool", "-n", "Bad_Pool", "-c", "aks", "-g", "rg", "--os-sku", "Ubuntu", "--fips", "--kubernetes-version", "1.20", "--max-pods", "5",
            "--zones", "4", "--label", "kubernetes.azure.com/x=y", "--taint", "bad", "--tag", "a<b=c", "--api-version", "2020-01-01", "--workload-runtime", "OCIContainer"], false);
        data.Add(["nodepool", "-c", "aks", "-g", "rg", "-s", "Standard_Unknown_v9", "--min", "3", "--max", "1"], false);
        data.Add(["plan", "workloads.yaml"], true);
        data.Add(["plan", "--sandbox-taint", "--count", "1", "workloads.yaml"], true);
        data.Add(["plan", "-s", "Standard_Unknown_v9", "workloads.yaml"], true);
        data.Add(["plan", "--min", "1", "workloads.yaml"], true);
        foreach (var format in new[] { "text", "json", "sarif" })
        {
            data.Add(["lint", "-f", format, "workloads.yaml"], true);
        }

        data.Add(["lint", "--runtime", "Bad_Name", "workloads.yaml"], true);
        data.Add(["fix", "-d", "workloads.yaml"], true);
        data.Add(["tenant", "--check", "workloads.yaml"], true);
        data.Add(["tenant", "t", "--require-cmk", "--quota-pods", "0", "--workload-identity", "x", "--egress", "internet", "--allow-cidr", "0.0.0.0/0"], false);
        data.Add(["tenant", "t", "--allow-api-server"], false);
        data.Add(["policy", "--engine", "mutating", "--kubernetes-version", "1.32"], false);
        data.Add(["policy", "--all-namespaces-except", "default", "--exempt-groups", "system:serviceaccounts", "--exempt-users", "system:kube-controller-manager",
            "--honour-exemption-annotations"], false);
        data.Add(["policy", "--engine", "mutating", "--all-namespaces-except", "default"], false);
        data.Add(["cluster", "-n", "bad name", "-g", "rg.", "-l", "West Europe", "--network-policy", "none", "--kubernetes-version", "1.2", "--admin-group", "x",
            "--disk-encryption-set", "y", "--subscription", "z"], false);
        data.Add(["cluster", "-n", "aks", "-g", "rg", "-l", "westeurope", "--system-vm-size", "Standard_B2s", "--tenant-pool"], false);
        data.Add(["audit", "--kubeconfig", "missing.kubeconfig"], true);
        data.Add(["rules"], true);
        data.Add(["rules", "--format", "json"], true);
        data.Add(["explain", "SBX9999"], true);
        data.Add(["policy", "--test", "workloads.yaml"], true);
        data.Add(["policy", "--checks", "hardened", "--test", "workloads.yaml", "--namespace-labels", "tenant-42=sandboxing.sdk/enforce=true"], true);
        data.Add(["lint", "--fromat", "json", "workloads.yaml"], true);
        data.Add(["fix", "--node-pool-taint", "bad", "workloads.yaml"], true);
        data.Add(["fix", "-d", "--node-pool-taint", "sandboxing.sdk/runtime=kata:NoSchedule", "workloads.yaml"], true);
        data.Add(["nodepool", "-c", "aks", "-g", "rg", "--sandbox-taint"], false);
        return data;
    }

    [Theory]
    [MemberData(nameof(ErrorPathsAndHelp))]
    public void Messages_help_and_hints_name_flags_and_files_not_CSharp_members(string[] args, bool readOutput)
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "workloads.yaml"), Workloads);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(CliRunner.FixturesDirectory(), "migrate")))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        var run = CliRunner.Run(directory, args);
        var text = (readOutput ? run.Output : "") + run.Error;
        Assert.DoesNotContain("Unhandled", text, StringComparison.Ordinal);
        var leaks = s_csharp.Matches(text).Select(m => m.Value).Distinct().ToList();
        Assert.True(leaks.Count == 0, $"sandboxing {string.Join(' ', args)} prints C# ({string.Join(", ", leaks)}):\n{text}");
    }

    [Fact]
    public void Hints_name_the_flag_or_command_that_does_it()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "workloads.yaml"), Workloads);

        Assert.Contains("the cluster name is empty; pass --cluster with the AKS cluster's name", CliRunner.Run(directory, "nodepool").Error);
        Assert.Contains("or leave --subscription out", CliRunner.Run(directory, "nodepool", "-c", "a", "-g", "b", "--subscription", "x").Error);

        var plan = CliRunner.Run(directory, "plan", "workloads.yaml");
        Assert.Contains("gains memory with a lower --max-pods.", plan.Output);
        Assert.Contains("Set them before deploying: 'sandboxing fix' sets the runtime class.", plan.Error);
        Assert.Contains("the overhead of runtime class 'my-kata' is unknown; planned with 600Mi.\n", plan.Output);

        var unknownSize = CliRunner.Run(directory, "plan", "-s", "Standard_Unknown_v9", "workloads.yaml");
        Assert.Equal(ExitCodes.BadInput, unknownSize.ExitCode);
        Assert.Contains("error: --vm-size 'Standard_Unknown_v9' is not in the SDK's VM size catalog", unknownSize.Error);

        var tenant = CliRunner.Run(directory, "tenant", "--check", "workloads.yaml");
        Assert.Contains("annotate the account ('sandboxing tenant --workload-identity' does)", tenant.Output);
        Assert.Contains("or run 'sandboxing fix'", tenant.Output);
        Assert.Contains("pass --disk-encryption-set <id>", CliRunner.Run(directory, "tenant", "t", "--require-cmk").Error);
        Assert.Contains("use --engine kyverno --mutate, or --engine vap alone", CliRunner.Run(directory, "policy", "--engine", "mutating", "--kubernetes-version", "1.32").Error);
    }

    [Theory]
    [InlineData("preview-nodepool-add.sh")]
    [InlineData("preview-create.sh")]
    [InlineData("preview-agentpool.json")]
    public void Migrate_findings_and_notes_name_flags_not_CSharp_members(string file)
    {
        var run = CliRunner.Run(Path.Combine(CliRunner.FixturesDirectory(), "migrate"), "migrate", file);
        var leaks = s_csharp.Matches(run.Error).Select(m => m.Value).Distinct().ToList();
        Assert.True(leaks.Count == 0, $"migrate {file} prints C# ({string.Join(", ", leaks)}):\n{run.Error}");
    }
}

/// <summary>--exclude drops the files it names.</summary>
public class ExcludeTests
{
    [Theory]
    [InlineData("charts", new[] { "app/web.tmpl.yaml", "app/web.yaml", "keep.yaml" })]
    [InlineData("*.tmpl.yaml", new[] { "app/charts/db.yaml", "app/web.yaml", "keep.yaml" })]
    [InlineData("app/charts/**", new[] { "app/web.tmpl.yaml", "app/web.yaml", "keep.yaml" })]
    [InlineData("app/", new[] { "keep.yaml" })]
    [InlineData("**/web.yaml,keep.yaml", new[] { "app/charts/db.yaml", "app/web.tmpl.yaml" })]
    public void Lint_and_fix_leave_out_files_that_match_the_globs(string globs, string[] expected)
    {
        var directory = CliRunner.TempCopy();
        const string pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n";
        foreach (var file in new[] { "app/web.yaml", "app/charts/db.yaml", "app/web.tmpl.yaml", "keep.yaml" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(directory, file))!);
            File.WriteAllText(Path.Combine(directory, file), pod);
        }

        var lint = CliRunner.Run(directory, "lint", "-f", "json", "-x", globs, ".");
        using var report = JsonDocument.Parse(lint.Output);
        Assert.Equal(expected, report.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("file").GetString()).Distinct().Order(StringComparer.Ordinal));

        CliRunner.Run(directory, "fix", "--exclude", globs, ".");
        var changed = new[] { "app/web.yaml", "app/charts/db.yaml", "app/web.tmpl.yaml", "keep.yaml" }
            .Where(f => File.ReadAllText(Path.Combine(directory, f)).Contains("runtimeClassName", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, changed);
    }
}
