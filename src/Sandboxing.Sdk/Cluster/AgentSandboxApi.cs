using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// The agent-sandbox objects the client reads and writes through the Kubernetes API, as JSON (they are custom resources), with
/// the API server's errors turned into <see cref="AgentSandboxException"/>s.
/// </summary>
internal sealed class AgentSandboxApi(IKubernetes kubernetes)
{
    public const string ExtensionsGroup = "extensions.agents.x-k8s.io";
    public const string SandboxGroup = "agents.x-k8s.io";
    public const string Version = "v1beta1";
    public const string Claims = "sandboxclaims";
    public const string Pools = "sandboxwarmpools";
    public const string Templates = "sandboxtemplates";
    public const string Sandboxes = "sandboxes";

    // agent-sandbox 2fd412d api/v1beta1 label and annotation keys (CreatedByLabel, PodNameAnnotation) and the Go client's
    // clientAnnotation (clients/go/sandbox/k8s.go:43).
    public const string CreatedByLabel = "agents.x-k8s.io/created-by";
    public const string CreatedBy = "dotnet-client";
    public const string FirstRequestedAtAnnotation = "agents.x-k8s.io/client-first-requested-at";
    public const string TraceContextAnnotation = "opentelemetry.io/trace-context";
    public const string PodNameAnnotation = "agents.x-k8s.io/pod-name";

    public IKubernetes Kubernetes => kubernetes;

    /// <summary>Reads a namespaced agent-sandbox object; null when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(string group, string plural, string @namespace, string name, string? claimName, CancellationToken cancellationToken)
    {
        try
        {
            var response = await kubernetes.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync(
                group, Version, @namespace, plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            using (response)
            {
                return ToObject(response.Body);
            }
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound && !IsMissingApi(ex))
        {
            return null;
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException)
        {
            throw Failed(ex, "read", $"{plural}.{group} {@namespace}/{name}", @namespace, claimName);
        }
    }

    /// <summary>Creates an object (a claim with generateName, or a pool) and returns it as the API server stored it.</summary>
    public async Task<JsonObject> CreateAsync(string group, string plural, string @namespace, JsonObject body, string what, CancellationToken cancellationToken)
    {
        try
        {
            // Never retried: a create whose answer was lost may have created the claim, and a second one would hold a second VM.
            var response = await kubernetes.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync(
                body, group, Version, @namespace, plural, cancellationToken: cancellationToken).ConfigureAwait(false);
            using (response)
            {
                return ToObject(response.Body) ?? throw new AgentSandboxException(
                    AgentSandboxError.ClaimFailed, $"Creating {what} in namespace '{@namespace}' failed: the API server answered with an empty body.", @namespace);
            }
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException)
        {
            throw Failed(ex, "create", what, @namespace, null, AgentSandboxError.ClaimFailed);
        }
    }

    /// <summary>Deletes a claim (background propagation, as the Go client); true when it was deleted, false when it was already gone.</summary>
    public async Task<bool> DeleteClaimAsync(string @namespace, string claimName, CancellationToken cancellationToken)
    {
        try
        {
            // agent-sandbox 2fd412d clients/go/sandbox/k8s.go:183-197: a claim that is already gone counts as deleted.
            var response = await kubernetes.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync(
                ExtensionsGroup, Version, @namespace, Claims, claimName, body: new V1DeleteOptions { PropagationPolicy = "Background" },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            response.Dispose();
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException)
        {
            throw Failed(ex, "delete", $"SandboxClaim {@namespace}/{claimName}", @namespace, claimName);
        }
    }

    /// <summary>Lists the objects of a kind in a namespace.</summary>
    public async Task<List<JsonObject>> ListAsync(string group, string plural, string @namespace, CancellationToken cancellationToken)
    {
        try
        {
            var response = await kubernetes.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(
                group, Version, @namespace, plural, cancellationToken: cancellationToken).ConfigureAwait(false);
            using (response)
            {
                return (ToObject(response.Body)?["items"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            }
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException)
        {
            throw Failed(ex, "list", $"{plural}.{group} in namespace {@namespace}", @namespace, null);
        }
    }

    /// <summary>Lists claims by name: the items and the list's resourceVersion, to watch from.</summary>
    public async Task<(JsonObject? Claim, string ResourceVersion)> ListClaimAsync(string @namespace, string claimName, CancellationToken cancellationToken)
    {
        try
        {
            var response = await kubernetes.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(
                ExtensionsGroup, Version, @namespace, Claims, fieldSelector: $"metadata.name={claimName}", cancellationToken: cancellationToken).ConfigureAwait(false);
            using (response)
            {
                var list = ToObject(response.Body);
                var item = (list?["items"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(i => (string?)i["metadata"]?["name"] == claimName);
                return (item, (string?)list?["metadata"]?["resourceVersion"] ?? "");
            }
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException)
        {
            throw Failed(ex, "list", $"SandboxClaim {@namespace}/{claimName}", @namespace, claimName);
        }
    }

    /// <summary>Watches one claim by name from <paramref name="resourceVersion"/>: each event's type and object.</summary>
    public async IAsyncEnumerable<(WatchEventType Type, JsonObject? Object)> WatchClaimAsync(
        string @namespace, string claimName, string resourceVersion, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = kubernetes.CustomObjects.WatchListNamespacedCustomObjectAsync(
            ExtensionsGroup, Version, @namespace, Claims, allowWatchBookmarks: true, fieldSelector: $"metadata.name={claimName}",
            resourceVersion: resourceVersion, timeoutSeconds: 300, cancellationToken: cancellationToken);
        await foreach (var (type, item) in events.ConfigureAwait(false))
        {
            yield return (type, ToObject(item));
        }
    }

    /// <summary>Lists the EndpointSlices of a Service (<c>kubernetes.io/service-name</c>).</summary>
    public async Task<V1EndpointSliceList> EndpointSlicesAsync(string @namespace, string service, CancellationToken cancellationToken)
    {
        try
        {
            var response = await kubernetes.DiscoveryV1.ListNamespacedEndpointSliceWithHttpMessagesAsync(
                @namespace, labelSelector: $"kubernetes.io/service-name={service}", cancellationToken: cancellationToken).ConfigureAwait(false);
            using (response)
            {
                return response.Body;
            }
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException)
        {
            throw Failed(ex, "list", $"EndpointSlices of Service {@namespace}/{service}", @namespace, null, AgentSandboxError.RouterFailed);
        }
    }

    /// <summary>The object of a custom-object call's body (a JsonElement), or null.</summary>
    public static JsonObject? ToObject(object? body) => body switch
    {
        null => null,
        JsonElement { ValueKind: JsonValueKind.Object } element => JsonNode.Parse(element.GetRawText()) as JsonObject,
        JsonElement => null,
        JsonObject obj => obj,
        _ => JsonNode.Parse(KubernetesJson.Serialize(body)) as JsonObject,
    };

    private static bool IsMissingApi(HttpOperationException ex) =>
        ApiCall.ReadStatus(ex.Response?.Content) is not { Details.Name: not null } && ex.Response?.Content?.Contains("the server could not find the requested resource", StringComparison.Ordinal) == true;

    private AgentSandboxException Failed(Exception ex, string verb, string what, string @namespace, string? claimName, AgentSandboxError? error = null)
    {
        var server = kubernetes.BaseUri?.ToString() ?? "(unknown)";
        if (ex is not HttpOperationException http)
        {
            return new AgentSandboxException(
                error ?? AgentSandboxError.ClaimFailed,
                $"Could not reach the Kubernetes API server at {server} to {verb} {what} ({ex.Message}). Check the kubeconfig's server address, the network path and the credentials.",
                @namespace, claimName, innerException: ex);
        }

        var code = http.Response?.StatusCode;
        var status = ApiCall.ReadStatus(http.Response?.Content);
        string message = status?.Message ?? http.Response?.Content ?? http.Message;
        if (message.Length > 300)
        {
            message = message[..300] + "…";
        }

        string advice = code switch
        {
            HttpStatusCode.Forbidden => $"The identity may not {verb} {what.Split(' ')[0]}: grant it the verb in a Role (docs/agent-sandboxes.md lists the client's RBAC).",
            HttpStatusCode.Unauthorized => "The credentials were not accepted: refresh them (for AKS: az aks get-credentials).",
            HttpStatusCode.NotFound when IsMissingApi(http) => $"The cluster does not serve {what.Split(' ')[0]}: install agent-sandbox {Version} with its extensions (kubernetes-sigs/agent-sandbox).",
            HttpStatusCode.NotFound => $"{what} does not exist.",
            HttpStatusCode.UnprocessableEntity => "The API server's validation rejected it; fix the AgentSandboxClaimOptions values named above.",
            _ => "See the server's message.",
        };
        var kind = code == HttpStatusCode.NotFound ? AgentSandboxError.NotFound : error ?? AgentSandboxError.ClaimFailed;
        return new AgentSandboxException(kind, $"{char.ToUpperInvariant(verb[0])}{verb[1..]} {what} failed: {(int?)code} {status?.Reason ?? code?.ToString()}: {message}. {advice}",
            @namespace, claimName, status?.Reason, (int?)code, ex);
    }
}
