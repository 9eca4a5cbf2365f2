using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Sandboxing.Sdk;

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
            Location = Locate(creation, types);
            Owner = Location.Owner ?? creation;
        }

        public IObjectCreationOperation Creation { get; }

        public Dictionary<string, FieldValue> Fields { get; }

        public SiteLocation Location { get; }

        public string? Path => Location.Path;

        public bool PassedToSdk => Location.PassedToSdk;

        public IOperation Owner { get; }

        /// <summary>Set when the spec is a helper's result that one caller leaves unsandboxed: " returned by … to …".</summary>
        public string? Culprit { get; set; }

        public string Describe() => _description ??= DescribeOwner(Owner, _types) + Culprit;
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

    internal readonly struct SiteLocation
    {
        public SiteLocation(string? path, bool passedToSdk, IOperation? owner, bool rejectedBySdk = false)
        {
            Path = path;
            PassedToSdk = passedToSdk;
            RejectedBySdk = rejectedBySdk;
            Owner = owner;
            Argument = null;
            Return = null;
            Relative = string.Empty;
        }

        public SiteLocation(IArgumentOperation? argument, IReturnOperation? returned, string relative, IOperation? owner)
        {
            Path = null;
            PassedToSdk = false;
            RejectedBySdk = false;
            Owner = owner;
            Argument = argument;
            Return = returned;
            Relative = relative;
        }

        public string? Path { get; }

        public bool PassedToSdk { get; }

        /// <summary>Given to a marked SDK call with a runtime class that is no sandbox (<c>Sandbox("runc")</c>): reported at that class.</summary>
        public bool RejectedBySdk { get; }

        public IOperation? Owner { get; }

        /// <summary>The argument of an in-source call that receives the value (with <see cref="Relative"/>: where inside it).</summary>
        public IArgumentOperation? Argument { get; }

        /// <summary>The return that hands the value to the callers (with <see cref="Relative"/>: where inside it).</summary>
        public IReturnOperation? Return { get; }

        /// <summary>The path from the argument or returned value down to the value, such as <c>.Spec</c>; empty for the value itself.</summary>
        public string Relative { get; }
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
    internal static SiteLocation Locate(IOperation start, KubernetesTypes types)
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

                case ICoalesceAssignmentOperation coalesce when coalesce.Value == current:
                    return new SiteLocation(Join(RefKey(coalesce.Target), segments), false, owner); // pod.Spec ??= new V1PodSpec { … }

                case IReturnOperation returned:
                    if (MaterialisedSelect(returned) is { } list)
                    {
                        segments.Add("[]"); // Select(p => new V1Pod { … }).ToList(): an element of the list
                        current = list;
                        continue;
                    }

                    return new SiteLocation(null, returned, Join(string.Empty, segments)!, owner);

                case IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation element } loop
                    when loop.Collection == current && segments.Count > 0 && segments[segments.Count - 1] == "[]":
                    segments.RemoveAt(segments.Count - 1); // an element of the collection literal is the loop variable
                    return new SiteLocation(Join(LocalKey(element.Symbol), segments), false, owner);

                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return new SiteLocation(Join(LocalKey(declarator.Symbol), segments), false, owner);

                case IFieldInitializerOperation fieldInitializer when fieldInitializer.InitializedFields.Length == 1:
                    return new SiteLocation(Join("F:" + fieldInitializer.InitializedFields[0].Name, segments), false, owner);

                case IPropertyInitializerOperation propertyInitializer when propertyInitializer.InitializedProperties.Length == 1:
                    return new SiteLocation(Join("F:" + propertyInitializer.InitializedProperties[0].Name, segments), false, owner);

                case IArgumentOperation argument:
                    if (argument.Parent is IInvocationOperation call)
                    {
                        if (KubernetesTypes.SandboxesArgument(argument.Parameter))
                        {
                            bool rejected = PassesNonSandboxRuntime(call);
                            return new SiteLocation(null, !rejected, owner, rejected);
                        }


                        if (IsInitialize(call) && call.Arguments.Length > 0 && call.Arguments[0] == argument)
                        {
                            current = call; // new V1Pod(...).Initialize(): the same object
                            continue;
                        }

                        if (BlockFacts.IsAddToCollection(call, argument) && RefKey(call.Instance) is { } addedTo)
                        {
                            segments.Add("[]"); // pods.Add(new V1Pod { … }): an element of the list
                            return new SiteLocation(Join(addedTo, segments), false, owner);
                        }

                        if (call.IsImplicit && call.Parent is IObjectOrCollectionInitializerOperation { Parent: IObjectCreationOperation collection })
                        {
                            segments.Add("[]"); // an element of a collection initializer
                            current = collection;
                            continue;
                        }

                        return new SiteLocation(argument, null, Join(string.Empty, segments)!, owner);
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

    /// <summary>
    /// For a return of the lambda of <c>Enumerable.Select</c> whose result is materialised at once (<c>ToList()</c>,
    /// <c>ToArray()</c>), the call that materialises it; null otherwise (a lazy sequence yields new objects on every pass).
    /// </summary>
    private static IInvocationOperation? MaterialisedSelect(IReturnOperation returned)
    {
        var function = returned.Parent is IBlockOperation { Parent: IAnonymousFunctionOperation f } ? f : null;
        if (function?.Parent is not IDelegateCreationOperation { Parent: IArgumentOperation { Parent: IInvocationOperation select } }
            || select.TargetMethod is not { Name: "Select", ContainingType.Name: "Enumerable" })
        {
            return null;
        }

        return select.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "ToList" or "ToArray", ContainingType.Name: "Enumerable" } } materialise }
            ? materialise
            : null;
    }

    /// <summary>
    /// <c>Sandbox("runc")</c>: a runtime given as a constant string that names no known class does not sandbox (a deprecated class
    /// still does, as a RuntimeClassName would; SBX1003 at the name says to rename it).
    /// </summary>
    private static bool PassesNonSandboxRuntime(IInvocationOperation call)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Value is IConversionOperation { OperatorMethod: not null } conversion
                && Unwrap(conversion.Operand).ConstantValue is { HasValue: true } constant
                && (constant.Value is not string name || name.Length == 0 || KnownRuntimeClasses.Find(name) is null))
            {
                return true;
            }
        }

        return false;
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

    /// <summary>The receiver that <c>?.</c> tested: the operation of the innermost conditional access whose when-not-null part holds it.</summary>
    private static IOperation? ConditionalReceiver(IConditionalAccessInstanceOperation instance)
    {
        IOperation child = instance;
        for (var parent = instance.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IConditionalAccessOperation conditional && conditional.WhenNotNull == child)
            {
                return conditional.Operation;
            }
        }

        return null;
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
            case IConditionalAccessInstanceOperation instance:
                return RefKey(ConditionalReceiver(instance)); // pod?.Spec?.RuntimeClassName = …
            case IConditionalAccessOperation conditional:
                return RefKey(conditional.WhenNotNull);
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
