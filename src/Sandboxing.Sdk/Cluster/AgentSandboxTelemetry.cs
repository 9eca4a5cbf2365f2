using System.Diagnostics;

namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// The client's spans. The names follow the Go client's operations (agent-sandbox 2fd412d clients/go/sandbox/tracing.go:34-45,75-77)
/// under the prefix <c>sandbox-client.</c>; the tags name the namespace, claim, sandbox, the router's HTTP status and the attempts.
/// </summary>
internal static class AgentSandboxTelemetry
{
    public const string Namespace = "sandbox.namespace";
    public const string Claim = "sandbox.claim.name";
    public const string Sandbox = "sandbox.name";
    public const string Pool = "sandbox.warm_pool.name";
    public const string StatusCode = "http.response.status_code";
    public const string Attempts = "sandbox.attempts";
    public const string RequestId = "sandbox.request_id";
    public const string ExitCode = "sandbox.exit_code";
    public const string FileSize = "sandbox.file.size";

    public static readonly ActivitySource Source = new(AgentSandboxClient.ActivitySourceName);

    /// <summary>Starts the span of one operation (null when nobody listens).</summary>
    public static Activity? Start(string operation, string @namespace, string? claim = null, string? sandbox = null)
    {
        var activity = Source.StartActivity("sandbox-client." + operation, ActivityKind.Client);
        activity?.SetTag(Namespace, @namespace);
        if (claim is not null)
        {
            activity?.SetTag(Claim, claim);
        }

        if (sandbox is not null)
        {
            activity?.SetTag(Sandbox, sandbox);
        }

        return activity;
    }

    /// <summary>Marks the span failed with the exception (a cancellation by the caller is not a failure of the operation).</summary>
    public static void Fail(Activity? activity, Exception ex)
    {
        if (activity is null)
        {
            return;
        }

        if (ex is OperationCanceledException)
        {
            activity.SetTag("sandbox.cancelled", true);
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, ex.Message);
        activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
        {
            ["exception.type"] = ex.GetType().FullName,
            ["exception.message"] = ex.Message,
        }));
        if (ex is AgentSandboxException { Reason: { } reason })
        {
            activity.SetTag("sandbox.reason", reason);
        }
    }
}
