using System.Text.Json;
using k8s;

namespace Sandboxing.Sdk;

/// <summary>A typed Kubernetes object as plain data (maps, lists, strings, numbers, booleans), the shape <see cref="UnstructuredObject"/> holds.</summary>
internal static class PlainData
{
    /// <summary>The object as its API server JSON reads, converted to plain data.</summary>
    public static Dictionary<string, object?> Of(IKubernetesObject obj)
    {
        using var document = JsonDocument.Parse(KubernetesJson.Serialize(obj));
        return (Dictionary<string, object?>)FromJson(document.RootElement)!;
    }

    /// <summary>A JSON value as plain data: integers as 64-bit ones (CEL's int), other numbers as doubles.</summary>
    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var n) ? (object)n : element.GetDouble(), // boxed first: long and double would meet as double
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
