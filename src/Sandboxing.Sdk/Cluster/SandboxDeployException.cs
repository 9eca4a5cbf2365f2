using System.Net;
using System.Text;
using k8s.Models;

namespace Sandboxing.Sdk.Cluster;

/// <summary>Why a deploy, audit or preflight failed: the cases a caller may handle differently.</summary>
public enum SandboxDeployReason
{
    /// <summary>The API server refused the request for another reason (403, 401, 404, 429, 5xx, …); the message says what to do.</summary>
    Refused,

    /// <summary>
    /// A pod was rejected because its RuntimeClass does not exist in the cluster (<c>pod rejected: RuntimeClass
    /// "kata-vm-isolation" not found</c>, HTTP 403); on AKS the cluster has no Pod Sandboxing node pool yet.
    /// <see cref="SandboxDeployException.RuntimeClassName"/> names it.
    /// </summary>
    RuntimeClassNotFound,

    /// <summary>
    /// Server-side apply found fields another field manager owns with a different value (HTTP 409); stop setting them, change them
    /// through their owner, or take them over with <see cref="SandboxApplyOptions.Force"/>. <see cref="SandboxDeployException.Fields"/>
    /// lists them with their owners.
    /// </summary>
    ApplyConflict,

    /// <summary>The API server's validation rejected the object (HTTP 422, reason <c>Invalid</c>); <see cref="SandboxDeployException.Fields"/> lists every cause.</summary>
    InvalidObject,

    /// <summary>The object's namespace does not exist (HTTP 404 <c>namespaces "…" not found</c>); <see cref="SandboxDeployException.Namespace"/> names it.</summary>
    NamespaceNotFound,

    /// <summary>
    /// The API server could not be reached (connection refused, DNS, TLS, timeout) after every attempt, or did not answer within the
    /// retry policy's deadline; <see cref="SandboxDeployException.Server"/> and <see cref="SandboxDeployException.Attempts"/> say where and how often.
    /// </summary>
    ClusterUnreachable,

    /// <summary>A preflight found the cluster not ready for the sandboxed workloads and nothing was applied; <see cref="SandboxDeployException.ReadinessReport"/> says what is missing.</summary>
    NotReady,

    /// <summary>The kubeconfig is missing, does not parse, or lacks the asked-for context; <see cref="SandboxDeployException.KubeconfigPath"/> names the file.</summary>
    Kubeconfig,
}

/// <summary>
/// A deploy, audit or preflight failed: the API server refused a request the SDK sent or could not be reached, the kubeconfig
/// cannot be used, or the cluster is not ready. The message says what happened and what to do; <see cref="Reason"/> names the
/// case and the properties of that case carry its data.
/// </summary>
public sealed class SandboxDeployException : SandboxException
{
    internal SandboxDeployException(
        SandboxDeployReason reason, string message, string target, HttpStatusCode? statusCode = null, V1Status? status = null, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
        Target = target;
        StatusCode = statusCode;
        Status = status;
    }

    /// <summary>Which case this is; the properties it names carry the case's data.</summary>
    public SandboxDeployReason Reason { get; }

    /// <summary>
    /// What the request was about, as "Kind namespace/name" (or the operation, for reads; the file, for a kubeconfig; the resource
    /// as RBAC names it, such as <c>deployments.apps</c>, for a list an audit could not read).
    /// </summary>
    public string Target { get; }

    /// <summary>The HTTP status code of the answer; null when the server could not be reached or was not asked.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The <c>Status</c> body of the answer (its <c>reason</c>, message, details); null when there was none.</summary>
    public V1Status? Status { get; }

    /// <summary>For <see cref="SandboxDeployReason.RuntimeClassNotFound"/>: the runtime class the pod asked for.</summary>
    public string? RuntimeClassName { get; private init; }

    /// <summary>
    /// The fields the server named, in its order: for <see cref="SandboxDeployReason.ApplyConflict"/> every conflicting field with
    /// its <see cref="SandboxDeployField.Manager"/>, for <see cref="SandboxDeployReason.InvalidObject"/> every cause with its
    /// <see cref="SandboxDeployField.Reason"/>; empty otherwise.
    /// </summary>
    public IReadOnlyList<SandboxDeployField> Fields { get; private init; } = [];

    /// <summary>
    /// For <see cref="SandboxDeployReason.NamespaceNotFound"/>: the missing namespace; for a list an audit could not read
    /// (<see cref="SandboxAuditReport.Problems"/>): the namespace listed, or null for a cluster-wide list.
    /// </summary>
    public string? Namespace { get; private init; }

    /// <summary>For <see cref="SandboxDeployReason.ClusterUnreachable"/>: the API server address the client used.</summary>
    public Uri? Server { get; private init; }

    /// <summary>For <see cref="SandboxDeployReason.ClusterUnreachable"/>: how many times the request was tried.</summary>
    public int Attempts { get; private init; }

    /// <summary>For <see cref="SandboxDeployReason.NotReady"/>: the readiness report, with every check and its fix.</summary>
    public SandboxReadinessReport? ReadinessReport { get; private init; }

    /// <summary>For <see cref="SandboxDeployReason.Kubeconfig"/>: the kubeconfig file, or null for the in-cluster or default configuration.</summary>
    public string? KubeconfigPath { get; private init; }

    internal static SandboxDeployException RuntimeClassNotFound(string message, string target, string runtimeClassName, HttpStatusCode? statusCode, V1Status? status, Exception? inner) =>
        new(SandboxDeployReason.RuntimeClassNotFound, message, target, statusCode, status, inner) { RuntimeClassName = runtimeClassName };

    internal static SandboxDeployException ApplyConflict(string message, string target, IReadOnlyList<SandboxDeployField> conflicts, HttpStatusCode? statusCode, V1Status? status, Exception? inner) =>
        new(SandboxDeployReason.ApplyConflict, message, target, statusCode, status, inner) { Fields = conflicts };

    internal static SandboxDeployException InvalidObject(string message, string target, IReadOnlyList<SandboxDeployField> causes, HttpStatusCode? statusCode, V1Status? status, Exception? inner) =>
        new(SandboxDeployReason.InvalidObject, message, target, statusCode, status, inner) { Fields = causes };

    internal static SandboxDeployException NamespaceNotFound(string message, string target, string @namespace, HttpStatusCode? statusCode, V1Status? status, Exception? inner) =>
        new(SandboxDeployReason.NamespaceNotFound, message, target, statusCode, status, inner) { Namespace = @namespace };

    /// <summary>This error restated for a list an audit could not read: the audit's message, the resource and namespace listed.</summary>
    internal SandboxDeployException ForList(string message, string resource, string? @namespace) =>
        new(Reason, message, resource, StatusCode, Status, this) { Namespace = @namespace };

    internal static SandboxDeployException Unreachable(string message, string target, Uri? server, int attempts, Exception? inner) =>
        new(SandboxDeployReason.ClusterUnreachable, message, target, inner: inner) { Server = server, Attempts = attempts };

    internal static SandboxDeployException Kubeconfig(string message, string? path, Exception? inner = null) =>
        new(SandboxDeployReason.Kubeconfig, message, path ?? "kubeconfig", inner: inner) { KubeconfigPath = path };

    internal static SandboxDeployException NotReady(SandboxReadinessReport report)
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

        return new SandboxDeployException(SandboxDeployReason.NotReady, text.ToString(), "preflight") { ReadinessReport = report };
    }
}
