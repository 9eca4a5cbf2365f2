// The one rule catalog: severities, the rule type and the list of every rule. The rules themselves are declared by range in
// SandboxRules.*.cs, and the runtime classes in KnownRuntimeClasses.cs.
//
// The catalog files are compiled into the SDK (net8.0/net10.0) and linked into the Roslyn analyzer (netstandard2.0), so every
// finding has the same ID, title, message and help page wherever it is reported. Keep it free of KubernetesClient types and of
// APIs newer than netstandard2.0. In the analyzer the types are internal (SANDBOXING_ANALYZER is defined there).
#if SANDBOXING_ANALYZER
// The SDK has these as implicit usings; the analyzer (netstandard2.0) does not.
using System;
using System.Collections.Generic;
#endif

namespace Sandboxing.Sdk;

/// <summary>How serious a finding is. The values line up with Roslyn's <c>DiagnosticSeverity</c> names.</summary>
#if SANDBOXING_ANALYZER
internal
#else
public
#endif
enum SandboxSeverity
{
    /// <summary>Advice: the workload runs, but not as well as it could under a VM sandbox.</summary>
    Info = 1,

    /// <summary>The workload runs, but without the isolation it was meant to have, or weakened.</summary>
    Warning = 2,

    /// <summary>The workload cannot run as written (for example host networking, which AKS does not support under Pod Sandboxing).</summary>
    Error = 3,
}

/// <summary>One rule of the catalog: the same ID, words and help page in the SDK, the analyzer and the manifest linter.</summary>
#if SANDBOXING_ANALYZER
internal
#else
public
#endif
sealed class SandboxRule
{
    /// <summary>Where the rule pages live; each rule's <see cref="HelpLink"/> is this plus <c>{Id}.md</c>.</summary>
    public const string HelpLinkBase = "https://github.com/sandboxing-sdk/Sandboxing.Sdk/blob/main/docs/rules/";

    internal SandboxRule(string id, string category, SandboxSeverity defaultSeverity, string title, string messageFormat, string fix)
    {
        Id = id;
        Category = category;
        DefaultSeverity = defaultSeverity;
        Title = title;
        MessageFormat = messageFormat;
        Fix = fix;
    }

    /// <summary>The stable identifier, <c>SBXnnnn</c>. An ID never changes meaning once shipped.</summary>
    public string Id { get; }

    /// <summary>The group the rule belongs to (<c>Correctness</c>, <c>Isolation</c>, <c>Compatibility</c>, <c>NodePool</c>).</summary>
    public string Category { get; }

    /// <summary>The severity a finding of this rule has unless configured otherwise.</summary>
    public SandboxSeverity DefaultSeverity { get; }

    /// <summary>A short title, for lists and SARIF rule metadata.</summary>
    public string Title { get; }

    /// <summary>
    /// The message, a composite format string (<c>{0}</c>, <c>{1}</c>, …) stating the problem and then the fix; the analyzer uses
    /// it as its <c>messageFormat</c> and the SDK formats it with <see cref="Format"/>.
    /// </summary>
    public string MessageFormat { get; }

    /// <summary>How to fix a finding, in one sentence.</summary>
    public string Fix { get; }

    /// <summary>The rule's documentation page.</summary>
    public string HelpLink => HelpLinkBase + Id + ".md";

    /// <summary>Formats <see cref="MessageFormat"/> with the given arguments (invariant culture).</summary>
    public string Format(params object?[] args) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, MessageFormat, args);

    /// <inheritdoc />
    public override string ToString() => Id + ": " + Title;
}

/// <summary>The rule catalog. Every rule the SDK validator, the analyzer and the manifest linter report is declared here.</summary>
#if SANDBOXING_ANALYZER
internal
#else
public
#endif
static partial class SandboxRules
{
    /// <summary>Rule category for malformed objects (names Kubernetes would reject).</summary>
    public const string CorrectnessCategory = "Correctness";

    /// <summary>Rule category for workloads that run without VM isolation.</summary>
    public const string IsolationCategory = "Isolation";

    /// <summary>Rule category for pod settings that a VM sandbox does not support or that weaken it.</summary>
    public const string CompatibilityCategory = "Compatibility";

    /// <summary>Rule category for AKS node pools that cannot run Kata pods.</summary>
    public const string NodePoolCategory = "NodePool";

    /// <summary>Rule category for generated admission policies that would not do what was asked (SBX5xxx).</summary>
    public const string PolicyCategory = "Policy";

    // The list lives in a nested class: static fields of a partial class initialise in an unspecified order across its
    // files, and the nested class initialises only after every rule field exists.
    private static class Table
    {
        internal static readonly SandboxRule[] All =
        {
            InvalidName, UnrenderedTemplateValue, UnknownPodSpecPath,
            MissingRuntimeClass, RuntimeClassNotAllowed, DeprecatedRuntimeClass, OptOutWithoutReason,
            HostNetwork, HostNamespaces, PrivilegedContainer, HostPathVolume, MissingMemoryLimit, CpuRequestNotLimit, MemoryLimitTooSmall,
            RunAsNonRootWithoutUser, InvalidQuantity,
            NodePoolOsSkuNotAzureLinux, NodePoolWindows, NodePoolVmSizeUnsupported, NodePoolVmSizeUnknown, NodePoolFips,
            NodePoolApiVersionLacksRuntime, NodePoolLegacyRuntime, NodePoolRuntimeNotKata, NodePoolInvalidName, NodePoolCountOutOfRange,
            NodePoolInvalidSetting, NodePoolKubernetesTooOld, NodePoolTaintNotTolerated, NodePoolAzureLinux2, NodePoolAzureLinux3OutOfRange,
            NodePoolAzureLinux3NotDocumented, NodePoolOsSkuRenamed, NodePoolArm64Size, NodePoolTrustedLaunch, NodePoolConfidentialVmSize,
            NodePoolArtifactStreaming,
            PolicyKubernetesTooOld, PolicyNeedsFeatureGate, PolicyExemptsControllers, PolicyUserExemptionMissesControllerPods,
            PolicySelectsKubeSystem, PolicyRuntimeClassMustExist, PolicyHonorsAnnotations, PolicyExemptsTenantJoinableGroup,
            ClusterNoNetworkPolicy, ClusterWorkloadIdentity, ClusterIdentityNotEntra, ClusterNetworkPolicyDataplane, ClusterInvalidSetting, ClusterNoKataPool,
            TenantInvalidSetting, TenantNoDefaultDeny, TenantEgressToMetadata, TenantEgressToPrivateRanges, TenantNoQuota,
            TenantServiceAccountToken, TenantWorkloadIdentityMismatch, TenantStorageWithoutCustomerKey, TenantPodSecurityNotRestricted,
            TenantIngressFromEverywhere,
            TenantIpBlockInClusterOnCilium,
        };
    }

    /// <summary>Every rule, in ID order.</summary>
    public static IReadOnlyList<SandboxRule> All => Table.All;

    /// <summary>Finds a rule by ID (case-insensitive); null when there is none.</summary>
    public static SandboxRule? Find(string id)
    {
        foreach (var rule in Table.All)
        {
            if (string.Equals(rule.Id, id, StringComparison.OrdinalIgnoreCase))
            {
                return rule;
            }
        }

        return null;
    }
}
