using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Sandboxing.Sdk.AI;

/// <summary>
/// One of the interpreter's functions as an <see cref="AIFunction"/>: a fixed name, description and JSON schema of string
/// parameters, and a body. Written by hand rather than with <c>AIFunctionFactory</c> so that the schema is exactly what the
/// model is shown and nothing is bound by reflection.
/// </summary>
internal sealed class SandboxFunction : AIFunction
{
    private readonly Func<IReadOnlyDictionary<string, string>, CancellationToken, Task<JsonElement>> _body;
    private readonly (string Name, string Description)[] _parameters;

    internal SandboxFunction(string name, string description, (string Name, string Description)[] parameters,
        Func<IReadOnlyDictionary<string, string>, CancellationToken, Task<JsonElement>> body)
    {
        Name = name;
        Description = description;
        _parameters = parameters;
        _body = body;
        JsonSchema = Schema(parameters);
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override JsonElement JsonSchema { get; }

    /// <inheritdoc />
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, _) in _parameters)
        {
            var value = arguments.TryGetValue(name, out var raw) ? AsString(raw) : null;
            if (value is null)
            {
                // The model left out an argument or sent a non-string: it can call again correctly.
                return ToolResults.Error($"The argument '{name}' is missing or is not a string; call {Name} again with '{name}' as a JSON string.");
            }

            values[name] = value;
        }

        return await _body(values, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An argument as the model sent it: parsed JSON (from a real model) or a string (from code that calls the function).</summary>
    private static string? AsString(object? value) => value switch
    {
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
        _ => null,
    };

    private static JsonElement Schema((string Name, string Description)[] parameters)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "object");
            w.WriteStartObject("properties");
            foreach (var (name, description) in parameters)
            {
                w.WriteStartObject(name);
                w.WriteString("type", "string");
                w.WriteString("description", description);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartArray("required");
            foreach (var (name, _) in parameters)
            {
                w.WriteStringValue(name);
            }

            w.WriteEndArray();
            w.WriteBoolean("additionalProperties", false);
            w.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
