using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Sandboxing.Sdk.Cluster;
using Sandboxing.Sdk.Tests.Cluster;

namespace Sandboxing.Sdk.AI.Tests;

/// <summary>
/// The interpreter's functions called by a model through the real FunctionInvokingChatClient, against the loopback agent-sandbox
/// controller and router: what the cluster saw (claims created and deleted, files uploaded, commands run) and what the model got.
/// </summary>
public sealed class InterpreterLifecycleTests : IAsyncLifetime
{
    private LoopbackCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LoopbackCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static SandboxCodeInterpreterOptions Options(Action<SandboxCodeInterpreterOptions>? configure = null)
    {
        var options = new SandboxCodeInterpreterOptions
        {
            Namespace = LoopbackCluster.Namespace,
            WarmPoolName = LoopbackCluster.Pool,
            ShutdownAfter = TimeSpan.FromMinutes(15),
        };
        options.ClaimLabels["agent"] = "lifecycle-test";
        configure?.Invoke(options);
        return options;
    }

    /// <summary>The model behind FunctionInvokingChatClient; by default an exception of a function reaches the caller at once.</summary>
    private static IChatClient Agent(ScriptedChatClient model, Action<FunctionInvokingChatClient>? configure = null) =>
        model.AsBuilder().UseFunctionInvocation(configure: f =>
        {
            f.MaximumConsecutiveErrorsPerRequest = 0;
            configure?.Invoke(f);
        }).Build();

    private static Task<ChatResponse> TurnAsync(IChatClient agent, SandboxCodeInterpreter interpreter, List<ChatMessage> conversation, string question, CancellationToken cancellationToken = default)
    {
        conversation.Add(new ChatMessage(ChatRole.User, question));
        return AddAsync(agent.GetResponseAsync(conversation, new ChatOptions { Tools = [.. interpreter.AsAIFunctions()] }, cancellationToken), conversation);

        static async Task<ChatResponse> AddAsync(Task<ChatResponse> call, List<ChatMessage> conversation)
        {
            var response = await call;
            conversation.AddRange(response.Messages);
            return response;
        }
    }

    private void AssertNoViolations()
    {
        Assert.Empty(_cluster.Controller.Server.Violations);
        Assert.Empty(_cluster.Router.Violations);
    }

    [Fact]
    public async Task The_first_call_claims_a_sandbox_uploads_the_code_runs_it_and_returns_its_output_to_the_model()
    {
        const string code = "print('hello')\nimport sys; print('careful', file=sys.stderr); sys.exit(3)";
        var ran = new List<string>();
        _cluster.Python(text =>
        {
            ran.Add(text);
            return new LoopbackCommandResult("hello\n", "careful\n", 3);
        });
        var model = new ScriptedChatClient().ThenRun(code).ThenSay("It exited with 3.");
        await using var interpreter = new SandboxCodeInterpreter(_cluster.Client, Options());

        // Nothing is claimed until the model calls the function.
        Assert.Null(interpreter.ClaimName);
        Assert.Empty(_cluster.ClaimRequests("POST"));

        using var agent = Agent(model);
        var response = await TurnAsync(agent, interpreter, [], "Run it.");

        Assert.Equal("It exited with 3.", response.Text);
        var claim = Assert.Single(_cluster.Claims);
        Assert.Equal(interpreter.ClaimName, (string?)claim["metadata"]!["name"]);
        Assert.Equal(LoopbackCluster.Pool, (string?)claim["spec"]!["warmPoolRef"]!["name"]);
        Assert.Equal("Delete", (string?)claim["spec"]!["lifecycle"]!["shutdownPolicy"]);
        var shutdown = DateTimeOffset.Parse((string)claim["spec"]!["lifecycle"]!["shutdownTime"]!, CultureInfo.InvariantCulture);
        Assert.InRange(shutdown, DateTimeOffset.UtcNow.AddMinutes(10), DateTimeOffset.UtcNow.AddMinutes(16));
        Assert.Equal("lifecycle-test", (string?)claim["metadata"]!["labels"]!["agent"]);

        // The code went to the claimed sandbox as a file, then python3 ran that file: upload first, one run, nothing else.
        var sandbox = _cluster.SandboxOf(interpreter.ClaimName!);
        Assert.Equal(["POST /upload", "POST /execute"], _cluster.Router.Requests.Select(r => $"{r.Method} {r.RawTarget}"));
        Assert.All(_cluster.Router.Requests, r =>
        {
            Assert.Equal(sandbox, r.Headers["X-Sandbox-ID"]);
            Assert.Equal(LoopbackCluster.Namespace, r.Headers["X-Sandbox-Namespace"]);
        });
        Assert.Equal(code, Encoding.UTF8.GetString(_cluster.Router.GetFile(LoopbackCluster.Namespace, sandbox, "cell_0001.py")!));
        Assert.Equal([code], ran);

        // The model got the run's output as JSON, whole.
        var result = model.ResultOf("call_1");
        Assert.Equal(3, result.GetProperty("exit_code").GetInt32());
        Assert.Equal("hello\n", result.GetProperty("stdout").GetString());
        Assert.Equal("careful\n", result.GetProperty("stderr").GetString());
        Assert.False(result.TryGetProperty("truncated", out _));
        AssertNoViolations();
    }

    [Fact]
    public async Task A_second_call_reuses_the_session_and_sees_the_first_calls_files()
    {
        _cluster.Python(code => new LoopbackCommandResult($"ran {code.Length} chars\n", "", 0));
        var model = new ScriptedChatClient()
            .ThenRun("open('notes.txt', 'w').write('x')").ThenSay("saved")
            .ThenRun("print(open('notes.txt').read())", "call_2").ThenSay("read");
        await using var interpreter = new SandboxCodeInterpreter(_cluster.Client, Options());
        using var agent = Agent(model);
        List<ChatMessage> conversation = [];

        await TurnAsync(agent, interpreter, conversation, "Save a note.");
        var firstClaim = interpreter.ClaimName;
        await TurnAsync(agent, interpreter, conversation, "Read it back.");

        Assert.Equal(firstClaim, interpreter.ClaimName);
        Assert.Single(_cluster.ClaimRequests("POST"));
        Assert.Single(_cluster.Claims);
        var sandbox = _cluster.SandboxOf(firstClaim!);
        var executes = _cluster.RouterRequests("/execute");
        Assert.Equal(2, executes.Count);
        Assert.All(_cluster.Router.Requests, r => Assert.Equal(sandbox, r.Headers["X-Sandbox-ID"]));

        // Each run is its own file, and the first is still there for the second.
        Assert.NotNull(_cluster.Router.GetFile(LoopbackCluster.Namespace, sandbox, "cell_0001.py"));
        Assert.Equal("print(open('notes.txt').read())", Encoding.UTF8.GetString(_cluster.Router.GetFile(LoopbackCluster.Namespace, sandbox, "cell_0002.py")!));
        Assert.Equal("ran 31 chars\n", model.ResultOf("call_2").GetProperty("stdout").GetString());
        AssertNoViolations();
    }

    [Fact]
    public async Task Dispose_deletes_the_claim_and_its_sandbox_and_later_calls_are_refused()
    {
        _cluster.Python(_ => new LoopbackCommandResult("ok\n", "", 0));
        var model = new ScriptedChatClient().ThenRun("print('ok')").ThenSay("done");
        var interpreter = new SandboxCodeInterpreter(_cluster.Client, Options());
        using var agent = Agent(model);
        await TurnAsync(agent, interpreter, [], "Go.");
        var claimName = interpreter.ClaimName!;
        var sandbox = _cluster.SandboxOf(claimName);

        await interpreter.DisposeAsync();
        await interpreter.DisposeAsync();

        Assert.Null(interpreter.ClaimName);
        Assert.Empty(_cluster.Claims);
        Assert.Null(_cluster.Controller.Get("sandboxes", LoopbackCluster.Namespace, sandbox));
        var delete = Assert.Single(_cluster.ClaimRequests("DELETE"));
        Assert.EndsWith($"/namespaces/{LoopbackCluster.Namespace}/sandboxclaims/{claimName}", delete.Path, StringComparison.Ordinal);

        var function = interpreter.AsAIFunction();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => function.InvokeAsync(new AIFunctionArguments(ScriptedChatClient.Code("print(1)"))).AsTask());
        Assert.Single(_cluster.ClaimRequests("POST"));
        AssertNoViolations();
    }

    [Fact]
    public async Task An_interpreter_that_was_never_called_claims_nothing()
    {
        var interpreter = new SandboxCodeInterpreter(_cluster.Client, Options());
        _ = interpreter.AsAIFunctions();

        await interpreter.DisposeAsync();

        Assert.Empty(_cluster.ClaimRequests("POST"));
        Assert.Empty(_cluster.ClaimRequests("DELETE"));
        Assert.Empty(_cluster.Router.Requests);
    }

    [Fact]
    public async Task A_sandbox_that_never_becomes_ready_reaches_the_developer_as_a_timeout_and_leaves_no_claim()
    {
        await using var cluster = await LoopbackCluster.StartAsync(o => o.ReadyTimeout = TimeSpan.FromSeconds(1));
        cluster.Controller.NeverReady = true;
        var model = new ScriptedChatClient().ThenRun("print(1)").ThenSay("never");
        await using var interpreter = new SandboxCodeInterpreter(cluster.Client, Options());
        using var agent = Agent(model);

        var error = await Assert.ThrowsAsync<AgentSandboxException>(() => TurnAsync(agent, interpreter, [], "Go."));

        Assert.Equal(AgentSandboxError.Timeout, error.Error);
        Assert.Contains("AgentSandboxClientOptions.ReadyTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("The claim was deleted.", error.Message, StringComparison.Ordinal);
        Assert.Single(cluster.ClaimRequests("POST"));
        Assert.Single(cluster.ClaimRequests("DELETE"));
        Assert.Empty(cluster.Claims);
        Assert.Empty(cluster.Router.Requests);
        Assert.Null(interpreter.ClaimName);
    }

    [Fact]
    public async Task With_the_default_error_budget_the_model_is_told_the_call_failed_and_no_claim_is_left()
    {
        await using var cluster = await LoopbackCluster.StartAsync(o => o.ReadyTimeout = TimeSpan.FromSeconds(1));
        cluster.Controller.NeverReady = true;
        var model = new ScriptedChatClient().ThenRun("print(1)").ThenSay("The sandbox is unavailable.");
        await using var interpreter = new SandboxCodeInterpreter(cluster.Client, Options());
        using var agent = model.AsBuilder().UseFunctionInvocation().Build();

        var response = await TurnAsync(agent, interpreter, [], "Go.");

        Assert.Equal("The sandbox is unavailable.", response.Text);
        var result = Assert.Single(model.Results);
        Assert.IsType<AgentSandboxException>(result.Exception);
        Assert.Equal("Error: Function failed.", result.Result);
        Assert.Empty(cluster.Claims);
    }

    [Fact]
    public async Task A_router_error_reaches_the_developer_and_the_session_survives_it()
    {
        _cluster.Python(_ => new LoopbackCommandResult("fine\n", "", 0));
        _cluster.Router.Enqueue(new RouterFault(Status: 502, PathPrefix: "/execute"));
        var model = new ScriptedChatClient().ThenRun("print(1)").ThenRun("print(2)", "call_2").ThenSay("done");
        await using var interpreter = new SandboxCodeInterpreter(_cluster.Client, Options());
        using var agent = Agent(model);
        List<ChatMessage> conversation = [];

        var error = await Assert.ThrowsAsync<AgentSandboxException>(() => TurnAsync(agent, interpreter, conversation, "Go."));

        Assert.Equal(AgentSandboxError.RouterFailed, error.Error);
        Assert.Equal(502, error.StatusCode);
        Assert.Contains(_cluster.Router.BaseUri.ToString().TrimEnd('/'), error.Message, StringComparison.Ordinal);

        // A run is never retried (it is not idempotent), and the claim stays: the next call runs in the same sandbox.
        Assert.Single(_cluster.RouterRequests("/execute"));
        var claimName = Assert.Single(_cluster.Claims)["metadata"]!["name"]!.GetValue<string>();
        conversation.Clear();
        await TurnAsync(agent, interpreter, conversation, "Again.");
        Assert.Equal(claimName, interpreter.ClaimName);
        Assert.Equal("fine\n", model.ResultOf("call_2").GetProperty("stdout").GetString());
        Assert.Single(_cluster.ClaimRequests("POST"));
    }

    [Fact]
    [Trait("Category", "Slow")]   // the client retries the upload against the gone sandbox with its backoff (about 8 s)
    public async Task A_claim_that_expired_under_the_session_fails_the_next_call_for_the_developer()
    {
        _cluster.Python(_ => new LoopbackCommandResult("ok\n", "", 0));
        var model = new ScriptedChatClient().ThenRun("print(1)").ThenSay("one").ThenRun("print(2)", "call_2");
        await using var interpreter = new SandboxCodeInterpreter(_cluster.Client, Options());
        using var agent = Agent(model);
        await TurnAsync(agent, interpreter, [], "Go.");
        var claimName = interpreter.ClaimName!;

        // Its shutdownTime came: with the Delete policy the controller deletes the claim, and the sandbox with it.
        _cluster.Controller.Expire(LoopbackCluster.Namespace, claimName);
        var error = await Assert.ThrowsAsync<AgentSandboxException>(() => TurnAsync(agent, interpreter, [], "Again."));

        // The session asks the API server why the router cannot reach the sandbox: the claim is gone.
        Assert.Equal(AgentSandboxError.Deleted, error.Error);
        Assert.Equal(502, error.StatusCode);
        Assert.Contains(claimName, error.Message, StringComparison.Ordinal);
        Assert.Single(_cluster.ClaimRequests("POST"));
        Assert.Single(_cluster.RouterRequests("/execute"));
    }

    [Fact]
    public async Task Output_over_the_cap_is_cut_in_the_middle_and_flagged()
    {
        var stdout = "first line\n" + new string('x', 100_000) + "\nlast line\n";
        _cluster.Python(_ => new LoopbackCommandResult(stdout, "Traceback: boom\n", 1));
        var model = new ScriptedChatClient().ThenRun("print('x' * 100000)").ThenSay("too much");
        await using var interpreter = new SandboxCodeInterpreter(_cluster.Client, Options(o => o.MaxOutputLength = 1024));
        using var agent = Agent(model);

        await TurnAsync(agent, interpreter, [], "Go.");

        var result = model.ResultOf("call_1");
        var shown = result.GetProperty("stdout").GetString()!;
        var stderr = result.GetProperty("stderr").GetString()!;
        Assert.True(shown.Length + stderr.Length <= 1024, $"{shown.Length} + {stderr.Length} characters returned");
        Assert.StartsWith("first line\n", shown, StringComparison.Ordinal);
        Assert.EndsWith("\nlast line\n", shown, StringComparison.Ordinal);
        Assert.Contains("characters cut ...]", shown, StringComparison.Ordinal);
        Assert.Equal("Traceback: boom\n", stderr);
        Assert.Equal(1, result.GetProperty("exit_code").GetInt32());
        // The count it reports is what was really cut: the characters shown, less the marker, and the cut add up to the output.
        var cut = Regex.Match(result.GetProperty("truncated").GetString()!, @"^stdout: (\d+) of (\d+) characters cut from the middle");
        Assert.True(cut.Success, result.GetProperty("truncated").GetString());
        Assert.Equal(stdout.Length, int.Parse(cut.Groups[2].Value, CultureInfo.InvariantCulture));
        var marker = $"\n[... {cut.Groups[1].Value} characters cut ...]\n";
        Assert.Contains(marker, shown, StringComparison.Ordinal);
        Assert.Equal(stdout.Length, shown.Length - marker.Length + int.Parse(cut.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Output_over_the_clients_16_MB_cap_is_an_error_the_model_can_act_on()
    {
        _cluster.Router.Enqueue(new RouterFault(BodyBytes: (16L * 1024 * 1024) + 1, PathPrefix: "/execute"));
        var model = new ScriptedChatClient().ThenRun("print('x' * 20_000_000)").ThenSay("I will print less.");
        await using var interpreter = new SandboxCodeInterpreter(_cluster.Client, Options());
        using var agent = Agent(model);

        var response = await TurnAsync(agent, interpreter, [], "Go.");

        Assert.Equal("I will print less.", response.Text);
        var error = model.ResultOf("call_1").GetProperty("error").GetString()!;
        Assert.Contains("printed more than the sandbox returns in one response", error, StringComparison.Ordinal);
        Assert.Contains("cell_0001.py", error, StringComparison.Ordinal);
        Assert.Single(_cluster.Claims);
    }

    [Fact]
    public async Task A_run_longer_than_the_run_timeout_is_reported_to_the_model()
    {
        _cluster.Python(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new LoopbackCommandResult("", "", 0);
        });
        var model = new ScriptedChatClient().ThenRun("while True: pass").ThenSay("It is too slow.");
        await using var interpreter = new SandboxCodeInterpreter(_cluster.Client, Options(o => o.RunTimeout = TimeSpan.FromSeconds(1)));
        using var agent = Agent(model);

        await TurnAsync(agent, interpreter, [], "Go.");

        var error = model.ResultOf("call_1").GetProperty("error").GetString()!;
        Assert.Contains("did not finish within 1 seconds", error, StringComparison.Ordinal);
        Assert.Single(_cluster.Claims);
    }

    [Fact]
    public async Task Cancelling_mid_run_propagates_to_the_caller_and_keeps_the_session()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int runs = 0;
        _cluster.Python(async (_, ct) =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                started.TrySetResult();
                await finish.Task.WaitAsync(ct);
            }

            return new LoopbackCommandResult("second\n", "", 0);
        });
        var model = new ScriptedChatClient().ThenRun("import time; time.sleep(600)").ThenRun("print('second')", "call_2").ThenSay("done");
        await using var interpreter = new SandboxCodeInterpreter(_cluster.Client, Options());
        using var agent = Agent(model);
        using var cancellation = new CancellationTokenSource();

        var turn = TurnAsync(agent, interpreter, [], "Go.", cancellation.Token);
        await Task.WhenAny(started.Task, turn).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(started.Task.IsCompleted, $"the run never started: {turn.Exception?.InnerException}");
        await cancellation.CancelAsync();

        // The caller's own cancellation, not a sandbox error, and not shown to the model as a failed call.
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => turn);
        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Single(model.Requests);
        finish.TrySetResult();

        // The session is not lost with the call: the next turn runs in the same sandbox, without a new claim.
        var claimName = interpreter.ClaimName;
        Assert.NotNull(claimName);
        await TurnAsync(agent, interpreter, [], "Again.");
        Assert.Equal(claimName, interpreter.ClaimName);
        Assert.Single(_cluster.ClaimRequests("POST"));
        Assert.Equal("second\n", model.ResultOf("call_2").GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Cancelling_while_the_sandbox_starts_propagates_and_deletes_the_claim()
    {
        _cluster.Controller.NeverReady = true;
        var model = new ScriptedChatClient().ThenRun("print(1)");
        await using var interpreter = new SandboxCodeInterpreter(_cluster.Client, Options());
        using var agent = Agent(model);
        using var cancellation = new CancellationTokenSource();

        var turn = TurnAsync(agent, interpreter, [], "Go.", cancellation.Token);
        await WaitUntilAsync(() => _cluster.Claims.Count == 1);
        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => turn);
        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Empty(_cluster.Claims);
        Assert.Single(_cluster.ClaimRequests("DELETE"));
        Assert.Null(interpreter.ClaimName);
    }

    [Fact]
    public async Task Disposing_during_a_run_ends_the_call_and_deletes_the_claim()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _cluster.Python(async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return new LoopbackCommandResult("", "", 0);
        });
        var interpreter = new SandboxCodeInterpreter(_cluster.Client, Options());
        var call = interpreter.AsAIFunction().InvokeAsync(new AIFunctionArguments(ScriptedChatClient.Code("import time; time.sleep(600)"))).AsTask();
        await Task.WhenAny(started.Task, call).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(started.Task.IsCompleted, $"the run never started: {call.Exception?.InnerException}");
        var claimName = interpreter.ClaimName!;

        await interpreter.DisposeAsync();

        // The call in flight ends as a disposed interpreter's call, then the claim (and with it the pod and its process) is deleted.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => call);
        Assert.Empty(_cluster.Claims);
        var delete = Assert.Single(_cluster.ClaimRequests("DELETE"));
        Assert.EndsWith($"/sandboxclaims/{claimName}", delete.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_calls_claim_once_and_run_one_at_a_time()
    {
        var probe = new InFlightProbe();
        _cluster.Python(async (code, ct) =>
        {
            using (probe.Enter())
            {
                // Long enough for a second run to arrive, if the interpreter let it through.
                await Task.Delay(200, ct);
            }

            return new LoopbackCommandResult(code.Replace("print", "printed", StringComparison.Ordinal) + "\n", "", 0);
        });
        var model = new ScriptedChatClient()
            .ThenCall("run_code_in_kata_sandbox", ("call_1", ScriptedChatClient.Code("print(1)")), ("call_2", ScriptedChatClient.Code("print(2)")), ("call_3", ScriptedChatClient.Code("print(3)")))
            .ThenSay("done");
        await using var interpreter = new SandboxCodeInterpreter(_cluster.Client, Options());
        using var agent = Agent(model, f => f.AllowConcurrentInvocation = true);

        await TurnAsync(agent, interpreter, [], "Go.");

        Assert.Equal(1, probe.Max);
        Assert.Single(_cluster.ClaimRequests("POST"));
        Assert.Equal(3, _cluster.RouterRequests("/execute").Count);
        Assert.Equal(["printed(1)\n", "printed(2)\n", "printed(3)\n"],
            new[] { "call_1", "call_2", "call_3" }.Select(id => model.ResultOf(id).GetProperty("stdout").GetString()));
        var sandbox = _cluster.SandboxOf(interpreter.ClaimName!);
        Assert.Equal(["print(1)", "print(2)", "print(3)"],
            new[] { "cell_0001.py", "cell_0002.py", "cell_0003.py" }
                .Select(f => Encoding.UTF8.GetString(_cluster.Router.GetFile(LoopbackCluster.Namespace, sandbox, f)!)).Order());
        AssertNoViolations();
    }

    [Fact]
    public async Task Files_written_by_one_function_are_read_by_another_and_bad_paths_go_back_to_the_model()
    {
        var model = new ScriptedChatClient()
            .ThenCall("write_file_in_kata_sandbox", ("w", new Dictionary<string, object?> { ["path"] = "data/in.csv", ["content"] = "a,b\n1,2\n" }))
            .ThenCall("read_file_in_kata_sandbox", ("r", new Dictionary<string, object?> { ["path"] = "data/in.csv" }))
            .ThenCall("read_file_in_kata_sandbox", ("missing", new Dictionary<string, object?> { ["path"] = "nope.txt" }))
            .ThenCall("read_file_in_kata_sandbox", ("escape", new Dictionary<string, object?> { ["path"] = "../../etc/passwd" }))
            .ThenCall("read_file_in_kata_sandbox", ("no-path", new Dictionary<string, object?> { ["file"] = "x" }))
            .ThenSay("done");
        await using var interpreter = new SandboxCodeInterpreter(_cluster.Client, Options());
        using var agent = Agent(model);

        await TurnAsync(agent, interpreter, [], "Go.");

        var sandbox = _cluster.SandboxOf(interpreter.ClaimName!);
        Assert.Equal("a,b\n1,2\n", Encoding.UTF8.GetString(_cluster.Router.GetFile(LoopbackCluster.Namespace, sandbox, "data/in.csv")!));
        Assert.Equal("Wrote 8 bytes to data/in.csv.", model.ResultOf("w").GetProperty("result").GetString());
        var read = model.ResultOf("r");
        Assert.Equal("a,b\n1,2\n", read.GetProperty("content").GetString());
        Assert.Equal(8, read.GetProperty("size_bytes").GetInt64());
        Assert.Equal("Could not read 'nope.txt': no such file.", model.ResultOf("missing").GetProperty("error").GetString());
        Assert.StartsWith("Could not read '../../etc/passwd': the path is not allowed", model.ResultOf("escape").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("The argument 'path' is missing", model.ResultOf("no-path").GetProperty("error").GetString(), StringComparison.Ordinal);

        // The escaping path never left the process; the missing file was asked for once (a 404 is not retried).
        Assert.DoesNotContain(_cluster.Router.Requests, r => r.RawTarget.Contains("passwd", StringComparison.Ordinal));
        Assert.Single(_cluster.RouterRequests("/download/nope.txt"));
        AssertNoViolations();
    }

    [Fact]
    public async Task A_template_that_is_not_a_Kata_VM_is_refused_once_and_for_all()
    {
        await using var cluster = await LoopbackCluster.StartAsync(runtimeClassName: null);
        var model = new ScriptedChatClient().ThenRun("print(1)").ThenRun("print(2)", "call_2");
        await using var interpreter = new SandboxCodeInterpreter(cluster.Client, Options());
        using var agent = Agent(model);

        var first = await Assert.ThrowsAsync<AgentSandboxException>(() => TurnAsync(agent, interpreter, [], "Go."));
        var second = await Assert.ThrowsAsync<AgentSandboxException>(() => TurnAsync(agent, interpreter, [], "Again."));

        Assert.Equal(AgentSandboxError.NotSandboxed, first.Error);
        Assert.Same(first, second);
        Assert.Empty(cluster.ClaimRequests("POST"));
        Assert.Empty(cluster.Router.Requests);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails (instead of hanging) after 30 s.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = TimeSpan.Zero; !condition(); waited += TimeSpan.FromMilliseconds(20))
        {
            Assert.True(waited < TimeSpan.FromSeconds(30), "the condition never held");
            await Task.Delay(20);
        }
    }
}
