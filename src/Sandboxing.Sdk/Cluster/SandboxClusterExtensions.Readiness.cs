using System.Net;
using k8s;
using k8s.Models;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Cluster;

// The readiness preflight: before sandboxed workloads are deployed, checks that each runtime class they use exists with the
// expected handler, that nodes carrying the class's labels exist and are Ready, that the workloads' namespaces exist, and that the
// planned pods (requests plus RuntimeClass overhead) fit on those nodes. The report says what is missing and how to fix it.
public static partial class SandboxClusterExtensions
{
    /// <summary>Runs the preflight against the cluster.</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="options">The workloads and the runtime to check; null checks the default runtime alone.</param>
    /// <param name="cancellationToken">Cancels the checks.</param>
    /// <returns>The report; <see cref="SandboxReadinessReport.IsReady"/> is false when a check failed.</returns>
    /// <exception cref="SandboxDeployException">The API server could not be reached.</exception>
    public static async Task<SandboxReadinessReport> CheckSandboxReadinessAsync(
        this IKubernetes client, SandboxReadinessOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new SandboxReadinessOptions();
        var workloads = Flatten(options.Workloads).ToList();
        var checks = new List<ReadinessCheck>();
        var classes = new Dictionary<string, V1RuntimeClass?>(StringComparer.Ordinal);
        var nodesByClass = new Dictionary<string, List<NodeCapacity>>(StringComparer.Ordinal);
        var allNodes = new Dictionary<string, NodeCapacity>(StringComparer.Ordinal);
        var batchClasses = workloads.OfType<V1RuntimeClass>().Where(r => r.Metadata?.Name is not null).ToDictionary(r => r.Metadata.Name, StringComparer.Ordinal);
        var batchNamespaces = workloads.OfType<V1Namespace>().Select(n => n.Metadata?.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);

        var classNames = workloads.SelectMany(w => PodTemplates.FindAll(w)).Select(s => s.Spec.RuntimeClassName)
            .Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!).Distinct(StringComparer.Ordinal).ToList();
        if (classNames.Count == 0)
        {
            classNames.Add(options.Runtime.Name);
        }

        foreach (var name in classNames)
        {
            var runtime = RuntimeFor(name, options.Runtime);
            var runtimeClass = await ReadRuntimeClassAsync(client, name, runtime, options, checks, batchClasses, cancellationToken).ConfigureAwait(false);
            classes[name] = runtimeClass;
            var nodes = await CheckNodesAsync(client, runtime, runtimeClass, options, checks, cancellationToken).ConfigureAwait(false);
            nodesByClass[name] = nodes;
            foreach (var node in nodes)
            {
                allNodes[node.Name] = node;
            }
        }

        await CheckNamespacesAsync(client, workloads, batchNamespaces, options, checks, cancellationToken).ConfigureAwait(false);

        var footprints = Footprints.Sandboxed(workloads, name =>
        {
            if (classes.TryGetValue(name, out var rc) && rc is not null)
            {
                return new RuntimeShare(Overhead(rc, "cpu"), Overhead(rc, "memory"), rc.Scheduling?.Tolerations?.ToList() ?? []);
            }

            var (memory, cpu) = RuntimeFor(name, options.Runtime).OverheadValues;
            return new RuntimeShare(cpu ?? 0, memory ?? 0, []);
        });

        if (footprints.Count == 0)
        {
            checks.Add(new ReadinessCheck("Capacity", ReadinessStatus.Skipped, "No sandboxed workloads were given, so no pods to fit."));
        }
        else if (options.NodePool is { } pool && options.CapacityCheck is null)
        {
            var usable = allNodes.Values.Where(n => n.Usable).ToList();
            checks.Add(pool.ToCapacityCheck([.. workloads])(footprints, usable));
        }
        else
        {
            foreach (var group in footprints.GroupBy(f => f.RuntimeClassName!, StringComparer.Ordinal))
            {
                var usable = nodesByClass.GetValueOrDefault(group.Key)?.Where(n => n.Usable).ToList() ?? [];
                var check = options.CapacityCheck is { } custom
                    ? custom(group.ToList(), usable)
                    : Capacity.Check(group.Key, group.ToList(), usable, RuntimeFor(group.Key, options.Runtime), options);
                checks.Add(check);
            }
        }

        return new SandboxReadinessReport(checks, classes, allNodes.Values.ToList(), footprints, options.AllowUnverified);
    }

    /// <summary>
    /// Describes, without a cluster, the checks <see cref="CheckSandboxReadinessAsync"/> would make for these options: the
    /// requests it would send and what each verifies, then the planned pod footprints with the overheads the SDK knows.
    /// </summary>
    public static IReadOnlyList<string> DescribePreflight(SandboxReadinessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var workloads = Flatten(options.Workloads).ToList();
        var lines = new List<string>();
        var classNames = workloads.SelectMany(w => PodTemplates.FindAll(w)).Select(s => s.Spec.RuntimeClassName)
            .Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!).Distinct(StringComparer.Ordinal).DefaultIfEmpty(options.Runtime.Name);
        foreach (var name in classNames)
        {
            var runtime = RuntimeFor(name, options.Runtime);
            string handler = runtime.Definition?.Handler ?? runtime.Known?.Handler ?? "(any)";
            lines.Add($"GET /apis/node.k8s.io/v1/runtimeclasses/{name}: the RuntimeClass exists, with handler {handler}");
            string selector = runtime.NodeSelector is { } s ? $"{s.Key}={s.Value}" : "(the RuntimeClass's scheduling.nodeSelector)";
            lines.Add($"GET /api/v1/nodes?labelSelector={selector}: nodes for {name} exist and are Ready");
        }

        var batchNamespaces = workloads.OfType<V1Namespace>().Select(n => n.Metadata?.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var ns in Namespaces(workloads))
        {
            lines.Add(batchNamespaces.Contains(ns)
                ? $"namespace {ns}: created by the same batch (namespaces are applied first)"
                : $"GET /api/v1/namespaces/{ns}: the namespace exists");
        }

        foreach (var footprint in PodFootprint.For(workloads))
        {
            lines.Add($"fit: {footprint}");
        }

        return lines;
    }

    private static async Task<V1RuntimeClass?> ReadRuntimeClassAsync(
        IKubernetes client, string name, SandboxRuntime runtime, SandboxReadinessOptions options, List<ReadinessCheck> checks,
        Dictionary<string, V1RuntimeClass> batchClasses, CancellationToken cancellationToken)
    {
        string check = $"RuntimeClass {name}";
        V1RuntimeClass runtimeClass;
        try
        {
            runtimeClass = await ApiCall.RunAsync(client,
                t => ApiCall.BodyAsync(client.NodeV1.ReadRuntimeClassWithHttpMessagesAsync(name, null, null, t)),
                options.Retry, new ApiTarget("RuntimeClass", null, name, "read", []) { ClusterName = options.ClusterName, ResourceGroup = options.ResourceGroup }, cancellationToken).ConfigureAwait(false);
        }
        catch (SandboxDeployException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            if (batchClasses.TryGetValue(name, out var planned))
            {
                checks.Add(new ReadinessCheck(check, ReadinessStatus.Passed, $"not in the cluster yet; the batch creates it (handler {planned.Handler})."));
                return planned;
            }

            checks.Add(new ReadinessCheck(check, ReadinessStatus.Failed,
                $"the cluster has no RuntimeClass '{name}': the API server will reject every pod that asks for it (pod rejected: RuntimeClass \"{name}\" not found).",
                Fixes.ForMissingRuntimeClass(runtime, options.ClusterName, options.ResourceGroup)));
            return null;
        }
        catch (SandboxDeployException ex) when (ex.Reason != SandboxDeployReason.ClusterUnreachable)
        {
            checks.Add(new ReadinessCheck(check, ReadinessStatus.Unverified, $"could not be read ({(int?)ex.StatusCode} {ex.Status?.Reason}): {ex.Status?.Message ?? ex.Message}",
                "Grant the identity 'get' on runtimeclasses.node.k8s.io, or run the preflight with a kubeconfig that may read them."));
            return null;
        }

        string? expected = runtime.Definition?.Handler ?? runtime.Known?.Handler;
        string overhead = runtimeClass.Overhead?.PodFixed is { Count: > 0 } podFixed
            ? string.Join(", ", podFixed.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))
            : "none";
        if (expected is not null && !string.Equals(runtimeClass.Handler, expected, StringComparison.Ordinal))
        {
            checks.Add(new ReadinessCheck(check, ReadinessStatus.Warning,
                $"exists, but its handler is '{runtimeClass.Handler}' where '{expected}' was expected: pods are scheduled, then fail to start if the nodes lack that handler.",
                $"Check that '{runtimeClass.Handler}' is the handler the nodes' containerd configures, or recreate the RuntimeClass (the handler is immutable):\n{Fixes.RuntimeClassYaml(runtime)}"));
        }
        else
        {
            checks.Add(new ReadinessCheck(check, ReadinessStatus.Passed, $"exists (handler {runtimeClass.Handler}, overhead {overhead})."));
        }

        return runtimeClass;
    }

    private static async Task<List<NodeCapacity>> CheckNodesAsync(
        IKubernetes client, SandboxRuntime runtime, V1RuntimeClass? runtimeClass, SandboxReadinessOptions options, List<ReadinessCheck> checks,
        CancellationToken cancellationToken)
    {
        string check = $"Nodes for {runtime.Name}";
        IEnumerable<KeyValuePair<string, string>> labels = runtimeClass?.Scheduling?.NodeSelector is { Count: > 0 } selector
            ? selector
            : runtime.Definition?.NodeSelector is { Count: > 0 } defined ? defined
            : runtime.NodeSelector is { } known ? [known] : [];
        string labelSelector = string.Join(",", labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        if (labelSelector.Length == 0)
        {
            checks.Add(new ReadinessCheck(check, ReadinessStatus.Warning,
                $"neither the cluster's RuntimeClass nor the SDK names a node label for '{runtime.Name}', so the nodes that have its handler cannot be found.",
                "Add scheduling.nodeSelector to the RuntimeClass so that its pods land only on nodes with the handler."));
            return [];
        }

        V1NodeList list;
        try
        {
            list = await ApiCall.RunAsync(client,
                t => ApiCall.BodyAsync(client.CoreV1.ListNodeWithHttpMessagesAsync(labelSelector: labelSelector, cancellationToken: t)),
                options.Retry, new ApiTarget("Node", null, null, "list", []) { ClusterName = options.ClusterName, ResourceGroup = options.ResourceGroup }, cancellationToken).ConfigureAwait(false);
        }
        catch (SandboxDeployException ex) when (ex.Reason != SandboxDeployReason.ClusterUnreachable)
        {
            checks.Add(new ReadinessCheck(check, ReadinessStatus.Unverified, $"nodes could not be listed ({(int?)ex.StatusCode} {ex.Status?.Reason}): {ex.Status?.Message ?? ex.Message}",
                "Grant the identity 'list' on nodes (a ClusterRole), or run the preflight with a kubeconfig that may list them."));
            return [];
        }

        var nodes = (list.Items ?? []).Where(n => n?.Metadata?.Name is not null).Select(NodeCapacity.FromNode).ToList();
        var usable = nodes.Where(n => n.Usable).ToList();
        if (nodes.Count == 0)
        {
            checks.Add(new ReadinessCheck(check, ReadinessStatus.Failed,
                $"no node has the label {labelSelector}: pods of '{runtime.Name}' stay Pending.",
                Fixes.ForMissingNodes(runtime, labelSelector, options.ClusterName, options.ResourceGroup)));
        }
        else if (usable.Count == 0)
        {
            string states = string.Join(", ", nodes.Select(n => $"{n.Name} ({(n.Ready ? "cordoned" : "NotReady")})"));
            checks.Add(new ReadinessCheck(check, ReadinessStatus.Failed,
                $"{nodes.Count} node{(nodes.Count == 1 ? "" : "s")} with {labelSelector}, none Ready and schedulable: {states}.",
                "Check the nodes (kubectl describe node <node>), uncordon them (kubectl uncordon <node>), or add nodes:\n" +
                Fixes.ForMissingNodes(runtime, labelSelector, options.ClusterName, options.ResourceGroup)));
        }
        else
        {
            checks.Add(new ReadinessCheck(check, ReadinessStatus.Passed,
                $"{usable.Count} of {nodes.Count} node{(nodes.Count == 1 ? "" : "s")} with {labelSelector} Ready and schedulable ({string.Join(", ", usable.Select(n => n.Name))})."));
        }

        return nodes;
    }

    private static async Task CheckNamespacesAsync(
        IKubernetes client, List<object> workloads, HashSet<string> batchNamespaces, SandboxReadinessOptions options, List<ReadinessCheck> checks,
        CancellationToken cancellationToken)
    {
        foreach (var ns in Namespaces(workloads))
        {
            string check = $"Namespace {ns}";
            if (batchNamespaces.Contains(ns))
            {
                checks.Add(new ReadinessCheck(check, ReadinessStatus.Passed, "created by the same batch."));
                continue;
            }

            try
            {
                await ApiCall.RunAsync(client,
                    t => ApiCall.BodyAsync(client.CoreV1.ReadNamespaceWithHttpMessagesAsync(ns, null, null, t)),
                    options.Retry, new ApiTarget("Namespace", null, ns, "read", []) { ClusterName = options.ClusterName, ResourceGroup = options.ResourceGroup }, cancellationToken).ConfigureAwait(false);
                checks.Add(new ReadinessCheck(check, ReadinessStatus.Passed, "exists."));
            }
            catch (SandboxDeployException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                checks.Add(new ReadinessCheck(check, ReadinessStatus.Failed, $"does not exist: applying the workloads would fail with 404 namespaces \"{ns}\" not found.",
                    $"Apply a V1Namespace named '{ns}' in the same batch (namespaces are applied first) or run: kubectl create namespace {ns}"));
            }
            catch (SandboxDeployException ex) when (ex.Reason != SandboxDeployReason.ClusterUnreachable)
            {
                checks.Add(new ReadinessCheck(check, ReadinessStatus.Unverified, $"could not be read ({(int?)ex.StatusCode} {ex.Status?.Reason}); the identity may lack 'get' on namespaces.",
                    "Grant the identity 'get' on namespaces, or set SandboxReadinessOptions.AllowUnverified to deploy without this check."));
            }
        }
    }

    private static IEnumerable<string> Namespaces(IEnumerable<object> workloads) =>
        workloads.OfType<IKubernetesObject<V1ObjectMeta>>()
            .Where(o => o is not V1Namespace and not V1RuntimeClass && PodTemplates.FindAll(o).Count > 0)
            .Select(o => o.Metadata?.NamespaceProperty).Where(n => !string.IsNullOrEmpty(n)).Select(n => n!)
            .Distinct(StringComparer.Ordinal);

    private static IEnumerable<object> Flatten(IEnumerable<object>? items)
    {
        foreach (var item in items ?? [])
        {
            if (item is System.Collections.IEnumerable many and not IKubernetesObject and not string)
            {
                foreach (var inner in Flatten(many.Cast<object>()))
                {
                    yield return inner;
                }
            }
            else if (item is not null)
            {
                yield return item;
            }
        }
    }

    private static SandboxRuntime RuntimeFor(string name, SandboxRuntime fallback) =>
        fallback.Name == name ? fallback : KubernetesNames.IsSubdomain(name) ? new SandboxRuntime(name) : fallback;

    private static decimal Overhead(V1RuntimeClass rc, string resource) =>
        rc.Overhead?.PodFixed is { } podFixed && podFixed.TryGetValue(resource, out var q) && q is not null ? q.ToDecimal() : 0;
}
