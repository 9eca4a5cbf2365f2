using System.Reflection;
using System.Text;
using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Tests.Manifests;

/// <summary>
/// What the native (AOT) <c>sandboxing</c> relies on, checked on the JIT: the YAML writer gives KubernetesYaml's text, and the
/// binder reads every model a manifest can hold from source-generated metadata rather than reflection.
/// </summary>
public class NativeAotReadinessTests
{
    public static TheoryData<string> Objects() => [.. Samples().Keys];

    [Theory]
    [MemberData(nameof(Objects))]
    public void The_yaml_writer_gives_the_text_KubernetesYaml_gives(string name)
    {
        var value = Samples()[name];
        Assert.Equal(KubernetesYaml.Serialize(value), ModelYaml.Serialize(value));
    }

    [Fact]
    public void Every_model_a_manifest_can_hold_binds_without_reflection()
    {
        var pending = new Queue<Type>(TestObjects.AllKinds().Select(o => o.GetType()));
        foreach (var type in new[] { typeof(V1Namespace), typeof(V1NetworkPolicy), typeof(V1ResourceQuota), typeof(V1LimitRange), typeof(V1ServiceAccount), typeof(V1RoleBinding), typeof(V1StorageClass), typeof(V1RuntimeClass) })
        {
            pending.Enqueue(type);
        }

        var seen = new HashSet<Type>();
        var reflected = new List<string>();
        while (pending.TryDequeue(out var type))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!seen.Add(type) || type.IsPrimitive || type.IsArray || type == typeof(string) || type == typeof(object) || type == typeof(DateTime)
                || type == typeof(ResourceQuantity) || type == typeof(IntOrString))
            {
                continue;
            }

            if (!YamlModelBinder.BindsWithoutReflection(type))
            {
                reflected.Add(type.ToString());
            }

            var next = type.IsGenericType ? type.GetGenericArguments() : type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.PropertyType).ToArray();
            foreach (var child in next)
            {
                pending.Enqueue(child);
            }
        }

        Assert.True(seen.Count > 100, $"only {seen.Count} types reached");
        Assert.Empty(reflected);
    }

    [Fact]
    public void The_pod_kinds_shortcut_agrees_with_the_models_own_apiVersion_and_kind()
    {
        Assert.Equal(9, ManifestObjects.PodModelTypes.Count);
        foreach (var (key, type) in ManifestObjects.PodModelTypes)
        {
            string? Constant(string name) => (string?)type.GetField(name, BindingFlags.Public | BindingFlags.Static)!.GetValue(null);
            var group = Constant("KubeGroup");
            Assert.Equal((string.IsNullOrEmpty(group) ? "" : group + "/") + Constant("KubeApiVersion") + "/" + Constant("KubeKind"), key);
        }
    }

    private static Dictionary<string, object> Samples()
    {
        var kinds = TestObjects.AllKinds().ToList();
        kinds.Sandbox();
        var samples = kinds.ToDictionary(o => o.Kind, o => (object)o);
        samples["RuntimeClass"] = SandboxRuntime.AksKataVmIsolation.ToRuntimeClass();
        foreach (var (i, obj) in SandboxPolicy.RequireSandbox().ToObjects().Index())
        {
            samples[$"policy {i} {obj.Kind}"] = obj;
        }

        foreach (var (i, obj) in SandboxPolicy.DefaultToSandbox().ToMutatingAdmissionPolicyObjects().Index())
        {
            samples[$"mutating {i} {obj.Kind}"] = obj;
        }

        foreach (var (i, obj) in TenantIsolation.For("t1").WithInternetEgress().WithEgressToCidr("52.1.2.3/32", [443]).Build().Index())
        {
            samples[$"tenant {i} {obj.GetType().Name}"] = obj;
        }

        // Every scalar shape: strings YAML would read as something else, multi-line text, numbers, dates, bytes, quantities.
        samples["scalars"] = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = "scalars",
                CreationTimestamp = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
                Labels = new Dictionary<string, string> { ["yes"] = "no", ["n"] = "1", ["e"] = "", ["null"] = "~", ["f"] = "1.5e3", ["colon"] = "a: b", ["star"] = "*x" },
                Annotations = new Dictionary<string, string> { ["script"] = "line one\nline two\n", ["true"] = "True" },
            },
            Spec = new V1PodSpec
            {
                ActiveDeadlineSeconds = 30,
                HostNetwork = false,
                Containers =
                [
                    new V1Container
                    {
                        Name = "app",
                        Args = ["--port", "8080", "0", "-1", ".5", "off"],
                        Ports = [new V1ContainerPort { ContainerPort = 8080, Name = "http" }],
                        Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("512Mi"), ["cpu"] = new("500m") } },
                        ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = "http", Path = "/" } },
                        LivenessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = 8080 } },
                    },
                ],
                Volumes = [],
                SecurityContext = new V1PodSecurityContext { SupplementalGroups = [1000, 2000], RunAsUser = 1000 },
            },
        };
        samples["bytes"] = new V1Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new V1ObjectMeta { Name = "s" }, Data = new Dictionary<string, byte[]> { ["key"] = Encoding.UTF8.GetBytes("value\n") } };
        samples["metadata only"] = new V1ObjectMeta { Name = "m", Labels = new Dictionary<string, string> { ["a"] = "b" } };
        samples["schema"] = new V1JSONSchemaProps { Type = "object", Maximum = 10, Minimum = 1.5, DefaultProperty = new Dictionary<string, object> { ["x"] = "1", ["y"] = new List<object> { "a", "b" } } };
        return samples;
    }
}
