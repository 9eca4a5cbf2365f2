using Microsoft.CodeAnalysis.Testing;
using static Sandboxing.Analyzers.Tests.Snippets;
using VerifyCS = Sandboxing.Analyzers.Tests.CSharpCodeFixVerifier<
    Sandboxing.Analyzers.SandboxAnalyzer,
    Sandboxing.Analyzers.CodeFixes.RuntimeClassCodeFixProvider>;

namespace Sandboxing.Analyzers.Tests;

/// <summary>
/// A runtime class given to Sandbox(), WithRuntime() or RuntimeClassName is checked where it is written; a misspelt one is called
/// unknown, with the allowed class it is a few edits from.
/// </summary>
public class MisspeltRuntimeClassTests
{
    private const string Pod = "new V1Pod { Spec = new V1PodSpec { " + Containers + " } }";

    private static DiagnosticResult Meant(string call, string written, string meant) =>
        VerifyCS.Diagnostic("SBX1002").WithLocation(0).WithArguments(call, written, $"unknown; did you mean '{meant}'?", meant);

    private static Task Verify(string body, params DiagnosticResult[] expected) =>
        new VerifyCS.Test(Usings + SdkUsings + body, sdk: true).WithExpected(expected).RunAsync();

    [Fact]
    public Task A_misspelt_class_given_to_Sandbox_is_unknown_with_the_near_match_and_the_spec_is_not_reported() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var pod = {{Pod}};
                pod.Sandbox({|#0:"kata-vm-isolaton"|});
                return pod;
            }
        }
        """, Meant("Sandbox()", "kata-vm-isolaton", "kata-vm-isolation"));

    [Fact]
    public Task A_misspelt_class_in_a_chained_Sandbox_call_is_reported_at_the_name() => Verify($$"""
        class C
        {
            const string Runtime = "kata-vm-isolatoin";

            V1Pod M() => {{Pod}}.Sandbox({|#0:Runtime|});
        }
        """, Meant("Sandbox()", "kata-vm-isolatoin", "kata-vm-isolation"));

    [Fact]
    public Task A_misspelt_class_given_to_WithRuntime_is_reported() => Verify("""
        class C
        {
            V1Pod M() => Sandboxed.Pod("web").WithContainer("app", "nginx").WithRuntime({|#0:"gvisr"|}).Build();
        }
        """, Meant("WithRuntime()", "gvisr", "gvisor"));

    [Fact]
    public Task A_misspelt_RuntimeClassName_is_unknown_with_the_near_match() => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = {|#0:"kata-vm-isolation-"|}, {{Containers}} } };
        }
        """, Meant("V1Pod", "kata-vm-isolation-", "kata-vm-isolation"));

    [Fact]
    public Task A_class_in_the_wrong_case_means_the_lower_case_class() => Verify($$"""
        class C
        {
            V1Pod M() => {{Pod}}.Sandbox({|#0:"Kata-VM-Isolation"|});
        }
        """, Meant("Sandbox()", "Kata-VM-Isolation", "kata-vm-isolation"));

    [Fact]
    public Task A_configured_class_is_the_near_match_of_its_misspelling_and_is_quiet_when_spelt_right() =>
        new VerifyCS.Test(Usings + SdkUsings + $$"""
            class C
            {
                V1Pod M() => {{Pod}}.Sandbox({|#0:"small-kata-pod"|});

                V1Pod N() => {{Pod}}.Sandbox("small-kata-pods");
            }
            """, sdk: true, editorConfig: "sandboxing.allowed_runtime_classes = small-kata-pods\n")
            .WithExpected([Meant("Sandbox()", "small-kata-pod", "small-kata-pods")]).RunAsync();

    [Theory]
    [InlineData("runc")] // one edit from runv, but another runtime: short names are never near matches
    [InlineData("my-own-class")]
    public Task A_class_that_is_no_near_match_lists_the_allowed_classes(string name) => Verify($$"""
        class C
        {
            V1Pod M() => {{Pod}}.Sandbox({|#0:"{{name}}"|});
        }
        """, VerifyCS.Diagnostic("SBX1002").WithLocation(0).WithArguments(
            "Sandbox()", name, string.Join(", ", Sandboxing.Sdk.SandboxRuntime.Presets.Select(r => r.Name).Where(Sandboxing.Sdk.SandboxValidationOptions.Default.IsAllowed)), "kata-vm-isolation"));

    [Fact]
    public Task A_deprecated_class_given_to_Sandbox_is_SBX1003_at_the_name_and_still_sandboxes() => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod { Spec = new V1PodSpec { {|#1:HostNetwork = true|}, {{Containers}} } }.Sandbox({|#0:"kata-mshv-vm-isolation"|});
        }
        """,
        VerifyCS.Diagnostic("SBX1003").WithLocation(0).WithArguments("Sandbox()", "kata-mshv-vm-isolation", "deprecated", "kata-vm-isolation"),
        VerifyCS.Rule("SBX2001").WithLocation(1));

    [Fact]
    public Task Strings_given_to_calls_that_choose_no_runtime_are_not_checked() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                Console.WriteLine("kata-vm-isolaton");
                var pod = {{Pod}}.Sandbox();
                pod.Metadata = new V1ObjectMeta { Name = "kata-vm-isolaton" };
                return pod.Sandbox(SandboxRuntime.GkeGvisor);
            }
        }
        """);

    [Fact]
    public Task The_fix_writes_the_class_that_was_meant()
    {
        var test = new VerifyCS.Test(Usings + SdkUsings + $$"""
            class C
            {
                V1Pod M() => {{Pod}}.Sandbox({|#0:"kata-vm-isolaton"|});
                V1Pod N() => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = {|#1:"kata-vm-isolatio"|}, {{Containers}} } };
            }
            """, sdk: true)
        {
            FixedCode = Usings + SdkUsings + $$"""
                class C
                {
                    V1Pod M() => {{Pod}}.Sandbox("kata-vm-isolation");
                    V1Pod N() => new V1Pod { Spec = new V1PodSpec { RuntimeClassName = "kata-vm-isolation", {{Containers}} } };
                }
                """,
        };
        test.ConfigureFixed(sdk: true);
        return test.WithExpected([VerifyCS.Rule("SBX1002").WithLocation(0), VerifyCS.Rule("SBX1002").WithLocation(1)]).RunAsync();
    }
}
