using System;
using System.Collections.Generic;
using System.Threading;
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
    private static bool MayBePodSpec(BaseObjectCreationExpressionSyntax node, ISet<string> podSpecNames)
    {
        if (node is ObjectCreationExpressionSyntax explicitCreation)
        {
            return RightmostName(explicitCreation.Type) is { } typeName && podSpecNames.Contains(typeName);
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
                return declaration.Type.IsVar || IsPodSpecTypeName(declaration.Type, podSpecNames);
            case EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property }:
                return IsPodSpecTypeName(property.Type, podSpecNames);
            case ArrowExpressionClauseSyntax arrow:
                return arrow.Parent switch
                {
                    MethodDeclarationSyntax method => IsPodSpecTypeName(method.ReturnType, podSpecNames),
                    PropertyDeclarationSyntax property => IsPodSpecTypeName(property.Type, podSpecNames),
                    LocalFunctionStatementSyntax local => IsPodSpecTypeName(local.ReturnType, podSpecNames),
                    _ => true,
                };
            default:
                return true; // arguments, collection elements, returns, conditionals: let the semantic model say.
        }
    }

    private static bool IsPodSpecTypeName(TypeSyntax type, ISet<string> podSpecNames) => type switch
    {
        NullableTypeSyntax nullable => IsPodSpecTypeName(nullable.ElementType, podSpecNames),
        NameSyntax name => RightmostName(name) is { } typeName && podSpecNames.Contains(typeName),
        _ => false, // predefined, array, tuple and pointer types
    };

    /// <summary>
    /// The simple names that may denote a pod spec anywhere in the compilation: <c>V1PodSpec</c>, every using alias (global,
    /// file or namespace level) of it, and the source types derived from it (records included), transitively. Only declarations
    /// are read, never member bodies.
    /// </summary>
    internal static HashSet<string> PodSpecNames(Compilation compilation, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "V1PodSpec" };
        var aliases = new List<UsingDirectiveSyntax>();
        var derived = new List<BaseTypeDeclarationSyntax>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var root = tree.GetRoot(cancellationToken);
            foreach (var node in root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
            {
                if (node is UsingDirectiveSyntax { Alias: not null } alias)
                {
                    aliases.Add(alias);
                }
                else if (node is TypeDeclarationSyntax { BaseList: not null } declaration)
                {
                    derived.Add(declaration);
                }
            }
        }

        for (int round = 0, before = -1; round < 8 && names.Count != before; round++)
        {
            before = names.Count;
            foreach (var alias in aliases)
            {
                if (RightmostName(alias.Name!) is { } target && names.Contains(target))
                {
                    names.Add(alias.Alias!.Name.Identifier.ValueText);
                }
            }

            foreach (var declaration in derived)
            {
                if (declaration.BaseList!.Types.Count > 0 && RightmostName(declaration.BaseList.Types[0].Type) is { } baseName && names.Contains(baseName))
                {
                    names.Add(declaration.Identifier.ValueText);
                }
            }
        }

        return names;
    }

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
