namespace Sandboxing.Sdk;

/// <summary>
/// A manifest that cannot be read or bound: carries every <see cref="ManifestProblem"/> found (file, line, column and what is
/// wrong). The one exception of the manifest tools: <see cref="SandboxManifest.Read(string, string)"/>, <see cref="ManifestSource"/> and the
/// binding of YAML onto models all throw it.
/// </summary>
public sealed class ManifestException : SandboxException
{
    /// <summary>Creates the exception for one problem.</summary>
    /// <param name="problem">What is wrong and where.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ManifestException(ManifestProblem problem, Exception? innerException = null)
        : this([problem ?? throw new ArgumentNullException(nameof(problem))], innerException)
    {
    }

    /// <summary>Creates the exception for one or more problems.</summary>
    /// <param name="problems">What is wrong and where (at least one).</param>
    /// <param name="innerException">The cause, if any.</param>
    public ManifestException(IReadOnlyList<ManifestProblem> problems, Exception? innerException = null)
        : base(Format(problems), innerException)
    {
        Problems = problems;
    }

    /// <summary>Every problem, in the order found; never empty.</summary>
    public IReadOnlyList<ManifestProblem> Problems { get; }

    /// <summary>The file name or other label of the input (of the first problem).</summary>
    public new string Source => Problems[0].Source;

    /// <summary>The YAML document (1-based) of the first problem; 0 when it concerns the whole input.</summary>
    public int DocumentIndex => Problems[0].DocumentIndex;

    /// <summary>The line (1-based) of the first problem; 0 when it concerns the whole input.</summary>
    public int Line => Problems[0].Line;

    /// <summary>The column (1-based) of the first problem; 0 when it concerns the whole input.</summary>
    public int Column => Problems[0].Column;

    /// <summary>What is wrong (the first problem), without the location.</summary>
    public string Problem => Problems[0].Message;

    private static string Format(IReadOnlyList<ManifestProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count == 0)
        {
            throw new ArgumentException("A ManifestException needs at least one problem.", nameof(problems));
        }

        return string.Join(Environment.NewLine, problems.Select(p => p.DocumentIndex > 0 && p.Line > 0
            ? $"{p.Source}:{p.Line}:{p.Column}: document {p.DocumentIndex}: {p.Message}"
            : p.ToString()));
    }
}
