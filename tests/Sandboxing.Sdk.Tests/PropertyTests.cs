using CsCheck;
using k8s;
using k8s.Models;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Tests;

/// <summary>Laws that hold for any generated workload: CsCheck searches for a counterexample and shrinks it.</summary>
public class PropertyTests
{
    private static readonly Gen<string?> RuntimeClass = Gen.OneOfConst<string?>(
        null, "", " ", "runc", "kata-vm-isolation", "kata-mshv-vm-isolation", "kata-cc-isolation", "gvisor", "kata-qemu", "Bad_Name", "custom-class");

    private static readonly Gen<string?> Name = Gen.OneOf(
        Gen.OneOfConst<string?>(null, "", "UPPER", "-dash", "a..b", new string('x', 300)),
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, 20].Select(s => (string?)s));

    private static readonly Gen<string?> Quantity = Gen.OneOfConst<string?>(null, "0", "1", "64Mi", "128Mi", "500m", "1Gi", "2", "1.5", "1e3");

    private static readonly Gen<V1Container?> Container =
        Gen.Select(Name, Quantity, Quantity, Quantity, Gen.OneOfConst<bool?>(null, true, false))
            .Select(t =>
            {
                var (name, memory, cpuLimit, cpuRequest, privileged) = t;
                var container = new V1Container { Name = name, Image = "img:1", SecurityContext = privileged is null ? null : new V1SecurityContext { Privileged = privileged } };
                if (memory is not null || cpuLimit is not null || cpuRequest is not null)
                {
                    container.Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity>(), Requests = new Dictionary<string, ResourceQuantity>() };
                    if (memory is not null) container.Resources.Limits["memory"] = new ResourceQuantity(memory);
                    if (cpuLimit is not null) container.Resources.Limits["cpu"] = new ResourceQuantity(cpuLimit);
                    if (cpuRequest is not null) container.Resources.Requests["cpu"] = new ResourceQuantity(cpuRequest);
                }

                return container;
            })
            .Null(0.05);

    private static readonly Gen<V1PodSpec> PodSpec =
        Gen.Select(RuntimeClass, Container.List[0, 3], Gen.OneOfConst<bool?>(null, true, false), Gen.OneOfConst<bool?>(null, true, false), Gen.Bool, Container.List[0, 2])
            .Select(t =>
            {
                var (runtimeClass, containers, hostNetwork, hostPid, hostPath, initContainers) = t;
                return new V1PodSpec
                {
                    RuntimeClassName = runtimeClass,
                    Containers = containers.Count == 0 && hostPath ? null! : containers!,
                    InitContainers = initContainers.Count == 0 ? null : initContainers!,
                    HostNetwork = hostNetwork,
                    HostPID = hostPid,
                    Volumes = hostPath ? [new V1Volume { Name = "h", HostPath = new V1HostPathVolumeSource { Path = "/" } }, null!] : null,
                };
            });

    private static readonly Gen<Dictionary<string, string>?> Annotations = Gen.OneOfConst<Dictionary<string, string>?>(
        null,
        new Dictionary<string, string> { [SandboxAnnotations.Exempt] = "reason" },
        new Dictionary<string, string> { [SandboxAnnotations.Exempt] = "" },
        new Dictionary<string, string> { [SandboxAnnotations.ExemptRule("SBX2001")] = "reason" });

    /// <summary>A workload of a random pod-bearing kind (or a kind without pods) around a random spec.</summary>
    private static readonly Gen<IKubernetesObject> Workload =
        Gen.Select(Gen.Int[0, 9], PodSpec, Name, Annotations).Select(t =>
        {
            var (kind, spec, name, annotations) = t;
            var meta = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", Annotations = annotations is null ? null : new Dictionary<string, string>(annotations) };
            var template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta(), Spec = spec };
            IKubernetesObject obj = kind switch
            {
                0 => new V1Pod { Metadata = meta, Spec = spec },
                1 => new V1Deployment { Metadata = meta, Spec = new V1DeploymentSpec { Template = template } },
                2 => new V1StatefulSet { Metadata = meta, Spec = new V1StatefulSetSpec { Template = template } },
                3 => new V1DaemonSet { Metadata = meta, Spec = new V1DaemonSetSpec { Template = template } },
                4 => new V1ReplicaSet { Metadata = meta, Spec = new V1ReplicaSetSpec { Template = template } },
                5 => new V1ReplicationController { Metadata = meta, Spec = new V1ReplicationControllerSpec { Template = template } },
                6 => new V1Job { Metadata = meta, Spec = new V1JobSpec { Template = template } },
                7 => new V1CronJob { Metadata = meta, Spec = new V1CronJobSpec { Schedule = "@daily", JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = template } } } },
                8 => new V1PodTemplate { Metadata = meta, Template = template },
                _ => new V1ConfigMap { Metadata = meta },
            };
            return obj.Initialize();
        });

    [Fact]
    public void Validate_never_throws() =>
        Workload.List[0, 5].Sample(objects =>
        {
            var findings = SandboxValidator.Validate(objects);
            Assert.All(findings, f => Assert.NotNull(SandboxRules.Find(f.RuleId)));
        }, iter: 2000);

    [Trait("Category", "Slow")]
    [Fact]
    public void Sandbox_is_idempotent() =>
        Workload.List[0, 5].Sample(objects =>
        {
            var options = new SandboxOptions { SkipOptedOut = true, Runtime = SandboxRuntime.GkeGvisor };
            if (objects.Any(o => PodTemplates.FindAll(o).Any(s => s.Spec.HostNetwork == true
                && string.IsNullOrWhiteSpace(SandboxAnnotations.FindExemption(s.Owner.Metadata, s.TemplateMetadata, SandboxAnnotations.Exempt, out _)))))
            {
                Assert.Throws<SandboxException>(() => objects.Sandbox(options)); // refused as fix refuses it; nothing to compare
                return;
            }

            objects.Sandbox(options);
            var once = KubernetesYaml.SerializeAll(objects);
            objects.Sandbox(options);
            Assert.Equal(once, KubernetesYaml.SerializeAll(objects));
        }, iter: 500);

    [Fact]
    public void Sandboxed_workloads_have_no_isolation_findings() =>
        Workload.Where(o => o is not V1ConfigMap).Sample(obj =>
        {
            var meta = ((IKubernetesObject<V1ObjectMeta>)obj).Metadata;
            meta.Annotations = null;
            bool hostNetwork = PodTemplates.FindAll(obj).Any(s => s.Spec.HostNetwork == true);
            if (hostNetwork)
            {
                // Refused as fix refuses it (the class would not make it start), and left as it was.
                var before = KubernetesYaml.Serialize(obj);
                Assert.StartsWith("SBX2001: ", Assert.Throws<SandboxException>(() => obj.Sandbox()).Message, StringComparison.Ordinal);
                Assert.Equal(before, KubernetesYaml.Serialize(obj));
                return;
            }

            obj.Sandbox();
            Assert.DoesNotContain(SandboxValidator.Validate(obj), f => f.RuleId is "SBX1001" or "SBX1002" or "SBX1003");
        }, iter: 500);

    [Fact]
    public void The_visitor_reaches_each_template_exactly_once() =>
        Gen.Select(Workload.List[0, 6], Gen.Int[0, 3]).Sample(t =>
        {
            var (objects, repeats) = t;
            var collection = new List<object>(objects);
            for (int i = 0; i < repeats && objects.Count > 0; i++)
            {
                collection.Add(objects[i % objects.Count]);           // the same object again
                collection.Add(new List<object> { objects[0] });      // and nested
            }

            var expected = objects.Distinct(ReferenceEqualityComparer.Instance).Count(o => PodTemplates.TryGet(o, out _));
            var visited = PodTemplates.FindAll(collection);
            Assert.Equal(expected, visited.Count);
            Assert.Equal(visited.Count, visited.Select(s => s.Spec).Distinct(ReferenceEqualityComparer.Instance).Count());
        }, iter: 500);

    [Fact]
    public void Yaml_out_then_in_is_the_identity() =>
        Workload.Where(o => ((IKubernetesObject<V1ObjectMeta>)o).Metadata.Name is not null).List[1, 4].Sample(objects =>
        {
            var yaml = SandboxManifest.ToYaml(objects);
            var read = SandboxManifest.Read(yaml);
            Assert.Equal(objects.Count, read.Count);
            Assert.Equal(yaml, SandboxManifest.ToYaml(read));
        }, iter: 300);
}
