using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Sandboxing.Sdk.Cluster;

/// <summary>What a request is about, for error messages.</summary>
/// <param name="Kind">The object's kind (or what is read, such as <c>Node</c>).</param>
/// <param name="Namespace">The object's namespace, if namespaced.</param>
/// <param name="Name">The object's name, if any.</param>
/// <param name="Operation">The verb, for messages: "apply", "read", "list".</param>
/// <param name="RuntimeClassNames">The runtime classes the object's pods use (for the RuntimeClass-not-found message).</param>
internal sealed record ApiTarget(string Kind, string? Namespace, string? Name, string Operation, IReadOnlyList<string> RuntimeClassNames)
{
    /// <summary>The AKS cluster, when the caller knows it (for the az commands of error messages).</summary>
    public string? ClusterName { get; init; }

    /// <summary>The cluster's resource group, when the caller knows it.</summary>
    public string? ResourceGroup { get; init; }

    public string Describe() =>
        Name is null ? Kind
        : string.IsNullOrEmpty(Namespace) ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}

/// <summary>Runs one API call with the retry policy and turns the client's exceptions into <see cref="SandboxDeployException"/>s.</summary>
internal static partial class ApiCall
{
    /// <summary>Reads the body of a response and disposes of the response.</summary>
    public static async Task<T> BodyAsync<T>(Task<HttpOperationResponse<T>> call)
    {
        using var response = await call.ConfigureAwait(false);
        return response.Body;
    }

    public static async Task<T> RunAsync<T>(
        IKubernetes client, Func<CancellationToken, Task<T>> call, SandboxRetryPolicy policy, ApiTarget target,
        CancellationToken cancellationToken)
    {
        // One deadline for the whole call and one per attempt, so a server that accepts and never answers costs at most
        // the policy's Deadline, not attempts x the HTTP client's 100s.
        using var deadlineTimer = policy.Deadline != Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource(policy.Deadline, policy.TimeProvider)
            : new CancellationTokenSource();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadlineTimer.Token);

        for (int attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan? wait;
            try
            {
                using var attemptTimer = policy.AttemptTimeout != Timeout.InfiniteTimeSpan
                    ? new CancellationTokenSource(policy.AttemptTimeout, policy.TimeProvider)
                    : new CancellationTokenSource();
                using var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, attemptTimer.Token);

                var result = await call(attemptToken.Token).ConfigureAwait(false);
                return result ?? throw BadBody(target, "an empty body (null)");
            }
            catch (HttpOperationException ex)
            {
                var status = ReadStatus(ex.Response?.Content);
                var code = ex.Response?.StatusCode;
                bool transient = code is HttpStatusCode.TooManyRequests || (int?)code >= 500;
                if (!transient || attempt >= policy.MaxAttempts)
                {
                    throw Map(ex, status, target, attempt);
                }

                var retryAfter = RetryAfter(ex.Response?.Headers, status);
                if (retryAfter > policy.MaxRetryAfter)
                {
                    throw Map(ex, status, target, attempt, $"The server asked to retry after {retryAfter.Value.TotalSeconds:0}s, longer than the policy's MaxRetryAfter ({policy.MaxRetryAfter.TotalSeconds:0}s).");
                }

                wait = retryAfter;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException ex) when (deadline.IsCancellationRequested)
            {
                throw TimedOut(client, ex, target, attempt, policy.Deadline);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or TimeoutException or IOException)
            {
                // No answer: refused, DNS, TLS, or an attempt's timeout (a cancellation the caller did not ask for).
                if (!policy.RetryConnectionFailures || attempt >= policy.MaxAttempts)
                {
                    throw Unreachable(client, ex, target, attempt);
                }

                wait = null;
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw BadBody(target, $"a body that is not a Kubernetes object ({ex.Message})", ex);
            }

            try
            {
                await Task.Delay(wait ?? policy.Backoff(attempt + 1), policy.TimeProvider, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
            {
                throw TimedOut(client, ex, target, attempt, policy.Deadline);
            }
        }
    }

    private static SandboxDeployException BadBody(ApiTarget target, string what, Exception? inner = null) =>
        new(SandboxDeployReason.Refused, $"{Capitalize(target.Operation)} {target.Describe()} failed: the API server answered with {what}. " +
            "The object may or may not have been written: read it back (kubectl get) before retrying, and check what sits between " +
            "the client and the API server (a proxy or gateway that rewrites answers).",
            target.Describe(), inner: inner);

    private static SandboxDeployException TimedOut(IKubernetes client, Exception ex, ApiTarget target, int attempts, TimeSpan deadline)
    {
        var server = client.BaseUri;
        return SandboxDeployException.Unreachable(
            $"The Kubernetes API server at {server?.ToString() ?? "(unknown)"} did not answer the {target.Operation} of {target.Describe()} " +
            $"within the deadline of {deadline.TotalSeconds:0}s ({attempts} attempt{(attempts == 1 ? "" : "s")}). Check the control plane's " +
            "health and the network path, or allow longer with SandboxRetryPolicy.Deadline.",
            target.Describe(), server, attempts, ex);
    }

    internal static V1Status? ReadStatus(string? content)
    {
        if (string.IsNullOrWhiteSpace(content) || content.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            var status = KubernetesJson.Deserialize<V1Status>(content);
            return status is not null && (status.Kind == "Status" || status.Code is not null || status.Reason is not null) ? status : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    internal static TimeSpan? RetryAfter(IDictionary<string, IEnumerable<string>>? headers, V1Status? status)
    {
        if (headers is not null)
        {
            foreach (var (key, values) in headers)
            {
                if (!string.Equals(key, "Retry-After", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var value = values.FirstOrDefault()?.Trim();
                if (value is null)
                {
                    break;
                }

                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
                {
                    return TimeSpan.FromSeconds(seconds);
                }

                if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                {
                    var delay = date - DateTimeOffset.UtcNow;
                    return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
                }
            }
        }

        return status?.Details?.RetryAfterSeconds is int after and >= 0 ? TimeSpan.FromSeconds(after) : null;
    }

    internal static SandboxDeployException Map(HttpOperationException ex, V1Status? status, ApiTarget target, int attempts, string? extra = null)
    {
        var code = ex.Response?.StatusCode;
        string what = target.Describe();
        string serverMessage = status?.Message ?? Truncate(ex.Response?.Content) ?? ex.Message;
        string prefix = $"{Capitalize(target.Operation)} {what} failed: {(int?)code} {status?.Reason ?? code?.ToString()}: {serverMessage}";
        string tried = attempts > 1 ? $" (after {attempts} attempts)" : "";

        if (code == HttpStatusCode.Forbidden && RuntimeClassNotFound().Match(serverMessage) is { Success: true } rc)
        {
            string name = rc.Groups[1].Value;
            return SandboxDeployException.RuntimeClassNotFound(
                $"{prefix}{Environment.NewLine}The cluster has no RuntimeClass '{name}', so the API server rejects every pod that asks for it. " +
                Fixes.ForMissingRuntimeClass(SandboxRuntimeFor(name), null, null) + extra.Prefixed(),
                what, name, code, status, ex);
        }

        if (code == HttpStatusCode.Conflict && status?.Reason == "Conflict" && status.Details?.Causes is { Count: > 0 } conflictCauses
            && conflictCauses.Any(c => c?.Reason == "FieldManagerConflict"))
        {
            var conflicts = conflictCauses.Where(c => c?.Reason == "FieldManagerConflict")
                .Select(c => new SandboxDeployField(c.Field ?? "", c.Message ?? "", manager: Manager().Match(c.Message ?? "") is { Success: true } m ? m.Groups[1].Value : "(unknown)"))
                .ToList();
            var text = new StringBuilder(prefix).AppendLine()
                .Append("Server-side apply found fields owned by another field manager with a different value:");
            foreach (var conflict in conflicts)
            {
                text.AppendLine().Append("  ").Append(conflict.Field).Append(" is owned by \"").Append(conflict.Manager).Append('"');
            }

            text.AppendLine().Append(
                "Stop setting these fields, change them through their owner, or take them over with SandboxApplyOptions { Force = true } " +
                "(kubectl's --force-conflicts).");
            return SandboxDeployException.ApplyConflict(text + extra.Prefixed(), what, conflicts, code, status, ex);
        }

        if (code == HttpStatusCode.UnprocessableEntity || status?.Reason == "Invalid")
        {
            var causes = (status?.Details?.Causes ?? []).OfType<V1StatusCause>().Select(c => new SandboxDeployField(c.Field ?? "", c.Message ?? "", reason: c.Reason)).ToList();
            var text = new StringBuilder(prefix).AppendLine().Append("The API server's validation rejected the object");
            text.Append(causes.Count == 0 ? "." : ":");
            foreach (var cause in causes)
            {
                text.AppendLine().Append("  ").Append(cause.Field.Length > 0 ? cause.Field : "(object)").Append(": ").Append(cause.Message)
                    .Append(cause.Reason is { Length: > 0 } reason ? $" ({reason})" : "");
            }

            text.AppendLine().Append("Fix these fields in the code that builds the object and apply again.");
            return SandboxDeployException.InvalidObject(text + extra.Prefixed(), what, causes, code, status, ex);
        }

        if (code == HttpStatusCode.NotFound && status?.Details?.Kind == "namespaces" && status.Details.Name is { } missingNs)
        {
            return SandboxDeployException.NamespaceNotFound(
                $"{prefix}{Environment.NewLine}Namespace '{missingNs}' does not exist. Create it first: apply a V1Namespace with " +
                $"ApplySandboxedAsync (it can go in the same batch, which applies namespaces first) or run 'kubectl create namespace {missingNs}'." + extra.Prefixed(),
                what, missingNs, code, status, ex);
        }

        string advice = code switch
        {
            HttpStatusCode.Unauthorized => $"The credentials were not accepted: refresh them (for AKS: {Fixes.AzGetCredentials(target.ClusterName, target.ResourceGroup)}) or check the kubeconfig's user.",
            HttpStatusCode.Forbidden => $"The identity may not {target.Operation} {target.Kind} objects here: grant it the verb in a Role or ClusterRole (server-side apply needs 'patch', and 'create' for new objects), or use another kubeconfig context.",
            HttpStatusCode.NotFound => $"The {target.Kind} API was not found: the cluster may be too old for it (ValidatingAdmissionPolicy needs Kubernetes 1.30), or the object does not exist.",
            HttpStatusCode.BadRequest => "The request was malformed; this is probably a bug in the caller or the SDK: report it with the object's YAML.",
            HttpStatusCode.Conflict => "The object changed while it was being written; apply again.",
            HttpStatusCode.TooManyRequests => $"The API server is throttling requests{tried}; retry later or raise SandboxRetryPolicy.MaxAttempts.",
            _ when (int?)code >= 500 => $"The API server failed{tried}; retry later, and check the control plane's health if it persists.",
            _ => "See the server's message above.",
        };
        return new SandboxDeployException(SandboxDeployReason.Refused, $"{prefix}{Environment.NewLine}{advice}{extra.Prefixed()}", what, code, status, ex);
    }

    private static SandboxDeployException Unreachable(IKubernetes client, Exception ex, ApiTarget target, int attempts)
    {
        var server = client.BaseUri;
        string cause = ex is TaskCanceledException or TimeoutException ? "the request timed out" : ex.InnerException?.Message ?? ex.Message;
        return SandboxDeployException.Unreachable(
            $"Could not reach the Kubernetes API server at {server?.ToString() ?? "(unknown)"} to {target.Operation} {target.Describe()} " +
            $"({cause}; {attempts} attempt{(attempts == 1 ? "" : "s")}). Check that the cluster is running and that the kubeconfig's server " +
            "address, network path (VPN, private cluster, authorized IP ranges) and credentials are right; for AKS: " +
            Fixes.AzGetCredentials(target.ClusterName, target.ResourceGroup) + ".",
            target.Describe(), server, attempts, ex);
    }

    private static SandboxRuntime SandboxRuntimeFor(string name) =>
        KubernetesNamesIsSubdomain(name) ? new SandboxRuntime(name) : SandboxRuntime.Default;

    private static bool KubernetesNamesIsSubdomain(string name) => KubernetesNames.IsSubdomain(name);

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string? Truncate(string? s) => s is null ? null : s.Length <= 300 ? s : s[..300] + "…";

    private static string Prefixed(this string? extra) => extra is null ? "" : Environment.NewLine + extra;

    [GeneratedRegex("RuntimeClass \"([^\"]+)\" not found")]
    private static partial Regex RuntimeClassNotFound();

    [GeneratedRegex("conflict with \"([^\"]+)\"")]
    private static partial Regex Manager();
}
