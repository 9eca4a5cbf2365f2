
namespace Sandboxing.Sdk;

/// <summary>
/// One finding of the validator: the rule, the severity, the object (kind, namespace, name), the field path and the message.
/// The same rule IDs and words appear in the analyzer and the manifest linter.
/// </summary>
public sealed class SandboxFinding
{
    internal SandboxFinding(SandboxRule rule, SandboxSeverity severity, string kind, string? @namespace, string? name, string path, string message)
    {
        Rule = rule;
        Severity = severity;
        Kind = kind;
        Namespace = @namespace;
        Name = name;
        Path = path;
        Message = message;
    }

    /// <summary>The catalog rule.</summary>
    public SandboxRule Rule { get; }

    /// <summary>The severity of this finding (usually the rule's default).</summary>
    public SandboxSeverity Severity { get; }

    /// <summary>The object's kind.</summary>
    public string Kind { get; }

    /// <summary>The object's namespace, or null.</summary>
    public string? Namespace { get; }

    /// <summary>The object's name, or null.</summary>
    public string? Name { get; }

    /// <summary>The field the finding is about, such as <c>spec.template.spec.hostNetwork</c>.</summary>
    public string Path { get; }

    /// <summary>What is wrong and how to fix it.</summary>
    public string Message { get; }

    /// <summary>The rule ID (<c>SBXnnnn</c>).</summary>
    public string RuleId => Rule.Id;

    /// <summary>The rule's documentation page.</summary>
    public string HelpLink => Rule.HelpLink;

    /// <summary>How to fix the finding, in one sentence.</summary>
    public string Fix => Rule.Fix;

    /// <summary>The same finding with another severity (configuration, strict mode).</summary>
    internal SandboxFinding WithSeverity(SandboxSeverity severity) => new(Rule, severity, Kind, Namespace, Name, Path, Message);

    /// <summary>The same finding with another message (context added by the reader that reports it).</summary>
    internal SandboxFinding WithMessage(string message) => new(Rule, Severity, Kind, Namespace, Name, Path, message);

    /// <summary>One line: <c>SBX2001 error Deployment ns/name spec.template.spec.hostNetwork: message</c>.</summary>
    public override string ToString() =>
        $"{Rule.Id} {Severity.ToString().ToLowerInvariant()} {Kind} {(string.IsNullOrEmpty(Namespace) ? "" : Namespace + "/")}{Name ?? "(unnamed)"} {Path}: {Message}";
}
