using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Sandboxing.Analyzers;

public sealed partial class SandboxAnalyzer
{
    private static string? RightmostName(SyntaxNode node) => node switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>
    /// False when the syntax alone shows that a creation is not a <c>V1PodSpec</c>: <c>new X { … }</c> with another type name, or
    /// a target-typed <c>new()</c> assigned to a member not named <c>Spec</c> or declared with another type. Only the rest are bound.
    /// </summary>
    private static bool MayBePodSpec(BaseObjectCreationExpressionSyntax node)
    {
        if (node is ObjectCreationExpressionSyntax explicitCreation)
        {
            return RightmostName(explicitCreation.Type) == "V1PodSpec" || HasUsingAlias(node.SyntaxTree, default);
        }

        SyntaxNode child = node;
        var parent = node.Parent;
        while (parent is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            child = parent;
            parent = parent.Parent;
        }

        switch (parent)
        {
            case AssignmentExpressionSyntax assignment when assignment.Right == child:
                return RightmostName(assignment.Left) == "Spec";
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } }:
                return declaration.Type.IsVar || IsPodSpecTypeName(declaration.Type);
            case EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property }:
                return IsPodSpecTypeName(property.Type);
            case ArrowExpressionClauseSyntax arrow:
                return arrow.Parent switch
                {
                    MethodDeclarationSyntax method => IsPodSpecTypeName(method.ReturnType),
                    PropertyDeclarationSyntax property => IsPodSpecTypeName(property.Type),
                    LocalFunctionStatementSyntax local => IsPodSpecTypeName(local.ReturnType),
                    _ => true,
                };
            default:
                return true; // arguments, collection elements, returns, conditionals: let the semantic model say.
        }
    }

    private static bool IsPodSpecTypeName(TypeSyntax type) => type switch
    {
        NullableTypeSyntax nullable => IsPodSpecTypeName(nullable.ElementType),
        NameSyntax name => RightmostName(name) == "V1PodSpec" || HasUsingAlias(type.SyntaxTree, default),
        _ => false, // predefined, array, tuple and pointer types
    };

    private static bool HasUsingAlias(SyntaxTree tree, System.Threading.CancellationToken cancellationToken) =>
        tree.GetRoot(cancellationToken) is CompilationUnitSyntax unit && unit.Usings.Any(u => u.Alias is not null);

    /// <summary>From <c>new</c> to the type (or to <c>()</c> for <c>new()</c>): the line that builds the object.</summary>
    internal static Location NewLocation(BaseObjectCreationExpressionSyntax node)
    {
        int end = node switch
        {
            ObjectCreationExpressionSyntax explicitCreation => explicitCreation.Type.Span.End,
            ImplicitObjectCreationExpressionSyntax implicitCreation => implicitCreation.ArgumentList.Span.End,
            _ => node.NewKeyword.Span.End,
        };
        return Location.Create(node.SyntaxTree, TextSpan.FromBounds(node.NewKeyword.SpanStart, Math.Max(end, node.NewKeyword.Span.End)));
    }
}
