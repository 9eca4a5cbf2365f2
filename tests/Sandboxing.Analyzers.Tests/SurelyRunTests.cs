using Microsoft.CodeAnalysis.Testing;
using static Sandboxing.Analyzers.Tests.Snippets;
using VerifyCS = Sandboxing.Analyzers.Tests.CSharpCodeFixVerifier<
    Sandboxing.Analyzers.SandboxAnalyzer,
    Sandboxing.Analyzers.CodeFixes.RuntimeClassCodeFixProvider>;

namespace Sandboxing.Analyzers.Tests;

/// <summary>A Sandbox() call counts only when it surely runs on the object: not in an unrun lambda, a dead branch, or through a reassigned local.</summary>
public class SurelyRunTests
{
    private static Task Verify(string body, params DiagnosticResult[] expected)
    {
        var test = new VerifyCS.Test(Usings + SdkUsings + body, sdk: true);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult Sbx1001(int location = 0) => VerifyCS.Rule("SBX1001").WithLocation(location);

    [Fact]
    public Task A_call_only_in_a_lambda_that_never_runs_does_not_count() => Verify($$"""
        class C
        {
            Action? _later;

            V1Pod M()
            {
                var pod = new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } };
                _later = () => pod.Sandbox();
                return pod;
            }
        }
        """, Sbx1001());

    [Fact]
    public Task A_call_in_a_dead_branch_does_not_count() => Verify($$"""
        class C
        {
            const bool Harden = false;

            V1Pod M()
            {
                var pod = new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } };
                if (Harden)
                {
                    pod.Sandbox();
                }

                return pod;
            }

            V1Pod N(bool flag)
            {
                var pod = new V1Pod { Spec = {|#1:new V1PodSpec|} { {{Containers}} } };
                _ = false && pod.Sandbox() is not null;
                return pod;
            }
        }
        """, Sbx1001(0), Sbx1001(1));

    [Fact]
    public Task A_call_on_an_alias_reassigned_to_another_object_does_not_count() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var pod = new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } };
                var alias = pod;
                alias = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
                alias.Sandbox();
                return pod;
            }
        }
        """, Sbx1001());

    [Fact]
    public Task Calls_that_surely_run_still_count() => Verify($$"""
        class C
        {
            // Made and sandboxed in the same lambda.
            Func<V1Pod> Factory() => () =>
            {
                var pod = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
                pod.Sandbox();
                return pod;
            };

            // A local function that is called.
            V1Pod Local()
            {
                var pod = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
                void Harden() => pod.Sandbox();
                Harden();
                return pod;
            }

            // Either branch sandboxes (a branch that may run counts: the analyzer never warns on correct code).
            V1Pod Branches(bool gvisor)
            {
                var pod = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
                if (gvisor)
                {
                    pod.Sandbox(SandboxRuntime.GkeGvisor);
                }
                else
                {
                    pod.Sandbox();
                }

                return pod;
            }

            // An alias used before it is reassigned, and a local assigned the object it then sandboxes.
            V1Pod Aliases(V1Pod other)
            {
                var pod = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
                var alias = pod;
                alias.Sandbox();
                alias = other;

                V1Pod later;
                later = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
                later.Sandbox();
                return pod;
            }
        }
        """);

    [Fact]
    public Task A_dictionary_of_workloads_does_not_compile_with_Sandbox()
    {
        // T would be the key/value pair, so nothing would be sandboxed: the constraint makes it a compile error, with .Values the way.
        var test = new VerifyCS.Test("using System.Linq;\n" + Usings + SdkUsings + """
            class C
            {
                void M(Dictionary<string, V1Deployment> byName)
                {
                    byName.{|#0:Sandbox|}();
                    byName.Values.ToList().Sandbox();
                }
            }
            """, sdk: true);
        test.CompilerDiagnostics = CompilerDiagnostics.Errors;
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS0311").WithLocation(0));
        return test.RunAsync();
    }

    [Fact]
    public Task The_default_allow_list_is_the_SDK_one() => Verify($$"""
        class C
        {
            V1PodSpec Aks() => new V1PodSpec { RuntimeClassName = "kata-vm-isolation", {{Containers}} };
            V1PodSpec Gke() => new V1PodSpec { RuntimeClassName = {|#0:"gvisor"|}, {{Containers}} };
            V1PodSpec KataDeploy() => new V1PodSpec { RuntimeClassName = {|#1:"kata-qemu"|}, {{Containers}} };
        }
        """, VerifyCS.Rule("SBX1002").WithLocation(0), VerifyCS.Rule("SBX1002").WithLocation(1));
}
