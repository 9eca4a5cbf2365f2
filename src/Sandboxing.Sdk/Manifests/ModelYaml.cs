using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;
using YamlDotNet.Serialization.NamingConventions;

namespace Sandboxing.Sdk;

/// <summary>
/// KubernetesClient's YAML output (<c>KubernetesYaml.Serialize</c>), the same text, without what stops it under native AOT.
/// KubernetesYaml's type initializer scans every model type and orders their properties by metadata token, which a native
/// executable does not have, so the first call throws there. Here the serializer has the same settings, converters and quoting,
/// and the models' <c>[JsonPropertyName]</c> names and the apiVersion, kind, metadata order are read per type when it is first
/// written, in declaration order (the order reflection lists properties, which is the metadata token order). A type
/// inspector instead of attribute overrides: no start-up scan, so a cold <c>sandboxing policy</c> pays for the types it writes.
/// </summary>
internal static class ModelYaml
{
    private static readonly object s_lock = new();

    private static readonly IValueSerializer s_serializer = Build();

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Writing only: YamlDotNet's reflection serializer reads the models' properties (kept by rooting k8s.Models, see docs/cli.md) and makes no generic types to write them; the native sandboxing's output is compared with the JIT's (scripts/aot-smoke.sh).")]
    private static IValueSerializer Build() => new SerializerBuilder()
        .DisableAliases()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithTypeConverter(new IntOrStringYamlConverter())
        .WithTypeConverter(new ByteArrayConverter())
        .WithTypeConverter(new ResourceQuantityYamlConverter())
        .WithTypeConverter(new KubernetesDateTimeYamlConverter())
        .WithTypeConverter(new KubernetesDateTimeOffsetYamlConverter())
        .WithEventEmitter(e => new k8s.StringQuotingEmitter(e))
        .WithEventEmitter(e => new FloatEmitter(e))
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithTypeInspector(inner => new JsonNameInspector(inner), where => where.OnBottom())
        .BuildValueSerializer();

    /// <summary>One object as a YAML document, as <c>KubernetesYaml.Serialize</c> writes it (no <c>---</c>, the platform's line ends).</summary>
    public static string Serialize(object? value)
    {
        if (value is null)
        {
            return "";
        }

        var text = new StringBuilder();
        var emitter = new Emitter(new StringWriter(text, CultureInfo.InvariantCulture));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        lock (s_lock)
        {
            s_serializer.SerializeValue(emitter, value, value.GetType());
        }

        return text.ToString();
    }

    /// <summary>
    /// What KubernetesYaml's attribute overrides do, for the concrete types of <c>k8s.Models</c>: a property with
    /// <c>[JsonPropertyName]</c> is written under that name (no naming convention), and in a type with <c>ApiVersion</c> or
    /// <c>Kind</c> every property gets an order: apiVersion, kind, metadata, then the rest as declared.
    /// </summary>
    private sealed class JsonNameInspector(ITypeInspector inner) : ITypeInspector
    {
        private static readonly string[] s_preferredOrder = ["ApiVersion", "Kind", "Metadata"];

        public IEnumerable<IPropertyDescriptor> GetProperties(Type type, object? container)
        {
            var properties = inner.GetProperties(type, container).ToList();
            if (type.Assembly != typeof(V1Pod).Assembly || type.Namespace != typeof(V1Pod).Namespace || type.IsInterface || type.IsAbstract)
            {
                return properties;
            }

            bool preferredOrder = properties.Any(p => p.Name is "ApiVersion" or "Kind");
            int next = preferredOrder ? s_preferredOrder.Length : 0;
            var named = new List<IPropertyDescriptor>(properties.Count);
            foreach (var property in properties)
            {
                var json = property.GetCustomAttribute<JsonPropertyNameAttribute>();
                if (json is null && !preferredOrder)
                {
                    named.Add(property);
                    continue;
                }

                var member = new YamlMemberAttribute();
                if (preferredOrder)
                {
                    int order = Array.IndexOf(s_preferredOrder, property.Name);
                    member.Order = order >= 0 ? order : next++;
                }

                if (json is not null)
                {
                    member.Alias = json.Name;
                    member.ApplyNamingConventions = false;
                }

                named.Add(new MemberDescriptor(property, member));
            }

            return named;
        }

        public IPropertyDescriptor GetProperty(Type type, object? container, string name, bool ignoreUnmatched, bool caseInsensitivePropertyMatching) =>
            inner.GetProperty(type, container, name, ignoreUnmatched, caseInsensitivePropertyMatching);

        public string GetEnumName(Type enumType, string name) => inner.GetEnumName(enumType, name);

        public string GetEnumValue(object enumValue) => inner.GetEnumValue(enumValue);

        public bool HasParseMethod(Type type) => inner.HasParseMethod(type);

        public object? Parse(string value, Type expectedType) => inner.Parse(value, expectedType);
    }

    /// <summary>A property as it is, but for the <see cref="YamlMemberAttribute"/> it reports.</summary>
    private sealed class MemberDescriptor(IPropertyDescriptor inner, YamlMemberAttribute member) : IPropertyDescriptor
    {
        public string Name => inner.Name;

        public bool AllowNulls => inner.AllowNulls;

        public bool CanWrite => inner.CanWrite;

        public Type Type => inner.Type;

        public Type? TypeOverride
        {
            get => inner.TypeOverride;
            set => inner.TypeOverride = value;
        }

        public int Order
        {
            get => inner.Order;
            set => inner.Order = value;
        }

        public ScalarStyle ScalarStyle
        {
            get => inner.ScalarStyle;
            set => inner.ScalarStyle = value;
        }

        public bool Required => inner.Required;

        public Type? ConverterType => inner.ConverterType;

        public T? GetCustomAttribute<T>()
            where T : Attribute =>
            member as T ?? inner.GetCustomAttribute<T>();

        public IObjectDescriptor Read(object target) => inner.Read(target);

        public void Write(object target, object? value) => inner.Write(target, value);
    }

    /// <summary>Floating-point numbers with at least one decimal (<c>1.0</c>, not <c>1</c>), as KubernetesClient writes them.</summary>
    private sealed class FloatEmitter(IEventEmitter next) : ChainedEventEmitter(next)
    {
        public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
        {
            switch (eventInfo.Source.Value)
            {
                case double d:
                    emitter.Emit(new Scalar(d.ToString("0.0######################", CultureInfo.InvariantCulture)));
                    break;
                case float f:
                    emitter.Emit(new Scalar(f.ToString("0.0######################", CultureInfo.InvariantCulture)));
                    break;
                default:
                    base.Emit(eventInfo, emitter);
                    break;
            }
        }
    }

    /// <summary><c>byte[]</c> as base64, as KubernetesClient writes it.</summary>
    private sealed class ByteArrayConverter : IYamlTypeConverter
    {
        public bool Accepts(Type type) => type == typeof(byte[]);

        public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer) =>
            throw new NotSupportedException("ModelYaml only writes.");

        public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
            emitter.Emit(new Scalar(value is byte[] bytes ? Convert.ToBase64String(bytes) : string.Empty));
    }
}
