using k8s;
using k8s.Models;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests.Fleet;

/// <summary>Fleet Manager placements: valid against the Fleet CRDs, carrying the policy's own objects, one MAP version per cluster label.</summary>
public class SandboxFleetTests
{
    private static readonly SandboxPolicy Defaulting = SandboxPolicy.DefaultToSandbox().WithExemptionConfigMap("sandboxing-system");

    private static TenantIsolation Tenant(string name) => TenantIsolation.For(name).Build();

    public static TheoryData<string> Variants() => new("require", "default-with-tenants", "selected-clusters");

    private static SandboxFleet Variant(string name) => name switch
    {
        "require" => SandboxFleet.For(SandboxPolicy.RequireSandbox()),
        "default-with-tenants" => SandboxFleet.For(Defaulting).WithTenants(Tenant("tenant-a"), Tenant("tenant-b")),
        _ => SandboxFleet.For(Defaulting).WithClusterLabel("env", "prod").WithClusterLabel("region", "westeurope").WithTenants(Tenant("tenant-a")),
    };

    private static List<UnstructuredObject> Fleet(IEnumerable<IKubernetesObject> objects) =>
        objects.OfType<UnstructuredObject>().Where(o => o.ApiVersion.StartsWith("placement.kubernetes-fleet.io/", StringComparison.Ordinal)).ToList();

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_placement_and_envelope_validates_against_the_fleet_crds(string variant)
    {
        // Read back from the printed YAML: what is validated is what users apply.
        var objects = SandboxManifest.Read(Variant(variant).ToYaml(), "fleet.yaml").ToList();
        var fleet = Fleet(objects);
        Assert.Contains(fleet, o => o.Kind == "ClusterResourcePlacement");
        Assert.Contains(fleet, o => o.Kind == "ClusterResourceEnvelope");
        foreach (var obj in fleet)
        {
            var errors = CrdSchema.Fleet.Errors(SandboxManifest.ToYaml(obj));
            Assert.True(errors.Count == 0, $"{obj.Kind} {obj.Metadata.Name}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void The_schema_check_refuses_a_misspelt_field_and_an_unknown_placement_type()
    {
        var placement = Fleet(SandboxFleet.For(SandboxPolicy.RequireSandbox()).ToObjects()).First(o => o.Kind == "ClusterResourcePlacement");
        var yaml = SandboxManifest.ToYaml(placement);
        Assert.NotEmpty(CrdSchema.Fleet.Errors(yaml.Replace("placementType: PickAll", "placementType: PickSome", StringComparison.Ordinal)));
        Assert.NotEmpty(CrdSchema.Fleet.Errors(yaml.Replace("resourceSelectors:", "resourceSelector:", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_envelopes_carry_the_policys_own_objects_and_each_mutating_version_goes_to_clusters_labelled_for_it()
    {
        var objects = SandboxFleet.For(Defaulting).WithClusterLabel("env", "prod").ToObjects();
        var envelopes = objects.OfType<UnstructuredObject>().Where(o => o.Kind == "ClusterResourceEnvelope").ToDictionary(o => o.Metadata.Name);
        Assert.Equal([Defaulting.Name, Defaulting.Name + "-mutating-v1", Defaulting.Name + "-mutating-v1beta1"], envelopes.Keys.Order(StringComparer.Ordinal));

        string Yaml(IKubernetesObject o) => KubernetesJson.Serialize(o);
        string Contents(string envelope) => string.Join("\n", ((IDictionary<string, object?>)envelopes[envelope].Fields["data"]!).Values.Select(v => System.Text.Json.JsonSerializer.Serialize(v)));
        Assert.Equal(
            string.Join("\n", new IKubernetesObject[] { Defaulting.ToValidatingAdmissionPolicy(), Defaulting.ToValidatingAdmissionPolicyBinding() }.Select(Yaml)),
            Contents(Defaulting.Name));
        Assert.Equal(string.Join("\n", Defaulting.WithKubernetesVersion("1.36").ToMutatingAdmissionPolicyObjects().Select(Yaml)), Contents(Defaulting.Name + "-mutating-v1"));
        Assert.Equal(string.Join("\n", Defaulting.WithKubernetesVersion("1.35").ToMutatingAdmissionPolicyObjects().Select(Yaml)), Contents(Defaulting.Name + "-mutating-v1beta1"));
        Assert.Contains("admissionregistration.k8s.io/v1beta1", Contents(Defaulting.Name + "-mutating-v1beta1"), StringComparison.Ordinal);

        var placements = objects.OfType<UnstructuredObject>().Where(o => o.Kind == "ClusterResourcePlacement").ToDictionary(o => o.Metadata.Name);
        IDictionary<string, object?>? Labels(string placement) =>
            placements[placement].Get("spec.policy.affinity.clusterAffinity.requiredDuringSchedulingIgnoredDuringExecution") is IDictionary<string, object?> required
                ? (IDictionary<string, object?>)((IDictionary<string, object?>)((IDictionary<string, object?>)((IList<object?>)required["clusterSelectorTerms"]!)[0]!)["labelSelector"]!)["matchLabels"]!
                : null;
        Assert.Equal(new Dictionary<string, object?> { ["env"] = "prod" }, Labels(Defaulting.Name));
        Assert.Equal(new Dictionary<string, object?> { ["env"] = "prod", [SandboxFleet.MutatingApiVersionLabel] = "v1" }, Labels(Defaulting.Name + "-mutating-v1"));
        Assert.Equal(new Dictionary<string, object?> { ["env"] = "prod", [SandboxFleet.MutatingApiVersionLabel] = "v1beta1" }, Labels(Defaulting.Name + "-mutating-v1beta1"));
        Assert.All(placements.Values, p =>
        {
            Assert.Equal("PickAll", p.Get("spec.policy.placementType"));
            Assert.Equal("RollingUpdate", p.Get("spec.strategy.type"));
        });
    }

    [Fact]
    public void The_exemption_namespace_and_each_tenant_namespace_are_placed_with_what_they_hold()
    {
        var tenant = Tenant("tenant-a");
        var objects = SandboxFleet.For(Defaulting).WithTenants(tenant).ToObjects();
        Assert.Contains(objects, o => o is V1Namespace { Metadata.Name: "sandboxing-system" });
        Assert.Contains(objects, o => o is V1ConfigMap { Metadata: { Name: SandboxPolicy.DefaultExemptionConfigMapName, NamespaceProperty: "sandboxing-system" } });
        Assert.All(tenant, o => Assert.Contains(o, objects));

        var placements = objects.OfType<UnstructuredObject>().Where(o => o.Kind == "ClusterResourcePlacement").ToDictionary(o => o.Metadata.Name);
        string Selected(string placement) => string.Join(", ", ((IList<object?>)placements[placement].Get("spec.resourceSelectors")!)
            .Cast<IDictionary<string, object?>>().Select(s => $"{s["kind"]}/{s["name"]}"));
        Assert.Equal($"ClusterResourceEnvelope/{Defaulting.Name}, Namespace/sandboxing-system", Selected(Defaulting.Name));
        Assert.StartsWith("Namespace/tenant-a", Selected("tenant-tenant-a"), StringComparison.Ordinal);
        Assert.Null(placements[Defaulting.Name].Get("spec.policy.affinity")); // no selector: every member cluster
    }

    [Fact]
    public void A_policy_that_does_not_default_places_no_mutating_policy()
    {
        var objects = SandboxFleet.For(SandboxPolicy.RequireSandbox()).ToObjects();
        Assert.Equal(["ClusterResourceEnvelope", "ClusterResourcePlacement"], objects.Select(o => o.Kind));
    }

    [Fact]
    public void Names_that_fleet_would_refuse_and_a_tenant_placed_twice_are_refused_with_the_fix()
    {
        var longName = SandboxPolicy.RequireSandbox().WithName(new string('a', 50));
        Assert.Contains("WithName", Assert.Throws<ArgumentException>(() => SandboxFleet.For(longName)).Message, StringComparison.Ordinal);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => SandboxFleet.For(Defaulting).WithTenants(Tenant("t1"), Tenant("t1"))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SandboxFleet.For(Defaulting).WithClusterLabel(SandboxFleet.MutatingApiVersionLabel, "v1"));
        Assert.Throws<ArgumentException>(() => SandboxFleet.For(Defaulting).WithClusterLabel("env", "not a value"));
    }

    [Fact]
    public void The_fleet_is_immutable()
    {
        var fleet = SandboxFleet.For(Defaulting);
        _ = fleet.WithClusterLabel("env", "prod").WithTenants(Tenant("tenant-a"));
        Assert.Empty(fleet.ClusterLabels);
        Assert.Empty(fleet.Tenants);
    }
}
