using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Sandboxing.Sdk;

namespace Sandboxing.Analyzers;

public sealed partial class SandboxAnalyzer
{
    private static void AnalyzeRuntimeClassAssignment(SyntaxNodeAnalysisContext context, KubernetesTypes types)
    {
        var node = (AssignmentExpressionSyntax)context.Node;
        if (RightmostName(node.Left) != RuntimeClassName || OptionsFor(context) is not { } options)
        {
            return;
        }

        if (context.SemanticModel.GetOperation(node, context.CancellationToken) is not IAssignmentOperation assignment
            || assignment.Target is not IPropertyReferenceOperation property
            || !KubernetesTypes.Is(property.Property.ContainingType, types.PodSpec)
            || options.IsExcluded(context.ContainingSymbol))
        {
            return;
        }

        var diagnostic = CheckRuntimeClassValue(assignment.Value, () => DescribeAssignedSpec(property), options);
        if (diagnostic is not null)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    private static Diagnostic? CheckRuntimeClassValue(IOperation value, Func<string> describe, SandboxAnalyzerOptions options)
    {
        var constant = Unwrap(value).ConstantValue;
        if (!constant.HasValue || (constant.Value is not null && constant.Value is not string))
        {
            return null; // not a constant (configuration, a parameter): it counts as set.
        }

        var name = (string?)constant.Value;
        var known = KnownRuntimeClasses.Find(name);
        var location = value.Syntax.GetLocation();
        if (known is { IsObsolete: true })
        {
            var replacement = known.ReplacedBy ?? options.EffectiveFixRuntimeClass;
            var properties = ImmutableDictionary<string, string?>.Empty.Add(ReplacementProperty, replacement);
            return Diagnostic.Create(
                SandboxDescriptors.DeprecatedRuntimeClass, location, properties,
                describe(), name, known.Status == RuntimeClassStatus.Retired ? "retired" : "deprecated", replacement);
        }

        if (string.IsNullOrEmpty(name) || !options.IsAllowed(name!))
        {
            // A name no table knows that is a few edits from an allowed or known class is a typo: say which class was meant
            // (allowed classes first, so a tie names one the project allows).
            if (known is null && !string.IsNullOrEmpty(name)
                && NearMatch.Among(name!, options.AllowedRuntimeClasses.Concat(KnownRuntimeClasses.All.Select(k => k.Name))) is { } meant)
            {
                return Diagnostic.Create(
                    SandboxDescriptors.RuntimeClassNotAllowed, location, ImmutableDictionary<string, string?>.Empty.Add(ReplacementProperty, meant),
                    describe(), name, "unknown; did you mean '" + meant + "'?", meant);
            }

            return Diagnostic.Create(
                SandboxDescriptors.RuntimeClassNotAllowed, location,
                describe(), name ?? "null", string.Join(", ", options.AllowedRuntimeClasses), options.EffectiveFixRuntimeClass);
        }

        return null;
    }

    /// <summary>Whether a runtime class value makes the spec sandboxed: any non-constant value does, and allowed or Kata classes.</summary>
    private static bool IsSandboxingValue(IOperation value, SandboxAnalyzerOptions options)
    {
        var constant = Unwrap(value).ConstantValue;
        if (!constant.HasValue)
        {
            return true;
        }

        if (constant.Value is not string name || name.Length == 0)
        {
            return false;
        }

        return options.IsAllowed(name) || KnownRuntimeClasses.Find(name) is not null;
    }

    private static string DescribeAssignedSpec(IPropertyReferenceOperation property)
    {
        if (property.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver })
        {
            // In an initializer or a with-expression: name the object that is being built.
            for (var current = property.Parent; current is not null; current = current.Parent)
            {
                if (current is IObjectCreationOperation or { Kind: OperationKind.With })
                {
                    IOperation outer = current;
                    for (var up = current.Parent; up is not null; up = up.Parent)
                    {
                        if (up is IObjectCreationOperation upCreation && KubernetesTypes.IsModel(upCreation.Type))
                        {
                            outer = upCreation;
                        }
                    }

                    return SourceNames.OfType(outer.Type, "V1PodSpec");
                }
            }

            return "V1PodSpec";
        }

        var text = property.Instance?.Syntax.ToString() ?? "V1PodSpec";
        return text.Length > 60 ? "V1PodSpec" : "'" + text + "'";
    }
}
