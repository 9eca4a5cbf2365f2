using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentCodeInterpreter;

/// <summary>
/// A stand-in for the model, so that the sample runs without a model endpoint: it is NOT a language model. Its first answer
/// asks for the code interpreter with a fixed Python program (what a model would write for the question); its second answer
/// reports what the tool returned. Replace it with a real <see cref="IChatClient"/>, for example Azure OpenAI's (see Program.cs).
/// </summary>
public sealed class ScriptedModel : IChatClient
{
    /// <summary>The program the scripted model "writes": the primes below 100, their count and sum, and where it ran.</summary>
    public const string Code = """
        import platform
        primes = [n for n in range(2, 100) if all(n % d for d in range(2, int(n ** 0.5) + 1))]
        print(f"{len(primes)} primes below 100, sum {sum(primes)}")
        print("kernel", platform.release())
        """;

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var history = messages.ToList();
        var result = history.LastOrDefault()?.Contents.OfType<FunctionResultContent>().FirstOrDefault();
        if (result is not null)
        {
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Report(result))));
        }

        // A model only calls a tool it was offered; the interpreter's function is the one whose name says so.
        var tool = options?.Tools?.OfType<AIFunction>().FirstOrDefault(t => t.Name.StartsWith("run_code", StringComparison.Ordinal));
        if (tool is null)
        {
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "I have no code interpreter, so I cannot compute that.")));
        }

        var call = new FunctionCallContent("call_1", tool.Name, new Dictionary<string, object?> { ["code"] = Code });
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [call])));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>The answer a model would give from the tool's result: the program's output, or why it failed.</summary>
    private static string Report(FunctionResultContent result)
    {
        var json = result.Result is JsonElement element ? element : JsonSerializer.SerializeToElement(result.Result, AIJsonUtilities.DefaultOptions);
        if (json.ValueKind != JsonValueKind.Object)
        {
            return $"The code interpreter answered: {json}";
        }

        if (json.TryGetProperty("error", out var error))
        {
            return $"The sandbox could not run the code: {error.GetString()}";
        }

        var stdout = json.GetProperty("stdout").GetString()!.Trim();
        var exitCode = json.GetProperty("exit_code").GetInt32();
        return exitCode == 0
            ? $"I ran the code in the sandbox. It printed:\n{stdout}"
            : $"The code exited with {exitCode}: {json.GetProperty("stderr").GetString()!.Trim()}";
    }
}
