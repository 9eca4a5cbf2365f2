using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// A sandbox runtime: the RuntimeClass a pod names in <c>spec.runtimeClassName</c>, with what the SDK knows about it
/// (status, replacement, overhead, the scheduling the pod needs). An extensible value, like Azure's <c>WorkloadRuntime</c>: the well-known
/// presets are static properties, any other class is <c>new SandboxRuntime("name")</c> or a <see cref="RuntimeClassDefinition"/>.
/// </summary>
/// <remarks>
/// <c>default(SandboxRuntime)</c> is <see cref="Default"/> (AKS <c>kata-vm-isolation</c>), so an optional parameter of this type
/// means "the default runtime". Equality compares names ordinally, because Kubernetes names are case-sensitive.
/// </remarks>
public readonly struct SandboxRuntime : IEquatable<SandboxRuntime>
{
    private static readonly ConcurrentDictionary<string, V1Toleration[]> s_tolerations = new(StringComparer.Ordinal);

    private readonly string? _name;

    /// <summary>Creates a runtime from a RuntimeClass name.</summary>
    /// <param name="name">The RuntimeClass name: a DNS-1123 subdomain (lowercase letters, digits, '-' and '.').</param>
    /// <exception cref="ArgumentException">The name is empty or not a valid RuntimeClass name.</exception>
    public SandboxRuntime(string name)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(name, nameof(name), "runtime class name");
        _name = name;
        Definition = null;
    }

    internal SandboxRuntime(RuntimeClassDefinition definition)
    {
        _name = definition.Name;
        Definition = definition;
    }

    /// <summary>AKS Pod Sandboxing, generally available: <c>kata-vm-isolation</c>. The default.</summary>
    public static SandboxRuntime AksKataVmIsolation => new(KnownRuntimeClasses.KataVmIsolation);

    /// <summary>The AKS preview class <c>kata-mshv-vm-isolation</c>: deprecated, use <see cref="AksKataVmIsolation"/>.</summary>
    public static SandboxRuntime AksKataMshvVmIsolation => new(KnownRuntimeClasses.KataMshvVmIsolation);

    /// <summary>AKS Confidential Containers, <c>kata-cc-isolation</c>: retired in March 2026.</summary>
    public static SandboxRuntime AksKataCcIsolation => new(KnownRuntimeClasses.KataCcIsolation);

    /// <summary>GKE Sandbox, <c>gvisor</c>: pods tolerate the <c>sandbox.gke.io/runtime=gvisor:NoSchedule</c> taint.</summary>
    public static SandboxRuntime GkeGvisor => new("gvisor");

    /// <summary>Amazon EKS Nitro isolated sandbox, <c>isolated-sandbox</c>.</summary>
    public static SandboxRuntime EksIsolatedSandbox => new("isolated-sandbox");

    /// <summary>OpenShift sandboxed containers, <c>kata</c>.</summary>
    public static SandboxRuntime OpenShiftKata => new("kata");

    /// <summary>Upstream kata-deploy with QEMU, <c>kata-qemu</c>.</summary>
    public static SandboxRuntime KataQemu => new("kata-qemu");

    /// <summary>Upstream kata-deploy with Cloud Hypervisor, <c>kata-clh</c>.</summary>
    public static SandboxRuntime KataClh => new("kata-clh");

    /// <summary>Upstream kata-deploy with Firecracker, <c>kata-fc</c>.</summary>
    public static SandboxRuntime KataFirecracker => new("kata-fc");

    /// <summary>The default runtime, <see cref="AksKataVmIsolation"/>.</summary>
    public static SandboxRuntime Default => AksKataVmIsolation;

    /// <summary>Every runtime class the SDK knows, with its status, overhead and scheduling (the table in docs/getting-started.md).</summary>
    public static IEnumerable<SandboxRuntime> Presets => KnownRuntimeClasses.All.Select(k => new SandboxRuntime(k.Name));

    /// <summary>The RuntimeClass name.</summary>
    public string Name => _name ?? KnownRuntimeClasses.Default;

    /// <summary>The custom RuntimeClass this runtime was defined from, or null for a plain name.</summary>
    public RuntimeClassDefinition? Definition { get; }

    /// <summary>The row of the known-runtime table for this name, or null for a custom or unknown class.</summary>
    internal KnownRuntimeClass? Known => Definition is null ? KnownRuntimeClasses.Find(Name) : null;

    /// <summary>The platform that provides the class (<see cref="SandboxPlatform.Custom"/> when unknown).</summary>
    internal SandboxPlatform Platform => Known?.Platform ?? SandboxPlatform.Custom;

    /// <summary>Whether the class should still be used (custom and unknown classes count as current).</summary>
    public RuntimeClassStatus Status => Known?.Status ?? RuntimeClassStatus.Current;

    /// <summary>For a deprecated or retired class, the runtime to use instead.</summary>
    public SandboxRuntime? ReplacedBy => Known?.ReplacedBy is { } replacement ? new SandboxRuntime(replacement) : (SandboxRuntime?)null;

    /// <summary>
    /// The tolerations a pod needs to be scheduled with this runtime, beyond what its RuntimeClass injects
    /// (for example GKE's <c>sandbox.gke.io/runtime=gvisor:NoSchedule</c>). Empty for most classes. A fresh list on each call.
    /// </summary>
    public IReadOnlyList<V1Toleration> PodTolerations => SharedPodTolerations.Select(Tolerations.Clone).ToList();

    /// <summary>The node label the class's RuntimeClass selects, as key and value; null when unknown.</summary>
    public KeyValuePair<string, string>? NodeSelector =>
        Definition is { NodeSelector.Count: > 0 } d ? d.NodeSelector.First()
        : Known is { NodeSelectorKey: { } key, NodeSelectorValue: { } value } ? new KeyValuePair<string, string>(key, value)
        : null;

    /// <summary>The fixed pod overhead (<c>overhead.podFixed</c>) the class adds, as strings; empty when unknown.</summary>
    public IReadOnlyDictionary<string, string> Overhead
    {
        get
        {
            if (Definition is { } d)
            {
                return d.Overhead;
            }

            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Known?.OverheadMemory is { } memory)
            {
                result["memory"] = memory;
            }

            if (Known?.OverheadCpu is { } cpu)
            {
                result["cpu"] = cpu;
            }

            return result;
        }
    }

    /// <summary>
    /// <see cref="Overhead"/> in base units: memory in bytes and CPU in cores, each null when the class declares none (or it does
    /// not parse). Capacity planning and the deploy preflight both read overheads through this.
    /// </summary>
    public (decimal? MemoryBytes, decimal? CpuCores) OverheadValues
    {
        get
        {
            var overhead = Overhead;
            return (Value("memory"), Value("cpu"));

            decimal? Value(string resource) =>
                overhead.TryGetValue(resource, out var text) && Quantities.TryParse(text, out var value) ? value : null;
        }
    }

    /// <summary>Tolerations shared across calls; callers must clone before handing them out.</summary>
    internal V1Toleration[] SharedPodTolerations
    {
        get
        {
            var known = Known;
            if (known?.TolerationKey is null)
            {
                return [];
            }

            return s_tolerations.GetOrAdd(known.Name, static (_, k) =>
                [new V1Toleration { Key = k.TolerationKey, OperatorProperty = "Equal", Value = k.TolerationValue, Effect = k.TolerationEffect }],
                known);
        }
    }

    /// <summary>
    /// RuntimeClass names that are OCI runtimes on the host kernel, not sandboxes: <c>runc</c> (opencontainers/runc), <c>crun</c>
    /// (containers/crun), <c>youki</c> (youki-dev/youki). They isolate with namespaces and cgroups of the node's kernel.
    /// </summary>
    internal static IReadOnlyList<string> HostKernelClasses { get; } = ["runc", "crun", "youki"];

    /// <summary>
    /// True for a class named after an OCI runtime on the host kernel (<c>runc</c>, <c>crun</c>, <c>youki</c>): never a sandbox, so
    /// never a class to add to pods or to allow.
    /// </summary>
    public bool IsHostKernel => IsHostKernelClass(Name);

    /// <summary>True when <paramref name="runtimeClassName"/> is a known host-kernel runtime (<see cref="HostKernelClasses"/>).</summary>
    internal static bool IsHostKernelClass(string? runtimeClassName) =>
        runtimeClassName is not null && HostKernelClasses.Contains(runtimeClassName.Trim(), StringComparer.Ordinal);

    /// <summary>
    /// Throws when this runtime is a host-kernel runtime such as <c>runc</c>: sandboxing with it would change the class and isolate
    /// nothing (a string converts to a runtime implicitly, so <c>pod.Sandbox("runc")</c> compiles).
    /// </summary>
    /// <param name="call">The call that asked for it, for the message.</param>
    internal SandboxRuntime ThrowIfHostKernel(string call)
    {
        if (IsHostKernelClass(Name))
        {
            throw new SandboxException(
                $"{call}: '{Name}' runs pods on the node's shared kernel, it is not a sandbox runtime class. " +
                $"Use a sandbox class such as '{KnownRuntimeClasses.Default}' (SandboxRuntime.Default), or opt the workload out of " +
                "sandboxing with the annotation sandboxing.sdk/exempt: \"<reason>\" (WithoutSandbox(reason) in the builders).");
        }

        return this;
    }

    /// <summary>
    /// The known class that <paramref name="name"/> looks like a typo of, or null. A name is a typo when no class of
    /// <see cref="Presets"/> has it and it is within the near-match distance of one (one edit per five characters, three at most,
    /// as the analyzer's "did you mean"); a name far from every preset may be a custom class and is not one.
    /// </summary>
    internal static string? MisspeltPreset(string name) =>
        KnownRuntimeClasses.Find(name) is null ? NearMatch.Among(name, KnownRuntimeClasses.All.Select(k => k.Name)) : null;

    /// <summary>
    /// Throws when this runtime is a plain name (no <see cref="Definition"/>) that is a typo of a preset
    /// (<c>kata-vm-isolaton</c>): the pods would name a class no cluster has and never start. A declared class is never refused.
    /// </summary>
    /// <param name="call">The call that asked for it, for the message.</param>
    internal SandboxRuntime ThrowIfMisspelt(string call)
    {
        if (Definition is null && MisspeltPreset(Name) is { } meant)
        {
            throw new SandboxException(
                $"{call}: '{Name}' is not a runtime class the SDK knows; did you mean '{meant}'? A custom class this close to a " +
                $"known one must be declared: pass SandboxRuntime.Define(\"{Name}\").WithHandler(...).Build() (a RuntimeClassDefinition) instead of its name.");
        }

        return this;
    }

    /// <summary>
    /// Whether <paramref name="name"/> is a sandbox class by name alone: a known class of the catalog, or a class named like a
    /// sandbox handler (<c>kata</c>, <c>kata-…</c>, <c>gvisor</c>…). Host-kernel classes (<c>runc</c>), <c>nvidia</c>,
    /// <c>default</c> and other unknown names are not; a custom sandbox class is declared with its definition.
    /// </summary>
    internal static bool IsSandboxClass(string? name) =>
        !string.IsNullOrWhiteSpace(name) && !IsHostKernelClass(name)
        && (KnownRuntimeClasses.Find(name) is not null || RuntimeClassDefinition.IsSandboxHandler(name));

    /// <summary>
    /// What is wrong with using the class <paramref name="name"/> by name, in words that follow it ("'x' …"), or null when it is a
    /// sandbox class: a typo of a known class (which looks like a kata-* handler but names a class no node has), or a class that is
    /// not a sandbox. The one check behind the builders, <c>Sandbox()</c>, the policies and the CLI's <c>policy</c> flags.
    /// </summary>
    internal static string? ClassProblem(string name) =>
        MisspeltPreset(name) is { } meant ? $"is not a known runtime class; did you mean '{meant}'?"
        : IsSandboxClass(name) ? null
        : "is not a sandbox runtime class, so pods that name it would run on the node's shared kernel";

    /// <summary>
    /// Throws unless this runtime is a sandbox: a host-kernel class (<c>runc</c>), a typo of a known class, a plain name that is
    /// no sandbox class (<c>nvidia</c>, <c>default</c>), or a definition whose handler is not a sandbox.
    /// </summary>
    /// <param name="call">The call that asked for it, in the words of the interface (<c>WithRuntime</c>, <c>Sandbox()</c>).</param>
    internal SandboxRuntime ThrowIfNotSandbox(string call)
    {
        ThrowIfHostKernel(call).ThrowIfMisspelt(call);
        if (Definition is { IsSandbox: false } definition)
        {
            throw new SandboxException(
                $"{call}: the runtime class '{Name}' has the handler '{definition.Handler}', which is not a sandbox, so its pods would run on the node's shared kernel. " +
                $"Use a sandbox class such as '{KnownRuntimeClasses.Default}' (SandboxRuntime.Default), or a definition whose handler is a sandbox (kata, kata-…).");
        }

        if (Definition is null && !IsSandboxClass(Name))
        {
            throw new SandboxException(
                $"{call}: '{Name}' {ClassProblem(Name)}. Use a sandbox class such as '{KnownRuntimeClasses.Default}' (SandboxRuntime.Default); " +
                $"for a sandbox class the SDK does not know, declare it: SandboxRuntime.Define(\"{Name}\").WithHandler(\"kata\").Build().");
        }

        return this;
    }

    /// <summary>Creates a runtime from a RuntimeClass name (same as the constructor).</summary>
    public static implicit operator SandboxRuntime(string name) => new(name);

    /// <summary>Starts the definition of a custom RuntimeClass, such as AKS's <c>small-kata-pods</c> example.</summary>
    /// <param name="name">The RuntimeClass name (DNS-1123 subdomain).</param>
    public static RuntimeClassDefinition.Builder Define(string name) => new(name);

    /// <summary>
    /// The RuntimeClass object for this runtime: the custom definition when there is one, otherwise what the SDK knows of the
    /// platform's class (handler, overhead, node selector). Platforms install their own classes: emit this only for custom classes
    /// or clusters you manage yourself.
    /// </summary>
    public V1RuntimeClass ToRuntimeClass()
    {
        if (Definition is { } definition)
        {
            return definition.ToRuntimeClass();
        }

        var known = Known;
        var builder = Define(Name).WithHandler(known?.Handler ?? "kata");
        if (known is not null)
        {
            builder.WithOverhead(memory: known.OverheadMemory, cpu: known.OverheadCpu);
            if (known.NodeSelectorKey is { } key)
            {
                builder.WithNodeSelector(key, known.NodeSelectorValue ?? "true");
            }

            if (known.TolerationKey is { } taintKey)
            {
                builder.WithToleration(taintKey, known.TolerationValue, known.TolerationEffect ?? "NoSchedule");
            }
        }

        return builder.Build().ToRuntimeClass();
    }

    /// <inheritdoc />
    public bool Equals(SandboxRuntime other) => string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is SandboxRuntime other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>Compares two runtimes by name.</summary>
    public static bool operator ==(SandboxRuntime left, SandboxRuntime right) => left.Equals(right);

    /// <summary>Compares two runtimes by name.</summary>
    public static bool operator !=(SandboxRuntime left, SandboxRuntime right) => !left.Equals(right);

    /// <summary>The RuntimeClass name.</summary>
    public override string ToString() => Name;
}
