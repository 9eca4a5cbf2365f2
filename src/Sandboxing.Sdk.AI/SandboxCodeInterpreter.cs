using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.AI;

/// <summary>
/// A code interpreter for one agent session, as Microsoft.Extensions.AI functions: the model's code runs in the session's own
/// agent-sandbox <c>Sandbox</c>, a Kata VM, claimed on the first call from a warm pool or a template and released by
/// <see cref="DisposeAsync"/>. Create one per conversation and give <see cref="AsAIFunction"/> to any <c>IChatClient</c> that
/// invokes functions (<c>FunctionInvokingChatClient</c>, which Microsoft Agent Framework and Semantic Kernel build on).
/// </summary>
/// <remarks>
/// <para>
/// What the model can fix comes back to it as the function's result: a non-zero exit code with its output, a run that timed out,
/// output too large to return, a file that does not exist. What only the developer can fix is thrown, as
/// <see cref="AgentSandboxException"/>: the claim failed, the sandbox is not a Kata VM (<see cref="AgentSandboxError.NotSandboxed"/>,
/// which also refuses every later call), the router failed, the sandbox expired. Set
/// <c>FunctionInvokingChatClient.MaximumConsecutiveErrorsPerRequest</c> to 0 so that such an exception reaches your code at
/// once instead of being shown to the model as "Error: Function failed.".
/// </para>
/// <para>Calls of one session run one at a time, in the order they arrive: they share one sandbox and its files.</para>
/// </remarks>
public sealed partial class SandboxCodeInterpreter : IAsyncDisposable
{
    private readonly AgentSandboxClient _client;
    private readonly Settings _settings;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private AgentSandboxSession? _session;
    private AgentSandboxException? _refused;
    private int _runs;
    private int _disposed;
    private IReadOnlyList<AIFunction>? _functions;

    /// <summary>Creates the interpreter of one session. Nothing is claimed until the model first calls a function.</summary>
    /// <param name="client">
    /// The client that claims the sandbox and reaches its router; the interpreter does not own it, and it may serve many sessions.
    /// </param>
    /// <param name="options">Where to claim and what to tell the model; read once, here.</param>
    /// <exception cref="ArgumentException">An option is missing or out of range; the message names it.</exception>
    public SandboxCodeInterpreter(AgentSandboxClient client, SandboxCodeInterpreterOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _settings = Settings.From(options);
    }

    /// <summary>The name of the session's <c>SandboxClaim</c>, or null before the first call and after <see cref="DisposeAsync"/>.</summary>
    public string? ClaimName => Volatile.Read(ref _session)?.ClaimName;

    /// <summary>
    /// The function that runs code (named <see cref="SandboxCodeInterpreterOptions.FunctionName"/>): it takes <c>code</c>, saves it
    /// as a file in the sandbox, runs it with the interpreter, and returns <c>exit_code</c>, <c>stdout</c> and <c>stderr</c>.
    /// </summary>
    /// <returns>The same instance on every call.</returns>
    public AIFunction AsAIFunction() => AsAIFunctions()[0];

    /// <summary>
    /// The function that runs code (<see cref="AsAIFunction"/>) and two for files in the sandbox's working directory:
    /// <c>write_file_in_kata_sandbox</c> (<c>path</c>, <c>content</c>) and <c>read_file_in_kata_sandbox</c> (<c>path</c>).
    /// </summary>
    /// <returns>The three functions, the same instances on every call.</returns>
    public IReadOnlyList<AIFunction> AsAIFunctions() => LazyInitializer.EnsureInitialized(ref _functions, () =>
    [
        new SandboxFunction(_settings.FunctionName, _settings.RunDescription(), [("code", _settings.CodeParameter())], (a, ct) => RunCodeAsync(a["code"], ct)),
        new SandboxFunction(WriteFunctionName, _settings.WriteDescription(),
            [("path", PathParameter), ("content", "The file's full text, written as UTF-8; an existing file is replaced.")],
            (a, ct) => WriteFileAsync(a["path"], a["content"], ct)),
        new SandboxFunction(ReadFunctionName, _settings.ReadDescription(), [("path", PathParameter)], (a, ct) => ReadFileAsync(a["path"], ct)),
    ]);

    /// <summary>
    /// Ends the session: cancels a call in flight, waits for it, and deletes the session's claim (the controller then deletes its
    /// sandbox), within <see cref="AgentSandboxClientOptions.CleanupTimeout"/>. It does not throw: a claim it could not delete is
    /// marked on the release's trace span and expires at its shutdown time (<see cref="SandboxCodeInterpreterOptions.ShutdownAfter"/>).
    /// Later calls throw <see cref="ObjectDisposedException"/>. Safe to call more than once.
    /// </summary>
    /// <returns>A task that completes when the claim is deleted or the attempt gave up.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        var session = Interlocked.Exchange(ref _session, null);
        if (session is not null)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    private const string WriteFunctionName = "write_file_in_kata_sandbox";
    private const string ReadFunctionName = "read_file_in_kata_sandbox";
    private const string PathParameter = "A path relative to the sandbox's working directory, such as data.csv.";

    private async Task<JsonElement> RunCodeAsync(string code, CancellationToken cancellationToken)
    {
        return await InSessionAsync(async (session, ct) =>
        {
            // The runtime runs a command without a shell, so the code travels as a file; one file per run keeps earlier ones.
            var file = string.Create(CultureInfo.InvariantCulture, $"cell_{++_runs:D4}{_settings.FileExtension}");
            await session.WriteFileAsync(file, Encoding.UTF8.GetBytes(code), ct).ConfigureAwait(false);
            AgentSandboxCommandResult result;
            try
            {
                result = await session.RunAsync($"{_settings.Interpreter} {file}", _settings.RunTimeout, ct).ConfigureAwait(false);
            }
            catch (AgentSandboxException e) when (e.Error == AgentSandboxError.Timeout)
            {
                return ToolResults.Error($"The code (saved as {file}) did not finish within {_settings.RunSeconds} seconds, so its output is lost; "
                    + "it may go on running in the sandbox until the runtime stops it. Make it faster, or split the work into shorter runs that save their progress to files.");
            }
            catch (AgentSandboxException e) when (e.Error == AgentSandboxError.ResponseTooLarge)
            {
                return ToolResults.Error($"The code (saved as {file}) ran, but printed more than the sandbox returns in one response. "
                    + "Print a summary instead, or write the output to a file and read the part you need.");
            }

            return ToolResults.Run(result.ExitCode, result.Stdout, result.Stderr, _settings.MaxOutputLength);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonElement> WriteFileAsync(string path, string content, CancellationToken cancellationToken)
    {
        return await InSessionAsync(async (session, ct) =>
        {
            var bytes = Encoding.UTF8.GetBytes(content);
            try
            {
                await session.WriteFileAsync(path, bytes, ct).ConfigureAwait(false);
            }
            catch (AgentSandboxException e) when (IsModelError(e))
            {
                return ToolResults.Error($"Could not write '{path}': {ModelReason(e)}");
            }

            return ToolResults.Done(string.Create(CultureInfo.InvariantCulture, $"Wrote {bytes.Length} bytes to {path}."));
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonElement> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        return await InSessionAsync(async (session, ct) =>
        {
            byte[] bytes;
            try
            {
                bytes = await session.ReadFileAsync(path, ct).ConfigureAwait(false);
            }
            catch (AgentSandboxException e) when (IsModelError(e))
            {
                return ToolResults.Error($"Could not read '{path}': {ModelReason(e)}");
            }

            if (Array.IndexOf(bytes, (byte)0) >= 0)
            {
                return ToolResults.Error(string.Create(CultureInfo.InvariantCulture,
                    $"'{path}' is a binary file of {bytes.Length} bytes; inspect it with code instead of reading it as text."));
            }

            return ToolResults.File(path, Encoding.UTF8.GetString(bytes), bytes.Length, _settings.MaxOutputLength);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Failures of a file function that a different path or a smaller file fixes.</summary>
    private static bool IsModelError(AgentSandboxException e) =>
        e.Error is AgentSandboxError.InvalidPath or AgentSandboxError.ResponseTooLarge or AgentSandboxError.NotFound || e.StatusCode is 403 or 404;

    private static string ModelReason(AgentSandboxException e) => e.Error switch
    {
        AgentSandboxError.InvalidPath => "the path is not allowed; use a relative path inside the working directory, without '..'.",
        AgentSandboxError.ResponseTooLarge => "the file is larger than the sandbox returns in one response; read it with code instead.",
        AgentSandboxError.NotFound => "no such file.",
        _ when e.StatusCode == 404 => "no such file.",
        _ => "access denied: the path is outside the sandbox's working directory.",
    };

    /// <summary>
    /// Runs <paramref name="body"/> alone, in the session's sandbox, claiming it first when this is the session's first call.
    /// The token it gets is cancelled by the caller or by <see cref="DisposeAsync"/>.
    /// </summary>
    private async Task<JsonElement> InSessionAsync(Func<AgentSandboxSession, CancellationToken, Task<JsonElement>> body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        try
        {
            await _gate.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e)
        {
            throw Cancelled(e, cancellationToken);
        }

        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            var session = _session ?? await ClaimAsync(linked.Token).ConfigureAwait(false);
            return await body(session, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested || _disposing.IsCancellationRequested)
        {
            throw Cancelled(e, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A cancellation as the caller should see it: the caller's own token (as the client reports it, not the token linked here
    /// with <see cref="DisposeAsync"/>), or <see cref="ObjectDisposedException"/> when the interpreter was disposed instead.
    /// </summary>
    private static Exception Cancelled(OperationCanceledException e, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
            ? e.CancellationToken == cancellationToken ? e : new OperationCanceledException(e.Message, e, cancellationToken)
            : new ObjectDisposedException(nameof(SandboxCodeInterpreter));

    private async Task<AgentSandboxSession> ClaimAsync(CancellationToken cancellationToken)
    {
        if (_refused is not null)
        {
            // A sandbox that was not a Kata VM: claiming again would start another pod on the host kernel for the model's code.
            throw _refused;
        }

        var claim = new AgentSandboxClaimOptions { ShutdownAfter = _settings.ShutdownAfter, ShutdownPolicy = AgentSandboxShutdownPolicy.Delete };
        foreach (var (key, value) in _settings.ClaimLabels)
        {
            claim.Labels[key] = value;
        }

        try
        {
            var session = _settings.WarmPoolName is { } pool
                ? await _client.ClaimAsync(pool, _settings.Namespace, claim, cancellationToken).ConfigureAwait(false)
                : await _client.ClaimFromTemplateAsync(_settings.TemplateName!, _settings.Namespace, claim, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _session, session);
            return session;
        }
        catch (AgentSandboxException e) when (e.Error == AgentSandboxError.NotSandboxed)
        {
            _refused = e;
            throw;
        }
    }

    /// <summary>The options, checked and copied when the interpreter is created, and the texts the model reads.</summary>
    private sealed partial record Settings(string Namespace, string? WarmPoolName, string? TemplateName, TimeSpan ShutdownAfter,
        TimeSpan RunTimeout, int MaxOutputLength, string Interpreter, string FileExtension, string LanguageName, bool InternetAccess,
        string FunctionName, IReadOnlyDictionary<string, string> ClaimLabels)
    {
        /// <summary>Below this the cut marker and a line of a traceback no longer fit.</summary>
        private const int MinOutputLength = 256;

        internal static Settings From(SandboxCodeInterpreterOptions options)
        {
            const string type = nameof(SandboxCodeInterpreterOptions);
            if (string.IsNullOrWhiteSpace(options.Namespace))
            {
                throw new ArgumentException($"{type}.{nameof(options.Namespace)} is required: the namespace of the warm pool or template the session claims from.", nameof(options));
            }

            if (string.IsNullOrWhiteSpace(options.WarmPoolName) == string.IsNullOrWhiteSpace(options.TemplateName))
            {
                throw new ArgumentException($"Set exactly one of {type}.{nameof(options.WarmPoolName)} (claim a warm pod) and {type}.{nameof(options.TemplateName)} (cold-start from the template).", nameof(options));
            }

            if (options.ShutdownAfter <= TimeSpan.Zero || options.RunTimeout <= TimeSpan.Zero)
            {
                throw new ArgumentException($"{type}.{nameof(options.ShutdownAfter)} and {type}.{nameof(options.RunTimeout)} must be positive.", nameof(options));
            }

            if (options.RunTimeout >= options.ShutdownAfter)
            {
                throw new ArgumentException($"{type}.{nameof(options.RunTimeout)} ({options.RunTimeout}) must be shorter than {type}.{nameof(options.ShutdownAfter)} ({options.ShutdownAfter}), the claim's whole lifetime.", nameof(options));
            }

            if (options.MaxOutputLength < MinOutputLength)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{type}.{nameof(options.MaxOutputLength)} must be at least {MinOutputLength} characters."), nameof(options));
            }

            if (string.IsNullOrWhiteSpace(options.Interpreter) || options.Interpreter.IndexOfAny(['"', '\'', '\\', '\n']) >= 0)
            {
                throw new ArgumentException($"{type}.{nameof(options.Interpreter)} must be a program name with optional arguments, such as 'python3' or 'python3 -u', without quotes.", nameof(options));
            }

            if (!FileExtensionPattern().IsMatch(options.FileExtension))
            {
                throw new ArgumentException($"{type}.{nameof(options.FileExtension)} '{options.FileExtension}' must be a dot and letters or digits, such as '.py'.", nameof(options));
            }

            if (!FunctionNamePattern().IsMatch(options.FunctionName))
            {
                throw new ArgumentException($"{type}.{nameof(options.FunctionName)} '{options.FunctionName}' must be 1 to 64 letters, digits, '_' or '-' (what model APIs accept as a tool name).", nameof(options));
            }

            return new Settings(options.Namespace, NullIfBlank(options.WarmPoolName), NullIfBlank(options.TemplateName), options.ShutdownAfter, options.RunTimeout,
                options.MaxOutputLength, options.Interpreter.Trim(), options.FileExtension, string.IsNullOrWhiteSpace(options.LanguageName) ? "Python" : options.LanguageName,
                options.InternetAccess, options.FunctionName, new Dictionary<string, string>(options.ClaimLabels, StringComparer.Ordinal));
        }

        private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

        /// <summary>The run timeout in seconds, as the model reads it.</summary>
        internal string RunSeconds => RunTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

        private string MaxOutput => MaxOutputLength.ToString(CultureInfo.InvariantCulture);

        internal string RunDescription() =>
            $"Runs a {LanguageName} program in an isolated sandbox (a Kata VM) and returns its exit_code, stdout and stderr. "
            + $"The code is saved as a file in the working directory and run with `{Interpreter} <file>`; there is no shell, so the code "
            + $"must be {LanguageName}, not shell commands. Files in the working directory persist for the rest of this conversation, "
            + "so later runs can read what earlier ones wrote. "
            + Network()
            + $" A run that takes longer than {RunSeconds} seconds times out and its output is lost. At most {MaxOutput} characters of output come back; "
            + "print summaries rather than whole data sets.";

        internal string CodeParameter() => $"The complete {LanguageName} program to run. Print what you want to see.";

        internal string WriteDescription() =>
            $"Writes a text file in the working directory of the sandbox that {FunctionName} runs code in, for the code to read.";

        internal string ReadDescription() =>
            $"Reads a text file from the working directory of the sandbox that {FunctionName} runs code in; at most {MaxOutput} characters come back.";

        private string Network() => InternetAccess
            ? "It can reach the internet, but not the cluster's internal network."
            : "It has no network access: do not download packages or data, and use only what is installed.";

        [GeneratedRegex(@"^\.[A-Za-z0-9]{1,10}$")]
        private static partial Regex FileExtensionPattern();

        [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
        private static partial Regex FunctionNamePattern();
    }
}
