// The one rule catalog and the one table of known runtime classes.
//
// This file is compiled into the SDK (net8.0/net10.0) and linked into the Roslyn analyzer (netstandard2.0), so every finding
// has the same ID, title, message and help page wherever it is reported. Keep it free of KubernetesClient types and of
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

    /// <summary>Rule category for generated admission policies that would not do what was asked (SBX5xxx).</summary>
    public const string PolicyCategory = "Policy";

    /// <summary>SBX0001: a name Kubernetes would reject.</summary>
    public static readonly SandboxRule InvalidName = new(
        "SBX0001", CorrectnessCategory, SandboxSeverity.Error,
        "Name is not valid for Kubernetes",
        "{0}: {1} '{2}' is not valid: {3}",
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
        "Set runtimeClassName on the pod spec at the reported path (spec.runtimeClassName for a Pod, spec.template.spec.runtimeClassName for a Deployment or Job) to a sandbox runtime class such as kata-vm-isolation (or call Sandbox() / run 'sandboxing fix').");

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
        "{0} sets hostNetwork: true, which Pod Sandboxing does not support (AKS: host-network access isn't supported; the pod may fail to start or run without working networking); remove hostNetwork or opt the workload out of sandboxing",
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

    /// <summary>SBX2008: runAsNonRoot without a non-root user id, which the kubelet refuses for images that run as root.</summary>
    public static readonly SandboxRule RunAsNonRootWithoutUser = new(
        "SBX2008", CorrectnessCategory, SandboxSeverity.Warning,
        "runAsNonRoot without a non-root user id",
        "{0} runs container '{1}' with runAsNonRoot: true and {2}; set runAsUser to a non-zero user id (the builders' default is 25000)",
        "Set securityContext.runAsUser (and runAsGroup) to a non-zero id on the pod or the container; the builders set 25000/26000 by default, and Sandbox() does with SandboxOptions.RunAsNonRootUser.");

    /// <summary>SBX2009: a resource quantity Kubernetes would reject (<c>12 GB</c>, <c>two</c>).</summary>
    public static readonly SandboxRule InvalidQuantity = new(
        "SBX2009", CorrectnessCategory, SandboxSeverity.Error,
        "Resource quantity is not valid",
        "{0}: {1} '{2}' is not a usable quantity (negative, too large, or not a number with a suffix); write one such as '500m' or '2' for CPU and '512Mi' or '1Gi' for memory",
        "Write quantities as a number with an optional suffix: Ki, Mi, Gi (powers of 1024) or k, M, G (powers of 1000), m for thousandths; 'GB' and words are not quantities.");

    // SBX3xxx (AKS node pools) are declared below, in the node pool section.
    // <node-pool-rules>
    /// <summary>SBX3001: an AKS node pool whose OS SKU is not Azure Linux (Pod Sandboxing runs only on Azure Linux).</summary>
    public static readonly SandboxRule NodePoolOsSkuNotAzureLinux = new(
        "SBX3001", NodePoolCategory, SandboxSeverity.Error,
        "Node pool OS SKU is not Azure Linux",
        "Node pool '{0}' uses OS SKU '{1}', but only Azure Linux supports Pod Sandboxing; use '{2}'",
        "Set the OS SKU to AzureLinux; Ubuntu, Azure Container Linux, Flatcar and Windows pools cannot run Kata pods.");

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
        "Node pool '{0}' enables FIPS, which AKS rejects on Pod Sandboxing pools since 19 June 2026 (the Kata node image carries no FIPS compliance); disable FIPS on the sandboxing pool",
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

    /// <summary>SBX3014: OS SKU AzureLinux (or Mariner) on Kubernetes before 1.32, which gives the retired Azure Linux 2.0.</summary>
    public static readonly SandboxRule NodePoolAzureLinux2 = new(
        "SBX3014", NodePoolCategory, SandboxSeverity.Error,
        "OS SKU gives the retired Azure Linux 2.0",
        "Node pool '{0}' uses OS SKU '{1}' on Kubernetes {2}, which gives Azure Linux 2.0 (Kubernetes 1.27 to 1.31): it is retired (support ended 30 November 2025, node images removed 31 March 2026) and receives no Kata image updates; use Kubernetes 1.32 or later with OS SKU 'AzureLinux' (Azure Linux 3.0)",
        "Raise orchestratorVersion to 1.32 or later and keep osSKU AzureLinux, which then gives Azure Linux 3.0.");

    /// <summary>SBX3015: OS SKU AzureLinux3 outside the Kubernetes versions AKS supports it on (1.28 to 1.36).</summary>
    public static readonly SandboxRule NodePoolAzureLinux3OutOfRange = new(
        "SBX3015", NodePoolCategory, SandboxSeverity.Error,
        "AzureLinux3 is outside its Kubernetes range",
        "Node pool '{0}' uses OS SKU 'AzureLinux3' on Kubernetes {1}, but AKS supports AzureLinux3 only on Kubernetes 1.28 to 1.36; use OS SKU 'AzureLinux', which follows the Kubernetes version",
        "Set osSKU to AzureLinux: AKS picks the Azure Linux version for the Kubernetes version (3.0 from 1.32).");

    /// <summary>SBX3016: OS SKU AzureLinux3, which no source documents for Pod Sandboxing.</summary>
    public static readonly SandboxRule NodePoolAzureLinux3NotDocumented = new(
        "SBX3016", NodePoolCategory, SandboxSeverity.Warning,
        "AzureLinux3 is not documented for Pod Sandboxing",
        "Node pool '{0}' uses OS SKU 'AzureLinux3', which the AKS Pod Sandboxing docs and azurerm do not name for Kata pools (they use 'AzureLinux', which AKS recommends and which gives Azure Linux 3.0 from Kubernetes 1.32); use 'AzureLinux'",
        "Set osSKU to AzureLinux on Kubernetes 1.32 or later.");

    /// <summary>SBX3017: the deprecated OS SKU names Mariner and CBLMariner.</summary>
    public static readonly SandboxRule NodePoolOsSkuRenamed = new(
        "SBX3017", NodePoolCategory, SandboxSeverity.Warning,
        "OS SKU uses the deprecated Mariner name",
        "Node pool '{0}' uses OS SKU '{1}', a deprecated name of Azure Linux (Mariner was renamed Azure Linux in April 2023 and the ARM API marks CBLMariner deprecated; azurerm no longer accepts it); use 'AzureLinux'",
        "Replace mariner/Mariner/CBLMariner with AzureLinux (az --os-sku AzureLinux, ARM osSKU AzureLinux, Terraform os_sku = \"AzureLinux\").");

    /// <summary>SBX3018: an Arm64 VM size.</summary>
    public static readonly SandboxRule NodePoolArm64Size = new(
        "SBX3018", NodePoolCategory, SandboxSeverity.Error,
        "Arm64 VM size cannot run Pod Sandboxing",
        "Node pool '{0}' uses the Arm64 VM size '{1}', and AKS cannot combine Arm64 with Pod Sandboxing; choose an x64 size such as '{2}'",
        "Choose an x64 Generation 2 size with nested virtualization (for example Standard_D4s_v5); keep Arm64 workloads on another pool.");

    /// <summary>SBX3019: Trusted Launch (secure boot or vTPM) on a Pod Sandboxing pool.</summary>
    public static readonly SandboxRule NodePoolTrustedLaunch = new(
        "SBX3019", NodePoolCategory, SandboxSeverity.Error,
        "Trusted Launch cannot be combined with Pod Sandboxing",
        "Node pool '{0}' enables Trusted Launch ({1}), which AKS cannot enable in the same node pool as Pod Sandboxing; turn off secure boot and vTPM on the sandboxing pool",
        "Remove --enable-secure-boot and --enable-vtpm (ARM securityProfile.enableSecureBoot/enableVTPM) from the sandboxing pool.");

    /// <summary>SBX3020: a confidential VM size.</summary>
    public static readonly SandboxRule NodePoolConfidentialVmSize = new(
        "SBX3020", NodePoolCategory, SandboxSeverity.Error,
        "Confidential VM size cannot run Pod Sandboxing",
        "Node pool '{0}' uses the confidential VM size '{1}', and AKS confidential VM node pools can't use Pod Sandboxing; choose a general-purpose size such as '{2}'",
        "Choose a general-purpose Generation 2 size with nested virtualization (for example Standard_D4s_v5) for the sandboxing pool.");

    /// <summary>SBX3021: Artifact Streaming on a Pod Sandboxing pool.</summary>
    public static readonly SandboxRule NodePoolArtifactStreaming = new(
        "SBX3021", NodePoolCategory, SandboxSeverity.Error,
        "Artifact Streaming cannot be combined with Pod Sandboxing",
        "Node pool '{0}' enables Artifact Streaming, which AKS rejects on Pod Sandboxing pools (validation added in the AKS release of 28 April 2026); turn Artifact Streaming off on the sandboxing pool",
        "Remove --enable-artifact-streaming (ARM artifactStreamingProfile.enabled) from the sandboxing pool.");
    // </node-pool-rules>

    // <policy-rules> SBX5xxx: findings about a generated admission policy itself (SandboxPolicy.Check()).
    /// <summary>SBX5001: a Kubernetes version that lacks the admission policy API the policy needs.</summary>
    public static readonly SandboxRule PolicyKubernetesTooOld = new(
        "SBX5001", PolicyCategory, SandboxSeverity.Error,
        "Kubernetes version lacks the admission policy API",
        "Policy '{0}': {1} needs Kubernetes {2} or later, but the target is {3}; {4}",
        "Target a Kubernetes version that serves the API (ValidatingAdmissionPolicy v1: 1.30; MutatingAdmissionPolicy: 1.34 beta, 1.36 GA), or use Kyverno.");

    /// <summary>SBX5002: a MutatingAdmissionPolicy that needs a feature gate and a beta API the cluster must switch on.</summary>
    public static readonly SandboxRule PolicyNeedsFeatureGate = new(
        "SBX5002", PolicyCategory, SandboxSeverity.Warning,
        "MutatingAdmissionPolicy needs a feature gate on this version",
        "Policy '{0}': on Kubernetes {1} MutatingAdmissionPolicy is beta ({2}): the kube-apiserver needs --feature-gates=MutatingAdmissionPolicy=true and --runtime-config={2}=true, which managed clusters such as AKS do not let you set; without them 'kubectl apply' fails with 'no matches for kind'",
        "Switch on the gate and the beta API on a self-managed control plane, target Kubernetes 1.36 or later (v1, on by default), or use Kyverno.");

    /// <summary>SBX5003: an exemption that covers the identities controllers create pods with.</summary>
    public static readonly SandboxRule PolicyExemptsControllers = new(
        "SBX5003", PolicyCategory, SandboxSeverity.Error,
        "Exemption covers every controller-made pod",
        "Policy '{0}': exempting {1} '{2}' exempts {3}, because Deployments, ReplicaSets, Jobs, StatefulSets and DaemonSets create their pods as service accounts of kube-system (or as system:kube-controller-manager); exempt a namespace label, a parameter entry or specific users instead",
        "Remove the exemption; exempt workloads by namespace label or by the parameter ConfigMap, and people or pipelines by their own group or service account.");

    /// <summary>SBX5004: a user, group or service-account exemption, which does not reach the pods controllers create.</summary>
    public static readonly SandboxRule PolicyUserExemptionMissesControllerPods = new(
        "SBX5004", PolicyCategory, SandboxSeverity.Warning,
        "User exemptions do not reach controller-made pods",
        "Policy '{0}': the exemption of {1} matches only requests those identities send (bare Pods and the workload objects they apply); the Pods of their Deployments, Jobs, StatefulSets and DaemonSets are created by controllers and are still checked, so such a workload is admitted and its Pods refused; exempt those by namespace label or parameter entry",
        "Use user, group and service-account exemptions for bare pods and debugging only; exempt controller-managed workloads with a namespace label or an entry in the parameter ConfigMap.");

    /// <summary>SBX5005: a policy that would refuse or re-route the host-network system pods of kube-system.</summary>
    public static readonly SandboxRule PolicySelectsKubeSystem = new(
        "SBX5005", PolicyCategory, SandboxSeverity.Error,
        "Policy applies to kube-system",
        "Policy '{0}' applies to namespace kube-system ({1}), whose node agents (kube-proxy, CNI and CSI node plugins) use the host network: {2} when they are next created, and the node breaks; {3}",
        "Leave kube-system (and other namespaces of node agents) out of the selector, e.g. ForAllNamespacesExcept(\"kube-system\"), or label them with the namespace exemption label.");

    /// <summary>SBX5006: a mutating policy whose runtime class must exist in the cluster, or every pod it mutates is refused.</summary>
    public static readonly SandboxRule PolicyRuntimeClassMustExist = new(
        "SBX5006", PolicyCategory, SandboxSeverity.Info,
        "The runtime class the policy adds must exist",
        "Policy '{0}' sets runtimeClassName '{1}' on pods; until a RuntimeClass named '{1}' exists, the RuntimeClass admission plugin refuses every pod it mutates with 'pod rejected: RuntimeClass \"{1}\" not found'; {2}",
        "Create the RuntimeClass first (on AKS, add a node pool with workloadRuntime KataVmIsolation), and check with 'kubectl get runtimeclass' before binding the policy.");

    /// <summary>SBX5007: a policy that honours exemption annotations, which the workload's author can write.</summary>
    public static readonly SandboxRule PolicyHonoursAnnotations = new(
        "SBX5007", PolicyCategory, SandboxSeverity.Warning,
        "Exemption annotations are honoured",
        "Policy '{0}' honours the annotations {1} and {1}.<rule>: whoever can write a pod or workload in a selected namespace can exempt it, so in a multi-tenant cluster a tenant can leave the sandbox; use operator-granted exemptions (namespace label, groups, service accounts, parameter ConfigMap) instead",
        "Leave annotation exemptions off (the default) and grant exemptions with a namespace label, request.userInfo groups or service accounts, or the parameter ConfigMap.");
    // </policy-rules>

    // <tenant-rules> SBX4001–SBX4099: the tenant around the VM (Tenancy) and the cluster that hosts it (SBX3030–SBX3049).
    /// <summary>Rule category for the tenant isolation bundle (namespace, network, identity, quota, storage).</summary>
    public const string TenancyCategory = "Tenancy";

    /// <summary>SBX4001: a tenant setting that cannot produce a working bundle (bad CIDR, quota under the LimitRange, …).</summary>
    public static readonly SandboxRule TenantInvalidSetting = new(
        "SBX4001", TenancyCategory, SandboxSeverity.Error,
        "Tenant setting is not valid",
        "Tenant '{0}': {1}",
        "Correct the named setting as the message says; the bundle would be rejected by Kubernetes or would not isolate the tenant.");

    /// <summary>SBX4002: a tenant namespace without a default-deny NetworkPolicy for ingress and egress.</summary>
    public static readonly SandboxRule TenantNoDefaultDeny = new(
        "SBX4002", TenancyCategory, SandboxSeverity.Warning,
        "Tenant namespace has no default-deny NetworkPolicy",
        "Tenant namespace '{0}' has no NetworkPolicy that selects every pod and denies {1} by default, so its pods reach (or are reached by) every other pod; add a default-deny policy",
        "Add a NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress] and no rules (TenantIsolation emits it), then allow only what the tenant needs.");

    /// <summary>SBX4003: egress that reaches the cloud metadata endpoint 169.254.169.254.</summary>
    public static readonly SandboxRule TenantEgressToMetadata = new(
        "SBX4003", TenancyCategory, SandboxSeverity.Warning,
        "Egress reaches the cloud metadata endpoint",
        "NetworkPolicy {0} lets tenant pods reach the metadata endpoint 169.254.169.254 ({1}); except 169.254.0.0/16 from the rule's ipBlock",
        "Except 169.254.0.0/16 (IPv4 link-local, which holds the instance metadata endpoint) from every ipBlock that covers it, and never allow egress to all destinations.");

    /// <summary>SBX4004: egress that reaches a whole private range, the cluster's networks or every namespace.</summary>
    public static readonly SandboxRule TenantEgressToPrivateRanges = new(
        "SBX4004", TenancyCategory, SandboxSeverity.Warning,
        "Egress reaches private ranges or other tenants",
        "NetworkPolicy {0} lets tenant pods reach {1}, where other tenants and cluster services live; narrow the rule",
        "Except RFC 1918, 100.64.0.0/10, fc00::/7 and the cluster's pod and service CIDRs from broad ipBlocks, and name namespaces instead of selecting all of them; allow a single private service by its /32.");

    /// <summary>SBX4005: a tenant namespace without a ResourceQuota or without a LimitRange that gives containers a memory limit.</summary>
    public static readonly SandboxRule TenantNoQuota = new(
        "SBX4005", TenancyCategory, SandboxSeverity.Warning,
        "Tenant namespace has no quota or default memory limit",
        "Tenant namespace '{0}' has {1}, so one tenant can starve the others or get the 512Mi default VM; add it",
        "Add a ResourceQuota (requests and limits for CPU and memory, pods, storage) and a LimitRange whose default gives every container a memory limit, with a minimum of 128Mi.");

    /// <summary>SBX4006: a tenant pod that mounts a service account token.</summary>
    public static readonly SandboxRule TenantServiceAccountToken = new(
        "SBX4006", TenancyCategory, SandboxSeverity.Warning,
        "Tenant pod mounts a service account token",
        "{0} in tenant namespace '{1}' mounts a service account token ({2}), which lets untrusted code call the API server; set automountServiceAccountToken to false",
        "Set automountServiceAccountToken: false on the pod or on its ServiceAccount (TenantIsolation does both); use Workload ID for cloud access.");

    /// <summary>SBX4007: a pod labelled for Workload ID whose service account has no client-id annotation.</summary>
    public static readonly SandboxRule TenantWorkloadIdentityMismatch = new(
        "SBX4007", TenancyCategory, SandboxSeverity.Warning,
        "Workload ID label without an annotated service account",
        "{0} has label 'azure.workload.identity/use: \"true\"' but its service account '{1}' {2}; the webhook injects no credentials; annotate the account or use WithWorkloadIdentity",
        "Annotate the pod's ServiceAccount with azure.workload.identity/client-id (TenantIsolation.WithWorkloadIdentity) and make the pod use that account (ForTenant / WithWorkloadIdentity).");

    /// <summary>SBX4008: a tenant that requires customer-managed keys without a StorageClass that uses them.</summary>
    public static readonly SandboxRule TenantStorageWithoutCustomerKey = new(
        "SBX4008", TenancyCategory, SandboxSeverity.Warning,
        "Tenant storage is not encrypted with a customer-managed key",
        "{0} in tenant '{1}': {2}; use a disk.csi.azure.com StorageClass with parameter diskEncryptionSetID",
        "Give the tenant a StorageClass with provisioner disk.csi.azure.com and parameters.diskEncryptionSetID (TenantIsolation.WithEncryptedStorage), reclaimPolicy Delete, and claim volumes from it.");

    /// <summary>SBX4009: a tenant namespace whose Pod Security Admission level is not enforced as restricted.</summary>
    public static readonly SandboxRule TenantPodSecurityNotRestricted = new(
        "SBX4009", TenancyCategory, SandboxSeverity.Warning,
        "Tenant namespace does not enforce the restricted Pod Security Standard",
        "Tenant namespace '{0}' {1}; label it pod-security.kubernetes.io/enforce: restricted with a pinned enforce-version",
        "Label the namespace pod-security.kubernetes.io/enforce, warn and audit: restricted, with a pinned *-version (TenantIsolation does).");
    // </tenant-rules>

    // <cluster-rules> SBX3030–SBX3049: an AKS cluster created for Pod Sandboxing (NodePools/AksCluster).
    /// <summary>SBX3030: a cluster without a network policy engine where tenant isolation needs one.</summary>
    public static readonly SandboxRule ClusterNoNetworkPolicy = new(
        "SBX3030", NodePoolCategory, SandboxSeverity.Error,
        "Cluster has no network policy engine",
        "Cluster '{0}' uses network policy '{1}', so NetworkPolicies are stored but never enforced and tenants reach each other; choose azure, calico or cilium",
        "Set networkProfile.networkPolicy to azure, calico or cilium (cilium with networkDataplane cilium) when the cluster is created.");

    /// <summary>SBX3031: Workload ID without the OIDC issuer, or a tenant cluster without Workload ID.</summary>
    public static readonly SandboxRule ClusterWorkloadIdentity = new(
        "SBX3031", NodePoolCategory, SandboxSeverity.Error,
        "Workload ID needs the OIDC issuer",
        "Cluster '{0}': {1}",
        "Enable both oidcIssuerProfile.enabled and securityProfile.workloadIdentity.enabled (az aks create --enable-oidc-issuer --enable-workload-identity).");

    /// <summary>SBX3032: a cluster without Entra ID integration and Azure RBAC, or with local accounts.</summary>
    public static readonly SandboxRule ClusterIdentityNotEntra = new(
        "SBX3032", NodePoolCategory, SandboxSeverity.Warning,
        "Cluster operators do not sign in with Entra ID and Azure RBAC",
        "Cluster '{0}': {1}; enable Entra ID integration with Azure RBAC and disable local accounts",
        "Set aadProfile.managed, aadProfile.enableAzureRBAC and disableLocalAccounts (az aks create --enable-aad --enable-azure-rbac --disable-local-accounts).");

    /// <summary>SBX3033: a network policy engine the chosen dataplane cannot run, or a known Kata caveat.</summary>
    public static readonly SandboxRule ClusterNetworkPolicyDataplane = new(
        "SBX3033", NodePoolCategory, SandboxSeverity.Error,
        "Network policy engine does not match the dataplane",
        "Cluster '{0}': {1}",
        "Use networkPolicy cilium only with networkDataplane cilium (Azure CNI powered by Cilium), and azure or calico with the azure dataplane.");

    /// <summary>SBX3034: a cluster setting Azure would reject.</summary>
    public static readonly SandboxRule ClusterInvalidSetting = new(
        "SBX3034", NodePoolCategory, SandboxSeverity.Error,
        "Cluster setting is not valid",
        "Cluster '{0}': {1}",
        "Correct the named setting as the message says; AKS would reject the cluster as written.");

    /// <summary>SBX3035: a cluster without a pool that can run Kata pods.</summary>
    public static readonly SandboxRule ClusterNoKataPool = new(
        "SBX3035", NodePoolCategory, SandboxSeverity.Error,
        "Cluster has no Kata-capable node pool",
        "Cluster '{0}' has no node pool with workload runtime KataVmIsolation, so pods with runtimeClassName kata-vm-isolation are never scheduled; add one",
        "Add an AksNodePool.ForSandboxing(name) pool (Azure Linux, a nested-virtualization VM size, KataVmIsolation) to the cluster.");
    // </cluster-rules>

    private static readonly SandboxRule[] s_all =
    {
        InvalidName, UnrenderedTemplateValue,
        MissingRuntimeClass, RuntimeClassNotAllowed, DeprecatedRuntimeClass, OptOutWithoutReason,
        HostNetwork, HostNamespaces, PrivilegedContainer, HostPathVolume, MissingMemoryLimit, CpuRequestNotLimit, MemoryLimitTooSmall,
        RunAsNonRootWithoutUser, InvalidQuantity,
        NodePoolOsSkuNotAzureLinux, NodePoolWindows, NodePoolVmSizeUnsupported, NodePoolVmSizeUnknown, NodePoolFips,
        NodePoolApiVersionLacksRuntime, NodePoolLegacyRuntime, NodePoolRuntimeNotKata, NodePoolInvalidName, NodePoolCountOutOfRange,
        NodePoolInvalidSetting, NodePoolKubernetesTooOld, NodePoolTaintNotTolerated, NodePoolAzureLinux2, NodePoolAzureLinux3OutOfRange,
        NodePoolAzureLinux3NotDocumented, NodePoolOsSkuRenamed, NodePoolArm64Size, NodePoolTrustedLaunch, NodePoolConfidentialVmSize,
        NodePoolArtifactStreaming,
        PolicyKubernetesTooOld, PolicyNeedsFeatureGate, PolicyExemptsControllers, PolicyUserExemptionMissesControllerPods,
        PolicySelectsKubeSystem, PolicyRuntimeClassMustExist, PolicyHonoursAnnotations,
        ClusterNoNetworkPolicy, ClusterWorkloadIdentity, ClusterIdentityNotEntra, ClusterNetworkPolicyDataplane, ClusterInvalidSetting, ClusterNoKataPool,
        TenantInvalidSetting, TenantNoDefaultDeny, TenantEgressToMetadata, TenantEgressToPrivateRanges, TenantNoQuota,
        TenantServiceAccountToken, TenantWorkloadIdentityMismatch, TenantStorageWithoutCustomerKey, TenantPodSecurityNotRestricted,
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
        string? tolerationKey = null, string? tolerationValue = null, string? tolerationEffect = null, bool documented = true)
    {
        Documented = documented;
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

    /// <summary>False when no source of the platform documents the class (the SDK knows the name from elsewhere).</summary>
    public bool Documented { get; }

    /// <summary>
    /// True when the validator, the analyzer and the linter accept the class without configuration: neither deprecated nor retired,
    /// and documented by its platform. An undocumented class must be listed in the allowed classes explicitly.
    /// </summary>
    public bool IsAllowedByDefault => !IsObsolete && Documented;
}

/// <summary>The table of runtime classes the SDK knows (docs/domain.md §1 and §5). The runtime presets are built from it.</summary>
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

    // Overheads are the chart's overhead.podFixed for each shim (see the table's source comment below).
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
            "AKS Confidential Containers (AMD SEV-SNP), a retired preview (sunset March 2026): AKS said it would remove the kata-cc-isolation " +
            "RuntimeClass from node pools after March 2026 and that no new KataCcIsolation nodes can be created; pods that name it then fail " +
            "admission with RuntimeClass not found",
            "Azure/AKS#3781 (2025-10-24); MicrosoftDocs/azure-aks-docs confidential-containers-overview.md sunset notice (removed in f70a84511, 2026-05-22)",
            replacedBy: KataVmIsolation, nodeSelectorKey: "kubernetes.azure.com/kata-cc-isolation", nodeSelectorValue: "true"),
        // Known, so the linter can say what it is, but not allowed by default: no AKS source documents the name (a git grep of
        // MicrosoftDocs/azure-aks-docs @fb060abe6 and Azure/AKS @8d1c890 finds nothing), and a pod naming it on a cluster
        // without it fails with RuntimeClass not found.
        new("kata-vm-isolation-v2", SandboxPlatform.Aks, RuntimeClassStatus.Preview, "kata",
            "AKS Kata VM isolation v2: not documented by AKS (the name appears only in a third-party test fixture); not allowed by default",
            "alibaba/OpenSandbox test fixture; no AKS source (MicrosoftDocs/azure-aks-docs @fb060abe6, Azure/AKS @8d1c890)",
            documented: false),
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
        // Overheads: kata-containers @7c6ba40 (chart 4.1.0) tools/packaging/kata-deploy/helm-chart/kata-deploy/templates/
        // runtimeclasses.yaml L11-39; qemu and qemu-runtime-rs went from 160Mi to 320Mi in a664595084 (2026-06-24).
        KataDeploy("qemu", "kata-deploy: QEMU (Go shim)", "320Mi", "250m"),
        KataDeploy("qemu-runtime-rs", "kata-deploy: QEMU with the Rust shim (the chart's default shim since Kata 4.0)", "320Mi", "250m"),
        KataDeploy("clh", "kata-deploy: Cloud Hypervisor (Go shim)", "130Mi", "250m"),
        KataDeploy("clh-runtime-rs", "kata-deploy: Cloud Hypervisor with the Rust shim", "130Mi", "250m"),
        KataDeploy("clh-azure", "kata-deploy: Cloud Hypervisor tuned for Azure", "130Mi", "250m"),
        KataDeploy("clh-azure-runtime-rs", "kata-deploy: Cloud Hypervisor tuned for Azure, Rust shim", "130Mi", "250m"),
        KataDeploy("openvmm-azure-runtime-rs", "kata-deploy: OpenVMM on Azure with the Rust shim (amd64 only)", "130Mi", "250m"),
        KataDeploy("fc", "kata-deploy: Firecracker", "130Mi", "250m"),
        KataDeploy("dragonball", "kata-deploy: Dragonball (built-in VMM of the Rust shim)", "130Mi", "250m"),
        KataDeploy("stratovirt", "kata-deploy: StratoVirt (legacy: no longer a shim of the chart since ae3fb45814, 2025-11-13)", "130Mi", "250m"),
        KataDeploy("qemu-coco-dev", "kata-deploy: QEMU Confidential Containers development class", "160Mi", "250m"),
        KataDeploy("qemu-coco-dev-runtime-rs", "kata-deploy: QEMU Confidential Containers development class, Rust shim", "320Mi", "250m"),
        KataDeploy("qemu-se", "kata-deploy: QEMU confidential VM on IBM Secure Execution", "1024Mi", "1"),
        KataDeploy("qemu-se-runtime-rs", "kata-deploy: QEMU confidential VM on IBM Secure Execution, Rust shim", "1024Mi", "1"),
        KataDeploy("qemu-snp", "kata-deploy: QEMU confidential VM on AMD SEV-SNP", "2048Mi", "1"),
        KataDeploy("qemu-snp-runtime-rs", "kata-deploy: QEMU confidential VM on AMD SEV-SNP, Rust shim", "2048Mi", "1"),
        KataDeploy("qemu-tdx", "kata-deploy: QEMU confidential VM on Intel TDX", "2048Mi", "1"),
        KataDeploy("qemu-tdx-runtime-rs", "kata-deploy: QEMU confidential VM on Intel TDX, Rust shim", "2048Mi", "1"),
        KataDeploy("qemu-nvidia-cpu", "kata-deploy: QEMU NVIDIA CPU class", "320Mi", "250m"),
        KataDeploy("qemu-nvidia-cpu-runtime-rs", "kata-deploy: QEMU NVIDIA CPU class, Rust shim", "320Mi", "250m"),
        KataDeploy("qemu-nvidia-gpu", "kata-deploy: QEMU with NVIDIA GPU passthrough", "10240Mi", "1"),
        KataDeploy("qemu-nvidia-gpu-runtime-rs", "kata-deploy: QEMU with NVIDIA GPU passthrough, Rust shim", "10240Mi", "1"),
        KataDeploy("qemu-nvidia-gpu-snp", "kata-deploy: QEMU with NVIDIA GPU on AMD SEV-SNP", "10240Mi", "1"),
        KataDeploy("qemu-nvidia-gpu-snp-runtime-rs", "kata-deploy: QEMU with NVIDIA GPU on AMD SEV-SNP, Rust shim", "10240Mi", "1"),
        KataDeploy("qemu-nvidia-gpu-tdx", "kata-deploy: QEMU with NVIDIA GPU on Intel TDX", "10240Mi", "1"),
        KataDeploy("qemu-nvidia-gpu-tdx-runtime-rs", "kata-deploy: QEMU with NVIDIA GPU on Intel TDX, Rust shim", "10240Mi", "1"),
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
