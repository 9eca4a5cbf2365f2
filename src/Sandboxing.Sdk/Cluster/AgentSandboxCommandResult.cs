namespace Sandboxing.Sdk.Cluster;

/// <summary>What a command run in a sandbox printed and how it exited (the runtime's <c>/execute</c> answer).</summary>
public sealed class AgentSandboxCommandResult
{
    internal AgentSandboxCommandResult(string stdout, string stderr, int exitCode)
    {
        Stdout = stdout;
        Stderr = stderr;
        ExitCode = exitCode;
    }

    /// <summary>The command's standard output.</summary>
    public string Stdout { get; }

    /// <summary>The command's standard error (the runtime also puts its own failures here, such as a missing executable).</summary>
    public string Stderr { get; }

    /// <summary>The exit code: 0 for success; the runtime answers 1 when the command could not be started or timed out, -1 when it sent none.</summary>
    public int ExitCode { get; }
}
