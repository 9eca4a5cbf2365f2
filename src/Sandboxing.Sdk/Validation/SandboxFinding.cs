
namespace Sandboxing.Sdk;

/// <summary>
/// One finding of the validator: the rule, the severity, the object (kind, namespace, name), the field path and the message.
/// The same rule IDs and words appear in the analyzer and the manifest linter.
/// </summary>
/// <param name="Rule">The catalog rule.</param>
/// <param name="Severity">The severity of this finding (usually the rule's default).</param>
/// <param name="Kind">The object's kind.</param>
/// <param name="Namespace">The object's namespace, or null.</param>
/// <param name="Name">The object's name, or null.</param>
/// <param name="Path">The field the finding is about, such as <c>spec.template.spec.hostNetwork</c>.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record SandboxFinding(
    SandboxRule Rule, SandboxSeverity Severity, string Kind, string? Namespace, string? Name, string Path, string Message)
{
    /// <summary>The rule ID (<c>SBXnnnn</c>).</summary>
    public string RuleId => Rule.Id;

    /// <summary>The rule's documentation page.</summary>
    public string HelpLink => Rule.HelpLink;

    /// <summary>How to fix the finding, in one sentence.</summary>
    public string Fix => Rule.Fix;

    /// <summary>One line: <c>SBX2001 error Deployment ns/name spec.template.spec.hostNetwork: message</c>.</summary>
    public override string ToString() =>
        $"{Rule.Id} {Severity.ToString().ToLowerInvariant()} {Kind} {(string.IsNullOrEmpty(Namespace) ? "" : Namespace + "/")}{Name ?? "(unnamed)"} {Path}: {Message}";
}
