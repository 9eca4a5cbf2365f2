using System.Net;
using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Cluster;

// Audits a live cluster: lists the running workloads (CronJobs, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs) and
// Pods, and validates each with <see cref="SandboxValidator"/> (the same rules and exemptions as the linter and
// <c>ApplySandboxedAsync</c>).
public static partial class SandboxClusterExtensions
{
    // Owners before what they own, so a pod (or ReplicaSet, or Job) whose controller is reported, or covered by a reported
    // owner, is skipped: each problem is reported once, where it is fixed.
    private static readonly Lister[] s_listers =
    [
        new("CronJob", "cronjobs.batch", (c, ns, sel, lim, cont, t) => ns is null
            ? Items(c.BatchV1.ListCronJobForAllNamespacesWithHttpMessagesAsync(continueParameter: cont, labelSelector: sel, limit: lim, cancellationToken: t), l => l.Items)
            : Items(c.BatchV1.ListNamespacedCronJobWithHttpMessagesAsync(ns, continueParameter: cont, labelSelector: sel, limit: lim, cancellationToken: t), l => l.Items)),
        new("Deployment", "deployments.apps", (c, ns, sel, lim, cont, t) => ns is null
            ? Items(c.AppsV1.ListDeploymentForAllNamespacesWithHttpMessagesAsync(continueParameter: cont, labelSelector: sel, limit: lim, cancellationToken: t), l => l.Items)
            : Items(c.AppsV1.ListNamespacedDeploymentWithHttpMessagesAsync(ns, continueParameter: cont, labelSelector: sel, limit: lim, cancellationToken: t), l => l.Items)),
        new("StatefulSet", "statefulsets.apps", (c, ns, sel, lim, cont, t) => ns is null
            ? Items(c.AppsV1.ListStatefulSetForAllNamespacesWithHttpMessagesAsync(continueParameter: cont, labelSelector: sel, limit: lim, cancellationToken: t), l => l.Items)
            : Items(c.AppsV1.ListNamespacedStatefulSetWithHttpMessagesAsync(ns, continueParameter: cont, labelSelector: sel, limit: lim, cancellationToken: t), l => l.Items)),
        new("DaemonSet", "daemonsets.apps", (c, ns, sel, lim, cont, t) => ns is null
            ? Items(c.AppsV1.ListDaemonSetForAllNamespacesWithHttpMessagesAsync(continueParameter: cont, labelSelector: sel, limit: lim, cancellationToken: t), l => l.Items)
            : Items(c.AppsV1.ListNamespacedDaemonSetWithHttpMessagesAsync(ns, continueParameter: cont, labelSelector: sel, limit: lim, cancellationToken: t), l => l.Items)),
        new("ReplicaSet", "replicasets.apps", (c, ns, sel, lim, cont, t) => ns is null
            ? Items(c.AppsV1.ListReplicaSetForAllNamespacesWithHttpMessagesAsync(continueParameter: cont, labelSelector: sel, limit: lim, cancellationToken: t), l => l.Items)
            : Items(c.AppsV1.ListNamespacedReplicaSetWithHttpMessagesAsync(ns, continueParameter: cont, labelSelector: sel, limit: lim, cancellationToken: t), l => l.Items)),
        new("Job", "jobs.batch", (c, ns, sel, lim, cont, t) => ns is null
            ? Items(c.BatchV1.ListJobForAllNamespacesWithHttpMessagesAsync(continueParameter: cont, labelSelector: sel, limit: lim, cancellationToken: t), l => l.Items)
            : Items(c.BatchV1.ListNamespacedJobWithHttpMessagesAsync(ns, continueParameter: cont, labelSelector: sel, limit: lim, cancellationToken: t), l => l.Items)),
        new("Pod", "pods", (c, ns, sel, lim, cont, t) => ns is null
            ? Items(c.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(continueParameter: cont, labelSelector: sel, limit: lim, cancellationToken: t), l => l.Items)
            : Items(c.CoreV1.ListNamespacedPodWithHttpMessagesAsync(ns, continueParameter: cont, labelSelector: sel, limit: lim, cancellationToken: t), l => l.Items)),
    ];

    /// <summary>
    /// Lists the running workloads and pods (every namespace, or <see cref="SandboxAuditOptions.Namespaces"/>) and returns those
    /// with findings. A pod, ReplicaSet or Job whose controller is reported (or is itself skipped for that reason) is skipped, so a
    /// Deployment's problem is reported once at the Deployment; since anyone who creates a pod may write its owner reference, it
    /// counts only when it names a controller of that kind listed in the same audit by name and uid and the object's spec is that
    /// controller's pod template (otherwise the object is reported and its findings say why the reference did not count); finished pods (Succeeded, Failed) and ReplicaSets scaled to zero
    /// by their Deployment (kept for rollback) do not run and are skipped. A list that the API server refuses (403, 404) becomes a
    /// problem of <see cref="SandboxAuditReport.Problems"/> naming the permission to grant, and the other kinds are still audited.
    /// </summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="options">The namespaces, selector and validation options; null audits every namespace with the defaults.</param>
    /// <param name="cancellationToken">Cancels the audit.</param>
    /// <exception cref="SandboxDeployException">
    /// The API server could not be reached or did not answer within the retry policy's deadline (<see cref="SandboxDeployReason.ClusterUnreachable"/>),
    /// or did not accept the credentials (401).
    /// </exception>
    /// <exception cref="ArgumentException">A namespace of <see cref="SandboxAuditOptions.Namespaces"/> is not a namespace name.</exception>
    public static async Task<SandboxAuditReport> AuditSandboxingAsync(
        this IKubernetes client, SandboxAuditOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new SandboxAuditOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1, nameof(options.PageSize));
        var namespaces = (options.Namespaces ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim())
            .Distinct(StringComparer.Ordinal).ToList();
        string? selector = string.IsNullOrWhiteSpace(options.LabelSelector) ? null : options.LabelSelector.Trim();
        foreach (var ns in namespaces)
        {
            if (KubernetesNames.CheckLabel(ns) is { } error)
            {
                throw new ArgumentException($"Namespace '{ns}' is not a namespace name: {error}. Namespaces are DNS labels (lower case letters, digits and '-').");
            }
        }

        var reported = new List<SandboxAuditedObject>();
        var problems = new List<SandboxDeployException>();
        var ownership = new AuditOwnership(); // what is listed, and which objects are covered by a reported controller
        var checkedCount = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var ns in namespaces)
        {
            checkedCount[ns] = 0;
        }

        await using var pages = new AuditPages(client, s_listers, namespaces, selector, options, cancellationToken);
        foreach (var lister in s_listers)
        {
            await foreach (var (ns, items, problem) in pages.Of(lister, cancellationToken).ConfigureAwait(false))
            {
                if (problem is not null)
                {
                    problems.Add(problem);
                    continue;
                }

                foreach (var item in items.Where(i => i.Metadata?.Name is not null)
                    .OrderBy(i => i.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(i => i.Metadata.Name, StringComparer.Ordinal))
                {
                    var meta = item.Metadata;
                    string itemNs = meta.NamespaceProperty ?? ns ?? "";
                    var (isCovered, mismatch) = ownership.Judge(item, lister.Kind, itemNs);
                    var controller = meta.OwnerReferences?.FirstOrDefault(o => o?.Controller == true);
                    if (isCovered || !IsRunning(item, controller))
                    {
                        continue;
                    }

                    checkedCount[itemNs] = checkedCount.GetValueOrDefault(itemNs) + 1;
                    var findings = SandboxValidator.Validate(item, options.Validation);
                    if (findings.Count == 0)
                    {
                        continue;
                    }

                    reported.Add(new SandboxAuditedObject(item, lister.Kind, itemNs, meta.Name,
                        mismatch is null ? findings : [.. findings.Select(f => f.WithMessage($"{f.Message} {mismatch}"))]));
                    ownership.Cover(item);
                }
            }
        }

        return new SandboxAuditReport(reported, problems, namespaces, checkedCount);
    }

    private static bool IsRunning(IKubernetesObject<V1ObjectMeta> item, V1OwnerReference? controller) => item switch
    {
        V1Pod { Status.Phase: "Succeeded" or "Failed" } => false,
        V1ReplicaSet { Spec.Replicas: 0 } when controller is not null => false,
        _ => true,
    };

    private static string Describe(Lister lister, string? ns, SandboxDeployException ex, bool partly)
    {
        string where = ns is null ? "in all namespaces" : $"in namespace {ns}";
        string server = ex.Status?.Message ?? ex.Message.Split('\n')[0].Trim();
        string grant = ex.StatusCode == HttpStatusCode.Forbidden
            ? ns is null
                ? $"Grant the identity the 'list' verb on {lister.Resource} in a ClusterRole bound with a ClusterRoleBinding " +
                  $"(kubectl create clusterrole sandboxing-audit --verb=list --resource={lister.Resource}), or audit single namespaces."
                : $"Grant the identity the 'list' verb on {lister.Resource} in namespace {ns} " +
                  $"(kubectl create role sandboxing-audit --verb=list --resource={lister.Resource} -n {ns})."
            : ex.StatusCode == HttpStatusCode.NotFound
                ? $"The cluster does not serve {lister.Resource} ({lister.ApiVersion}); it may be too old."
                : ex.StatusCode == HttpStatusCode.Gone
                    ? "The list changed faster than it was read page by page (its continue token expired); audit again."
                    : "See the server's message.";
        return $"Cannot list {lister.Resource} {where}: {(int?)ex.StatusCode} {ex.Status?.Reason ?? ex.StatusCode?.ToString()}: {server} {grant} " +
            $"The other kinds were audited; {lister.Kind}s {where} were {(partly ? "only partly (the pages before the error)" : "not")}.";
    }

    private static async Task<Page> Items<TList>(
        Task<k8s.Autorest.HttpOperationResponse<TList>> call, Func<TList, IEnumerable<IKubernetesObject<V1ObjectMeta>>?> items)
        where TList : IMetadata<V1ListMeta>
    {
        var body = await ApiCall.BodyAsync(call).ConfigureAwait(false);
        return new Page(items(body)?.Where(i => i is not null).ToList() ?? [], body.Metadata?.ContinueProperty);
    }

    private sealed record Page(List<IKubernetesObject<V1ObjectMeta>> Items, string? Continue);

    private sealed record Lister(
        string Kind, string Resource,
        Func<IKubernetes, string?, string?, int, string?, CancellationToken, Task<Page>> List)
    {
        public string ApiVersion => Resource switch
        {
            "pods" => "v1",
            _ => $"{Resource[(Resource.IndexOf('.') + 1)..]}/v1",
        };
    }
}
