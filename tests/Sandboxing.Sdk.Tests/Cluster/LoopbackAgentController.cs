// To reuse from another test assembly, link this file with LoopbackSandboxRouter.cs and FakeApiServer.cs:
//   <Compile Include="../Sandboxing.Sdk.Tests/Cluster/LoopbackAgentController.cs" />
//   <Compile Include="../Sandboxing.Sdk.Tests/Cluster/LoopbackSandboxRouter.cs" />
//   <Compile Include="../Sandboxing.Sdk.Tests/Cluster/FakeApiServer.cs" />
// and add <FrameworkReference Include="Microsoft.AspNetCore.App" />. FakeApiServer.cs needs the SDK (it reads custom resources as the SDK does).
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>
/// The Kubernetes API server with the agent-sandbox CRDs installed and their controller running (kubernetes-sigs/agent-sandbox
/// 2fd412d), on top of <see cref="FakeApiServer"/>. It serves <c>SandboxClaim</c>s (create with generateName, get, list and watch
/// by field selector, delete), <c>Sandbox</c>es (get, list, watch), <c>SandboxTemplate</c>s and <c>SandboxWarmPool</c>s (get, list,
/// create), EndpointSlices (list by label) and pod port-forward (to a TCP target, <see cref="ForwardPort"/>), checking each request as the API server would (method, query, content type, the
/// object's apiVersion/kind/namespace/name and, through <see cref="ValidateBody"/>, the CRD schema), and plays the controller: a claim
/// is bound to a Sandbox (adopted from the warm pool, or cold-started under the claim's name), which becomes Ready after
/// <see cref="ReadyDelay"/>; claims of a missing pool or template report WarmPoolNotFound / TemplateNotFound; <c>shutdownTime</c>
/// expires a claim (ClaimExpired); deleting a claim deletes its Sandbox.
/// </summary>
public sealed class LoopbackAgentController : IAsyncDisposable
{
    /// <summary>The group of claims, templates and pools.</summary>
    public const string ExtensionsGroup = "extensions.agents.x-k8s.io";

    /// <summary>The group of Sandboxes.</summary>
    public const string SandboxGroup = "agents.x-k8s.io";

    private const string Version = "v1beta1";

    // The generateName suffix alphabet of the API server (k8s.io/apiserver names.SimpleNameGenerator: no vowels, no 0/1/3).
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private sealed record Kind(string Group, string Plural, string Name, bool HasStatus, string[] Verbs);

    private static readonly Kind[] s_kinds =
    [
        new(ExtensionsGroup, "sandboxclaims", "SandboxClaim", true, ["create", "get", "list", "watch", "delete"]),
        new(ExtensionsGroup, "sandboxwarmpools", "SandboxWarmPool", true, ["create", "get", "list", "delete"]),
        new(ExtensionsGroup, "sandboxtemplates", "SandboxTemplate", false, ["create", "get", "list", "delete"]),
        new(SandboxGroup, "sandboxes", "Sandbox", true, ["get", "list", "watch"]),
    ];

    private static readonly HashSet<string> s_listQuery = new(StringComparer.Ordinal)
    {
        "labelSelector", "fieldSelector", "limit", "continue", "resourceVersion", "resourceVersionMatch", "watch", "allowWatchBookmarks", "timeoutSeconds",
        "sendInitialEvents",
    };

    private static readonly System.Text.RegularExpressions.Regex s_subdomain =
        new(@"^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private readonly object _gate = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<Event> _events = [];
    private readonly Dictionary<string, List<(string Pod, bool Ready)>> _routerEndpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Uri> _forwards = new(StringComparer.Ordinal);
    private readonly List<string> _portForwards = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _watchesClosed = new();
    private long _compactedBefore;
    private int _podCounter;

    private sealed record Event(long ResourceVersion, string Key, string Type, JsonObject Object);

    private LoopbackAgentController(FakeApiServer server)
    {
        Server = server;
        server.Extension = HandleAsync;
    }

    /// <summary>The API server (its requests, violations and faults).</summary>
    public FakeApiServer Server { get; }

    /// <summary>How long a bound Sandbox takes to become Ready (a VM booting). Default none.</summary>
    public TimeSpan ReadyDelay { get; set; }

    /// <summary>Binds claims but never makes their Sandboxes Ready (a pod that never starts).</summary>
    public bool NeverReady { get; set; }

    /// <summary>When set, sandboxes become Ready only once this task completes (after <see cref="ReadyDelay"/>): a test orders events without timing.</summary>
    public Task? ReadyWhen { get; set; }

    /// <summary>When set, every new claim is refused with this Ready=False reason and message (e.g. InvalidMetadata).</summary>
    public (string Reason, string Message)? ClaimFailure { get; set; }

    /// <summary>Changes each Sandbox the controller creates before it is stored (e.g. a template edited to runc after the check).</summary>
    public Action<JsonObject>? MutateSandbox { get; set; }

    /// <summary>
    /// Validates a created object's JSON against its CRD (the errors, empty when valid); the API server answers 422 with them. In this
    /// assembly: <c>json =&gt; CrdSchema.AgentSandbox.Errors(json)</c>.
    /// </summary>
    public Func<string, IReadOnlyList<string>>? ValidateBody { get; set; }

    /// <summary>The controller's clock, for <c>spec.lifecycle.shutdownTime</c>. Default the system clock.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Starts an API server that plays the agent-sandbox controller.</summary>
    public static async Task<LoopbackAgentController> StartAsync() => new(await FakeApiServer.StartAsync());

    /// <summary>A real Kubernetes client pointed at the server.</summary>
    public IKubernetes Client() => Server.Client();

    /// <summary>Stores an object (a SandboxTemplate or SandboxWarmPool from the SDK's builders, or any agent-sandbox object) as if applied.</summary>
    public JsonObject Add(IKubernetesObject obj)
    {
        if (obj is not UnstructuredObject custom)
        {
            return Add(JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject());
        }

        // The SDK's custom resources keep their fields as plain dictionaries, lists and scalars.
        var json = new JsonObject
        {
            ["apiVersion"] = custom.ApiVersion,
            ["kind"] = custom.Kind,
            ["metadata"] = JsonNode.Parse(KubernetesJson.Serialize(custom.Metadata)),
        };
        foreach (var (field, value) in custom.Fields)
        {
            json[field] = System.Text.Json.JsonSerializer.SerializeToNode(value);
        }

        return Add(json);
    }

    /// <summary>Stores an object given as JSON (namespace "default" when it has none).</summary>
    public JsonObject Add(JsonObject obj)
    {
        var kind = s_kinds.Single(k => k.Name == (string?)obj["kind"]);
        var meta = (JsonObject)obj["metadata"]!;
        meta["namespace"] ??= "default";
        meta["uid"] ??= Guid.NewGuid().ToString();
        meta["creationTimestamp"] ??= Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        Defaults(kind, obj);
        lock (_gate)
        {
            Put(Key(kind.Plural, (string)meta["namespace"]!, (string)meta["name"]!), obj, "ADDED");
        }

        return (JsonObject)obj.DeepClone();
    }

    /// <summary>A SandboxTemplate whose pods run <paramref name="runtimeClassName"/> (null: none) and the python runtime on 8888.</summary>
    public JsonObject AddTemplate(string @namespace, string name, string? runtimeClassName = "kata-vm-isolation")
    {
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "runtime",
                ["image"] = "us-central1-docker.pkg.dev/k8s-staging-images/agent-sandbox/python-runtime-sandbox:latest-main",
                ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8888 }),
            }),
        };
        if (runtimeClassName is not null)
        {
            spec["runtimeClassName"] = runtimeClassName;
        }

        return Add(new JsonObject
        {
            ["apiVersion"] = $"{ExtensionsGroup}/{Version}",
            ["kind"] = "SandboxTemplate",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
            ["spec"] = new JsonObject { ["podTemplate"] = new JsonObject { ["spec"] = spec } },
        });
    }

    /// <summary>A SandboxWarmPool of <paramref name="replicas"/> warm Sandboxes of <paramref name="template"/>.</summary>
    public JsonObject AddWarmPool(string @namespace, string name, string template, int replicas = 1) => Add(new JsonObject
    {
        ["apiVersion"] = $"{ExtensionsGroup}/{Version}",
        ["kind"] = "SandboxWarmPool",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
        ["spec"] = new JsonObject { ["replicas"] = replicas, ["sandboxTemplateRef"] = new JsonObject { ["name"] = template } },
    });

    /// <summary>The pods behind a Service, as its EndpointSlice lists them (the router's, for port-forward mode).</summary>
    public void AddServiceEndpoints(string @namespace, string service, params (string Pod, bool Ready)[] endpoints)
    {
        lock (_gate)
        {
            _routerEndpoints[$"{@namespace}/{service}"] = [.. endpoints];
        }
    }

    /// <summary>
    /// Makes port-forward to <paramref name="pod"/>'s <paramref name="port"/> reach <paramref name="target"/> (the loopback router's
    /// URL): the kubelet's end of <c>kubectl port-forward</c>. Only pods listed here can be port-forwarded to.
    /// </summary>
    public void ForwardPort(string @namespace, string pod, int port, Uri target)
    {
        lock (_gate)
        {
            _forwards[$"{@namespace}/{pod}:{port}"] = target;
        }
    }

    /// <summary>Port-forward connections opened, by "namespace/pod:port".</summary>
    public IReadOnlyList<string> PortForwards { get { lock (_gate) { return _portForwards.ToList(); } } }

    /// <summary>The stored object, or null.</summary>
    public JsonObject? Get(string plural, string @namespace, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(Key(plural, @namespace, name), out var o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    /// <summary>The stored objects of a kind (by plural) in a namespace.</summary>
    public IReadOnlyList<JsonObject> List(string plural, string @namespace)
    {
        lock (_gate)
        {
            return _objects.Where(o => o.Key.StartsWith($"{plural}/{@namespace}/", StringComparison.Ordinal)).Select(o => (JsonObject)o.Value.DeepClone()).ToList();
        }
    }

    /// <summary>The claims in a namespace.</summary>
    public IReadOnlyList<JsonObject> Claims(string @namespace) => List("sandboxclaims", @namespace);

    /// <summary>A Sandbox's pod IP when the Sandbox exists and is Ready, else null (what the router can reach).</summary>
    public string? ReadyPodIP(string @namespace, string sandboxName)
    {
        var sandbox = Get("sandboxes", @namespace, sandboxName);
        bool ready = (sandbox?["status"]?["conditions"] as JsonArray)?.Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True") == true;
        return ready ? (string?)sandbox!["status"]?["podIPs"]?[0] : null;
    }

    /// <summary>Expires a claim now, as its <c>shutdownTime</c> would: by its shutdownPolicy (Retain, the default, keeps it with ClaimExpired).</summary>
    public void Expire(string @namespace, string claimName)
    {
        lock (_gate)
        {
            if (!_objects.TryGetValue(Key("sandboxclaims", @namespace, claimName), out var claim))
            {
                return;
            }

            string policy = (string?)claim["spec"]?["lifecycle"]?["shutdownPolicy"] ?? "Retain";
            DeleteSandboxOf(claim);
            if (policy is "Delete" or "DeleteForeground")
            {
                Remove(Key("sandboxclaims", @namespace, claimName));
                return;
            }

            // sandboxclaim_controller.go:276-307: Retain deletes the Sandbox and keeps the claim, Ready=False ClaimExpired.
            var updated = (JsonObject)claim.DeepClone();
            SetReady(updated, "False", "ClaimExpired", "Claim expired at its shutdownTime");
            ((JsonObject)updated["status"]!).Remove("sandbox");
            Put(Key("sandboxclaims", @namespace, claimName), updated, "MODIFIED");
        }
    }

    /// <summary>Deletes an object as another client would (a claim's Sandbox goes with it).</summary>
    public void Delete(string plural, string @namespace, string name)
    {
        lock (_gate)
        {
            if (_objects.TryGetValue(Key(plural, @namespace, name), out var obj) && plural == "sandboxclaims")
            {
                DeleteSandboxOf(obj);
            }

            Remove(Key(plural, @namespace, name));
        }
    }

    /// <summary>Deletes a Sandbox behind its claim's back (a node lost, an operator's kubectl delete).</summary>
    public void DeleteSandbox(string @namespace, string name)
    {
        lock (_gate)
        {
            Remove(Key("sandboxes", @namespace, name));
        }
    }

    /// <summary>Forgets the watch history: a watch from an older resourceVersion gets 410 Expired, as after an etcd compaction.</summary>
    public void CompactHistory()
    {
        lock (_gate)
        {
            _compactedBefore = long.Parse(NextVersion(), CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Ends every open watch (a proxy or the API server closing them), so clients list and watch again.</summary>
    public void CloseWatches()
    {
        CancellationTokenSource old;
        lock (_gate)
        {
            old = _watchesClosed;
            _watchesClosed = new CancellationTokenSource();
        }

        old.Cancel();
    }

    /// <summary>Stops the controller and the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Server.DisposeAsync();
        _stop.Dispose();
    }

    // ---- the API -------------------------------------------------------------------------------------------------------------

    private async Task<bool> HandleAsync(HttpContext context, RecordedRequest request)
    {
        var parts = request.Path.Trim('/').Split('/');
        if (parts is ["apis", "discovery.k8s.io", "v1", "namespaces", var sliceNs, "endpointslices"] && request.Method == "GET")
        {
            await WriteAsync(context, EndpointSlices(sliceNs, request.Query));
            return true;
        }

        if (parts is ["api", "v1", "namespaces", var podNs, "pods", var pod, "portforward"])
        {
            await PortForwardAsync(context, podNs, pod, request);
            return true;
        }

        // /apis/{group}/v1beta1/namespaces/{ns}/{plural}[/{name}]
        if (parts.Length is not (6 or 7) || parts[0] != "apis" || parts[2] != Version || parts[3] != "namespaces"
            || s_kinds.FirstOrDefault(k => k.Group == parts[1] && k.Plural == parts[5]) is not { } kind)
        {
            return false;
        }

        string ns = parts[4];
        string? name = parts.Length == 7 ? parts[6] : null;
        bool watch = request.Query.TryGetValue("watch", out var w) && w is "true" or "1";
        string verb = (request.Method, name, watch) switch
        {
            ("POST", null, _) => "create",
            ("GET", null, true) => "watch",
            ("GET", null, false) => "list",
            ("GET", not null, _) => "get",
            ("DELETE", not null, _) => "delete",
            ("PATCH", not null, _) when kind.Plural == "sandboxes" => "apply",
            _ => "unsupported",
        };
        if (verb == "apply")
        {
            return false; // server-side apply of a Sandbox: FakeApiServer's own
        }

        if (!kind.Verbs.Contains(verb))
        {
            await WriteAsync(context, Violation(405, "MethodNotAllowed", $"{request.Method} {request.Path}: the client has no reason to {verb} {kind.Plural}"));
            return true;
        }

        if (!Server.Namespaces.Contains(ns))
        {
            await WriteAsync(context, (404, FakeApiServer.Status(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" })));
            return true;
        }

        switch (verb)
        {
            case "create":
                await WriteAsync(context, Create(kind, ns, request));
                break;
            case "get":
                await WriteAsync(context, GetOne(kind, ns, name!, request.Query));
                break;
            case "list":
                await WriteAsync(context, ListAll(kind, ns, request.Query));
                break;
            case "watch":
                await WatchAsync(context, kind, ns, request.Query);
                break;
            case "delete":
                await WriteAsync(context, Delete(kind, ns, name!, request));
                break;
        }

        return true;
    }

    private (int, JsonNode) Create(Kind kind, string ns, RecordedRequest request)
    {
        if (request.ContentType?.Split(';')[0].Trim() != "application/json")
        {
            return Violation(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json (got {request.ContentType})");
        }

        JsonObject obj;
        try
        {
            obj = JsonNode.Parse(request.Body)!.AsObject();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            return Violation(400, "BadRequest", $"the body is not a JSON object: {ex.Message}");
        }

        if ((string?)obj["apiVersion"] != $"{kind.Group}/{Version}" || (string?)obj["kind"] != kind.Name)
        {
            return Violation(400, "BadRequest", $"the API version in the data ({(string?)obj["apiVersion"]}) and kind ({(string?)obj["kind"]}) do not match the path ({kind.Group}/{Version} {kind.Name})");
        }

        var meta = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = meta;
        if (meta["namespace"] is { } bodyNs && (string?)bodyNs != ns)
        {
            return Violation(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
        }

        if (meta["resourceVersion"] is not null)
        {
            return Violation(400, "BadRequest", "metadata.resourceVersion: Invalid value: must be unspecified on create");
        }

        string? name = (string?)meta["name"];
        string? generateName = (string?)meta["generateName"];
        if (string.IsNullOrEmpty(name) && string.IsNullOrEmpty(generateName))
        {
            return Invalid(kind, "", "metadata.name", "FieldValueRequired", "name or generateName is required");
        }

        if (kind.HasStatus)
        {
            obj.Remove("status"); // the status subresource: a create's status is ignored
        }

        if (ValidateBody?.Invoke(obj.ToJsonString()) is { Count: > 0 } errors)
        {
            return Invalid(kind, name ?? generateName!, errors[0].Split(':')[0], "FieldValueInvalid", string.Join("; ", errors));
        }

        lock (_gate)
        {
            if (string.IsNullOrEmpty(name))
            {
                do
                {
                    name = generateName + new string(Enumerable.Range(0, 5).Select(_ => NameAlphabet[Random.Shared.Next(NameAlphabet.Length)]).ToArray());
                }
                while (_objects.ContainsKey(Key(kind.Plural, ns, name)));
            }

            if (!s_subdomain.IsMatch(name))
            {
                return Invalid(kind, name, "metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'");
            }

            string key = Key(kind.Plural, ns, name);
            if (_objects.ContainsKey(key))
            {
                return (409, FakeApiServer.Status(409, "AlreadyExists", $"{kind.Plural}.{kind.Group} \"{name}\" already exists",
                    new JsonObject { ["name"] = name, ["group"] = kind.Group, ["kind"] = kind.Plural }));
            }

            meta["name"] = name;
            meta["namespace"] = ns;
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            Defaults(kind, obj);
            var stored = Put(key, obj, "ADDED");
            if (kind.Plural == "sandboxclaims")
            {
                _ = Task.Run(() => ReconcileClaimAsync(ns, name));
            }

            return (201, stored);
        }
    }

    private (int, JsonNode) GetOne(Kind kind, string ns, string name, IReadOnlyDictionary<string, string> query)
    {
        foreach (var key in query.Keys.Where(k => k != "resourceVersion"))
        {
            return Violation(400, "BadRequest", $"unknown query parameter {key} for a get");
        }

        var found = Get(kind.Plural, ns, name);
        return found is null ? NotFound(kind, name) : (200, found);
    }

    private (int, JsonNode) ListAll(Kind kind, string ns, IReadOnlyDictionary<string, string> query)
    {
        if (CheckListQuery(kind, query) is { } problem)
        {
            return problem;
        }

        var items = new JsonArray();
        string resourceVersion;
        lock (_gate)
        {
            foreach (var (key, obj) in _objects.Where(o => o.Key.StartsWith($"{kind.Plural}/{ns}/", StringComparison.Ordinal)).OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                if (Matches(obj, query))
                {
                    items.Add(obj.DeepClone());
                }
            }

            resourceVersion = CurrentVersion();
        }

        return (200, new JsonObject
        {
            ["apiVersion"] = $"{kind.Group}/{Version}",
            ["kind"] = kind.Name + "List",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["items"] = items,
        });
    }

    private async Task WatchAsync(HttpContext context, Kind kind, string ns, IReadOnlyDictionary<string, string> query)
    {
        if (CheckListQuery(kind, query) is { } problem)
        {
            await WriteAsync(context, problem);
            return;
        }

        int seconds = query.TryGetValue("timeoutSeconds", out var t) && int.TryParse(t, CultureInfo.InvariantCulture, out var s) ? s : 1800;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        CancellationToken closed;
        lock (_gate)
        {
            closed = _watchesClosed.Token;
        }

        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stop.Token, timeout.Token, closed);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync();
        string prefix = $"{kind.Plural}/{ns}/";
        long from;
        var pending = new List<Event>();
        lock (_gate)
        {
            string rv = query.GetValueOrDefault("resourceVersion") ?? "";
            if (rv is "" or "0")
            {
                // No resourceVersion: the current state as ADDED events, then the changes.
                from = long.Parse(CurrentVersion(), CultureInfo.InvariantCulture);
                pending.AddRange(_objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(o => new Event(from, o.Key, "ADDED", o.Value)));
            }
            else if (!long.TryParse(rv, CultureInfo.InvariantCulture, out from) || from < _compactedBefore)
            {
                pending.Add(new Event(0, "", "ERROR", FakeApiServer.Status(410, "Expired", $"too old resource version: {rv} ({_compactedBefore})")));
                from = long.MaxValue;
            }
        }

        try
        {
            while (true)
            {
                foreach (var e in pending)
                {
                    if (e.Type == "ERROR" || (e.Key.StartsWith(prefix, StringComparison.Ordinal) && Matches(e.Object, query)))
                    {
                        var line = new JsonObject { ["type"] = e.Type, ["object"] = e.Object.DeepClone() }.ToJsonString() + "\n";
                        await context.Response.WriteAsync(line, end.Token);
                        await context.Response.Body.FlushAsync(end.Token);
                    }

                    if (e.Type == "ERROR")
                    {
                        return;
                    }
                }

                Task changed;
                lock (_gate)
                {
                    pending = _events.Where(e => e.ResourceVersion > from).ToList();
                    from = _events.Count > 0 ? Math.Max(from, _events[^1].ResourceVersion) : from;
                    changed = _changed.Task;
                }

                if (pending.Count == 0)
                {
                    await changed.WaitAsync(end.Token);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The watch ends: its timeout, the client went away, or CloseWatches.
        }
    }

    private (int, JsonNode) Delete(Kind kind, string ns, string name, RecordedRequest request)
    {
        foreach (var key in request.Query.Keys.Where(k => k is not ("propagationPolicy" or "gracePeriodSeconds" or "dryRun")))
        {
            return Violation(400, "BadRequest", $"unknown query parameter {key} for a delete");
        }

        if (request.Body.Length > 0)
        {
            if (request.ContentType?.Split(';')[0].Trim() != "application/json")
            {
                return Violation(415, "UnsupportedMediaType", $"a DeleteOptions body must be application/json (got {request.ContentType})");
            }

            var options = JsonNode.Parse(request.Body) as JsonObject;
            if ((string?)options?["propagationPolicy"] is { } policy && policy is not ("Background" or "Foreground" or "Orphan"))
            {
                return Violation(400, "BadRequest", $"propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
            }
        }

        lock (_gate)
        {
            string key = Key(kind.Plural, ns, name);
            if (!_objects.TryGetValue(key, out var obj))
            {
                return NotFound(kind, name);
            }

            Remove(key);
            if (kind.Plural == "sandboxclaims")
            {
                DeleteSandboxOf(obj); // the garbage collector follows the owner reference
            }

            // Deleted at once (no finalizers): the API server answers with a Success Status.
            return (200, new JsonObject
            {
                ["kind"] = "Status",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject(),
                ["status"] = "Success",
                ["details"] = new JsonObject { ["name"] = name, ["group"] = kind.Group, ["kind"] = kind.Plural, ["uid"] = (string?)obj["metadata"]?["uid"] },
            });
        }
    }

    private (int, JsonNode) EndpointSlices(string ns, IReadOnlyDictionary<string, string> query)
    {
        string selector = query.GetValueOrDefault("labelSelector") ?? "";
        const string label = "kubernetes.io/service-name=";
        if (!selector.StartsWith(label, StringComparison.Ordinal) || selector.Contains(',', StringComparison.Ordinal))
        {
            return Violation(400, "BadRequest", $"the client lists a Service's EndpointSlices by '{label}<service>' (got labelSelector={selector})");
        }

        string service = selector[label.Length..];
        List<(string Pod, bool Ready)>? endpoints;
        lock (_gate)
        {
            _routerEndpoints.TryGetValue($"{ns}/{service}", out endpoints);
        }

        var list = new V1EndpointSliceList
        {
            Metadata = new V1ListMeta { ResourceVersion = CurrentVersion() },
            Items = endpoints is null ? [] :
            [
                new V1EndpointSlice
                {
                    Metadata = new V1ObjectMeta { Name = service + "-abcde", NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service } },
                    AddressType = "IPv4",
                    Endpoints = endpoints.Select((e, i) => new V1Endpoint
                    {
                        Addresses = [$"10.244.9.{i + 1}"],
                        Conditions = new V1EndpointConditions { Ready = e.Ready },
                        TargetRef = new V1ObjectReference { Kind = "Pod", Name = e.Pod, NamespaceProperty = ns },
                    }).ToList(),
                    Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
                },
            ],
        }.Initialize();
        return (200, JsonNode.Parse(KubernetesJson.Serialize(list))!);
    }

    /// <summary>
    /// The pod port-forward WebSocket (subprotocol <c>v4.channel.k8s.io</c>): per forwarded port a data channel and an error
    /// channel, each opened by a frame holding the port (little-endian), then frames of [channel][bytes]. The bytes go to and from
    /// a TCP connection to the port's target.
    /// </summary>
    private async Task PortForwardAsync(HttpContext context, string ns, string pod, RecordedRequest request)
    {
        if (request.Method != "GET" || !context.WebSockets.IsWebSocketRequest)
        {
            await WriteAsync(context, Violation(400, "BadRequest", $"{request.Method} {request.Path}: port-forward is a WebSocket upgrade (GET)"));
            return;
        }

        if (!context.WebSockets.WebSocketRequestedProtocols.Contains("v4.channel.k8s.io"))
        {
            await WriteAsync(context, Violation(400, "BadRequest", $"port-forward: no supported subprotocol among {string.Join(", ", context.WebSockets.WebSocketRequestedProtocols)}"));
            return;
        }

        if (!request.Query.TryGetValue("ports", out var portText) || !ushort.TryParse(portText, CultureInfo.InvariantCulture, out var port))
        {
            await WriteAsync(context, Violation(400, "BadRequest", $"port-forward: ports must be one port number (got {portText})"));
            return;
        }

        Uri? target;
        lock (_gate)
        {
            _forwards.TryGetValue($"{ns}/{pod}:{port}", out target);
            _portForwards.Add($"{ns}/{pod}:{port}");
        }

        if (target is null)
        {
            await WriteAsync(context, (404, FakeApiServer.Status(404, "NotFound", $"pods \"{pod}\" not found", new JsonObject { ["name"] = pod, ["kind"] = "pods" })));
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync("v4.channel.k8s.io");
        using var tcp = new System.Net.Sockets.TcpClient();
        using var end = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, context.RequestAborted);
        try
        {
            await tcp.ConnectAsync(target.Host, target.Port, end.Token);
            var stream = tcp.GetStream();
            var portBytes = new[] { (byte)(port & 0xff), (byte)(port >> 8) };
            await socket.SendAsync(new byte[] { 0, portBytes[0], portBytes[1] }, System.Net.WebSockets.WebSocketMessageType.Binary, true, end.Token);
            await socket.SendAsync(new byte[] { 1, portBytes[0], portBytes[1] }, System.Net.WebSockets.WebSocketMessageType.Binary, true, end.Token);
            var up = PumpUpAsync(socket, stream, end.Token);
            var down = PumpDownAsync(stream, socket, end.Token);
            await Task.WhenAny(up, down);
            await end.CancelAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.Sockets.SocketException or System.Net.WebSockets.WebSocketException)
        {
            // One side went away: the connection ends, as the kubelet's does.
        }
    }

    private static async Task PumpUpAsync(System.Net.WebSockets.WebSocket socket, Stream tcp, CancellationToken cancellationToken)
    {
        // A message is [channel][bytes]; a receive may return part of it, and only its first part carries the channel byte.
        var buffer = new byte[1024 * 1024];
        bool first = true;
        byte channel = 0;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                {
                    return;
                }

                int skip = 0;
                if (first && result.Count > 0)
                {
                    channel = buffer[0];
                    skip = 1;
                }

                if (channel == 0 && result.Count > skip)
                {
                    await tcp.WriteAsync(buffer.AsMemory(skip, result.Count - skip), cancellationToken);
                }

                first = result.EndOfMessage;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.WebSockets.WebSocketException)
        {
        }
    }

    private static async Task PumpDownAsync(Stream tcp, System.Net.WebSockets.WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                int n = await tcp.ReadAsync(buffer.AsMemory(1), cancellationToken);
                if (n == 0)
                {
                    return;
                }

                buffer[0] = 0;
                await socket.SendAsync(buffer.AsMemory(0, n + 1), System.Net.WebSockets.WebSocketMessageType.Binary, true, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.WebSockets.WebSocketException)
        {
        }
    }

    private (int, JsonNode)? CheckListQuery(Kind kind, IReadOnlyDictionary<string, string> query)
    {
        foreach (var key in query.Keys.Where(k => !s_listQuery.Contains(k)))
        {
            return Violation(400, "BadRequest", $"unknown query parameter {key} for a list");
        }

        if (query.TryGetValue("fieldSelector", out var fields))
        {
            foreach (var term in fields.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                string field = term.Split(["!=", "==", "="], 2, StringSplitOptions.None)[0];
                if (field is not ("metadata.name" or "metadata.namespace"))
                {
                    // A custom resource supports only these two field selectors (and its CRD's selectableFields, which these have none of).
                    return Violation(400, "BadRequest", $"\"{field}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\" ({kind.Plural})");
                }
            }
        }

        return null;
    }

    private static bool Matches(JsonObject obj, IReadOnlyDictionary<string, string> query)
    {
        foreach (var term in (query.GetValueOrDefault("fieldSelector") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            bool negate = term.Contains("!=", StringComparison.Ordinal);
            var pair = term.Split(["!=", "==", "="], 2, StringSplitOptions.None);
            string? actual = pair[0] == "metadata.name" ? (string?)obj["metadata"]?["name"] : (string?)obj["metadata"]?["namespace"];
            if ((actual == pair[1]) == negate)
            {
                return false;
            }
        }

        foreach (var term in (query.GetValueOrDefault("labelSelector") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = term.Split('=', 2);
            string? value = (string?)obj["metadata"]?["labels"]?[pair[0]];
            if (value is null || (pair.Length == 2 && value != pair[1]))
            {
                return false;
            }
        }

        return true;
    }

    // ---- the controller ------------------------------------------------------------------------------------------------------

    private async Task ReconcileClaimAsync(string ns, string claimName)
    {
        try
        {
            await ReconcileAsync(ns, claimName);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReconcileAsync(string ns, string claimName)
    {
        string claimKey = Key("sandboxclaims", ns, claimName);
        string sandboxName;
        lock (_gate)
        {
            if (!_objects.TryGetValue(claimKey, out var stored))
            {
                return;
            }

            var claim = (JsonObject)stored.DeepClone();
            string poolName = (string?)claim["spec"]?["warmPoolRef"]?["name"] ?? "";
            ScheduleExpiry(ns, claimName, claim);

            // sandboxclaim_controller.go:693-839: the claim's own reasons, before any Sandbox exists.
            if (!_objects.TryGetValue(Key("sandboxwarmpools", ns, poolName), out var pool))
            {
                Update(claimKey, claim, c => SetReady(c, "False", "WarmPoolNotFound", $"SandboxWarmPool \"{poolName}\" not found"));
                return;
            }

            string templateName = (string?)pool["spec"]?["sandboxTemplateRef"]?["name"] ?? "";
            if (!_objects.TryGetValue(Key("sandboxtemplates", ns, templateName), out var template))
            {
                Update(claimKey, claim, c => SetReady(c, "False", "TemplateNotFound", $"SandboxTemplate \"{templateName}\" not found"));
                return;
            }

            if (ClaimFailure is { } failure)
            {
                Update(claimKey, claim, c => SetReady(c, "False", failure.Reason, failure.Message));
                return;
            }

            // Warm: adopt a pool Sandbox "<pool>-<random>" (sandboxwarmpool_controller.go:1058-1063); cold: the claim's name (:1687-1691).
            bool warm = ((int?)pool["spec"]?["replicas"] ?? 1) > 0;
            sandboxName = warm ? poolName + "-" + new string(Enumerable.Range(0, 5).Select(_ => NameAlphabet[Random.Shared.Next(NameAlphabet.Length)]).ToArray()) : claimName;
            var podTemplate = (JsonObject)(template["spec"]?["podTemplate"]?.DeepClone() ?? new JsonObject());
            var podMeta = podTemplate["metadata"] as JsonObject ?? new JsonObject();
            podTemplate["metadata"] = podMeta;
            foreach (var field in new[] { "labels", "annotations" })
            {
                if (claim["spec"]?["additionalPodMetadata"]?[field] is JsonObject extra)
                {
                    var target = podMeta[field] as JsonObject ?? new JsonObject();
                    podMeta[field] = target;
                    foreach (var (k, v) in extra)
                    {
                        target[k] = v?.DeepClone();
                    }
                }
            }

            string claimUid = (string)claim["metadata"]!["uid"]!;
            var labels = new JsonObject
            {
                ["agents.x-k8s.io/launch-type"] = warm ? "warm" : "cold",
                ["agents.x-k8s.io/claim-uid"] = claimUid,
            };
            if ((string?)claim["metadata"]?["labels"]?["agents.x-k8s.io/created-by"] is { } createdBy)
            {
                labels["agents.x-k8s.io/created-by"] = createdBy;
            }

            var annotations = new JsonObject();
            if (warm)
            {
                annotations["agents.x-k8s.io/pod-name"] = sandboxName;
            }
            else
            {
                annotations["agents.x-k8s.io/sandbox-template-ref"] = templateName;
            }

            if ((string?)claim["metadata"]?["annotations"]?["opentelemetry.io/trace-context"] is { } trace)
            {
                annotations["opentelemetry.io/trace-context"] = trace;
            }

            var sandbox = new JsonObject
            {
                ["apiVersion"] = $"{SandboxGroup}/{Version}",
                ["kind"] = "Sandbox",
                ["metadata"] = new JsonObject
                {
                    ["name"] = sandboxName,
                    ["namespace"] = ns,
                    ["uid"] = Guid.NewGuid().ToString(),
                    ["creationTimestamp"] = Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    ["labels"] = labels,
                    ["annotations"] = annotations,
                    ["ownerReferences"] = new JsonArray(new JsonObject
                    {
                        ["apiVersion"] = $"{ExtensionsGroup}/{Version}",
                        ["kind"] = "SandboxClaim",
                        ["name"] = claimName,
                        ["uid"] = claimUid,
                        ["controller"] = true,
                        ["blockOwnerDeletion"] = true,
                    }),
                },
                ["spec"] = new JsonObject { ["podTemplate"] = podTemplate },
                ["status"] = new JsonObject(),
            };
            if (template["spec"]?["service"] is { } service)
            {
                sandbox["spec"]!["service"] = service.DeepClone();
            }

            SetReady(sandbox, "False", "DependenciesNotReady", "Pod is not ready");
            MutateSandbox?.Invoke(sandbox);
            Put(Key("sandboxes", ns, sandboxName), sandbox, "ADDED");
            Update(claimKey, claim, c =>
            {
                if (warm)
                {
                    var claimAnnotations = c["metadata"]!["annotations"] as JsonObject ?? new JsonObject();
                    c["metadata"]!["annotations"] = claimAnnotations;
                    claimAnnotations["agents.x-k8s.io/sandbox-name"] = sandboxName;
                }

                c["status"]!["sandbox"] = new JsonObject { ["name"] = sandboxName };
                SetReady(c, "False", "SandboxNotReady", "Sandbox is not ready");
            });
        }

        if (NeverReady)
        {
            return;
        }

        if (ReadyDelay > TimeSpan.Zero)
        {
            await Task.Delay(ReadyDelay, _stop.Token);
        }

        if (ReadyWhen is { } gate)
        {
            await gate.WaitAsync(_stop.Token);
        }

        lock (_gate)
        {
            string sandboxKey = Key("sandboxes", ns, sandboxName);
            if (!_objects.TryGetValue(sandboxKey, out var sandbox) || !_objects.TryGetValue(claimKey, out var claim))
            {
                return; // released or expired while the pod started
            }

            string ip = $"10.244.{(_podCounter / 250) % 250}.{(_podCounter++ % 250) + 2}";
            Update(sandboxKey, (JsonObject)sandbox.DeepClone(), s =>
            {
                s["status"]!["podIPs"] = new JsonArray(ip);
                s["status"]!["nodeName"] = "aks-katapool-12345678-vmss000000";
                SetReady(s, "True", "DependenciesReady", "Pod is Ready; Service Exists");
            });

            // The claim forwards its Sandbox's Ready condition (sandboxclaim_controller.go:824-830) and mirrors the pod IPs (:851-853).
            Update(claimKey, (JsonObject)claim.DeepClone(), c =>
            {
                c["status"]!["sandbox"] = new JsonObject { ["name"] = sandboxName, ["podIPs"] = new JsonArray(ip) };
                SetReady(c, "True", "DependenciesReady", "Pod is Ready; Service Exists");
            });
        }
    }

    private void ScheduleExpiry(string ns, string claimName, JsonObject claim)
    {
        if ((string?)claim["spec"]?["lifecycle"]?["shutdownTime"] is not { } text
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return;
        }

        var due = at - Time.GetUtcNow();
        _ = Task.Run(async () =>
        {
            try
            {
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, Time, _stop.Token);
                }

                Expire(ns, claimName);
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    private void DeleteSandboxOf(JsonObject claim)
    {
        string ns = (string)claim["metadata"]!["namespace"]!;
        string uid = (string?)claim["metadata"]?["uid"] ?? "";
        foreach (var key in _objects.Where(o => o.Key.StartsWith($"sandboxes/{ns}/", StringComparison.Ordinal)
            && (o.Value["metadata"]?["ownerReferences"] as JsonArray)?.Any(r => (string?)r?["uid"] == uid) == true).Select(o => o.Key).ToList())
        {
            Remove(key);
        }
    }

    private static void SetReady(JsonObject obj, string status, string reason, string message)
    {
        var statusObj = obj["status"] as JsonObject ?? new JsonObject();
        obj["status"] = statusObj;
        var conditions = statusObj["conditions"] as JsonArray ?? new JsonArray();
        statusObj["conditions"] = conditions;
        var ready = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Ready");
        if (ready is null)
        {
            ready = new JsonObject { ["type"] = "Ready" };
            conditions.Add(ready);
        }

        ready["status"] = status;
        ready["reason"] = reason;
        ready["message"] = message;
        ready["lastTransitionTime"] = "2026-01-01T00:00:00Z";
        ready["observedGeneration"] = 1;
    }

    private static void Defaults(Kind kind, JsonObject obj)
    {
        // The CRDs' defaults (sandboxwarmpool_types.go:41-46 replicas 1; sandboxclaim_types.go:42-59 shutdownPolicy Retain).
        var spec = obj["spec"] as JsonObject;
        if (kind.Plural == "sandboxwarmpools" && spec is not null && spec["replicas"] is null)
        {
            spec["replicas"] = 1;
        }

        if (kind.Plural == "sandboxclaims" && spec?["lifecycle"] is JsonObject lifecycle && lifecycle["shutdownPolicy"] is null)
        {
            lifecycle["shutdownPolicy"] = "Retain";
        }

        ((JsonObject)obj["metadata"]!)["generation"] ??= 1;
    }

    // ---- storage and events (callers hold _gate) -----------------------------------------------------------------------------

    private void Update(string key, JsonObject obj, Action<JsonObject> change)
    {
        obj["status"] ??= new JsonObject();
        change(obj);
        Put(key, obj, "MODIFIED");
    }

    private JsonObject Put(string key, JsonObject obj, string type)
    {
        ((JsonObject)obj["metadata"]!)["resourceVersion"] = NextVersion();
        _objects[key] = (JsonObject)obj.DeepClone();
        Publish(key, type, obj);
        return (JsonObject)obj.DeepClone();
    }

    private void Remove(string key)
    {
        if (_objects.Remove(key, out var obj))
        {
            ((JsonObject)obj["metadata"]!)["resourceVersion"] = NextVersion();
            Publish(key, "DELETED", obj);
        }
    }

    private void Publish(string key, string type, JsonObject obj)
    {
        _events.Add(new Event(long.Parse((string)obj["metadata"]!["resourceVersion"]!, CultureInfo.InvariantCulture), key, type, (JsonObject)obj.DeepClone()));
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private long _version = 5000;

    private string NextVersion() => (++_version).ToString(CultureInfo.InvariantCulture);

    private string CurrentVersion() => _version.ToString(CultureInfo.InvariantCulture);

    private static string Key(string plural, string ns, string name) => $"{plural}/{ns}/{name}";

    private (int, JsonNode) NotFound(Kind kind, string name) =>
        (404, FakeApiServer.Status(404, "NotFound", $"{kind.Plural}.{kind.Group} \"{name}\" not found",
            new JsonObject { ["name"] = name, ["group"] = kind.Group, ["kind"] = kind.Plural }));

    private static (int, JsonNode) Invalid(Kind kind, string name, string field, string reason, string message) =>
        (422, FakeApiServer.Status(422, "Invalid", $"{kind.Name}.{kind.Group} \"{name}\" is invalid: {field}: {message}",
            new JsonObject
            {
                ["name"] = name, ["group"] = kind.Group, ["kind"] = kind.Name,
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = reason, ["message"] = message, ["field"] = field }),
            }));

    private (int, JsonNode) Violation(int code, string reason, string message)
    {
        Server.AddViolation($"{code} {reason}: {message}");
        return (code, FakeApiServer.Status(code, reason, message));
    }

    private static async Task WriteAsync(HttpContext context, (int Code, JsonNode Body) answer)
    {
        context.Response.StatusCode = answer.Code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body.ToJsonString(), Encoding.UTF8);
    }
}
