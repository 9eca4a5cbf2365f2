using Microsoft.CodeAnalysis;

namespace Sandboxing.Analyzers;

/// <summary>
/// Names code in messages as its author wrote it, never by the compiler's names (<c>&lt;Main&gt;$</c>, <c>get_Pod</c>,
/// <c>.ctor</c>, <c>&lt;M&gt;b__0_0</c>): the one place where the analyzer turns a symbol into words.
/// </summary>
internal static class SourceNames
{
    /// <summary>
    /// "C.M()", "Build()" for a local function, "C.Pod" for an accessor, "new C()" for a constructor, "the top-level statements",
    /// "a lambda in C.M()", "the initializer of C.Pods".
    /// </summary>
    public static string Of(ISymbol? symbol)
    {
        switch (symbol)
        {
            case null:
                return "unnamed code";
            case IMethodSymbol method:
                return OfMethod(method);
            case IFieldSymbol or IPropertySymbol:
                return "the initializer of " + Member(symbol.ContainingType, symbol.Name);
            default:
                return Member(symbol.ContainingType, symbol.Name);
        }
    }

    /// <summary>
    /// Who runs <paramref name="operation"/>, as the subject of "left unsandboxed by …": "its caller C.M()", or a phrase that
    /// needs no noun ("the top-level statements", "a lambda in C.M()").
    /// </summary>
    public static string CallerAt(IOperation operation)
    {
        var symbol = operation.SemanticModel?.GetEnclosingSymbol(operation.Syntax.SpanStart);
        var name = Of(symbol);
        return IsPhrase(symbol) ? name : "its caller " + name;
    }

    /// <summary>A type as written ("V1Pod"), or <paramref name="fallback"/> when there is none.</summary>
    public static string OfType(ITypeSymbol? type, string fallback) => type is INamedTypeSymbol named ? Named(named) : type?.Name ?? fallback;

    /// <summary>A method as a call names it: "Sandbox()", "WithRuntime()".</summary>
    public static string Call(IMethodSymbol method) => method.Name + "()";

    private static bool IsPhrase(ISymbol? symbol) => symbol switch
    {
        null or IFieldSymbol or IPropertySymbol => true,
        IMethodSymbol method => method.MethodKind is MethodKind.AnonymousFunction or MethodKind.StaticConstructor or MethodKind.Destructor
            || IsTopLevel(method),
        _ => false,
    };

    private static string OfMethod(IMethodSymbol method)
    {
        if (IsTopLevel(method))
        {
            return "the top-level statements";
        }

        switch (method.MethodKind)
        {
            case MethodKind.AnonymousFunction:
                return "a lambda in " + Of(method.ContainingSymbol);
            case MethodKind.LocalFunction:
                return method.Name + "()";
            case MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove or MethodKind.EventRaise:
                return method.AssociatedSymbol is IPropertySymbol { IsIndexer: true }
                    ? Named(method.ContainingType) + "[…]"
                    : Member(method.ContainingType, method.AssociatedSymbol?.Name ?? method.Name);
            case MethodKind.Constructor:
                return "new " + Named(method.ContainingType) + (method.Parameters.Length == 0 ? "()" : "(…)");
            case MethodKind.StaticConstructor:
                return "the static constructor of " + Named(method.ContainingType);
            case MethodKind.Destructor:
                return "the finalizer of " + Named(method.ContainingType);
            case MethodKind.Ordinary or MethodKind.ReducedExtension:
                return Member(method.ContainingType, method.Name) + "()";
            default:
                // Operators and conversions: the compiler's display is the C# spelling ("C.operator +(C, C)").
                return method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        }
    }

    private static bool IsTopLevel(IMethodSymbol method) =>
        method.Name == WellKnownMemberNames.TopLevelStatementsEntryPointMethodName; // "<Main>$": no author can write it

    private static string Member(INamedTypeSymbol? type, string name) => type is null ? name : Named(type) + "." + name;

    /// <summary>A type as written: its name, or for a compiler-made type (a closure class) the first type the author wrote.</summary>
    private static string Named(INamedTypeSymbol? type)
    {
        while (type is { CanBeReferencedByName: false, ContainingType: not null })
        {
            type = type.ContainingType;
        }

        return type?.Name ?? "?";
    }
}
