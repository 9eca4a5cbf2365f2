using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// Builds a kubernetes-sigs/agent-sandbox <c>SandboxTemplate</c> (and, with <see cref="WithWarmPool(int)"/>, the
/// <c>SandboxWarmPool</c> that keeps Sandboxes of it ready). The pod is built by <see cref="Sandboxed.Pod(string)"/>'s builder:
/// Kata VM isolation, non-root, no service-account token; every container needs a memory limit, which sizes its VM. The
/// template's <c>spec.networkPolicy</c> follows the tenant bundle's egress model (<see cref="TenantIsolation"/>): cluster DNS
/// only, or also the internet without private, link-local and Azure platform addresses; ingress comes only from the
/// agent-sandbox router.
/// </summary>
/// <example>
/// <code>
/// IReadOnlyList&lt;UnstructuredObject&gt; objects = AgentSandboxes.Template("python-runtime").InNamespace("agents")
///     .WithContainer("runtime", "python:3.12-slim", c => c.WithResources(cpu: "1", memory: "1Gi"))
///     .WithInternetEgress()
///     .WithWarmPool(2)
///     .Build();
/// </code>
/// </example>
public sealed class AgentSandboxTemplateBuilder
{
    /// <summary>The namespace and pod label of the router in agent-sandbox's own default policy (sandboxtemplate_controller.go).</summary>
    private const string DefaultRouterNamespace = "agent-sandbox-system";

    private readonly PodBuilder _pod;
    private readonly TenantSpec _egress;
    private string _routerNamespace = DefaultRouterNamespace;
    private KeyValuePair<string, string> _routerLabel = new("app", "sandbox-router");
    private int? _warmReplicas;
    private string _apiVersion = AgentSandboxes.TemplateApiVersion;

    internal AgentSandboxTemplateBuilder(string name)
    {
        if (KubernetesNames.CheckSubdomain(name) is { } error)
        {
            throw new ArgumentException($"The SandboxTemplate name '{name}' is not valid: {error}.", nameof(name));
        }

        _pod = Sandboxed.Pod(name);
        _egress = new TenantSpec(name);
    }

    /// <summary>Puts the template (and its warm pool) in <paramref name="namespace"/>: Sandboxes are created in the template's namespace.</summary>
    public AgentSandboxTemplateBuilder InNamespace(string @namespace)
    {
        _pod.InNamespace(@namespace);
        return this;
    }

    /// <summary>Adds a container, as <see cref="WorkloadBuilder{TSelf, TObject}.WithContainer"/> does; give it a memory limit.</summary>
    /// <param name="name">The container's name.</param>
    /// <param name="image">Its image.</param>
    /// <param name="configure">Sets resources (<c>c.WithResources(cpu, memory)</c>), ports, probes and the rest.</param>
    public AgentSandboxTemplateBuilder WithContainer(string name, string image, Action<ContainerBuilder>? configure = null)
    {
        _pod.WithContainer(name, image, configure);
        return this;
    }

    /// <summary>Anything else of the pod (labels, volumes, tolerations, runtime): the pod builder's own methods.</summary>
    public AgentSandboxTemplateBuilder ConfigurePod(Action<PodBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_pod);
        return this;
    }

    /// <summary>
    /// Lets the Sandboxes reach the internet, as <see cref="TenantIsolation.Builder.WithInternetEgress"/> does for a tenant:
    /// <c>0.0.0.0/0</c> and <c>::/0</c> except private, link-local and Azure platform addresses and
    /// <paramref name="clusterNetworks"/>. Without it they reach only the cluster DNS.
    /// </summary>
    /// <param name="clusterNetworks">The cluster's own ranges outside the private ones (pod, service, node CIDRs), excepted too.</param>
    /// <exception cref="ArgumentException">A range is not a CIDR.</exception>
    public AgentSandboxTemplateBuilder WithInternetEgress(params string[] clusterNetworks)
    {
        ArgumentNullException.ThrowIfNull(clusterNetworks);
        foreach (var cidr in clusterNetworks)
        {
            _egress.ClusterCidrs.Add(IpCidr.Parse(cidr, nameof(clusterNetworks)).ToString());
        }

        _egress.Internet = true;
        return this;
    }

    /// <summary>
    /// Where the agent-sandbox router runs: its pods are the only ones the Sandboxes accept connections from. The default is
    /// agent-sandbox's own, pods <c>app=sandbox-router</c> in <c>agent-sandbox-system</c>.
    /// </summary>
    /// <param name="namespace">The router's namespace.</param>
    /// <param name="podLabelKey">A label of the router's pods (the Go router's is <c>app.kubernetes.io/name</c>).</param>
    /// <param name="podLabelValue">Its value.</param>
    /// <exception cref="ArgumentException">An argument is empty.</exception>
    public AgentSandboxTemplateBuilder WithRouter(string @namespace, string podLabelKey = "app", string podLabelValue = "sandbox-router")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(podLabelKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(podLabelValue);
        _routerNamespace = @namespace;
        _routerLabel = new(podLabelKey, podLabelValue);
        return this;
    }

    /// <summary>
    /// Also builds a <c>SandboxWarmPool</c> of the template's name that keeps <paramref name="replicas"/> Sandboxes running, so a
    /// claim skips the VM's cold start. Each warm pod holds its VM's memory. 0 is a pool that only cold-starts, which claims
    /// still need in v1beta1 (they name a pool, not a template).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="replicas"/> is negative.</exception>
    public AgentSandboxTemplateBuilder WithWarmPool(int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        _warmReplicas = replicas;
        return this;
    }

    /// <summary>
    /// The version of both objects: <c>extensions.agents.x-k8s.io/v1beta1</c> (the default) or the deprecated
    /// <c>extensions.agents.x-k8s.io/v1alpha1</c>, for a cluster whose CRDs predate v1beta1.
    /// </summary>
    /// <exception cref="ArgumentException">Another version.</exception>
    public AgentSandboxTemplateBuilder WithApiVersion(string apiVersion)
    {
        AgentSandboxes.CheckVersion(apiVersion, "extensions.agents.x-k8s.io", "SandboxTemplate", nameof(apiVersion));
        _apiVersion = apiVersion;
        return this;
    }

    /// <summary>The <c>SandboxTemplate</c>, then the <c>SandboxWarmPool</c> when <see cref="WithWarmPool(int)"/> was called.</summary>
    /// <exception cref="SandboxValidationException">The pod has error findings, or a container has no memory limit (SBX2005).</exception>
    /// <exception cref="InvalidOperationException">The pod has no container, or the builder was already built.</exception>
    public IReadOnlyList<UnstructuredObject> Build()
    {
        var pod = _pod.Build();
        var unsized = SandboxValidator.Validate(pod).Where(f => f.Rule == SandboxRules.MissingMemoryLimit).ToList();
        if (unsized.Count > 0)
        {
            throw new SandboxValidationException(unsized);
        }

        var template = pod.ToSandboxTemplate(_apiVersion);
        var spec = (IDictionary<string, object?>)template.Fields["spec"]!;
        spec["networkPolicy"] = NetworkPolicy();
        if (_warmReplicas is not { } replicas)
        {
            return [template];
        }

        var pool = new UnstructuredObject(_apiVersion, "SandboxWarmPool")
        {
            Metadata = new V1ObjectMeta
            {
                Name = template.Metadata.Name,
                NamespaceProperty = template.Metadata.NamespaceProperty,
                Labels = template.Metadata.Labels is null ? null : new Dictionary<string, string>(template.Metadata.Labels),
            },
        };

        // Always written: the pool's default is 1 warm pod, and v1alpha1 has no default at all.
        pool.Fields["spec"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["replicas"] = (long)replicas,
            ["sandboxTemplateRef"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = template.Metadata.Name },
        };
        return [template, pool];
    }

    /// <summary>
    /// The controller makes one policy per template from this, selecting its pods, with policy types Ingress and Egress: a
    /// missing rule list denies. Written in full rather than left to the controller's default, which admits the internet and
    /// sends DNS to public resolvers; a written policy keeps cluster DNS, so its egress allows it.
    /// </summary>
    private Dictionary<string, object?> NetworkPolicy()
    {
        var router = new V1NetworkPolicyIngressRule
        {
            FromProperty =
            [
                new V1NetworkPolicyPeer
                {
                    NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [TenantLabels.NamespaceName] = _routerNamespace } },
                    PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [_routerLabel.Key] = _routerLabel.Value } },
                },
            ],
        };
        var egress = TenantNetwork.DnsEgress(_egress);
        if (_egress.Internet)
        {
            egress.Add(TenantNetwork.InternetEgress(_egress));
        }

        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["ingress"] = AgentSandboxes.Plain(new List<V1NetworkPolicyIngressRule> { router }),
            ["egress"] = AgentSandboxes.Plain(egress),
        };
    }
}
