using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sandboxing.Benchmarks;

/// <summary>
/// A Kubernetes API server on 127.0.0.1 for the fleet audit benchmark: it answers the audit's seven cluster-wide lists after a
/// fixed latency, pods paged with <c>limit</c>/<c>continue</c> as the API server pages them, every other kind empty. The pods are
/// bare and running; without a runtime class each is a finding the audit keeps (the worst case for memory), with
/// kata-vm-isolation none is.
/// </summary>
internal sealed class LoopbackApiServer : IAsyncDisposable
{
    private static readonly Dictionary<string, string> s_lists = new(StringComparer.Ordinal)
    {
        ["/apis/batch/v1/cronjobs"] = "CronJobList",
        ["/apis/apps/v1/deployments"] = "DeploymentList",
        ["/apis/apps/v1/statefulsets"] = "StatefulSetList",
        ["/apis/apps/v1/daemonsets"] = "DaemonSetList",
        ["/apis/apps/v1/replicasets"] = "ReplicaSetList",
        ["/apis/batch/v1/jobs"] = "JobList",
        ["/api/v1/pods"] = "PodList",
    };

    private readonly WebApplication _app;
    private readonly string[] _pods;
    private readonly TimeSpan _latency;
    private int _requests;

    private LoopbackApiServer(WebApplication app, string[] pods, TimeSpan latency)
    {
        _app = app;
        _pods = pods;
        _latency = latency;
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Requests answered so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<LoopbackApiServer> StartAsync(string cluster, int pods, TimeSpan latency, bool sandboxed)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LoopbackApiServer(app, Enumerable.Range(0, pods).Select(i => Pod(cluster, i, sandboxed)).ToArray(), latency);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        await Task.Delay(_latency, context.RequestAborted);
        string path = context.Request.Path.Value ?? "";
        if (!s_lists.TryGetValue(path, out var kind))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""");
            return;
        }

        string[] items = kind == "PodList" ? _pods : [];
        int limit = int.TryParse(context.Request.Query["limit"], CultureInfo.InvariantCulture, out var l) && l > 0 ? l : int.MaxValue;
        int start = int.TryParse(context.Request.Query["continue"], CultureInfo.InvariantCulture, out var c) ? c : 0;
        int end = (int)Math.Min(items.Length, (long)start + limit);
        var body = new StringBuilder(64 + ((end - start) * 1200))
            .Append("{\"kind\":\"").Append(kind).Append("\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1000\"");
        if (end < items.Length)
        {
            body.Append(",\"continue\":\"").Append(end.ToString(CultureInfo.InvariantCulture)).Append('"');
        }

        body.Append("},\"items\":[").AppendJoin(',', items[start..end]).Append("]}");
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToString());
    }

    private const string PodTemplate = """
        {"metadata":{"name":"worker-NNNNN","namespace":"team-TT","uid":"UID","resourceVersion":"RV","creationTimestamp":"2026-12-01T00:00:00Z","labels":{"app":"worker","cluster":"CLUSTER","pod-template-hash":"6d4cf56db6"},"annotations":{"kubernetes.io/psp":"restricted"}},"spec":{"containers":[{"name":"app","image":"registry.example.com/worker:1.V","ports":[{"containerPort":8080,"protocol":"TCP"}],"resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"cpu":"250m","memory":"256Mi"}},"securityContext":{"allowPrivilegeEscalation":false,"runAsNonRoot":true,"runAsUser":25000,"capabilities":{"drop":["ALL"]}}}],"serviceAccountName":"worker","nodeName":"aks-pool-N","restartPolicy":"Always","dnsPolicy":"ClusterFirst","schedulerName":"default-scheduler","terminationGracePeriodSeconds":30},"status":{"phase":"Running","podIP":"POD_IP","hostIP":"10.224.0.N","qosClass":"Guaranteed","startTime":"2026-12-01T00:00:05Z","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-12-01T00:00:09Z"},{"type":"ContainersReady","status":"True","lastTransitionTime":"2026-12-01T00:00:09Z"}]}}
        """;

    /// <summary>A pod as the API server lists it (no apiVersion/kind), about 1.2 KB of JSON.</summary>
    private static string Pod(string cluster, int i, bool sandboxed) => PodTemplate
        .Replace("\"spec\":{", sandboxed ? "\"spec\":{\"runtimeClassName\":\"kata-vm-isolation\"," : "\"spec\":{", StringComparison.Ordinal)
        .Replace("NNNNN", i.ToString("00000", CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("team-TT", "team-" + (i % 20).ToString("00", CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("\"UID\"", "\"" + Guid.NewGuid() + "\"", StringComparison.Ordinal)
        .Replace("\"RV\"", "\"" + (1000 + i).ToString(CultureInfo.InvariantCulture) + "\"", StringComparison.Ordinal)
        .Replace("CLUSTER", cluster, StringComparison.Ordinal)
        .Replace("worker:1.V", "worker:1." + (i % 7).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("aks-pool-N", "aks-pool-" + (i % 9).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("10.224.0.N", "10.224.0." + (i % 9).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("POD_IP", string.Create(CultureInfo.InvariantCulture, $"10.244.{i / 250}.{i % 250}"), StringComparison.Ordinal);
}
