using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk;

/// <summary>
/// A YAML value that does not fit the model it is bound to (for example <c>replicas: many</c>); internal to the binding path,
/// which turns it into a <see cref="ManifestException"/> naming the file and document.
/// </summary>
internal sealed class YamlBindingError(YamlNode node, string message) : Exception(message)
{
    /// <summary>The offending node.</summary>
    public YamlNode Node { get; } = node;
}

/// <summary>
/// Binds YAML nodes straight onto KubernetesClient models (by their <c>[JsonPropertyName]</c> names), without writing and
/// re-reading text: this keeps the linter within a small factor of parsing alone. Unknown fields are ignored, as the API server
/// does for unknown fields of a non-strict request; values of the wrong type fail with the node's position. Scalars follow
/// the Kubernetes YAML reader (a YAML 1.1 resolver): <c>yes</c>/<c>no</c>/<c>on</c>/<c>off</c> are booleans, and a plain
/// number is accepted where a string, a quantity or an int-or-string is expected.
/// </summary>
internal static class YamlModelBinder
{
    private static readonly ConcurrentDictionary<Type, TypeBinding> s_bindings = new();

    /// <summary>Binds <paramref name="node"/> as an instance of <paramref name="type"/>.</summary>
    /// <exception cref="YamlBindingError">A value does not fit the model.</exception>
    /// <param name="node">The node.</param>
    /// <param name="type">The model type.</param>
    /// <param name="skipTemplatedQuantities">
    /// Leave out resource quantities that are unrendered template expressions (<c>"{{ .Values.memory }}"</c>) instead of failing:
    /// the linter and the fixer report them as SBX0002 warnings; <see cref="SandboxManifest"/> refuses them.
    /// </param>
    public static object? Bind(YamlNode node, Type type, bool skipTemplatedQuantities = false) => BindValue(node, type, 0, skipTemplatedQuantities);

    /// <summary>
    /// True when <paramref name="type"/> (a model or a collection of models) binds through KubernetesClient's source-generated
    /// metadata, false when it needs reflection (which trimming must keep).
    /// </summary>
    internal static bool BindsWithoutReflection(Type type) => s_bindings.GetOrAdd(type, static t => new TypeBinding(t)).SourceGenerated;

    /// <summary>True for a value that holds an unrendered Helm, Go or Actions template expression (<c>{{ … }}</c>).</summary>
    public static bool IsTemplateExpression(string? text)
    {
        int open = text?.IndexOf("{{", StringComparison.Ordinal) ?? -1;
        return open >= 0 && text!.IndexOf("}}", open + 2, StringComparison.Ordinal) > open;
    }

    /// <summary>
    /// True for the shape YAML gives an unquoted <c>{{ … }}</c>: a flow mapping whose one key is itself a flow mapping with no
    /// value. No Kubernetes field has that shape, so a binding error there means an unrendered template.
    /// </summary>
    public static bool IsTemplateShaped(YamlNode node) =>
        node is YamlMappingNode { Style: YamlDotNet.Core.Events.MappingStyle.Flow } outer && outer.Children.Count == 1
        && outer.Children[0].Key is YamlMappingNode { Style: YamlDotNet.Core.Events.MappingStyle.Flow };

    private static object? BindValue(YamlNode node, Type type, int depth, bool skipTemplated)
    {
        if (depth > ManifestReadOptions.AbsoluteMaxDepth)
        {
            throw new YamlBindingError(node, "the object is nested too deeply");
        }

        if (node is YamlScalarNode scalar && IsNull(scalar))
        {
            return null;
        }

        var binding = s_bindings.GetOrAdd(type, static t => new TypeBinding(t));
        switch (binding.Kind)
        {
            case ValueKind.String:
                return ScalarText(node, "a string");
            case ValueKind.Boolean:
            {
                var text = ScalarText(node, "a boolean (true or false)");
                return text switch
                {
                    "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" => true,
                    "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" => false,
                    _ => throw Mismatch(node, text, "a boolean (true or false)"),
                };
            }

            case ValueKind.Int32:
            {
                var text = ScalarText(node, "an integer");
                return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw Mismatch(node, text, "an integer");
            }

            case ValueKind.Int64:
            {
                var text = ScalarText(node, "an integer");
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw Mismatch(node, text, "an integer");
            }

            case ValueKind.Double:
            {
                var text = ScalarText(node, "a number");
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw Mismatch(node, text, "a number");
            }

            case ValueKind.DateTime:
            {
                var text = ScalarText(node, "a timestamp");
                return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value)
                    ? value : throw Mismatch(node, text, "an RFC 3339 timestamp");
            }

            case ValueKind.Quantity:
            {
                var text = ScalarText(node, "a quantity");
                if (!Quantities.TryParse(text, out _))
                {
                    throw Mismatch(node, text, "a Kubernetes quantity such as 500m, 2 or 512Mi");
                }

                return new ResourceQuantity(text);
            }

            case ValueKind.IntOrString:
                return (IntOrString)ScalarText(node, "an integer or a string");
            case ValueKind.Bytes:
            {
                var text = ScalarText(node, "base64 data");
                try
                {
                    return Convert.FromBase64String(text);
                }
                catch (FormatException)
                {
                    throw Mismatch(node, text.Length > 40 ? text[..40] + "…" : text, "base64 data");
                }
            }

            case ValueKind.Object:
                return Plain(node, depth); // free-form fields (raw extensions, schema defaults): plain maps, lists and strings
            case ValueKind.Ignored:
                return null;
            case ValueKind.List:
            {
                if (node is not YamlSequenceNode sequence)
                {
                    throw new YamlBindingError(node, "expected a sequence (a YAML list)");
                }

                var list = binding.CreateList!();
                foreach (var item in sequence.Children)
                {
                    list.Add(BindValue(item, binding.ValueType!, depth + 1, skipTemplated));
                }

                return list;
            }

            case ValueKind.Dictionary:
            {
                if (node is not YamlMappingNode mapping)
                {
                    throw new YamlBindingError(node, "expected a mapping (key: value pairs)");
                }

                var dictionary = binding.CreateDictionary!();
                foreach (var entry in YamlMaps.Entries(mapping))
                {
                    var key = BindValue(entry.Key, binding.KeyType!, depth + 1, skipTemplated) ?? throw new YamlBindingError(entry.Key, "a map key is null");
                    if (skipTemplated && binding.ValueType == typeof(ResourceQuantity) && entry.Value is YamlScalarNode { Value: var v } && IsTemplateExpression(v))
                    {
                        continue; // reported as SBX0002 by the linter
                    }

                    dictionary[key] = BindValue(entry.Value, binding.ValueType!, depth + 1, skipTemplated);
                }

                return dictionary;
            }

            default:
            {
                if (node is not YamlMappingNode objectNode)
                {
                    throw new YamlBindingError(node, $"expected a mapping for {binding.Type.Name.TrimStart('V', '1', '2')}");
                }

                var instance = binding.Create!();
                foreach (var entry in YamlMaps.Entries(objectNode))
                {
                    if (entry.Key is YamlScalarNode { Value: { } name } && binding.Properties!.TryGetValue(name, out var property))
                    {
                        property.Set(instance, BindValue(entry.Value, property.Type, depth + 1, skipTemplated));
                    }
                }

                return instance;
            }
        }
    }

    /// <summary>A free-form value as YamlDotNet gives it for <c>object</c>: dictionaries, lists and strings.</summary>
    private static object? Plain(YamlNode node, int depth)
    {
        if (depth > ManifestReadOptions.AbsoluteMaxDepth)
        {
            throw new YamlBindingError(node, "the object is nested too deeply");
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                return IsNull(scalar) ? null : scalar.Value;
            case YamlSequenceNode sequence:
                return sequence.Children.Select(c => Plain(c, depth + 1)).ToList();
            case YamlMappingNode mapping:
            {
                var map = new Dictionary<object, object?>();
                foreach (var entry in YamlMaps.Entries(mapping))
                {
                    map[Plain(entry.Key, depth + 1) ?? ""] = Plain(entry.Value, depth + 1);
                }

                return map;
            }

            default:
                return null;
        }
    }

    internal static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
        && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private static string ScalarText(YamlNode node, string expected) =>
        node is YamlScalarNode { Value: { } value } ? value
        : throw new YamlBindingError(node, $"expected {expected}, found a {(node is YamlSequenceNode ? "sequence" : "mapping")}");

    private static YamlBindingError Mismatch(YamlNode node, string text, string expected) =>
        new(node, IsTemplateExpression(text)
            ? $"'{text}' is not {expected} but an unrendered template expression; {ManifestParser.HelmHint}"
            : $"'{text}' is not {expected}");

    private enum ValueKind
    {
        Model,
        String,
        Boolean,
        Int32,
        Int64,
        Double,
        DateTime,
        Quantity,
        IntOrString,
        Bytes,
        Object,
        Ignored,
        List,
        Dictionary,
    }

    private static readonly HashSet<Type> s_listShapes = [typeof(IList<>), typeof(List<>), typeof(IEnumerable<>), typeof(IReadOnlyList<>)];
    private static readonly HashSet<Type> s_dictionaryShapes = [typeof(IDictionary<,>), typeof(Dictionary<,>), typeof(IReadOnlyDictionary<,>)];

    /// <summary>What a type is and how to make one, worked out once per type.</summary>
    private sealed class TypeBinding
    {
        public TypeBinding(Type type)
        {
            var target = Nullable.GetUnderlyingType(type) ?? type;
            Type = target;
            Kind = target == typeof(string) ? ValueKind.String
                : target == typeof(bool) ? ValueKind.Boolean
                : target == typeof(int) ? ValueKind.Int32
                : target == typeof(long) ? ValueKind.Int64
                : target == typeof(double) ? ValueKind.Double
                : target == typeof(DateTime) ? ValueKind.DateTime
                : target == typeof(ResourceQuantity) ? ValueKind.Quantity
                : target == typeof(IntOrString) ? ValueKind.IntOrString
                : target == typeof(byte[]) ? ValueKind.Bytes
                : target == typeof(object) ? ValueKind.Object
                : target.IsArray ? ValueKind.Ignored
                : ValueKind.Model;

            if (Kind is ValueKind.Model && FromSourceGeneratedMetadata(target))
            {
                SourceGenerated = true;
                return;
            }

            FromReflection(target);
        }

        /// <summary>
        /// Reads the type from KubernetesClient's source-generated JSON metadata (<see cref="k8s.SourceGenerationContext"/>): the
        /// models' constructors, <c>[JsonPropertyName]</c> names and setters as compiled delegates, and the concrete collection
        /// each collection interface is created as. No reflection and no code generation at run time, so binding behaves the same
        /// under native AOT and trimming; it covers every model a manifest can hold (checked by the binder's tests). False for the
        /// types the context does not describe, or describes through a custom converter (V1Status, V1Patch).
        /// </summary>
        private bool FromSourceGeneratedMetadata(Type target)
        {
            JsonTypeInfo? info;
            try
            {
                // The resolver's own metadata of this one type, not the context's GetTypeInfo(Type): that one configures the
                // type for serialization, which resolves every property's type in turn (most of the model graph, a third of a
                // native lint's start-up). Names, setters and constructors are there before configuration.
                var context = k8s.SourceGenerationContext.Default;
                info = ((IJsonTypeInfoResolver)context).GetTypeInfo(target, context.Options);
            }
            catch (ArgumentException)
            {
                return false; // an open generic or another type JSON cannot describe
            }

            if (info?.CreateObject is not { } create)
            {
                return false;
            }

            if (target.IsGenericType)
            {
                var definition = target.GetGenericTypeDefinition();
                var args = target.GetGenericArguments();
                if (info.Kind == JsonTypeInfoKind.Enumerable && s_listShapes.Contains(definition) && create() is IList)
                {
                    Kind = ValueKind.List;
                    ValueType = args[0];
                    CreateList = () => (IList)create();
                    return true;
                }

                if (info.Kind == JsonTypeInfoKind.Dictionary && s_dictionaryShapes.Contains(definition) && create() is IDictionary)
                {
                    Kind = ValueKind.Dictionary;
                    KeyType = args[0];
                    ValueType = args[1];
                    CreateDictionary = () => (IDictionary)create();
                    return true;
                }

                return false;
            }

            if (info.Kind != JsonTypeInfoKind.Object)
            {
                return false;
            }

            Create = create;
            Properties = new Dictionary<string, PropertyBinding>(StringComparer.Ordinal);
            foreach (var property in info.Properties)
            {
                if (property.Set is { } set)
                {
                    Properties[property.Name] = new PropertyBinding(property.PropertyType, set);
                }
            }

            return true;
        }

        /// <summary>
        /// The same from reflection, for model types the source-generated metadata does not cover: the properties that have a
        /// <c>[JsonPropertyName]</c> and a setter, with compiled expression delegates (interpreted under native AOT).
        /// </summary>
        [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "Only KubernetesClient model types reach here (from their properties' types); the native CLI roots their namespace (NativeCli.Roots.xml), so their constructors are kept.")]
        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Only KubernetesClient model types reach here (from their properties' types); the native CLI roots their namespace (NativeCli.Roots.xml), so their properties are kept.")]
        [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "List<T> and Dictionary<TKey, TValue> are made over the element types of the few models outside the source-generated metadata (V1Status, V1Patch), reference types whose shared code native AOT always has.")]
        private void FromReflection(Type target)
        {
            if (Kind == ValueKind.Model && target.IsGenericType)
            {
                var definition = target.GetGenericTypeDefinition();
                var args = target.GetGenericArguments();
                if (s_listShapes.Contains(definition))
                {
                    Kind = ValueKind.List;
                    ValueType = args[0];
                    CreateList = Expression.Lambda<Func<IList>>(Expression.New(typeof(List<>).MakeGenericType(args[0]))).Compile();
                }
                else if (s_dictionaryShapes.Contains(definition))
                {
                    Kind = ValueKind.Dictionary;
                    KeyType = args[0];
                    ValueType = args[1];
                    CreateDictionary = Expression.Lambda<Func<IDictionary>>(Expression.New(typeof(Dictionary<,>).MakeGenericType(args))).Compile();
                }
            }

            if (Kind != ValueKind.Model)
            {
                return;
            }

            Create = Expression.Lambda<Func<object>>(Expression.Convert(Expression.New(target), typeof(object))).Compile();
            Properties = new Dictionary<string, PropertyBinding>(StringComparer.Ordinal);
            foreach (var property in target.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!property.CanWrite || property.GetCustomAttribute<JsonPropertyNameAttribute>() is not { } name)
                {
                    continue;
                }

                var instance = Expression.Parameter(typeof(object));
                var value = Expression.Parameter(typeof(object));
                var set = Expression.Lambda<Action<object, object?>>(
                    Expression.Assign(Expression.Property(Expression.Convert(instance, target), property), Expression.Convert(value, property.PropertyType)),
                    instance, value).Compile();
                Properties[name.Name] = new PropertyBinding(property.PropertyType, set);
            }
        }

        public Type Type { get; }

        /// <summary>True when the binding comes from the source-generated metadata rather than reflection.</summary>
        public bool SourceGenerated { get; private set; }

        public ValueKind Kind { get; private set; }

        public Type? KeyType { get; private set; }

        public Type? ValueType { get; private set; }

        public Func<IList>? CreateList { get; private set; }

        public Func<IDictionary>? CreateDictionary { get; private set; }

        public Func<object>? Create { get; private set; }

        public Dictionary<string, PropertyBinding>? Properties { get; private set; }
    }

    private sealed record PropertyBinding(Type Type, Action<object, object?> Set);
}
