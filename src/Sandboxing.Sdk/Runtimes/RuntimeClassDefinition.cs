using k8s;
using k8s.Models;
using Sandboxing.Sdk.Objects;

namespace Sandboxing.Sdk.Runtimes;

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
                Tolerations = Tolerations.Count > 0 ? Tolerations.Select(Objects.Tolerations.Clone).ToList() : null,
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
