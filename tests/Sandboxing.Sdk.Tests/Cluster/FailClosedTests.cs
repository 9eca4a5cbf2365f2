using System.Text.Json.Nodes;
using k8s;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>
/// The cluster layer fails closed: odd answers become <see cref="SandboxDeployException"/>s, a silent server costs the
/// policy's deadline and no more, and a preflight that cannot read the cluster does not report it ready.
/// </summary>
public sealed class FailClosedTests : IAsyncLifetime
{
    private static readonly SandboxRetryPolicy Fast = FastWith();

    /// <summary>A policy that retries at once (no wait between attempts), with the real clock for attempt timeouts and the deadline.</summary>
    private static SandboxRetryPolicy FastWith(TimeSpan? attemptTimeout = null, TimeSpan? deadline = null, int maxAttempts = 4) => new()
    {
        InitialDelay = TimeSpan.Zero,
        MaxDelay = TimeSpan.Zero,
        Jitter = false,
        AttemptTimeout = attemptTimeout ?? SandboxRetryPolicy.Default.AttemptTimeout,
        Deadline = deadline ?? SandboxRetryPolicy.Default.Deadline,
        MaxAttempts = maxAttempts,
    };

    private FakeApiServer _server = null!;
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _server.AddAksRuntimeClass();
        _client = _server.Client();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_status_whose_causes_hold_null_still_names_the_other_causes()
    {
        var details = JsonNode.Parse("""{"causes":[null,{"field":"spec.containers[0].image","reason":"FieldValueRequired","message":"Required value"}]}""")!.AsObject();
        _server.Enqueue(new Fault(422, "Invalid", "Pod \"runner\" is invalid", Details: details));

        var ex = await DeployErrors.ThrowsAsync(SandboxDeployReason.InvalidObject, () => _client.ApplySandboxedAsync(TestObjects.Pod("runner").Sandbox(), "acme"));

        Assert.Contains("spec.containers[0].image: Required value", ex.Message);
    }

    [Fact]
    public async Task A_conflict_whose_causes_hold_null_is_still_reported()
    {
        var details = JsonNode.Parse("""{"causes":[null]}""")!.AsObject();
        _server.Enqueue(new Fault(409, "Conflict", "Apply failed", Details: details));

        var ex = await Assert.ThrowsAnyAsync<SandboxDeployException>(() => _client.ApplySandboxedAsync(TestObjects.Pod("runner").Sandbox(), "acme"));

        Assert.Contains("409", ex.Message);
    }

    [Theory]
    [InlineData("null", "an empty body (null)")]
    [InlineData("<html>gateway</html>", "not a Kubernetes object")]
    public async Task An_answer_that_is_not_an_object_becomes_a_deploy_exception(string body, string expected)
    {
        _server.Enqueue(new Fault(200, "", "", RawBody: body));

        var ex = await Assert.ThrowsAsync<SandboxDeployException>(
            () => _client.ApplySandboxedAsync(TestObjects.Pod("runner").Sandbox(), "acme", new SandboxApplyOptions { Retry = Fast }));

        Assert.Contains(expected, ex.Message);
        Assert.Contains("Pod tenant/runner", ex.Message);
        Assert.IsAssignableFrom<SandboxException>(ex);
    }

    [Fact]
    public async Task A_server_that_never_answers_costs_the_deadline_not_attempts_times_the_client_timeout()
    {
        for (int i = 0; i < 8; i++)
        {
            _server.Enqueue(new Fault(200, "", "", Delay: TimeSpan.FromMinutes(5)));
        }

        var policy = FastWith(attemptTimeout: TimeSpan.FromMilliseconds(300), deadline: TimeSpan.FromSeconds(2), maxAttempts: 100);
        var ex = await DeployErrors.ThrowsAsync(SandboxDeployReason.ClusterUnreachable, () => _client.ApplySandboxedAsync(TestObjects.Pod("runner").Sandbox(), "acme", new SandboxApplyOptions { Retry = policy }));

        Assert.Contains("within the deadline of 2s", ex.Message);
        Assert.Contains("SandboxRetryPolicy.Deadline", ex.Message);
    }

    [Fact]
    public async Task The_deadline_runs_on_the_policys_clock()
    {
        _server.Enqueue(new Fault(200, "", "", Delay: TimeSpan.FromMinutes(5)));
        var clock = new InstantTimeProvider(); // every timer is due at once: a ten-minute deadline passes without waiting
        var policy = new SandboxRetryPolicy { Deadline = TimeSpan.FromMinutes(10), AttemptTimeout = Timeout.InfiniteTimeSpan, TimeProvider = clock };

        var ex = await DeployErrors.ThrowsAsync(SandboxDeployReason.ClusterUnreachable,
            () => _client.ApplySandboxedAsync(TestObjects.Pod("runner").Sandbox(), "acme", new SandboxApplyOptions { Retry = policy }));

        Assert.Contains("within the deadline of 600s", ex.Message);
        Assert.Contains(TimeSpan.FromMinutes(10), clock.DueTimes);
    }

    [Fact]
    public async Task One_silent_attempt_is_retried_when_the_next_answers()
    {
        _server.Enqueue(new Fault(200, "", "", Delay: TimeSpan.FromMinutes(5)));
        // The attempt timeout leaves room for a slow machine to answer the second attempt in time.
        var policy = FastWith(attemptTimeout: TimeSpan.FromSeconds(2));

        var applied = await _client.ApplySandboxedAsync(TestObjects.Pod("runner").Sandbox(), "acme", new SandboxApplyOptions { Retry = policy });

        Assert.NotNull(applied);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task A_preflight_that_cannot_read_the_cluster_is_not_ready()
    {
        for (int i = 0; i < 40; i++)
        {
            _server.Enqueue(new Fault(500, "InternalError", "etcd is unavailable"));
        }

        var options = new SandboxReadinessOptions { Workloads = [TestObjects.Pod("runner").Sandbox()], Retry = Fast };
        var report = await _client.CheckSandboxReadinessAsync(options);

        Assert.False(report.IsReady);
        Assert.Empty(report.Failures);
        Assert.NotEmpty(report.Unverified);
        Assert.StartsWith("Sandbox readiness: COULD NOT VERIFY", report.ToString());
    }

    [Fact]
    public async Task Unverified_checks_pass_only_when_the_caller_allows_them()
    {
        for (int i = 0; i < 40; i++)
        {
            _server.Enqueue(new Fault(403, "Forbidden", "nodes is forbidden: User \"ci\" cannot list resource \"nodes\""));
        }

        var options = new SandboxReadinessOptions { Workloads = [TestObjects.Pod("runner").Sandbox()], Retry = Fast, AllowUnverified = true };
        var report = await _client.CheckSandboxReadinessAsync(options);

        Assert.NotEmpty(report.Unverified);
        Assert.True(report.IsReady);
    }

    [Fact]
    public async Task Apply_with_a_preflight_refuses_to_go_ahead_on_an_unreadable_cluster()
    {
        for (int i = 0; i < 40; i++)
        {
            _server.Enqueue(new Fault(500, "InternalError", "etcd is unavailable"));
        }

        var options = new SandboxApplyOptions { Preflight = true, Retry = Fast, PreflightOptions = new SandboxReadinessOptions { Retry = Fast } };
        await DeployErrors.ThrowsAsync(SandboxDeployReason.NotReady, () => _client.ApplySandboxedAsync(TestObjects.Pod("runner").Sandbox(), "acme", options));

        Assert.DoesNotContain(_server.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public void Retry_policy_timeouts_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxRetryPolicy { Deadline = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxRetryPolicy { AttemptTimeout = TimeSpan.FromSeconds(-1) });
        Assert.Equal(Timeout.InfiniteTimeSpan, new SandboxRetryPolicy { Deadline = Timeout.InfiniteTimeSpan }.Deadline);
    }
}
