using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Sandboxing.Analyzers;

public sealed partial class SandboxAnalyzer
{
    /// <summary>
    /// SBX2001 / SBX2002 on <c>spec with { HostNetwork = true }</c>: the copy keeps the runtime class of a sandboxed spec, so
    /// it is a sandboxed pod with a setting the VM sandbox does not support.
    /// </summary>
    private static void AnalyzeWith(SyntaxNodeAnalysisContext context, AnalysisScope scope)
    {
        var node = (WithExpressionSyntax)context.Node;
        if (!SetsHostFlag(node.Initializer) || OptionsFor(context) is not { } options)
        {
            return; // cheap syntactic filter: only with-expressions that turn a host namespace on are bound.
        }

        if (context.SemanticModel.GetOperation(node, context.CancellationToken) is not IWithOperation with
            || !scope.Types.IsPodSpec(with.Type)
            || options.IsExcluded(context.ContainingSymbol))
        {
            return;
        }

        bool sandboxed = IsKnownSandboxed(with.Operand, scope, options, depth: 3, context.CancellationToken);
        foreach (var initializer in with.Initializer.Initializers)
        {
            if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: RuntimeClassName } } own)
            {
                sandboxed = IsSandboxingValue(own.Value, options); // the copy's own class decides
            }
        }

        if (!sandboxed)
        {
            return;
        }

        foreach (var initializer in with.Initializer.Initializers)
        {
            if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment
                && Array.IndexOf(s_hostFlags, target.Property.Name) >= 0 && IsTrue(assignment.Value))
            {
                context.ReportDiagnostic(HostFlagDiagnostic(target.Property.Name, assignment.Syntax, DescribeAssignedSpec(target)));
            }
        }
    }

    private static bool SetsHostFlag(InitializerExpressionSyntax initializer)
    {
        foreach (var expression in initializer.Expressions)
        {
            if (expression is AssignmentExpressionSyntax assignment && RightmostName(assignment.Left) is { } name && Array.IndexOf(s_hostFlags, name) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the value is visibly sandboxed: the result of a marked SDK call, an owner of it, a spec built with a sandbox
    /// class, or a variable that gets one (or is sandboxed) in the same body.
    /// </summary>
    private static bool IsKnownSandboxed(IOperation value, AnalysisScope scope, SandboxAnalyzerOptions options, int depth, CancellationToken cancellationToken)
    {
        value = Unwrap(value);
        if (depth <= 0)
        {
            return false;
        }

        switch (value)
        {
            case IInvocationOperation invocation:
                if (KubernetesTypes.SandboxesReturn(invocation.TargetMethod))
                {
                    return true;
                }

                foreach (var argument in invocation.Arguments)
                {
                    if (KubernetesTypes.SandboxesArgument(argument.Parameter) && !PassesNonSandboxRuntime(invocation))
                    {
                        return true; // Sandbox() returns the object it sandboxed
                    }
                }

                return false;

            case IObjectCreationOperation creation:
                return FieldsOf(creation).TryGetValue(RuntimeClassName, out var own) && IsSandboxingValue(own.Value, options);

            case IPropertyReferenceOperation { Instance: { } owner } when IsKnownSandboxed(owner, scope, options, depth - 1, cancellationToken):
                return true; // pod.Spec of a sandboxed pod
        }

        if (RefKey(value) is not { } path)
        {
            return false;
        }

        var facts = scope.Facts(Root(value), cancellationToken);
        var paths = facts.Expand(path);
        if (facts.IsPassedToSdk(paths, value) || facts.RuntimeClassOn(paths, options) == true)
        {
            return true;
        }

        return value is ILocalReferenceOperation local
            && local.Local.DeclaringSyntaxReferences.Length == 1
            && local.Local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
            && initializer.SyntaxTree == value.Syntax.SyntaxTree
            && value.SemanticModel?.GetOperation(initializer, cancellationToken) is { } initial
            && IsKnownSandboxed(initial, scope, options, depth - 1, cancellationToken);
    }
}
