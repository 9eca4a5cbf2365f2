using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Sandboxing.Analyzers;

/// <summary>
/// Flags KubernetesClient pod specs built in code without Kata VM isolation (SBX1001), with a runtime class that is not an
/// allowed sandbox (SBX1002) or is deprecated (SBX1003), and sandboxed specs with settings a VM sandbox does not support
/// (SBX2001–SBX2005). Registers nothing when the compilation does not reference KubernetesClient.
/// </summary>
/// <remarks>
/// The analyzer is triggered by the syntax of a <c>V1PodSpec</c> construction (and of a <c>RuntimeClassName</c> assignment, and
/// of a call that may name a runtime class, such as <c>Sandbox("…")</c>),
/// then works on the IOperation tree of the one member that contains it: the "later in the same method" tracking stays local,
/// and methods that build no pod spec never have their operation trees built.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class SandboxAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the runtime class the SBX1001 fix inserts.</summary>
    public const string FixRuntimeClassProperty = "FixRuntimeClass";

    /// <summary>Diagnostic property: "true" when the fix may insert the SDK's <c>KnownRuntimeClasses.KataVmIsolation</c>.</summary>
    public const string UseSdkConstantProperty = "UseSdkConstant";

    /// <summary>Diagnostic property: the current name of a deprecated runtime class (SBX1003), or the class a misspelt one meant (SBX1002).</summary>
    public const string ReplacementProperty = "Replacement";

    private const string RuntimeClassName = "RuntimeClassName";
    private const int MaxAliasRounds = 4;

    private static readonly string[] s_hostFlags = { "HostNetwork", "HostPID", "HostIPC", "ShareProcessNamespace" };

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => SandboxDescriptors.All;

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        KubernetesTypes? types;
        try
        {
            types = KubernetesTypes.Resolve(context.Compilation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return;
        }

        if (types is null)
        {
            return; // KubernetesClient is not referenced: this compilation pays nothing more.
        }

        var scope = new AnalysisScope(context.Compilation, types, context.Options);
        context.RegisterSyntaxNodeAction(
            c => Guard(c, types, (nodeContext, _) => AnalyzeCreation(nodeContext, scope)),
            SyntaxKind.ObjectCreationExpression, SyntaxKind.ImplicitObjectCreationExpression);
        context.RegisterSyntaxNodeAction(
            c => Guard(c, types, AnalyzeRuntimeClassAssignment), SyntaxKind.SimpleAssignmentExpression, SyntaxKind.CoalesceAssignmentExpression);
        context.RegisterSyntaxNodeAction(c => Guard(c, types, (nodeContext, _) => AnalyzeWith(nodeContext, scope)), SyntaxKind.WithExpression);
        context.RegisterSyntaxNodeAction(c => Guard(c, types, AnalyzeRuntimeArgument), SyntaxKind.InvocationExpression);
    }

    /// <summary>
    /// Set the AppContext switch <c>Sandboxing.Analyzers.ThrowOnInternalError</c> to let internal errors escape (the compiler then
    /// reports them as AD0001): the robustness tests do, so that a swallowed exception cannot hide a bug from them.
    /// </summary>
    private static bool ThrowOnInternalError =>
        AppContext.TryGetSwitch("Sandboxing.Analyzers.ThrowOnInternalError", out bool enabled) && enabled;

    private static void Guard(SyntaxNodeAnalysisContext context, KubernetesTypes types, Action<SyntaxNodeAnalysisContext, KubernetesTypes> action)
    {
        try
        {
            action(context, types);
        }
        catch (Exception e) when (e is not OperationCanceledException && !ThrowOnInternalError)
        {
            // An analyzer must never fail a build: a construct this analyzer does not understand is not reported.
        }
    }

    /// <summary>The settings for the node's tree, or null when the node is generated code and generated code is not analysed.</summary>
    private static SandboxAnalyzerOptions? OptionsFor(SyntaxNodeAnalysisContext context)
    {
        var options = SandboxAnalyzerOptions.For(context.Options, context.Node.SyntaxTree);
        return context.IsGeneratedCode && !options.AnalyzeGeneratedCode ? null : options;
    }

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    internal static IOperation Unwrap(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }

    private static bool IsTrue(IOperation value) => Unwrap(value).ConstantValue is { HasValue: true, Value: true };

    private static bool IsNullConstant(IOperation value) => Unwrap(value).ConstantValue is { HasValue: true, Value: null };
}
