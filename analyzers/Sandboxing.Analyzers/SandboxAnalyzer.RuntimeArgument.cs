using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Sandboxing.Analyzers;

public sealed partial class SandboxAnalyzer
{
    /// <summary>
    /// SBX1002 / SBX1003 on the runtime class a sandboxing call is given as a string: <c>pod.Sandbox("kata-vm-isolaton")</c>,
    /// <c>WithRuntime("runc")</c>. The call names the class, so the finding is at the name rather than at the spec.
    /// </summary>
    private static void AnalyzeRuntimeArgument(SyntaxNodeAnalysisContext context, KubernetesTypes types)
    {
        var node = (InvocationExpressionSyntax)context.Node;
        if (!MayNameRuntimeClass(node) || OptionsFor(context) is not { } options)
        {
            return; // cheap syntactic filter: only calls given a string literal, or named like the SDK's, are bound.
        }

        if (context.SemanticModel.GetOperation(node, context.CancellationToken) is not IInvocationOperation call
            || RuntimeArgument(call) is not { } runtime
            || options.IsExcluded(context.ContainingSymbol))
        {
            return;
        }

        var diagnostic = CheckRuntimeClassValue(runtime, () => SourceNames.Call(call.TargetMethod), options);
        if (diagnostic is not null)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    private static bool MayNameRuntimeClass(InvocationExpressionSyntax node)
    {
        if (RightmostName(node.Expression) is "Sandbox" or "WithRuntime")
        {
            return true;
        }

        foreach (var argument in node.ArgumentList.Arguments)
        {
            if (argument.Expression.IsKind(SyntaxKind.StringLiteralExpression))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The constant string a call that chooses a runtime class converts to a runtime (the SDK's <c>SandboxRuntime</c>): a call with
    /// a <c>[SandboxesArgument]</c> parameter, or <c>WithRuntime</c>. Null for any other call, or a runtime that is not a constant.
    /// </summary>
    private static IOperation? RuntimeArgument(IInvocationOperation call)
    {
        bool marked = false, toSdkRuntime = false;
        IOperation? runtime = null;
        foreach (var argument in call.Arguments)
        {
            marked |= KubernetesTypes.SandboxesArgument(argument.Parameter);
            if (argument.ArgumentKind == ArgumentKind.Explicit
                && argument.Value is IConversionOperation { OperatorMethod: { } conversion } converted
                && Unwrap(converted.Operand).ConstantValue is { HasValue: true, Value: null or string })
            {
                runtime = converted.Operand;
                toSdkRuntime = conversion.ContainingType.Name == "SandboxRuntime";
            }
        }

        return marked || (toSdkRuntime && call.TargetMethod.Name == "WithRuntime") ? runtime : null;
    }
}
