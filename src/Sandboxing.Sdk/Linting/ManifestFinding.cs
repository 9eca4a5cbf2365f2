namespace Sandboxing.Sdk;

/// <summary>A finding placed in a file: line and column of the offending field (or of its nearest existing parent).</summary>
public sealed class ManifestFinding
{
    internal ManifestFinding(SandboxFinding finding, string source, int line, int column, int documentIndex, bool fieldExists)
    {
        Finding = finding;
        Source = source;
        Line = line;
        Column = column;
        DocumentIndex = documentIndex;
        FieldExists = fieldExists;
    }

    /// <summary>The validator's finding (rule, severity, object, field path, message).</summary>
    public SandboxFinding Finding { get; }

    /// <summary>The file name, or <c>&lt;stdin&gt;</c>.</summary>
    public string Source { get; }

    /// <summary>The line (1-based).</summary>
    public int Line { get; }

    /// <summary>The column (1-based).</summary>
    public int Column { get; }

    /// <summary>The YAML document (1-based).</summary>
    public int DocumentIndex { get; }

    /// <summary>False when the field is missing and the location is that of its nearest existing parent.</summary>
    public bool FieldExists { get; }

    /// <summary>The same placement with another finding (a severity set by configuration).</summary>
    internal ManifestFinding WithFinding(SandboxFinding finding) => new(finding, Source, Line, Column, DocumentIndex, FieldExists);

    /// <summary><c>file:line:column: severity SBXnnnn: message</c>.</summary>
    public override string ToString() =>
        $"{Source}:{Line}:{Column}: {Finding.Severity.ToString().ToLowerInvariant()} {Finding.RuleId}: {Finding.Message}";
}
