// The one table of known runtime classes, beside the rule catalog (SandboxRules.cs).
//
// This file is compiled into the SDK (net8.0/net10.0) and linked into the Roslyn analyzer (netstandard2.0), so every finding
// has the same ID, title, message and help page wherever it is reported. Keep it free of KubernetesClient types and of
// APIs newer than netstandard2.0. In the analyzer the types are internal (SANDBOXING_ANALYZER is defined there); in the SDK only
// the names (KnownRuntimeClasses' constants) and RuntimeClassStatus are public: users read a class through SandboxRuntime.
#if SANDBOXING_ANALYZER
// The SDK has these as implicit usings; the analyzer (netstandard2.0) does not.
using System;
using System.Collections.Generic;
#endif

namespace Sandboxing.Sdk;

/// <summary>Where a runtime class comes from.</summary>
internal enum SandboxPlatform
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
/// carries (handler, overhead, node selector, toleration), as plain strings so the analyzer can share the table. Users see it
/// through <c>SandboxRuntime</c> (Status, ReplacedBy, Overhead, NodeSelector, PodTolerations).
/// </summary>
internal sealed class KnownRuntimeClass
{
    internal KnownRuntimeClass(
        string name, SandboxPlatform platform, RuntimeClassStatus status, string handler, string description, string source,
        string? replacedBy = null, string? overheadMemory = null, string? overheadCpu = null,
        string? nodeSelectorKey = null, string? nodeSelectorValue = null,
        string? tolerationKey = null, string? tolerationValue = null, string? tolerationEffect = null, bool documented = true,
        bool debugging = false)
    {
        Documented = documented;
        Debugging = debugging;
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
    /// True when the class is a sandbox a cluster may allow: neither deprecated nor retired, and documented by its platform. Its
    /// handler counts as a sandbox handler (RuntimeClassDefinition.IsSandboxHandler).
    /// </summary>
    public bool IsUsableSandbox => !IsObsolete && Documented;

    /// <summary>
    /// True when the class is on the one default allow-list (<see cref="KnownRuntimeClasses.DefaultAllowed"/>): a usable sandbox
    /// of AKS, the platform the SDK targets. Classes of other platforms (gVisor, kata-deploy's kata-qemu…) exist on no AKS node,
    /// so a pod naming one would fail there; a cluster that has them lists them explicitly. Debugging variants never are.
    /// </summary>
    public bool IsAllowedByDefault => IsUsableSandbox && Platform == SandboxPlatform.Aks && !Debugging;

    /// <summary>
    /// True for a debugging variant (kata-deploy's <c>kata-&lt;shim&gt;-debug</c> and <c>-devkit</c>): still a VM sandbox, but with
    /// the guest's debug console and debug logging on, which the chart says to leave off in production; never allowed by default.
    /// </summary>
    public bool Debugging { get; }
}

/// <summary>
/// The names of the AKS runtime classes, and the table of runtime classes the SDK knows (docs/domain.md §1 and §5), from which
/// <c>SandboxRuntime.Presets</c> and what a <c>SandboxRuntime</c> knows of its class are built.
/// </summary>
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

    // kata-deploy's debugging variants of each of its classes, same handler suffix, overhead and node selector (kata-containers
    // @7c6ba40 tools/packaging/kata-deploy/helm-chart/kata-deploy/templates/runtimeclasses.yaml L46-L47 and L214-L250,
    // values.yaml L429-L444): kata-<shim>-debug with `debug: true` (guest debug console, enable_debug, agent.log=debug), and
    // kata-<shim>-devkit with `debug` and `devkit` (a debug guest extension: a shell with apt and tools over the guest).
    private static readonly KnownRuntimeClass[] s_debugVariants = BuildDebugVariants();

    private static KnownRuntimeClass[] BuildDebugVariants()
    {
        var variants = new List<KnownRuntimeClass>();
        foreach (var known in s_all)
        {
            if (known.Platform != SandboxPlatform.KataDeploy)
            {
                continue;
            }

            foreach (var (suffix, what) in new[] { ("-debug", "guest debug console and logging on"), ("-devkit", "debug console with the devkit guest extension") })
            {
                variants.Add(new KnownRuntimeClass(
                    known.Name + suffix, known.Platform, known.Status, known.Handler + suffix, known.Description + ": debugging variant, " + what + "; not for production",
                    KataDeploySource, overheadMemory: known.OverheadMemory, overheadCpu: known.OverheadCpu,
                    nodeSelectorKey: known.NodeSelectorKey, nodeSelectorValue: known.NodeSelectorValue, debugging: true));
            }
        }

        return variants.ToArray();
    }

    /// <summary>Every known runtime class (kata-deploy's debugging variants are found by <see cref="Find"/> but not listed).</summary>
    internal static IReadOnlyList<KnownRuntimeClass> All => s_all;

    private static readonly string[] s_defaultAllowed = DefaultAllowedNames();

    /// <summary>
    /// The one default allow-list: the classes a pod may name when nobody configured the list (AKS's current sandbox class,
    /// <see cref="KataVmIsolation"/>). The validator, the linter, <c>Build()</c>, the analyzer and every generated policy (VAP, MAP,
    /// Kyverno) start from it; users widen it with <c>.sandboxing.yaml</c> <c>allowedRuntimeClasses</c>, the CLI's
    /// <c>--allowed-runtime-classes</c>, <c>SandboxValidationOptions.AllowedRuntimeClasses</c>,
    /// <c>SandboxPolicy.WithAllowedRuntimeClasses</c>/<c>WithAllowedRuntimeClass</c> or the analyzer's
    /// <c>sandboxing.allowed_runtime_classes</c>.
    /// </summary>
    internal static IReadOnlyList<string> DefaultAllowed => s_defaultAllowed;

    private static string[] DefaultAllowedNames()
    {
        var names = new List<string>();
        foreach (var known in s_all)
        {
            if (known.IsAllowedByDefault)
            {
                names.Add(known.Name);
            }
        }

        return names.ToArray();
    }

    /// <summary>Finds a known runtime class by name (exact, as Kubernetes names are case-sensitive); null when unknown.</summary>
    internal static KnownRuntimeClass? Find(string? name)
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

        foreach (var variant in s_debugVariants)
        {
            if (string.Equals(variant.Name, name, StringComparison.Ordinal))
            {
                return variant;
            }
        }

        return null;
    }
}
