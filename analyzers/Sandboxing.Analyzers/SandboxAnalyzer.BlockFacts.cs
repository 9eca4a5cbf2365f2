using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Sandboxing.Analyzers;

public sealed partial class SandboxAnalyzer
{
    /// <summary>
    /// What one member body does to paths: later assignments, calls that sandbox an argument (the SDK's marked methods, and
    /// in-source helpers through their summaries), returns, and aliases between variables.
    /// </summary>
    internal sealed class BlockFacts
    {
        private readonly List<KeyValuePair<string, string>> _aliases = new();
        private readonly List<SdkCall> _sdkCalls = new();
        private readonly List<SdkCall> _rejectedSdkCalls = new();

        /// <summary>Assignments to locals after their declaration, by local: a call through the local after one names another object.</summary>
        private Dictionary<string, List<ISimpleAssignmentOperation>>? _writes;

        /// <summary>Local functions the body calls: a marked call inside one of them runs when it is called.</summary>
        private HashSet<IMethodSymbol>? _calledLocalFunctions;

        public List<LaterAssignment> Assignments { get; } = new();

        /// <summary>Paths whose spec gets a runtime class in a helper; the value says whether that class is a sandbox.</summary>
        public Dictionary<string, bool> HelperClassPaths { get; } = new(StringComparer.Ordinal);

        /// <summary>The values returned by the member (and by its local functions), with the path that holds them.</summary>
        public List<KeyValuePair<IReturnOperation, string>> Returns { get; } = new();

        /// <summary>The paths given to marked SDK calls that surely run whoever created the object (for helper summaries).</summary>
        public IEnumerable<string> SdkPaths => _sdkCalls.Where(c => Runs(c, site: null)).Select(c => c.Path);

        /// <param name="root">The body to read.</param>
        /// <param name="scope">The compilation's analysis state.</param>
        /// <param name="depth">How many levels of in-source helpers may still be summarised (0: none).</param>
        /// <param name="cancellationToken">Cancels the walk.</param>
        public static BlockFacts Collect(IOperation root, AnalysisScope scope, int depth, CancellationToken cancellationToken)
        {
            var types = scope.Types;
            var facts = new BlockFacts();
            foreach (var operation in root.DescendantsAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (operation)
                {
                    case IAssignmentOperation { Target: IPropertyReferenceOperation target } assignment
                        when assignment is ISimpleAssignmentOperation or ICoalesceAssignmentOperation
                            && KubernetesTypes.Is(target.Property.ContainingType, types.PodSpec)
                            && target.Instance is not (null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver })
                            && (target.Property.Name == RuntimeClassName || Array.IndexOf(s_hostFlags, target.Property.Name) >= 0)
                            && RefKey(target.Instance) is { } instancePath:
                        facts.Assignments.Add(new LaterAssignment(instancePath, target.Property.Name, assignment));
                        break;

                    case IInvocationOperation invocation:
                        if (invocation.TargetMethod.MethodKind == MethodKind.LocalFunction)
                        {
                            (facts._calledLocalFunctions ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default)).Add(invocation.TargetMethod.OriginalDefinition);
                        }

                        facts.AddCall(invocation, scope, depth, cancellationToken);
                        break;

                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation written } write
                        when KubernetesTypes.IsModel(written.Type) || IsCollectionOfModels(written.Type):
                        var writes = facts._writes ??= new Dictionary<string, List<ISimpleAssignmentOperation>>(StringComparer.Ordinal);
                        var key = LocalKey(written.Local);
                        if (!writes.TryGetValue(key, out var list))
                        {
                            writes[key] = list = new List<ISimpleAssignmentOperation>();
                        }

                        list.Add(write);
                        break;

                    case IReturnOperation { ReturnedValue: { } returned } ret when RefKey(returned) is { } returnedPath:
                        facts.Returns.Add(new KeyValuePair<IReturnOperation, string>(ret, returnedPath));
                        break;

                    case IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation element } loop
                        when RefKey(loop.Collection) is { } collection:
                        facts._aliases.Add(new KeyValuePair<string, string>(LocalKey(element.Symbol), collection + ".[]"));
                        break;

                    case IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator
                        when KubernetesTypes.IsModel(declarator.Symbol.Type) && RefKey(initial) is { } source:
                        facts._aliases.Add(new KeyValuePair<string, string>(LocalKey(declarator.Symbol), source));
                        break;

                    case ILocalReferenceOperation local when KubernetesTypes.IsModel(local.Type) || IsCollectionOfModels(local.Type):
                        var where = Locate(local, types);
                        if (where.Path is not null)
                        {
                            facts._aliases.Add(new KeyValuePair<string, string>(LocalKey(local.Local), where.Path));
                        }

                        break;
                }
            }

            return facts;
        }

        private void AddCall(IInvocationOperation invocation, AnalysisScope scope, int depth, CancellationToken cancellationToken)
        {
            var method = invocation.TargetMethod;
            MethodSummary? summary = null;
            foreach (var argument in invocation.Arguments)
            {
                if (RefKey(argument.Value) is not { } passed)
                {
                    continue;
                }

                if (KubernetesTypes.SandboxesArgument(argument.Parameter))
                {
                    if (!IsInDeadBranch(invocation))
                    {
                        (PassesNonSandboxRuntime(invocation) ? _rejectedSdkCalls : _sdkCalls).Add(new SdkCall(passed, invocation, EnclosingFunction(invocation)));
                    }

                    continue;
                }

                if (IsAddToCollection(invocation, argument) && RefKey(invocation.Instance) is { } collection)
                {
                    _aliases.Add(new KeyValuePair<string, string>(passed, collection + ".[]"));
                    continue;
                }

                if (depth <= 0 || argument.Parameter is not { } parameter || !MayHoldPodSpec(Unwrap(argument.Value).Type))
                {
                    continue; // strings, numbers and options passed to a helper never make it summarise
                }

                summary ??= scope.Summary(method, depth - 1, cancellationToken);
                foreach (var effect in summary.Effects)
                {
                    if (effect.Ordinal != parameter.Ordinal)
                    {
                        continue;
                    }

                    var target = passed + effect.Suffix;
                    if (effect.Prefix)
                    {
                        if (!IsInDeadBranch(invocation))
                        {
                            _sdkCalls.Add(new SdkCall(target, invocation, EnclosingFunction(invocation))); // a helper that calls Sandbox()
                        }
                    }
                    else
                    {
                        HelperClassPaths[target] = (HelperClassPaths.TryGetValue(target, out var known) && known) || effect.Sandboxes;
                    }
                }
            }
        }

        private static bool MayHoldPodSpec(ITypeSymbol? type) =>
            type is ITypeParameterSymbol || KubernetesTypes.IsModel(type) || IsCollectionOfModels(type)
            || type?.SpecialType == SpecialType.System_Object || type?.ContainingNamespace is { Name: "k8s", ContainingNamespace.IsGlobalNamespace: true };

        internal static bool IsAddToCollection(IInvocationOperation invocation, IArgumentOperation argument) =>
            !invocation.IsImplicit && invocation.TargetMethod.Name == "Add" && invocation.Arguments.Length == 1 && invocation.Instance is not null
            && KubernetesTypes.IsModel(Unwrap(argument.Value).Type) && IsCollectionOfModels(invocation.Instance.Type);

        /// <summary>Every path that can name the same object as <paramref name="path"/>, following aliases both ways.</summary>
        public HashSet<string> Expand(string path)
        {
            var result = new HashSet<string>(StringComparer.Ordinal) { path };
            for (int round = 0; round < MaxAliasRounds && _aliases.Count > 0; round++)
            {
                int before = result.Count;
                foreach (var known in result.ToArray())
                {
                    foreach (var alias in _aliases)
                    {
                        AddRebased(result, known, alias.Key, alias.Value);
                        AddRebased(result, known, alias.Value, alias.Key);
                    }
                }

                if (result.Count == before || result.Count > 256)
                {
                    break;
                }
            }

            return result;
        }

        /// <summary>
        /// Whether the spec named by <paramref name="paths"/>, made at <paramref name="site"/>, is given to a marked SDK call that
        /// surely runs on it: not in a lambda (or an uncalled local function) that does not also make it, not in a dead branch, and
        /// not through a local that was reassigned to another object before the call.
        /// </summary>
        public bool IsPassedToSdk(HashSet<string> paths, IOperation? site) => AnyPrefix(_sdkCalls, paths, site);

        /// <summary>Whether the spec is given to a marked SDK call with a class that is no sandbox (<c>Sandbox("runc")</c>).</summary>
        public bool IsRejectedBySdk(HashSet<string> paths, IOperation? site) => AnyPrefix(_rejectedSdkCalls, paths, site);

        private bool AnyPrefix(List<SdkCall> calls, HashSet<string> paths, IOperation? site)
        {
            foreach (var call in calls)
            {
                foreach (var path in paths)
                {
                    if (IsPrefix(call.Path, path) && Runs(call, site))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>Whether <paramref name="call"/> surely runs on the object made at <paramref name="site"/> (null: whoever made it).</summary>
        private bool Runs(SdkCall call, IOperation? site)
        {
            if (call.Function is { } function && !(site is not null && IsWithin(site, function))
                && !(function is ILocalFunctionOperation localFunction && _calledLocalFunctions?.Contains(localFunction.Symbol.OriginalDefinition) == true))
            {
                return false; // () => pod.Sandbox(): nothing says the lambda ever runs
            }

            int head = call.Path.IndexOf('.');
            var receiver = head < 0 ? call.Path : call.Path.Substring(0, head);
            if (_writes is null || !_writes.TryGetValue(receiver, out var writes))
            {
                return true;
            }

            // The last assignment to the local before the call decides which object the call gets.
            ISimpleAssignmentOperation? last = null;
            int at = call.Invocation.Syntax.SpanStart;
            foreach (var write in writes)
            {
                if (write.Syntax.SpanStart < at && (last is null || write.Syntax.SpanStart > last.Syntax.SpanStart))
                {
                    last = write;
                }
            }

            return last is null || (site is not null && last.Value.Syntax.Span.Contains(site.Syntax.Span));
        }

        /// <summary>Whether the spec named by <paramref name="paths"/> gets a runtime class here (null: no), and whether it is a sandbox.</summary>
        public bool? RuntimeClassOn(HashSet<string> paths, SandboxAnalyzerOptions options)
        {
            bool? result = null;
            foreach (var later in Assignments)
            {
                if (later.Property == RuntimeClassName && paths.Contains(later.InstancePath))
                {
                    result = result == true || IsSandboxingValue(later.Operation.Value, options);
                }
            }

            foreach (var helper in HelperClassPaths)
            {
                if (paths.Contains(helper.Key))
                {
                    result = result == true || helper.Value;
                }
            }

            return result;
        }

        private static void AddRebased(HashSet<string> result, string known, string from, string to)
        {
            if (IsPrefix(from, known))
            {
                result.Add(to + known.Substring(from.Length));
            }
        }
    }

    /// <summary>A marked SDK call: the path it is given, the call, and the lambda or local function it is in (null: the body itself).</summary>
    internal readonly struct SdkCall
    {
        public SdkCall(string path, IInvocationOperation invocation, IOperation? function)
        {
            Path = path;
            Invocation = invocation;
            Function = function;
        }

        public string Path { get; }

        public IInvocationOperation Invocation { get; }

        public IOperation? Function { get; }
    }

    /// <summary>The innermost lambda or local function around <paramref name="operation"/>, or null.</summary>
    private static IOperation? EnclosingFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return null;
    }

    private static bool IsWithin(IOperation operation, IOperation ancestor)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="operation"/> sits where a constant condition never leads: <c>if (false)</c>, the other branch of
    /// <c>if (true)</c> or of a constant <c>?:</c>, <c>while (false)</c>, the right of <c>false &amp;&amp; …</c> or <c>true || …</c>.
    /// </summary>
    internal static bool IsInDeadBranch(IOperation operation)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IConditionalOperation conditional when ConstantBool(conditional.Condition) is { } value:
                    if ((child == conditional.WhenTrue && !value) || (child == conditional.WhenFalse && value))
                    {
                        return true;
                    }

                    break;
                case IWhileLoopOperation { ConditionIsTop: true } loop when child == loop.Body && ConstantBool(loop.Condition) == false:
                    return true;
                case IForLoopOperation loop when child == loop.Body && loop.Condition is not null && ConstantBool(loop.Condition) == false:
                    return true;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both when child == both.RightOperand && ConstantBool(both.LeftOperand) == false:
                    return true;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either when child == either.RightOperand && ConstantBool(either.LeftOperand) == true:
                    return true;
            }
        }

        return false;
    }

    private static bool? ConstantBool(IOperation? condition) =>
        condition is not null && Unwrap(condition).ConstantValue is { HasValue: true, Value: bool value } ? value : null;

    internal static bool IsPrefix(string prefix, string path) =>
        path.Length == prefix.Length
            ? string.Equals(path, prefix, StringComparison.Ordinal)
            : path.Length > prefix.Length && path[prefix.Length] == '.' && path.StartsWith(prefix, StringComparison.Ordinal);

    internal readonly struct LaterAssignment
    {
        public LaterAssignment(string instancePath, string property, IAssignmentOperation operation)
        {
            InstancePath = instancePath;
            Property = property;
            Operation = operation;
        }

        public string InstancePath { get; }

        public string Property { get; }

        public IAssignmentOperation Operation { get; }
    }
}
