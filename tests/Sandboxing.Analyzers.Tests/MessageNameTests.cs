using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static Sandboxing.Analyzers.Tests.Snippets;
using VerifyCS = Sandboxing.Analyzers.Tests.CSharpCodeFixVerifier<
    Sandboxing.Analyzers.SandboxAnalyzer,
    Sandboxing.Analyzers.CodeFixes.RuntimeClassCodeFixProvider>;

namespace Sandboxing.Analyzers.Tests;

/// <summary>Messages name the code that leaves a pod unsandboxed as its author wrote it, never by the compiler's generated names.</summary>
public class MessageNameTests
{
    private const string MarkedSpec = "new V1Pod { Spec = {|#0:new V1PodSpec|} { " + Containers + " } }";

    private const string Make = "private static V1Pod Make() => " + MarkedSpec + ";";

    private static DiagnosticResult LeftBy(string caller, string helper = "C.Make()") =>
        VerifyCS.Diagnostic("SBX1001").WithLocation(0).WithArguments($"V1Pod returned by {helper} and left unsandboxed by {caller}", "kata-vm-isolation");

    private static Task Verify(string body, DiagnosticResult expected, OutputKind kind = OutputKind.DynamicallyLinkedLibrary) =>
        new VerifyCS.Test(Usings + body, outputKind: kind).WithExpected([expected]).RunAsync();

    [Fact]
    public Task Top_level_statements_are_named_as_such() => Verify($$"""
        var pod = Make();
        Console.WriteLine(pod);

        static V1Pod Make() => {{MarkedSpec}};
        """, LeftBy("the top-level statements", helper: "Make()"), OutputKind.ConsoleApplication);

    [Fact]
    public Task A_lambda_is_named_by_the_method_that_holds_it() => Verify($$"""
        class C
        {
            void M()
            {
                Action print = () => Console.WriteLine(Make());
                print();
            }

            {{Make}}
        }
        """, LeftBy("a lambda in C.M()"));

    [Fact]
    public Task A_lambda_in_top_level_statements_is_named_by_them() => Verify($$"""
        Action print = () => Console.WriteLine(Make());
        print();

        static V1Pod Make() => {{MarkedSpec}};
        """, LeftBy("a lambda in the top-level statements", helper: "Make()"), OutputKind.ConsoleApplication);

    [Fact]
    public Task A_local_function_is_named_by_its_name() => Verify($$"""
        class C
        {
            void M()
            {
                Print();

                void Print() => Console.WriteLine(Make());
            }

            {{Make}}
        }
        """, LeftBy("its caller Print()"));

    [Fact]
    public Task A_property_accessor_is_named_as_the_property() => Verify($$"""
        class C
        {
            V1Pod Pod => Make();

            {{Make}}
        }
        """, LeftBy("its caller C.Pod"));

    [Fact]
    public Task A_setter_is_named_as_the_property() => Verify($$"""
        class C
        {
            string Name { set => Console.WriteLine(Make()); }

            {{Make}}
        }
        """, LeftBy("its caller C.Name"));

    [Fact]
    public Task A_constructor_is_named_as_a_new_expression() => Verify($$"""
        class C
        {
            private readonly V1Pod _pod;

            public C(int replicas) => _pod = Make();

            {{Make}}
        }
        """, LeftBy("its caller new C(…)"));

    [Fact]
    public Task A_field_initializer_is_named_by_its_field() => Verify($$"""
        class C
        {
            private readonly V1Pod _pod = Make();

            {{Make}}
        }
        """, LeftBy("the initializer of C._pod"));

    [Fact]
    public Task A_static_constructor_is_named_as_such() => Verify($$"""
        class C
        {
            private static readonly V1Pod s_pod;

            static C() => s_pod = Make();

            {{Make}}
        }
        """, LeftBy("the static constructor of C"));
}
