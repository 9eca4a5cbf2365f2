using System.Text.Json;
using k8s;
using Sandboxing.Sdk.AI;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.AI.Tests;

/// <summary>What the functions tell the model, and the options the interpreter refuses before anything is claimed.</summary>
public sealed class InterpreterOptionsTests : IAsyncDisposable
{
    // Never contacted: these tests stop before the first call.
    private readonly AgentSandboxClient _client = new(new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9/" }));

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private static SandboxCodeInterpreterOptions Valid() => new() { Namespace = "agents", WarmPoolName = "python-runtime" };

    public static TheoryData<string, Action<SandboxCodeInterpreterOptions>> BadOptions() => new()
    {
        { "SandboxCodeInterpreterOptions.Namespace is required", o => o.Namespace = " " },
        { "Set exactly one of SandboxCodeInterpreterOptions.WarmPoolName", o => o.WarmPoolName = null },
        { "Set exactly one of SandboxCodeInterpreterOptions.WarmPoolName", o => o.TemplateName = "python-runtime" },
        { "SandboxCodeInterpreterOptions.ShutdownAfter and SandboxCodeInterpreterOptions.RunTimeout must be positive", o => o.RunTimeout = TimeSpan.Zero },
        { "must be shorter than SandboxCodeInterpreterOptions.ShutdownAfter", o => o.RunTimeout = TimeSpan.FromHours(2) },
        { "SandboxCodeInterpreterOptions.MaxOutputLength must be at least 256", o => o.MaxOutputLength = 100 },
        { "SandboxCodeInterpreterOptions.Interpreter must be a program name", o => o.Interpreter = "sh -c 'python3'" },
        { "SandboxCodeInterpreterOptions.FileExtension '../x' must be", o => o.FileExtension = "../x" },
        { "SandboxCodeInterpreterOptions.FunctionName 'run code' must be", o => o.FunctionName = "run code" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void A_bad_option_is_refused_naming_it(string expected, Action<SandboxCodeInterpreterOptions> spoil)
    {
        var options = Valid();
        spoil(options);

        var error = Assert.Throws<ArgumentException>(() => new SandboxCodeInterpreter(_client, options));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("options", error.ParamName);
    }

    [Fact]
    public async Task The_run_function_tells_the_model_there_is_no_shell_no_network_and_that_files_persist()
    {
        await using var interpreter = new SandboxCodeInterpreter(_client, Valid());
        var function = interpreter.AsAIFunction();

        Assert.Equal("run_code_in_kata_sandbox", function.Name);
        Assert.Contains("Kata VM", function.Description, StringComparison.Ordinal);
        Assert.Contains("there is no shell", function.Description, StringComparison.Ordinal);
        Assert.Contains("`python3 <file>`", function.Description, StringComparison.Ordinal);
        Assert.Contains("It has no network access", function.Description, StringComparison.Ordinal);
        Assert.Contains("persist for the rest of this conversation", function.Description, StringComparison.Ordinal);
        Assert.Contains("takes longer than 60 seconds times out and its output is lost", function.Description, StringComparison.Ordinal);
        Assert.Contains("At most 16384 characters", function.Description, StringComparison.Ordinal);
        Assert.Null(interpreter.ClaimName);
    }

    [Fact]
    public async Task Internet_access_and_another_language_change_the_description()
    {
        var options = Valid();
        options.InternetAccess = true;
        options.Interpreter = "node";
        options.FileExtension = ".js";
        options.LanguageName = "JavaScript";
        options.RunTimeout = TimeSpan.FromSeconds(12.5);
        await using var interpreter = new SandboxCodeInterpreter(_client, options);

        var description = interpreter.AsAIFunction().Description;
        Assert.Contains("It can reach the internet", description, StringComparison.Ordinal);
        Assert.DoesNotContain("no network access", description, StringComparison.Ordinal);
        Assert.Contains("Runs a JavaScript program", description, StringComparison.Ordinal);
        Assert.Contains("`node <file>`", description, StringComparison.Ordinal);
        Assert.Contains("takes longer than 12.5 seconds times out", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_asks_for_exactly_the_string_parameters_each_function_reads()
    {
        await using var interpreter = new SandboxCodeInterpreter(_client, Valid());
        var functions = interpreter.AsAIFunctions();

        Assert.Equal(["run_code_in_kata_sandbox", "write_file_in_kata_sandbox", "read_file_in_kata_sandbox"], functions.Select(f => f.Name));
        Assert.Same(functions[0], interpreter.AsAIFunction());
        string[][] parameters = [["code"], ["path", "content"], ["path"]];
        for (int i = 0; i < functions.Count; i++)
        {
            var schema = functions[i].JsonSchema;
            Assert.Equal("object", schema.GetProperty("type").GetString());
            Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
            Assert.Equal(parameters[i], schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(parameters[i], schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
            Assert.All(schema.GetProperty("properties").EnumerateObject(), p =>
            {
                Assert.Equal("string", p.Value.GetProperty("type").GetString());
                Assert.False(string.IsNullOrWhiteSpace(p.Value.GetProperty("description").GetString()));
            });
        }
    }

    [Fact]
    public async Task A_missing_or_non_string_argument_goes_back_to_the_model_without_claiming()
    {
        await using var interpreter = new SandboxCodeInterpreter(_client, Valid());
        var function = interpreter.AsAIFunction();

        var missing = (JsonElement)(await function.InvokeAsync(new Microsoft.Extensions.AI.AIFunctionArguments()))!;
        var number = (JsonElement)(await function.InvokeAsync(new Microsoft.Extensions.AI.AIFunctionArguments { ["code"] = JsonDocument.Parse("42").RootElement }))!;

        Assert.Contains("The argument 'code' is missing or is not a string", missing.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("The argument 'code' is missing or is not a string", number.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Null(interpreter.ClaimName);
    }

    [Fact]
    public async Task A_call_after_dispose_is_refused()
    {
        var interpreter = new SandboxCodeInterpreter(_client, Valid());
        await interpreter.DisposeAsync();
        await interpreter.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
            await interpreter.AsAIFunction().InvokeAsync(new Microsoft.Extensions.AI.AIFunctionArguments { ["code"] = "print(1)" }));
    }
}
