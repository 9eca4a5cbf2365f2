using System.Net;
using System.Net.Sockets;
using k8s;

namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// Port-forward mode: a 127.0.0.1 listener whose every connection is bridged, through the Kubernetes API's pod port-forward
/// (WebSocket, <c>v4.channel.k8s.io</c>), to a ready pod behind the router Service, as the Go client's tunnel does
/// (agent-sandbox 2fd412d clients/go/sandbox/tunnel.go:150-182,315-335). It forwards to the router pod (runc), never to the
/// sandbox pod: AKS refuses port-forward to a Kata pod, whose listener is inside the guest VM (examples/kata-aks/README.md:247-252).
/// </summary>
internal sealed class AgentSandboxPortForward : IAsyncDisposable
{
    private readonly IKubernetes _kubernetes;
    private readonly string _namespace;
    private readonly string _pod;
    private readonly int _port;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private AgentSandboxPortForward(IKubernetes kubernetes, string @namespace, string pod, int port)
    {
        _kubernetes = kubernetes;
        _namespace = @namespace;
        _pod = pod;
        _port = port;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        LocalUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    /// <summary>The local URL that reaches the router.</summary>
    public Uri LocalUrl { get; }

    /// <summary>The router pod the tunnel reaches.</summary>
    public string PodName => _pod;

    /// <summary>Finds a ready router pod from the Service's EndpointSlices and starts the listener.</summary>
    public static async Task<AgentSandboxPortForward> StartAsync(AgentSandboxApi api, string @namespace, string service, int port, CancellationToken cancellationToken)
    {
        var slices = await api.EndpointSlicesAsync(@namespace, service, cancellationToken).ConfigureAwait(false);
        string? pod = RouterPod(slices);
        return pod is null
            ? throw new AgentSandboxException(AgentSandboxError.RouterFailed,
                $"No ready pod serves the router Service {@namespace}/{service} (EndpointSlices labelled kubernetes.io/service-name={service}), so the " +
                "client cannot port-forward to the router. Deploy the sandbox router there, set AgentSandboxClientOptions.RouterNamespace/RouterServiceName " +
                "to where it runs, or set RouterUrl (Direct mode).", @namespace)
            : new AgentSandboxPortForward(api.Kubernetes, @namespace, pod, port);
    }

    /// <summary>The first ready endpoint's pod (an endpoint without a Ready condition counts as ready, as in the Go client).</summary>
    internal static string? RouterPod(k8s.Models.V1EndpointSliceList slices)
    {
        foreach (var slice in slices.Items ?? [])
        {
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (endpoint.Conditions?.Ready == false)
                {
                    continue;
                }

                if (endpoint.TargetRef is { Kind: null or "Pod", Name: { Length: > 0 } name })
                {
                    return name;
                }
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient connection;
            try
            {
                connection = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => BridgeAsync(connection));
        }
    }

    /// <summary>One local connection: one port-forward WebSocket, data on channel 0 both ways (the error channel 1 ends it).</summary>
    private async Task BridgeAsync(TcpClient connection)
    {
        using (connection)
        {
            try
            {
                using var socket = await _kubernetes.WebSocketNamespacedPodPortForwardAsync(
                    _pod, _namespace, [_port], "v4.channel.k8s.io", cancellationToken: _stop.Token).ConfigureAwait(false);
                using var demuxer = new StreamDemuxer(socket, StreamType.PortForward);
                demuxer.Start();
                // One stream per direction: a duplex GetStream(0, 0) carried the first request and then nothing, so the HTTP
                // client's second request on a kept-alive connection hung until its deadline.
                using var fromPod = demuxer.GetStream((byte?)0, null);
                using var toPod = demuxer.GetStream(null, (byte?)0);
                using var errors = demuxer.GetStream((byte?)1, null);
                var local = connection.GetStream();
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = CopyAsync(local, toPod, done.Token);
                var down = CopyAsync(fromPod, local, done.Token);
                var failed = ErrorAsync(errors, done.Token);
                await Task.WhenAny(up, down, failed).ConfigureAwait(false);
                await done.CancelAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException
                or System.Net.WebSockets.WebSocketException or k8s.Autorest.HttpOperationException or HttpRequestException)
            {
                // The connection ends; the HTTP client sees a transport error on it and retries with a new connection.
            }
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or System.Net.WebSockets.WebSocketException)
        {
        }
    }

    private static async Task ErrorAsync(Stream errors, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        try
        {
            // Any text on the error channel means the kubelet could not reach the port: end the connection.
            while (await errors.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) is var n && n > 0)
            {
                return;
            }

            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }
}
