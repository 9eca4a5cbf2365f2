namespace Sandboxing.Sdk;

/// <summary>The outcome of linting one manifest.</summary>
public sealed class ManifestLintResult
{
    internal ManifestLintResult(string source, IReadOnlyList<ManifestFinding> findings, IReadOnlyList<ManifestProblem> problems, int podObjects)
    {
        Source = source;
        Findings = findings;
        Problems = problems;
        PodObjects = podObjects;
    }

    /// <summary>The file name, or <c>&lt;stdin&gt;</c>.</summary>
    public string Source { get; }

    /// <summary>The findings, in document order.</summary>
    public IReadOnlyList<ManifestFinding> Findings { get; }

    /// <summary>What could not be read (a syntax error stops the file; a schema error stops its object).</summary>
    public IReadOnlyList<ManifestProblem> Problems { get; }

    /// <summary>How many pod-bearing objects were checked.</summary>
    public int PodObjects { get; }

    /// <summary>The same file with other findings and problems (configuration applied, problems found beside the linter).</summary>
    internal ManifestLintResult With(IReadOnlyList<ManifestFinding> findings, IReadOnlyList<ManifestProblem> problems) =>
        new(Source, findings, problems, PodObjects);
}
