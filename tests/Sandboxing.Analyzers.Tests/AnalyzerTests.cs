using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static Sandboxing.Analyzers.Tests.Snippets;
using Sandboxing.Sdk;
using VerifyCS = Sandboxing.Analyzers.Tests.CSharpCodeFixVerifier<
    Sandboxing.Analyzers.SandboxAnalyzer,
    Sandboxing.Analyzers.CodeFixes.RuntimeClassCodeFixProvider>;

namespace Sandboxing.Analyzers.Tests;

public class MissingRuntimeClassTests
{
    private static Task Verify(string body, params DiagnosticResult[] expected) =>
        VerifyCS.VerifyAnalyzerAsync(Usings + body, expected);

    private static DiagnosticResult Sbx1001(int location = 0) => VerifyCS.Rule("SBX1001").WithLocation(location);

    [Fact]
    public Task Pod_without_runtime_class_is_reported_with_owner_and_fix() => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod { Metadata = new V1ObjectMeta { Name = "web" }, Spec = {|#0:new V1PodSpec|} { {{Containers}} } };
        }
        """, VerifyCS.Diagnostic("SBX1001").WithLocation(0).WithArguments("V1Pod 'web'", "kata-vm-isolation").WithSeverity(DiagnosticSeverity.Warning));

    [Fact]
    public Task Pod_with_kata_runtime_class_is_not_reported() => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = "kata-vm-isolation", {{Containers}} } };
        }
        """);

    [Theory]
    [InlineData("V1Deployment", "V1DeploymentSpec")]
    [InlineData("V1StatefulSet", "V1StatefulSetSpec")]
    [InlineData("V1ReplicaSet", "V1ReplicaSetSpec")]
    [InlineData("V1DaemonSet", "V1DaemonSetSpec")]
    [InlineData("V1Job", "V1JobSpec")]
    public Task Pod_templates_of_workloads_are_reported(string kind, string specKind) => Verify($$"""
        class C
        {
            {{kind}} M() => new {{kind}}
            {
                Spec = new {{specKind}}
                {
                    Template = new V1PodTemplateSpec { Spec = {|#0:new V1PodSpec|} { {{Containers}} } },
                },
            };
        }
        """, VerifyCS.Diagnostic("SBX1001").WithLocation(0).WithArguments(kind, "kata-vm-isolation"));

    [Fact]
    public Task CronJob_template_is_reported() => Verify($$"""
        class C
        {
            V1CronJob M() => new V1CronJob
            {
                Spec = new V1CronJobSpec
                {
                    Schedule = "* * * * *",
                    JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = {|#0:new V1PodSpec|} { {{Containers}} } } } },
                },
            };
        }
        """, Sbx1001());

    [Fact]
    public Task Target_typed_new_is_reported_at_new() => Verify($$"""
        class C
        {
            V1Pod M() => new() { Spec = {|#0:new()|} { {{Containers}} } };
        }
        """, VerifyCS.Diagnostic("SBX1001").WithLocation(0).WithArguments("V1Pod", "kata-vm-isolation"));

    [Fact]
    public Task Standalone_spec_is_reported() => Verify($$"""
        class C
        {
            void M()
            {
                var spec = {|#0:new V1PodSpec|} { {{Containers}} };
                Console.WriteLine(spec);
            }
        }
        """, VerifyCS.Diagnostic("SBX1001").WithLocation(0).WithArguments("V1PodSpec", "kata-vm-isolation"));

    [Fact]
    public Task Runtime_class_assigned_later_through_the_variable_counts() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var pod = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
                pod.Spec.RuntimeClassName = "kata-vm-isolation";
                return pod;
            }
        }
        """);

    [Fact]
    public Task Runtime_class_assigned_later_through_a_deep_path_counts() => Verify($$"""
        class C
        {
            V1StatefulSet M()
            {
                var set = new V1StatefulSet { Spec = new V1StatefulSetSpec { ServiceName = "s", Template = new V1PodTemplateSpec { Spec = new V1PodSpec { {{Containers}} } } } };
                set.Spec.Template.Spec.RuntimeClassName = "kata-vm-isolation";
                return set;
            }
        }
        """);

    [Fact]
    public Task Runtime_class_assigned_to_another_variable_does_not_count() => Verify($$"""
        class C
        {
            void M(V1Pod other)
            {
                var pod = new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } };
                other.Spec.RuntimeClassName = "kata-vm-isolation";
            }
        }
        """, Sbx1001());

    [Fact]
    public Task Runtime_class_assigned_through_an_alias_counts() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var pod = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
                var spec = pod.Spec;
                spec.RuntimeClassName = "kata-vm-isolation";
                return pod;
            }
        }
        """);

    [Fact]
    public Task Runtime_class_on_a_spec_variable_stored_in_the_pod_counts() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var spec = new V1PodSpec { {{Containers}} };
                var pod = new V1Pod { Spec = spec };
                pod.Spec.RuntimeClassName = "kata-vm-isolation";
                return pod;
            }
        }
        """);

    [Theory]
    [InlineData("string runtime", "runtime")]
    [InlineData("IDictionary<string, string> config", "config[\"runtime\"]")]
    [InlineData("Func<string> f", "f()")]
    public Task A_runtime_class_that_is_not_a_constant_counts_as_set(string parameter, string value) => Verify($$"""
        class C
        {
            V1Pod M({{parameter}}) => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = {{value}}, {{Containers}} } };
        }
        """);

    [Fact]
    public Task A_spec_from_elsewhere_is_not_reported() => Verify("""
        class C
        {
            V1Pod M(V1Pod other, string yaml)
            {
                var copy = new V1Pod { Spec = other.Spec };
                var loaded = KubernetesYaml.Deserialize<V1Pod>(yaml);
                var clone = other with { };
                return copy;
            }
        }
        """);

    [Fact]
    public Task Spec_assigned_after_construction_is_reported() => Verify($$"""
        class C
        {
            void M(V1Pod pod)
            {
                pod.Spec = {|#0:new V1PodSpec|} { {{Containers}} };
            }
        }
        """, Sbx1001());

    [Fact]
    public Task Spec_assigned_after_construction_then_given_a_class_is_not_reported() => Verify($$"""
        class C
        {
            void M(V1Pod pod, string runtime)
            {
                pod.Spec = new V1PodSpec { {{Containers}} };
                pod.Spec.RuntimeClassName = runtime;
            }
        }
        """);

    [Fact]
    public Task With_expression_that_builds_a_spec_is_reported() => Verify($$"""
        class C
        {
            V1Pod M(V1Pod pod) => pod with { Spec = {|#0:new V1PodSpec|} { {{Containers}} } };
        }
        """, Sbx1001());

    [Fact]
    public Task Lambda_is_analysed() => Verify($$"""
        class C
        {
            Func<V1Pod> M() => () => new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } };
        }
        """, Sbx1001());

    [Fact]
    public Task Lambda_with_later_assignment_is_not_reported() => Verify($$"""
        class C
        {
            Func<V1Pod> M() => () =>
            {
                var pod = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
                pod.Spec.RuntimeClassName = "kata-vm-isolation";
                return pod;
            };
        }
        """);

    [Fact]
    public Task Local_function_is_analysed() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                return Build();
                V1Pod Build() => new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } };
            }
        }
        """, Sbx1001());

    [Fact]
    public Task Top_level_statements_are_analysed() =>
        new VerifyCS.Test(Usings + $$"""
            var pod = new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } };
            var ok = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
            ok.Spec.RuntimeClassName = "kata-vm-isolation";
            Console.WriteLine(pod);
            """, outputKind: OutputKind.ConsoleApplication).WithExpected([Sbx1001()]).RunAsync();

    [Fact]
    public Task Expression_bodied_property_with_target_typed_new_is_reported() => Verify($$"""
        class C
        {
            V1Pod Pod => new() { Spec = {|#0:new()|} { {{Containers}} } };
        }
        """, Sbx1001());

    [Fact]
    public Task Field_initializer_is_reported() => Verify($$"""
        class C
        {
            static readonly V1Pod Template = new() { Spec = {|#0:new()|} { {{Containers}} } };
        }
        """, Sbx1001());

    [Fact]
    public Task Initialize_keeps_the_path() => Verify($$"""
        class C
        {
            V1Pod Good()
            {
                var pod = new V1Pod { Spec = new V1PodSpec { {{Containers}} } }.Initialize();
                pod.Spec.RuntimeClassName = "kata-vm-isolation";
                return pod;
            }

            V1Pod Bad() => new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } }.Initialize();
        }
        """, Sbx1001());

    [Fact]
    public Task Arrays_of_pods_are_not_constructions() => Verify("""
        class C
        {
            V1Pod[] M() => new V1Pod[3];
            V1PodSpec[] N() => new V1PodSpec[] { };
            List<V1Pod> O() => new List<V1Pod>();
        }
        """);

    [Fact]
    public Task Pods_in_collections_are_reported() => Verify($$"""
        class C
        {
            List<V1Pod> M() => new List<V1Pod> { new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } } };
            V1Pod[] N() => [new V1Pod { Spec = {|#1:new V1PodSpec|} { {{Containers}} } }];
        }
        """, Sbx1001(0), Sbx1001(1));

    [Fact]
    public Task Without_kubernetes_client_nothing_is_reported() =>
        new VerifyCS.Test("""
            namespace k8s.Models2 { public class V1PodSpec { public string RuntimeClassName { get; set; } } }
            class C { object M() => new k8s.Models2.V1PodSpec(); }
            """, kubernetes: false).RunAsync();

    [Fact]
    public Task Pragma_suppresses() => Verify($$"""
        class C
        {
        #pragma warning disable SBX1001 // the node agent needs the host kernel
            V1Pod M() => new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
        #pragma warning restore SBX1001
        }
        """);

    [Fact]
    public Task SuppressMessage_suppresses() => Verify($$"""
        class C
        {
            [System.Diagnostics.CodeAnalysis.SuppressMessage("Isolation", "SBX1001:Pod has no sandbox runtime class", Justification = "Node agent needs the host kernel")]
            V1Pod M() => new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
        }
        """);
}

public class SdkFormsTests
{
    private static Task Verify(string body, params DiagnosticResult[] expected) =>
        new VerifyCS.Test(Usings + SdkUsings + body, sdk: true).WithExpected(expected).RunAsync();

    [Fact]
    public Task Sandbox_on_the_variable_counts() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var pod = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
                pod.Sandbox();
                return pod;
            }
        }
        """);

    [Fact]
    public Task Sandbox_on_the_construction_counts() => Verify($$"""
        class C
        {
            V1Deployment M() => new V1Deployment
            {
                Spec = new V1DeploymentSpec { Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec { Spec = new V1PodSpec { {{Containers}} } } },
            }.Sandbox(SandboxRuntime.GkeGvisor);
        }
        """);

    [Fact]
    public Task Sandbox_on_a_collection_that_owns_the_pod_counts() => Verify($$"""
        class C
        {
            List<V1Job> M()
            {
                var jobs = new List<V1Job> { new V1Job { Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { {{Containers}} } } } } };
                jobs.Sandbox();
                return jobs;
            }
        }
        """);

    [Fact]
    public Task Sandbox_on_an_owner_holding_a_spec_variable_counts() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var spec = new V1PodSpec { {{Containers}} };
                var pod = new V1Pod { Spec = spec };
                return pod.Sandbox();
            }
        }
        """);

    [Fact]
    public Task Sandboxed_From_an_existing_object_counts() => Verify($$"""
        class C
        {
            V1Deployment M() => Sandboxed.From(new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = "web" },
                Spec = new V1DeploymentSpec { Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec { Spec = new V1PodSpec { {{Containers}} } } },
            }).Build();

            V1Pod N()
            {
                var generated = new V1Pod { Metadata = new V1ObjectMeta { Name = "p" }, Spec = new V1PodSpec { {{Containers}} } };
                return Sandboxed.From(generated).WithLabel("team", "a").Build();
            }
        }
        """);

    [Fact]
    public Task Sandbox_for_a_node_pool_counts() => Verify($$"""
        class C
        {
            V1Pod M(AksNodePool pool) => new V1Pod { Spec = new V1PodSpec { {{Containers}} } }.Sandbox(pool);

            List<V1Pod> N(AksNodePool pool)
            {
                var pods = new List<V1Pod> { new V1Pod { Spec = new V1PodSpec { {{Containers}} } } };
                pods.Sandbox(pool);
                return pods;
            }
        }
        """);

    [Fact]
    public Task Sandbox_with_a_runtime_named_by_a_string_that_is_no_sandbox_is_reported_at_the_name() => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod { Spec = new V1PodSpec { {{Containers}} } }.Sandbox({|#0:"runc"|});

            V1Pod N() => new V1Pod { Spec = new V1PodSpec { {{Containers}} } }.Sandbox("kata-vm-isolation");
        }
        """, VerifyCS.Rule("SBX1002").WithLocation(0));

    [Fact]
    public Task A_helper_that_calls_Sandbox_sandboxes_its_parameter() => Verify($$"""
        class C
        {
            V1Job M()
            {
                var job = new V1Job { Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { {{Containers}} } } } };
                return Harden(job);
            }

            private static T Harden<T>(T obj) where T : k8s.IKubernetesObject => obj.Sandbox();
        }
        """);

    [Fact]
    public Task Sandbox_on_another_object_does_not_count() => Verify($$"""
        class C
        {
            void M(V1Pod other)
            {
                var pod = new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } };
                other.Sandbox();
            }
        }
        """, VerifyCS.Rule("SBX1001").WithLocation(0));

    [Fact]
    public Task The_sdk_builders_need_no_runtime_class() => Verify("""
        class C
        {
            V1Pod M() => Sandboxed.Pod("web")
                .WithContainer("app", "nginx", c => c.WithResources(cpu: "1", memory: "1Gi"))
                .ConfigurePodSpec(spec => spec.DnsPolicy = "ClusterFirst")
                .Build();
        }
        """);

    [Fact]
    public Task Sdk_constant_counts_as_an_allowed_class() => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = KnownRuntimeClasses.KataVmIsolation, {{Containers}} } };
        }
        """);
}
