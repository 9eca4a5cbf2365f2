using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>
/// AgentSandboxClient against the loopback agent-sandbox controller and router: claims, commands, files, release, and what each
/// request looks like on the wire.
/// </summary>
public class AgentSandboxClientTests
{
    private const string Ns = AgentSandboxHarness.Ns;

    [Fact]
    public async Task A_claim_from_a_warm_pool_binds_a_warm_sandbox_and_runs_commands_through_the_router()
    {
        await using var h = await AgentSandboxHarness.StartAsync(warm: 1);

        await using var session = await h.Client.ClaimAsync(AgentSandboxHarness.Template, Ns);

        var claim = Assert.Single(h.Claims);
        Assert.Equal(session.ClaimName, (string?)claim["metadata"]!["name"]);
        Assert.StartsWith("sandbox-claim-", session.ClaimName, StringComparison.Ordinal);
        Assert.Equal(AgentSandboxHarness.Template, (string?)claim["spec"]!["warmPoolRef"]!["name"]);
        Assert.Equal("dotnet-client", (string?)claim["metadata"]!["labels"]!["agents.x-k8s.io/created-by"]);
        Assert.StartsWith(AgentSandboxHarness.Template + "-", session.SandboxName, StringComparison.Ordinal);
        Assert.Equal(session.SandboxName, session.PodName);
        Assert.StartsWith("10.244.", session.PodIP, StringComparison.Ordinal);

        var result = await session.RunAsync("echo hello 'sandboxed world'");
        Assert.Equal(("hello sandboxed world\n", "", 0), (result.Stdout, result.Stderr, result.ExitCode));

        // Every router request named the sandbox, not the claim, its namespace, the runtime's port and the pod IP.
        var request = Assert.Single(h.Router.Requests);
        Assert.Equal(("POST", "/execute"), (request.Method, request.RawTarget));
        Assert.Equal(session.SandboxName, request.Headers["X-Sandbox-ID"]);
        Assert.Equal(Ns, request.Headers["X-Sandbox-Namespace"]);
        Assert.Equal("8888", request.Headers["X-Sandbox-Port"]);
        Assert.Equal(session.PodIP, request.Headers["X-Sandbox-Pod-IP"]);
        Assert.Matches("^[0-9a-f]{16}$", request.Headers["X-Request-ID"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        h.AssertNoViolations();
    }

    [Fact]
    public async Task A_claim_from_a_template_without_a_pool_creates_a_cold_pool_of_zero_and_cold_starts_under_the_claims_name()
    {
        await using var h = await AgentSandboxHarness.StartAsync(warm: null);
        foreach (var obj in AgentSandboxes.Template("solo").InNamespace(Ns)
            .WithContainer("runtime", "python:3.12-slim", c => c.WithResources(cpu: "1", memory: "1Gi")).Build())
        {
            h.Controller.Add(obj);
        }

        await using var session = await h.Client.ClaimFromTemplateAsync("solo", Ns);

        var pool = h.Controller.Get("sandboxwarmpools", Ns, "solo-cold");
        Assert.NotNull(pool);
        Assert.Equal(0, (int)pool["spec"]!["replicas"]!);
        Assert.Equal("solo", (string?)pool["spec"]!["sandboxTemplateRef"]!["name"]);
        Assert.Equal("solo-cold", (string?)Assert.Single(h.Claims)["spec"]!["warmPoolRef"]!["name"]);
        Assert.Equal(session.ClaimName, session.SandboxName);

        // A second claim reuses the pool rather than creating another.
        await using var second = await h.Client.ClaimFromTemplateAsync("solo", Ns);
        Assert.Single(h.Controller.List("sandboxwarmpools", Ns));
        Assert.Equal(2, h.Claims.Count);
        h.AssertNoViolations();
    }

    [Fact]
    public async Task A_claim_from_a_template_uses_an_existing_pool_that_names_it()
    {
        await using var h = await AgentSandboxHarness.StartAsync(warm: 2);

        await using var session = await h.Client.ClaimFromTemplateAsync(AgentSandboxHarness.Template, Ns);

        Assert.Null(h.Controller.Get("sandboxwarmpools", Ns, AgentSandboxHarness.Template + "-cold"));
        Assert.Equal(AgentSandboxHarness.Template, (string?)Assert.Single(h.Claims)["spec"]!["warmPoolRef"]!["name"]);
        h.AssertNoViolations();
    }

    [Fact]
    public async Task The_claim_carries_the_lifecycle_labels_and_pod_metadata_asked_for_and_is_valid_against_the_CRD()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        await using var h = await AgentSandboxHarness.StartAsync(configure: o => o.TimeProvider = clock);
        h.Controller.Time = clock;
        var options = new AgentSandboxClaimOptions { ShutdownAfter = TimeSpan.FromMinutes(30), ShutdownPolicy = AgentSandboxShutdownPolicy.DeleteForeground };
        options.Labels["team"] = "agents";
        options.PodLabels["example.com/session"] = "s1";
        options.PodAnnotations["cluster-autoscaler.kubernetes.io/safe-to-evict"] = "false";

        await using var session = await h.Client.ClaimAsync(AgentSandboxHarness.Template, Ns, options);

        var claim = Assert.Single(h.Claims);
        Assert.Equal("2026-12-07T10:30:00Z", (string?)claim["spec"]!["lifecycle"]!["shutdownTime"]);
        Assert.Equal("DeleteForeground", (string?)claim["spec"]!["lifecycle"]!["shutdownPolicy"]);
        Assert.Equal("agents", (string?)claim["metadata"]!["labels"]!["team"]);
        Assert.Equal("2026-12-07T10:00:00Z", (string?)claim["metadata"]!["annotations"]!["agents.x-k8s.io/client-first-requested-at"]);

        // The controller merged the pod metadata into the Sandbox's pod template.
        var sandbox = h.Controller.Get("sandboxes", Ns, session.SandboxName)!;
        Assert.Equal("s1", (string?)sandbox["spec"]!["podTemplate"]!["metadata"]!["labels"]!["example.com/session"]);
        Assert.Equal("false", (string?)sandbox["spec"]!["podTemplate"]!["metadata"]!["annotations"]!["cluster-autoscaler.kubernetes.io/safe-to-evict"]);

        // What the client sent is valid against the vendored v1beta1 CRD (the server checked it too: no violations, no 422).
        var create = h.Controller.Server.Requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/sandboxclaims", StringComparison.Ordinal));
        Assert.Empty(CrdSchema.AgentSandbox.Errors(create.Body));
        h.AssertNoViolations();
    }

    [Fact]
    public async Task Pod_metadata_in_a_reserved_domain_is_refused_before_anything_is_created()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        var options = new AgentSandboxClaimOptions();
        options.PodLabels["agents.x-k8s.io/sandbox-name"] = "x";

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => h.Client.ClaimAsync(AgentSandboxHarness.Template, Ns, options));

        Assert.Contains("AgentSandboxClaimOptions.PodLabels", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Controller.Server.Requests);
    }

    [Fact]
    public async Task Commands_report_stdout_stderr_and_exit_codes_and_a_non_zero_exit_is_a_result()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        await using var session = await h.Client.ClaimAsync(AgentSandboxHarness.Template, Ns);

        var failed = await session.RunAsync("exit-with 3 'something broke'");
        var missing = await session.RunAsync("no-such-program --flag");
        var unbalanced = await session.RunAsync("echo 'open");

        Assert.Equal(("", "something broke\n", 3), (failed.Stdout, failed.Stderr, failed.ExitCode));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("No such file or directory: 'no-such-program'", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal((1, "Failed to execute command: No closing quotation"), (unbalanced.ExitCode, unbalanced.Stderr));
        h.AssertNoViolations();
    }

    [Fact]
    public async Task Files_are_written_read_listed_and_checked_with_spaces_and_unicode_in_their_paths()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        await using var session = await h.Client.ClaimAsync(AgentSandboxHarness.Template, Ns);
        var script = Encoding.UTF8.GetBytes("print('héllo')\n");

        await session.WriteFileAsync("src/my script.py", script);
        await session.WriteFileAsync("données/résumé ü.txt", Encoding.UTF8.GetBytes("ü"));

        Assert.Equal(script, await session.ReadFileAsync("src/my script.py"));
        Assert.Equal("ü", Encoding.UTF8.GetString(await session.ReadFileAsync("données/résumé ü.txt")));
        Assert.Equal(script, h.Router.GetFile(Ns, session.SandboxName, "src/my script.py"));
        Assert.True(await session.FileExistsAsync("src/my script.py"));
        Assert.True(await session.FileExistsAsync("données"));
        Assert.False(await session.FileExistsAsync("src/other.py"));

        var root = await session.ListFilesAsync("");
        Assert.Equal([("données", true), ("src", true)], root.Select(e => (e.Name, e.IsDirectory)));
        var src = Assert.Single(await session.ListFilesAsync("src"));
        Assert.Equal(("my script.py", (long)script.Length, false), (src.Name, src.Size, src.IsDirectory));
        Assert.NotNull(src.ModifiedAt);

        // The cat program reads what was uploaded: one filesystem per sandbox behind the router.
        Assert.Equal("print('héllo')\n", (await session.RunAsync("cat 'src/my script.py'")).Stdout);

        // Every byte outside A-Za-z0-9-_.~ is percent-encoded, '/' included, so no proxy normalises the path.
        Assert.Contains(h.Router.Requests, r => r.RawTarget == "/download/src%2Fmy%20script.py");
        Assert.Contains(h.Router.Requests, r => r.RawTarget == "/download/donn%C3%A9es%2Fr%C3%A9sum%C3%A9%20%C3%BC.txt");
        Assert.Contains(h.Router.Requests, r => r.RawTarget == "/list/%2E");
        h.AssertNoViolations();
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("src/../../x")]
    [InlineData("/etc/passwd")]
    [InlineData("bad\nname")]
    public async Task Paths_that_leave_the_base_directory_are_refused_as_InvalidPath_without_a_request(string path)
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        await using var session = await h.Client.ClaimAsync(AgentSandboxHarness.Template, Ns);

        var write = await Assert.ThrowsAsync<AgentSandboxException>(() => session.WriteFileAsync(path, new byte[] { 1 }));
        var read = await Assert.ThrowsAsync<AgentSandboxException>(() => session.ReadFileAsync(path));
        var exists = await Assert.ThrowsAsync<AgentSandboxException>(() => session.FileExistsAsync(path));
        var list = await Assert.ThrowsAsync<AgentSandboxException>(() => session.ListFilesAsync(path));

        Assert.All([write, read, exists, list], ex => Assert.Equal(AgentSandboxError.InvalidPath, ex.Error));
        Assert.Contains("AgentSandboxSession.WriteFileAsync", write.Message, StringComparison.Ordinal);
        Assert.Empty(h.Router.Requests);
    }

    [Fact]
    public async Task Reading_a_missing_file_is_NotFound_with_the_routers_status()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        await using var session = await h.Client.ClaimAsync(AgentSandboxHarness.Template, Ns);

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => session.ReadFileAsync("nothing.txt"));

        Assert.Equal((AgentSandboxError.NotFound, 404), (ex.Error, ex.StatusCode));
        Assert.Contains("File not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{Ns}/{session.SandboxName}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_deletes_the_claim_and_its_sandbox_is_idempotent_and_a_released_session_refuses_calls()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        var session = await h.Client.ClaimAsync(AgentSandboxHarness.Template, Ns);

        await session.ReleaseAsync();
        await session.ReleaseAsync();

        Assert.Empty(h.Claims);
        Assert.Null(h.Controller.Get("sandboxes", Ns, session.SandboxName));
        var delete = Assert.Single(h.Controller.Server.Requests, r => r.Method == "DELETE");
        Assert.EndsWith($"/namespaces/{Ns}/sandboxclaims/{session.ClaimName}", delete.Path, StringComparison.Ordinal);
        Assert.Contains("\"propagationPolicy\":\"Background\"", delete.Body, StringComparison.Ordinal);
        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => session.RunAsync("echo late"));
        Assert.Equal(AgentSandboxError.NotReady, ex.Error);
        Assert.Contains("ClaimAsync", ex.Message, StringComparison.Ordinal);
        h.AssertNoViolations();
    }

    [Fact]
    public async Task Release_of_a_claim_already_deleted_elsewhere_succeeds()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        var session = await h.Client.ClaimAsync(AgentSandboxHarness.Template, Ns);
        using (var kube = h.Controller.Client())
        {
            await kube.CustomObjects.DeleteNamespacedCustomObjectAsync("extensions.agents.x-k8s.io", "v1beta1", Ns, "sandboxclaims", session.ClaimName);
        }

        await session.ReleaseAsync();

        Assert.Empty(h.Claims);
    }

    [Fact]
    public async Task Disposing_the_client_releases_every_open_session()
    {
        await using var h = await AgentSandboxHarness.StartAsync(warm: 3);
        await h.Client.ClaimAsync(AgentSandboxHarness.Template, Ns);
        await h.Client.ClaimAsync(AgentSandboxHarness.Template, Ns);
        var released = await h.Client.ClaimAsync(AgentSandboxHarness.Template, Ns);
        await released.ReleaseAsync();
        Assert.Equal(2, h.Claims.Count);

        await h.Client.DisposeAsync();

        Assert.Empty(h.Claims);
        Assert.Empty(h.Controller.List("sandboxes", Ns));
        Assert.Equal(3, h.Controller.Server.Requests.Count(r => r.Method == "DELETE"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => h.Client.ClaimAsync(AgentSandboxHarness.Template, Ns));
    }

    [Fact]
    public async Task Attach_reopens_a_ready_claim_made_by_another_client_and_refuses_a_missing_one()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        await using var first = await h.Client.ClaimAsync(AgentSandboxHarness.Template, Ns);
        await first.WriteFileAsync("state.txt", Encoding.UTF8.GetBytes("kept"));

        await using var other = new AgentSandboxClient(h.Controller.Client(), h.Options);
        await using var attached = await other.AttachAsync(first.ClaimName, Ns);

        Assert.Equal((first.SandboxName, first.PodName, first.PodIP), (attached.SandboxName, attached.PodName, attached.PodIP));
        Assert.Equal("kept", Encoding.UTF8.GetString(await attached.ReadFileAsync("state.txt")));

        var missing = await Assert.ThrowsAsync<AgentSandboxException>(() => other.AttachAsync("sandbox-claim-gone", Ns));
        Assert.Equal(AgentSandboxError.NotFound, missing.Error);
        Assert.Contains("ClaimAsync", missing.Message, StringComparison.Ordinal);
        h.AssertNoViolations();
    }

    [Fact]
    public async Task Attach_to_a_claim_that_is_not_ready_is_NotReady()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        h.Controller.NeverReady = true;
        using var kube = h.Controller.Client();
        await kube.CustomObjects.CreateNamespacedCustomObjectAsync(new JsonObject
        {
            ["apiVersion"] = "extensions.agents.x-k8s.io/v1beta1",
            ["kind"] = "SandboxClaim",
            ["metadata"] = new JsonObject { ["name"] = "pending" },
            ["spec"] = new JsonObject { ["warmPoolRef"] = new JsonObject { ["name"] = AgentSandboxHarness.Template } },
        }, "extensions.agents.x-k8s.io", "v1beta1", Ns, "sandboxclaims");

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => h.Client.AttachAsync("pending", Ns));

        Assert.Equal((AgentSandboxError.NotReady, "pending"), (ex.Error, ex.ClaimName));
        Assert.Single(h.Claims); // attaching never deletes someone's claim
    }
}
