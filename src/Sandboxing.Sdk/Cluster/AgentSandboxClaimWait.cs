using System.Text;
using System.Text.Json.Nodes;
using k8s;

namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// Waits for a claim to be bound (<c>status.sandbox.name</c>) and Ready, by list then watch on the claim with resume, as the Python
/// client does (agent-sandbox 2fd412d clients/python/agentic-sandbox-client/k8s_agent_sandbox/k8s_helper.py:123-249): the claim
/// forwards its Sandbox's Ready condition (extensions/controllers/sandboxclaim_controller.go:824-830) and carries the claim's own
/// reasons, so one watch sees both, and the terminal reasons fail at once instead of after the whole deadline.
/// </summary>
internal sealed class AgentSandboxClaimWait(AgentSandboxApi api, string @namespace, string claimName, TimeProvider time)
{
    // agent-sandbox 2fd412d clients/python/agentic-sandbox-client/k8s_agent_sandbox/constants.py:48-54.
    private static readonly HashSet<string> s_failed = new(StringComparer.Ordinal) { "InvalidMetadata", "EnvVarsInjectionRejected", "VolumeClaimTemplatesError" };
    private static readonly HashSet<string> s_expired = new(StringComparer.Ordinal) { "ClaimExpired", "SandboxExpired" };

    /// <summary>The conditions last seen, "Type=Status (Reason: message)", for the timeout message.</summary>
    public string LastConditions { get; private set; } = "none observed";

    /// <summary>The pool the claim checks out from, for the WarmPoolNotFound/TemplateNotFound message.</summary>
    public string? WarmPoolName { get; init; }

    /// <summary>Returns the claim once bound and Ready; throws on a terminal reason or a deletion. The caller's token bounds it.</summary>
    public async Task<JsonObject> WaitAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var (claim, resourceVersion) = await api.ListClaimAsync(@namespace, claimName, cancellationToken).ConfigureAwait(false);
            if (claim is null)
            {
                throw Deleted();
            }

            if (Check(claim))
            {
                return claim;
            }

            bool progressed = false;
            try
            {
                await foreach (var (type, item) in api.WatchClaimAsync(@namespace, claimName, resourceVersion, cancellationToken).ConfigureAwait(false))
                {
                    progressed = true;
                    switch (type)
                    {
                        case WatchEventType.Deleted:
                            throw Deleted();
                        case WatchEventType.Error:
                            // An expired resourceVersion (410) or another watch error: list again.
                            goto relist;
                        case WatchEventType.Bookmark:
                            continue;
                        default:
                            if (item is not null && (string?)item["metadata"]?["name"] == claimName && Check(item))
                            {
                                return item;
                            }

                            break;
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or k8s.Autorest.HttpOperationException && !cancellationToken.IsCancellationRequested)
            {
                // The watch broke (a proxy closed it, the server restarted): list again after the backoff.
            }

        relist:
            // agent-sandbox 2fd412d clients/go/sandbox/k8s.go:201-264: 100 ms doubling up to 5 s between re-lists.
            await Task.Delay(progressed ? TimeSpan.FromMilliseconds(100) : backoff, time, cancellationToken).ConfigureAwait(false);
            backoff = progressed ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    /// <summary>The claim's expiry reason (<c>ClaimExpired</c>, <c>SandboxExpired</c>) when its Ready condition is False for one; otherwise null.</summary>
    public static string? ExpiredReason(JsonObject claim)
    {
        var ready = (claim["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Ready");
        string? reason = (string?)ready?["reason"];
        return (string?)ready?["status"] == "False" && reason is not null && s_expired.Contains(reason) ? reason : null;
    }

    /// <summary>True when the claim is bound and Ready; throws on the reasons that will not change by waiting.</summary>
    public bool IsReady(JsonObject claim) => Check(claim);

    private bool Check(JsonObject claim)
    {
        var conditions = (claim["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (conditions.Count > 0)
        {
            LastConditions = Describe(conditions);
        }

        var ready = conditions.FirstOrDefault(c => (string?)c["type"] == "Ready");
        string? reason = (string?)ready?["reason"];
        string? message = (string?)ready?["message"];
        string bound = (string?)claim["status"]?["sandbox"]?["name"] ?? "";
        if ((string?)ready?["status"] == "True" && bound.Length > 0)
        {
            return true;
        }

        if ((string?)ready?["status"] != "False" || reason is null)
        {
            return false;
        }

        string where = $"SandboxClaim {@namespace}/{claimName}";
        if (s_expired.Contains(reason))
        {
            throw new AgentSandboxException(AgentSandboxError.Expired,
                $"{where} expired before it was ready ({reason}: {message}). Claim again, with a longer AgentSandboxClaimOptions.ShutdownAfter if it was set.",
                @namespace, claimName, reason);
        }

        if (s_failed.Contains(reason))
        {
            string fix = reason switch
            {
                "InvalidMetadata" => "Fix AgentSandboxClaimOptions.PodLabels/PodAnnotations (keys in kubernetes.io, k8s.io and agents.x-k8s.io are refused).",
                "EnvVarsInjectionRejected" => "The template's envVarsInjectionPolicy does not allow the claim's environment variables.",
                _ => "The claim's volumeClaimTemplates could not be used.",
            };
            throw new AgentSandboxException(AgentSandboxError.ClaimFailed, $"The controller refused {where} ({reason}: {message}). {fix}", @namespace, claimName, reason);
        }

        // Not terminal for the controller (it requeues every minute, sandboxclaim_controller.go:384-402), but nobody creates the
        // missing object by waiting: fail fast as the Python client does (k8s_helper.py:201-215).
        if (reason == "WarmPoolNotFound")
        {
            string pool = WarmPoolName ?? "(the claim's spec.warmPoolRef.name)";
            throw new AgentSandboxException(AgentSandboxError.NotFound,
                $"{where} waits for SandboxWarmPool '{pool}' in namespace '{@namespace}', which does not exist ({message}). Create the pool and its template, " +
                $"for example with 'sandboxing agent template <template> --image <image> --warm 1' (kubectl apply its output in '{@namespace}'), " +
                "or claim with AgentSandboxClient.ClaimFromTemplateAsync.",
                @namespace, claimName, reason);
        }

        if (reason == "TemplateNotFound")
        {
            throw new AgentSandboxException(AgentSandboxError.NotFound,
                $"{where}: the SandboxTemplate named by SandboxWarmPool '{WarmPoolName}' does not exist in namespace '{@namespace}' ({message}). Create it, " +
                "for example with 'sandboxing agent template <template> --image <image>' (kubectl apply its output).",
                @namespace, claimName, reason);
        }

        return false;
    }

    private AgentSandboxException Deleted() =>
        new(AgentSandboxError.Deleted, $"SandboxClaim {@namespace}/{claimName} was deleted while the client waited for it to be ready (last conditions: {LastConditions}).",
            @namespace, claimName);

    private static string Describe(List<JsonObject> conditions)
    {
        var text = new StringBuilder();
        foreach (var c in conditions)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append((string?)c["type"]).Append('=').Append((string?)c["status"]);
            if ((string?)c["reason"] is { Length: > 0 } reason)
            {
                text.Append(" (").Append(reason);
                if ((string?)c["message"] is { Length: > 0 } message)
                {
                    text.Append(": ").Append(message);
                }

                text.Append(')');
            }
        }

        return text.ToString();
    }
}
