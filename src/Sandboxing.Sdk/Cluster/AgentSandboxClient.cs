using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s;

namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// Claims agent sandboxes (kubernetes-sigs/agent-sandbox <c>SandboxClaim</c>s, <c>extensions.agents.x-k8s.io/v1beta1</c>) and opens
/// sessions that run commands and move files through the sandbox router. It is the agent-sandbox Go client's protocol
/// (agent-sandbox 2fd412d clients/go/sandbox) with the Python client's fail-fast waits, and one gate of its own: it claims only from
/// templates whose pods run in a sandbox runtime class (Kata), so untrusted agent code never runs on the node's shared kernel.
/// </summary>
public sealed class AgentSandboxClient : IAsyncDisposable
{
    /// <summary>The name of the client's <see cref="ActivitySource"/>: spans <c>sandbox-client.claim</c>, <c>run</c>, <c>write</c>, <c>read</c>, <c>list</c>, <c>exists</c>, <c>release</c>.</summary>
    public const string ActivitySourceName = "Sandboxing.Sdk.AgentSandboxes";

    // spec.additionalPodMetadata keys the controller refuses (agent-sandbox 2fd412d extensions/api/v1beta1/sandboxclaim_types.go:118-122,
    // extensions/controllers/sandboxclaim_controller.go:112-113).
    private static readonly string[] s_reservedDomains = ["kubernetes.io", "k8s.io", "agents.x-k8s.io"];
    private const string SafeToEvict = "cluster-autoscaler.kubernetes.io/safe-to-evict";

    private readonly AgentSandboxApi _api;
    private readonly AgentSandboxClientOptions _options;
    private readonly AgentSandboxGate _gate;
    private readonly HttpClient _http;
    private readonly object _sessionsLock = new();
    private readonly List<AgentSandboxSession> _sessions = [];
    private bool _disposed;

    /// <summary>Creates a client over a Kubernetes client (from a kubeconfig, or in-cluster).</summary>
    /// <param name="kubernetes">The Kubernetes client; the client does not dispose of it.</param>
    /// <param name="options">Connectivity and timeouts; null for the defaults (port-forward to <c>sandbox-router-svc</c>).</param>
    /// <exception cref="ArgumentException">An option is out of range, or <see cref="AgentSandboxClientOptions.AllowedRuntimeClasses"/> lists a class that is not a sandbox.</exception>
    public AgentSandboxClient(IKubernetes kubernetes, AgentSandboxClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        _options = options ?? new AgentSandboxClientOptions();
        Check(_options);
        _gate = AgentSandboxGate.From(_options);
        _api = new AgentSandboxApi(kubernetes);

        // Redirects are never followed (clients/go/sandbox/connector.go:128-130): a redirect would carry the routing headers and
        // the bearer token elsewhere. The deadlines are the client's own, so the HttpClient's is off.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// Claims a sandbox from the warm pool <paramref name="warmPoolName"/> (a <c>SandboxClaim</c> with <c>spec.warmPoolRef</c>) and
    /// waits until it is Ready, within <see cref="AgentSandboxClientOptions.ReadyTimeout"/>. An empty pool cold-starts a sandbox from
    /// its template. Before claiming, the pool's template must name an allowed sandbox runtime class.
    /// </summary>
    /// <param name="warmPoolName">The <c>SandboxWarmPool</c>'s name.</param>
    /// <param name="namespace">The namespace of the pool, where the claim is made.</param>
    /// <param name="options">The claim's lifetime and metadata; null for none.</param>
    /// <param name="cancellationToken">Cancels the wait; the claim is then deleted.</param>
    /// <returns>The session; release or dispose of it to delete the claim.</returns>
    /// <exception cref="AgentSandboxException">The pool or template is missing or not sandboxed, the claim failed, expired or timed out (the claim is deleted).</exception>
    public async Task<AgentSandboxSession> ClaimAsync(
        string warmPoolName, string @namespace, AgentSandboxClaimOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckName(warmPoolName, nameof(warmPoolName));
        CheckName(@namespace, nameof(@namespace));
        CheckPodMetadata(options);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var activity = AgentSandboxTelemetry.Start("claim", @namespace);
        activity?.SetTag(AgentSandboxTelemetry.Pool, warmPoolName);
        try
        {
            var pool = await _api.GetAsync(AgentSandboxApi.ExtensionsGroup, AgentSandboxApi.Pools, @namespace, warmPoolName, null, cancellationToken).ConfigureAwait(false)
                ?? throw new AgentSandboxException(AgentSandboxError.NotFound,
                    $"SandboxWarmPool '{warmPoolName}' does not exist in namespace '{@namespace}'. Create it with its template, for example " +
                    $"'sandboxing agent template <template> --image <image> --warm 1' (kubectl apply -n {@namespace} its output), or claim with " +
                    "AgentSandboxClient.ClaimFromTemplateAsync.", @namespace, reason: "WarmPoolNotFound");
            string templateName = (string?)pool["spec"]?["sandboxTemplateRef"]?["name"] ?? "";
            await CheckTemplateAsync(@namespace, templateName, $"SandboxWarmPool {@namespace}/{warmPoolName}", cancellationToken).ConfigureAwait(false);
            return await ClaimPoolAsync(warmPoolName, @namespace, options, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            AgentSandboxTelemetry.Fail(activity, ex);
            throw;
        }
    }

    /// <summary>
    /// Claims a sandbox from the template <paramref name="templateName"/>. In v1beta1 a claim names a pool, not a template
    /// (agent-sandbox 2fd412d extensions/api/v1beta1/sandboxclaim_types.go:110-112): the claim uses a pool that names the template, and
    /// when there is none, creates <c>&lt;template&gt;-cold</c> with <c>replicas: 0</c>, whose claims cold-start from the template.
    /// </summary>
    /// <param name="templateName">The <c>SandboxTemplate</c>'s name.</param>
    /// <param name="namespace">The namespace of the template, where the claim is made.</param>
    /// <param name="options">The claim's lifetime and metadata; null for none.</param>
    /// <param name="cancellationToken">Cancels the wait; the claim is then deleted.</param>
    /// <returns>The session; release or dispose of it to delete the claim.</returns>
    /// <exception cref="AgentSandboxException">The template is missing or not sandboxed, the claim failed, expired or timed out (the claim is deleted).</exception>
    public async Task<AgentSandboxSession> ClaimFromTemplateAsync(
        string templateName, string @namespace, AgentSandboxClaimOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckName(templateName, nameof(templateName));
        CheckName(@namespace, nameof(@namespace));
        CheckPodMetadata(options);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var activity = AgentSandboxTelemetry.Start("claim", @namespace);
        try
        {
            await CheckTemplateAsync(@namespace, templateName, null, cancellationToken).ConfigureAwait(false);
            string pool = await PoolForTemplateAsync(@namespace, templateName, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(AgentSandboxTelemetry.Pool, pool);
            return await ClaimPoolAsync(pool, @namespace, options, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            AgentSandboxTelemetry.Fail(activity, ex);
            throw;
        }
    }

    /// <summary>
    /// Reattaches to a claim made earlier (by this or another process), after checking it is bound and Ready and that its sandbox
    /// runs in an allowed sandbox runtime class. The session this returns deletes the claim when released.
    /// </summary>
    /// <param name="claimName">The claim's name (<see cref="AgentSandboxSession.ClaimName"/>).</param>
    /// <param name="namespace">The claim's namespace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AgentSandboxException">The claim does not exist, is not Ready, expired, or its sandbox is not sandboxed.</exception>
    public async Task<AgentSandboxSession> AttachAsync(string claimName, string @namespace, CancellationToken cancellationToken = default)
    {
        CheckName(claimName, nameof(claimName));
        CheckName(@namespace, nameof(@namespace));
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var activity = AgentSandboxTelemetry.Start("attach", @namespace, claimName);
        try
        {
            var claim = await _api.GetAsync(AgentSandboxApi.ExtensionsGroup, AgentSandboxApi.Claims, @namespace, claimName, claimName, cancellationToken).ConfigureAwait(false)
                ?? throw new AgentSandboxException(AgentSandboxError.NotFound,
                    $"SandboxClaim {@namespace}/{claimName} does not exist (it was released, or expired with the Delete shutdown policy). Claim a new sandbox with ClaimAsync.",
                    @namespace, claimName);
            var wait = new AgentSandboxClaimWait(_api, @namespace, claimName, _options.TimeProvider) { WarmPoolName = (string?)claim["spec"]?["warmPoolRef"]?["name"] };
            if (!wait.IsReady(claim))
            {
                throw new AgentSandboxException(AgentSandboxError.NotReady,
                    $"SandboxClaim {@namespace}/{claimName} is not ready (conditions: {wait.LastConditions}); attach again once it is, or claim a new sandbox.",
                    @namespace, claimName);
            }

            return await OpenAsync(claim, @namespace, claimName, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            AgentSandboxTelemetry.Fail(activity, ex);
            throw;
        }
    }

    /// <summary>Releases every session this client opened and has not released (each within <see cref="AgentSandboxClientOptions.CleanupTimeout"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        AgentSandboxSession[] open;
        lock (_sessionsLock)
        {
            _disposed = true;
            open = [.. _sessions];
        }

        foreach (var session in open)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        _http.Dispose();
    }

    internal void Forget(AgentSandboxSession session)
    {
        lock (_sessionsLock)
        {
            _sessions.Remove(session);
        }
    }

    internal Task<JsonObject?> GetClaimAsync(string @namespace, string claimName, CancellationToken cancellationToken) =>
        _api.GetAsync(AgentSandboxApi.ExtensionsGroup, AgentSandboxApi.Claims, @namespace, claimName, claimName, cancellationToken);

    internal Task<bool> DeleteClaimAsync(string @namespace, string claimName, CancellationToken cancellationToken) =>
        _api.DeleteClaimAsync(@namespace, claimName, cancellationToken);

    private async Task<AgentSandboxSession> ClaimPoolAsync(
        string pool, string @namespace, AgentSandboxClaimOptions? options, Activity? activity, CancellationToken cancellationToken)
    {
        var created = await _api.CreateAsync(AgentSandboxApi.ExtensionsGroup, AgentSandboxApi.Claims, @namespace, ClaimBody(pool, @namespace, options),
            $"a SandboxClaim of SandboxWarmPool '{pool}'", cancellationToken).ConfigureAwait(false);
        string claimName = (string?)created["metadata"]?["name"] ?? throw new AgentSandboxException(AgentSandboxError.ClaimFailed,
            $"The API server created a SandboxClaim of SandboxWarmPool '{pool}' in namespace '{@namespace}' without a name.", @namespace);
        activity?.SetTag(AgentSandboxTelemetry.Claim, claimName);

        // From here on, any failure deletes the claim (agent-sandbox 2fd412d clients/go/sandbox/sandbox.go:372-399).
        try
        {
            var wait = new AgentSandboxClaimWait(_api, @namespace, claimName, _options.TimeProvider) { WarmPoolName = pool };
            JsonObject claim;
            using (var readyTimer = new CancellationTokenSource(_options.ReadyTimeout, _options.TimeProvider))
            using (var ready = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, readyTimer.Token))
            {
                try
                {
                    claim = await wait.WaitAsync(ready.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (readyTimer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new AgentSandboxException(AgentSandboxError.Timeout,
                        $"SandboxClaim {@namespace}/{claimName} (SandboxWarmPool '{pool}') was not ready within AgentSandboxClientOptions.ReadyTimeout " +
                        $"({_options.ReadyTimeout.TotalSeconds:0.#}s); last conditions: {wait.LastConditions}. A cold start of a Kata VM pulls the image on the node: " +
                        "keep warm pods in the pool (--warm), or raise ReadyTimeout.",
                        @namespace, claimName, innerException: ex);
                }
            }

            return await OpenAsync(claim, @namespace, claimName, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var rollback = await RollbackAsync(@namespace, claimName).ConfigureAwait(false);
            if (ex is AgentSandboxException failure)
            {
                throw new AgentSandboxException(failure.Error, failure.Message + " " + rollback, failure.Namespace, claimName, failure.Reason, failure.StatusCode, failure.InnerException ?? failure);
            }

            activity?.SetTag("sandbox.rollback", rollback);
            if (ex is OperationCanceledException cancelled && cancellationToken.IsCancellationRequested)
            {
                throw AgentSandboxRouter.CallerCancelled(cancelled, cancellationToken);
            }

            throw;
        }
    }

    private async Task<string> RollbackAsync(string @namespace, string claimName)
    {
        // A detached deadline: the caller's token may be the reason for the rollback.
        using var cleanup = new CancellationTokenSource(_options.CleanupTimeout, _options.TimeProvider);
        try
        {
            await _api.DeleteClaimAsync(@namespace, claimName, cleanup.Token).ConfigureAwait(false);
            return "The claim was deleted.";
        }
        catch (Exception ex) when (ex is AgentSandboxException or OperationCanceledException or HttpRequestException)
        {
            return $"Deleting the claim failed too, so SandboxClaim {@namespace}/{claimName} is orphaned ({ex.Message}): delete it with " +
                $"'kubectl delete sandboxclaim {claimName} -n {@namespace}'.";
        }
    }

    /// <summary>Reads the bound Sandbox, checks its runtime class and connects to the router.</summary>
    private async Task<AgentSandboxSession> OpenAsync(JsonObject claim, string @namespace, string claimName, Activity? activity, CancellationToken cancellationToken)
    {
        string sandboxName = (string?)claim["status"]?["sandbox"]?["name"] ?? claimName;
        activity?.SetTag(AgentSandboxTelemetry.Sandbox, sandboxName);
        var sandbox = await _api.GetAsync(AgentSandboxApi.SandboxGroup, AgentSandboxApi.Sandboxes, @namespace, sandboxName, claimName, cancellationToken).ConfigureAwait(false)
            ?? throw new AgentSandboxException(AgentSandboxError.Deleted,
                $"Sandbox {@namespace}/{sandboxName}, bound to SandboxClaim {claimName}, does not exist (it expired or was deleted).", @namespace, claimName);

        // A pool or template can be edited between the check and the claim, and a warm pod was made from the template as it was:
        // the Sandbox's own pod template is what runs.
        string? runtimeClass = (string?)sandbox["spec"]?["podTemplate"]?["spec"]?["runtimeClassName"];
        if (_gate.Problem(runtimeClass) is { } problem)
        {
            throw NotSandboxed($"Sandbox {@namespace}/{sandboxName} (bound to SandboxClaim {claimName})", problem, @namespace, claimName);
        }

        // agent-sandbox 2fd412d clients/go/sandbox/k8s.go:437-452: the pod is named by the adoption annotation, else the Sandbox's name.
        string podName = sandbox["metadata"]?["annotations"]?[AgentSandboxApi.PodNameAnnotation]?.GetValue<string>() ?? sandboxName;
        var podIPs = (sandbox["status"]?["podIPs"] as JsonArray)?.Select(ip => (string?)ip).OfType<string>()
            ?? (claim["status"]?["sandbox"]?["podIPs"] as JsonArray)?.Select(ip => (string?)ip).OfType<string>() ?? [];
        string? podIP = SelectPodIP(podIPs);

        Uri baseUrl;
        IAsyncDisposable? tunnel = null;
        if (_options.RouterUrl is { } direct)
        {
            baseUrl = direct;
        }
        else
        {
            var forward = await AgentSandboxPortForward.StartAsync(_api, _options.RouterNamespace ?? @namespace, _options.RouterServiceName, _options.RouterPort, cancellationToken).ConfigureAwait(false);
            baseUrl = forward.LocalUrl;
            tunnel = forward;
        }

        var router = new AgentSandboxRouter(_http, _options, baseUrl, @namespace, claimName, sandboxName, podIP, tunnel);
        var session = new AgentSandboxSession(this, _options, router, @namespace, claimName, sandboxName, podName, podIP);
        lock (_sessionsLock)
        {
            if (!_disposed)
            {
                _sessions.Add(session);
                return session;
            }
        }

        await router.DisposeAsync().ConfigureAwait(false);
        throw new ObjectDisposedException(nameof(AgentSandboxClient));
    }

    private async Task CheckTemplateAsync(string @namespace, string templateName, string? via, CancellationToken cancellationToken)
    {
        string owner = via is null ? "" : $" (named by {via})";
        if (templateName.Length == 0)
        {
            throw new AgentSandboxException(AgentSandboxError.NotFound, $"{via} names no SandboxTemplate (spec.sandboxTemplateRef.name).", @namespace, reason: "TemplateNotFound");
        }

        var template = await _api.GetAsync(AgentSandboxApi.ExtensionsGroup, AgentSandboxApi.Templates, @namespace, templateName, null, cancellationToken).ConfigureAwait(false)
            ?? throw new AgentSandboxException(AgentSandboxError.NotFound,
                $"SandboxTemplate '{templateName}'{owner} does not exist in namespace '{@namespace}'. Create it, for example with " +
                $"'sandboxing agent template {templateName} --image <image>' (kubectl apply -n {@namespace} its output).",
                @namespace, reason: "TemplateNotFound");
        string? runtimeClass = (string?)template["spec"]?["podTemplate"]?["spec"]?["runtimeClassName"];
        if (_gate.Problem(runtimeClass) is { } problem)
        {
            throw NotSandboxed($"SandboxTemplate {@namespace}/{templateName}{owner}", problem, @namespace, null);
        }
    }

    private AgentSandboxException NotSandboxed(string what, string problem, string @namespace, string? claimName) =>
        new(AgentSandboxError.NotSandboxed,
            $"{what} {problem}: untrusted agent code would run on the node's kernel, so the client does not claim it. Set the template's " +
            $"spec.podTemplate.spec.runtimeClassName to a sandbox class ({_gate.Describe()}): AgentSandboxes.Template(...) and " +
            "'sandboxing agent template' do so by default. A custom sandbox class goes in AgentSandboxClientOptions.AllowedRuntimeClasses.",
            @namespace, claimName);

    private async Task<string> PoolForTemplateAsync(string @namespace, string templateName, CancellationToken cancellationToken)
    {
        var pools = await _api.ListAsync(AgentSandboxApi.ExtensionsGroup, AgentSandboxApi.Pools, @namespace, cancellationToken).ConfigureAwait(false);
        var existing = pools.Where(p => (string?)p["spec"]?["sandboxTemplateRef"]?["name"] == templateName)
            .Select(p => (string?)p["metadata"]?["name"]).OfType<string>().Order(StringComparer.Ordinal).FirstOrDefault();
        if (existing is not null)
        {
            return existing;
        }

        string name = ColdPoolName(templateName);
        var pool = new JsonObject
        {
            ["apiVersion"] = $"{AgentSandboxApi.ExtensionsGroup}/{AgentSandboxApi.Version}",
            ["kind"] = "SandboxWarmPool",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = @namespace,
                ["labels"] = new JsonObject { [AgentSandboxApi.CreatedByLabel] = AgentSandboxApi.CreatedBy },
            },
            // replicas: 0 is written out: the CRD's default is 1 (extensions/api/v1beta1/sandboxwarmpool_types.go:41-46), a warm VM nobody asked for.
            ["spec"] = new JsonObject { ["replicas"] = 0, ["sandboxTemplateRef"] = new JsonObject { ["name"] = templateName } },
        };
        try
        {
            await _api.CreateAsync(AgentSandboxApi.ExtensionsGroup, AgentSandboxApi.Pools, @namespace, pool, $"SandboxWarmPool '{name}'", cancellationToken).ConfigureAwait(false);
        }
        catch (AgentSandboxException ex) when (ex.StatusCode == (int)HttpStatusCode.Conflict)
        {
            // Another client created it first: use it if it names the template.
            var other = await _api.GetAsync(AgentSandboxApi.ExtensionsGroup, AgentSandboxApi.Pools, @namespace, name, null, cancellationToken).ConfigureAwait(false);
            if ((string?)other?["spec"]?["sandboxTemplateRef"]?["name"] != templateName)
            {
                throw new AgentSandboxException(AgentSandboxError.ClaimFailed,
                    $"SandboxWarmPool {@namespace}/{name} exists but does not name SandboxTemplate '{templateName}'; rename or delete it, or claim from a pool with ClaimAsync.",
                    @namespace, innerException: ex);
            }
        }

        return name;
    }

    private static string ColdPoolName(string templateName)
    {
        const string suffix = "-cold";
        return (templateName.Length + suffix.Length <= 253 ? templateName : templateName[..(253 - suffix.Length)]) + suffix;
    }

    private JsonObject ClaimBody(string pool, string @namespace, AgentSandboxClaimOptions? options)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var labels = new JsonObject();
        foreach (var (key, value) in options?.Labels ?? new Dictionary<string, string>())
        {
            labels[key] = value;
        }

        // agent-sandbox 2fd412d clients/go/sandbox/k8s.go:142-180: generateName, the created-by label, the request time and the
        // caller's trace context (a JSON W3C carrier, internal/metrics/tracing.go:38) that the controller propagates to the Sandbox.
        labels[AgentSandboxApi.CreatedByLabel] = AgentSandboxApi.CreatedBy;
        var annotations = new JsonObject
        {
            [AgentSandboxApi.FirstRequestedAtAnnotation] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        };
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } current)
        {
            var carrier = new JsonObject { ["traceparent"] = current.Id };
            if (current.TraceStateString is { Length: > 0 } state)
            {
                carrier["tracestate"] = state;
            }

            annotations[AgentSandboxApi.TraceContextAnnotation] = carrier.ToJsonString();
        }

        var spec = new JsonObject { ["warmPoolRef"] = new JsonObject { ["name"] = pool } };
        if (options?.ShutdownAfter is { } after)
        {
            spec["lifecycle"] = new JsonObject
            {
                ["shutdownTime"] = (now + after).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["shutdownPolicy"] = options.ShutdownPolicy.ToString(),
            };
        }

        if (options is { PodLabels.Count: > 0 } or { PodAnnotations.Count: > 0 })
        {
            var metadata = new JsonObject();
            if (options.PodLabels.Count > 0)
            {
                metadata["labels"] = new JsonObject(options.PodLabels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
            }

            if (options.PodAnnotations.Count > 0)
            {
                metadata["annotations"] = new JsonObject(options.PodAnnotations.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
            }

            spec["additionalPodMetadata"] = metadata;
        }

        return new JsonObject
        {
            ["apiVersion"] = $"{AgentSandboxApi.ExtensionsGroup}/{AgentSandboxApi.Version}",
            ["kind"] = "SandboxClaim",
            ["metadata"] = new JsonObject
            {
                ["generateName"] = "sandbox-claim-",
                ["namespace"] = @namespace,
                ["labels"] = labels,
                ["annotations"] = annotations,
            },
            ["spec"] = spec,
        };
    }

    /// <summary>The first IPv4 address, else the first valid address (agent-sandbox 2fd412d clients/go/sandbox/ip.go:28-43).</summary>
    internal static string? SelectPodIP(IEnumerable<string> ips)
    {
        string? first = null;
        foreach (var text in ips)
        {
            if (!IPAddress.TryParse(text.Trim(), out var ip))
            {
                continue;
            }

            if (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            {
                return ip.ToString();
            }

            if (ip.IsIPv4MappedToIPv6)
            {
                return ip.MapToIPv4().ToString();
            }

            first ??= ip.ToString();
        }

        return first;
    }

    private static void CheckPodMetadata(AgentSandboxClaimOptions? options)
    {
        if (options is null)
        {
            return;
        }

        if (options.ShutdownAfter is { } after && after <= TimeSpan.Zero)
        {
            throw new ArgumentException($"AgentSandboxClaimOptions.ShutdownAfter must be positive (got {after}).", nameof(options));
        }

        foreach (var (member, keys) in new[] { ("PodLabels", options.PodLabels.Keys), ("PodAnnotations", options.PodAnnotations.Keys) })
        {
            foreach (var key in keys)
            {
                if (member == "PodAnnotations" && key == SafeToEvict)
                {
                    continue;
                }

                int slash = key.IndexOf('/', StringComparison.Ordinal);
                string domain = slash < 0 ? "" : key[..slash];
                if (s_reservedDomains.Any(d => domain == d || domain.EndsWith("." + d, StringComparison.Ordinal)))
                {
                    throw new ArgumentException(
                        $"AgentSandboxClaimOptions.{member}: the key '{key}' is in the reserved domain '{domain}'; the agent-sandbox controller refuses keys in " +
                        "kubernetes.io, k8s.io and agents.x-k8s.io (Ready=False InvalidMetadata). Use a key in your own domain.", nameof(options));
                }
            }
        }
    }

    private static void CheckName(string value, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameter);
        if (!KubernetesNames.IsSubdomain(value))
        {
            throw new ArgumentException($"'{value}' is not a Kubernetes name (a DNS subdomain: lowercase letters, digits, '-' and '.').", parameter);
        }
    }

    private static void Check(AgentSandboxClientOptions options)
    {
        if (options.RouterUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https") || url.Host.Length == 0))
        {
            throw new ArgumentException($"AgentSandboxClientOptions.RouterUrl must be an absolute http or https URL with a host (got '{url}').", nameof(options));
        }

        foreach (var (name, value) in new[]
        {
            ("ReadyTimeout", options.ReadyTimeout), ("RequestTimeout", options.RequestTimeout), ("PerAttemptTimeout", options.PerAttemptTimeout),
            ("CleanupTimeout", options.CleanupTimeout),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentException($"AgentSandboxClientOptions.{name} must be positive (got {value}).", nameof(options));
            }
        }

        if (options.ServerPort is < 1 or > 65535 || options.RouterPort is < 1 or > 65535)
        {
            throw new ArgumentException("AgentSandboxClientOptions.ServerPort and RouterPort must be TCP ports (1-65535).", nameof(options));
        }

        if (options.MaxDownloadBytes <= 0 || options.MaxUploadBytes <= 0)
        {
            throw new ArgumentException("AgentSandboxClientOptions.MaxDownloadBytes and MaxUploadBytes must be positive.", nameof(options));
        }

        if (options.RouterUrl is null && string.IsNullOrWhiteSpace(options.RouterServiceName))
        {
            throw new ArgumentException("AgentSandboxClientOptions.RouterServiceName is empty: name the router Service, or set RouterUrl.", nameof(options));
        }
    }
}
