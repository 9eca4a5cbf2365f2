namespace Sandboxing.Sdk.AI;

/// <summary>
/// Where a <see cref="SandboxCodeInterpreter"/> claims its sandbox, how long the claim may live, and what its functions tell the
/// model. Set exactly one of <see cref="WarmPoolName"/> and <see cref="TemplateName"/>.
/// </summary>
public sealed class SandboxCodeInterpreterOptions
{
    /// <summary>The namespace of the warm pool or template, where the session's <c>SandboxClaim</c> is made. Required.</summary>
    public string Namespace { get; set; } = "";

    /// <summary>
    /// The <c>SandboxWarmPool</c> to claim from: a warm pod is taken at once, and an empty pool cold-starts one from its template.
    /// </summary>
    public string? WarmPoolName { get; set; }

    /// <summary>
    /// The <c>SandboxTemplate</c> to claim from, through a pool that names it (the client creates an empty one when none exists,
    /// so every claim is a cold start: a new Kata VM, which takes seconds to boot and pull).
    /// </summary>
    public string? TemplateName { get; set; }

    /// <summary>
    /// The claim's lifetime: its <c>spec.lifecycle.shutdownTime</c> is set to the first call's time plus this, with
    /// <c>shutdownPolicy: Delete</c>, so that the claim of an agent that crashed before <see cref="SandboxCodeInterpreter.DisposeAsync"/>
    /// is deleted by the controller. A session that lasts longer loses its sandbox at that time. 1 hour by default.
    /// </summary>
    public TimeSpan ShutdownAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long one run may take before the model is told it timed out. 60 seconds by default. The runtime stops the process
    /// itself only after its own limit (<c>SANDBOX_EXEC_TIMEOUT_SECONDS</c>, 300 seconds in the reference python runtime).
    /// </summary>
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The most characters of output (standard output and standard error together, or a file's text) returned to the model;
    /// the middle of a longer output is cut and the result says how much. 16384 by default.
    /// </summary>
    public int MaxOutputLength { get; set; } = 16 * 1024;

    /// <summary>The program that runs the code file in the sandbox: <c>python3</c> by default (the reference runtime's language).</summary>
    public string Interpreter { get; set; } = "python3";

    /// <summary>The extension of the file the code is saved as: <c>.py</c> by default.</summary>
    public string FileExtension { get; set; } = ".py";

    /// <summary>The language's name in the function's description: <c>Python</c> by default.</summary>
    public string LanguageName { get; set; } = "Python";

    /// <summary>
    /// Whether the sandbox's template lets it reach the internet (<c>WithInternetEgress</c> on <c>AgentSandboxes.Template</c>).
    /// It only changes what the description tells the model; the template's network policy is what allows or denies. False by default.
    /// </summary>
    public bool InternetAccess { get; set; }

    /// <summary>The name of the function that runs code: <c>run_code_in_kata_sandbox</c> by default.</summary>
    public string FunctionName { get; set; } = "run_code_in_kata_sandbox";

    /// <summary>Labels for the session's <c>SandboxClaim</c>, for example the agent's or the user's name, to find its claims.</summary>
    public IDictionary<string, string> ClaimLabels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
