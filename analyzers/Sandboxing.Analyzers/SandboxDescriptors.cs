using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Sandboxing.Sdk;

namespace Sandboxing.Analyzers;

/// <summary>The diagnostic IDs the analyzer reports; each one is a rule of the shared catalog (<see cref="SandboxRules"/>).</summary>
public static class RuleIdentifiers
{
    /// <summary>SBX1001: a pod spec built without a runtime class.</summary>
    public const string MissingRuntimeClass = "SBX1001";

    /// <summary>SBX1002: a runtime class that is not an allowed sandbox class.</summary>
    public const string RuntimeClassNotAllowed = "SBX1002";

    /// <summary>SBX1003: a deprecated or retired runtime class.</summary>
    public const string DeprecatedRuntimeClass = "SBX1003";

    /// <summary>SBX2001: a sandboxed pod on the host network.</summary>
    public const string HostNetwork = "SBX2001";

    /// <summary>SBX2002: a sandboxed pod sharing host or process namespaces.</summary>
    public const string HostNamespaces = "SBX2002";

    /// <summary>SBX2003: a privileged container in a sandboxed pod.</summary>
    public const string PrivilegedContainer = "SBX2003";

    /// <summary>SBX2004: a hostPath volume in a sandboxed pod.</summary>
    public const string HostPathVolume = "SBX2004";

    /// <summary>SBX2005: a sandboxed container without a memory limit.</summary>
    public const string MissingMemoryLimit = "SBX2005";
}

/// <summary>
/// The analyzer's descriptors. Title, message, description and help link come from the catalog (<see cref="SandboxRules"/>): the
/// words are never retyped here. The ID, category and severity are written as constants so that release tracking
/// (AnalyzerReleases.*.md) can read them; a test checks that each one equals the catalog's.
/// </summary>
internal static class SandboxDescriptors
{
    public static readonly DiagnosticDescriptor MissingRuntimeClass = new(
        RuleIdentifiers.MissingRuntimeClass, Title(SandboxRules.MissingRuntimeClass), Message(SandboxRules.MissingRuntimeClass),
        SandboxRules.IsolationCategory, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: Description(SandboxRules.MissingRuntimeClass), helpLinkUri: SandboxRules.MissingRuntimeClass.HelpLink);

    public static readonly DiagnosticDescriptor RuntimeClassNotAllowed = new(
        RuleIdentifiers.RuntimeClassNotAllowed, Title(SandboxRules.RuntimeClassNotAllowed), Message(SandboxRules.RuntimeClassNotAllowed),
        SandboxRules.IsolationCategory, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: Description(SandboxRules.RuntimeClassNotAllowed), helpLinkUri: SandboxRules.RuntimeClassNotAllowed.HelpLink);

    public static readonly DiagnosticDescriptor DeprecatedRuntimeClass = new(
        RuleIdentifiers.DeprecatedRuntimeClass, Title(SandboxRules.DeprecatedRuntimeClass), Message(SandboxRules.DeprecatedRuntimeClass),
        SandboxRules.IsolationCategory, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: Description(SandboxRules.DeprecatedRuntimeClass), helpLinkUri: SandboxRules.DeprecatedRuntimeClass.HelpLink);

    public static readonly DiagnosticDescriptor HostNetwork = new(
        RuleIdentifiers.HostNetwork, Title(SandboxRules.HostNetwork), Message(SandboxRules.HostNetwork),
        SandboxRules.CompatibilityCategory, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: Description(SandboxRules.HostNetwork), helpLinkUri: SandboxRules.HostNetwork.HelpLink);

    public static readonly DiagnosticDescriptor HostNamespaces = new(
        RuleIdentifiers.HostNamespaces, Title(SandboxRules.HostNamespaces), Message(SandboxRules.HostNamespaces),
        SandboxRules.CompatibilityCategory, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: Description(SandboxRules.HostNamespaces), helpLinkUri: SandboxRules.HostNamespaces.HelpLink);

    public static readonly DiagnosticDescriptor PrivilegedContainer = new(
        RuleIdentifiers.PrivilegedContainer, Title(SandboxRules.PrivilegedContainer), Message(SandboxRules.PrivilegedContainer),
        SandboxRules.CompatibilityCategory, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: Description(SandboxRules.PrivilegedContainer), helpLinkUri: SandboxRules.PrivilegedContainer.HelpLink);

    public static readonly DiagnosticDescriptor HostPathVolume = new(
        RuleIdentifiers.HostPathVolume, Title(SandboxRules.HostPathVolume), Message(SandboxRules.HostPathVolume),
        SandboxRules.CompatibilityCategory, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: Description(SandboxRules.HostPathVolume), helpLinkUri: SandboxRules.HostPathVolume.HelpLink);

    public static readonly DiagnosticDescriptor MissingMemoryLimit = new(
        RuleIdentifiers.MissingMemoryLimit, Title(SandboxRules.MissingMemoryLimit), Message(SandboxRules.MissingMemoryLimit),
        SandboxRules.CompatibilityCategory, DiagnosticSeverity.Info, isEnabledByDefault: true,
        description: Description(SandboxRules.MissingMemoryLimit), helpLinkUri: SandboxRules.MissingMemoryLimit.HelpLink);

    public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
        MissingRuntimeClass, RuntimeClassNotAllowed, DeprecatedRuntimeClass,
        HostNetwork, HostNamespaces, PrivilegedContainer, HostPathVolume, MissingMemoryLimit);

    /// <summary>The catalog rule behind a descriptor.</summary>
    public static SandboxRule RuleOf(DiagnosticDescriptor descriptor) =>
        SandboxRules.Find(descriptor.Id) ?? throw new System.InvalidOperationException("No catalog rule " + descriptor.Id);

    /// <summary>The catalog severity as a Roslyn severity.</summary>
    public static DiagnosticSeverity ToSeverity(SandboxSeverity severity) => severity switch
    {
        SandboxSeverity.Error => DiagnosticSeverity.Error,
        SandboxSeverity.Warning => DiagnosticSeverity.Warning,
        _ => DiagnosticSeverity.Info,
    };

    private static LocalizableString Title(SandboxRule rule) => rule.Title;

    private static LocalizableString Message(SandboxRule rule) => rule.MessageFormat;

    private static LocalizableString Description(SandboxRule rule) => rule.Fix;
}
