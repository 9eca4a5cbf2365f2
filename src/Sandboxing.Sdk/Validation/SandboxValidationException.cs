using System.Text;

namespace Sandboxing.Sdk;

/// <summary>Thrown by <c>Build()</c> when a workload has error-level findings; lists every one of them.</summary>
public sealed class SandboxValidationException : SandboxException
{
    /// <summary>Creates the exception from the findings that caused it.</summary>
    public SandboxValidationException(IReadOnlyList<SandboxFinding> findings)
        : base(Describe(findings))
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
