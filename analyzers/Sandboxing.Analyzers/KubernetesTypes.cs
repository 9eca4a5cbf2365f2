using Microsoft.CodeAnalysis;

namespace Sandboxing.Analyzers;

/// <summary>The KubernetesClient and SDK types the analyzer looks for, resolved once per compilation.</summary>
internal sealed class KubernetesTypes
{
    private KubernetesTypes(Compilation compilation, INamedTypeSymbol podSpec)
    {
        PodSpec = podSpec;
        Container = compilation.GetTypeByMetadataName("k8s.Models.V1Container");
        SecurityContext = compilation.GetTypeByMetadataName("k8s.Models.V1SecurityContext");
        Volume = compilation.GetTypeByMetadataName("k8s.Models.V1Volume");
        ResourceRequirements = compilation.GetTypeByMetadataName("k8s.Models.V1ResourceRequirements");
        ObjectMeta = compilation.GetTypeByMetadataName("k8s.Models.V1ObjectMeta");
        var sdkRuntimeClasses = compilation.GetTypeByMetadataName("Sandboxing.Sdk.KnownRuntimeClasses");
        SdkConstantAvailable = sdkRuntimeClasses is not null
            && sdkRuntimeClasses.DeclaredAccessibility == Accessibility.Public
            && compilation.IsSymbolAccessibleWithin(sdkRuntimeClasses, compilation.Assembly);
    }

    public INamedTypeSymbol PodSpec { get; }

    public INamedTypeSymbol? Container { get; }

    public INamedTypeSymbol? SecurityContext { get; }

    public INamedTypeSymbol? Volume { get; }

    public INamedTypeSymbol? ResourceRequirements { get; }

    public INamedTypeSymbol? ObjectMeta { get; }

    /// <summary>True when the SDK's public <c>KnownRuntimeClasses.KataVmIsolation</c> constant can be used by the fix.</summary>
    public bool SdkConstantAvailable { get; }

    /// <summary>Null when KubernetesClient is not referenced: the analyzer then registers nothing.</summary>
    public static KubernetesTypes? Resolve(Compilation compilation)
    {
        var podSpec = compilation.GetTypeByMetadataName("k8s.Models.V1PodSpec");
        return podSpec is null ? null : new KubernetesTypes(compilation, podSpec);
    }

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);

    /// <summary>True for <c>V1PodSpec</c> and the types derived from it (a user's record that extends it).</summary>
    public bool IsPodSpec(ITypeSymbol? type)
    {
        for (int depth = 0; type is not null && depth < 16; type = type.BaseType, depth++)
        {
            if (Is(type, PodSpec))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for a KubernetesClient model (<c>k8s.Models</c>), the objects that own pod specs.</summary>
    public static bool IsModel(ITypeSymbol? type) =>
        type is INamedTypeSymbol { ContainingNamespace: { Name: "Models", ContainingNamespace: { Name: "k8s", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>
    /// True when the argument given for <paramref name="parameter"/> is sandboxed by the call (now, or when the builder the call
    /// returns is built): the parameter carries the SDK's <c>[SandboxesArgument]</c>.
    /// </summary>
    public static bool SandboxesArgument(IParameterSymbol? parameter) =>
        parameter is not null && (HasMarker(parameter.GetAttributes()) || HasMarker(parameter.OriginalDefinition.GetAttributes()));

    /// <summary>True when the object the method returns is sandboxed: <c>[return: SandboxesArgument]</c>.</summary>
    public static bool SandboxesReturn(IMethodSymbol method) =>
        HasMarker(method.GetReturnTypeAttributes()) || HasMarker(method.OriginalDefinition.GetReturnTypeAttributes());

    /// <summary>The SDK's marker, matched by metadata name so that any assembly (or a test) may declare it.</summary>
    private static bool HasMarker(System.Collections.Immutable.ImmutableArray<AttributeData> attributes)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.AttributeClass is { Name: "SandboxesArgumentAttribute", ContainingNamespace: { Name: "Sdk", ContainingNamespace: { Name: "Sandboxing", ContainingNamespace.IsGlobalNamespace: true } } })
            {
                return true;
            }
        }

        return false;
    }
}
