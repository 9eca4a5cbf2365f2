using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Cluster;

/// <summary>What <see cref="SandboxClusterExtensions.AuditSandboxingAsync"/> reads and how it judges it.</summary>
public sealed class SandboxAuditOptions
{
    /// <summary>The namespaces to read; null or empty reads every namespace (one cluster-wide list per kind).</summary>
    public IReadOnlyCollection<string>? Namespaces { get; init; }

    /// <summary>A label selector (<c>app=web,tier!=db</c>) sent with every list; null lists every object.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>The validator's options: the runtime messages suggest, the allowed classes, whether exemptions count.</summary>
    public SandboxValidationOptions Validation { get; init; } = SandboxValidationOptions.Default;

    /// <summary>How each list call is retried, and its deadline.</summary>
    public SandboxRetryPolicy Retry { get; init; } = SandboxRetryPolicy.Default;

    /// <summary>
    /// How many objects one list request asks for; the rest comes in further pages (the server's continue token). Default 500
    /// (kubectl's chunk size). Every kind is listed at once and reads at most two pages ahead of the audit, so memory holds a few
    /// pages per kind and the objects with findings, never whole lists.
    /// </summary>
    public int PageSize { get; init; } = 500;
}

/// <summary>A live object with findings, as read from the API server.</summary>
public sealed class SandboxAuditedObject
{
    internal SandboxAuditedObject(IKubernetesObject<V1ObjectMeta> obj, string kind, string @namespace, string name, IReadOnlyList<SandboxFinding> findings)
    {
        Object = obj;
        Kind = kind;
        Namespace = @namespace;
        Name = name;
        Findings = findings;
    }

    /// <summary>The object as the API server returned it (a <c>V1Deployment</c>, <c>V1Pod</c>, …).</summary>
    public IKubernetesObject<V1ObjectMeta> Object { get; }

    /// <summary>Its kind.</summary>
    public string Kind { get; }

    /// <summary>Its namespace.</summary>
    public string Namespace { get; }

    /// <summary>Its name.</summary>
    public string Name { get; }

    /// <summary>What the validator found, in field order.</summary>
    public IReadOnlyList<SandboxFinding> Findings { get; }
}

/// <summary>The outcome of an audit: the objects with findings and the lists that could not be read.</summary>
public sealed class SandboxAuditReport
{
    internal SandboxAuditReport(
        IReadOnlyList<SandboxAuditedObject> objects, IReadOnlyList<SandboxDeployException> problems, IReadOnlyList<string> namespaces,
        IReadOnlyDictionary<string, int> @checked)
    {
        Objects = objects;
        Problems = problems;
        Namespaces = namespaces;
        Checked = @checked;
    }

    /// <summary>The objects with findings, each problem once at its owner (kind order, then namespace and name).</summary>
    public IReadOnlyList<SandboxAuditedObject> Objects { get; }

    /// <summary>
    /// The lists that could not be read, one error each: its <see cref="SandboxDeployException.Target"/> is the resource as RBAC
    /// names it (<c>deployments.apps</c>, <c>pods</c>), its <see cref="SandboxDeployException.Namespace"/> the namespace listed
    /// (null for a cluster-wide list), its message what failed and which permission to grant, and its inner exception the error
    /// of the API call.
    /// </summary>
    public IReadOnlyList<SandboxDeployException> Problems { get; }

    /// <summary>The namespaces read, or empty when every namespace was.</summary>
    public IReadOnlyList<string> Namespaces { get; }

    /// <summary>Pod-bearing objects validated per namespace (objects covered by a reported owner are not counted).</summary>
    public IReadOnlyDictionary<string, int> Checked { get; }

    /// <summary>True when no object has a finding and every list was read.</summary>
    public bool IsClean => Objects.Count == 0 && Problems.Count == 0;
}
