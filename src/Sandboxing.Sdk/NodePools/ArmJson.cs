using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sandboxing.Sdk.Aks;

/// <summary>
/// Typed reads of ARM JSON values for the migration: a value of the wrong type (a number where a string belongs, a string
/// where a number does) is refused with its JSON path, never crashes the reader or is silently ignored.
/// </summary>
internal static class ArmJson
{
    /// <summary>The string at <paramref name="node"/>, or null when it is absent or JSON null.</summary>
    /// <exception cref="ArgumentException">The value is not a string.</exception>
    public static string? String(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw WrongType(node, "a string"),
    };

    /// <summary>The whole number at <paramref name="node"/>, or null when it is absent, JSON null or an ARM expression.</summary>
    /// <exception cref="ArgumentException">The value is not a whole number that fits an int.</exception>
    public static int? Int(JsonNode? node) => node switch
    {
        null => null,
        _ when IsExpression(node) => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out int number) => number,
        _ => throw WrongType(node, "a whole number"),
    };

    /// <summary>The boolean at <paramref name="node"/>, false when it is absent, JSON null or an ARM expression.</summary>
    /// <exception cref="ArgumentException">The value is not true or false.</exception>
    public static bool Bool(JsonNode? node) => node switch
    {
        null => false,
        _ when IsExpression(node) => false,
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
        _ => throw WrongType(node, "true or false"),
    };

    /// <summary>The array at <paramref name="node"/>, empty when it is absent, JSON null or an ARM expression.</summary>
    /// <exception cref="ArgumentException">The value is not an array.</exception>
    public static JsonArray Array(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array,
        _ when IsExpression(node) => [],
        _ => throw WrongType(node, "an array"),
    };

    /// <summary>
    /// An ARM template expression (<c>"[parameters('count')]"</c>): its value is known only at deployment, so it stands for any
    /// type. <c>"[[…"</c> is ARM's escape for a literal string that starts with '['.
    /// </summary>
    private static bool IsExpression(JsonNode node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { } text
        && text.StartsWith('[') && !text.StartsWith("[[", StringComparison.Ordinal) && text.EndsWith(']');

    private static ArgumentException WrongType(JsonNode node, string expected)
    {
        string found = node.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => "a value",
        };
        string shown = node.ToJsonString();
        return new ArgumentException($"{node.GetPath()}: expected {expected}, found {found} ({(shown.Length > 40 ? shown[..40] + "…" : shown)}); write {expected} there.");
    }
}
