using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Sandboxing.Analyzers;

public sealed partial class SandboxAnalyzer
{
    /// <summary>A pod spec construction: its own fields, the path that holds it, and whether it flows into the SDK.</summary>
    private sealed class SpecSite
    {
        private readonly KubernetesTypes _types;
        private string? _description;

        public SpecSite(IObjectCreationOperation creation, KubernetesTypes types)
        {
            _types = types;
            Creation = creation;
            Fields = FieldsOf(creation);
            var location = Locate(creation, types);
            Path = location.Path;
            PassedToSdk = location.PassedToSdk;
            Owner = location.Owner ?? creation;
        }

        public IObjectCreationOperation Creation { get; }

        public Dictionary<string, FieldValue> Fields { get; }

        public string? Path { get; }

        public bool PassedToSdk { get; }

        public IOperation Owner { get; }

        public string Describe() => _description ??= DescribeOwner(Owner, _types);
    }

    internal readonly struct FieldValue
    {
        public FieldValue(IOperation value, bool fromConstructor)
        {
            Value = value;
            FromConstructor = fromConstructor;
        }

        public IOperation Value { get; }

        public bool FromConstructor { get; }
    }

    private readonly struct SiteLocation
    {
        public SiteLocation(string? path, bool passedToSdk, IOperation? owner)
        {
            Path = path;
            PassedToSdk = passedToSdk;
            Owner = owner;
        }

        public string? Path { get; }

        public bool PassedToSdk { get; }

        public IOperation? Owner { get; }
    }

    /// <summary>The members an object creation sets, from its initializer and its named constructor parameters.</summary>
    private static Dictionary<string, FieldValue> FieldsOf(IObjectCreationOperation creation)
    {
        var fields = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var argument in creation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Parameter is { Name.Length: > 0 } parameter)
            {
                fields[char.ToUpperInvariant(parameter.Name[0]) + parameter.Name.Substring(1)] = new FieldValue(argument.Value, fromConstructor: true);
            }
        }

        if (creation.Initializer is not null)
        {
            foreach (var initializer in creation.Initializer.Initializers)
            {
                if (initializer is ISimpleAssignmentOperation { Target: IMemberReferenceOperation member } assignment
                    && member.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver })
                {
                    fields[member.Member.Name] = new FieldValue(assignment.Value, fromConstructor: false);
                }
            }
        }

        return fields;
    }

    /// <summary>Walks up from a value to the variable or member that ends up holding it.</summary>
    private static SiteLocation Locate(IOperation start, KubernetesTypes types)
    {
        var segments = new List<string>();
        IOperation current = start;
        IOperation? owner = null;
        for (int guard = 0; guard < 64; guard++)
        {
            var parent = current.Parent;
            switch (parent)
            {
                case null:
                    return new SiteLocation(null, false, owner);

                case IConversionOperation or IParenthesizedOperation or IDelegateCreationOperation:
                    current = parent;
                    continue;

                case ISimpleAssignmentOperation assignment when assignment.Value == current:
                    if (assignment.Target is IMemberReferenceOperation { Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver } } member)
                    {
                        segments.Add(member.Member.Name);
                        if (assignment.Parent is IObjectOrCollectionInitializerOperation { Parent: { } container }
                            && (container is IObjectCreationOperation || container.Kind == OperationKind.With || container is IAnonymousObjectCreationOperation))
                        {
                            current = container;
                            owner = container is IObjectCreationOperation ? container : owner;
                            continue;
                        }

                        return new SiteLocation(null, false, owner);
                    }

                    return new SiteLocation(Join(RefKey(assignment.Target), segments), false, owner);

                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return new SiteLocation(Join(LocalKey(declarator.Symbol), segments), false, owner);

                case IFieldInitializerOperation fieldInitializer when fieldInitializer.InitializedFields.Length == 1:
                    return new SiteLocation(Join("F:" + fieldInitializer.InitializedFields[0].Name, segments), false, owner);

                case IPropertyInitializerOperation propertyInitializer when propertyInitializer.InitializedProperties.Length == 1:
                    return new SiteLocation(Join("F:" + propertyInitializer.InitializedProperties[0].Name, segments), false, owner);

                case IArgumentOperation argument:
                    if (argument.Parent is IInvocationOperation call)
                    {
                        if (types.IsSandboxing(call.TargetMethod))
                        {
                            return new SiteLocation(null, true, owner);
                        }

                        if (IsInitialize(call) && call.Arguments.Length > 0 && call.Arguments[0] == argument)
                        {
                            current = call; // new V1Pod(...).Initialize(): the same object
                            continue;
                        }

                        if (call.IsImplicit && call.Parent is IObjectOrCollectionInitializerOperation { Parent: IObjectCreationOperation collection })
                        {
                            segments.Add("[]"); // an element of a collection initializer
                            current = collection;
                            continue;
                        }

                        return new SiteLocation(null, false, owner);
                    }

                    if (argument.Parent is IObjectCreationOperation constructed && KubernetesTypes.IsModel(constructed.Type)
                        && argument.Parameter is { Name.Length: > 0 } parameter)
                    {
                        segments.Add(char.ToUpperInvariant(parameter.Name[0]) + parameter.Name.Substring(1));
                        current = constructed;
                        owner = constructed;
                        continue;
                    }

                    return new SiteLocation(null, false, owner);

                case IInvocationOperation invocation when invocation.Instance == current && IsInitialize(invocation):
                    current = invocation;
                    continue;

                case IArrayInitializerOperation:
                    segments.Add("[]");
                    current = parent;
                    while (current.Parent is IArrayInitializerOperation)
                    {
                        current = current.Parent;
                    }

                    if (current.Parent is IArrayCreationOperation array)
                    {
                        current = array;
                        continue;
                    }

                    return new SiteLocation(null, false, owner);

                default:
                    if (parent.Kind == OperationKind.None || parent.Kind.ToString() == "CollectionExpression")
                    {
                        segments.Add("[]"); // a collection expression: [new V1Pod { … }]
                        current = parent;
                        continue;
                    }

                    return new SiteLocation(null, false, owner);
            }
        }

        return new SiteLocation(null, false, owner);
    }

    private static bool IsInitialize(IInvocationOperation invocation) =>
        invocation.TargetMethod.Name == "Initialize" && invocation.Type is not null && KubernetesTypes.IsModel(invocation.Type);

    private static string? Join(string? root, List<string> segmentsInnerFirst)
    {
        if (root is null)
        {
            return null;
        }

        var builder = new System.Text.StringBuilder(root);
        for (int i = segmentsInnerFirst.Count - 1; i >= 0; i--)
        {
            builder.Append('.').Append(segmentsInnerFirst[i]);
        }

        return builder.ToString();
    }

    private static string LocalKey(ILocalSymbol local) =>
        "L:" + local.Name + "@" + (local.Locations.Length > 0 ? local.Locations[0].SourceSpan.Start : 0);

    /// <summary>The access path of a reference: <c>pod.Spec.Template</c> becomes <c>L:pod@12.Spec.Template</c>; null for anything else.</summary>
    internal static string? RefKey(IOperation? operation)
    {
        operation = operation is null ? null : Unwrap(operation);
        switch (operation)
        {
            case ILocalReferenceOperation local:
                return LocalKey(local.Local);
            case IParameterReferenceOperation parameter:
                return "P:" + parameter.Parameter.Name;
            case IInstanceReferenceOperation:
                return "this";
            case IFieldReferenceOperation field:
                return field.Instance is null or IInstanceReferenceOperation
                    ? "F:" + field.Field.Name
                    : RefKey(field.Instance) is { } fieldOwner ? fieldOwner + "." + field.Field.Name : null;
            case IPropertyReferenceOperation property when property.Arguments.Length == 0:
                return property.Instance is null or IInstanceReferenceOperation
                    ? "F:" + property.Property.Name
                    : RefKey(property.Instance) is { } propertyOwner ? propertyOwner + "." + property.Property.Name : null;
            default:
                return null;
        }
    }

    private static bool IsCollectionOfModels(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol array => KubernetesTypes.IsModel(array.ElementType),
        INamedTypeSymbol { IsGenericType: true } named => named.TypeArguments.Any(KubernetesTypes.IsModel),
        _ => false,
    };
}
