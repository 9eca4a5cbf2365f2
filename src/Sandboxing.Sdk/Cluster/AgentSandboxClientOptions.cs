namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// How an <see cref="AgentSandboxClient"/> reaches sandboxes and how long it waits. The defaults are the agent-sandbox Go client's
/// (agent-sandbox 2fd412d clients/go/sandbox/options.go:31-42).
/// </summary>
public sealed class AgentSandboxClientOptions
{
    /// <summary>
    /// Direct mode: the sandbox router's URL (its in-cluster Service URL such as <c>http://sandbox-router-svc.ns.svc:8080</c>, or an
    /// ingress). Null (the default): the client port-forwards through the Kubernetes API to a ready pod behind
    /// <see cref="RouterServiceName"/>. It never port-forwards to the sandbox pod itself: AKS refuses that for Kata pods.
    /// </summary>
    public Uri? RouterUrl { get; set; }

    /// <summary>Port-forward mode: the router's Service, found through its EndpointSlices. Default <c>sandbox-router-svc</c>.</summary>
    public string RouterServiceName { get; set; } = "sandbox-router-svc";

    /// <summary>Port-forward mode: the router Service's namespace; null (the default) for the sandbox's namespace, as the Go client does.</summary>
    public string? RouterNamespace { get; set; }

    /// <summary>Port-forward mode: the router pod's port. Default 8080.</summary>
    public int RouterPort { get; set; } = 8080;

    /// <summary>Sent as <c>Authorization: Bearer</c> to the router (the Python router requires one unless it runs unauthenticated). Default none.</summary>
    public string? RouterBearerToken { get; set; }

    /// <summary>The runtime's port in the sandbox pod, sent to the router as <c>X-Sandbox-Port</c>. Default 8888 (the python runtime's).</summary>
    public int ServerPort { get; set; } = 8888;

    /// <summary>How long a claim may take to be bound and Ready (name resolution included). Default 180 s.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>How long one command or file operation may take, retries included, when the call gives no timeout of its own. Default 180 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>
    /// How long one attempt of a file operation may wait for the router's response headers before it is retried. Default 60 s. A
    /// command is tried once and waits as long as its call: the runtime answers only when the command ends.
    /// </summary>
    public TimeSpan PerAttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long deleting a claim may take on release, dispose or rollback (it runs even when the caller's token is cancelled). Default 30 s.</summary>
    public TimeSpan CleanupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest file <see cref="AgentSandboxSession.ReadFileAsync"/> reads. Default 256 MB.</summary>
    public long MaxDownloadBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The largest file <see cref="AgentSandboxSession.WriteFileAsync"/> writes. Default 256 MB.</summary>
    public long MaxUploadBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// The runtime classes a template's pods may name. Empty (the default): the SDK's default allow-list (AKS's Kata class,
    /// <c>kata-vm-isolation</c>). Every class listed must itself be a sandbox class: the client refuses <c>runc</c> or any other
    /// class whose pods would run on the node's shared kernel.
    /// </summary>
    public IList<string> AllowedRuntimeClasses { get; } = new List<string>();

    /// <summary>The clock of the Ready deadline, the retry backoff and the claim timestamps. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
