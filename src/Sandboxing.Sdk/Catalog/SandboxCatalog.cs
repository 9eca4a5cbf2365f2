// The one rule catalog and the one table of known runtime classes.
//
// This file is compiled into the SDK (net8.0/net10.0) and linked into the Roslyn analyzer (netstandard2.0), so every finding
// has the same ID, title, message and help page wherever it is reported. Keep it free of KubernetesClient types and of
// APIs newer than netstandard2.0. In the analyzer the types are internal (SANDBOXING_ANALYZER is defined there).
using System;
using System.Collections.Generic;

namespace Sandboxing.Sdk.Catalog;

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

    /// <summary>The workload cannot run as written (for example a Kata pod with host networking never starts).</summary>
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
static class SandboxRules
{
    /// <summary>Rule category for malformed objects (names Kubernetes would reject).</summary>
    public const string CorrectnessCategory = "Correctness";

    /// <summary>Rule category for workloads that run without VM isolation.</summary>
    public const string IsolationCategory = "Isolation";

    /// <summary>Rule category for pod settings that a VM sandbox does not support or that weaken it.</summary>
    public const string CompatibilityCategory = "Compatibility";

    /// <summary>Rule category for AKS node pools that cannot run Kata pods.</summary>
    public const string NodePoolCategory = "NodePool";

    /// <summary>SBX0001: a name Kubernetes would reject.</summary>
    public static readonly SandboxRule InvalidName = new(
        "SBX0001", CorrectnessCategory, SandboxSeverity.Error,
        "Name is not valid for Kubernetes",
        "{0} '{1}' is not valid: {2}",
        "Use lowercase letters, digits and '-' (and '.' where a DNS subdomain is allowed), starting and ending with a letter or digit.");

    /// <summary>SBX0002: a pod-spec value the rules read is an unrendered template expression (manifests only).</summary>
    public static readonly SandboxRule UnrenderedTemplateValue = new(
        "SBX0002", CorrectnessCategory, SandboxSeverity.Warning,
        "Pod-spec value is an unrendered template expression",
        "{0} has an unrendered template expression in {1} ('{2}'), so the sandbox rules cannot check it; render the manifests first",
        "Lint the rendered output (helm template <release> <chart> | sandboxing lint -), or write the value out.");

    /// <summary>SBX1001: a pod that runs on the shared host kernel.</summary>
    public static readonly SandboxRule MissingRuntimeClass = new(
        "SBX1001", IsolationCategory, SandboxSeverity.Warning,
        "Pod has no sandbox runtime class",
        "{0} has no runtimeClassName, so its pods run on the shared host kernel; set runtimeClassName to '{1}' or call Sandbox()",
        "Set spec.runtimeClassName to a sandbox runtime class such as kata-vm-isolation (or call Sandbox() / run 'sandboxing fix').");

    /// <summary>SBX1002: a runtime class that is not an allowed sandbox class.</summary>
    public static readonly SandboxRule RuntimeClassNotAllowed = new(
        "SBX1002", IsolationCategory, SandboxSeverity.Warning,
        "Runtime class is not an allowed sandbox class",
        "{0} uses runtimeClassName '{1}', which is not an allowed sandbox runtime class ({2}); use '{3}'",
        "Use one of the allowed sandbox runtime classes, or add the class to the allowed list if it really is a VM sandbox.");

    /// <summary>SBX1003: a deprecated or retired runtime class.</summary>
    public static readonly SandboxRule DeprecatedRuntimeClass = new(
        "SBX1003", IsolationCategory, SandboxSeverity.Warning,
        "Runtime class is deprecated or retired",
        "{0} uses runtimeClassName '{1}', which is {2}; use '{3}'",
        "Rename the runtime class to its current name (kata-mshv-vm-isolation becomes kata-vm-isolation).");

    /// <summary>SBX1004: an opt-out from sandboxing that gives no reason.</summary>
    public static readonly SandboxRule OptOutWithoutReason = new(
        "SBX1004", IsolationCategory, SandboxSeverity.Warning,
        "Sandbox opt-out without a reason",
        "{0} opts out of sandboxing with annotation '{1}' but gives no reason; write why the workload cannot run in a VM sandbox",
        "Give the reason as the annotation's value, for example WithoutSandbox(\"node agent needs host networking\").");

    /// <summary>SBX2001: host networking, which Kata does not support.</summary>
    public static readonly SandboxRule HostNetwork = new(
        "SBX2001", CompatibilityCategory, SandboxSeverity.Error,
        "Sandboxed pod uses the host network",
        "{0} sets hostNetwork: true, which a Kata VM sandbox does not support (the pod never starts); remove hostNetwork or opt the workload out of sandboxing",
        "Remove hostNetwork and expose the pod through a Service, or opt the workload out of sandboxing with a reason.");

    /// <summary>SBX2002: host PID or IPC namespaces, or a shared process namespace.</summary>
    public static readonly SandboxRule HostNamespaces = new(
        "SBX2002", CompatibilityCategory, SandboxSeverity.Warning,
        "Sandboxed pod shares a host or process namespace",
        "{0} sets {1}: true, which a VM sandbox does not honour or supports only inside the guest; remove it",
        "Remove hostPID, hostIPC and shareProcessNamespace from sandboxed pods.");

    /// <summary>SBX2003: a privileged container.</summary>
    public static readonly SandboxRule PrivilegedContainer = new(
        "SBX2003", CompatibilityCategory, SandboxSeverity.Warning,
        "Sandboxed container is privileged",
        "{0} runs container '{1}' privileged: it is root in the guest VM and gets no host devices; drop privileged and add only the capabilities it needs",
        "Set securityContext.privileged to false and grant specific capabilities instead.");

    /// <summary>SBX2004: a hostPath volume.</summary>
    public static readonly SandboxRule HostPathVolume = new(
        "SBX2004", CompatibilityCategory, SandboxSeverity.Warning,
        "Sandboxed pod mounts a hostPath volume",
        "{0} mounts hostPath '{1}' through volume '{2}', which shares host files into the guest and weakens isolation; use an emptyDir, configMap, secret or persistentVolumeClaim",
        "Replace the hostPath volume with emptyDir, configMap, secret, projected or persistentVolumeClaim.");

    /// <summary>SBX2005: a sandboxed container without a memory limit (the VM gets the 512Mi default).</summary>
    public static readonly SandboxRule MissingMemoryLimit = new(
        "SBX2005", CompatibilityCategory, SandboxSeverity.Info,
        "Sandboxed container has no memory limit",
        "{0} has no memory limit on container '{1}', so its Kata VM gets the default 512Mi; set resources.limits.memory to what it needs",
        "Set resources.limits.memory (and the same request) for every container: the limit sizes the pod's VM.");

    /// <summary>SBX2006: a CPU request that differs from the CPU limit.</summary>
    public static readonly SandboxRule CpuRequestNotLimit = new(
        "SBX2006", CompatibilityCategory, SandboxSeverity.Info,
        "CPU request differs from the CPU limit",
        "{0} requests {2} CPU but limits container '{1}' to {3}: the Kata shim sizes the VM from limits and cannot see requests; make the request equal to the limit",
        "Set resources.requests.cpu equal to resources.limits.cpu (WithResources does this).");

    /// <summary>SBX2007: a memory limit too small for a VM sandbox.</summary>
    public static readonly SandboxRule MemoryLimitTooSmall = new(
        "SBX2007", CompatibilityCategory, SandboxSeverity.Error,
        "Memory limit is too small for a VM sandbox",
        "{0} limits container '{1}' to {2} of memory, under the {3} a Kata VM needs for its kernel and agent; raise the limit",
        "Raise resources.limits.memory to at least 128Mi (more for real workloads: the guest kernel and agent use part of it).");

    // SBX3xxx (AKS node pools) are declared below, in the node pool section.
    // <node-pool-rules>
    /// <summary>SBX3001: an AKS node pool whose OS SKU is not Azure Linux (Pod Sandboxing runs only on Azure Linux).</summary>
    public static readonly SandboxRule NodePoolOsSkuNotAzureLinux = new(
        "SBX3001", NodePoolCategory, SandboxSeverity.Error,
        "Node pool OS SKU is not Azure Linux",
        "Node pool '{0}' uses OS SKU '{1}', but only Azure Linux supports Pod Sandboxing; use '{2}'",
        "Set the OS SKU to AzureLinux (or AzureLinux3); Ubuntu, Mariner/CBLMariner and Windows pools cannot run Kata pods.");

    /// <summary>SBX3002: a Windows node pool, which cannot run Kata VM isolation.</summary>
    public static readonly SandboxRule NodePoolWindows = new(
        "SBX3002", NodePoolCategory, SandboxSeverity.Error,
        "Node pool runs Windows",
        "Node pool '{0}' runs {1}, which cannot host Kata VM sandboxes; use a Linux pool with OS SKU AzureLinux",
        "Use osType Linux with osSKU AzureLinux for the sandboxing pool; keep Windows workloads on a separate pool.");

    /// <summary>SBX3003: a VM size without nested virtualization or Generation 2 support.</summary>
    public static readonly SandboxRule NodePoolVmSizeUnsupported = new(
        "SBX3003", NodePoolCategory, SandboxSeverity.Error,
        "VM size cannot run Kata VM isolation",
        "Node pool '{0}' uses VM size '{1}' ({2}), which cannot run Pod Sandboxing: {3}; choose a Generation 2 size with nested virtualization such as '{4}'",
        "Choose a Generation 2 VM size that supports nested virtualization (for example Standard_D4s_v5 or Standard_E4s_v5).");

    /// <summary>SBX3004: a VM size the SDK's catalog does not know, or whose nested-virtualization support is unconfirmed.</summary>
    public static readonly SandboxRule NodePoolVmSizeUnknown = new(
        "SBX3004", NodePoolCategory, SandboxSeverity.Warning,
        "VM size is not confirmed for Kata VM isolation",
        "Node pool '{0}' uses VM size '{1}', {2}; check on its Azure size page that it is Generation 2 and supports nested virtualization, or pick a confirmed size such as '{3}'",
        "Check the size's Azure documentation page for 'Nested virtualization: Supported' and Generation 2, or choose a size from the SDK's VM size catalog.");

    /// <summary>SBX3005: a FIPS-enabled node pool.</summary>
    public static readonly SandboxRule NodePoolFips = new(
        "SBX3005", NodePoolCategory, SandboxSeverity.Error,
        "Node pool enables FIPS",
        "Node pool '{0}' enables FIPS, which Kata VM isolation does not support; disable FIPS on the sandboxing pool",
        "Set enableFIPS to false on the sandboxing pool; run FIPS workloads on a separate, non-sandboxed pool.");

    /// <summary>SBX3006: an ARM API version whose workloadRuntime enum lacks the chosen runtime.</summary>
    public static readonly SandboxRule NodePoolApiVersionLacksRuntime = new(
        "SBX3006", NodePoolCategory, SandboxSeverity.Error,
        "API version does not know the workload runtime",
        "Node pool '{0}' uses API version '{1}', which does not accept workloadRuntime '{2}' ({3}); use API version '{4}'",
        "Use an API version that lists the runtime: 2025-09-01 or later for KataVmIsolation (the SDK's default), a preview version for KataMshvVmIsolation.");

    /// <summary>SBX3007: the preview workload runtime KataMshvVmIsolation.</summary>
    public static readonly SandboxRule NodePoolLegacyRuntime = new(
        "SBX3007", NodePoolCategory, SandboxSeverity.Warning,
        "Legacy workload runtime KataMshvVmIsolation",
        "Node pool '{0}' uses the preview workload runtime 'KataMshvVmIsolation', deprecated in favour of 'KataVmIsolation' (GA), which stable API versions require; switch to 'KataVmIsolation'",
        "Use workloadRuntime KataVmIsolation with a stable API version (2025-09-01 or later) and the pod runtime class kata-vm-isolation.");

    /// <summary>SBX3008: a workload runtime that is not Kata VM isolation (OCIContainer, WasmWasi, the retired KataCcIsolation).</summary>
    public static readonly SandboxRule NodePoolRuntimeNotKata = new(
        "SBX3008", NodePoolCategory, SandboxSeverity.Error,
        "Workload runtime is not Kata VM isolation",
        "Node pool '{0}' uses workload runtime '{1}', {2}; use 'KataVmIsolation'",
        "Set workloadRuntime to KataVmIsolation on the sandboxing pool.");

    /// <summary>SBX3009: an agent pool name AKS rejects.</summary>
    public static readonly SandboxRule NodePoolInvalidName = new(
        "SBX3009", NodePoolCategory, SandboxSeverity.Error,
        "Node pool name is not valid",
        "Node pool name '{0}' is not valid: {1}; use 1 to 12 lowercase letters and digits, starting with a letter",
        "Name the pool with 1 to 12 lowercase letters and digits, starting with a letter (^[a-z][a-z0-9]{0,11}$), for example 'kata'.");

    /// <summary>SBX3010: a node count or autoscaling bounds out of range.</summary>
    public static readonly SandboxRule NodePoolCountOutOfRange = new(
        "SBX3010", NodePoolCategory, SandboxSeverity.Error,
        "Node count or autoscaling bounds are out of range",
        "Node pool '{0}': {1}",
        "Keep counts within 0 to 1000 for User pools (1 to 1000 for System pools) and make minCount no greater than maxCount.");

    /// <summary>SBX3011: a node pool setting AKS rejects (empty cluster name, bad label, taint, zone, subnet ID, disk size, …).</summary>
    public static readonly SandboxRule NodePoolInvalidSetting = new(
        "SBX3011", NodePoolCategory, SandboxSeverity.Error,
        "Node pool setting is not valid",
        "Node pool '{0}': {1}",
        "Correct the named setting as the message says; AKS would reject the pool as written.");

    /// <summary>SBX3012: a Kubernetes version older than Pod Sandboxing supports.</summary>
    public static readonly SandboxRule NodePoolKubernetesTooOld = new(
        "SBX3012", NodePoolCategory, SandboxSeverity.Error,
        "Kubernetes version is too old for Pod Sandboxing",
        "Node pool '{0}' runs Kubernetes {1}, but Pod Sandboxing needs {2} or later; raise orchestratorVersion",
        "Set the orchestrator version to 1.27.0 or later (or leave it unset to follow the cluster).");

    /// <summary>SBX3013: a workload whose pods do not tolerate the taints of the node pool meant to run them.</summary>
    public static readonly SandboxRule NodePoolTaintNotTolerated = new(
        "SBX3013", NodePoolCategory, SandboxSeverity.Warning,
        "Pods do not tolerate the node pool's taint",
        "{0} does not tolerate taint '{1}' of node pool '{2}', so its pods will never be scheduled there; add the pool's tolerations",
        "Add the pool's tolerations to the pods: builder.WithNodePool(pool), WithTolerations(pool.PodTolerations) or obj.Sandbox(pool).");
    // </node-pool-rules>

    private static readonly SandboxRule[] s_all =
    {
        InvalidName, UnrenderedTemplateValue,
        MissingRuntimeClass, RuntimeClassNotAllowed, DeprecatedRuntimeClass, OptOutWithoutReason,
        HostNetwork, HostNamespaces, PrivilegedContainer, HostPathVolume, MissingMemoryLimit, CpuRequestNotLimit, MemoryLimitTooSmall,
        NodePoolOsSkuNotAzureLinux, NodePoolWindows, NodePoolVmSizeUnsupported, NodePoolVmSizeUnknown, NodePoolFips,
        NodePoolApiVersionLacksRuntime, NodePoolLegacyRuntime, NodePoolRuntimeNotKata, NodePoolInvalidName, NodePoolCountOutOfRange,
        NodePoolInvalidSetting, NodePoolKubernetesTooOld, NodePoolTaintNotTolerated,
    };

    /// <summary>Every rule, in ID order.</summary>
    public static IReadOnlyList<SandboxRule> All => s_all;

    /// <summary>Finds a rule by ID (case-insensitive); null when there is none.</summary>
    public static SandboxRule? Find(string id)
    {
        foreach (var rule in s_all)
        {
            if (string.Equals(rule.Id, id, StringComparison.OrdinalIgnoreCase))
            {
                return rule;
            }
        }

        return null;
    }
}

/// <summary>Where a runtime class comes from.</summary>
#if SANDBOXING_ANALYZER
internal
#else
public
#endif
enum SandboxPlatform
{
    /// <summary>A runtime class the user defines; no platform installs it.</summary>
    Custom = 0,

    /// <summary>Azure Kubernetes Service Pod Sandboxing (Kata on Azure Linux, Cloud Hypervisor, Microsoft Hyper-V).</summary>
    Aks,

    /// <summary>GKE Sandbox (gVisor).</summary>
    Gke,

    /// <summary>Amazon EKS Nitro sandboxes.</summary>
    Eks,

    /// <summary>OpenShift sandboxed containers.</summary>
    OpenShift,

    /// <summary>Alibaba Cloud ACK sandboxed containers (runV).</summary>
    AlibabaCloud,

    /// <summary>Upstream Kata Containers installed with the kata-deploy Helm chart.</summary>
    KataDeploy,
}

/// <summary>Whether a runtime class should still be used.</summary>
#if SANDBOXING_ANALYZER
internal
#else
public
#endif
enum RuntimeClassStatus
{
    /// <summary>Generally available: use it.</summary>
    Current = 0,

    /// <summary>In preview: works, but the name or behaviour may change.</summary>
    Preview,

    /// <summary>Still accepted, but replaced by a newer class (see the replacement name).</summary>
    Deprecated,

    /// <summary>Removed by its platform: pods that ask for it are rejected.</summary>
    Retired,
}

/// <summary>
/// One row of the table of runtime classes the SDK knows: its name, platform and status, and what the installed RuntimeClass
/// carries (handler, overhead, node selector, toleration), as plain strings so the analyzer can share the table.
/// </summary>
#if SANDBOXING_ANALYZER
internal
#else
public
#endif
sealed class KnownRuntimeClass
{
    internal KnownRuntimeClass(
        string name, SandboxPlatform platform, RuntimeClassStatus status, string handler, string description, string source,
        string? replacedBy = null, string? overheadMemory = null, string? overheadCpu = null,
        string? nodeSelectorKey = null, string? nodeSelectorValue = null,
        string? tolerationKey = null, string? tolerationValue = null, string? tolerationEffect = null)
    {
        Name = name;
        Platform = platform;
        Status = status;
        Handler = handler;
        Description = description;
        Source = source;
        ReplacedBy = replacedBy;
        OverheadMemory = overheadMemory;
        OverheadCpu = overheadCpu;
        NodeSelectorKey = nodeSelectorKey;
        NodeSelectorValue = nodeSelectorValue;
        TolerationKey = tolerationKey;
        TolerationValue = tolerationValue;
        TolerationEffect = tolerationEffect;
    }

    /// <summary>The RuntimeClass name a pod puts in <c>spec.runtimeClassName</c>.</summary>
    public string Name { get; }

    /// <summary>The platform that installs the class.</summary>
    public SandboxPlatform Platform { get; }

    /// <summary>Whether the class should still be used.</summary>
    public RuntimeClassStatus Status { get; }

    /// <summary>The CRI handler the RuntimeClass names.</summary>
    public string Handler { get; }

    /// <summary>One line on what the class is.</summary>
    public string Description { get; }

    /// <summary>The public source of these facts.</summary>
    public string Source { get; }

    /// <summary>For a deprecated or retired class, the class to use instead; otherwise null.</summary>
    public string? ReplacedBy { get; }

    /// <summary>The <c>overhead.podFixed</c> memory of the installed RuntimeClass, when known.</summary>
    public string? OverheadMemory { get; }

    /// <summary>The <c>overhead.podFixed</c> CPU of the installed RuntimeClass, when known.</summary>
    public string? OverheadCpu { get; }

    /// <summary>The node label the installed RuntimeClass selects (its <c>scheduling.nodeSelector</c>), when known.</summary>
    public string? NodeSelectorKey { get; }

    /// <summary>The value of <see cref="NodeSelectorKey"/>.</summary>
    public string? NodeSelectorValue { get; }

    /// <summary>The taint key of the platform's sandbox nodes, which pods must tolerate; null when the nodes are not tainted.</summary>
    public string? TolerationKey { get; }

    /// <summary>The value of the taint named by <see cref="TolerationKey"/>.</summary>
    public string? TolerationValue { get; }

    /// <summary>The effect of the taint named by <see cref="TolerationKey"/> (<c>NoSchedule</c>).</summary>
    public string? TolerationEffect { get; }

    /// <summary>True when pods should not use this class any more.</summary>
    public bool IsObsolete => Status == RuntimeClassStatus.Deprecated || Status == RuntimeClassStatus.Retired;
}

/// <summary>The table of runtime classes the SDK knows (DOMAIN.md §1 and §5). The runtime presets are built from it.</summary>
#if SANDBOXING_ANALYZER
internal
#else
public
#endif
static class KnownRuntimeClasses
{
    /// <summary>The AKS Pod Sandboxing class (GA): the SDK's default.</summary>
    public const string KataVmIsolation = "kata-vm-isolation";

    /// <summary>The AKS preview class, deprecated in favour of <see cref="KataVmIsolation"/>.</summary>
    public const string KataMshvVmIsolation = "kata-mshv-vm-isolation";

    /// <summary>The AKS Confidential Containers class, retired in March 2026.</summary>
    public const string KataCcIsolation = "kata-cc-isolation";

    /// <summary>The default runtime class name: AKS <see cref="KataVmIsolation"/>.</summary>
    public const string Default = KataVmIsolation;

    private const string KataDeploySource =
        "kata-containers tools/packaging/kata-deploy/helm-chart/kata-deploy/templates/runtimeclasses.yaml and values.yaml";
    private const string KataDeployLabel = "katacontainers.io/kata-runtime";

    // Overheads are the chart defaults where DOMAIN.md §5 records them; null where the chart value was not confirmed.
    private static KnownRuntimeClass KataDeploy(string shim, string what, string? memory = null, string? cpu = null) => new(
        "kata-" + shim, SandboxPlatform.KataDeploy, RuntimeClassStatus.Current, "kata-" + shim, what, KataDeploySource,
        overheadMemory: memory, overheadCpu: cpu, nodeSelectorKey: KataDeployLabel, nodeSelectorValue: "true");

    private static readonly KnownRuntimeClass[] s_all =
    {
        new(KataVmIsolation, SandboxPlatform.Aks, RuntimeClassStatus.Current, "kata",
            "AKS Pod Sandboxing (GA): Kata Containers on Azure Linux with Cloud Hypervisor and Microsoft Hyper-V",
            "learn.microsoft.com/azure/aks/use-pod-sandboxing; Azure/AKS#5843 (600Mi overhead, injected nodeSelector)",
            overheadMemory: "600Mi", nodeSelectorKey: "kubernetes.azure.com/kata-vm-isolation", nodeSelectorValue: "true"),
        new(KataMshvVmIsolation, SandboxPlatform.Aks, RuntimeClassStatus.Deprecated, "kata",
            "AKS Pod Sandboxing preview class (Feb 2023 to Nov 2025), replaced at GA",
            "learn.microsoft.com/azure/aks/use-pod-sandboxing (history); kata-containers#12207",
            replacedBy: KataVmIsolation, nodeSelectorKey: "kubernetes.azure.com/kata-mshv-vm-isolation", nodeSelectorValue: "true"),
        new(KataCcIsolation, SandboxPlatform.Aks, RuntimeClassStatus.Retired, "kata-cc",
            "AKS Confidential Containers (AMD SEV-SNP), sunset in March 2026",
            "learn.microsoft.com/azure/aks/deploy-confidential-containers-default-policy; Azure/AKS#3781",
            replacedBy: KataVmIsolation, nodeSelectorKey: "kubernetes.azure.com/kata-cc-isolation", nodeSelectorValue: "true"),
        new("kata-vm-isolation-v2", SandboxPlatform.Aks, RuntimeClassStatus.Preview, "kata",
            "AKS Kata VM isolation v2 (preview, Agent Sandbox extension); the class name is not confirmed by Microsoft docs",
            "learn.microsoft.com/azure/aks/agent-sandbox-cluster-extension; alibaba/OpenSandbox test fixture"),
        new("gvisor", SandboxPlatform.Gke, RuntimeClassStatus.Current, "gvisor",
            "GKE Sandbox (gVisor user-space kernel) on a sandbox-enabled node pool",
            "cloud.google.com/kubernetes-engine/docs/how-to/sandbox-pods",
            nodeSelectorKey: "sandbox.gke.io/runtime", nodeSelectorValue: "gvisor",
            tolerationKey: "sandbox.gke.io/runtime", tolerationValue: "gvisor", tolerationEffect: "NoSchedule"),
        new("isolated-sandbox", SandboxPlatform.Eks, RuntimeClassStatus.Current, "isolated-sandbox",
            "Amazon EKS Nitro isolated sandbox (Kubernetes 1.36 and later)",
            "docs.aws.amazon.com/eks/latest/userguide/sandboxing-isolated-setup"),
        new("confidential-sandbox", SandboxPlatform.Eks, RuntimeClassStatus.Current, "confidential-sandbox",
            "Amazon EKS Nitro confidential sandbox",
            "docs.aws.amazon.com/eks/latest/userguide/sandboxing-isolated-setup"),
        new("kata", SandboxPlatform.OpenShift, RuntimeClassStatus.Current, "kata",
            "OpenShift sandboxed containers (operator-managed KataConfig); also kata-deploy's optional default alias",
            "docs.redhat.com OpenShift sandboxed containers 1.6, common terms"),
        new("kata-remote", SandboxPlatform.OpenShift, RuntimeClassStatus.Current, "kata-remote",
            "OpenShift sandboxed containers peer pods (the VM runs outside the node); kata-deploy's remote shim uses the same name",
            "openshift/sandboxed-containers-operator#346; kata-deploy values.yaml (120Mi/250m)",
            overheadMemory: "120Mi", overheadCpu: "250m"),
        new("runv", SandboxPlatform.AlibabaCloud, RuntimeClassStatus.Current, "runv",
            "Alibaba Cloud ACK sandboxed containers (runV) on ECS Bare Metal; vSphere Pods use the same name",
            "alibabacloud.com/help ACK sandboxed containers, differences between runC and runV"),
        KataDeploy("qemu", "kata-deploy: QEMU (Go shim)", "320Mi", "250m"),
        KataDeploy("clh", "kata-deploy: Cloud Hypervisor (Go shim)", "130Mi", "250m"),
        KataDeploy("fc", "kata-deploy: Firecracker", "130Mi", "250m"),
        KataDeploy("dragonball", "kata-deploy: Dragonball (built-in VMM of the Rust shim)", "130Mi", "250m"),
        KataDeploy("stratovirt", "kata-deploy: StratoVirt"),
        KataDeploy("qemu-runtime-rs", "kata-deploy: QEMU with the Rust shim (the chart's default shim)"),
        KataDeploy("clh-runtime-rs", "kata-deploy: Cloud Hypervisor with the Rust shim"),
        KataDeploy("qemu-snp", "kata-deploy: QEMU confidential VM on AMD SEV-SNP", "2048Mi", "1"),
        KataDeploy("qemu-tdx", "kata-deploy: QEMU confidential VM on Intel TDX", "2048Mi", "1"),
        KataDeploy("qemu-se", "kata-deploy: QEMU confidential VM on IBM Secure Execution"),
        KataDeploy("qemu-coco-dev", "kata-deploy: QEMU Confidential Containers development class"),
        KataDeploy("qemu-nvidia-gpu", "kata-deploy: QEMU with NVIDIA GPU passthrough", "10240Mi", "1"),
        KataDeploy("qemu-nvidia-gpu-snp", "kata-deploy: QEMU with NVIDIA GPU on AMD SEV-SNP"),
        KataDeploy("qemu-nvidia-gpu-tdx", "kata-deploy: QEMU with NVIDIA GPU on Intel TDX"),
        KataDeploy("qemu-nvidia-cpu", "kata-deploy: QEMU NVIDIA CPU class"),
        KataDeploy("clh-azure", "kata-deploy: Cloud Hypervisor tuned for Azure"),
        KataDeploy("openvmm-azure-runtime-rs", "kata-deploy: OpenVMM on Azure with the Rust shim"),
    };

    /// <summary>Every known runtime class.</summary>
    public static IReadOnlyList<KnownRuntimeClass> All => s_all;

    /// <summary>Finds a known runtime class by name (exact, as Kubernetes names are case-sensitive); null when unknown.</summary>
    public static KnownRuntimeClass? Find(string? name)
    {
        if (name is null)
        {
            return null;
        }

        foreach (var known in s_all)
        {
            if (string.Equals(known.Name, name, StringComparison.Ordinal))
            {
                return known;
            }
        }

        return null;
    }
}
