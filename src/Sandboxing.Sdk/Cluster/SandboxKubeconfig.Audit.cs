using System.Diagnostics;
using k8s;

namespace Sandboxing.Sdk.Cluster;

// The audit of every cluster of a kubeconfig: the single-cluster audit (SandboxClusterExtensions.AuditSandboxingAsync) per context,
// a bounded number of clusters in flight, each with its own deadline; a cluster that fails does not stop the others.
public static partial class SandboxKubeconfig
{
    /// <summary>How many clusters <see cref="AuditContextsAsync"/> audits at once unless told: it waits on API servers, not on the processor.</summary>
    internal const int DefaultMaxParallelism = 8;

    /// <summary>How long one cluster may take unless told.</summary>
    internal static readonly TimeSpan DefaultClusterTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Audits the cluster of each context of a kubeconfig (or of <paramref name="contexts"/>) with
    /// <see cref="SandboxClusterExtensions.AuditSandboxingAsync"/>, <paramref name="maxParallelism"/> clusters at once, and returns one
    /// audit per context in the order asked for (the kubeconfig's order for every context). A cluster that cannot be used, reached or
    /// finished within <paramref name="clusterTimeout"/> is returned with its <see cref="SandboxContextAudit.Error"/>; the others
    /// are still audited.
    /// </summary>
    /// <param name="path">The kubeconfig file; null for <see cref="DefaultPath"/>.</param>
    /// <param name="contexts">The contexts to audit; null or empty for every context of the kubeconfig.</param>
    /// <param name="options">Each cluster's audit: namespaces (null or empty: every namespace), selector, validation, retries, page size.</param>
    /// <param name="maxParallelism">How many clusters are audited at once (each lists its kinds at once too). Default 8.</param>
    /// <param name="clusterTimeout">
    /// How long one cluster may take: its credentials (an exec plugin such as kubelogin), every list, page and retry. Null for two minutes.
    /// </param>
    /// <param name="cancellationToken">Cancels the whole audit.</param>
    /// <exception cref="SandboxDeployException">The kubeconfig cannot be read, or lacks a context of <paramref name="contexts"/> (nothing is audited).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxParallelism"/> is less than 1, or <paramref name="clusterTimeout"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A namespace of <see cref="SandboxAuditOptions.Namespaces"/> is not a namespace name.</exception>
    public static Task<IReadOnlyList<SandboxContextAudit>> AuditContextsAsync(
        string? path = null, IReadOnlyCollection<string>? contexts = null, SandboxAuditOptions? options = null, int maxParallelism = DefaultMaxParallelism,
        TimeSpan? clusterTimeout = null, CancellationToken cancellationToken = default)
    {
        var audit = options ?? new SandboxAuditOptions();
        return AuditEachContextAsync(path, contexts, (_, _) => audit, maxParallelism, clusterTimeout ?? DefaultClusterTimeout, cancellationToken);
    }

    /// <summary>The fleet's audit with each cluster's options chosen from its configuration (the CLI audits each context's namespace).</summary>
    internal static async Task<IReadOnlyList<SandboxContextAudit>> AuditEachContextAsync(
        string? path, IReadOnlyCollection<string>? contexts, Func<string, KubernetesClientConfiguration, SandboxAuditOptions> options,
        int maxParallelism, TimeSpan clusterTimeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(clusterTimeout, TimeSpan.Zero);
        path ??= DefaultPath;
        var chosen = Contexts(path, contexts);
        var audits = new SandboxContextAudit[chosen.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, chosen.Count),
            new ParallelOptions { MaxDegreeOfParallelism = maxParallelism, CancellationToken = cancellationToken },
            async (i, token) => audits[i] = await AuditContextAsync(path, chosen[i], clusterTimeout, options, token).ConfigureAwait(false))
            .ConfigureAwait(false);
        return audits;
    }

    /// <summary>
    /// Audits one context (null: the kubeconfig's current context) within <paramref name="timeout"/>; every failure but the caller's
    /// cancellation and a bad namespace name is returned as the context's <see cref="SandboxContextAudit.Error"/>.
    /// </summary>
    internal static async Task<SandboxContextAudit> AuditContextAsync(
        string? path, string? context, TimeSpan timeout, Func<string, KubernetesClientConfiguration, SandboxAuditOptions> options,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string name = context ?? "(current context)";
        Uri? server = null;
        try
        {
            var configuration = await LoadAsync(path, context, timeout, deadline.Token).ConfigureAwait(false);
            name = configuration.CurrentContext ?? name;
            server = Uri.TryCreate(configuration.Host, UriKind.Absolute, out var host) ? host : null;
            using IKubernetes client = Connect(configuration, path);
            var report = await client.AuditSandboxingAsync(options(name, configuration), deadline.Token).ConfigureAwait(false);
            return new SandboxContextAudit(name, server, report, null, clock.Elapsed);
        }
        catch (SandboxDeployException ex)
        {
            return new SandboxContextAudit(name, server, null, ex, clock.Elapsed);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var error = SandboxDeployException.Unreachable(
                $"The audit of context '{name}'{(server is null ? "" : $" (API server {server})")} did not finish within its deadline of " +
                $"{timeout.TotalSeconds:0.#}s; the other clusters were audited. Check the control plane's health and the network path, " +
                "or allow longer with AuditContextsAsync's clusterTimeout.",
                name, server, 0, ex);
            return new SandboxContextAudit(name, server, null, error, clock.Elapsed);
        }
    }

    private static List<string> Contexts(string path, IReadOnlyCollection<string>? asked)
    {
        var known = ContextNames(path);
        var wanted = (asked ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return known.ToList();
        }

        foreach (var context in wanted)
        {
            if (!known.Contains(context, StringComparer.Ordinal))
            {
                string hint = NearMatch.Among(context, known) is { } near ? $" (did you mean '{near}'?)" : "";
                throw SandboxDeployException.Kubeconfig($"The kubeconfig '{path}' has no context '{context}'{hint}; it has: {string.Join(", ", known)}. Nothing was audited.", path);
            }
        }

        return wanted;
    }
}
