using Microsoft.CodeAnalysis.Testing;
using static Sandboxing.Analyzers.Tests.Snippets;
using VerifyCS = Sandboxing.Analyzers.Tests.CSharpCodeFixVerifier<
    Sandboxing.Analyzers.SandboxAnalyzer,
    Sandboxing.Analyzers.CodeFixes.RuntimeClassCodeFixProvider>;

namespace Sandboxing.Analyzers.Tests;

public class CodeFixTests
{
    private const string C = "new V1Container { Name = \"app\", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { [\"memory\"] = new ResourceQuantity(\"1Gi\") } } }";

    [Fact]
    public Task Adds_runtime_class_to_a_single_line_initializer() => VerifyCS.VerifyCodeFixAsync(
        Usings + $$"""
        class K
        {
            V1Pod M() => new V1Pod { Spec = {|#0:new V1PodSpec|} { Containers = [{{C}}] } };
        }
        """,
        Usings + $$"""
        class K
        {
            V1Pod M() => new V1Pod { Spec = new V1PodSpec { Containers = [{{C}}], RuntimeClassName = "kata-vm-isolation" } };
        }
        """,
        VerifyCS.Rule("SBX1001").WithLocation(0));

    [Fact]
    public Task Adds_runtime_class_to_a_multi_line_initializer_with_a_trailing_comma() => VerifyCS.VerifyCodeFixAsync(
        Usings + $$"""
        class K
        {
            V1Pod M() => new V1Pod
            {
                Spec = {|#0:new()|}
                {
                    DnsPolicy = "ClusterFirst",
                    Containers = [{{C}}],
                },
            };
        }
        """,
        Usings + $$"""
        class K
        {
            V1Pod M() => new V1Pod
            {
                Spec = new()
                {
                    DnsPolicy = "ClusterFirst",
                    Containers = [{{C}}],
                    RuntimeClassName = "kata-vm-isolation",
                },
            };
        }
        """,
        VerifyCS.Rule("SBX1001").WithLocation(0));

    [Fact]
    public Task Adds_runtime_class_to_a_multi_line_initializer_without_a_trailing_comma() => VerifyCS.VerifyCodeFixAsync(
        Usings + $$"""
        class K
        {
            V1PodSpec M() => {|#0:new V1PodSpec|}
            {
                Containers = [{{C}}]
            };
        }
        """,
        Usings + $$"""
        class K
        {
            V1PodSpec M() => new V1PodSpec
            {
                Containers = [{{C}}],
                RuntimeClassName = "kata-vm-isolation"
            };
        }
        """,
        VerifyCS.Rule("SBX1001").WithLocation(0));

    [Fact]
    public Task Creates_the_initializer_when_there_is_none() =>
        new VerifyCS.Test(Usings + """
            class K
            {
                void M(V1Pod pod) { pod.Spec = {|#0:new V1PodSpec|}(); }
            }
            """)
        {
            FixedCode = Usings + """
                class K
                {
                    void M(V1Pod pod) { pod.Spec = new V1PodSpec() { RuntimeClassName = "kata-vm-isolation" }; }
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None, // V1PodSpec.Containers is required: the sample leaves it out on purpose
        }.WithExpected([VerifyCS.Rule("SBX1001").WithLocation(0)]).RunAsync();

    [Fact]
    public Task Inserts_the_editorconfig_runtime() =>
        new VerifyCS.Test(Usings + $$"""
            class K
            {
                V1Pod M() => new V1Pod { Spec = {|#0:new V1PodSpec|} { Containers = [{{C}}] } };
            }
            """, editorConfig: "sandboxing.fix_runtime_class = small-kata-pods\nsandboxing.allowed_runtime_classes = small-kata-pods\n")
        {
            FixedCode = Usings + $$"""
                class K
                {
                    V1Pod M() => new V1Pod { Spec = new V1PodSpec { Containers = [{{C}}], RuntimeClassName = "small-kata-pods" } };
                }
                """,
        }.WithExpected([VerifyCS.Rule("SBX1001").WithLocation(0)]).RunAsync();

    [Fact]
    public Task Inserts_the_sdk_constant_when_the_sdk_is_referenced()
    {
        var test = new VerifyCS.Test(Usings + SdkUsings + $$"""
            class K
            {
                V1Pod M() => new V1Pod { Spec = {|#0:new V1PodSpec|} { Containers = [{{C}}] } };
            }
            """, sdk: true)
        {
            FixedCode = Usings + SdkUsings + $$"""
                class K
                {
                    V1Pod M() => new V1Pod { Spec = new V1PodSpec { Containers = [{{C}}], RuntimeClassName = KnownRuntimeClasses.KataVmIsolation } };
                }
                """,
        };
        test.ConfigureFixed(sdk: true);
        return test.WithExpected([VerifyCS.Rule("SBX1001").WithLocation(0)]).RunAsync();
    }

    [Fact]
    public Task Imports_the_sdk_namespace_for_the_constant_when_the_file_lacks_it()
    {
        var test = new VerifyCS.Test(Usings + $$"""
            class K
            {
                V1Pod M() => new V1Pod { Spec = {|#0:new V1PodSpec|} { Containers = [{{C}}] } };
            }
            """, sdk: true)
        {
            FixedCode = Usings + "using Sandboxing.Sdk;\n" + $$"""
                class K
                {
                    V1Pod M() => new V1Pod { Spec = new V1PodSpec { Containers = [{{C}}], RuntimeClassName = KnownRuntimeClasses.KataVmIsolation } };
                }
                """,
        };
        test.ConfigureFixed(sdk: true);
        return test.WithExpected([VerifyCS.Rule("SBX1001").WithLocation(0)]).RunAsync();
    }

    [Fact]
    public Task Fix_all_with_the_sdk_imports_the_namespace_once_per_file()
    {
        var test = new VerifyCS.Test(sdk: true);
        test.TestState.Sources.Add(Usings + $$"""
            class A
            {
                V1Pod P() => new V1Pod { Spec = {|#0:new V1PodSpec|} { Containers = [{{C}}] } };
                V1Job J() => new V1Job { Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = {|#1:new()|} { Containers = [{{C}}] } } } };
            }
            """);
        test.TestState.Sources.Add(Usings + SdkUsings + $$"""
            class B
            {
                V1PodSpec S() => {|#2:new V1PodSpec|} { Containers = [{{C}}] };
            }
            """);
        test.FixedState.Sources.Add(Usings + "using Sandboxing.Sdk;\n" + $$"""
            class A
            {
                V1Pod P() => new V1Pod { Spec = new V1PodSpec { Containers = [{{C}}], RuntimeClassName = KnownRuntimeClasses.KataVmIsolation } };
                V1Job J() => new V1Job { Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new() { Containers = [{{C}}], RuntimeClassName = KnownRuntimeClasses.KataVmIsolation } } } };
            }
            """);
        test.FixedState.Sources.Add(Usings + SdkUsings + $$"""
            class B
            {
                V1PodSpec S() => new V1PodSpec { Containers = [{{C}}], RuntimeClassName = KnownRuntimeClasses.KataVmIsolation };
            }
            """);
        test.ConfigureFixed(sdk: true);
        test.ExpectedDiagnostics.Add(VerifyCS.Rule("SBX1001").WithLocation(0));
        test.ExpectedDiagnostics.Add(VerifyCS.Rule("SBX1001").WithLocation(1));
        test.ExpectedDiagnostics.Add(VerifyCS.Rule("SBX1001").WithLocation(2));
        return test.RunAsync();
    }

    [Fact]
    public Task Keeps_the_qualified_name_where_another_KnownRuntimeClasses_is_in_scope()
    {
        var test = new VerifyCS.Test(Usings + "\n" + $$"""
            static class KnownRuntimeClasses { public const string KataVmIsolation = "mine"; }

            class K
            {
                V1Pod M() => new V1Pod { Spec = {|#0:new V1PodSpec|} { Containers = [{{C}}] } };
            }
            """, sdk: true)
        {
            FixedCode = Usings + "\n" + $$"""
                static class KnownRuntimeClasses { public const string KataVmIsolation = "mine"; }

                class K
                {
                    V1Pod M() => new V1Pod { Spec = new V1PodSpec { Containers = [{{C}}], RuntimeClassName = Sandboxing.Sdk.KnownRuntimeClasses.KataVmIsolation } };
                }
                """,
        };
        test.ConfigureFixed(sdk: true);
        return test.WithExpected([VerifyCS.Rule("SBX1001").WithLocation(0)]).RunAsync();
    }

    [Fact]
    public Task Renames_a_deprecated_runtime_class() => VerifyCS.VerifyCodeFixAsync(
        Usings + $$"""
        class K
        {
            V1Pod M()
            {
                var pod = new V1Pod { Spec = new V1PodSpec { RuntimeClassName = {|#0:"kata-mshv-vm-isolation"|}, Containers = [{{C}}] } };
                pod.Spec.RuntimeClassName = {|#1:"kata-cc-isolation"|};
                return pod;
            }
        }
        """,
        Usings + $$"""
        class K
        {
            V1Pod M()
            {
                var pod = new V1Pod { Spec = new V1PodSpec { RuntimeClassName = "kata-vm-isolation", Containers = [{{C}}] } };
                pod.Spec.RuntimeClassName = "kata-vm-isolation";
                return pod;
            }
        }
        """,
        VerifyCS.Rule("SBX1003").WithLocation(0), VerifyCS.Rule("SBX1003").WithLocation(1));

    [Fact]
    public Task Fix_all_in_document_project_and_solution()
    {
        // The test runner applies the fix one by one and with FixAll in document, project and solution scopes.
        var test = new VerifyCS.Test();
        test.TestState.Sources.Add(Usings + $$"""
            class A
            {
                V1Pod P() => new V1Pod { Spec = {|#0:new V1PodSpec|} { Containers = [{{C}}] } };
                V1Job J() => new V1Job { Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = {|#1:new()|} { Containers = [{{C}}] } } } };
            }
            """);
        test.TestState.Sources.Add(Usings + $$"""
            class B
            {
                V1PodSpec S() => {|#2:new V1PodSpec|} { Containers = [{{C}}] };
            }
            """);
        test.FixedState.Sources.Add(Usings + $$"""
            class A
            {
                V1Pod P() => new V1Pod { Spec = new V1PodSpec { Containers = [{{C}}], RuntimeClassName = "kata-vm-isolation" } };
                V1Job J() => new V1Job { Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new() { Containers = [{{C}}], RuntimeClassName = "kata-vm-isolation" } } } };
            }
            """);
        test.FixedState.Sources.Add(Usings + $$"""
            class B
            {
                V1PodSpec S() => new V1PodSpec { Containers = [{{C}}], RuntimeClassName = "kata-vm-isolation" };
            }
            """);
        test.ExpectedDiagnostics.Add(VerifyCS.Rule("SBX1001").WithLocation(0));
        test.ExpectedDiagnostics.Add(VerifyCS.Rule("SBX1001").WithLocation(1));
        test.ExpectedDiagnostics.Add(VerifyCS.Rule("SBX1001").WithLocation(2));
        return test.RunAsync();
    }
}
