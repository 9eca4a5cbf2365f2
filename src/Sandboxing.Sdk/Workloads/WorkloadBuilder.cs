using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// The part every workload builder shares: metadata, the pod spec and its containers, volumes and scheduling. The builder edits
/// the KubernetesClient model in place and <see cref="Build()"/> hands that model out, so building costs little more than an object
/// initializer; a builder builds once.
/// </summary>
/// <typeparam name="TSelf">The concrete builder, returned by every method for chaining.</typeparam>
/// <typeparam name="TObject">The model it builds.</typeparam>
/// <remarks>
/// Defaults (each can be overridden): <c>runtimeClassName: kata-vm-isolation</c> (<see cref="WithRuntime"/>);
/// <c>automountServiceAccountToken: false</c> (<see cref="WithServiceAccountToken"/>); pod <c>securityContext</c> with
/// <c>runAsNonRoot: true</c>, <c>runAsUser: 25000</c>, <c>runAsGroup: 26000</c> (<see cref="RunAsUser"/>)
/// and <c>seccompProfile: RuntimeDefault</c> (<see cref="WithPodSecurityContext"/>); containers as <see cref="ContainerBuilder"/>
/// describes; the label <c>app.kubernetes.io/name: &lt;name&gt;</c> on the object and its pods.
/// <para>
/// <c>Build()</c> fails closed: it refuses an object whose pods would run on the host kernel without a recorded reason (a runtime
/// class removed or changed to <c>runc</c> through <see cref="ConfigurePodSpec"/>, for example); <see cref="WithoutSandbox"/> is the
/// one way out.
/// </para>
/// </remarks>
public abstract class WorkloadBuilder<TSelf, TObject>
    where TSelf : WorkloadBuilder<TSelf, TObject>
    where TObject : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The label every workload and its pods carry, and that controllers select on.</summary>
    public const string NameLabel = "app.kubernetes.io/name";

    private readonly string _specPath;
    private readonly V1ObjectMeta? _templateMetadata;
    private SandboxRuntime _runtime;
    private bool _built;

    private protected WorkloadBuilder(string name, TObject obj, V1PodSpec podSpec, V1ObjectMeta? templateMetadata, string specPath)
    {
        SetTypeMeta(obj);
        Object = obj;
        PodSpec = podSpec;
        _templateMetadata = templateMetadata;
        _specPath = specPath;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [NameLabel] = name };
        obj.Metadata = new V1ObjectMeta { Name = name, Labels = labels };
        if (templateMetadata is not null)
        {
            templateMetadata.Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        }

        podSpec.Containers = new List<V1Container>(1);
        podSpec.RuntimeClassName = KnownRuntimeClasses.Default;
        podSpec.AutomountServiceAccountToken = false;
        podSpec.SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = SecureDefaults.UserId,
            RunAsGroup = SecureDefaults.GroupId,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        };
    }

    /// <summary>
    /// Starts from a copy of an existing object (see <c>Sandboxed.From</c>): everything it has is kept; a missing, blank,
    /// deprecated or host-kernel (<c>runc</c>) runtime class becomes the default one unless the object opted out with a reason.
    /// </summary>
    private protected WorkloadBuilder(TObject copy, V1PodSpec podSpec, V1ObjectMeta? templateMetadata, string specPath)
    {
        SetTypeMeta(copy);
        Object = copy;
        PodSpec = podSpec;
        _templateMetadata = templateMetadata;
        _specPath = specPath;
        copy.Metadata ??= new V1ObjectMeta();
        copy.Metadata.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (templateMetadata is not null)
        {
            templateMetadata.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
        }

        podSpec.Containers ??= new List<V1Container>(1);
        var reason = SandboxAnnotations.FindExemption(copy.Metadata, templateMetadata, SandboxAnnotations.Exempt, out _);
        var current = podSpec.RuntimeClassName;
        if (!string.IsNullOrWhiteSpace(reason))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(current) || KnownRuntimeClasses.Find(current) is { IsObsolete: true } || !KubernetesNames.IsSubdomain(current)
            || SandboxRuntime.IsHostKernelClass(current))
        {
            podSpec.RuntimeClassName = KnownRuntimeClasses.Default;
        }

        // Any other class the object brings stays for Build() to judge with the one allow-list: a name found in the object is
        // never trusted as the runtime (nvidia, an undeclared custom name, gvisor on AKS); WithRuntime(...) declares one.
    }

    /// <summary>
    /// Sets apiVersion and kind from the model's constants: KubernetesClient's <c>Initialize()</c> finds them by reflection on
    /// every call, which would dominate the cost of a build.
    /// </summary>
    private void SetTypeMeta(TObject obj)
    {
        var (group, version, kind) = TypeMeta;
        obj.ApiVersion = string.IsNullOrEmpty(group) ? version : group + "/" + version;
        obj.Kind = kind;
    }

    /// <summary>The model's API group, version and kind (its <c>KubeGroup</c>, <c>KubeApiVersion</c> and <c>KubeKind</c> constants).</summary>
    private protected abstract (string Group, string Version, string Kind) TypeMeta { get; }

    /// <summary>The object under construction.</summary>
    private protected TObject Object { get; }

    /// <summary>The pod spec under construction.</summary>
    private protected V1PodSpec PodSpec { get; }

    private protected TSelf Self => (TSelf)this;

    /// <summary>Where the pod spec is in the object (<c>spec</c>, <c>spec.template.spec</c>, …), for messages.</summary>
    private protected string SpecPath => _specPath;

    /// <summary>Checks a new object's name: a DNS-1123 subdomain, at most <paramref name="maxLength"/> characters for its kind.</summary>
    private protected static string CheckName(string name, string kind, int maxLength = KubernetesNames.MaxSubdomainLength)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(name, nameof(name), kind + " name");
        if (name.Length > maxLength)
        {
            throw new ArgumentException(
                $"{SandboxRules.InvalidName.Id}: the {kind} name '{name}' is {name.Length} characters long; a {kind} name has at most {maxLength}.",
                nameof(name));
        }

        return name;
    }

    /// <summary>Sets the namespace (a DNS-1123 label).</summary>
    public TSelf InNamespace(string @namespace)
    {
        KubernetesNames.ThrowIfInvalidLabel(@namespace, nameof(@namespace), "namespace");
        MutableObject.Metadata.NamespaceProperty = @namespace;
        return Self;
    }

    /// <summary>Adds a label to the object and to its pods. The <see cref="NameLabel"/> is fixed: controllers select on it.</summary>
    public TSelf WithLabel(string key, string value)
    {
        KubernetesNames.ThrowIfInvalidQualifiedName(key, nameof(key), "label key");
        if (key == NameLabel)
        {
            throw new ArgumentException(
                $"The label '{NameLabel}' is set from the workload's name and the selector matches it; choose the name when you start the builder.",
                nameof(key));
        }

        KubernetesNames.ThrowIfInvalidLabelValue(value, nameof(value), $"value of label '{key}'");
        MutableObject.Metadata.Labels[key] = value;
        if (_templateMetadata is not null)
        {
            _templateMetadata.Labels[key] = value;
        }

        return Self;
    }

    /// <summary>Adds an annotation to the object.</summary>
    public TSelf WithAnnotation(string key, string value)
    {
        KubernetesNames.ThrowIfInvalidQualifiedName(key, nameof(key), "annotation key");
        (MutableObject.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value ?? throw new ArgumentNullException(nameof(value));
        return Self;
    }

    /// <summary>Adds an annotation to the pods (the pod template; for a Pod, the Pod itself).</summary>
    public TSelf WithPodAnnotation(string key, string value)
    {
        KubernetesNames.ThrowIfInvalidQualifiedName(key, nameof(key), "annotation key");
        var meta = _templateMetadata ?? MutableObject.Metadata;
        (meta.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value ?? throw new ArgumentNullException(nameof(value));
        return Self;
    }

    /// <summary>Adds a container, secure by default (see <see cref="ContainerBuilder"/>), and lets <paramref name="configure"/> finish it.</summary>
    public TSelf WithContainer(string name, string image, Action<ContainerBuilder>? configure = null)
    {
        var containers = MutablePodSpec.Containers;
        var builder = new ContainerBuilder(name, image, $"{_specPath}.containers[{containers.Count}]");
        Configure(builder, configure);
        containers.Add(builder.Result);
        return Self;
    }

    /// <summary>Adds an init container, secure by default, run to completion before the containers start.</summary>
    public TSelf WithInitContainer(string name, string image, Action<ContainerBuilder>? configure = null)
    {
        var initContainers = MutablePodSpec.InitContainers ??= [];
        var builder = new ContainerBuilder(name, image, $"{_specPath}.initContainers[{initContainers.Count}]");
        Configure(builder, configure);
        initContainers.Add(builder.Result);
        return Self;
    }

    /// <summary>Runs <paramref name="configure"/>, then closes the container builder: a builder kept past the lambda cannot change the object.</summary>
    private static void Configure(ContainerBuilder builder, Action<ContainerBuilder>? configure)
    {
        try
        {
            configure?.Invoke(builder);
        }
        finally
        {
            builder.Close();
        }
    }

    /// <summary>Adds an emptyDir volume. With <paramref name="inMemory"/> it is a tmpfs that counts against the pod VM's memory.</summary>
    public TSelf WithEmptyDirVolume(string name, string? sizeLimit = null, bool inMemory = false) =>
        WithVolume(new V1Volume
        {
            Name = name,
            EmptyDir = new V1EmptyDirVolumeSource
            {
                SizeLimit = sizeLimit is null ? null : Quantities.Parse(sizeLimit, $"{_specPath}.volumes['{name}'].emptyDir.sizeLimit"),
                Medium = inMemory ? "Memory" : null,
            },
        });

    /// <summary>Adds a volume with the keys of a ConfigMap as files.</summary>
    public TSelf WithConfigMapVolume(string name, string configMapName, bool optional = false)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(configMapName, nameof(configMapName), "ConfigMap name");
        return WithVolume(new V1Volume { Name = name, ConfigMap = new V1ConfigMapVolumeSource { Name = configMapName, Optional = optional ? true : null } });
    }

    /// <summary>Adds a volume with the keys of a Secret as files.</summary>
    public TSelf WithSecretVolume(string name, string secretName, bool optional = false)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(secretName, nameof(secretName), "Secret name");
        return WithVolume(new V1Volume { Name = name, Secret = new V1SecretVolumeSource { SecretName = secretName, Optional = optional ? true : null } });
    }

    /// <summary>Adds a volume backed by a PersistentVolumeClaim.</summary>
    public TSelf WithPersistentVolumeClaimVolume(string name, string claimName, bool readOnly = false)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(claimName, nameof(claimName), "PersistentVolumeClaim name");
        return WithVolume(new V1Volume
        {
            Name = name,
            PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claimName, ReadOnlyProperty = readOnly ? true : null },
        });
    }

    /// <summary>Adds a projected volume that combines ConfigMaps, Secrets, downward API and service account tokens.</summary>
    public TSelf WithProjectedVolume(string name, params V1VolumeProjection[] sources)
    {
        if (sources is null || sources.Length == 0)
        {
            throw new ArgumentException($"{_specPath}.volumes['{name}'].projected: give at least one source.", nameof(sources));
        }

        return WithVolume(new V1Volume { Name = name, Projected = new V1ProjectedVolumeSource { Sources = [.. sources] } });
    }

    /// <summary>Adds any volume. A hostPath volume is accepted but reported (SBX2004) because it weakens the sandbox.</summary>
    public TSelf WithVolume(V1Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        KubernetesNames.ThrowIfInvalidLabel(volume.Name, nameof(volume), "volume name");
        var volumes = MutablePodSpec.Volumes ??= [];
        if (volumes.Any(v => v.Name == volume.Name))
        {
            throw new ArgumentException($"{_specPath}.volumes: a volume named '{volume.Name}' already exists.", nameof(volume));
        }

        volumes.Add(volume);
        return Self;
    }

    /// <summary>Runs the pods as a service account. Its token is mounted only if <paramref name="mountToken"/> is true.</summary>
    public TSelf WithServiceAccount(string serviceAccountName, bool mountToken = false)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(serviceAccountName, nameof(serviceAccountName), "service account name");
        MutablePodSpec.ServiceAccountName = serviceAccountName;
        PodSpec.AutomountServiceAccountToken = mountToken;
        return Self;
    }

    /// <summary>Mounts the service account token (off by default: untrusted code should not talk to the API server).</summary>
    public TSelf WithServiceAccountToken(bool mount = true)
    {
        MutablePodSpec.AutomountServiceAccountToken = mount;
        return Self;
    }

    /// <summary>Restricts the pods to nodes with this label.</summary>
    public TSelf WithNodeSelector(string key, string value)
    {
        KubernetesNames.ThrowIfInvalidQualifiedName(key, nameof(key), "node selector key");
        KubernetesNames.ThrowIfInvalidLabelValue(value, nameof(value), $"value of node selector '{key}'");
        (MutablePodSpec.NodeSelector ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value;
        return Self;
    }

    /// <summary>Tolerates a taint: operator <c>Equal</c> with a value, or <c>Exists</c> when <paramref name="value"/> is null.</summary>
    /// <param name="key">The taint key.</param>
    /// <param name="value">The taint value, or null to tolerate any value.</param>
    /// <param name="effect"><c>NoSchedule</c>, <c>PreferNoSchedule</c>, <c>NoExecute</c>, or null for all effects.</param>
    public TSelf WithToleration(string key, string? value = null, string? effect = "NoSchedule")
    {
        KubernetesNames.ThrowIfInvalidQualifiedName(key, nameof(key), "toleration key");
        if (effect is not (null or "NoSchedule" or "PreferNoSchedule" or "NoExecute"))
        {
            throw new ArgumentException($"{_specPath}.tolerations: effect '{effect}' is not one of NoSchedule, PreferNoSchedule, NoExecute.", nameof(effect));
        }

        Tolerations.AddMissing(MutablePodSpec,
            [new V1Toleration { Key = key, OperatorProperty = value is null ? "Exists" : "Equal", Value = value, Effect = effect }]);
        return Self;
    }

    /// <summary>Adds tolerations, for example a node pool's <c>PodTolerations</c>; equal ones are not duplicated.</summary>
    public TSelf WithTolerations(IEnumerable<V1Toleration> tolerations)
    {
        ArgumentNullException.ThrowIfNull(tolerations);
        var list = tolerations.ToList();
        int nullAt = list.IndexOf(null!);
        if (nullAt >= 0)
        {
            throw new ArgumentNullException(nameof(tolerations), $"{_specPath}.tolerations: toleration [{nullAt}] is null.");
        }

        Tolerations.AddMissing(MutablePodSpec, list);
        return Self;
    }

    /// <summary>Sets the pods' affinity and anti-affinity.</summary>
    public TSelf WithAffinity(V1Affinity affinity)
    {
        MutablePodSpec.Affinity = affinity ?? throw new ArgumentNullException(nameof(affinity));
        return Self;
    }

    /// <summary>Pulls images with these registry credentials (Secret names).</summary>
    public TSelf WithImagePullSecret(string secretName)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(secretName, nameof(secretName), "image pull Secret name");
        (MutablePodSpec.ImagePullSecrets ??= []).Add(new V1LocalObjectReference { Name = secretName });
        return Self;
    }

    /// <summary>Sets how long Kubernetes waits after SIGTERM before killing the containers.</summary>
    public TSelf WithTerminationGracePeriod(TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.Zero);
        MutablePodSpec.TerminationGracePeriodSeconds = (long)Math.Ceiling(period.TotalSeconds);
        return Self;
    }

    /// <summary>Sets the priority class of the pods.</summary>
    public TSelf WithPriorityClass(string priorityClassName)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(priorityClassName, nameof(priorityClassName), "priority class name");
        MutablePodSpec.PriorityClassName = priorityClassName;
        return Self;
    }

    /// <summary>
    /// Runs the pods as this user and group instead of the defaults 25000/26000, for an image that
    /// needs its own user (files owned by a specific uid). A container's own <see cref="ContainerBuilder.RunAsUser"/> still wins.
    /// </summary>
    /// <param name="userId">The user id; not 0, since the pods run with <c>runAsNonRoot: true</c>.</param>
    /// <param name="groupId">The primary group id; null leaves it to the image.</param>
    public TSelf RunAsUser(long userId, long? groupId = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(userId, 1);
        if (groupId < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groupId), groupId, $"{_specPath}.securityContext.runAsGroup cannot be negative.");
        }

        var context = MutablePodSpec.SecurityContext ??= new V1PodSecurityContext();
        context.RunAsUser = userId;
        context.RunAsGroup = groupId;
        return Self;
    }

    /// <summary>
    /// Edits the pod security context (created with <c>runAsNonRoot</c>, <c>runAsUser</c> 25000, <c>runAsGroup</c> 26000 and seccomp
    /// <c>RuntimeDefault</c>).
    /// </summary>
    public TSelf WithPodSecurityContext(Action<V1PodSecurityContext> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(MutablePodSpec.SecurityContext ??= new V1PodSecurityContext());
        return Self;
    }

    /// <summary>
    /// Chooses the sandbox runtime (default AKS <c>kata-vm-isolation</c>); its pod tolerations (GKE's gVisor taint, for example)
    /// are added.
    /// </summary>
    /// <remarks>
    /// A name that is no preset of <see cref="SandboxRuntime.Presets"/> but within a few edits of one (<c>kata-vm-isolaton</c>)
    /// is refused as a typo, with the preset it looks like; any other name that is not a sandbox class (<c>nvidia</c>,
    /// <c>default</c>) is refused too, unless it is named like a sandbox handler (<c>kata-…</c>). A custom sandbox class is
    /// declared with its <see cref="RuntimeClassDefinition"/> (<see cref="SandboxRuntime.Define"/>), whose handler must be a sandbox.
    /// </remarks>
    /// <exception cref="SandboxException">
    /// The runtime is not a sandbox: a host-kernel runtime such as <c>runc</c> (use <see cref="WithoutSandbox"/>), a plain name that
    /// is a typo of a preset or no sandbox class (<c>nvidia</c>), or a definition whose handler is not a sandbox.
    /// </exception>
    public TSelf WithRuntime(SandboxRuntime runtime)
    {
        EnsureMutable();
        runtime.ThrowIfNotSandbox($"{PodTemplates.Describe(Object)}: WithRuntime");
        _runtime = runtime;
        PodSpec.RuntimeClassName = runtime.Name;
        Tolerations.AddMissing(PodSpec, runtime.SharedPodTolerations);
        return Self;
    }

    /// <summary>
    /// Opts this workload out of sandboxing: no runtime class, and the reason is recorded as the annotation
    /// <c>sandboxing.sdk/exempt</c>, which the validator, the linter and the admission policies read.
    /// </summary>
    /// <param name="reason">Why the workload cannot run in a VM sandbox (required).</param>
    public TSelf WithoutSandbox(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException(
                $"{SandboxRules.OptOutWithoutReason.Id}: an opt-out from sandboxing needs a reason, for example WithoutSandbox(\"node agent needs host networking\").",
                nameof(reason));
        }

        WithAnnotation(SandboxAnnotations.Exempt, reason);
        PodSpec.RuntimeClassName = null;
        return Self;
    }

    /// <summary>
    /// Edits the pod spec directly, for fields the builder does not cover. The runtime class is checked at <see cref="Build"/>:
    /// removing it or naming a class that is not a sandbox fails there (use <see cref="WithRuntime"/> or <see cref="WithoutSandbox"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="configure"/> set the container list to null.</exception>
    public TSelf ConfigurePodSpec(Action<V1PodSpec> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(MutablePodSpec);
        if (PodSpec.Containers is null)
        {
            throw new ArgumentException(
                $"{PodTemplates.Describe(Object)}: ConfigurePodSpec set {_specPath}.containers to null; a pod needs a container list (add containers with WithContainer).",
                nameof(configure));
        }

        return Self;
    }

    /// <summary>Every finding the validator has for the object as it stands, without building it.</summary>
    public IReadOnlyList<SandboxFinding> Validate() => SandboxValidator.Validate(Object, ValidationOptions());

    /// <summary>
    /// Validates and returns the object, with <c>apiVersion</c> and <c>kind</c> set. A builder builds once.
    /// </summary>
    /// <exception cref="SandboxValidationException">The object has error-level findings; the exception lists all of them.</exception>
    /// <exception cref="SandboxValidationException">
    /// The pods would run without a sandbox and without a reason: no runtime class (SBX1001) or one that is not an allowed sandbox
    /// class (SBX1002), typically set through <see cref="ConfigurePodSpec"/>.
    /// </exception>
    /// <exception cref="InvalidOperationException">The pod has no container, or the builder was already built.</exception>
    [return: SandboxesArgument]
    public TObject Build()
    {
        EnsureMutable();
        if (PodSpec.Containers is null || PodSpec.Containers.Count == 0)
        {
            throw new InvalidOperationException(
                $"{PodTemplates.Describe(Object)}: {_specPath}.containers is empty; add one with WithContainer(name, image).");
        }

        BeforeBuild();
        var findings = SandboxValidator.Validate(Object, ValidationOptions());
        if (findings.Count > 0)
        {
            List<SandboxFinding>? errors = null;
            foreach (var finding in findings)
            {
                // SBX1001/SBX1002 are warnings for objects read from elsewhere; a builder never hands out an unsandboxed
                // object without the reason WithoutSandbox records (the validator then reports neither).
                if (finding.Severity == SandboxSeverity.Error
                    || finding.RuleId == SandboxRules.MissingRuntimeClass.Id || finding.RuleId == SandboxRules.RuntimeClassNotAllowed.Id)
                {
                    (errors ??= []).Add(finding);
                }
            }

            if (errors is not null)
            {
                throw new SandboxValidationException(errors);
            }
        }

        _built = true;
        return Object;
    }

    /// <summary>Lets a concrete builder finish its object before validation.</summary>
    private protected virtual void BeforeBuild()
    {
    }

    /// <summary>The object, for an edit; throws once built.</summary>
    private protected TObject MutableObject
    {
        get
        {
            EnsureMutable();
            return Object;
        }
    }

    /// <summary>The pod spec, for an edit; throws once built.</summary>
    private protected V1PodSpec MutablePodSpec
    {
        get
        {
            EnsureMutable();
            return PodSpec;
        }
    }

    /// <summary>Throws once the builder has built: the object it returned belongs to the caller.</summary>
    private protected void EnsureMutable()
    {
        if (_built)
        {
            throw new InvalidOperationException("This builder has already built its object; start a new builder for another one.");
        }
    }

    private SandboxValidationOptions ValidationOptions() =>
        _runtime == default ? SandboxValidationOptions.Default : new SandboxValidationOptions { Runtime = _runtime };
}
