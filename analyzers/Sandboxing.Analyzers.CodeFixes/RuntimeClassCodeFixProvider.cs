using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Sandboxing.Analyzers.CodeFixes;

/// <summary>
/// SBX1001: adds <c>RuntimeClassName = "kata-vm-isolation"</c> (the SDK's <c>KnownRuntimeClasses.KataVmIsolation</c> when the SDK
/// is referenced, or the class named by <c>sandboxing.fix_runtime_class</c>) to the pod spec's initializer, creating the
/// initializer when there is none. SBX1003: renames a deprecated runtime class to its current name. SBX1002: corrects a misspelt
/// class to the allowed class it is a few edits from (the analyzer names it; a class that is merely not allowed gets no fix).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RuntimeClassCodeFixProvider)), Shared]
public sealed class RuntimeClassCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the SBX1001 fix (stable: FixAll groups by it).</summary>
    public const string AddRuntimeClassKey = "Sandboxing.AddRuntimeClassName";

    /// <summary>The equivalence key of the SBX1003 fix and of the SBX1002 fix of a misspelt class.</summary>
    public const string RenameRuntimeClassKey = "Sandboxing.RenameRuntimeClass";

    private const string SdkConstant = "global::Sandboxing.Sdk.KnownRuntimeClasses.KataVmIsolation";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.MissingRuntimeClass, RuleIdentifiers.RuntimeClassNotAllowed, RuleIdentifiers.DeprecatedRuntimeClass);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (diagnostic.Id == RuleIdentifiers.MissingRuntimeClass)
            {
                var creation = node.AncestorsAndSelf().OfType<BaseObjectCreationExpressionSyntax>().FirstOrDefault();
                if (creation is null)
                {
                    continue;
                }

                diagnostic.Properties.TryGetValue(SandboxAnalyzer.FixRuntimeClassProperty, out var runtimeClass);
                diagnostic.Properties.TryGetValue(SandboxAnalyzer.UseSdkConstantProperty, out var useSdk);
                runtimeClass ??= "kata-vm-isolation";
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Set RuntimeClassName to '{runtimeClass}'",
                        ct => AddRuntimeClassAsync(context.Document, creation, runtimeClass, useSdk == "true", ct),
                        AddRuntimeClassKey),
                    diagnostic);
            }
            else if (diagnostic.Id is RuleIdentifiers.DeprecatedRuntimeClass or RuleIdentifiers.RuntimeClassNotAllowed
                && diagnostic.Properties.TryGetValue(SandboxAnalyzer.ReplacementProperty, out var replacement) && replacement is not null
                && node is ExpressionSyntax expression)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Use runtime class '{replacement}'",
                        ct => ReplaceAsync(context.Document, expression, replacement, ct),
                        RenameRuntimeClassKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax expression, string replacement, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var literal = LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(replacement)).WithTriviaFrom(expression);
        return document.WithSyntaxRoot(root!.ReplaceNode(expression, literal));
    }

    private static async Task<Document> AddRuntimeClassAsync(
        Document document, BaseObjectCreationExpressionSyntax creation, string runtimeClass, bool useSdkConstant, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        ExpressionSyntax value = useSdkConstant
            ? ParseExpression(SdkConstant).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation)
            : LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(runtimeClass));
        var assignment = AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName("RuntimeClassName"), value)
            .WithOperatorToken(Token(TriviaList(Space), SyntaxKind.EqualsToken, TriviaList(Space)));

        BaseObjectCreationExpressionSyntax updated;
        if (creation.Initializer is null)
        {
            updated = AddInitializer(creation, assignment);
        }
        else
        {
            updated = creation.WithInitializer(AddToInitializer(creation.Initializer, assignment));
        }

        var fixedDocument = document.WithSyntaxRoot(root!.ReplaceNode(creation, updated));

        // The code action's clean-up only simplifies: the using comes from here, then KnownRuntimeClasses.KataVmIsolation reads
        // as written by hand (and stays qualified where another KnownRuntimeClasses is in scope).
        return useSdkConstant
            ? await ImportAdder.AddImportsAsync(fixedDocument, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false)
            : fixedDocument;
    }

    private static BaseObjectCreationExpressionSyntax AddInitializer(BaseObjectCreationExpressionSyntax creation, ExpressionSyntax assignment)
    {
        // new V1PodSpec() → new V1PodSpec() { RuntimeClassName = "…" }; the trailing trivia moves after the initializer.
        var trailing = creation.GetTrailingTrivia();
        var bare = creation.WithoutTrailingTrivia();
        var initializer = InitializerExpression(
                SyntaxKind.ObjectInitializerExpression,
                Token(TriviaList(Space), SyntaxKind.OpenBraceToken, TriviaList(Space)),
                SingletonSeparatedList(assignment),
                Token(TriviaList(Space), SyntaxKind.CloseBraceToken, trailing));
        if (bare is ObjectCreationExpressionSyntax { ArgumentList: null } explicitCreation)
        {
            bare = explicitCreation.WithArgumentList(ArgumentList());
        }

        return bare.WithInitializer(initializer);
    }

    private static InitializerExpressionSyntax AddToInitializer(InitializerExpressionSyntax initializer, ExpressionSyntax assignment)
    {
        var expressions = initializer.Expressions;
        if (expressions.Count == 0)
        {
            return initializer
                .WithOpenBraceToken(initializer.OpenBraceToken.WithTrailingTrivia(Space))
                .WithExpressions(SingletonSeparatedList<ExpressionSyntax>(assignment))
                .WithCloseBraceToken(initializer.CloseBraceToken.WithLeadingTrivia(Space));
        }

        bool multiline = initializer.OpenBraceToken.GetLocation().GetLineSpan().StartLinePosition.Line
            != initializer.CloseBraceToken.GetLocation().GetLineSpan().StartLinePosition.Line;
        var nodesAndTokens = expressions.GetWithSeparators().ToList();
        bool trailingComma = expressions.SeparatorCount == expressions.Count;
        var last = expressions[expressions.Count - 1];

        if (multiline)
        {
            var indent = expressions[0].GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToList();
            var item = assignment.WithLeadingTrivia(indent);
            if (trailingComma)
            {
                var lastSeparator = nodesAndTokens[nodesAndTokens.Count - 1].AsToken();
                nodesAndTokens.Add(item);
                nodesAndTokens.Add(Token(SyntaxKind.CommaToken).WithTrailingTrivia(lastSeparator.TrailingTrivia));
            }
            else
            {
                var lineEnd = last.GetTrailingTrivia();
                nodesAndTokens[nodesAndTokens.Count - 1] = last.WithoutTrailingTrivia();
                nodesAndTokens.Add(Token(SyntaxKind.CommaToken).WithTrailingTrivia(lineEnd));
                nodesAndTokens.Add(item.WithTrailingTrivia(lineEnd));
            }
        }
        else if (trailingComma)
        {
            var lastSeparator = nodesAndTokens[nodesAndTokens.Count - 1].AsToken();
            nodesAndTokens[nodesAndTokens.Count - 1] = lastSeparator.WithTrailingTrivia(Space);
            nodesAndTokens.Add(assignment);
            nodesAndTokens.Add(Token(SyntaxKind.CommaToken).WithTrailingTrivia(lastSeparator.TrailingTrivia));
        }
        else
        {
            var trailing = last.GetTrailingTrivia();
            nodesAndTokens[nodesAndTokens.Count - 1] = last.WithoutTrailingTrivia();
            nodesAndTokens.Add(Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space));
            nodesAndTokens.Add(assignment.WithTrailingTrivia(trailing));
        }

        return initializer.WithExpressions(SeparatedList<ExpressionSyntax>(nodesAndTokens));
    }
}
