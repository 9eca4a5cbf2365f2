using Microsoft.CodeAnalysis.Testing;
using static Sandboxing.Analyzers.Tests.Snippets;
using VerifyCS = Sandboxing.Analyzers.Tests.CSharpCodeFixVerifier<
    Sandboxing.Analyzers.SandboxAnalyzer,
    Sandboxing.Analyzers.CodeFixes.RuntimeClassCodeFixProvider>;

namespace Sandboxing.Analyzers.Tests;

/// <summary>The analyzer follows a spec into the helpers that sandbox it and out to the callers of the helper that builds it.</summary>
public class CrossMethodTests
{
    private const string Spec = "new V1Pod { Spec = new V1PodSpec { " + Containers + " } }";

    private const string MarkedSpec = "new V1Pod { Spec = {|#0:new V1PodSpec|} { " + Containers + " } }";

    private static Task Verify(string body, params DiagnosticResult[] expected) =>
        VerifyCS.VerifyAnalyzerAsync(Usings + body, expected);

    private static DiagnosticResult Sbx1001(int location = 0) => VerifyCS.Rule("SBX1001").WithLocation(location);

    private static DiagnosticResult Sbx1001Left(string description) =>
        VerifyCS.Diagnostic("SBX1001").WithLocation(0).WithArguments(description, "kata-vm-isolation");

    [Fact]
    public Task A_private_helper_that_sets_the_class_on_its_parameter_counts() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var pod = {{Spec}};
                Harden(pod);
                return pod;
            }

            private static void Harden(V1Pod pod) => pod.Spec.RuntimeClassName = "kata-vm-isolation";
        }
        """);

    [Fact]
    public Task A_helper_that_does_not_set_the_class_does_not_count() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var pod = {{MarkedSpec}};
                Harden(pod);
                return pod;
            }

            private static void Harden(V1Pod pod) => pod.Metadata = new V1ObjectMeta { Name = "web" };
        }
        """, Sbx1001());

    [Fact]
    public Task A_helper_that_sets_the_class_on_another_path_does_not_count() => Verify($$"""
        class C
        {
            void M(V1Pod other)
            {
                var pod = {{MarkedSpec}};
                Harden(pod, other);
            }

            private static void Harden(V1Pod pod, V1Pod other) => other.Spec.RuntimeClassName = "kata-vm-isolation";
        }
        """, Sbx1001());

    [Fact]
    public Task A_helper_that_sets_a_class_that_is_not_a_sandbox_leaves_sbx1002_alone() => Verify($$"""
        class C
        {
            void M()
            {
                var pod = {{Spec}};
                Harden(pod);
            }

            private static void Harden(V1Pod pod) => pod.Spec.RuntimeClassName = {|#1:"runc"|};
        }
        """, VerifyCS.Rule("SBX1002").WithLocation(1));

    [Fact]
    public Task A_construction_passed_straight_to_a_helper_counts() => Verify($$"""
        class C
        {
            V1Pod M() => Harden({{Spec}});

            private static V1Pod Harden(V1Pod pod)
            {
                pod.Spec.RuntimeClassName = "kata-vm-isolation";
                return pod;
            }
        }
        """);

    [Fact]
    public Task A_construction_passed_straight_to_a_helper_that_does_nothing_is_reported() => Verify($$"""
        class C
        {
            V1Pod M() => Keep({{MarkedSpec}});

            private static V1Pod Keep(V1Pod pod) => pod;
        }
        """, Sbx1001());

    [Fact]
    public Task A_local_function_helper_counts() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var pod = {{Spec}};
                Kata(pod.Spec);
                return pod;

                static void Kata(V1PodSpec spec) => spec.RuntimeClassName = "kata-vm-isolation";
            }
        }
        """);

    [Fact]
    public Task A_generic_helper_counts() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var pod = {{Spec}};
                return Kata(pod);
            }

            static T Kata<T>(T pod) where T : V1Pod
            {
                pod.Spec.RuntimeClassName = "kata-vm-isolation";
                return pod;
            }
        }
        """);

    [Fact]
    public Task A_user_extension_method_in_another_file_counts()
    {
        var test = new VerifyCS.Test(Usings + $$"""
            class C
            {
                V1Pod M()
                {
                    var pod = {{Spec}};
                    pod.Harden();
                    var bad = {{MarkedSpec}};
                    bad.Label();
                    return pod;
                }
            }
            """);
        test.TestState.Sources.Add(("/Extensions.cs", Usings + """
            static class PodExtensions
            {
                public static void Harden(this V1Pod pod) => Set(pod.Spec);
                public static void Label(this V1Pod pod) => pod.Metadata = new V1ObjectMeta();
                private static void Set(V1PodSpec spec) => spec.RuntimeClassName = "kata-vm-isolation";
            }
            """));
        test.ExpectedDiagnostics.Add(Sbx1001());
        return test.RunAsync();
    }

    [Fact]
    public Task Helpers_calling_helpers_are_followed_up_to_the_bound() => Verify($$"""
        class C
        {
            void M()
            {
                var near = {{Spec}};
                A(near);
                var far = {{MarkedSpec}};
                B1(far);
            }

            static void A(V1Pod p) => A2(p);
            static void A2(V1Pod p) => Set(p);

            static void B1(V1Pod p) => B2(p);
            static void B2(V1Pod p) => B3(p);
            static void B3(V1Pod p) => B4(p);
            static void B4(V1Pod p) => Set(p);

            static void Set(V1Pod p) => p.Spec.RuntimeClassName = "kata-vm-isolation";
        }
        """, Sbx1001());

    [Fact]
    public Task Recursive_helpers_fall_back_without_failing() => Verify($$"""
        class C
        {
            void M()
            {
                var pod = {{MarkedSpec}};
                Loop(pod, 3);
                var ok = {{Spec}};
                Sets(ok, 3);
            }

            static void Loop(V1Pod p, int n) { if (n > 0) Loop(p, n - 1); }
            static void Sets(V1Pod p, int n) { if (n > 0) Sets(p, n - 1); else p.Spec.RuntimeClassName = "kata-vm-isolation"; }
        }
        """, Sbx1001());

    [Fact]
    public Task Virtual_and_interface_helpers_fall_back() => Verify($$"""
        interface IHardener { void Harden(V1Pod pod); }
        class C
        {
            void M(IHardener hardener)
            {
                var a = {{MarkedSpec}};
                Harden(a);
                var b = new V1Pod { Spec = {|#1:new V1PodSpec|} { {{Containers}} } };
                hardener.Harden(b);
            }

            protected virtual void Harden(V1Pod pod) => pod.Spec.RuntimeClassName = "kata-vm-isolation";
        }
        """, Sbx1001(0), Sbx1001(1));

    [Fact]
    public Task Foreach_over_a_local_list_counts() => Verify($$"""
        class C
        {
            List<V1Pod> M()
            {
                var pods = new List<V1Pod> { {{Spec}} };
                var later = {{Spec}};
                pods.Add(later);
                foreach (var pod in pods)
                {
                    pod.Spec.RuntimeClassName = "kata-vm-isolation";
                }

                return pods;
            }
        }
        """);

    [Fact]
    public Task Objects_added_to_a_list_that_a_foreach_sandboxes_count() => Verify($$"""
        class C
        {
            List<V1Pod> M(int count)
            {
                var pods = new List<V1Pod>();
                for (int i = 0; i < count; i++)
                {
                    pods.Add(Template());
                    pods.Add({{Spec}});
                }

                foreach (var pod in pods)
                {
                    pod.Spec.RuntimeClassName = "kata-vm-isolation";
                }

                var others = new List<V1Pod>();
                others.Add({{MarkedSpec}});
                return pods;
            }

            private static V1Pod Template() => {{Spec}};
        }
        """, Sbx1001());

    [Fact]
    public Task Foreach_over_a_collection_literal_counts() => Verify($$"""
        class C
        {
            void M()
            {
                var a = {{Spec}};
                var b = {{Spec}};
                foreach (var pod in new[] { a, b })
                {
                    pod.Spec.RuntimeClassName = "kata-vm-isolation";
                }

                foreach (var pod in new List<V1Pod> { {{Spec}} })
                {
                    pod.Spec.RuntimeClassName = "kata-vm-isolation";
                }
            }
        }
        """);

    [Fact]
    public Task Foreach_over_another_list_does_not_count() => Verify($$"""
        class C
        {
            void M(List<V1Pod> others)
            {
                var pods = new List<V1Pod> { {{MarkedSpec}} };
                foreach (var pod in others)
                {
                    pod.Spec.RuntimeClassName = "kata-vm-isolation";
                }
            }
        }
        """, Sbx1001());

    [Fact]
    public Task Coalescing_assignments_are_followed() => Verify($$"""
        class C
        {
            void M(V1Pod pod, V1Pod other, V1Pod third)
            {
                pod.Spec ??= new V1PodSpec { {{Containers}} };
                pod.Spec.RuntimeClassName = "kata-vm-isolation";
                other.Spec ??= {|#0:new V1PodSpec|} { {{Containers}} };
                var spec = new V1PodSpec { {{Containers}} };
                spec.RuntimeClassName ??= "kata-vm-isolation";
                third.Spec.RuntimeClassName ??= {|#1:"runc"|};
            }
        }
        """, Sbx1001(), VerifyCS.Rule("SBX1002").WithLocation(1));

    [Fact]
    public Task Conditional_access_keeps_the_path() => Verify($$"""
        class C
        {
            void M()
            {
                var pod = {{Spec}};
                Kata(pod?.Spec);
                var bad = {{MarkedSpec}};
                Kata(bad?.Metadata is null ? null : null);
            }

            static void Kata(V1PodSpec? spec)
            {
                if (spec is not null)
                {
                    spec.RuntimeClassName = "kata-vm-isolation";
                }
            }
        }
        """, Sbx1001());

    [Fact]
    public Task Aliases_through_owners_reach_the_helper() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var spec = new V1PodSpec { {{Containers}} };
                var pod = new V1Pod { Spec = spec };
                Harden(pod);
                return pod;
            }

            static void Harden(V1Pod pod) => pod.Spec.RuntimeClassName = "kata-vm-isolation";
        }
        """);

    [Fact]
    public Task A_private_helper_whose_callers_all_sandbox_its_result_is_not_reported() => Verify($$"""
        class C
        {
            V1Pod A()
            {
                var pod = Make();
                pod.Spec.RuntimeClassName = "kata-vm-isolation";
                return pod;
            }

            V1Pod B() => Harden(Make());

            V1Pod D() => Wrap();

            V1Pod Wrap() => Make();

            V1Pod E()
            {
                var pod = Wrap();
                Harden(pod);
                return pod;
            }

            private V1Pod Make()
            {
                var pod = {{Spec}};
                return pod;
            }

            private static V1Pod Harden(V1Pod pod)
            {
                pod.Spec.RuntimeClassName = "kata-vm-isolation";
                return pod;
            }
        }
        """.Replace("V1Pod D() => Wrap();\n\n", string.Empty, StringComparison.Ordinal).Replace("V1Pod Wrap()", "private V1Pod Wrap()", StringComparison.Ordinal));

    [Fact]
    public Task A_private_helper_whose_result_one_caller_forgets_is_reported_naming_the_caller() => Verify($$"""
        class C
        {
            V1Pod A()
            {
                var pod = Make();
                pod.Spec.RuntimeClassName = "kata-vm-isolation";
                return pod;
            }

            V1Pod B()
            {
                var pod = Make();
                pod.Metadata = new V1ObjectMeta { Name = "b" };
                return pod;
            }

            private static V1Pod Make() => {{MarkedSpec}};
        }
        """, Sbx1001Left("V1Pod returned by C.Make() and left unsandboxed by its caller C.B()"));

    [Fact]
    public Task A_local_function_whose_result_is_sandboxed_by_its_caller_is_not_reported() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var pod = Build();
                pod.Spec.RuntimeClassName = "kata-vm-isolation";
                var other = Other();
                return pod;

                V1Pod Build() => {{Spec}};
                V1Pod Other() => {{MarkedSpec}};
            }
        }
        """, Sbx1001Left("V1Pod returned by Other() and left unsandboxed by its caller C.M()"));

    [Fact]
    public Task Public_helpers_and_helpers_used_as_delegates_are_reported() => Verify($$"""
        class C
        {
            V1Pod A()
            {
                var pod = Make();
                pod.Spec.RuntimeClassName = "kata-vm-isolation";
                Func<V1Pod> f = Grouped;
                return Grouped();
            }

            public V1Pod Make() => {{MarkedSpec}};

            private V1Pod Grouped() => new V1Pod { Spec = {|#1:new V1PodSpec|} { {{Containers}} } };
        }
        """, Sbx1001(0), Sbx1001(1));
}

/// <summary>The SDK's marker, declared here under its metadata name so that these tests do not depend on the SDK.</summary>
public class MarkerTests
{
    private const string Marker = """

        namespace Sandboxing.Sdk
        {
            [System.AttributeUsage(System.AttributeTargets.Parameter | System.AttributeTargets.ReturnValue)]
            public sealed class SandboxesArgumentAttribute : System.Attribute { }
        }

        namespace Lib
        {
            using Sandboxing.Sdk;

            public readonly struct Runtime
            {
                public Runtime(string name) => Name = name;
                public string Name { get; }
                public static implicit operator Runtime(string name) => new(name);
            }

            public static class Seals
            {
                public static T Seal<T>([SandboxesArgument] this T value, Runtime runtime = default) => value;
                public static IEnumerable<T> SealAll<T>([SandboxesArgument] this IEnumerable<T> values) => values;
                public static T Label<T>(this T value) => value;
            }
        }

        """;

    private static Task Verify(string body, params DiagnosticResult[] expected) =>
        VerifyCS.VerifyAnalyzerAsync(Usings + "using System.Linq;\nusing Lib;\n" + body + Marker, expected);

    [Fact]
    public Task A_marked_parameter_sandboxes_its_argument() => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod { Spec = new V1PodSpec { {{Containers}} } }.Seal();

            V1Pod N()
            {
                var pod = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
                pod.Seal();
                return pod;
            }

            V1Pod O() => new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } }.Label();
        }
        """, VerifyCS.Rule("SBX1001").WithLocation(0));

    [Fact]
    public Task A_helper_that_calls_a_marked_method_sandboxes_its_parameter() => Verify($$"""
        class C
        {
            V1Pod M()
            {
                var pod = new V1Pod { Spec = new V1PodSpec { {{Containers}} } };
                Harden(pod);
                return pod;
            }

            static void Harden<T>(T value) where T : IKubernetesObject => value.Seal();
        }
        """);

    [Fact]
    public Task A_runtime_given_as_a_string_that_is_no_sandbox_is_reported_at_the_name() => Verify($$"""
        class C
        {
            V1Pod M() => new V1Pod { Spec = new V1PodSpec { {{Containers}} } }.Seal({|#0:"runc"|});

            V1Pod N() => new V1Pod { Spec = new V1PodSpec { {{Containers}} } }.Seal("kata-vm-isolation");
        }
        """, VerifyCS.Diagnostic("SBX1002").WithLocation(0).WithArguments(
            "Seal()", "runc", string.Join(", ", Sandboxing.Sdk.SandboxRuntime.Presets.Select(r => r.Name).Where(Sandboxing.Sdk.SandboxValidationOptions.Default.IsAllowed)), "kata-vm-isolation"));

    [Fact]
    public Task A_materialised_select_then_a_marked_call_counts_and_a_lazy_one_does_not() => Verify($$"""
        class C
        {
            List<V1Pod> M(string[] names)
            {
                var pods = names.Select(n => new V1Pod { Spec = new V1PodSpec { {{Containers}} } }).ToList();
                pods.SealAll();
                var lazy = names.Select(n => new V1Pod { Spec = {|#0:new V1PodSpec|} { {{Containers}} } });
                lazy.SealAll();
                return pods;
            }
        }
        """, VerifyCS.Rule("SBX1001").WithLocation(0));
}
