namespace Sandboxing.Sdk;

/// <summary>
/// The base of every exception the SDK throws on purpose: catch it to handle any sandboxing failure. It is thrown as is when an
/// operation cannot be carried out as asked (for example hardening an object that opted out); subclasses carry what a caller
/// needs to react differently: <c>SandboxValidationException</c> (the findings), <c>ManifestException</c> (the file, line and
/// column of each problem) and <c>SandboxDeployException</c> (the API server's answer).
/// </summary>
public class SandboxException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, where, and how to fix it.</param>
    public SandboxException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the exception that caused it.</summary>
    /// <param name="message">What went wrong, where, and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public SandboxException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
