using System.Diagnostics;
using k8s;

namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// Audits every cluster of a kubeconfig (or the contexts named) at once with the single-cluster audit
/// (<see cref="SandboxClusterExtensions.AuditSandboxingAsync"/>): a bounded number of clusters in flight, each with its own deadline;
/// a cluster that fails is reported as failed and does not stop the others.
/// </summary>
public static class SandboxFleetAudit
{
    /// <summary>
    /// Audits the clusters of <see cref="SandboxFleetAuditOptions.Contexts"/> (every context of the kubeconfig when null) and returns
    /// one audit per context, in the order asked for (the kubeconfig's order for every context).
    /// </summary>
    /// <param name="options">The kubeconfig, contexts, parallelism, deadline and each cluster's audit options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the whole fleet's audit.</param>
    /// <exception cref="SandboxDeployException">The kubeconfig cannot be read, or lacks a context of <see cref="SandboxFleetAuditOptions.Contexts"/> (nothing is audited).</exception>
    /// <exception cref="ArgumentException">A namespace of <see cref="SandboxAuditOptions.Namespaces"/> is not a namespace name.</exception>
    public static Task<IReadOnlyList<SandboxContextAudit>> AuditAsync(SandboxFleetAuditOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxFleetAuditOptions();
        return AuditEachAsync(options, (_, _) => options.Audit, cancellationToken);
    }

    /// <summary>The fleet's audit with each cluster's options chosen from its configuration (the CLI audits each context's namespace).</summary>
    internal static async Task<IReadOnlyList<SandboxContextAudit>> AuditEachAsync(
        SandboxFleetAuditOptions options, Func<string, KubernetesClientConfiguration, SandboxAuditOptions> auditOptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        string path = options.Kubeconfig ?? SandboxKubeconfig.DefaultPath;
        var contexts = Contexts(path, options.Contexts);
        var audits = new SandboxContextAudit[contexts.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, contexts.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism, CancellationToken = cancellationToken },
            async (i, token) => audits[i] = await AuditContextAsync(path, contexts[i], options.ClusterTimeout, auditOptions, token).ConfigureAwait(false))
            .ConfigureAwait(false);
        return audits;
    }

    /// <summary>
    /// Audits one context (null: the kubeconfig's current context) within <paramref name="timeout"/>; every failure but the caller's
    /// cancellation and a bad namespace name is returned as the context's <see cref="SandboxContextAudit.Error"/>.
    /// </summary>
    internal static async Task<SandboxContextAudit> AuditContextAsync(
        string? path, string? context, TimeSpan timeout, Func<string, KubernetesClientConfiguration, SandboxAuditOptions> auditOptions,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string name = context ?? "(current context)";
        Uri? server = null;
        try
        {
            var configuration = await SandboxKubeconfig.LoadAsync(path, context, timeout, deadline.Token).ConfigureAwait(false);
            name = configuration.CurrentContext ?? name;
            server = Uri.TryCreate(configuration.Host, UriKind.Absolute, out var host) ? host : null;
            using IKubernetes client = SandboxKubeconfig.Connect(configuration, path);
            var report = await client.AuditSandboxingAsync(auditOptions(name, configuration), deadline.Token).ConfigureAwait(false);
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
                "or allow longer with SandboxFleetAuditOptions.ClusterTimeout.",
                name, server, 0, ex);
            return new SandboxContextAudit(name, server, null, error, clock.Elapsed);
        }
    }

    private static List<string> Contexts(string path, IReadOnlyCollection<string>? asked)
    {
        var known = SandboxKubeconfig.ContextNames(path);
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
                throw SandboxDeployException.Kubeconfig(
                    $"The kubeconfig '{path}' has no context '{context}'{hint}; it has: {string.Join(", ", known)}. Nothing was audited.", path);
            }
        }

        return wanted;
    }
}
