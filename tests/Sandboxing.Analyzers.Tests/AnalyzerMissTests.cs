using Microsoft.CodeAnalysis.Testing;
using static Sandboxing.Analyzers.Tests.Snippets;
using VerifyCS = Sandboxing.Analyzers.Tests.CSharpCodeFixVerifier<
    Sandboxing.Analyzers.SandboxAnalyzer,
    Sandboxing.Analyzers.CodeFixes.RuntimeClassCodeFixProvider>;

namespace Sandboxing.Analyzers.Tests;

/// <summary>Shapes the analyzer once missed (aliases, derived records, with-expressions) or wrongly reported (ref locals).</summary>
public class AnalyzerMissTests
{
    private static Task Verify(string body, params DiagnosticResult[] expected) =>
        VerifyCS.VerifyAnalyzerAsync(Usings + body, expected);

    private static DiagnosticResult Sbx1001(int location = 0) => VerifyCS.Rule("SBX1001").WithLocation(location);

    [Fact]
    public Task A_global_using_alias_in_another_file_is_followed()
    {
        var test = new VerifyCS.Test(Usings + $$"""
            class C
            {
                V1Pod M() => new V1Pod { Spec = {|#0:new PodSpec|} { {{Containers}} } };
                PodSpec N() => {|#1:new()|} { {{Containers}} };
            }
            """);
        test.TestState.Sources.Add(("/Globals.cs", "global using PodSpec = k8s.Models.V1PodSpec;\n"));
        test.ExpectedDiagnostics.Add(Sbx1001(0));
        test.ExpectedDiagnostics.Add(Sbx1001(1));
        return test.RunAsync();
    }

    [Fact]
    public Task A_namespace_level_alias_is_followed() => Verify($$"""
        namespace Platform
        {
            using Spec = k8s.Models.V1PodSpec;

            class C
            {
                V1Pod M() => new V1Pod { Spec = {|#0:new Spec|} { {{Containers}} } };
                V1Pod N() => new V1Pod { Spec = new Spec { RuntimeClassName = "kata-vm-isolation", {{Containers}} } };
            }
        }
        """, Sbx1001());

    [Fact]
    public Task A_record_derived_from_the_pod_spec_is_analysed() => Verify($$"""
        record TenantSpec : V1PodSpec;
        record StrictTenantSpec : TenantSpec;

        class C
        {
            V1Pod M() => new V1Pod { Spec = {|#0:new TenantSpec|} { {{Containers}} } };
            V1Pod N() => new V1Pod { Spec = {|#1:new StrictTenantSpec|} { {{Containers}} } };
            V1Pod O() => new V1Pod { Spec = new TenantSpec { RuntimeClassName = "kata-vm-isolation", {|#2:HostNetwork = true|}, {{Containers}} } };
        }
        """, Sbx1001(0), Sbx1001(1), VerifyCS.Rule("SBX2001").WithLocation(2));

    [Fact]
    public Task A_with_expression_that_turns_host_network_on_in_a_sandboxed_spec_is_reported() => Verify($$"""
        class C
        {
            V1PodSpec M()
            {
                var spec = new V1PodSpec { RuntimeClassName = "kata-vm-isolation", {{Containers}} };
                return spec with { {|#0:HostNetwork = true|} };
            }

            V1PodSpec N(V1Pod pod)
            {
                pod.Spec.RuntimeClassName = "kata-vm-isolation";
                return pod.Spec with { {|#1:HostPID = true|} };
            }

            V1PodSpec Unknown(V1PodSpec spec) => spec with { HostNetwork = true };

            V1PodSpec Unsandboxed(V1PodSpec spec) => spec with { RuntimeClassName = {|#2:"runc"|}, HostNetwork = true };

            V1PodSpec Off(V1PodSpec spec) => spec with { RuntimeClassName = "kata-vm-isolation", HostNetwork = false };
        }
        """, VerifyCS.Rule("SBX2001").WithLocation(0), VerifyCS.Rule("SBX2002").WithLocation(1), VerifyCS.Rule("SBX1002").WithLocation(2));

    [Fact]
    public Task A_with_expression_on_what_the_sdk_sandboxed_is_reported() =>
        new VerifyCS.Test(Usings + SdkUsings + $$"""
            class C
            {
                V1PodSpec M(V1Pod pod) => pod.Sandbox().Spec with { {|#0:HostNetwork = true|} };

                V1PodSpec N() => Sandboxed.Pod("web").WithContainer("app", "nginx", c => c.WithResources(cpu: "1", memory: "1Gi")).Build().Spec with { {|#1:HostIPC = true|} };
            }
            """, sdk: true).WithExpected([VerifyCS.Rule("SBX2001").WithLocation(0), VerifyCS.Rule("SBX2002").WithLocation(1)]).RunAsync();

    [Fact]
    public Task A_ref_local_alias_counts() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var pod = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
                ref V1Pod alias = ref pod;
                alias.Spec.RuntimeClassName = "kata-vm-isolation";
                return pod;
            }
        }
        """);
}
