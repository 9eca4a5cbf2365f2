using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>One request the fake API server received.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string? ContentType, string Body);

/// <summary>
/// A canned answer the server gives to the next request instead of handling it: a Status body, or <paramref name="RawBody"/> as
/// is (any text, "null"), after <paramref name="Delay"/> (a server that accepts and does not answer).
/// </summary>
public sealed record Fault(int Code, string Reason, string Message, IReadOnlyDictionary<string, string>? Headers = null, JsonObject? Details = null,
    string? RawBody = null, TimeSpan? Delay = null);

/// <summary>
/// An in-process Kubernetes API server for the part of the API the SDK uses: server-side apply of each supported kind (with
/// managed fields, conflicts, namespace and RuntimeClass admission, validation), RuntimeClass, Namespace and Node reads (label
/// selectors), and Status error bodies. It checks every request as the API server would (method, path, query, content type, body)
/// and records each one; protocol violations are answered with 400/415 and listed in <see cref="Violations"/>.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<string> _violations = [];
    private readonly Queue<Fault> _faults = new();
    private readonly Dictionary<string, Fault> _pathFaults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _pathDelays = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Manager, string Field)>> _owners = new(StringComparer.Ordinal);
    private int _resourceVersion = 1000;

    private FakeApiServer(WebApplication app) => _app = app;

    /// <summary>The server's address, http://127.0.0.1:port/.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Namespaces that exist.</summary>
    public HashSet<string> Namespaces { get; } = new(StringComparer.Ordinal) { "default", "tenant" };

    /// <summary>RuntimeClasses that exist, by name.</summary>
    public Dictionary<string, V1RuntimeClass> RuntimeClasses { get; } = new(StringComparer.Ordinal);

    /// <summary>The cluster's nodes.</summary>
    public List<V1Node> Nodes { get; } = [];

    /// <summary>Every request, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests { get { lock (_gate) { return _requests.ToList(); } } }

    /// <summary>Requests that the real API server would have refused as malformed.</summary>
    public IReadOnlyList<string> Violations { get { lock (_gate) { return _violations.ToList(); } } }

    public static async Task<FakeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeApiServer(app);
        app.UseWebSockets(); // pod port-forward (an Extension's)
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>A real client, configured as from a kubeconfig, pointed at this server.</summary>
    public IKubernetes Client() => new Kubernetes(new KubernetesClientConfiguration { Host = BaseUri.ToString() });

    /// <summary>How long the server waits before it answers any request (a distant or loaded API server).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Counts the requests this server (and any other server given the same probe) is answering at once.</summary>
    public InFlightProbe? Probe { get; set; }

    /// <summary>Answers every request for <paramref name="path"/> only after <paramref name="delay"/>, on top of <see cref="Latency"/>.</summary>
    public void DelayPath(string path, TimeSpan delay) { lock (_gate) { _pathDelays[path] = delay; } }

    /// <summary>Chooses a fault for a request (by path and query) that no queued or path fault answers; null lets the server handle it.</summary>
    public Func<string, IReadOnlyDictionary<string, string>, Fault?>? OnRequest { get; set; }

    /// <summary>
    /// Serves a part of the API this server does not (the agent-sandbox CRDs, watches): called for each request no fault answered,
    /// after the recorded latency; it answers and returns true, or returns false to let this server handle the request.
    /// </summary>
    public Func<HttpContext, RecordedRequest, Task<bool>>? Extension { get; set; }

    /// <summary>Lists a request the real API server would have refused as malformed (for an <see cref="Extension"/>).</summary>
    public void AddViolation(string violation) { lock (_gate) { _violations.Add(violation); } }

    /// <summary>Answers the next request with this fault.</summary>
    public void Enqueue(Fault fault) { lock (_gate) { _faults.Enqueue(fault); } }

    /// <summary>Answers every request for <paramref name="path"/> (such as a list, <c>/apis/apps/v1/deployments</c>) with this fault.</summary>
    public void FailPath(string path, Fault fault) { lock (_gate) { _pathFaults[path] = fault; } }

    /// <summary>
    /// Stores a namespaced object of a supported kind as if a controller had created it (a uid is given when it has none) and returns
    /// it, so tests can point owner references at it.
    /// </summary>
    public T Add<T>(T obj)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        obj.Initialize();
        var resource = s_resources.Single(r => r.Type == typeof(T));
        obj.Metadata.Uid ??= Guid.NewGuid().ToString();
        obj.Metadata.ResourceVersion ??= "1";
        string prefix = resource.ApiVersion.Contains('/') ? $"/apis/{resource.ApiVersion}" : $"/api/{resource.ApiVersion}";
        Seed($"{prefix}/namespaces/{obj.Metadata.NamespaceProperty}/{resource.Plural}/{obj.Metadata.Name}", obj);
        return obj;
    }

    /// <summary>Records that <paramref name="manager"/> owns <paramref name="field"/> (".spec.replicas") of the stored object at <paramref name="path"/>.</summary>
    public void Own(string path, string manager, string field) { lock (_gate) { Owners(path).Add((manager, field)); } }

    /// <summary>Stores an object as if another client had created it.</summary>
    public void Seed(string path, IKubernetesObject obj)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        lock (_gate) { _objects[path] = node; }
    }

    /// <summary>The stored object at an API path, or null.</summary>
    public JsonObject? Stored(string path) { lock (_gate) { return _objects.TryGetValue(path, out var o) ? (JsonObject)o.DeepClone() : null; } }

    /// <summary>Adds a Kata RuntimeClass as AKS installs it (handler kata, 600Mi overhead, node selector).</summary>
    public V1RuntimeClass AddAksRuntimeClass(string name = "kata-vm-isolation", string handler = "kata")
    {
        var rc = new V1RuntimeClass
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["addonmanager.kubernetes.io/mode"] = "Reconcile" } },
            Handler = handler,
            Overhead = new V1Overhead { PodFixed = new Dictionary<string, ResourceQuantity> { ["memory"] = new("600Mi") } },
            Scheduling = new V1Scheduling { NodeSelector = new Dictionary<string, string> { ["kubernetes.azure.com/" + name] = "true" } },
        }.Initialize();
        RuntimeClasses[name] = rc;
        return rc;
    }

    /// <summary>Adds a node with labels, readiness, allocatable capacity and taints.</summary>
    public V1Node AddNode(string name, IDictionary<string, string> labels, bool ready = true, string cpu = "4", string memory = "16Gi", bool cordoned = false, params V1Taint[] taints)
    {
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string>(labels) },
            Spec = new V1NodeSpec { Unschedulable = cordoned ? true : null, Taints = taints.Length > 0 ? taints.ToList() : null },
            Status = new V1NodeStatus
            {
                Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }],
                Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory), ["pods"] = new("110") },
            },
        }.Initialize();
        Nodes.Add(node);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ---- the API ---------------------------------------------------------------------------------------------------------

    private sealed record Resource(string Kind, string ApiVersion, string Plural, Type Type, bool Namespaced);

    private static readonly Resource[] s_resources =
    [
        new("Pod", "v1", "pods", typeof(V1Pod), true),
        new("Deployment", "apps/v1", "deployments", typeof(V1Deployment), true),
        new("StatefulSet", "apps/v1", "statefulsets", typeof(V1StatefulSet), true),
        new("DaemonSet", "apps/v1", "daemonsets", typeof(V1DaemonSet), true),
        new("ReplicaSet", "apps/v1", "replicasets", typeof(V1ReplicaSet), true),
        new("Job", "batch/v1", "jobs", typeof(V1Job), true),
        new("CronJob", "batch/v1", "cronjobs", typeof(V1CronJob), true),
        new("Namespace", "v1", "namespaces", typeof(V1Namespace), false),
        new("RuntimeClass", "node.k8s.io/v1", "runtimeclasses", typeof(V1RuntimeClass), false),
        new("ValidatingAdmissionPolicy", "admissionregistration.k8s.io/v1", "validatingadmissionpolicies", typeof(V1ValidatingAdmissionPolicy), false),
        new("ValidatingAdmissionPolicyBinding", "admissionregistration.k8s.io/v1", "validatingadmissionpolicybindings", typeof(V1ValidatingAdmissionPolicyBinding), false),
        new("MutatingAdmissionPolicy", "admissionregistration.k8s.io/v1", "mutatingadmissionpolicies", typeof(V1MutatingAdmissionPolicy), false),
        new("MutatingAdmissionPolicyBinding", "admissionregistration.k8s.io/v1", "mutatingadmissionpolicybindings", typeof(V1MutatingAdmissionPolicyBinding), false),
        new("ConfigMap", "v1", "configmaps", typeof(V1ConfigMap), true),
        // A custom resource (its CRD installed): the body is read as plain JSON, as the API server does for CRDs.
        new("Sandbox", "agents.x-k8s.io/v1beta1", "sandboxes", typeof(UnstructuredObject), true),
    ];

    private static readonly HashSet<string> s_patchQuery = new(StringComparer.Ordinal) { "fieldManager", "force", "dryRun", "fieldValidation", "pretty" };

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        string path = request.Path.Value ?? "/";
        Fault? fault = null;
        TimeSpan wait = Latency;
        var recorded = new RecordedRequest(request.Method, path, query, request.ContentType, body);
        lock (_gate)
        {
            _requests.Add(recorded);
            if (!_faults.TryDequeue(out fault) && !_pathFaults.TryGetValue(path, out fault))
            {
                fault = OnRequest?.Invoke(path, query);
            }

            wait += _pathDelays.GetValueOrDefault(path);
        }

        using var inFlight = Probe?.Enter();
        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up
            }
        }

        if (fault?.Delay is { } delay)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up, as it should
            }
        }

        if (fault?.RawBody is { } raw)
        {
            context.Response.StatusCode = fault.Code;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(raw);
            return;
        }

        if (fault is null && Extension is { } extension && await extension(context, recorded))
        {
            return;
        }

        (int code, JsonNode answer, IReadOnlyDictionary<string, string>? headers) = fault is not null
            ? (fault.Code, Status(fault.Code, fault.Reason, fault.Message, fault.Details), fault.Headers)
            : Handle(request.Method, path, query, request.ContentType, body);
        context.Response.StatusCode = code;
        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[key] = value;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private (int, JsonNode, IReadOnlyDictionary<string, string>?) Handle(string method, string path, Dictionary<string, string> query, string? contentType, string body)
    {
        var parts = path.Trim('/').Split('/');
        if (method == "GET" && path == "/api/v1/nodes")
        {
            return (200, ListNodes(query.GetValueOrDefault("labelSelector")), null);
        }

        // /api/v1/[namespaces/{ns}/]{plural}/{name} or /apis/{group}/{version}/[namespaces/{ns}/]{plural}/{name}
        int prefix = parts[0] == "api" ? 2 : parts[0] == "apis" ? 3 : -1;
        if (prefix < 0 || parts.Length < prefix + 1)
        {
            return (404, Status(404, "NotFound", $"the server could not find the requested resource ({method} {path})"), null);
        }

        string apiVersion = parts[0] == "api" ? parts[1] : $"{parts[1]}/{parts[2]}";
        var rest = parts[prefix..];
        string? ns = null;
        if (rest.Length == 4 && rest[0] == "namespaces")
        {
            ns = rest[1];
            rest = rest[2..];
        }
        else if (method == "GET" && rest.Length == 3 && rest[0] == "namespaces")
        {
            // A namespaced list: /apis/apps/v1/namespaces/{ns}/deployments
            var namespaced = s_resources.FirstOrDefault(r => r.Plural == rest[2] && r.ApiVersion == apiVersion && r.Namespaced);
            return namespaced is null
                ? (404, Status(404, "NotFound", $"the server could not find the requested resource ({method} {path})"), null)
                : List(namespaced, rest[1], query);
        }
        else if (method == "GET" && rest.Length == 1 && s_resources.FirstOrDefault(r => r.Plural == rest[0] && r.ApiVersion == apiVersion && r.Namespaced) is { } all)
        {
            // A list across namespaces: /apis/apps/v1/deployments
            return List(all, null, query);
        }

        if (rest.Length != 2)
        {
            return (404, Status(404, "NotFound", $"the server could not find the requested resource ({method} {path})"), null);
        }

        var resource = s_resources.FirstOrDefault(r => r.Plural == rest[0] && r.ApiVersion == apiVersion && r.Namespaced == (ns is not null));
        if (resource is null)
        {
            return (404, Status(404, "NotFound", $"the server could not find the requested resource ({method} {path})"), null);
        }

        string name = rest[1];
        return method switch
        {
            "GET" => Get(resource, ns, name, path),
            "PATCH" => Apply(resource, ns, name, path, query, contentType, body),
            _ => Violation(405, "MethodNotAllowed", $"{method} is not used by the SDK ({path})"),
        };
    }

    private (int, JsonNode, IReadOnlyDictionary<string, string>?) Get(Resource resource, string? ns, string name, string path)
    {
        JsonNode? found = resource.Kind switch
        {
            "RuntimeClass" => RuntimeClasses.TryGetValue(name, out var rc) ? JsonNode.Parse(KubernetesJson.Serialize(rc)) : Stored(path),
            "Namespace" => Namespaces.Contains(name) ? JsonNode.Parse(KubernetesJson.Serialize(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }.Initialize())) : null,
            _ => Stored(path),
        };
        if (found is null)
        {
            string group = resource.ApiVersion.Contains('/') ? "." + resource.ApiVersion.Split('/')[0] : "";
            return (404, Status(404, "NotFound", $"{resource.Plural}{group} \"{name}\" not found",
                new JsonObject { ["name"] = name, ["group"] = group.TrimStart('.'), ["kind"] = resource.Plural }), null);
        }

        return (200, found, null);
    }

    private (int, JsonNode, IReadOnlyDictionary<string, string>?) Apply(
        Resource resource, string? ns, string name, string path, Dictionary<string, string> query, string? contentType, string body)
    {
        if (contentType is null || contentType.Split(';')[0].Trim() != "application/apply-patch+yaml")
        {
            return Violation(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/apply-patch+yaml (got {contentType})");
        }

        foreach (var key in query.Keys.Where(k => !s_patchQuery.Contains(k)))
        {
            return Violation(400, "BadRequest", $"unknown query parameter {key}");
        }

        if (!query.TryGetValue("fieldManager", out var manager) || string.IsNullOrEmpty(manager))
        {
            return Violation(400, "BadRequest", "PATCH requests with apply content type must have a field manager: fieldManager is required for apply requests");
        }

        if (query.TryGetValue("force", out var forceText) && forceText is not ("true" or "false"))
        {
            return Violation(400, "BadRequest", $"force: invalid value {forceText}");
        }

        if (query.TryGetValue("dryRun", out var dryRun) && dryRun != "All")
        {
            return Violation(400, "BadRequest", $"dryRun: Unsupported value: \"{dryRun}\": supported values: \"All\"");
        }

        if (query.TryGetValue("fieldValidation", out var fv) && fv is not ("Strict" or "Warn" or "Ignore"))
        {
            return Violation(400, "BadRequest", $"fieldValidation: invalid value {fv}");
        }

        bool force = forceText == "true";

        // The body is YAML (JSON is YAML too): parse it as the API server does, into the kind's model.
        object typed;
        JsonObject obj;
        try
        {
            if (resource.Type == typeof(UnstructuredObject))
            {
                obj = JsonNode.Parse(body)!.AsObject();
                typed = Sandboxing.Sdk.SandboxManifest.Read(body, "request body").Single(); // JSON is YAML: read as the SDK reads a custom resource
            }
            else
            {
                var documents = KubernetesYaml.LoadAllFromString(body);
                if (documents.Count != 1 || documents[0].GetType() != resource.Type)
                {
                    return Violation(400, "BadRequest", $"the body holds {documents.Count} document(s) of {string.Join(", ", documents.Select(d => d.GetType().Name))}, not one {resource.Kind}");
                }

                typed = documents[0];
                obj = JsonNode.Parse(KubernetesJson.Serialize(typed))!.AsObject();
            }
        }
        catch (Exception ex)
        {
            return Violation(400, "BadRequest", $"error decoding YAML: {ex.Message}");
        }

        if ((string?)obj["apiVersion"] != resource.ApiVersion || (string?)obj["kind"] != resource.Kind)
        {
            return Violation(400, "BadRequest", $"apiVersion/kind {(string?)obj["apiVersion"]}/{(string?)obj["kind"]} does not match the path ({resource.ApiVersion} {resource.Kind})");
        }

        var meta = obj["metadata"] as JsonObject;
        if ((string?)meta?["name"] != name)
        {
            return Violation(400, "BadRequest", $"the name of the object ({(string?)meta?["name"]}) does not match the name on the URL ({name})");
        }

        if (meta!["namespace"] is { } bodyNs && (string?)bodyNs != ns)
        {
            return Violation(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
        }

        if (meta["managedFields"] is not null)
        {
            return Violation(400, "BadRequest", "metadata.managedFields must be nil");
        }

        if (ns is not null && !Namespaces.Contains(ns))
        {
            return (404, Status(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" }), null);
        }

        if (typed is V1Pod pod && pod.Spec?.RuntimeClassName is { } rcName && !RuntimeClasses.ContainsKey(rcName))
        {
            return (403, Status(403, "Forbidden", $"pods \"{name}\" is forbidden: pod rejected: RuntimeClass \"{rcName}\" not found",
                new JsonObject { ["name"] = name, ["kind"] = "pods" }), null);
        }

        var causes = new JsonArray();
        foreach (var site in PodTemplates.FindAll(typed))
        {
            for (int i = 0; i < (site.Spec.Containers?.Count ?? 0); i++)
            {
                if (string.IsNullOrEmpty(site.Spec.Containers![i].Image))
                {
                    causes.Add(new JsonObject { ["reason"] = "FieldValueRequired", ["message"] = "Required value", ["field"] = $"{site.SpecPath}.containers[{i}].image" });
                }
            }
        }

        if (causes.Count > 0)
        {
            string first = (string)causes[0]!["field"]!;
            return (422, Status(422, "Invalid", $"{resource.Kind} \"{name}\" is invalid: {first}: Required value",
                new JsonObject { ["name"] = name, ["kind"] = resource.Kind, ["causes"] = causes }), null);
        }

        lock (_gate)
        {
            _objects.TryGetValue(path, out var existing);
            var owners = Owners(path);
            var conflicts = new JsonArray();
            foreach (var (owner, field) in owners.Where(o => o.Manager != manager).ToList())
            {
                var mine = Select(obj, field);
                var theirs = existing is null ? null : Select(existing, field);
                if (mine is not null && theirs is not null && mine.ToJsonString() != theirs.ToJsonString())
                {
                    if (force)
                    {
                        owners.Remove((owner, field));
                    }
                    else
                    {
                        conflicts.Add(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = $"conflict with \"{owner}\" using {resource.ApiVersion}", ["field"] = field });
                    }
                }
            }

            if (conflicts.Count > 0)
            {
                string summary = string.Join(", ", conflicts.Select(c => $"conflict with \"{((string)c!["message"]!).Split('"')[1]}\" using {resource.ApiVersion}: {(string)c!["field"]!}"));
                return (409, Status(409, "Conflict", $"Apply failed with {conflicts.Count} conflict{(conflicts.Count == 1 ? "" : "s")}: {summary}",
                    new JsonObject { ["name"] = name, ["group"] = resource.ApiVersion.Contains('/') ? resource.ApiVersion.Split('/')[0] : "", ["kind"] = resource.Plural, ["causes"] = conflicts }), null);
            }

            var existingMeta = existing?["metadata"] as JsonObject;
            meta["uid"] = (string?)existingMeta?["uid"] ?? Guid.NewGuid().ToString();
            meta["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            meta["creationTimestamp"] = (string?)existingMeta?["creationTimestamp"] ?? "2026-01-01T00:00:00Z";
            var managedFields = new JsonArray();
            foreach (var other in owners.Select(o => o.Manager).Where(m => m != manager).Distinct())
            {
                managedFields.Add(ManagedFields(other, resource.ApiVersion));
            }

            managedFields.Add(ManagedFields(manager, resource.ApiVersion));
            meta["managedFields"] = managedFields;
            bool created = existing is null;
            if (dryRun is null)
            {
                _objects[path] = (JsonObject)obj.DeepClone();
                if (resource.Kind == "Namespace")
                {
                    Namespaces.Add(name);
                }
            }

            return (created ? 201 : 200, obj, null);
        }
    }

    private static readonly HashSet<string> s_listQuery = new(StringComparer.Ordinal) { "labelSelector", "limit", "continue" };

    /// <summary>
    /// A list as the API server answers it: kind <c>{Kind}List</c>, list metadata with a resourceVersion, items without apiVersion
    /// and kind, filtered by namespace and label selector (<c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>); <c>limit</c> pages the
    /// answer with a <c>continue</c> token.
    /// </summary>
    private (int, JsonNode, IReadOnlyDictionary<string, string>?) List(Resource resource, string? ns, Dictionary<string, string> query)
    {
        foreach (var key in query.Keys.Where(k => !s_listQuery.Contains(k)))
        {
            return Violation(400, "BadRequest", $"unknown query parameter {key} for a list");
        }

        int limit = int.MaxValue;
        if (query.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, out limit) || limit < 1))
        {
            return Violation(400, "BadRequest", $"limit: invalid value {limitText}");
        }

        int start = 0;
        if (query.TryGetValue("continue", out var token) && (!int.TryParse(token, out start) || start < 0))
        {
            return Violation(400, "BadRequest", $"continue: invalid token {token}");
        }

        var terms = new List<(string Key, string? Value, bool Equal)>();
        foreach (var term in (query.GetValueOrDefault("labelSelector") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = term.Split("!=", 2);
            if (parts.Length == 2)
            {
                terms.Add((parts[0], parts[1], false));
                continue;
            }

            parts = term.Replace("==", "=", StringComparison.Ordinal).Split('=', 2);
            terms.Add((parts[0], parts.Length == 2 ? parts[1] : null, true));
        }

        string prefix = resource.ApiVersion.Contains('/') ? $"/apis/{resource.ApiVersion}" : $"/api/{resource.ApiVersion}";
        List<JsonObject> items;
        lock (_gate)
        {
            items = _objects
                .Where(o => o.Key.StartsWith(prefix + "/namespaces/", StringComparison.Ordinal) && o.Key.Split('/') is var p
                    && p[^2] == resource.Plural && (ns is null || p[^3] == ns))
                .OrderBy(o => o.Key, StringComparer.Ordinal)
                .Select(o => (JsonObject)o.Value.DeepClone())
                .Where(o => terms.All(t =>
                {
                    var labels = o["metadata"]?["labels"] as JsonObject;
                    string? value = labels?[t.Key]?.GetValue<string>();
                    return t.Equal ? value is not null && (t.Value is null || value == t.Value) : value != t.Value;
                }))
                .ToList();
        }

        var page = new JsonArray();
        foreach (var item in items.Skip(start).Take(limit))
        {
            item.Remove("apiVersion");
            item.Remove("kind");
            page.Add(item);
        }

        var meta = new JsonObject { ["resourceVersion"] = _resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (start + page.Count < items.Count)
        {
            meta["continue"] = (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return (200, new JsonObject { ["apiVersion"] = resource.ApiVersion, ["kind"] = resource.Kind + "List", ["metadata"] = meta, ["items"] = page }, null);
    }

    private List<(string Manager, string Field)> Owners(string path)
    {
        if (!_owners.TryGetValue(path, out var list))
        {
            _owners[path] = list = [];
        }

        return list;
    }

    private static JsonObject ManagedFields(string manager, string apiVersion) => new()
    {
        ["manager"] = manager,
        ["operation"] = "Apply",
        ["apiVersion"] = apiVersion,
        ["time"] = "2026-01-01T00:00:00Z",
        ["fieldsType"] = "FieldsV1",
        ["fieldsV1"] = new JsonObject { ["f:metadata"] = new JsonObject(), ["f:spec"] = new JsonObject() },
    };

    private static JsonNode? Select(JsonNode root, string field)
    {
        JsonNode? node = root;
        foreach (var part in field.Trim('.').Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return node;
    }

    private JsonNode ListNodes(string? labelSelector)
    {
        var terms = (labelSelector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Split('=', 2)).ToList();
        var items = Nodes.Where(n => terms.All(t =>
            n.Metadata.Labels is { } labels && labels.TryGetValue(t[0], out var v) && (t.Length == 1 || v == t[1]))).ToList();
        return JsonNode.Parse(KubernetesJson.Serialize(new V1NodeList { Items = items, Metadata = new V1ListMeta { ResourceVersion = "1" } }.Initialize()))!;
    }

    private (int, JsonNode, IReadOnlyDictionary<string, string>?) Violation(int code, string reason, string message)
    {
        lock (_gate)
        {
            _violations.Add($"{code} {reason}: {message}");
        }

        return (code, Status(code, reason, message), null);
    }

    internal static JsonObject Status(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        return status;
    }
}

/// <summary>The most requests answered at once by the servers that share it.</summary>
public sealed class InFlightProbe
{
    private int _current;
    private int _max;

    /// <summary>The most requests seen in flight at once.</summary>
    public int Max => Volatile.Read(ref _max);

    /// <summary>Counts a request until the returned handle is disposed.</summary>
    public IDisposable Enter()
    {
        int now = Interlocked.Increment(ref _current);
        for (int max = Volatile.Read(ref _max); now > max && Interlocked.CompareExchange(ref _max, now, max) != max; max = Volatile.Read(ref _max))
        {
        }

        return new Exit(this);
    }

    private sealed class Exit(InFlightProbe probe) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Interlocked.Decrement(ref probe._current);
            }
        }
    }
}
