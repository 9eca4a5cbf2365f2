// To reuse from another test assembly, link this file with LoopbackAgentController.cs and FakeApiServer.cs:
//   <Compile Include="../Sandboxing.Sdk.Tests/Cluster/LoopbackSandboxRouter.cs" />
//   <Compile Include="../Sandboxing.Sdk.Tests/Cluster/LoopbackAgentController.cs" />
//   <Compile Include="../Sandboxing.Sdk.Tests/Cluster/FakeApiServer.cs" />
// and add <FrameworkReference Include="Microsoft.AspNetCore.App" />.
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>One request the loopback router received: its method, raw target (as sent, percent-encoding kept), headers and body size.</summary>
public sealed record RouterRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, long BodyBytes);

/// <summary>
/// A canned answer to the next request whose path starts with <paramref name="PathPrefix"/> (null: any): <paramref name="Status"/>
/// with a <c>{"detail": ...}</c> body (or <paramref name="Body"/> as is), after <paramref name="Delay"/>; <paramref name="Hang"/>
/// never answers (until the client gives up); <paramref name="BodyBytes"/> sends a 200 body of that many bytes, without a length.
/// </summary>
public sealed record RouterFault(int Status = 500, string? Body = null, TimeSpan? Delay = null, bool Hang = false, long? BodyBytes = null, string? PathPrefix = null);

/// <summary>What a fake program printed and its exit code.</summary>
public sealed record LoopbackCommandResult(string Stdout, string Stderr, int ExitCode);

/// <summary>
/// The sandbox router and the python runtime behind it, on 127.0.0.1 (kubernetes-sigs/agent-sandbox 2fd412d: the Python router
/// clients/python/agentic-sandbox-client/sandbox-router/sandbox_router.py and examples/python-runtime-sandbox/main.py). The router
/// part checks every request as the real one does: the bearer token (when <see cref="BearerToken"/> is set), <c>X-Sandbox-ID</c>
/// (a DNS label), <c>X-Sandbox-Namespace</c>, <c>X-Sandbox-Port</c>, <c>X-Sandbox-Pod-IP</c> (400 with <c>{"detail"}</c>), a
/// sandbox it cannot reach (502), and honours <c>X-Sandbox-Timeout</c> (504). The runtime part serves <c>POST /execute</c>,
/// <c>POST /upload</c> (multipart <c>file</c>), <c>GET /download/</c>, <c>/list/</c>, <c>/exists/</c> over an in-memory filesystem
/// per sandbox rooted at <c>/app</c>, and runs a fixed set of programs without a shell: <c>echo</c>, <c>cat</c>, <c>true</c>,
/// <c>false</c>, <c>sleep SECONDS</c>, <c>print-bytes N</c> (N bytes of <c>x</c>), <c>exit-with CODE [STDERR...]</c>, plus any
/// added with <see cref="AddCommand"/>. Sandboxes are those Ready in a <see cref="LoopbackAgentController"/>, or added with
/// <see cref="AddSandbox"/>.
/// </summary>
public sealed class LoopbackSandboxRouter : IAsyncDisposable
{
    private const string BaseDir = "/app";

    private static readonly Regex s_label = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);

    private readonly WebApplication _app;
    private readonly LoopbackAgentController? _controller;
    private readonly object _gate = new();
    private readonly List<RouterRequest> _requests = [];
    private readonly List<string> _violations = [];
    private readonly List<RouterFault> _faults = [];
    private readonly Dictionary<string, string?> _sandboxes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, (byte[] Data, DateTimeOffset Modified)>> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<IReadOnlyList<string>, CancellationToken, Task<LoopbackCommandResult>>> _commands = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private int _commandsStarted;
    private int _commandsFinished;

    private LoopbackSandboxRouter(WebApplication app, LoopbackAgentController? controller)
    {
        _app = app;
        _controller = controller;
    }

    /// <summary>The router's URL, http://127.0.0.1:port/ (for <c>AgentSandboxClientOptions.RouterUrl</c>).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>When set, every request needs <c>Authorization: Bearer</c> this token (the Python router's ROUTER_AUTH_TOKEN).</summary>
    public string? BearerToken { get; set; }

    /// <summary>The runtime's port in the sandbox pod; other <c>X-Sandbox-Port</c>s cannot connect (502). Default 8888.</summary>
    public int RuntimePort { get; set; } = 8888;

    /// <summary>The router's proxy timeout (PROXY_TIMEOUT_SECONDS), the cap on <c>X-Sandbox-Timeout</c>. Default 180 s.</summary>
    public TimeSpan ProxyTimeout { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>Every request, in order.</summary>
    public IReadOnlyList<RouterRequest> Requests { get { lock (_gate) { return _requests.ToList(); } } }

    /// <summary>Requests the real router or runtime refuses as malformed (a missing header, a bad body).</summary>
    public IReadOnlyList<string> Violations { get { lock (_gate) { return _violations.ToList(); } } }

    /// <summary>Commands started, and commands that ran to their end (a client that gives up does not stop a command).</summary>
    public (int Started, int Finished) CommandCounts => (Volatile.Read(ref _commandsStarted), Volatile.Read(ref _commandsFinished));

    /// <summary>Starts the router; with <paramref name="controller"/>, it reaches the Sandboxes that are Ready there.</summary>
    public static async Task<LoopbackSandboxRouter> StartAsync(LoopbackAgentController? controller = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        var router = new LoopbackSandboxRouter(app, controller);
        app.Run(router.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        router.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        return router;
    }

    /// <summary>A sandbox the router can reach without a controller (<paramref name="podIP"/>: the IP it must be dialled at, if any).</summary>
    public void AddSandbox(string @namespace, string sandboxId, string? podIP = null)
    {
        lock (_gate)
        {
            _sandboxes[$"{@namespace}/{sandboxId}"] = podIP;
        }
    }

    /// <summary>Adds a fake program: it gets its arguments (after the program's name) and the request's cancellation.</summary>
    public void AddCommand(string name, Func<IReadOnlyList<string>, CancellationToken, Task<LoopbackCommandResult>> run)
    {
        lock (_gate)
        {
            _commands[name] = run;
        }
    }

    /// <summary>Answers a later request with a fault (faults are used in order, each once).</summary>
    public void Enqueue(RouterFault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    /// <summary>Puts a file in a sandbox's filesystem (<paramref name="path"/> relative to /app).</summary>
    public void PutFile(string @namespace, string sandboxId, string path, byte[] content)
    {
        lock (_gate)
        {
            Files($"{@namespace}/{sandboxId}")[Normalize(path)!] = (content, DateTimeOffset.UtcNow);
        }
    }

    /// <summary>A file in a sandbox's filesystem, or null.</summary>
    public byte[]? GetFile(string @namespace, string sandboxId, string path)
    {
        lock (_gate)
        {
            return Files($"{@namespace}/{sandboxId}").TryGetValue(Normalize(path) ?? "", out var f) ? f.Data : null;
        }
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync(); // commands still running end now
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ---- the router ----------------------------------------------------------------------------------------------------------

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        body.Position = 0;
        request.Body = body; // read again by the form parser of /upload
        RouterFault? fault;
        lock (_gate)
        {
            _requests.Add(new RouterRequest(request.Method, raw, headers, body.Length));
            fault = _faults.FirstOrDefault(f => f.PathPrefix is null || raw.StartsWith(f.PathPrefix, StringComparison.Ordinal));
            if (fault is not null)
            {
                _faults.Remove(fault);
            }
        }

        string path = raw.Split('?')[0];
        if (request.Method == "GET" && path == "/healthz")
        {
            await Json(context, 200, new JsonObject { ["status"] = "ok" });
            return;
        }

        // sandbox_router.py:428-452: the token first.
        if (BearerToken is { } token)
        {
            string auth = headers.GetValueOrDefault("Authorization") ?? "";
            if (!auth.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                await Refuse(context, 401, "Missing or invalid Authorization header.");
                return;
            }

            if (auth["Bearer ".Length..] != token)
            {
                await Refuse(context, 401, "Invalid token.");
                return;
            }
        }

        // sandbox_router.py:327-359 and sandbox-router/proxy/headers.go:76-130: the routing headers.
        string? id = headers.GetValueOrDefault("X-Sandbox-ID");
        if (string.IsNullOrEmpty(id))
        {
            await Refuse(context, 400, "X-Sandbox-ID header is required.");
            return;
        }

        if (id.Length > 63 || !s_label.IsMatch(id))
        {
            await Refuse(context, 400, "Invalid sandbox ID format.");
            return;
        }

        string ns = headers.GetValueOrDefault("X-Sandbox-Namespace") ?? "default";
        if (ns.Length > 63 || !s_label.IsMatch(ns))
        {
            await Refuse(context, 400, "Invalid namespace format.");
            return;
        }

        int port = 8888;
        if (headers.TryGetValue("X-Sandbox-Port", out var portText) && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            await Refuse(context, 400, "Invalid port format.");
            return;
        }

        string? podIP = headers.GetValueOrDefault("X-Sandbox-Pod-IP");
        if (podIP is not null && (!IPAddress.TryParse(podIP, out var ip) || IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)
            || ip.IsIPv6LinkLocal || ip.IsIPv6Multicast || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && (ip.GetAddressBytes() is [169, 254, ..] or [>= 224 and <= 239, ..]))))
        {
            await Refuse(context, 400, "Invalid target IP address.");
            return;
        }

        // The Py router honours X-Sandbox-Timeout, capped at its proxy timeout (sandbox_router.py:250-274).
        var timeout = ProxyTimeout;
        if (headers.TryGetValue("X-Sandbox-Timeout", out var timeoutText) && double.TryParse(timeoutText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            timeout = TimeSpan.FromSeconds(Math.Min(seconds, ProxyTimeout.TotalSeconds));
        }

        if (fault is not null)
        {
            await FaultAsync(context, fault);
            return;
        }

        // Dial the pod: by its IP when given (it must be the sandbox's), else by the sandbox's Service DNS name.
        string sandbox = $"{ns}/{id}";
        string? target = Reachable(ns, id, out bool known);
        if (!known || port != RuntimePort || (podIP is not null && podIP != target))
        {
            await Json(context, 502, new JsonObject { ["detail"] = $"Could not connect to the backend sandbox: {id}" });
            return;
        }

        // The backend's work is bounded by the router's timeout only: a command outlives a client that gives up (main.py runs it to
        // its end), so a cancelled call does not stop it.
        using var backend = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        backend.CancelAfter(timeout);
        try
        {
            await RuntimeAsync(context, sandbox, request.Method, path, body, backend.Token);
        }
        catch (OperationCanceledException) when (backend.IsCancellationRequested && !_stopping.IsCancellationRequested && !context.Response.HasStarted
            && !context.RequestAborted.IsCancellationRequested)
        {
            await Json(context, 504, new JsonObject { ["detail"] = $"Timed out waiting for the backend sandbox: {id}" });
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away.
        }
    }

    private string? Reachable(string ns, string id, out bool known)
    {
        lock (_gate)
        {
            if (_sandboxes.TryGetValue($"{ns}/{id}", out var ip))
            {
                known = true;
                return ip;
            }
        }

        string? ready = _controller?.ReadyPodIP(ns, id);
        known = ready is not null;
        return ready;
    }

    private async Task FaultAsync(HttpContext context, RouterFault fault)
    {
        try
        {
            if (fault.Hang)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }

            if (fault.Delay is { } delay)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            if (fault.BodyBytes is { } size)
            {
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
                for (long sent = 0; sent < size; sent += chunk.Length)
                {
                    await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, size - sent)), context.RequestAborted);
                }

                return;
            }

            context.Response.StatusCode = fault.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(fault.Body ?? new JsonObject { ["detail"] = $"injected {fault.Status}" }.ToJsonString(), context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client gave up.
        }
    }

    // ---- the runtime (examples/python-runtime-sandbox/main.py) ---------------------------------------------------------------

    private async Task RuntimeAsync(HttpContext context, string sandbox, string method, string path, MemoryStream body, CancellationToken cancellationToken)
    {
        switch (method, path)
        {
            case ("GET", "/"):
                await Json(context, 200, new JsonObject { ["status"] = "ok", ["message"] = "Sandbox Runtime is active." });
                return;
            case ("POST", "/execute"):
                await ExecuteAsync(context, body, cancellationToken);
                return;
            case ("POST", "/upload"):
                await UploadAsync(context, sandbox);
                return;
        }

        foreach (var prefix in new[] { "/download/", "/list/", "/exists/" })
        {
            if (method == "GET" && path.StartsWith(prefix, StringComparison.Ordinal))
            {
                // Starlette decodes the path once before the {path:path} parameter (main.py:182-240).
                string decoded = Uri.UnescapeDataString(path[prefix.Length..]);
                await FileAsync(context, sandbox, prefix.Trim('/'), decoded);
                return;
            }
        }

        await Json(context, 404, new JsonObject { ["detail"] = "Not Found" });
    }

    private async Task ExecuteAsync(HttpContext context, MemoryStream body, CancellationToken cancellationToken)
    {
        // FastAPI with a pydantic model: a JSON object with a string "command", else 422.
        string? command = null;
        if (context.Request.ContentType?.Split(';')[0].Trim() == "application/json")
        {
            try
            {
                command = (string?)(JsonNode.Parse(body.ToArray()) as JsonObject)?["command"];
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
            }
        }

        if (command is null)
        {
            Violate($"422 /execute: the body is not JSON {{\"command\": str}} (Content-Type {context.Request.ContentType})");
            await Json(context, 422, new JsonObject { ["detail"] = new JsonArray(new JsonObject { ["type"] = "missing", ["loc"] = new JsonArray("body", "command"), ["msg"] = "Field required" }) });
            return;
        }

        Interlocked.Increment(ref _commandsStarted);
        LoopbackCommandResult result;
        try
        {
            result = await RunAsync(command, context.Request.Headers["X-Sandbox-ID"].ToString(), context.Request.Headers["X-Sandbox-Namespace"].ToString(), cancellationToken);
        }
        catch (CommandFailed ex)
        {
            // main.py:66-144: any failure to run is still a 200, exit code 1.
            result = new LoopbackCommandResult("", $"Failed to execute command: {ex.Message}", 1);
        }

        Interlocked.Increment(ref _commandsFinished);
        await Json(context, 200, new JsonObject { ["stdout"] = result.Stdout, ["stderr"] = result.Stderr, ["exit_code"] = result.ExitCode });
    }

    private async Task<LoopbackCommandResult> RunAsync(string command, string id, string ns, CancellationToken cancellationToken)
    {
        var args = Split(command);
        if (args.Count == 0)
        {
            throw new CommandFailed("list index out of range");
        }

        string program = args[0];
        var rest = args.Skip(1).ToList();
        Func<IReadOnlyList<string>, CancellationToken, Task<LoopbackCommandResult>>? custom;
        lock (_gate)
        {
            _commands.TryGetValue(program, out custom);
        }

        if (custom is not null)
        {
            return await custom(rest, cancellationToken);
        }

        string sandbox = $"{(ns.Length == 0 ? "default" : ns)}/{id}";
        switch (program)
        {
            case "echo":
                return new(string.Join(' ', rest) + "\n", "", 0);
            case "true":
                return new("", "", 0);
            case "false":
                return new("", "", 1);
            case "cat":
            {
                var output = new StringBuilder();
                var errors = new StringBuilder();
                foreach (var file in rest)
                {
                    string? key = Normalize(file);
                    lock (_gate)
                    {
                        if (key is not null && Files(sandbox).TryGetValue(key, out var f))
                        {
                            output.Append(Encoding.UTF8.GetString(f.Data));
                        }
                        else
                        {
                            errors.Append(CultureInfo.InvariantCulture, $"cat: {file}: No such file or directory\n");
                        }
                    }
                }

                return new(output.ToString(), errors.ToString(), errors.Length > 0 ? 1 : 0);
            }

            case "sleep" when rest.Count == 1 && double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds):
                await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
                return new("", "", 0);
            case "print-bytes" when rest.Count == 1 && long.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count):
                return new(new string('x', checked((int)count)), "", 0);
            case "exit-with" when rest.Count >= 1 && int.TryParse(rest[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code):
                return new("", rest.Count > 1 ? string.Join(' ', rest.Skip(1)) + "\n" : "", code);
            default:
                throw new CommandFailed($"[Errno 2] No such file or directory: '{program}'");
        }
    }

    private async Task UploadAsync(HttpContext context, string sandbox)
    {
        if (!context.Request.HasFormContentType || !(context.Request.ContentType ?? "").StartsWith("multipart/form-data", StringComparison.Ordinal))
        {
            Violate($"422 /upload: not multipart/form-data (Content-Type {context.Request.ContentType})");
            await Json(context, 422, new JsonObject { ["detail"] = new JsonArray(new JsonObject { ["type"] = "missing", ["loc"] = new JsonArray("body", "file"), ["msg"] = "Field required" }) });
            return;
        }

        context.Features.Set<IFormFeature>(new FormFeature(context.Request, new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = long.MaxValue }));
        var form = await context.Request.ReadFormAsync();
        var file = form.Files.GetFile("file");
        if (file is null)
        {
            Violate("422 /upload: no multipart field 'file'");
            await Json(context, 422, new JsonObject { ["detail"] = new JsonArray(new JsonObject { ["type"] = "missing", ["loc"] = new JsonArray("body", "file"), ["msg"] = "Field required" }) });
            return;
        }

        // main.py:146-180: the filename may be a relative path; it must stay under the base directory.
        string? key = Normalize(file.FileName);
        if (key is null || key.Length == 0)
        {
            await Json(context, 403, new JsonObject { ["message"] = "Access denied" });
            return;
        }

        using var data = new MemoryStream();
        await file.CopyToAsync(data);
        bool isDirectory;
        lock (_gate)
        {
            var files = Files(sandbox);
            isDirectory = files.Keys.Any(k => k.StartsWith(key + "/", StringComparison.Ordinal));
            if (!isDirectory)
            {
                files[key] = (data.ToArray(), DateTimeOffset.UtcNow);
            }
        }

        if (isDirectory)
        {
            await Json(context, 500, new JsonObject { ["message"] = $"File upload failed: [Errno 21] Is a directory: '{file.FileName}'" });
            return;
        }

        await Json(context, 200, new JsonObject { ["message"] = $"File '{file.FileName}' uploaded successfully." });
    }

    private async Task FileAsync(HttpContext context, string sandbox, string operation, string path)
    {
        string? key = Normalize(path);
        if (key is null)
        {
            await Json(context, 403, new JsonObject { ["message"] = "Access denied" });
            return;
        }

        byte[]? data = null;
        List<JsonObject>? entries = null;
        bool isDirectory;
        lock (_gate)
        {
            var files = Files(sandbox);
            if (files.TryGetValue(key, out var f))
            {
                data = f.Data;
            }

            isDirectory = key.Length == 0 || files.Keys.Any(k => k.StartsWith(key + "/", StringComparison.Ordinal));
            if (isDirectory)
            {
                string prefix = key.Length == 0 ? "" : key + "/";
                entries = files.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
                    .GroupBy(p => p.Key[prefix.Length..].Split('/')[0], StringComparer.Ordinal)
                    .Select(g =>
                    {
                        bool dir = g.Any(p => p.Key.Length > prefix.Length + g.Key.Length);
                        var latest = g.Max(p => p.Value.Modified);
                        return new JsonObject
                        {
                            ["name"] = g.Key,
                            ["size"] = dir ? 4096 : g.Single().Value.Data.Length,
                            ["type"] = dir ? "directory" : "file",
                            ["mod_time"] = latest.ToUnixTimeMilliseconds() / 1000.0,
                        };
                    })
                    .OrderBy(e => (string)e["name"]!, StringComparer.Ordinal)
                    .ToList();
            }
        }

        switch (operation)
        {
            case "download" when data is not null:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/octet-stream";
                context.Response.ContentLength = data.Length;
                await context.Response.Body.WriteAsync(data);
                return;
            case "download":
                await Json(context, 404, new JsonObject { ["message"] = "File not found" });
                return;
            case "list" when entries is not null:
                await Json(context, 200, new JsonArray([.. entries]));
                return;
            case "list":
                await Json(context, 404, new JsonObject { ["message"] = "Path is not a directory" });
                return;
            default:
                await Json(context, 200, new JsonObject { ["path"] = path, ["exists"] = data is not null || isDirectory });
                return;
        }
    }

    /// <summary>
    /// The runtime's get_safe_path (main.py:48-58): the path without leading slashes, resolved under /app; null when it leaves /app.
    /// The result is relative to /app ("" for /app itself).
    /// </summary>
    private static string? Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.TrimStart('/').Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    /// <summary>Python's shlex.split (POSIX mode): quotes, backslash escapes, and "No closing quotation".</summary>
    private static List<string> Split(string command)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < command.Length; i++)
        {
            char c = command[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c == '\\')
            {
                if (++i >= command.Length)
                {
                    throw new CommandFailed("No escaped character");
                }

                current.Append(command[i]);
            }
            else if (c is '\'' or '"')
            {
                int close = i + 1;
                while (close < command.Length && command[close] != c)
                {
                    if (c == '"' && command[close] == '\\' && close + 1 < command.Length && command[close + 1] is '"' or '\\' or '$' or '`')
                    {
                        current.Append(command[++close]);
                        close++;
                        continue;
                    }

                    current.Append(command[close++]);
                }

                if (close >= command.Length)
                {
                    throw new CommandFailed("No closing quotation");
                }

                i = close;
            }
            else
            {
                current.Append(c);
            }
        }

        if (inWord)
        {
            args.Add(current.ToString());
        }

        return args;
    }

    private Dictionary<string, (byte[] Data, DateTimeOffset Modified)> Files(string sandbox)
    {
        if (!_files.TryGetValue(sandbox, out var files))
        {
            _files[sandbox] = files = new Dictionary<string, (byte[], DateTimeOffset)>(StringComparer.Ordinal);
        }

        return files;
    }

    private async Task Refuse(HttpContext context, int status, string detail)
    {
        Violate($"{status} {context.Request.Method} {context.Features.Get<IHttpRequestFeature>()!.RawTarget}: {detail}");
        await Json(context, status, new JsonObject { ["detail"] = detail });
    }

    private void Violate(string violation)
    {
        lock (_gate)
        {
            _violations.Add(violation);
        }
    }

    private static async Task Json(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8);
    }

    private sealed class CommandFailed(string message) : Exception(message);
}
