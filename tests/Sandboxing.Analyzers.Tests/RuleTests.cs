using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static Sandboxing.Analyzers.Tests.Snippets;
using VerifyCS = Sandboxing.Analyzers.Tests.CSharpCodeFixVerifier<
    Sandboxing.Analyzers.SandboxAnalyzer,
    Sandboxing.Analyzers.CodeFixes.RuntimeClassCodeFixProvider>;

namespace Sandboxing.Analyzers.Tests;

public class RuntimeClassValueTests
{
    private static Task Verify(string body, params DiagnosticResult[] expected) =>
        VerifyCS.VerifyAnalyzerAsync(Usings + body, expected);

    [Theory]
    [InlineData("\"runc\"", "runc")]
    [InlineData("\"\"", "")]
    [InlineData("null", "null")]
    [InlineData("\"kata-unknown\"", "kata-unknown")]
    public Task Not_allowed_classes_are_reported(string literal, string shown) => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1PodSpec { RuntimeClassName = {|#0:{{literal}}|}, {{Containers}} } };
        }
        """, VerifyCS.Diagnostic("SBX1002").WithLocation(0).WithArguments(
            "V1Pod", shown, string.Join(", ", Sandboxing.Sdk.SandboxRuntime.Presets.Select(r => r.Name).Where(Sandboxing.Sdk.SandboxValidationOptions.Default.IsAllowed)), "kata-vm-isolation"));

    [Fact]
    public Task Not_allowed_class_assigned_later_is_reported() => Verify($$"""
        class C
        {
            const string Runc = "runc";
            V1Pod M()
            {
                var pod = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
                pod.Spec.RuntimeClassName = {|#0:Runc|};
                return pod;
            }
        }
        """, VerifyCS.Rule("SBX1002").WithLocation(0));

    [Fact]
    public Task Undocumented_kata_vm_isolation_v2_is_known_but_not_allowed_by_default() => Verify("""
        class C
        {
            V1PodSpec M(V1Pod other) => other.Spec with { RuntimeClassName = {|#0:"kata-vm-isolation-v2"|} };
        }
        """, VerifyCS.Rule("SBX1002").WithLocation(0));

    [Fact]
    public Task Not_allowed_class_in_a_with_expression_on_a_foreign_spec_is_reported() => Verify("""
        class C
        {
            V1PodSpec M(V1Pod other) => other.Spec with { RuntimeClassName = {|#0:"runc"|} };
        }
        """, VerifyCS.Rule("SBX1002").WithLocation(0));

    [Fact]
    public Task A_not_allowed_class_makes_the_spec_unsandboxed_for_compatibility_rules() => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = {|#0:"runc"|}, HostNetwork = true, {{Containers}} } };
        }
        """, VerifyCS.Rule("SBX1002").WithLocation(0));

    [Theory]
    [InlineData("kata-mshv-vm-isolation", "deprecated")]
    [InlineData("kata-cc-isolation", "retired")]
    public Task Deprecated_and_retired_classes_are_reported(string name, string status) => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = {|#0:"{{name}}"|}, {{Containers}} } };
        }
        """, VerifyCS.Diagnostic("SBX1003").WithLocation(0).WithArguments("V1Pod", name, status, "kata-vm-isolation"));

    [Theory]
    [InlineData("gvisor")]
    [InlineData("kata-qemu")]
    [InlineData("isolated-sandbox")]
    public async Task Other_platforms_classes_are_allowed_when_listed_and_refused_by_default(string name)
    {
        // The one default allow-list (the SDK's and the policies') is AKS's; a project on GKE or kata-deploy lists its classes.
        var listed = new VerifyCS.Test(Usings + $$"""
            class C
            {
                V1Pod M() => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = "{{name}}", {{Containers}} } };
            }
            """, editorConfig: "sandboxing.allowed_runtime_classes = kata-vm-isolation, gvisor, kata-qemu, isolated-sandbox");
        await listed.RunAsync();
        await Verify($$"""
            class C
            {
                V1Pod M() => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = {|#0:"{{name}}"|}, {{Containers}} } };
            }
            """, VerifyCS.Rule("SBX1002").WithLocation(0));
    }
}

public class CompatibilityTests
{
    private static Task Verify(string body, params DiagnosticResult[] expected) =>
        VerifyCS.VerifyAnalyzerAsync(Usings + body, expected);

    [Fact]
    public Task HostNetwork_on_a_sandboxed_spec_is_an_error() => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod { Metadata = new V1ObjectMeta { Name = "agent" }, Spec = new V1PodSpec { RuntimeClassName = "kata-vm-isolation", {|#0:HostNetwork = true|}, {{Containers}} } };
        }
        """, VerifyCS.Diagnostic("SBX2001").WithLocation(0).WithArguments("V1Pod 'agent'").WithSeverity(DiagnosticSeverity.Error));

    [Fact]
    public Task HostNetwork_false_is_fine() => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = "kata-vm-isolation", HostNetwork = false, {{Containers}} } };
        }
        """);

    [Fact]
    public Task HostNetwork_on_an_unsandboxed_spec_only_gets_SBX1001() => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod { Spec = {|#0:new V1PodSpec|} { HostNetwork = true, {{Containers}} } };
        }
        """, VerifyCS.Rule("SBX1001").WithLocation(0));

    [Fact]
    public Task HostNetwork_assigned_later_on_a_sandboxed_spec_is_reported() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var pod = new V1Pod { Spec = new V1PodSpec { RuntimeClassName = "kata-vm-isolation", {{Containers}} } };
                {|#0:pod.Spec.HostNetwork = true|};
                return pod;
            }
        }
        """, VerifyCS.Rule("SBX2001").WithLocation(0));

    [Theory]
    [InlineData("HostPID", "hostPID")]
    [InlineData("HostIPC", "hostIPC")]
    [InlineData("ShareProcessNamespace", "shareProcessNamespace")]
    public Task Host_namespaces_are_reported(string property, string field) => Verify($$"""
        class C
        {
            V1Pod M(string runtime) => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = runtime, {|#0:{{property}} = true|}, {{Containers}} } };
        }
        """, VerifyCS.Diagnostic("SBX2002").WithLocation(0).WithArguments("V1Pod", field));

    [Fact]
    public Task Privileged_container_is_reported() => Verify("""
        class C
        {
            V1Pod M() => new V1Pod
            {
                Spec = new V1PodSpec
                {
                    RuntimeClassName = "kata-vm-isolation",
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "debug",
                            Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { { "memory", new ResourceQuantity("1Gi") } } },
                            SecurityContext = new V1SecurityContext { {|#0:Privileged = true|} },
                        },
                    ],
                },
            };
        }
        """, VerifyCS.Diagnostic("SBX2003").WithLocation(0).WithArguments("V1Pod", "debug"));

    [Fact]
    public Task HostPath_volume_is_reported() => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod
            {
                Spec = new V1PodSpec
                {
                    RuntimeClassName = "kata-vm-isolation",
                    {{Containers}},
                    Volumes = new List<V1Volume>
                    {
                        new V1Volume { Name = "docker", {|#0:HostPath = new V1HostPathVolumeSource { Path = "/var/run/docker.sock" }|} },
                        new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() },
                    },
                },
            };
        }
        """, VerifyCS.Diagnostic("SBX2004").WithLocation(0).WithArguments("V1Pod", "/var/run/docker.sock", "docker"));

    [Fact]
    public Task Container_without_memory_limit_is_info() => Verify("""
        class C
        {
            V1Pod M() => new V1Pod
            {
                Spec = new V1PodSpec
                {
                    RuntimeClassName = "kata-vm-isolation",
                    Containers = new List<V1Container>
                    {
                        {|#0:new V1Container|} { Name = "none", Image = "nginx" },
                        {|#1:new V1Container|} { Name = "cpu-only", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new ResourceQuantity("1") } } },
                        {|#2:new V1Container|} { Name = "requests", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["memory"] = new ResourceQuantity("1Gi") } } },
                    },
                    InitContainers = [{|#3:new()|} { Name = "init" }],
                },
            };
        }
        """,
        VerifyCS.Diagnostic("SBX2005").WithLocation(0).WithArguments("V1Pod", "none").WithSeverity(DiagnosticSeverity.Info),
        VerifyCS.Rule("SBX2005").WithLocation(1),
        VerifyCS.Rule("SBX2005").WithLocation(2),
        VerifyCS.Rule("SBX2005").WithLocation(3));

    [Fact]
    public Task Memory_limits_that_are_not_visible_are_not_reported() => Verify("""
        class C
        {
            V1Pod M(V1ResourceRequirements shared, IDictionary<string, ResourceQuantity> limits) => new V1Pod
            {
                Spec = new V1PodSpec
                {
                    RuntimeClassName = "kata-vm-isolation",
                    Containers = new List<V1Container>
                    {
                        new V1Container { Name = "a", Resources = shared },
                        new V1Container { Name = "b", Resources = new V1ResourceRequirements { Limits = limits } },
                        new V1Container { Name = "c", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity>(limits) } },
                    },
                },
            };
        }
        """);

    [Fact]
    public Task Compatibility_rules_apply_after_Sandbox() =>
        new VerifyCS.Test(Usings + SdkUsings + $$"""
            class C
            {
                V1Pod M() => new V1Pod { Spec = new V1PodSpec { {|#0:HostNetwork = true|}, {{Containers}} } }.Sandbox();
            }
            """, sdk: true).WithExpected([VerifyCS.Rule("SBX2001").WithLocation(0)]).RunAsync();
}

public class OptionsTests
{
    private static Task Verify(string editorConfig, string body, params DiagnosticResult[] expected) =>
        new VerifyCS.Test(Usings + body, editorConfig: editorConfig).WithExpected(expected).RunAsync();

    [Fact]
    public Task Allowed_classes_come_from_editorconfig() => Verify(
        "sandboxing.allowed_runtime_classes = small-kata-pods, kata-vm-isolation\n",
        $$"""
        class C
        {
            V1Pod A() => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = "small-kata-pods", {{Containers}} } };
            V1Pod B() => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = {|#0:"gvisor"|}, {{Containers}} } };
        }
        """,
        VerifyCS.Diagnostic("SBX1002").WithLocation(0).WithArguments("V1Pod", "gvisor", "small-kata-pods, kata-vm-isolation", "kata-vm-isolation"));

    [Fact]
    public Task Fix_runtime_class_is_named_in_the_message() => Verify(
        "sandboxing.fix_runtime_class = small-kata-pods\n",
        $$"""
        class C
        {
            V1Pod M() => new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } };
        }
        """,
        VerifyCS.Diagnostic("SBX1001").WithLocation(0).WithArguments("V1Pod", "small-kata-pods"));

    [Theory]
    [InlineData("sandboxing.excluded_namespaces = Acme.Legacy.*")]
    [InlineData("sandboxing.excluded_namespaces = Other, Acme.*")]
    [InlineData("sandboxing.excluded_types = *.NodeAgent*")]
    [InlineData("sandboxing.excluded_types = Acme.Legacy.NodeAgentFactory")]
    public Task Exclusions_silence_the_analyzer(string option) => Verify(option + "\n", $$"""
        namespace Acme.Legacy
        {
            class NodeAgentFactory
            {
                V1Pod M() => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = "runc", {{Containers}} } };
                V1Pod N() => new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
            }
        }
        """);

    [Fact]
    public Task Exclusions_do_not_reach_other_types() => Verify("sandboxing.excluded_types = *.NodeAgent*\nsandboxing.excluded_namespaces = Acme.Legacy.*\n", $$"""
        namespace Acme.LegacyTools
        {
            class Runner
            {
                V1Pod N() => new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } };
            }
        }
        """, VerifyCS.Rule("SBX1001").WithLocation(0));

    [Fact]
    public Task Severity_comes_from_dotnet_diagnostic() => Verify("dotnet_diagnostic.SBX1001.severity = suggestion\n", $$"""
        class C
        {
            V1Pod M() => new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } };
        }
        """, VerifyCS.Rule("SBX1001").WithLocation(0).WithSeverity(DiagnosticSeverity.Info));

    [Fact]
    public Task Severity_none_disables_a_rule() => Verify("dotnet_diagnostic.SBX1001.severity = none\n", $$"""
        class C
        {
            V1Pod M() => new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
        }
        """);

    private const string GeneratedPod = """
        // <auto-generated/>
        using System.Collections.Generic;
        using k8s.Models;

        class Generated
        {
            V1Pod M() => new V1Pod { Spec = {|#0:new V1PodSpec|} { Containers = new List<V1Container>() } };
        }
        """;

    [Fact]
    public Task Generated_code_is_analysed_by_default() =>
        new VerifyCS.Test(GeneratedPod).WithExpected([VerifyCS.Rule("SBX1001").WithLocation(0)]).RunAsync();

    [Fact]
    public Task Generated_code_analysis_can_be_turned_off() =>
        new VerifyCS.Test(GeneratedPod.Replace("{|#0:", "").Replace("|}", ""), editorConfig: "sandboxing.analyze_generated_code = false\n").RunAsync();

    [Fact]
    public Task Generated_file_names_count_as_generated() =>
        new VerifyCS.Test(editorConfig: "sandboxing.analyze_generated_code = false\n")
        {
            TestState = { Sources = { ("/0/Pods.g.cs", Usings + "class G { V1Pod M() => new V1Pod { Spec = new V1PodSpec { Containers = new List<V1Container>() } }; }") } },
        }.RunAsync();
}
