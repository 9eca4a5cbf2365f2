using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Sandboxing.Sdk.AI.Tests;

/// <summary>
/// A model that plays a script: each request gets the next scripted answer (function calls, or text), and every request is kept,
/// so a test reads the function results exactly as FunctionInvokingChatClient sent them back to the model.
/// </summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly object _gate = new();
    private readonly Queue<ChatMessage> _script = new();
    private readonly List<List<ChatMessage>> _requests = [];

    /// <summary>The next answer: calls of the function named <paramref name="function"/>, each with its arguments.</summary>
    public ScriptedChatClient ThenCall(string function, params (string Id, IDictionary<string, object?> Arguments)[] calls)
    {
        lock (_gate)
        {
            _script.Enqueue(new ChatMessage(ChatRole.Assistant, [.. calls.Select(c => (AIContent)new FunctionCallContent(c.Id, function, c.Arguments))]));
        }

        return this;
    }

    /// <summary>The next answer: one call of the code function with <paramref name="code"/>.</summary>
    public ScriptedChatClient ThenRun(string code, string id = "call_1") => ThenCall("run_code_in_kata_sandbox", (id, Code(code)));

    /// <summary>The next answer: text, which ends the turn.</summary>
    public ScriptedChatClient ThenSay(string text)
    {
        lock (_gate)
        {
            _script.Enqueue(new ChatMessage(ChatRole.Assistant, text));
        }

        return this;
    }

    public static IDictionary<string, object?> Code(string code) => new Dictionary<string, object?> { ["code"] = code };

    /// <summary>Every request the model received, in order.</summary>
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Requests { get { lock (_gate) { return [.. _requests.Select(r => (IReadOnlyList<ChatMessage>)r.ToList())]; } } }

    /// <summary>Every function result the model was sent, by call id, in order.</summary>
    public IReadOnlyList<FunctionResultContent> Results =>
        [.. Requests.Count == 0 ? [] : Requests[^1].SelectMany(m => m.Contents).OfType<FunctionResultContent>()];

    /// <summary>The result of call <paramref name="callId"/> as the JSON the model reads.</summary>
    public JsonElement ResultOf(string callId = "call_1")
    {
        var result = Assert.Single(Results, r => r.CallId == callId);
        return result.Result is JsonElement json ? json : JsonSerializer.SerializeToElement(result.Result, AIJsonUtilities.DefaultOptions);
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _requests.Add([.. messages]);
            var next = _script.Count > 0 ? _script.Dequeue() : new ChatMessage(ChatRole.Assistant, "(end of script)");
            return Task.FromResult(new ChatResponse(next));
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
