using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Sandboxing.Analyzers;

public sealed partial class SandboxAnalyzer
{
    /// <summary>What one member body does to paths: later assignments, Sandbox() calls and aliases between variables.</summary>
    internal sealed class BlockFacts
    {
        private readonly List<KeyValuePair<string, string>> _aliases = new();
        private readonly HashSet<string> _sdkPaths = new(StringComparer.Ordinal);

        public List<LaterAssignment> Assignments { get; } = new();

        public static BlockFacts Collect(IOperation root, KubernetesTypes types, System.Threading.CancellationToken cancellationToken)
        {
            var facts = new BlockFacts();
            foreach (var operation in root.DescendantsAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (operation)
                {
                    case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment
                        when KubernetesTypes.Is(target.Property.ContainingType, types.PodSpec)
                            && target.Instance is not (null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver })
                            && (target.Property.Name == RuntimeClassName || Array.IndexOf(s_hostFlags, target.Property.Name) >= 0)
                            && RefKey(target.Instance) is { } instancePath:
                        facts.Assignments.Add(new LaterAssignment(instancePath, target.Property.Name, assignment));
                        break;

                    case IInvocationOperation invocation when types.IsSandboxing(invocation.TargetMethod):
                        if (RefKey(invocation.Instance) is { } receiver)
                        {
                            facts._sdkPaths.Add(receiver);
                        }

                        foreach (var argument in invocation.Arguments)
                        {
                            if (RefKey(argument.Value) is { } passed)
                            {
                                facts._sdkPaths.Add(passed);
                            }
                        }

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

        public bool IsPassedToSdk(HashSet<string> paths)
        {
            foreach (var sdkPath in _sdkPaths)
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

        private static void AddRebased(HashSet<string> result, string known, string from, string to)
        {
            if (IsPrefix(from, known))
            {
                result.Add(to + known.Substring(from.Length));
            }
        }

        private static bool IsPrefix(string prefix, string path) =>
            path.Length == prefix.Length
                ? string.Equals(path, prefix, StringComparison.Ordinal)
                : path.Length > prefix.Length && path[prefix.Length] == '.' && path.StartsWith(prefix, StringComparison.Ordinal);
    }

    internal readonly struct LaterAssignment
    {
        public LaterAssignment(string instancePath, string property, ISimpleAssignmentOperation operation)
        {
            InstancePath = instancePath;
            Property = property;
            Operation = operation;
        }

        public string InstancePath { get; }

        public string Property { get; }

        public ISimpleAssignmentOperation Operation { get; }
    }
}
