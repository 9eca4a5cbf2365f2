using System.Text;

namespace Sandboxing.Sdk;

/// <summary>
/// Thrown when what was asked has error-level findings, which it lists: by <c>Build()</c> for a workload, and by a
/// <c>SandboxPolicy</c>'s <c>ToYaml()</c> and Kyverno methods for a policy whose <c>Validate()</c> has errors (SBX5xxx).
/// </summary>
public sealed class SandboxValidationException : SandboxException
{
    /// <summary>Creates the exception from the findings that caused it.</summary>
    public SandboxValidationException(IReadOnlyList<SandboxFinding> findings)
        : this(null, findings)
    {
    }

    /// <summary>Creates the exception with a first line that says what could not be done (such as generating a policy).</summary>
    internal SandboxValidationException(string? what, IReadOnlyList<SandboxFinding> findings)
        : base((what is null ? "" : what + Environment.NewLine) + Describe(findings ?? throw new ArgumentNullException(nameof(findings))))
    {
        Findings = findings;
    }

    /// <summary>Every error-level finding, in the order the validator reported them.</summary>
    public IReadOnlyList<SandboxFinding> Findings { get; }

    private static string Describe(IReadOnlyList<SandboxFinding> findings)
    {
        var text = new StringBuilder();
        text.Append(findings.Count == 1 ? "1 sandboxing error:" : $"{findings.Count} sandboxing errors:");
        foreach (var finding in findings)
        {
            text.Append(Environment.NewLine).Append("  ").Append(finding.RuleId).Append(' ').Append(finding.Path).Append(": ")
                .Append(finding.Message).Append(" (").Append(finding.HelpLink).Append(')');
        }

        return text.ToString();
    }
}
