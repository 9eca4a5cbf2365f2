using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// One session's HTTP transport to the sandbox router, which proxies each request to the runtime in the sandbox pod named by the
/// <c>X-Sandbox-*</c> headers (agent-sandbox 2fd412d clients/go/sandbox/connector.go:285-457): the headers on every attempt, the
/// same request id on retries, retries on transport errors and 500/502/503/504 with the Go client's backoff, a deadline per call
/// and one per attempt (to the response headers), and response size caps that never buffer more than the cap.
/// </summary>
internal sealed class AgentSandboxRouter : IAsyncDisposable
{
    /// <summary>The largest <c>/execute</c> answer (agent-sandbox 2fd412d clients/go/sandbox/commands.go:33).</summary>
    public const long RunCap = 16L * 1024 * 1024;

    /// <summary>The largest <c>/list</c> or <c>/exists</c> answer (clients/go/sandbox/files.go:36).</summary>
    public const long ListCap = 8L * 1024 * 1024;

    private const int MaxErrorBody = 512;    // clients/go/sandbox/files.go:35
    private const int MaxErrorText = 256;    // clients/go/sandbox/types.go:59-71

    private static readonly UriCreationOptions s_verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private readonly HttpClient _http;
    private readonly AgentSandboxClientOptions _options;
    private readonly string _namespace;
    private readonly string _claim;
    private readonly string _sandbox;
    private readonly string? _podIP;
    private readonly IAsyncDisposable? _tunnel;

    public AgentSandboxRouter(HttpClient http, AgentSandboxClientOptions options, Uri baseUrl, string @namespace, string claim, string sandbox, string? podIP, IAsyncDisposable? tunnel)
    {
        _http = http;
        _options = options;
        BaseUrl = baseUrl;
        _namespace = @namespace;
        _claim = claim;
        _sandbox = sandbox;
        _podIP = podIP;
        _tunnel = tunnel;
    }

    /// <summary>The router's URL (a 127.0.0.1 port in port-forward mode).</summary>
    public Uri BaseUrl { get; }

    /// <summary>
    /// Sends one operation: up to <paramref name="maxAttempts"/> attempts, then <paramref name="read"/> on the 2xx answer under the
    /// call's deadline. The caller's cancellation propagates as is; the call's own deadline becomes <see cref="AgentSandboxError.Timeout"/>.
    /// </summary>
    public async Task<T> SendAsync<T>(
        string operation, HttpMethod method, string endpoint, Func<HttpContent>? content, int maxAttempts, TimeSpan? timeout,
        Func<HttpResponseMessage, CancellationToken, Task<T>> read, Activity? activity, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        // The caller's timeout is the call's, longer or shorter than RequestTimeout. A single attempt (a command) waits for its
        // headers as long as the call: the runtime answers /execute only when the command ends, so PerAttemptTimeout would cut
        // every command longer than it.
        var budget = timeout is { } t && t > TimeSpan.Zero ? t : _options.RequestTimeout;
        var perAttempt = maxAttempts == 1 ? budget : _options.PerAttemptTimeout;
        var deadline = time.GetUtcNow() + budget;
        using var callTimer = new CancellationTokenSource(budget, time);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callTimer.Token);
        // Sent as encoded: System.Uri would otherwise unescape %2E and drop the dot segment, so "." would reach the runtime as "".
        var url = new Uri(BaseUrl.ToString().TrimEnd('/') + "/" + endpoint.TrimStart('/'), s_verbatim);
        string requestId = Convert.ToHexString(BitConverter.GetBytes(Random.Shared.NextInt64())).ToLowerInvariant();
        activity?.SetTag(AgentSandboxTelemetry.RequestId, requestId);
        string? lastProblem = null;
        int? lastStatus = null;

        for (int attempt = 1; ; attempt++)
        {
            activity?.SetTag(AgentSandboxTelemetry.Attempts, attempt);
            HttpResponseMessage? response = null;
            try
            {
                using var request = new HttpRequestMessage(method, url) { Content = content?.Invoke() };
                AddHeaders(request, requestId, Min(deadline - time.GetUtcNow(), perAttempt), activity);

                // The attempt's timer runs to the response headers only: a long download is bounded by the call's deadline.
                // When the attempt may last as long as the call (a command), its timer is the call's deadline: the two timers
                // fire together, in either order, and either way the call has timed out (not a retryable attempt failure).
                bool attemptIsTheCall = perAttempt >= deadline - time.GetUtcNow();
                using (var attemptTimer = new CancellationTokenSource(perAttempt, time))
                using (var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(call.Token, attemptTimer.Token))
                {
                    try
                    {
                        response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptToken.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException ex) when (attemptTimer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        if (attemptIsTheCall || callTimer.IsCancellationRequested)
                        {
                            throw TimedOut(operation, url, budget, requestId, attempt, ex, lastProblem);
                        }

                        throw new TimeoutException($"no response headers within AgentSandboxClientOptions.PerAttemptTimeout ({perAttempt.TotalSeconds:0.#}s)");
                    }
                }

                int status = (int)response.StatusCode;
                activity?.SetTag(AgentSandboxTelemetry.StatusCode, status);
                lastStatus = status;
                if (status is >= 200 and < 300)
                {
                    using (response)
                    {
                        return await read(response, call.Token).ConfigureAwait(false);
                    }
                }

                string detail = await DetailAsync(response, call.Token).ConfigureAwait(false);
                response.Dispose();
                if (status is not (500 or 502 or 503 or 504) || attempt >= maxAttempts)
                {
                    throw Failed(operation, method, url, status, detail, requestId, attempt);
                }

                lastProblem = $"{status} {detail}";
            }
            catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
            {
                response?.Dispose();
                throw CallerCancelled(ex, cancellationToken);
            }
            catch (OperationCanceledException ex) when (callTimer.IsCancellationRequested)
            {
                response?.Dispose();
                throw TimedOut(operation, url, budget, requestId, attempt, ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException)
            {
                response?.Dispose();
                if (attempt >= maxAttempts)
                {
                    throw Unreachable(operation, method, url, ex, requestId, attempt, lastStatus);
                }

                lastProblem = ex.Message;
            }

            try
            {
                await Task.Delay(Backoff(attempt), time, call.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex)
            {
                throw cancellationToken.IsCancellationRequested ? CallerCancelled(ex, cancellationToken) : TimedOut(operation, url, budget, requestId, attempt, ex, lastProblem);
            }
        }
    }

    /// <summary>
    /// The caller's cancellation, carrying the caller's token (not the linked one the call used inside), so that
    /// <c>catch (OperationCanceledException e) when (e.CancellationToken == token)</c> works as with any .NET API.
    /// </summary>
    internal static OperationCanceledException CallerCancelled(OperationCanceledException ex, CancellationToken cancellationToken) =>
        ex.CancellationToken == cancellationToken ? ex : new OperationCanceledException(ex.Message, ex, cancellationToken);

    /// <summary>Reads a body of at most <paramref name="cap"/> bytes; never buffers more than the cap.</summary>
    public async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, long cap, string what, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is long length && length > cap)
        {
            throw TooLarge(what, cap, length);
        }

        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            int n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + n > cap)
            {
                throw TooLarge(what, cap, null);
            }

            buffer.Write(chunk, 0, n);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_tunnel is not null)
        {
            await _tunnel.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): 0, then 500 ms·2^(n-1) capped at 8 s, ±25 % (connector.go:459-479).</summary>
    internal static TimeSpan Backoff(int attempt)
    {
        int n = attempt - 1;
        if (n <= 0)
        {
            return TimeSpan.Zero;
        }

        double ms = Math.Min(500 * Math.Pow(2, Math.Min(n - 1, 20)), 8000);
        return TimeSpan.FromMilliseconds(ms * (0.75 + (Random.Shared.NextDouble() * 0.5)));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void AddHeaders(HttpRequestMessage request, string requestId, TimeSpan timeout, Activity? activity)
    {
        // agent-sandbox 2fd412d clients/go/sandbox/connector.go:352-374 and the header names at types.go:33-38.
        var headers = request.Headers;
        headers.Add("X-Sandbox-ID", _sandbox);
        headers.Add("X-Sandbox-Namespace", _namespace);
        headers.Add("X-Sandbox-Port", _options.ServerPort.ToString(CultureInfo.InvariantCulture));
        if (timeout > TimeSpan.Zero)
        {
            headers.Add("X-Sandbox-Timeout", timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
        }

        if (_podIP is not null)
        {
            // The router dials the pod IP and needs neither DNS nor the sandbox's headless Service (connector.go:366-368).
            headers.Add("X-Sandbox-Pod-IP", _podIP);
        }

        headers.Add("X-Request-ID", requestId);
        if (_options.RouterBearerToken is { Length: > 0 } token)
        {
            headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        if (activity is not null)
        {
            DistributedContextPropagator.Current.Inject(activity, request, static (carrier, name, value) =>
            {
                if (carrier is HttpRequestMessage message && value is not null)
                {
                    message.Headers.Remove(name);
                    message.Headers.TryAddWithoutValidation(name, value);
                }
            });
        }
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxErrorBody];
            int total = 0;
            int n;
            while (total < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += n;
            }

            text = Encoding.UTF8.GetString(buffer, 0, total);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return "(no body)";
        }

        // The router's and runtime's errors are JSON {"detail": ...} (FastAPI) or {"message": ...} (the runtime's own).
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var key in new[] { "detail", "message" })
                {
                    if (json.RootElement.TryGetProperty(key, out var value))
                    {
                        text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                        break;
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        text = text.Trim();
        return text.Length == 0 ? "(no body)" : text.Length > MaxErrorText ? text[..MaxErrorText] + "…" : text;
    }

    private string Where => $"sandbox {_namespace}/{_sandbox} (claim {_claim})";

    private AgentSandboxException Failed(string operation, HttpMethod method, Uri url, int status, string detail, string requestId, int attempts)
    {
        string advice = status switch
        {
            401 or 403 => "The router refused the credentials: set AgentSandboxClientOptions.RouterBearerToken to the router's token (ROUTER_AUTH_TOKEN).",
            404 when operation is "read" => "The file does not exist in the sandbox.",
            404 => "The router or the runtime has no such endpoint: check AgentSandboxClientOptions.RouterUrl and ServerPort (the python runtime listens on 8888).",
            400 => "The router refused the request's routing headers or the runtime refused its input.",
            502 or 504 => "The router could not reach the sandbox pod: check that the template's NetworkPolicy admits the router and that AgentSandboxClientOptions.ServerPort is the runtime's port.",
            _ => "See the router's detail above.",
        };
        var error = status == 404 && operation == "read" ? AgentSandboxError.NotFound : AgentSandboxError.RouterFailed;
        return new AgentSandboxException(error,
            $"{Where}: {operation}: {method} {url} answered {status}: {detail} (request {requestId}, {attempts} attempt{(attempts == 1 ? "" : "s")}). {advice}",
            _namespace, _claim, statusCode: status);
    }

    private AgentSandboxException Unreachable(string operation, HttpMethod method, Uri url, Exception ex, string requestId, int attempts, int? lastStatus) =>
        new(AgentSandboxError.RouterFailed,
            $"{Where}: {operation}: {method} {url} failed: {ex.Message} (request {requestId}, {attempts} attempt{(attempts == 1 ? "" : "s")}). " +
            "Check that the router is running and reachable (AgentSandboxClientOptions.RouterUrl, or the router Service in port-forward mode).",
            _namespace, _claim, statusCode: lastStatus, innerException: ex);

    private AgentSandboxException TimedOut(string operation, Uri url, TimeSpan budget, string requestId, int attempts, Exception ex, string? lastProblem = null) =>
        new(AgentSandboxError.Timeout,
            $"{Where}: {operation}: {url} did not complete within {budget.TotalSeconds:0.#}s (request {requestId}, {attempts} attempt{(attempts == 1 ? "" : "s")}" +
            $"{(lastProblem is null ? "" : $"; last: {lastProblem}")}). Pass a longer timeout or raise AgentSandboxClientOptions.RequestTimeout.",
            _namespace, _claim, innerException: ex);

    private AgentSandboxException TooLarge(string what, long cap, long? length) =>
        new(AgentSandboxError.ResponseTooLarge,
            $"{Where}: the {what} answer {(length is null ? "exceeded" : $"is {length} bytes, over")} the limit of {cap / (1024 * 1024)} MB; " +
            (what == "read" ? "raise AgentSandboxClientOptions.MaxDownloadBytes, or read a smaller file." : "make the command print less (write its output to a file and read that)."),
            _namespace, _claim);
}
