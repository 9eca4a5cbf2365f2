using System.Text.Json;

namespace Sandboxing.Cli.Tests;

/// <summary>CLI: every file kubectl would apply from a folder (.json, hidden files) is checked, and JSON stays JSON when fixed.</summary>
public class KubectlFilesTests
{
    private const string JsonPod = """
        {
          "apiVersion": "v1",
          "kind": "Pod",
          "metadata": {"name": "evil"},
          "spec": {
            "containers": [{"name": "a", "image": "busybox"}]
          }
        }
        """;

    private static string Deploy()
    {
        var directory = CliRunner.TempCopy();
        var deploy = Path.Combine(directory, "deploy");
        Directory.CreateDirectory(Path.Combine(deploy, ".git", "refs"));
        File.WriteAllText(Path.Combine(deploy, "evil.json"), JsonPod);
        File.WriteAllText(Path.Combine(deploy, ".evil.yaml"), JsonPod.Replace("evil", "hidden", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(deploy, ".git", "refs", "pod.yaml"), JsonPod.Replace("evil", "git-internal", StringComparison.Ordinal));
        return directory;
    }

    [Theory]
    [InlineData("lint")]
    [InlineData("plan")]
    public void A_folder_s_json_and_hidden_files_are_read_but_not_git_s_own(string command)
    {
        var directory = Deploy();
        var run = command == "plan"
            ? CliRunner.Run(directory, "plan", "deploy")
            : CliRunner.Run(directory, command, "deploy");
        var text = run.Output + run.Error;
        Assert.Contains("evil", text, StringComparison.Ordinal);
        Assert.Contains("hidden", text, StringComparison.Ordinal);
        Assert.DoesNotContain("git-internal", text, StringComparison.Ordinal);
        if (command == "lint")
        {
            Assert.Contains("deploy/evil.json:5:3: warning SBX1001: Pod evil", run.Output, StringComparison.Ordinal);
            Assert.Contains("deploy/.evil.yaml:5:3: warning SBX1001: Pod hidden", run.Output, StringComparison.Ordinal);
            Assert.Contains("of 2 files", run.Output, StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Findings, run.ExitCode);
        }
    }

    [Fact]
    public void Fix_finds_json_and_hidden_files_and_writes_json_back_with_tolerations()
    {
        var directory = Deploy();
        var run = CliRunner.Run(directory, "fix", "--node-pool-taint", "sandboxing.sdk/runtime=kata:NoSchedule", "deploy");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        foreach (var file in new[] { "evil.json", ".evil.yaml" })
        {
            var text = File.ReadAllText(Path.Combine(directory, "deploy", file));
            using var json = JsonDocument.Parse(text); // still JSON, or this throws
            var spec = json.RootElement.GetProperty("spec");
            Assert.Equal("kata-vm-isolation", spec.GetProperty("runtimeClassName").GetString());
            Assert.Equal("NoSchedule", spec.GetProperty("tolerations")[0].GetProperty("effect").GetString());
        }

        Assert.Equal(JsonPod.Replace("evil", "git-internal", StringComparison.Ordinal), File.ReadAllText(Path.Combine(directory, "deploy", ".git", "refs", "pod.yaml")));
    }

    [Fact]
    public void A_stream_of_json_objects_is_linted_object_by_object_at_their_lines_and_fixed_as_json()
    {
        var directory = CliRunner.TempCopy();
        const string one = """{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "m1"}, "spec": {"containers": [{"name": "a", "image": "b"}]}}""";
        File.WriteAllText(Path.Combine(directory, "stream.json"), one + "\n" + one.Replace("m1", "m2", StringComparison.Ordinal) + one.Replace("m1", "m3", StringComparison.Ordinal) + "\n");

        var lint = CliRunner.Run(directory, "lint", "stream.json");
        Assert.Contains("stream.json:1:65: warning SBX1001: Pod m1", lint.Output, StringComparison.Ordinal);
        Assert.Contains("stream.json:2:65: warning SBX1001: Pod m2", lint.Output, StringComparison.Ordinal);
        Assert.Contains($"stream.json:2:{one.Length + 65}: warning SBX1001: Pod m3", lint.Output, StringComparison.Ordinal);
        Assert.Contains("in 3 pod-bearing objects of 1 file", lint.Output, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Success, CliRunner.Run(directory, "fix", "stream.json").ExitCode);
        var fixedText = File.ReadAllText(Path.Combine(directory, "stream.json"));
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(fixedText), new JsonReaderOptions { AllowMultipleValues = true });
        int objects = 0;
        while (reader.Read())
        {
            using var document = JsonDocument.ParseValue(ref reader);
            Assert.Equal("kata-vm-isolation", document.RootElement.GetProperty("spec").GetProperty("runtimeClassName").GetString());
            objects++;
        }

        Assert.Equal(3, objects);
    }

    [Fact]
    public void A_json_list_is_linted_item_by_item()
    {
        var directory = CliRunner.TempCopy();
        File.WriteAllText(Path.Combine(directory, "list.json"), $$"""
            {"apiVersion": "v1", "kind": "List", "items": [
              {{JsonPod.Replace("\n", "\n  ", StringComparison.Ordinal)}}
            ]}
            """);
        var lint = CliRunner.Run(directory, "lint", "list.json");
        Assert.Contains("list.json:6:5: warning SBX1001: Pod evil", lint.Output, StringComparison.Ordinal);
    }
}
