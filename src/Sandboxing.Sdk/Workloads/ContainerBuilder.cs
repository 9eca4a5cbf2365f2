using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// Configures one container of a sandboxed workload. A new container is secure by default: no privilege escalation, runs as
/// non-root, read-only root filesystem, every Linux capability dropped. Each default can be overridden
/// (<see cref="WithWritableRootFilesystem"/>, <see cref="WithSecurityContext"/>).
/// </summary>
public sealed class ContainerBuilder
{
    private readonly string _path;

    internal ContainerBuilder(string name, string image, string path)
    {
        KubernetesNames.ThrowIfInvalidLabel(name, nameof(name), "container name");
        ThrowIfInvalidImage(image, path);
        _path = path;
        _container = new V1Container
        {
            Name = name,
            Image = image,
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                RunAsNonRoot = true,
                ReadOnlyRootFilesystem = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
        };
    }

    private bool _closed;

    /// <summary>The container being configured (the same instance ends up in the pod spec); throws once the builder is closed.</summary>
    internal V1Container Container
    {
        get
        {
            if (_closed)
            {
                throw new InvalidOperationException(
                    $"{_path}: this ContainerBuilder was used after the WithContainer/WithInitContainer call that created it returned; " +
                    "configure the container inside that lambda (a builder kept outside it could change an object already built).");
            }

            return _container;
        }
    }

    private readonly V1Container _container;

    /// <summary>Ends configuration: every later call throws. The workload builder calls it when the configure lambda returns.</summary>
    internal void Close() => _closed = true;

    /// <summary>The container, for the workload builder after <see cref="Close"/>.</summary>
    internal V1Container Result => _container;

    /// <summary>Replaces the image.</summary>
    public ContainerBuilder WithImage(string image)
    {
        ThrowIfInvalidImage(image, _path);
        Container.Image = image;
        return this;
    }

    /// <summary>Sets the image pull policy: <c>Always</c>, <c>IfNotPresent</c> or <c>Never</c>.</summary>
    public ContainerBuilder WithImagePullPolicy(string policy)
    {
        if (policy is not ("Always" or "IfNotPresent" or "Never"))
        {
            throw new ArgumentException($"{_path}.imagePullPolicy: '{policy}' is not one of Always, IfNotPresent, Never.", nameof(policy));
        }

        Container.ImagePullPolicy = policy;
        return this;
    }

    /// <summary>Sets the entrypoint (<c>command</c>), replacing the image's.</summary>
    public ContainerBuilder WithCommand(params string[] command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Container.Command = [.. command];
        return this;
    }

    /// <summary>Sets the arguments (<c>args</c>).</summary>
    public ContainerBuilder WithArgs(params string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Container.Args = [.. args];
        return this;
    }

    /// <summary>Sets the working directory.</summary>
    public ContainerBuilder WithWorkingDir(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Container.WorkingDir = directory;
        return this;
    }

    /// <summary>Adds an environment variable with a literal value.</summary>
    public ContainerBuilder WithEnv(string name, string value)
    {
        AddEnv(new V1EnvVar { Name = CheckEnvName(name), Value = value ?? throw new ArgumentNullException(nameof(value)) });
        return this;
    }

    /// <summary>Adds an environment variable read from one key of a Secret.</summary>
    public ContainerBuilder WithEnvFromSecret(string name, string secretName, string key, bool optional = false)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(secretName, nameof(secretName), "Secret name");
        ArgumentException.ThrowIfNullOrEmpty(key);
        AddEnv(new V1EnvVar
        {
            Name = CheckEnvName(name),
            ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secretName, Key = key, Optional = optional ? true : null } },
        });
        return this;
    }

    /// <summary>Adds an environment variable read from one key of a ConfigMap.</summary>
    public ContainerBuilder WithEnvFromConfigMap(string name, string configMapName, string key, bool optional = false)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(configMapName, nameof(configMapName), "ConfigMap name");
        ArgumentException.ThrowIfNullOrEmpty(key);
        AddEnv(new V1EnvVar
        {
            Name = CheckEnvName(name),
            ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = configMapName, Key = key, Optional = optional ? true : null } },
        });
        return this;
    }

    /// <summary>Imports every key of a Secret as environment variables (<c>envFrom</c>).</summary>
    public ContainerBuilder WithAllEnvFromSecret(string secretName, string? prefix = null)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(secretName, nameof(secretName), "Secret name");
        (Container.EnvFrom ??= []).Add(new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = secretName }, Prefix = prefix });
        return this;
    }

    /// <summary>Imports every key of a ConfigMap as environment variables (<c>envFrom</c>).</summary>
    public ContainerBuilder WithAllEnvFromConfigMap(string configMapName, string? prefix = null)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(configMapName, nameof(configMapName), "ConfigMap name");
        (Container.EnvFrom ??= []).Add(new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = configMapName }, Prefix = prefix });
        return this;
    }

    /// <summary>Declares a container port.</summary>
    /// <param name="containerPort">1 to 65535.</param>
    /// <param name="name">An optional IANA service name (at most 15 characters).</param>
    /// <param name="protocol"><c>TCP</c> (default), <c>UDP</c> or <c>SCTP</c>.</param>
    public ContainerBuilder WithPort(int containerPort, string? name = null, string protocol = "TCP")
    {
        if (containerPort is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(containerPort), containerPort, $"{_path}.ports: a port is 1 to 65535.");
        }

        if (name is not null && (name.Length > 15 || KubernetesNames.CheckLabel(name) is not null))
        {
            throw new ArgumentException($"{_path}.ports: the port name '{name}' must be at most 15 lowercase letters, digits and '-'.", nameof(name));
        }

        if (protocol is not ("TCP" or "UDP" or "SCTP"))
        {
            throw new ArgumentException($"{_path}.ports: protocol '{protocol}' is not one of TCP, UDP, SCTP.", nameof(protocol));
        }

        (Container.Ports ??= []).Add(new V1ContainerPort { ContainerPort = containerPort, Name = name, Protocol = protocol });
        return this;
    }

    /// <summary>
    /// Sets requests equal to limits for CPU and memory. Under Kata the memory limit sizes the pod's VM and the CPU limit, rounded
    /// up, its vCPUs; the shim cannot see requests, so keeping them equal avoids surprises.
    /// </summary>
    /// <param name="cpu">CPU, for example <c>500m</c> or <c>2</c>; null leaves CPU unset.</param>
    /// <param name="memory">Memory, for example <c>1Gi</c>; null leaves memory unset (the VM then gets 512Mi).</param>
    public ContainerBuilder WithResources(string? cpu, string? memory)
    {
        // One parsed quantity serves as both request and limit (ResourceQuantity is immutable).
        SetResource(requests: false, "cpu", cpu, alsoRequest: true);
        SetResource(requests: false, "memory", memory, alsoRequest: true);
        return this;
    }

    /// <summary>Sets requests only (for non-Kata-sized resources, or to deliberately differ from limits).</summary>
    public ContainerBuilder WithRequests(string? cpu = null, string? memory = null)
    {
        SetResource(requests: true, "cpu", cpu);
        SetResource(requests: true, "memory", memory);
        return this;
    }

    /// <summary>Sets limits only.</summary>
    public ContainerBuilder WithLimits(string? cpu = null, string? memory = null)
    {
        SetResource(requests: false, "cpu", cpu);
        SetResource(requests: false, "memory", memory);
        return this;
    }

    /// <summary>Sets the liveness probe (see <see cref="Probes"/>).</summary>
    public ContainerBuilder WithLivenessProbe(V1Probe probe)
    {
        Container.LivenessProbe = probe ?? throw new ArgumentNullException(nameof(probe));
        return this;
    }

    /// <summary>Sets the readiness probe (see <see cref="Probes"/>).</summary>
    public ContainerBuilder WithReadinessProbe(V1Probe probe)
    {
        Container.ReadinessProbe = probe ?? throw new ArgumentNullException(nameof(probe));
        return this;
    }

    /// <summary>Sets the startup probe (see <see cref="Probes"/>).</summary>
    public ContainerBuilder WithStartupProbe(V1Probe probe)
    {
        Container.StartupProbe = probe ?? throw new ArgumentNullException(nameof(probe));
        return this;
    }

    /// <summary>Mounts a volume of the pod into this container.</summary>
    /// <param name="volumeName">The pod volume's name.</param>
    /// <param name="mountPath">An absolute path inside the container.</param>
    /// <param name="readOnly">Mount read-only.</param>
    /// <param name="subPath">Mount one entry of the volume. Upstream Kata documents subPath as unsupported in some setups: test it on your runtime.</param>
    public ContainerBuilder WithVolumeMount(string volumeName, string mountPath, bool readOnly = false, string? subPath = null)
    {
        KubernetesNames.ThrowIfInvalidLabel(volumeName, nameof(volumeName), "volume name");
        if (string.IsNullOrEmpty(mountPath) || mountPath[0] != '/')
        {
            throw new ArgumentException($"{_path}.volumeMounts: the mount path '{mountPath}' must be an absolute path.", nameof(mountPath));
        }

        (Container.VolumeMounts ??= []).Add(new V1VolumeMount
        {
            Name = volumeName,
            MountPath = mountPath,
            ReadOnlyProperty = readOnly ? true : null,
            SubPath = subPath,
        });
        return this;
    }

    /// <summary>Edits the container's security context (created with the secure defaults).</summary>
    public ContainerBuilder WithSecurityContext(Action<V1SecurityContext> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(Container.SecurityContext ??= new V1SecurityContext());
        return this;
    }

    /// <summary>Allows writes to the root filesystem (the default is read-only; prefer an emptyDir mounted where the app writes).</summary>
    public ContainerBuilder WithWritableRootFilesystem()
    {
        (Container.SecurityContext ??= new V1SecurityContext()).ReadOnlyRootFilesystem = false;
        return this;
    }

    /// <summary>Runs the container as this user ID (must not be 0 while <c>runAsNonRoot</c> is set).</summary>
    public ContainerBuilder RunAsUser(long userId, long? groupId = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(userId);
        var context = Container.SecurityContext ??= new V1SecurityContext();
        context.RunAsUser = userId;
        context.RunAsGroup = groupId;
        return this;
    }

    /// <summary>Edits the underlying <see cref="V1Container"/> directly, for fields the builder does not cover.</summary>
    public ContainerBuilder Configure(Action<V1Container> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(Container);
        return this;
    }

    private void SetResource(bool requests, string resource, string? quantity, bool alsoRequest = false)
    {
        if (quantity is null)
        {
            return;
        }

        if (!Quantities.TryParse(quantity, out var value) || value < 0)
        {
            // Name the field the caller wrote: with WithResources that is the request as much as the limit.
            Quantities.ThrowIfInvalid(quantity, $"{_path}.resources.{(requests || alsoRequest ? "requests" : "limits")}.{resource}");
        }

        var parsed = new ResourceQuantity(quantity);
        var resources = Container.Resources ??= new V1ResourceRequirements();
        if (requests || alsoRequest)
        {
            (resources.Requests ??= new Dictionary<string, ResourceQuantity>(2))[resource] = parsed;
        }

        if (!requests)
        {
            (resources.Limits ??= new Dictionary<string, ResourceQuantity>(2))[resource] = parsed;
        }
    }

    private void AddEnv(V1EnvVar variable) => (Container.Env ??= []).Add(variable);

    private string CheckEnvName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('='))
        {
            throw new ArgumentException($"{_path}.env: the variable name '{name}' must be non-empty and must not contain '='.", nameof(name));
        }

        return name;
    }

    private static void ThrowIfInvalidImage(string image, string path)
    {
        if (string.IsNullOrWhiteSpace(image) || image.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"{path}.image: '{image}' is not an image reference; write one such as 'ghcr.io/acme/runner:1.4'.", nameof(image));
        }
    }
}
