using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// A claimed sandbox, ready to run commands and move files through the sandbox router. Release it (or dispose of it) to delete
/// its claim; the controller then deletes the sandbox and its pod. The runtime runs commands without a shell.
/// </summary>
public sealed class AgentSandboxSession : IAsyncDisposable
{
    private const int FileOpAttempts = 6;   // agent-sandbox 2fd412d clients/go/sandbox/types.go:73-100
    private const int RunAttempts = 1;      // a command is not idempotent: never re-run it (clients/go/sandbox/commands.go:63-65)

    private readonly AgentSandboxClient _owner;
    private readonly AgentSandboxRouter _router;
    private readonly AgentSandboxClientOptions _options;
    private readonly SemaphoreSlim _releaseLock = new(1, 1);
    private volatile bool _released;

    internal AgentSandboxSession(
        AgentSandboxClient owner, AgentSandboxClientOptions options, AgentSandboxRouter router, string @namespace, string claimName, string sandboxName,
        string podName, string? podIP)
    {
        _owner = owner;
        _options = options;
        _router = router;
        Namespace = @namespace;
        ClaimName = claimName;
        SandboxName = sandboxName;
        PodName = podName;
        PodIP = podIP;
    }

    /// <summary>The namespace of the claim and its sandbox.</summary>
    public string Namespace { get; }

    /// <summary>The claim's name (<c>sandbox-claim-…</c>): give it to <see cref="AgentSandboxClient.AttachAsync"/> to reattach later.</summary>
    public string ClaimName { get; }

    /// <summary>The bound Sandbox's name (the claim's name on a cold start, <c>&lt;pool&gt;-…</c> when adopted from a warm pool).</summary>
    public string SandboxName { get; }

    /// <summary>The sandbox's pod.</summary>
    public string PodName { get; }

    /// <summary>The pod's IP (IPv4 preferred), sent to the router so it needs no DNS; null when the sandbox reported none.</summary>
    public string? PodIP { get; }

    /// <summary>
    /// Runs <paramref name="command"/> in the sandbox (<c>POST /execute</c>). The runtime splits it as a POSIX shell would
    /// (Python's <c>shlex.split</c>) and runs it without a shell, in its base directory: pipes, redirects and <c>&amp;&amp;</c> do
    /// not work; to run a script, write it with <see cref="WriteFileAsync"/> and run its interpreter. A non-zero exit is a result,
    /// not an exception. Tried once: a command is never re-run.
    /// </summary>
    /// <param name="command">The command line.</param>
    /// <param name="timeout">How long the command may take; null for <see cref="AgentSandboxClientOptions.RequestTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the call (the command keeps running in the sandbox until the runtime's own timeout).</param>
    /// <exception cref="AgentSandboxException">The router failed or timed out, or the output is over 16 MB.</exception>
    public async Task<AgentSandboxCommandResult> RunAsync(string command, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        return await TracedAsync("run", async activity =>
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["command"] = command });
            var result = await _router.SendAsync("run", HttpMethod.Post, "execute", () => Json(body), RunAttempts, timeout, async (response, ct) =>
            {
                var bytes = await _router.ReadCappedAsync(response, AgentSandboxRouter.RunCap, "run", ct).ConfigureAwait(false);
                using var json = Parse(bytes, "run");
                var root = json.RootElement;
                int exitCode = root.TryGetProperty("exit_code", out var code) && code.ValueKind == JsonValueKind.Number ? code.GetInt32() : -1;
                return new AgentSandboxCommandResult(String(root, "stdout"), String(root, "stderr"), exitCode);
            }, activity, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(AgentSandboxTelemetry.ExitCode, result.ExitCode);
            return result;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a file in the sandbox (<c>POST /upload</c>, multipart field <c>file</c>). The path is relative to the runtime's base
    /// directory; parent directories are created.
    /// </summary>
    /// <param name="path">A relative path such as <c>main.py</c> or <c>src/main.py</c>.</param>
    /// <param name="content">The file's bytes (at most <see cref="AgentSandboxClientOptions.MaxUploadBytes"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AgentSandboxException">The path is invalid (<see cref="AgentSandboxError.InvalidPath"/>), or the router failed.</exception>
    /// <exception cref="ArgumentException">The content is larger than <see cref="AgentSandboxClientOptions.MaxUploadBytes"/>.</exception>
    public async Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        CheckPath(path, allowEmpty: false, nameof(WriteFileAsync));
        if (content.Length > _options.MaxUploadBytes)
        {
            throw new ArgumentException(
                $"The content of '{path}' is {content.Length} bytes, over AgentSandboxClientOptions.MaxUploadBytes ({_options.MaxUploadBytes}).", nameof(content));
        }

        await TracedAsync("write", async activity =>
        {
            activity?.SetTag(AgentSandboxTelemetry.FileSize, content.Length);
            // The body is rebuilt for each attempt from the caller's memory, so a retry sends it whole.
            await _router.SendAsync("write", HttpMethod.Post, "upload", () =>
            {
                var file = new ReadOnlyMemoryContent(content);
                file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                return new MultipartFormDataContent { { file, "file", path } };
            }, FileOpAttempts, null, static (_, _) => Task.FromResult(true), activity, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a file from the sandbox (<c>GET /download/…</c>).</summary>
    /// <param name="path">A path relative to the runtime's base directory.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AgentSandboxException">The file does not exist (<see cref="AgentSandboxError.NotFound"/>), is larger than
    /// <see cref="AgentSandboxClientOptions.MaxDownloadBytes"/>, the path is invalid, or the router failed.</exception>
    public async Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        CheckPath(path, allowEmpty: false, nameof(ReadFileAsync));
        return await TracedAsync("read", async activity =>
        {
            var bytes = await _router.SendAsync("read", HttpMethod.Get, "download/" + AgentSandboxPaths.Encode(path), null, FileOpAttempts, null,
                (response, ct) => _router.ReadCappedAsync(response, _options.MaxDownloadBytes, "read", ct), activity, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(AgentSandboxTelemetry.FileSize, bytes.Length);
            return bytes;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists a directory in the sandbox (<c>GET /list/…</c>); entries that are neither files nor directories are skipped.</summary>
    /// <param name="path">A directory relative to the runtime's base directory; <c>.</c> or empty for the base directory itself.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AgentSandboxException">The path is invalid, the listing is over 8 MB, or the router failed (404 when it is not a directory).</exception>
    public async Task<IReadOnlyList<AgentSandboxFileEntry>> ListFilesAsync(string path, CancellationToken cancellationToken = default)
    {
        CheckPath(path, allowEmpty: true, nameof(ListFilesAsync));
        return await TracedAsync("list", activity =>
            _router.SendAsync("list", HttpMethod.Get, "list/" + AgentSandboxPaths.Encode(path.Length == 0 ? "." : path), null, FileOpAttempts, null, async (response, ct) =>
            {
                var bytes = await _router.ReadCappedAsync(response, AgentSandboxRouter.ListCap, "list", ct).ConfigureAwait(false);
                using var json = Parse(bytes, "list");
                var entries = new List<AgentSandboxFileEntry>();
                if (json.RootElement.ValueKind != JsonValueKind.Array)
                {
                    throw BadAnswer("list", "not a JSON array");
                }

                // agent-sandbox 2fd412d examples/python-runtime-sandbox/main.py:197-224: {name, size, type, mod_time (epoch seconds)}.
                foreach (var item in json.RootElement.EnumerateArray())
                {
                    string type = String(item, "type");
                    if (type is not ("file" or "directory"))
                    {
                        continue;
                    }

                    long size = item.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : 0;
                    DateTimeOffset? modified = item.TryGetProperty("mod_time", out var m) && m.ValueKind == JsonValueKind.Number
                        ? DateTimeOffset.FromUnixTimeMilliseconds((long)(m.GetDouble() * 1000)) : null;
                    entries.Add(new AgentSandboxFileEntry(String(item, "name"), size, type == "directory", modified));
                }

                activity?.SetTag("sandbox.file.count", entries.Count);
                return (IReadOnlyList<AgentSandboxFileEntry>)entries;
            }, activity, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a file or directory exists in the sandbox (<c>GET /exists/…</c>).</summary>
    /// <param name="path">A path relative to the runtime's base directory.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AgentSandboxException">The path is invalid, or the router failed.</exception>
    public async Task<bool> FileExistsAsync(string path, CancellationToken cancellationToken = default)
    {
        CheckPath(path, allowEmpty: false, nameof(FileExistsAsync));
        return await TracedAsync("exists", activity =>
            _router.SendAsync("exists", HttpMethod.Get, "exists/" + AgentSandboxPaths.Encode(path), null, FileOpAttempts, null, async (response, ct) =>
            {
                var bytes = await _router.ReadCappedAsync(response, AgentSandboxRouter.ListCap, "exists", ct).ConfigureAwait(false);
                using var json = Parse(bytes, "exists");
                bool exists = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("exists", out var e) && e.ValueKind == JsonValueKind.True;
                activity?.SetTag("sandbox.file.exists", exists);
                return exists;
            }, activity, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the claim (the controller then deletes the sandbox and its pod) and closes the connection to the router. A claim that
    /// is already gone counts as released; calling it again does nothing.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AgentSandboxException">The API server refused the delete: the claim still exists (call again, or delete it with kubectl).</exception>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (_released)
        {
            return;
        }

        await _releaseLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_released)
            {
                return;
            }

            using var activity = Start("release");
            try
            {
                // The claim first: when its delete fails the session stays whole (its port-forward open) for a retry.
                await _owner.DeleteClaimAsync(Namespace, ClaimName, cancellationToken).ConfigureAwait(false);
                _released = true;
                await _router.DisposeAsync().ConfigureAwait(false);
                _owner.Forget(this);
            }
            catch (Exception ex)
            {
                AgentSandboxTelemetry.Fail(activity, ex);
                throw;
            }
        }
        finally
        {
            _releaseLock.Release();
        }
    }

    /// <summary>
    /// Releases the session within <see cref="AgentSandboxClientOptions.CleanupTimeout"/>. It does not throw: a claim it could not
    /// delete stays (marked on the span); call <see cref="ReleaseAsync"/> to see the error.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        using var cleanup = new CancellationTokenSource(_options.CleanupTimeout, _options.TimeProvider);
        try
        {
            await ReleaseAsync(cleanup.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AgentSandboxException or OperationCanceledException)
        {
            // Dispose must not throw; the span of the release carries the error.
        }
    }

    // Once the sandbox is gone the router can only answer 502/504 or not connect, which reads as a network problem. The claim
    // says what happened: deleted (released elsewhere, or its shutdownTime passed with the Delete policy) or expired (Retain).
    private async Task<AgentSandboxException?> GoneAsync(Exception ex, CancellationToken cancellationToken)
    {
        if (ex is not AgentSandboxException { Error: AgentSandboxError.RouterFailed } failed
            || failed.StatusCode is not (null or 404 or 502 or 503 or 504)
            || cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        System.Text.Json.Nodes.JsonObject? claim;
        try
        {
            using var deadline = new CancellationTokenSource(_options.CleanupTimeout, _options.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            claim = await _owner.GetClaimAsync(Namespace, ClaimName, linked.Token).ConfigureAwait(false);
        }
        catch (Exception probe) when (probe is AgentSandboxException or OperationCanceledException or HttpRequestException)
        {
            // The API server cannot say either: the router's own error stands.
            return null;
        }

        if (claim is null)
        {
            return new AgentSandboxException(AgentSandboxError.Deleted,
                $"SandboxClaim {Namespace}/{ClaimName} no longer exists, so its sandbox {SandboxName} is gone: it was released by another " +
                "client, or deleted when its shutdownTime passed (AgentSandboxClaimOptions.ShutdownAfter with ShutdownPolicy Delete). Claim a " +
                "new sandbox with AgentSandboxClient.ClaimAsync.", Namespace, ClaimName, statusCode: failed.StatusCode, innerException: failed);
        }

        if (AgentSandboxClaimWait.ExpiredReason(claim) is { } reason)
        {
            return new AgentSandboxException(AgentSandboxError.Expired,
                $"SandboxClaim {Namespace}/{ClaimName} expired ({reason}), so its sandbox {SandboxName} no longer runs. Release this session and " +
                "claim a new sandbox with AgentSandboxClient.ClaimAsync, with a longer AgentSandboxClaimOptions.ShutdownAfter if the work needs it.",
                Namespace, ClaimName, reason, failed.StatusCode, failed);
        }

        return null;
    }

    /// <summary>
    /// Runs one router operation under its span. A failure because the sandbox is gone (deleted, or expired by its shutdown time)
    /// is reported as <see cref="AgentSandboxError.Deleted"/> or <see cref="AgentSandboxError.Expired"/> instead of as the router's error.
    /// </summary>
    private async Task<T> TracedAsync<T>(string operation, Func<System.Diagnostics.Activity?, Task<T>> call, CancellationToken cancellationToken)
    {
        using var activity = Start(operation);
        try
        {
            return await call(activity).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var gone = await GoneAsync(ex, cancellationToken).ConfigureAwait(false);
            AgentSandboxTelemetry.Fail(activity, gone ?? ex);
            if (gone is not null)
            {
                throw gone;
            }

            throw;
        }
    }

    private System.Diagnostics.Activity? Start(string operation)
    {
        if (_released)
        {
            throw new AgentSandboxException(AgentSandboxError.NotReady,
                $"The session of SandboxClaim {Namespace}/{ClaimName} was released; claim a new sandbox with AgentSandboxClient.ClaimAsync.", Namespace, ClaimName);
        }

        return AgentSandboxTelemetry.Start(operation, Namespace, ClaimName, SandboxName);
    }

    private void CheckPath(string path, bool allowEmpty, string call)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (AgentSandboxPaths.Problem(path, allowEmpty) is { } problem)
        {
            throw new AgentSandboxException(AgentSandboxError.InvalidPath,
                $"AgentSandboxSession.{call}: the path '{Printable(path)}' {problem}.", Namespace, ClaimName);
        }
    }

    private static string Printable(string path)
    {
        var text = new StringBuilder(path.Length);
        foreach (char c in path)
        {
            text.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return text.ToString();
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private JsonDocument Parse(byte[] bytes, string operation)
    {
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw BadAnswer(operation, $"not JSON ({ex.Message})");
        }
    }

    private AgentSandboxException BadAnswer(string operation, string what) =>
        new(AgentSandboxError.RouterFailed,
            $"sandbox {Namespace}/{SandboxName} (claim {ClaimName}): {operation}: the answer from {_router.BaseUrl} is {what}: check that AgentSandboxClientOptions.ServerPort is the python runtime's port.",
            Namespace, ClaimName);

    private static string String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    internal string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Namespace}/{ClaimName}");
}
