using System.Text;
using System.Text.Json.Nodes;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>
/// AgentSandboxClient when things go wrong: the sandbox gate, claims that never become ready or cannot, expiry, router errors,
/// size caps, deadlines and cancellation. Each failure names what, where and how to fix it, and never leaves a claim behind.
/// </summary>
public class AgentSandboxClientFailureTests
{
    private const string Ns = AgentSandboxHarness.Ns;
    private const string Pool = AgentSandboxHarness.Template;

    [Theory]
    [InlineData(null)]
    [InlineData("runc")]
    public async Task A_template_whose_pods_are_not_sandboxed_is_refused_before_a_claim_is_made(string? runtimeClass)
    {
        await using var h = await AgentSandboxHarness.StartAsync(warm: null);
        h.Controller.AddTemplate(Ns, "plain", runtimeClass);
        h.Controller.AddWarmPool(Ns, "plain-pool", "plain");

        var fromPool = await Assert.ThrowsAsync<AgentSandboxException>(() => h.Client.ClaimAsync("plain-pool", Ns));
        var fromTemplate = await Assert.ThrowsAsync<AgentSandboxException>(() => h.Client.ClaimFromTemplateAsync("plain", Ns));

        Assert.All([fromPool, fromTemplate], ex => Assert.Equal(AgentSandboxError.NotSandboxed, ex.Error));
        Assert.Contains($"SandboxTemplate {Ns}/plain (named by SandboxWarmPool {Ns}/plain-pool)", fromPool.Message, StringComparison.Ordinal);
        Assert.Contains("runtimeClassName", fromPool.Message, StringComparison.Ordinal);
        Assert.Contains("AgentSandboxClientOptions.AllowedRuntimeClasses", fromPool.Message, StringComparison.Ordinal);
        Assert.Empty(h.Claims);
        Assert.Null(h.Controller.Get("sandboxwarmpools", Ns, "plain-cold"));
    }

    [Fact]
    public async Task A_bound_sandbox_whose_pod_is_not_sandboxed_is_refused_and_its_claim_rolled_back()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        // The template was edited after the check, or the warm pod predates the check: the Sandbox's own pod template is what runs.
        h.Controller.MutateSandbox = s => ((JsonObject)s["spec"]!["podTemplate"]!["spec"]!).Remove("runtimeClassName");

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => h.Client.ClaimAsync(Pool, Ns));

        Assert.Equal(AgentSandboxError.NotSandboxed, ex.Error);
        Assert.NotNull(ex.ClaimName);
        Assert.Contains($"bound to SandboxClaim {ex.ClaimName}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The claim was deleted.", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Claims);
        Assert.Empty(h.Controller.List("sandboxes", Ns));
        Assert.Empty(h.Router.Requests);
    }

    [Fact]
    public async Task A_custom_allowed_class_must_itself_be_a_sandbox_class()
    {
        await using var controller = await LoopbackAgentController.StartAsync();
        var options = new AgentSandboxClientOptions();
        options.AllowedRuntimeClasses.Add("runc");

        var ex = Assert.Throws<ArgumentException>(() => new AgentSandboxClient(controller.Client(), options));

        Assert.Contains("AgentSandboxClientOptions.AllowedRuntimeClasses: 'runc'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sandbox_that_never_becomes_ready_times_out_with_the_last_conditions_and_the_claim_is_deleted()
    {
        await using var h = await AgentSandboxHarness.StartAsync(configure: o => o.ReadyTimeout = TimeSpan.FromMilliseconds(300));
        h.Controller.NeverReady = true;

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => h.Client.ClaimAsync(Pool, Ns));

        Assert.Equal(AgentSandboxError.Timeout, ex.Error);
        Assert.Contains("AgentSandboxClientOptions.ReadyTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Ready=False (SandboxNotReady", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"SandboxClaim {Ns}/{ex.ClaimName}", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Claims);
        Assert.Empty(h.Controller.List("sandboxes", Ns));
        h.AssertNoViolations();
    }

    [Fact]
    public async Task Cancelling_the_wait_propagates_the_cancellation_and_still_deletes_the_claim()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        h.Controller.NeverReady = true;
        using var cts = new CancellationTokenSource();
        h.Controller.Server.OnRequest = (path, query) =>
        {
            if (query.ContainsKey("watch"))
            {
                cts.Cancel(); // the caller gives up while the client watches the claim
            }

            return null;
        };

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Client.ClaimAsync(Pool, Ns, cancellationToken: cts.Token));

        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Empty(h.Claims);
    }

    [Theory]
    [InlineData("InvalidMetadata", AgentSandboxError.ClaimFailed)]
    [InlineData("EnvVarsInjectionRejected", AgentSandboxError.ClaimFailed)]
    [InlineData("SandboxExpired", AgentSandboxError.Expired)]
    public async Task A_terminal_claim_reason_fails_at_once_with_the_reason(string reason, AgentSandboxError error)
    {
        // A long deadline: only failing fast lets the test end.
        await using var h = await AgentSandboxHarness.StartAsync(configure: o => o.ReadyTimeout = TimeSpan.FromMinutes(10));
        h.Controller.ClaimFailure = (reason, "refused by the controller");

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => h.Client.ClaimAsync(Pool, Ns));

        Assert.Equal((error, reason), (ex.Error, ex.Reason));
        Assert.Contains("refused by the controller", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Claims);
    }

    [Fact]
    public async Task A_pool_deleted_after_the_check_fails_fast_with_WarmPoolNotFound()
    {
        await using var h = await AgentSandboxHarness.StartAsync(configure: o => o.ReadyTimeout = TimeSpan.FromMinutes(10));
        h.Controller.Server.OnRequest = (path, query) =>
        {
            if (path.EndsWith("/sandboxclaims", StringComparison.Ordinal) && query.Count == 0)
            {
                h.Controller.Delete("sandboxwarmpools", Ns, Pool); // just before the claim is created
            }

            return null;
        };

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => h.Client.ClaimAsync(Pool, Ns));

        Assert.Equal((AgentSandboxError.NotFound, "WarmPoolNotFound"), (ex.Error, ex.Reason));
        Assert.Contains($"SandboxWarmPool '{Pool}' in namespace '{Ns}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ClaimFromTemplateAsync", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Claims);
    }

    [Fact]
    public async Task A_missing_pool_or_template_is_NotFound_before_anything_is_created()
    {
        await using var h = await AgentSandboxHarness.StartAsync();

        var pool = await Assert.ThrowsAsync<AgentSandboxException>(() => h.Client.ClaimAsync("nope", Ns));
        var template = await Assert.ThrowsAsync<AgentSandboxException>(() => h.Client.ClaimFromTemplateAsync("nope", Ns));

        Assert.Equal((AgentSandboxError.NotFound, "WarmPoolNotFound"), (pool.Error, pool.Reason));
        Assert.Equal((AgentSandboxError.NotFound, "TemplateNotFound"), (template.Error, template.Reason));
        Assert.Contains("sandboxing agent template", pool.Message, StringComparison.Ordinal);
        Assert.Empty(h.Claims);
        Assert.DoesNotContain(h.Controller.Server.Requests, r => r.Method == "POST");
    }

    [Theory]
    [InlineData(AgentSandboxShutdownPolicy.Retain, AgentSandboxError.Expired)]
    [InlineData(AgentSandboxShutdownPolicy.Delete, AgentSandboxError.Deleted)]
    public async Task A_claim_that_expires_before_it_is_ready_fails_by_its_shutdown_policy(AgentSandboxShutdownPolicy policy, AgentSandboxError error)
    {
        var now = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        await using var h = await AgentSandboxHarness.StartAsync(configure: o =>
        {
            o.TimeProvider = new ManualClock(now);
            o.ReadyTimeout = TimeSpan.FromMinutes(10);
        });
        h.Controller.NeverReady = true;
        h.Controller.Time = new ManualClock(now.AddHours(1)); // the controller's clock is past the shutdownTime

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() =>
            h.Client.ClaimAsync(Pool, Ns, new AgentSandboxClaimOptions { ShutdownAfter = TimeSpan.FromMinutes(5), ShutdownPolicy = policy }));

        Assert.Equal(error, ex.Error);
        if (policy == AgentSandboxShutdownPolicy.Retain)
        {
            Assert.Equal("ClaimExpired", ex.Reason);
            Assert.Contains("AgentSandboxClaimOptions.ShutdownAfter", ex.Message, StringComparison.Ordinal);
        }

        Assert.Empty(h.Claims);
    }

    [Theory]
    [InlineData(AgentSandboxShutdownPolicy.Delete, AgentSandboxError.Deleted, null)]
    [InlineData(AgentSandboxShutdownPolicy.Retain, AgentSandboxError.Expired, "ClaimExpired")]
    public async Task A_command_after_the_claim_expired_under_the_session_says_so_not_a_router_failure(
        AgentSandboxShutdownPolicy policy, AgentSandboxError error, string? reason)
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        var options = new AgentSandboxClaimOptions { ShutdownAfter = TimeSpan.FromHours(1), ShutdownPolicy = policy };
        await using var session = await h.Client.ClaimAsync(Pool, Ns, options);
        h.Controller.Expire(Ns, session.ClaimName);

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => session.RunAsync("echo hi"));

        Assert.Equal((error, reason), (ex.Error, ex.Reason));
        Assert.Equal(session.ClaimName, ex.ClaimName);
        Assert.Contains($"SandboxClaim {Ns}/{session.ClaimName}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AgentSandboxClient.ClaimAsync", ex.Message, StringComparison.Ordinal);
        // The router's answer is kept underneath, for the logs.
        var router = Assert.IsType<AgentSandboxException>(ex.InnerException);
        Assert.Equal(AgentSandboxError.RouterFailed, router.Error);
    }

    [Fact]
    public async Task A_router_502_while_the_claim_is_live_stays_a_router_failure()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        await using var session = await h.Client.ClaimAsync(Pool, Ns);
        h.Router.Enqueue(new RouterFault(502, PathPrefix: "/execute"));

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => session.RunAsync("echo hi"));

        Assert.Equal((AgentSandboxError.RouterFailed, 502), (ex.Error, ex.StatusCode));
        Assert.Contains("NetworkPolicy", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_to_an_expired_claim_is_Expired()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        var session = await h.Client.ClaimAsync(Pool, Ns);
        h.Controller.Expire(Ns, session.ClaimName);

        await using var other = new AgentSandboxClient(h.Controller.Client(), h.Options);
        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => other.AttachAsync(session.ClaimName, Ns));

        Assert.Equal((AgentSandboxError.Expired, "ClaimExpired"), (ex.Error, ex.Reason));
    }

    [Fact]
    public async Task File_operations_retry_router_5xx_and_transport_hangs_then_succeed_with_one_request_id()
    {
        await using var h = await AgentSandboxHarness.StartAsync(configure: o => o.PerAttemptTimeout = TimeSpan.FromMilliseconds(500));
        await using var session = await h.Client.ClaimAsync(Pool, Ns);
        await session.WriteFileAsync("a.txt", Encoding.UTF8.GetBytes("A"));
        h.Router.Enqueue(new RouterFault(503, PathPrefix: "/download/"));
        h.Router.Enqueue(new RouterFault(Hang: true, PathPrefix: "/download/"));
        h.Router.Enqueue(new RouterFault(502, PathPrefix: "/download/"));

        Assert.Equal("A", Encoding.UTF8.GetString(await session.ReadFileAsync("a.txt")));

        var reads = h.Router.Requests.Where(r => r.RawTarget.StartsWith("/download/", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, reads.Count);
        Assert.Single(reads.Select(r => r.Headers["X-Request-ID"]).Distinct());
    }

    [Fact]
    public async Task A_command_is_never_retried_and_a_5xx_is_RouterFailed_with_the_status()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        await using var session = await h.Client.ClaimAsync(Pool, Ns);
        h.Router.Enqueue(new RouterFault(502, """{"detail":"Could not connect to the backend sandbox: x"}"""));

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => session.RunAsync("echo once"));

        Assert.Equal((AgentSandboxError.RouterFailed, 502), (ex.Error, ex.StatusCode));
        Assert.Contains("Could not connect to the backend sandbox", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"sandbox {Ns}/{session.SandboxName} (claim {session.ClaimName})", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NetworkPolicy", ex.Message, StringComparison.Ordinal);
        Assert.Single(h.Router.Requests);
        Assert.Equal((0, 0), h.Router.CommandCounts); // the router failed it: the runtime never saw it
    }

    [Fact]
    public async Task A_router_4xx_is_not_retried_and_names_the_option_to_fix()
    {
        await using var h = await AgentSandboxHarness.StartAsync(configure: o => o.RouterBearerToken = "wrong");
        h.Router.BearerToken = "s3cret";
        await using var session = await h.Client.ClaimAsync(Pool, Ns);

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => session.FileExistsAsync("a.txt"));

        Assert.Equal((AgentSandboxError.RouterFailed, 401), (ex.Error, ex.StatusCode));
        Assert.Contains("Invalid token.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AgentSandboxClientOptions.RouterBearerToken", ex.Message, StringComparison.Ordinal);
        Assert.Single(h.Router.Requests);
    }

    [Fact]
    public async Task The_bearer_token_is_sent_to_a_router_that_requires_one()
    {
        await using var h = await AgentSandboxHarness.StartAsync(configure: o => o.RouterBearerToken = "s3cret");
        h.Router.BearerToken = "s3cret";
        await using var session = await h.Client.ClaimAsync(Pool, Ns);

        Assert.Equal("ok\n", (await session.RunAsync("echo ok")).Stdout);
        Assert.Equal("Bearer s3cret", Assert.Single(h.Router.Requests).Headers["Authorization"]);
        h.AssertNoViolations();
    }

    [Fact]
    public async Task Output_over_the_16_MB_cap_is_ResponseTooLarge()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        await using var session = await h.Client.ClaimAsync(Pool, Ns);

        var under = await session.RunAsync("print-bytes 1048576");
        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => session.RunAsync("print-bytes 16777216"));

        Assert.Equal(1048576, under.Stdout.Length);
        Assert.Equal(AgentSandboxError.ResponseTooLarge, ex.Error);
        Assert.Contains("16 MB", ex.Message, StringComparison.Ordinal);
        Assert.Contains("write its output to a file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_streamed_listing_over_its_cap_and_a_file_over_MaxDownloadBytes_are_ResponseTooLarge()
    {
        await using var h = await AgentSandboxHarness.StartAsync(configure: o => o.MaxDownloadBytes = 1024);
        await using var session = await h.Client.ClaimAsync(Pool, Ns);
        h.Router.PutFile(Ns, session.SandboxName, "big.bin", new byte[4096]);
        h.Router.Enqueue(new RouterFault(BodyBytes: 9L * 1024 * 1024, PathPrefix: "/list/"));

        var read = await Assert.ThrowsAsync<AgentSandboxException>(() => session.ReadFileAsync("big.bin"));
        var list = await Assert.ThrowsAsync<AgentSandboxException>(() => session.ListFilesAsync("."));

        Assert.Equal(AgentSandboxError.ResponseTooLarge, read.Error);
        Assert.Contains("AgentSandboxClientOptions.MaxDownloadBytes", read.Message, StringComparison.Ordinal);
        Assert.Equal(AgentSandboxError.ResponseTooLarge, list.Error);
    }

    [Fact]
    public async Task Cancelling_mid_command_propagates_as_is_while_the_command_keeps_running()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        await using var session = await h.Client.ClaimAsync(Pool, Ns);
        using var cts = new CancellationTokenSource();
        h.Router.AddCommand("slow", async (_, ct) =>
        {
            cts.Cancel(); // the caller gives up while the command runs
            await Task.Delay(Timeout.Infinite, ct);
            return new LoopbackCommandResult("", "", 0);
        });

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.RunAsync("slow", cancellationToken: cts.Token));

        Assert.IsNotType<AgentSandboxException>(ex.InnerException);
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Equal((1, 0), h.Router.CommandCounts);
    }

    [Fact]
    public async Task A_command_over_its_timeout_is_Timeout_naming_the_option()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        await using var session = await h.Client.ClaimAsync(Pool, Ns);

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => session.RunAsync("sleep 30", timeout: TimeSpan.FromSeconds(2)));

        Assert.Equal(AgentSandboxError.Timeout, ex.Error);
        Assert.Contains("AgentSandboxClientOptions.RequestTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("X-Sandbox-Timeout", string.Join(",", Assert.Single(h.Router.Requests).Headers.Keys), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_whose_attempt_timer_fires_before_the_call_timer_is_still_Timeout()
    {
        // A command's attempt lasts as long as the call, so both timers share one deadline; on a loaded machine the attempt's may
        // fire first. That is the caller's timeout, not a router failure to retry or to blame on the network.
        var clock = new LaterTimersEarly();
        await using var h = await AgentSandboxHarness.StartAsync(configure: o => o.TimeProvider = clock);
        await using var session = await h.Client.ClaimAsync(Pool, Ns);

        clock.Arm();
        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => session.RunAsync("sleep 30", timeout: TimeSpan.FromSeconds(2)));

        Assert.True(clock.Skewed > 0, "the attempt's timer was not created through the options' TimeProvider");
        Assert.Equal(AgentSandboxError.Timeout, ex.Error);
        Assert.Contains("AgentSandboxClientOptions.RequestTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Single(h.Router.Requests); // a command is never sent twice
    }

    /// <summary>Once armed, fires every timer after the first one second early: a later timer of the same period fires first.</summary>
    private sealed class LaterTimersEarly : TimeProvider
    {
        private int _armed;
        private int _created;
        public int Skewed;

        public void Arm() => Volatile.Write(ref _armed, 1);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (Volatile.Read(ref _armed) == 1 && Interlocked.Increment(ref _created) > 1 && dueTime > TimeSpan.FromSeconds(1.5))
            {
                Interlocked.Increment(ref Skewed);
                dueTime -= TimeSpan.FromSeconds(1);
            }

            return System.CreateTimer(callback, state, dueTime, period);
        }
    }

    [Fact]
    public async Task A_command_may_run_longer_than_PerAttemptTimeout_within_its_own_timeout()
    {
        await using var h = await AgentSandboxHarness.StartAsync(configure: o =>
        {
            o.PerAttemptTimeout = TimeSpan.FromMilliseconds(100);
            o.RequestTimeout = TimeSpan.FromMilliseconds(150);
        });
        await using var session = await h.Client.ClaimAsync(Pool, Ns);

        var result = await session.RunAsync("sleep 0.5", timeout: TimeSpan.FromSeconds(20));

        Assert.Equal(0, result.ExitCode);
        double sent = double.Parse(Assert.Single(h.Router.Requests).Headers["X-Sandbox-Timeout"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(sent, 10, 20); // the router's own deadline follows the command's, not PerAttemptTimeout
    }

    [Fact]
    public async Task A_claim_the_identity_may_not_create_is_ClaimFailed_with_the_status_and_the_RBAC_to_grant()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        h.Controller.Server.FailPath($"/apis/extensions.agents.x-k8s.io/v1beta1/namespaces/{Ns}/sandboxclaims", new Fault(403, "Forbidden",
            $"sandboxclaims.extensions.agents.x-k8s.io is forbidden: User \"agent\" cannot create resource \"sandboxclaims\" in API group \"extensions.agents.x-k8s.io\" in the namespace \"{Ns}\""));

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => h.Client.ClaimAsync(Pool, Ns));

        Assert.Equal((AgentSandboxError.ClaimFailed, 403, "Forbidden"), (ex.Error, ex.StatusCode, ex.Reason));
        Assert.Contains("cannot create resource", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Role", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Claims);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_release_the_API_server_refuses_keeps_the_session_open_to_retry_and_dispose_does_not_throw(bool portForward)
    {
        await using var h = await AgentSandboxHarness.StartAsync(configure: o => o.RouterUrl = portForward ? null : o.RouterUrl);
        h.Controller.AddServiceEndpoints(Ns, "sandbox-router-svc", ("sandbox-router-0", true));
        h.Controller.ForwardPort(Ns, "sandbox-router-0", 8080, h.Router.BaseUri);
        var session = await h.Client.ClaimAsync(Pool, Ns);
        h.Controller.Server.Enqueue(new Fault(500, "InternalError", "etcdserver: request timed out"));

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => session.ReleaseAsync());

        Assert.Equal(500, ex.StatusCode);
        Assert.Contains($"SandboxClaim {Ns}/{session.ClaimName}", ex.Message, StringComparison.Ordinal);
        Assert.Single(h.Claims);
        Assert.Equal("still\n", (await session.RunAsync("echo still")).Stdout);

        h.Controller.Server.Enqueue(new Fault(500, "InternalError", "etcdserver: request timed out"));
        await session.DisposeAsync(); // swallowed: dispose never throws
        Assert.Single(h.Claims);
        await session.ReleaseAsync();
        Assert.Empty(h.Claims);
    }

    [Fact]
    public async Task Sessions_claimed_at_once_each_get_their_own_sandbox_and_filesystem()
    {
        await using var h = await AgentSandboxHarness.StartAsync(warm: 4);

        var sessions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => h.Client.ClaimAsync(Pool, Ns)));
        await Task.WhenAll(sessions.Select((s, i) => s.WriteFileAsync("id.txt", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        var ids = await Task.WhenAll(sessions.Select(s => s.RunAsync("cat id.txt")));

        Assert.Equal(4, sessions.Select(s => s.SandboxName).Distinct().Count());
        Assert.Equal(["0", "1", "2", "3"], ids.Select(r => r.Stdout));
        await h.Client.DisposeAsync();
        Assert.Empty(h.Claims);
        h.AssertNoViolations();
    }

    [Fact]
    public async Task A_sandbox_deleted_under_a_session_makes_calls_fail_with_the_routers_502()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        await using var session = await h.Client.ClaimAsync(Pool, Ns);
        h.Controller.DeleteSandbox(Ns, session.SandboxName);

        var ex = await Assert.ThrowsAsync<AgentSandboxException>(() => session.RunAsync("echo gone"));

        Assert.Equal((AgentSandboxError.RouterFailed, 502), (ex.Error, ex.StatusCode));
    }
}
