using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// A RuntimeClass the user defines: handler, fixed pod overhead, node selector and tolerations. AKS documents such classes for
/// smaller pod VMs (for example <c>small-kata-pods</c>, handler <c>kata</c>, overhead 120Mi). Build one with
/// <see cref="SandboxRuntime.Define(string)"/>, pass it as a <see cref="SandboxRuntime"/> and apply <see cref="ToRuntimeClass"/>.
/// </summary>
public sealed class RuntimeClassDefinition
{
    private RuntimeClassDefinition(
        string name, string handler, IReadOnlyDictionary<string, string> overhead,
        IReadOnlyDictionary<string, string> nodeSelector, IReadOnlyList<V1Toleration> tolerations)
    {
        Name = name;
        Handler = handler;
        Overhead = overhead;
        NodeSelector = nodeSelector;
        Tolerations = tolerations;
    }

    /// <summary>The RuntimeClass name pods use.</summary>
    public string Name { get; }

    /// <summary>The CRI handler (<c>kata</c> on AKS).</summary>
    public string Handler { get; }

    /// <summary>The fixed pod overhead (<c>overhead.podFixed</c>), resource name to quantity.</summary>
    public IReadOnlyDictionary<string, string> Overhead { get; }

    /// <summary>The node labels pods of this class are restricted to (<c>scheduling.nodeSelector</c>).</summary>
    public IReadOnlyDictionary<string, string> NodeSelector { get; }

    /// <summary>The tolerations added to pods of this class (<c>scheduling.tolerations</c>).</summary>
    public IReadOnlyList<V1Toleration> Tolerations { get; }

    /// <summary>
    /// True when the handler runs pods in a VM or kernel sandbox (see <see cref="IsSandboxHandler"/>), so that the class may be
    /// allowed as a sandbox; false for <c>runc</c>, <c>crun</c>, <c>youki</c> and every handler the SDK does not know.
    /// </summary>
    public bool IsSandbox => IsSandboxHandler(Handler);

    /// <summary>
    /// Whether a CRI handler runs pods in a sandbox: <c>kata</c> or <c>kata-&lt;shim&gt;</c> (Kata Containers, as AKS, OpenShift and
    /// kata-deploy install it), or the handler of a class of <see cref="KnownRuntimeClasses"/> that is neither obsolete nor undocumented
    /// (<c>gvisor</c>, <c>runv</c>, <c>isolated-sandbox</c>, <c>confidential-sandbox</c>). Every other handler, the host-kernel
    /// runtimes <c>runc</c>, <c>crun</c> and <c>youki</c> first, does not count: a class is trusted by what runs it, not by its name.
    /// </summary>
    /// <param name="handler">The RuntimeClass's <c>handler</c>.</param>
    public static bool IsSandboxHandler(string? handler)
    {
        if (string.IsNullOrEmpty(handler) || SandboxRuntime.IsHostKernelClass(handler))
        {
            return false;
        }

        if (handler == "kata" || handler.StartsWith("kata-", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var known in KnownRuntimeClasses.All)
        {
            if (known.IsUsableSandbox && string.Equals(known.Handler, handler, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The definition a <c>node.k8s.io/v1</c> RuntimeClass object states: its name, handler, <c>overhead.podFixed</c> memory and CPU
    /// (other resources are left out), and <c>scheduling</c> node selector and tolerations. What a manifest defines, the capacity
    /// plan and the validator can then use (<c>SandboxValidationOptions.RuntimeClasses</c>, <c>CapacityPlanOptions.RuntimeClasses</c>).
    /// </summary>
    /// <param name="runtimeClass">The RuntimeClass, for example one read with <c>SandboxManifest.ReadRuntimeClasses</c>.</param>
    /// <exception cref="ArgumentException">The name, the handler or an overhead is not valid, as the API server would refuse it.</exception>
    public static RuntimeClassDefinition FromRuntimeClass(V1RuntimeClass runtimeClass)
    {
        ArgumentNullException.ThrowIfNull(runtimeClass);
        var name = runtimeClass.Metadata?.Name;
        KubernetesNames.ThrowIfInvalidSubdomain(name, nameof(runtimeClass), "RuntimeClass metadata.name");
        KubernetesNames.ThrowIfInvalidLabel(runtimeClass.Handler, nameof(runtimeClass), $"RuntimeClass '{name}' handler");
        var overhead = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in (string[])["memory", "cpu"])
        {
            if (runtimeClass.Overhead?.PodFixed?.TryGetValue(resource, out var quantity) == true && quantity?.ToString() is { } text)
            {
                Quantities.ThrowIfInvalid(text, $"RuntimeClass '{name}' overhead.podFixed.{resource}");
                overhead[resource] = text;
            }
        }

        var nodeSelector = runtimeClass.Scheduling?.NodeSelector is { } selector
            ? new Dictionary<string, string>(selector, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var tolerations = (runtimeClass.Scheduling?.Tolerations ?? []).Where(t => t is not null).Select(global::Sandboxing.Sdk.Tolerations.Clone).ToArray();
        return new RuntimeClassDefinition(name!, runtimeClass.Handler, overhead, nodeSelector, tolerations);
    }

    /// <summary>This definition as a runtime that builders and <c>Sandbox()</c> accept.</summary>
    public SandboxRuntime AsRuntime() => new(this);

    /// <summary>Converts the definition into a runtime.</summary>
    public static implicit operator SandboxRuntime(RuntimeClassDefinition definition) => definition.AsRuntime();

    /// <summary>The <c>node.k8s.io/v1</c> RuntimeClass object, ready to apply or serialise.</summary>
    public V1RuntimeClass ToRuntimeClass()
    {
        var runtimeClass = new V1RuntimeClass
        {
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "sandboxing-sdk" },
            },
            Handler = Handler,
        };

        if (Overhead.Count > 0)
        {
            runtimeClass.Overhead = new V1Overhead
            {
                PodFixed = Overhead.ToDictionary(p => p.Key, p => new ResourceQuantity(p.Value)),
            };
        }

        if (NodeSelector.Count > 0 || Tolerations.Count > 0)
        {
            runtimeClass.Scheduling = new V1Scheduling
            {
                NodeSelector = NodeSelector.Count > 0 ? NodeSelector.ToDictionary(p => p.Key, p => p.Value) : null,
                Tolerations = Tolerations.Count > 0 ? Tolerations.Select(global::Sandboxing.Sdk.Tolerations.Clone).ToList() : null,
            };
        }

        return runtimeClass.Initialize();
    }

    /// <summary>Builds a <see cref="RuntimeClassDefinition"/>.</summary>
    public sealed class Builder
    {
        private readonly string _name;
        private readonly Dictionary<string, string> _overhead = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _nodeSelector = new(StringComparer.Ordinal);
        private readonly List<V1Toleration> _tolerations = [];
        private string _handler = "kata";

        internal Builder(string name)
        {
            KubernetesNames.ThrowIfInvalidSubdomain(name, nameof(name), "runtime class name");
            _name = name;
        }

        /// <summary>Sets the CRI handler (default <c>kata</c>, the handler AKS uses). Must be a DNS-1123 label.</summary>
        public Builder WithHandler(string handler)
        {
            KubernetesNames.ThrowIfInvalidLabel(handler, nameof(handler), "runtime class handler");
            _handler = handler;
            return this;
        }

        /// <summary>Sets the fixed pod overhead. Null leaves a resource unset.</summary>
        /// <param name="memory">Memory overhead, for example <c>120Mi</c>.</param>
        /// <param name="cpu">CPU overhead, for example <c>250m</c>.</param>
        public Builder WithOverhead(string? memory = null, string? cpu = null)
        {
            if (memory is not null)
            {
                Quantities.ThrowIfInvalid(memory, "overhead.podFixed.memory");
                _overhead["memory"] = memory;
            }

            if (cpu is not null)
            {
                Quantities.ThrowIfInvalid(cpu, "overhead.podFixed.cpu");
                _overhead["cpu"] = cpu;
            }

            return this;
        }

        /// <summary>Adds a node label that pods of this class are restricted to.</summary>
        public Builder WithNodeSelector(string key, string value)
        {
            KubernetesNames.ThrowIfInvalidQualifiedName(key, nameof(key), "scheduling.nodeSelector key");
            _nodeSelector[key] = value ?? throw new ArgumentNullException(nameof(value));
            return this;
        }

        /// <summary>Adds a toleration for a taint (operator Equal, or Exists when <paramref name="value"/> is null).</summary>
        public Builder WithToleration(string key, string? value, string effect = "NoSchedule")
        {
            KubernetesNames.ThrowIfInvalidQualifiedName(key, nameof(key), "scheduling.tolerations key");
            _tolerations.Add(new V1Toleration
            {
                Key = key,
                OperatorProperty = value is null ? "Exists" : "Equal",
                Value = value,
                Effect = effect,
            });
            return this;
        }

        /// <summary>Creates the definition.</summary>
        public RuntimeClassDefinition Build() =>
            new(_name, _handler, new Dictionary<string, string>(_overhead), new Dictionary<string, string>(_nodeSelector), _tolerations.ToArray());

        /// <summary>Builds the definition and returns it as a runtime.</summary>
        public static implicit operator SandboxRuntime(Builder builder) => builder.Build().AsRuntime();
    }
}
