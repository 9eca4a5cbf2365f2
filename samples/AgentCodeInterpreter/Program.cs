using System.Text.Json;
using k8s;
using Microsoft.Extensions.AI;
using Sandboxing.Sdk;
using Sandboxing.Sdk.AI;
using Sandboxing.Sdk.Cluster;

namespace AgentCodeInterpreter;

/// <summary>
/// The agent code interpreter sample: one agent turn whose Python runs in a Kata VM claimed for the session. With
/// <c>--kubeconfig</c> it runs the turn against that cluster (the test project runs it against loopback servers); with
/// <c>--print-setup</c> it prints the SandboxTemplate and SandboxWarmPool the turn needs.
/// </summary>
public static class AgentCodeInterpreterSample
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: AgentCodeInterpreter --kubeconfig <file> [--context <name>] [--namespace <ns>]
                                    [--warm-pool <name> | --template <name>] [--router-url <url>]
               AgentCodeInterpreter --print-setup [--namespace <ns>] [--warm-pool <name> | --template <name>]

          --kubeconfig       run one agent turn against this cluster: claim a sandbox, run the model's code, release it
          --context          the kubeconfig's context (default: its current one)
          --print-setup      print the SandboxTemplate and SandboxWarmPool the agent needs, as YAML to kubectl apply
          --namespace        where the template and pool live (default: agents)
          --warm-pool        claim a warm pod from this SandboxWarmPool (default: python-runtime)
          --template         or cold-start from this SandboxTemplate
          --router-url       the sandbox router's URL (default: port-forward to sandbox-router-svc in the namespace);
                             a bearer token for the router is read from SANDBOX_ROUTER_TOKEN
        """;

    /// <summary>The reference runtime of agent-sandbox (examples/python-runtime-sandbox): FastAPI on port 8888. Pin a digest in production.</summary>
    public const string RuntimeImage = "us-central1-docker.pkg.dev/k8s-staging-images/agent-sandbox/python-runtime-sandbox:latest-main";

    /// <summary>The user's question in the sample's agent turn.</summary>
    public const string Question = "How many primes are there below 100, and what is their sum?";

    /// <summary>Runs the sample from the command line; Ctrl+C cancels the turn (the claim is still released).</summary>
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        return await RunAsync(args, Console.Out, cancellation.Token);
    }

    /// <summary>Runs the sample with <paramref name="args"/>, writing everything to <paramref name="output"/>.</summary>
    /// <returns>0 on success, 1 when the sandbox failed, 2 for bad arguments or a bad kubeconfig, 130 when cancelled.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        var options = SampleOptions.Parse(args, out var error);
        if (options is null)
        {
            output.WriteLine($"error: {error}");
            output.WriteLine(Usage);
            return 2;
        }

        if (options.Help)
        {
            output.WriteLine(Usage);
            return 0;
        }

        if (options.PrintSetup)
        {
            PrintSetup(options, output);
            return 0;
        }

        if (options.Kubeconfig is null)
        {
            // The sample never guesses a cluster: the turn claims a VM and runs code there, so the developer names the cluster.
            output.WriteLine("error: no cluster to run the agent turn against: pass --kubeconfig <file> (for example --kubeconfig ~/.kube/config), "
                + "or --print-setup to print the SandboxTemplate and SandboxWarmPool the cluster needs first.");
            output.WriteLine(Usage);
            return 2;
        }

        try
        {
            using var kubernetes = SandboxKubeconfig.Connect(options.Kubeconfig, options.Context);
            return await RunTurnAsync(kubernetes, options, output, cancellationToken);
        }
        catch (SandboxDeployException e) when (e.Reason == SandboxDeployReason.Kubeconfig)
        {
            output.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (AgentSandboxException e)
        {
            // Only what the developer must fix is thrown (the claim, the router, a sandbox that is not a Kata VM); the model
            // saw everything it could fix (exit codes, timeouts) as the tool's result.
            output.WriteLine($"error: {e.Error}: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine("cancelled.");
            return 130;
        }
    }

    /// <summary>One agent turn: the question, the model's tool call, the sandbox's result, the model's answer.</summary>
    private static async Task<int> RunTurnAsync(IKubernetes kubernetes, SampleOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var clientOptions = new AgentSandboxClientOptions
        {
            RouterUrl = options.RouterUrl,
            RouterBearerToken = Environment.GetEnvironmentVariable("SANDBOX_ROUTER_TOKEN") is { Length: > 0 } token ? token : null,
        };
        await using var client = new AgentSandboxClient(kubernetes, clientOptions);

        // One interpreter per conversation: its first call claims the sandbox, DisposeAsync releases it.
        var interpreterOptions = new SandboxCodeInterpreterOptions
        {
            Namespace = options.Namespace,
            WarmPoolName = options.Template is null ? options.WarmPool : null,
            TemplateName = options.Template,
            ShutdownAfter = TimeSpan.FromMinutes(15),
        };
        interpreterOptions.ClaimLabels["app.kubernetes.io/name"] = "agent-code-interpreter";
        await using var interpreter = new SandboxCodeInterpreter(client, interpreterOptions);

        // The model. This scripted stand-in is not a language model: it asks for the tool once, then reports its result.
        // With Azure OpenAI (packages Azure.AI.OpenAI, Azure.Identity and Microsoft.Extensions.AI.OpenAI) it is:
        //   IChatClient model = new AzureOpenAIClient(new Uri(endpoint), new DefaultAzureCredential())
        //       .GetChatClient("gpt-4o").AsIChatClient();
        IChatClient model = new ScriptedModel();

        // FunctionInvokingChatClient runs the functions the model asks for. With no consecutive errors allowed, an exception
        // (only thrown for what the developer must fix) reaches this code instead of the model.
        using IChatClient agent = model.AsBuilder()
            .UseFunctionInvocation(configure: f => f.MaximumConsecutiveErrorsPerRequest = 0)
            .Build();

        List<ChatMessage> conversation =
        [
            new(ChatRole.System, "You are a data assistant. Compute answers with the code interpreter rather than from memory."),
            new(ChatRole.User, Question),
        ];
        output.WriteLine($"user: {Question}");
        var response = await agent.GetResponseAsync(conversation, new ChatOptions { Tools = [interpreter.AsAIFunction()] }, cancellationToken);
        foreach (var message in response.Messages)
        {
            Print(message, output);
        }

        output.WriteLine($"claim: {options.Namespace}/{interpreter.ClaimName}");
        await interpreter.DisposeAsync();
        output.WriteLine("claim released.");
        return 0;
    }

    private static void Print(ChatMessage message, TextWriter output)
    {
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case FunctionCallContent call:
                    output.WriteLine($"tool call: {call.Name}");
                    output.WriteLine(Indent(call.Arguments?["code"]?.ToString() ?? ""));
                    break;
                case FunctionResultContent result:
                    output.WriteLine("tool result:");
                    output.WriteLine(Indent(JsonSerializer.Serialize(result.Result, AIJsonUtilities.DefaultOptions)));
                    break;
                case TextContent text:
                    output.WriteLine($"assistant: {text.Text}");
                    break;
            }
        }
    }

    private static string Indent(string text) => string.Join('\n', text.Trim().Split('\n').Select(line => "    " + line));

    /// <summary>
    /// What the agent needs on the cluster: a SandboxTemplate <paramref name="name"/> for the reference python runtime and a warm
    /// pool of it, of the same name. The SDK's pod defaults (Kata, non-root, read-only root filesystem, no token) stay; the
    /// runtime gets a writable working directory.
    /// </summary>
    /// <param name="namespace">The namespace of the template and pool.</param>
    /// <param name="name">The name of the template and pool.</param>
    /// <returns>The template and the pool, to apply.</returns>
    public static IReadOnlyList<UnstructuredObject> Setup(string @namespace, string name) =>
        AgentSandboxes.Template(name).InNamespace(@namespace)
            .WithContainer("runtime", RuntimeImage, c => c
                .WithPort(8888, "http")
                .WithReadinessProbe(Probes.HttpGet("/", 8888, periodSeconds: 1))
                // The root filesystem is read-only and the image's /app belongs to another user: the runtime writes the
                // agent's files (and runs its code) in this volume instead (SANDBOX_BASE_DIR, main.py:38-46).
                .WithEnv("SANDBOX_BASE_DIR", "/workspace")
                .WithVolumeMount("workspace", "/workspace")
                .WithVolumeMount("tmp", "/tmp")
                .WithResources(cpu: "1", memory: "1Gi"))   // the memory limit sizes the VM; each warm pod holds it
            .ConfigurePod(p => p
                .WithEmptyDirVolume("workspace", sizeLimit: "1Gi")
                .WithEmptyDirVolume("tmp", sizeLimit: "256Mi"))
            .WithWarmPool(2)
            .Build();

    private static void PrintSetup(SampleOptions options, TextWriter output)
    {
        output.WriteLine("# What the agent needs on the cluster (with the agent-sandbox controller and its router).");
        output.WriteLine($"# kubectl apply -f this, then: dotnet run --project samples/AgentCodeInterpreter -- --kubeconfig ~/.kube/config --namespace {options.Namespace}");
        output.Write(SandboxManifest.ToYaml([.. Setup(options.Namespace, options.Template ?? options.WarmPool)]));
    }
}
