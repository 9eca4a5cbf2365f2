using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Aks;

/// <summary>
/// Places a <see cref="SandboxPolicy"/> and tenant namespaces on the member clusters of an Azure Kubernetes Fleet Manager hub:
/// <c>placement.kubernetes-fleet.io/v1</c> <c>ClusterResourcePlacement</c>s (PickAll, a rolling update one cluster at a time) and what
/// they place. Apply <see cref="ToYaml"/> to the hub.
/// </summary>
/// <remarks>
/// The admission policies travel inside <c>ClusterResourceEnvelope</c>s, so the hub stores them without enforcing them on itself and
/// without serving their API versions. Member clusters that differ get separate placements by cluster label: the
/// MutatingAdmissionPolicy is v1 from Kubernetes 1.36 and v1beta1 on 1.34-1.35, so one envelope of each version is placed on the
/// members labelled <see cref="MutatingApiVersionLabel"/> <c>v1</c> or <c>v1beta1</c> (Fleet overrides do not reach inside
/// envelopes, and cannot change an object's API version). The value is immutable; each <c>With…</c> method returns a copy.
/// </remarks>
public sealed class SandboxFleet
{
    /// <summary>The member cluster label that says which MutatingAdmissionPolicy version the cluster serves: <c>v1</c> (1.36+) or <c>v1beta1</c> (1.34-1.35 with the feature gate).</summary>
    public const string MutatingApiVersionLabel = "sandboxing.sdk/mutating-admission-policy";

    internal const string PlacementApiVersion = "placement.kubernetes-fleet.io/v1";
    internal const string EnvelopeApiVersion = "placement.kubernetes-fleet.io/v1beta1";
    private const string FleetGroup = "placement.kubernetes-fleet.io";

    /// <summary>The Kubernetes versions whose MutatingAdmissionPolicy API version differs, oldest last: the label value and a version that serves it.</summary>
    private static readonly (string Label, string KubernetesVersion)[] s_mutatingVersions = [("v1", "1.36"), ("v1beta1", "1.35")];

    private SandboxFleet(SandboxPolicy policy)
    {
        Policy = policy;
    }

    /// <summary>The policy placed on every selected member cluster.</summary>
    public SandboxPolicy Policy { get; }

    /// <summary>The member cluster labels a cluster must carry to be selected (all of them); empty selects every member cluster.</summary>
    public IReadOnlyDictionary<string, string> ClusterLabels { get; private init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The tenants whose namespaces (and so their bundles) are placed on the selected member clusters.</summary>
    public IReadOnlyList<TenantIsolation> Tenants { get; private init; } = [];

    /// <summary>Starts a fleet placement of <paramref name="policy"/>.</summary>
    /// <exception cref="ArgumentException">The placement names derived from the policy's name would be longer than 63 characters.</exception>
    public static SandboxFleet For(SandboxPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (TooLongName(policy.Name) is { } longest)
        {
            throw new ArgumentException(
                $"The policy name '{policy.Name}' makes placement names such as '{longest}', which are not DNS labels of at most 63 characters; give the policy a shorter name with WithName.",
                nameof(policy));
        }

        return new SandboxFleet(policy);
    }

    /// <summary>
    /// The longest name the fleet derives from <paramref name="policyName"/> (placements, Azure Policy definitions) when it is not a
    /// DNS label, otherwise null; the CLI words the same limit with its own flag.
    /// </summary>
    internal static string? TooLongName(string policyName)
    {
        var longest = policyName + "-mutating-v1beta1";
        return KubernetesNames.CheckLabel(longest) is null ? null : longest;
    }

    /// <summary>Selects only the member clusters labelled <paramref name="key"/>=<paramref name="value"/> (call again to require several labels).</summary>
    public SandboxFleet WithClusterLabel(string key, string value)
    {
        KubernetesNames.ThrowIfInvalidQualifiedName(key, nameof(key), "cluster label key");
        KubernetesNames.ThrowIfInvalidLabelValue(value, nameof(value), "cluster label value");
        if (key == MutatingApiVersionLabel)
        {
            throw new ArgumentException($"The cluster label '{key}' is set per placement of the MutatingAdmissionPolicy; select clusters by another label.", nameof(key));
        }

        return new SandboxFleet(Policy) { ClusterLabels = new Dictionary<string, string>(ClusterLabels, StringComparer.Ordinal) { [key] = value }, Tenants = Tenants };
    }

    /// <summary>Also places these tenants' namespaces, and with them their bundles (NetworkPolicies, quota, identity…).</summary>
    /// <exception cref="ArgumentException">A tenant is placed twice.</exception>
    public SandboxFleet WithTenants(params TenantIsolation[] tenants)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        var all = Tenants.Concat(tenants).ToList();
        if (all.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"The tenant '{twice.Key}' is placed twice; name each tenant once.", nameof(tenants));
        }

        if (all.FirstOrDefault(t => KubernetesNames.CheckLabel("tenant-" + t.Name) is not null) is { } tooLong)
        {
            throw new ArgumentException($"The tenant name '{tooLong.Name}' is too long for its placement 'tenant-{tooLong.Name}' (a DNS label of at most 63 characters).", nameof(tenants));
        }

        return new SandboxFleet(Policy) { ClusterLabels = ClusterLabels, Tenants = all };
    }

    /// <summary>
    /// Every object to apply to the hub, in order: the exemption namespace and ConfigMap, the envelopes of the admission policies, the
    /// tenants' bundles, then the placements.
    /// </summary>
    /// <exception cref="SandboxValidationException">The policy's <see cref="SandboxPolicy.Validate()"/> has errors.</exception>
    public IReadOnlyList<IKubernetesObject> ToObjects()
    {
        var objects = new List<IKubernetesObject>();
        var placements = new List<IKubernetesObject>();
        var configMap = Policy.ToExemptionConfigMap();
        var shared = new List<Dictionary<string, object?>> { Selector(FleetGroup, "v1beta1", "ClusterResourceEnvelope", Policy.Name) };
        if (configMap is not null)
        {
            // The namespace carries the ConfigMap with it, and with it the exemptions operators add on the hub.
            objects.Add(new V1Namespace { Metadata = new V1ObjectMeta { Name = configMap.Metadata.NamespaceProperty, Labels = SandboxPolicy.ManagedBy() } }.Initialize());
            objects.Add(configMap);
            shared.Add(Selector("", "v1", "Namespace", configMap.Metadata.NamespaceProperty));
        }

        objects.Add(Envelope(Policy.Name, [Policy.ToValidatingAdmissionPolicy(), Policy.ToValidatingAdmissionPolicyBinding()]));
        placements.Add(Placement(Policy.Name, shared, extraLabel: null));
        if (Policy.DefaultsRuntimeClass)
        {
            foreach (var (label, version) in s_mutatingVersions)
            {
                var name = $"{Policy.Name}-mutating-{label}";
                objects.Add(Envelope(name, Policy.WithKubernetesVersion(version).ToMutatingAdmissionPolicyObjects()));
                placements.Add(Placement(name, [Selector(FleetGroup, "v1beta1", "ClusterResourceEnvelope", name)], (MutatingApiVersionLabel, label)));
            }
        }

        foreach (var tenant in Tenants)
        {
            objects.AddRange(tenant);
            var selectors = new List<Dictionary<string, object?>> { Selector("", "v1", "Namespace", tenant.Name) };
            if (tenant.StorageClass is { } storageClass)
            {
                // Cluster-scoped, so the namespace does not carry it.
                selectors.Add(Selector("storage.k8s.io", "v1", "StorageClass", storageClass.Metadata.Name));
            }

            placements.Add(Placement("tenant-" + tenant.Name, selectors, extraLabel: null));
        }

        objects.AddRange(placements);
        return objects;
    }

    /// <summary>The objects of <see cref="ToObjects"/> as one multi-document YAML string.</summary>
    public string ToYaml() => SandboxManifest.ToYaml([.. ToObjects()]);

    /// <summary>
    /// The <see cref="Policy"/> as Azure Policy for Kubernetes, for clusters governed by Azure scope rather than by a Fleet hub:
    /// the definitions (mode <c>Microsoft.Kubernetes.Data</c>; a deny/audit definition whose <c>templateInfo</c> is a Base64Encoded
    /// Gatekeeper ConstraintTemplate with the validating policy's rules in CEL, and a <c>mutate</c> definition whose
    /// <c>mutationInfo</c> is a Gatekeeper <c>Assign</c> when the policy defaults to the sandbox), an initiative and its assignment,
    /// as JSON the Azure Policy REST API takes (<c>{scope}</c> stands for the management group or subscription). Exempt
    /// namespaces become the <c>excludedNamespaces</c> parameter and exempt workloads the <c>exemptWorkloads</c> parameter;
    /// <see cref="ClusterLabels"/> and <see cref="Tenants"/> do not apply (Azure Policy selects clusters by Azure scope).
    /// </summary>
    /// <exception cref="SandboxValidationException">The policy's <see cref="SandboxPolicy.Validate()"/> has errors.</exception>
    public string ToAzurePolicyJson() => SandboxAzurePolicy.For(Policy).ToJson();

    /// <summary>
    /// The definitions, initiative and assignment of <see cref="ToAzurePolicyJson"/> as one Bicep file, its <c>targetScope</c> a
    /// management group (default) or, with <paramref name="subscriptionScope"/>, a subscription; the assignment's parameters are the
    /// file's parameters.
    /// </summary>
    /// <exception cref="SandboxValidationException">The policy's <see cref="SandboxPolicy.Validate()"/> has errors.</exception>
    public string ToAzurePolicyBicep(bool subscriptionScope = false) =>
        SandboxAzurePolicy.For(Policy, subscriptionScope ? AzurePolicyScope.Subscription : AzurePolicyScope.ManagementGroup).ToBicep();

    private static UnstructuredObject Envelope(string name, IEnumerable<IKubernetesObject> contents)
    {
        var envelope = new UnstructuredObject(EnvelopeApiVersion, "ClusterResourceEnvelope")
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = SandboxPolicy.ManagedBy() },
        };
        envelope.Fields["data"] = contents.ToDictionary(
            o => $"{o.Kind.ToLowerInvariant()}-{((IMetadata<V1ObjectMeta>)o).Metadata.Name}.yaml",
            o => (object?)PlainData.Of(o),
            StringComparer.Ordinal);
        return envelope;
    }

    private UnstructuredObject Placement(string name, List<Dictionary<string, object?>> selectors, (string Key, string Value)? extraLabel)
    {
        var placement = new UnstructuredObject(PlacementApiVersion, "ClusterResourcePlacement")
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = SandboxPolicy.ManagedBy() },
        };
        var labels = new Dictionary<string, string>(ClusterLabels, StringComparer.Ordinal);
        if (extraLabel is { } label)
        {
            labels[label.Key] = label.Value;
        }

        var policy = new Dictionary<string, object?>(StringComparer.Ordinal) { ["placementType"] = "PickAll" };
        if (labels.Count > 0)
        {
            policy["affinity"] = new Dictionary<string, object?>
            {
                ["clusterAffinity"] = new Dictionary<string, object?>
                {
                    ["requiredDuringSchedulingIgnoredDuringExecution"] = new Dictionary<string, object?>
                    {
                        ["clusterSelectorTerms"] = new List<object?>
                        {
                            new Dictionary<string, object?>
                            {
                                ["labelSelector"] = new Dictionary<string, object?>
                                {
                                    ["matchLabels"] = labels.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal),
                                },
                            },
                        },
                    },
                },
            };
        }

        placement.Fields["spec"] = new Dictionary<string, object?>
        {
            ["resourceSelectors"] = selectors.Cast<object?>().ToList(),
            ["policy"] = policy,
            // One cluster at a time, each given a minute to report its objects applied: a bad policy stops at the first cluster.
            ["strategy"] = new Dictionary<string, object?>
            {
                ["type"] = "RollingUpdate",
                ["rollingUpdate"] = new Dictionary<string, object?> { ["maxUnavailable"] = 1L, ["unavailablePeriodSeconds"] = 60L },
            },
        };
        return placement;
    }

    private static Dictionary<string, object?> Selector(string group, string version, string kind, string name) => new(StringComparer.Ordinal)
    {
        ["group"] = group,
        ["version"] = version,
        ["kind"] = kind,
        ["name"] = name,
    };
}
