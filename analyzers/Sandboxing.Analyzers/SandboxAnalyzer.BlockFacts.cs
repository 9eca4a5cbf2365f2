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
        private readonly HashSet<string> _sdkPaths = new(StringComparer.Ordinal);
        private readonly HashSet<string> _rejectedSdkPaths = new(StringComparer.Ordinal);

        public List<LaterAssignment> Assignments { get; } = new();

        /// <summary>Paths whose spec gets a runtime class in a helper; the value says whether that class is a sandbox.</summary>
        public Dictionary<string, bool> HelperClassPaths { get; } = new(StringComparer.Ordinal);

        /// <summary>The values returned by the member (and by its local functions), with the path that holds them.</summary>
        public List<KeyValuePair<IReturnOperation, string>> Returns { get; } = new();

        public IEnumerable<string> SdkPaths => _sdkPaths;

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
                        facts.AddCall(invocation, scope, depth, cancellationToken);
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
                    (PassesNonSandboxRuntime(invocation) ? _rejectedSdkPaths : _sdkPaths).Add(passed);

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
                        _sdkPaths.Add(target);
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

        public bool IsPassedToSdk(HashSet<string> paths) => AnyPrefix(_sdkPaths, paths);

        /// <summary>Whether the spec is given to a marked SDK call with a class that is no sandbox (<c>Sandbox("runc")</c>).</summary>
        public bool IsRejectedBySdk(HashSet<string> paths) => AnyPrefix(_rejectedSdkPaths, paths);

        private static bool AnyPrefix(HashSet<string> prefixes, HashSet<string> paths)
        {
            foreach (var sdkPath in prefixes)
            {
                foreach (var path in paths)
                {
                    if (IsPrefix(sdkPath, path))
                    {
                        return true;
                    }
                }
            }

            return false;
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
