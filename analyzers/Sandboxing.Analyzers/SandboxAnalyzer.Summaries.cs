using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Sandboxing.Analyzers;

public sealed partial class SandboxAnalyzer
{
    /// <summary>
    /// One compilation's state, created only when KubernetesClient is referenced: the resolved types, the facts of each member
    /// body that builds a pod spec, and the summaries of in-source helpers, each computed on first use and cached (thread-safe).
    /// </summary>
    internal sealed class AnalysisScope
    {
        /// <summary>How many levels of helpers calling helpers are followed, and how many callers of callers.</summary>
        public const int MaxDepth = 3;

        /// <summary>Helpers longer than this (in characters) are not summarised: the call counts as it did before summaries.</summary>
        public const int MaxHelperLength = 16_000;

        /// <summary>Callers of a private helper are looked for only in types no longer than this.</summary>
        public const int MaxTypeLength = 200_000;

        private readonly ConditionalWeakTable<IOperation, BlockFacts> _facts = new();
        private readonly ConcurrentDictionary<SummaryKey, MethodSummary> _summaries = new();
        private readonly AnalyzerOptions _options;
        private HashSet<string>? _podSpecNames;

        public AnalysisScope(Compilation compilation, KubernetesTypes types, AnalyzerOptions options)
        {
            Compilation = compilation;
            Types = types;
            _options = options;
        }

        public Compilation Compilation { get; }

        public KubernetesTypes Types { get; }

        /// <summary>The names that may denote a pod spec in <c>new X { … }</c>, read from the declarations once per compilation.</summary>
        public ISet<string> PodSpecNames(CancellationToken cancellationToken)
        {
            var names = Volatile.Read(ref _podSpecNames);
            if (names is null)
            {
                names = SandboxAnalyzer.PodSpecNames(Compilation, cancellationToken);
                Interlocked.CompareExchange(ref _podSpecNames, names, null);
            }

            return names;
        }

        public SandboxAnalyzerOptions OptionsFor(SyntaxTree tree) => SandboxAnalyzerOptions.For(_options, tree);

        /// <summary>The facts of a member body at full depth, collected once however many specs it builds.</summary>
        public BlockFacts Facts(IOperation root, CancellationToken cancellationToken) =>
            _facts.GetValue(root, r => BlockFacts.Collect(r, this, MaxDepth, cancellationToken));

        /// <summary>What <paramref name="method"/> does to its parameters, following helpers it calls up to <paramref name="depth"/> levels.</summary>
        public MethodSummary Summary(IMethodSymbol method, int depth, CancellationToken cancellationToken)
        {
            method = method.OriginalDefinition;
            if (!IsSummarisable(method))
            {
                return MethodSummary.Empty; // virtual, interface, metadata, partial: the call counts as before.
            }

            var key = new SummaryKey(method, depth);
            if (_summaries.TryGetValue(key, out var known))
            {
                return known;
            }

            var summary = Summarise(method, depth, cancellationToken);
            return _summaries.GetOrAdd(key, summary);
        }

        private static bool IsSummarisable(IMethodSymbol method) =>
            method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction
            && !method.IsVirtual && !method.IsAbstract && !method.IsOverride && !method.IsExtern
            && method.ContainingType?.TypeKind is not TypeKind.Interface
            && method.Parameters.Length > 0
            && method.DeclaringSyntaxReferences.Length == 1;

        private MethodSummary Summarise(IMethodSymbol method, int depth, CancellationToken cancellationToken)
        {
            var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
            if (syntax.Span.Length > MaxHelperLength || ModelFor(syntax.SyntaxTree).GetOperation(syntax, cancellationToken) is not { } body)
            {
                return MethodSummary.Empty;
            }

            var facts = BlockFacts.Collect(body, this, depth, cancellationToken);
            var options = OptionsFor(syntax.SyntaxTree);
            var effects = ImmutableArray.CreateBuilder<Effect>();
            foreach (var parameter in method.Parameters)
            {
                var key = "P:" + parameter.Name;
                foreach (var later in facts.Assignments)
                {
                    if (later.Property == RuntimeClassName)
                    {
                        AddEffects(effects, facts, later.InstancePath, key, parameter.Ordinal, prefix: false, IsSandboxingValue(later.Operation.Value, options));
                    }
                }

                foreach (var helper in facts.HelperClassPaths)
                {
                    AddEffects(effects, facts, helper.Key, key, parameter.Ordinal, prefix: false, helper.Value);
                }

                foreach (var sdk in facts.SdkPaths)
                {
                    AddEffects(effects, facts, sdk, key, parameter.Ordinal, prefix: true, sandboxes: true);
                }
            }

            return effects.Count == 0 ? MethodSummary.Empty : new MethodSummary(effects.ToImmutable());
        }

        private static void AddEffects(ImmutableArray<Effect>.Builder effects, BlockFacts facts, string path, string parameterKey, int ordinal, bool prefix, bool sandboxes)
        {
            foreach (var alias in facts.Expand(path))
            {
                if (IsPrefix(parameterKey, alias) && effects.Count < 64)
                {
                    effects.Add(new Effect(ordinal, alias.Substring(parameterKey.Length), prefix, sandboxes));
                }
            }
        }

        // The driver's caching provider serves analyzers the model the compiler already built for the tree, so this is a lookup.
#pragma warning disable RS1030 // a helper or caller may be declared in another file of the compilation
        private SemanticModel ModelFor(SyntaxTree tree) => Compilation.GetSemanticModel(tree);
#pragma warning restore RS1030

        /// <summary>
        /// Whether every caller of <paramref name="function"/> sandboxes the spec at <paramref name="relative"/> of what it returns.
        /// Callers are known only for local functions and private methods; the first caller that does not is named.
        /// </summary>
        public CallerVerdict CheckCallers(IMethodSymbol? function, IOperation inside, string relative, int depth, CancellationToken cancellationToken)
        {
            if (function is null || depth <= 0)
            {
                return CallerVerdict.Unknown;
            }

            var calls = CallsOf(function.OriginalDefinition, inside, cancellationToken);
            if (calls is null || calls.Count == 0)
            {
                return CallerVerdict.Unknown;
            }

            foreach (var call in calls)
            {
                if (!IsResultSandboxed(call, relative, depth, cancellationToken))
                {
                    return new CallerVerdict(false, SourceNames.CallerAt(call));
                }
            }

            return new CallerVerdict(true, null);
        }

        /// <summary>Whether the spec at <paramref name="relative"/> of the object a call returns gets a sandbox runtime class.</summary>
        private bool IsResultSandboxed(IInvocationOperation call, string relative, int depth, CancellationToken cancellationToken)
        {
            var location = Locate(call, Types);
            if (location.PassedToSdk)
            {
                return true;
            }

            if (location.Argument is { } argument)
            {
                return ArgumentEffect(argument, location.Relative + relative, cancellationToken) == true;
            }

            if (location.Return is { } returned)
            {
                return CheckCallers(EnclosingFunction(returned), returned, location.Relative + relative, depth - 1, cancellationToken).Sandboxed;
            }

            if (location.Path is null)
            {
                return false;
            }

            var facts = Facts(Root(call), cancellationToken);
            var paths = facts.Expand(location.Path + relative);
            if (facts.IsPassedToSdk(paths, call) || facts.RuntimeClassOn(paths, OptionsFor(call.Syntax.SyntaxTree)) == true)
            {
                return true;
            }

            foreach (var (function, rest) in ReturnedFrom(facts, paths, call))
            {
                return CheckCallers(function, call, rest, depth - 1, cancellationToken).Sandboxed;
            }

            return false;
        }

        /// <summary>
        /// What the called method does to the spec at <paramref name="relative"/> of an argument: null when nothing, otherwise
        /// whether the class it sets is a sandbox.
        /// </summary>
        public bool? ArgumentEffect(IArgumentOperation argument, string relative, CancellationToken cancellationToken)
        {
            if (argument.Parent is not IInvocationOperation call || argument.Parameter is not { } parameter)
            {
                return null;
            }

            bool? result = null;
            foreach (var effect in Summary(call.TargetMethod, MaxDepth - 1, cancellationToken).Effects)
            {
                if (effect.Ordinal == parameter.Ordinal
                    && (effect.Prefix ? IsPrefix(effect.Suffix, relative) || effect.Suffix.Length == 0 : effect.Suffix == relative))
                {
                    result = result == true || effect.Sandboxes;
                }
            }

            return result;
        }

        /// <summary>The returns of the function that holds <paramref name="at"/> whose value contains one of the paths.</summary>
        public static IEnumerable<(IMethodSymbol? Function, string Relative)> ReturnedFrom(BlockFacts facts, HashSet<string> paths, IOperation at)
        {
            IMethodSymbol? function = null;
            bool resolved = false;
            foreach (var returned in facts.Returns)
            {
                foreach (var path in paths)
                {
                    if (IsPrefix(returned.Value, path))
                    {
                        if (!resolved)
                        {
                            function = EnclosingFunction(at);
                            resolved = true;
                        }

                        var owner = EnclosingFunction(returned.Key);
                        if (function is not null && SymbolEqualityComparer.Default.Equals(owner, function))
                        {
                            yield return (function, path.Substring(returned.Value.Length));
                            yield break;
                        }
                    }
                }
            }
        }

        /// <summary>Every call of a local function (in its member) or a private method (in its type); null when one may be missed.</summary>
        private List<IInvocationOperation>? CallsOf(IMethodSymbol function, IOperation inside, CancellationToken cancellationToken)
        {
            var calls = new List<IInvocationOperation>();
            if (function.MethodKind == MethodKind.LocalFunction)
            {
                foreach (var operation in Root(inside).Descendants())
                {
                    if (operation is IMethodReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Method.OriginalDefinition, function))
                    {
                        return null; // used as a delegate: its callers are not visible.
                    }

                    if (operation is IInvocationOperation call && SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, function))
                    {
                        calls.Add(call);
                    }
                }

                return calls;
            }

            if (function.MethodKind != MethodKind.Ordinary || function.DeclaredAccessibility != Accessibility.Private || function.ContainingType is not { } type)
            {
                return null; // callers may be anywhere, even outside this compilation.
            }

            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                var declaration = reference.GetSyntax(cancellationToken);
                if (declaration.Span.Length > MaxTypeLength)
                {
                    return null;
                }

                SemanticModel? model = null;
                foreach (var name in declaration.DescendantNodes())
                {
                    if (name is not SimpleNameSyntax simple || simple.Identifier.ValueText != function.Name)
                    {
                        continue;
                    }

                    model ??= ModelFor(declaration.SyntaxTree);
                    var expression = simple.Parent is MemberAccessExpressionSyntax access && access.Name == simple ? (SyntaxNode)access : simple;
                    if (expression.Parent is InvocationExpressionSyntax invocation && invocation.Expression == expression)
                    {
                        if (model.GetOperation(invocation, cancellationToken) is IInvocationOperation call)
                        {
                            if (SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, function))
                            {
                                calls.Add(call);
                            }

                            continue;
                        }
                    }

                    if (model.GetSymbolInfo(simple, cancellationToken).Symbol is IMethodSymbol other
                        && SymbolEqualityComparer.Default.Equals(other.OriginalDefinition, function)
                        && simple.Parent is not MethodDeclarationSyntax)
                    {
                        return null; // a method group: its callers are not visible.
                    }
                }
            }

            return calls;
        }

        /// <summary>The local function or method whose body holds the operation; null inside a lambda.</summary>
        public static IMethodSymbol? EnclosingFunction(IOperation operation)
        {
            for (var current = operation; current is not null; current = current.Parent)
            {
                switch (current)
                {
                    case ILocalFunctionOperation local:
                        return local.Symbol;
                    case IAnonymousFunctionOperation:
                        return null;
                    case { Parent: null }:
                        return current.SemanticModel?.GetDeclaredSymbol(current.Syntax) as IMethodSymbol;
                }
            }

            return null;
        }

        /// <summary>" returned by C.Make() and left unsandboxed by its caller C.B()"; <paramref name="caller"/> comes from <see cref="SourceNames.CallerAt"/>.</summary>
        public static string Describe(IMethodSymbol? helper, string caller) =>
            " returned by " + (helper is null ? "a helper" : SourceNames.Of(helper)) + " and left unsandboxed by " + caller;
    }

    internal sealed class MethodSummary
    {
        public static readonly MethodSummary Empty = new(ImmutableArray<Effect>.Empty);

        public MethodSummary(ImmutableArray<Effect> effects) => Effects = effects;

        public ImmutableArray<Effect> Effects { get; }
    }

    /// <summary>A helper sets a runtime class on the spec at <see cref="Suffix"/> of a parameter, or sandboxes all of it (<see cref="Prefix"/>).</summary>
    internal readonly struct Effect
    {
        public Effect(int ordinal, string suffix, bool prefix, bool sandboxes)
        {
            Ordinal = ordinal;
            Suffix = suffix;
            Prefix = prefix;
            Sandboxes = sandboxes;
        }

        public int Ordinal { get; }

        public string Suffix { get; }

        public bool Prefix { get; }

        public bool Sandboxes { get; }
    }

    internal readonly struct CallerVerdict
    {
        public static readonly CallerVerdict Unknown = new(false, null);

        public CallerVerdict(bool sandboxed, string? culprit)
        {
            Sandboxed = sandboxed;
            Culprit = culprit;
        }

        public bool Sandboxed { get; }

        /// <summary>The caller that leaves the result unsandboxed, when one is known ("its caller C.B()", "the top-level statements").</summary>
        public string? Culprit { get; }
    }

    private readonly struct SummaryKey : IEquatable<SummaryKey>
    {
        public SummaryKey(IMethodSymbol method, int depth)
        {
            Method = method;
            Depth = depth;
        }

        public IMethodSymbol Method { get; }

        public int Depth { get; }

        public bool Equals(SummaryKey other) => Depth == other.Depth && SymbolEqualityComparer.Default.Equals(Method, other.Method);

        public override bool Equals(object? obj) => obj is SummaryKey other && Equals(other);

        public override int GetHashCode() => (SymbolEqualityComparer.Default.GetHashCode(Method) * 31) + Depth;
    }
}
