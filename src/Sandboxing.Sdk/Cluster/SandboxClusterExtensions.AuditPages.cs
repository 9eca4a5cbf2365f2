using System.Net;
using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Cluster;

// The audit's reads: every kind is listed at once, page by page (limit/continue), while the audit judges the kinds in owner
// order; each kind keeps at most a few pages ahead of the judge, so a cluster's objects never sit in memory all at once.
public static partial class SandboxClusterExtensions
{
    /// <summary>Pages one kind may read ahead of the audit, besides the one in flight: enough that the pods' list never waits.</summary>
    private const int PagesAhead = 2;

    /// <summary>One page of one list, or the problem that ended that list.</summary>
    private sealed record ListedPage(string? Namespace, List<IKubernetesObject<V1ObjectMeta>> Items, SandboxDeployException? Problem);

    /// <summary>The lists of one audit: one reader per kind, started at once, each feeding a bounded queue of pages.</summary>
    private sealed class AuditPages : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop;
        private readonly Dictionary<Lister, Channel<ListedPage>> _pages = [];
        private readonly List<Task> _readers = [];

        public AuditPages(
            IKubernetes client, IReadOnlyList<Lister> listers, IReadOnlyList<string> namespaces, string? selector, SandboxAuditOptions options,
            CancellationToken cancellationToken)
        {
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            IReadOnlyList<string?> lists = namespaces.Count == 0 ? [null] : [.. namespaces];
            foreach (var lister in listers)
            {
                var channel = Channel.CreateBounded<ListedPage>(new BoundedChannelOptions(PagesAhead) { SingleReader = true, SingleWriter = true });
                _pages[lister] = channel;
                _readers.Add(Task.Run(() => ReadAsync(client, lister, lists, selector, options, channel.Writer, _stop.Token), CancellationToken.None));
            }
        }

        /// <summary>
        /// The pages of <paramref name="lister"/>'s lists, namespace by namespace, as they arrive. A list the server refuses (403, 404,
        /// an expired continue token) ends with a page that carries the problem; an error that ends the whole audit (unreachable,
        /// 401, cancellation) is thrown here when the audit reaches this kind.
        /// </summary>
        public IAsyncEnumerable<ListedPage> Of(Lister lister, CancellationToken cancellationToken) =>
            _pages[lister].Reader.ReadAllAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            // The audit is done or failed: stop the readers still listing (or waiting for room) and let them finish.
            await _stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(_readers).ConfigureAwait(false);
            }
            finally
            {
                _stop.Dispose();
            }
        }

        private static async Task ReadAsync(
            IKubernetes client, Lister lister, IReadOnlyList<string?> lists, string? selector, SandboxAuditOptions options,
            ChannelWriter<ListedPage> writer, CancellationToken cancellationToken)
        {
            Exception? fatal = null;
            try
            {
                foreach (var ns in lists)
                {
                    string? next = null;
                    do
                    {
                        string? token = next;
                        Page page;
                        try
                        {
                            page = await ApiCall.RunAsync(client, t => lister.List(client, ns, selector, options.PageSize, token, t),
                                options.Retry, new ApiTarget(lister.Kind, ns, null, "list", []), cancellationToken).ConfigureAwait(false);
                        }
                        catch (SandboxDeployException ex) when (ex.Reason != SandboxDeployReason.ClusterUnreachable && ex.StatusCode != HttpStatusCode.Unauthorized)
                        {
                            var problem = ex.ForList(Describe(lister, ns, ex, partly: token is not null), lister.Resource, ns);
                            await writer.WriteAsync(new ListedPage(ns, [], problem), cancellationToken).ConfigureAwait(false);
                            break;
                        }

                        foreach (var item in page.Items)
                        {
                            // List items come without apiVersion and kind; the validator and the reports name the kind.
                            item.ApiVersion ??= lister.ApiVersion;
                            item.Kind ??= lister.Kind;
                        }

                        await writer.WriteAsync(new ListedPage(ns, page.Items, null), cancellationToken).ConfigureAwait(false);
                        next = string.IsNullOrEmpty(page.Continue) ? null : page.Continue;
                    }
                    while (next is not null);
                }
            }
            catch (Exception ex)
            {
                // Handed to the audit, which throws it when it reaches this kind (it may be canceled first).
                fatal = ex;
            }

            writer.TryComplete(fatal);
        }
    }
}
