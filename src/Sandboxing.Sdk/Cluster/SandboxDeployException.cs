using System.Net;
using System.Text;
using k8s.Models;

namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// The API server refused a request the SDK sent, or could not be reached. The message says what happened and what to do; the
/// subclasses name the common cases (<see cref="RuntimeClassNotFoundException"/>, <see cref="ApplyConflictException"/>,
/// <see cref="InvalidObjectException"/>, <see cref="NamespaceNotFoundException"/>, <see cref="ClusterUnreachableException"/>).
/// </summary>
public class SandboxDeployException : SandboxException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="target">The object or request the error is about.</param>
    /// <param name="statusCode">The HTTP status code, or null when no answer came.</param>
    /// <param name="status">The Kubernetes <c>Status</c> object the server answered with, if any.</param>
    /// <param name="inner">The exception of the client, if any.</param>
    public SandboxDeployException(string message, string target, HttpStatusCode? statusCode = null, V1Status? status = null, Exception? inner = null)
        : base(message, inner)
    {
        Target = target;
        StatusCode = statusCode;
        Status = status;
    }

    /// <summary>What the request was about, as "Kind namespace/name" (or the operation, for reads).</summary>
    public string Target { get; }

    /// <summary>The HTTP status code of the answer; null when the server could not be reached.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The <c>Status</c> body of the answer (reason, message, details); null when there was none.</summary>
    public V1Status? Status { get; }

    /// <summary>The server's <c>reason</c> (for example <c>Forbidden</c>, <c>Conflict</c>, <c>Invalid</c>), when it sent one.</summary>
    public string? Reason => Status?.Reason;
}

/// <summary>
/// A pod was rejected because its RuntimeClass does not exist in the cluster
/// (<c>pod rejected: RuntimeClass "kata-vm-isolation" not found</c>, HTTP 403). On AKS this means the cluster has no
/// Pod Sandboxing node pool yet.
/// </summary>
public sealed class RuntimeClassNotFoundException : SandboxDeployException
{
    /// <summary>Creates the exception.</summary>
    public RuntimeClassNotFoundException(string message, string target, string runtimeClassName, HttpStatusCode? statusCode, V1Status? status, Exception? inner = null)
        : base(message, target, statusCode, status, inner)
    {
        RuntimeClassName = runtimeClassName;
    }

    /// <summary>The runtime class the pod asked for.</summary>
    public string RuntimeClassName { get; }
}

/// <summary>One field whose owner is another field manager, from a 409 apply conflict.</summary>
/// <param name="Manager">The field manager that owns the field (for example <c>kubectl-client-side-apply</c>).</param>
/// <param name="Field">The field path, as the server reports it (for example <c>.spec.replicas</c>).</param>
/// <param name="Message">The server's message for this conflict.</param>
public sealed record ApplyConflict(string Manager, string Field, string Message);

/// <summary>
/// Server-side apply found fields that another field manager owns with a different value (HTTP 409). Either stop setting those
/// fields, change them through their owner, or take them over with <see cref="SandboxApplyOptions.Force"/> (kubectl's
/// <c>--force-conflicts</c>).
/// </summary>
public sealed class ApplyConflictException : SandboxDeployException
{
    /// <summary>Creates the exception.</summary>
    public ApplyConflictException(string message, string target, IReadOnlyList<ApplyConflict> conflicts, HttpStatusCode? statusCode, V1Status? status, Exception? inner = null)
        : base(message, target, statusCode, status, inner)
    {
        Conflicts = conflicts;
    }

    /// <summary>Every conflicting field with its owner, in the server's order.</summary>
    public IReadOnlyList<ApplyConflict> Conflicts { get; }
}

/// <summary>One reason the server found an object invalid.</summary>
/// <param name="Field">The field path (for example <c>spec.template.spec.containers[0].image</c>); empty when the server gave none.</param>
/// <param name="Reason">The machine reason (for example <c>FieldValueRequired</c>).</param>
/// <param name="Message">The server's words.</param>
public sealed record InvalidField(string Field, string Reason, string Message);

/// <summary>The API server's validation rejected the object (HTTP 422, reason <c>Invalid</c>); lists every cause with its field path.</summary>
public sealed class InvalidObjectException : SandboxDeployException
{
    /// <summary>Creates the exception.</summary>
    public InvalidObjectException(string message, string target, IReadOnlyList<InvalidField> causes, HttpStatusCode? statusCode, V1Status? status, Exception? inner = null)
        : base(message, target, statusCode, status, inner)
    {
        Causes = causes;
    }

    /// <summary>Every cause the server reported.</summary>
    public IReadOnlyList<InvalidField> Causes { get; }
}

/// <summary>The object's namespace does not exist (HTTP 404 <c>namespaces "…" not found</c>).</summary>
public sealed class NamespaceNotFoundException : SandboxDeployException
{
    /// <summary>Creates the exception.</summary>
    public NamespaceNotFoundException(string message, string target, string @namespace, HttpStatusCode? statusCode, V1Status? status, Exception? inner = null)
        : base(message, target, statusCode, status, inner)
    {
        Namespace = @namespace;
    }

    /// <summary>The missing namespace.</summary>
    public string Namespace { get; }
}

/// <summary>The API server could not be reached (connection refused, DNS, TLS, timeout) after every attempt.</summary>
public sealed class ClusterUnreachableException : SandboxDeployException
{
    /// <summary>Creates the exception.</summary>
    public ClusterUnreachableException(string message, string target, Uri? server, int attempts, Exception? inner = null)
        : base(message, target, null, null, inner)
    {
        Server = server;
        Attempts = attempts;
    }

    /// <summary>The API server address the client used.</summary>
    public Uri? Server { get; }

    /// <summary>How many times the request was tried.</summary>
    public int Attempts { get; }
}

/// <summary>The kubeconfig is missing, does not parse, or lacks the asked-for context.</summary>
public sealed class SandboxKubeconfigException : SandboxException
{
    /// <summary>Creates the exception.</summary>
    public SandboxKubeconfigException(string message, string? path, Exception? inner = null)
        : base(message, inner)
    {
        Path = path;
    }

    /// <summary>The kubeconfig file, or null for the in-cluster or default configuration.</summary>
    public string? Path { get; }
}

/// <summary>A preflight found the cluster not ready for the sandboxed workloads; <see cref="Report"/> says what is missing.</summary>
public sealed class SandboxNotReadyException : SandboxException
{
    /// <summary>Creates the exception from the report.</summary>
    public SandboxNotReadyException(SandboxReadinessReport report)
        : base(Describe(report))
    {
        Report = report;
    }

    /// <summary>The readiness report, with every check and its fix.</summary>
    public SandboxReadinessReport Report { get; }

    private static string Describe(SandboxReadinessReport report)
    {
        var text = new StringBuilder("The cluster is not ready for sandboxed workloads; nothing was applied.");
        foreach (var check in report.Checks)
        {
            if (check.Status == ReadinessStatus.Failed)
            {
                text.Append(Environment.NewLine).Append("  ").Append(check.Name).Append(": ").Append(check.Message);
                if (check.Fix is { } fix)
                {
                    text.Append(Environment.NewLine).Append("    fix: ").Append(fix.Replace("\n", "\n         ", StringComparison.Ordinal));
                }
            }
        }

        return text.ToString();
    }
}
