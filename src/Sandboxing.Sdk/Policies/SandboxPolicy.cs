using System.Collections;
using System.Globalization;
using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>How a policy treats a workload that breaks it.</summary>
public enum SandboxPolicyMode
{
    /// <summary>Refuse it: ValidatingAdmissionPolicy <c>Deny</c>, Kyverno <c>Enforce</c>.</summary>
    Enforce = 0,

    /// <summary>Admit it, warn the client and record it in the audit log: <c>Warn</c> + <c>Audit</c>, Kyverno <c>Audit</c>. For a gradual rollout.</summary>
    Audit,
}

/// <summary>The ConfigMap an operator lists exempt workloads in (the policy's <c>paramKind</c>).</summary>
internal sealed class ExemptionConfigMap
{
    internal ExemptionConfigMap(string @namespace, string name)
    {
        Namespace = @namespace;
        Name = name;
    }

    /// <summary>Its namespace: one that only operators can write (tenants must not hold <c>configmaps</c> write there).</summary>
    public string Namespace { get; }

    /// <summary>Its name.</summary>
    public string Name { get; }
}

/// <summary>
/// Admission policies that make Kata the cluster's default and enforce what the validator, the analyzer and the linter check,
/// in the namespaces a selector picks:
/// <list type="bullet">
/// <item><see cref="RequireSandbox"/>: a ValidatingAdmissionPolicy (and Kyverno validate policy) that refuses Pods, and the pod
/// templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs and CronJobs, without an allowed
/// runtime class, plus the <see cref="SandboxPolicyChecks"/> chosen.</item>
/// <item><see cref="DefaultToSandbox()"/>: first a MutatingAdmissionPolicy that adds the runtime class to Pods created without
/// one, then the same validating policy.</item>
/// </list>
/// Exemptions count only when an operator grants them: a namespace label, the requesting user's groups or service account, or an
/// entry in a parameter ConfigMap. The reason-carrying annotation <c>sandboxing.sdk/exempt</c>, which the workload's author
/// writes, is honored only in the explicit, less strict annotation mode (<see cref="WithExemptionAnnotationsHonored"/>).
/// </summary>
/// <remarks>
/// The value is immutable; each <c>With…</c>/<c>For…</c>/<c>Exempting…</c> method returns a copy. Enumerating it yields every
/// object to apply (the exemption ConfigMap, the mutating policy and binding, the validating policy and binding), so
/// <c>SandboxManifest.ToYaml(policy)</c> writes them all. <see cref="Validate()"/> lists what the policy would do wrong (SBX5xxx);
/// generating a policy whose check has errors throws <see cref="SandboxValidationException"/>.
/// </remarks>
public sealed partial class SandboxPolicy : IEnumerable<IKubernetesObject>
{
    /// <summary>The namespace label the default selector matches: <c>sandboxing.sdk/enforce: "true"</c>.</summary>
    public const string DefaultNamespaceLabel = "sandboxing.sdk/enforce";

    /// <summary>The namespace label an operator sets to exempt a namespace: <c>sandboxing.sdk/exempt: "true"</c>; <c>sandboxing.sdk/exempt.SBX2001</c> exempts from one rule.</summary>
    public const string DefaultExemptionLabel = "sandboxing.sdk/exempt";

    /// <summary>The default name of the ValidatingAdmissionPolicy and its binding.</summary>
    public const string DefaultName = "sandboxing-require-runtime-class";

    /// <summary>The default name of the exemption ConfigMap.</summary>
    public const string DefaultExemptionConfigMapName = "sandboxing-exemptions";

    /// <summary>The Kubernetes version assumed when none is given: the first with MutatingAdmissionPolicy v1.</summary>
    public static readonly Version DefaultKubernetesVersion = new(1, 36);

    private SandboxPolicy()
    {
    }

    /// <summary>The policy's name (a DNS-1123 subdomain); the bindings, the mutating policy and the Kyverno policies derive theirs from it.</summary>
    public string Name { get; private set; } = DefaultName;

    /// <summary>
    /// The runtime classes a pod may name. Default: the SDK's one default allow-list (AKS's <c>kata-vm-isolation</c>), the list the
    /// validator, the linter and the analyzer use by default; the VAP, MAP and Kyverno policies are generated from this list.
    /// </summary>
    public IReadOnlyList<string> AllowedRuntimeClasses { get; private set; } = [.. KnownRuntimeClasses.DefaultAllowed];

    /// <summary>The runtime class the mutating policies add. Default: AKS <c>kata-vm-isolation</c>.</summary>
    public SandboxRuntime Runtime { get; private set; }

    /// <summary>The namespaces the policy applies to. Default: those labelled <c>sandboxing.sdk/enforce: "true"</c>.</summary>
    public V1LabelSelector NamespaceSelector { get; private set; } = LabelSelector(DefaultNamespaceLabel, "true");

    /// <summary>Deny, or warn and audit.</summary>
    public SandboxPolicyMode Mode { get; private set; }

    /// <summary>The checks beyond the runtime class. Default: <see cref="SandboxPolicyChecks.Kata"/> (host network).</summary>
    public SandboxPolicyChecks Checks { get; private set; } = SandboxPolicyChecks.Kata;

    /// <summary>Whether host networking is refused (SBX2001), part of <see cref="Checks"/>.</summary>
    public bool RefuseHostNetwork => Checks.HasFlag(SandboxPolicyChecks.HostNetwork);

    /// <summary>Whether a MutatingAdmissionPolicy (and Kyverno mutate policy) adds the runtime class to Pods created without one.</summary>
    public bool DefaultsRuntimeClass { get; private set; }

    /// <summary>
    /// Whether the pod templates of workloads must name a class (true), or may leave it out because their Pods get it from the
    /// mutating policy (false; a class that is set must still be allowed). Default: true, and false for <see cref="DefaultToSandbox()"/>.
    /// </summary>
    public bool RequireClassOnTemplates { get; private set; } = true;

    /// <summary>The namespace label key that exempts a namespace (its value is <see cref="ExemptionLabelValue"/>), or null.</summary>
    public string? ExemptionLabelKey { get; private set; }

    /// <summary>The value of the exemption label. Default <c>"true"</c>.</summary>
    public string ExemptionLabelValue { get; private set; } = "true";

    /// <summary>Groups whose requests are exempt (<c>request.userInfo.groups</c>).</summary>
    public IReadOnlyList<string> ExemptGroups { get; private set; } = [];

    /// <summary>Users, and service accounts as <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>, whose requests are exempt (<c>request.userInfo.username</c>).</summary>
    public IReadOnlyList<string> ExemptUsers { get; private set; } = [];

    /// <summary>The ConfigMap that lists exempt workloads (<c>&lt;namespace&gt;.&lt;workload&gt;: &lt;reason&gt;</c>), or null.</summary>
    internal ExemptionConfigMap? ExemptionParameter { get; private set; }

    /// <summary>Whether <c>sandboxing.sdk/exempt</c> annotations with a reason exempt objects (the less strict mode). Default false.</summary>
    public bool HonorExemptionAnnotations { get; private set; }

    /// <summary>The Kubernetes version the policies target; it picks the API versions and the warnings. Default 1.36.</summary>
    public Version KubernetesVersion { get; private set; } = DefaultKubernetesVersion;

    /// <summary>
    /// The validator's options that judge a pod as this policy does: its allowed classes (the same list the generated policies
    /// hold), its runtime, and whether the author's exemption annotations count.
    /// </summary>
    internal SandboxValidationOptions ToValidationOptions() => new()
    {
        Runtime = Runtime,
        AllowedRuntimeClasses = AllowedRuntimeClasses,
        HonorExemptions = HonorExemptionAnnotations,
    };

    /// <summary>A copy with <paramref name="change"/> made: the policy is immutable, so each <c>With…</c> method returns one.</summary>
    private SandboxPolicy Copy(Action<SandboxPolicy> change)
    {
        var copy = (SandboxPolicy)MemberwiseClone();
        change(copy);
        return copy;
    }

    /// <summary>Starts a policy that requires an allowed sandbox runtime class.</summary>
    /// <param name="allowedRuntimeClasses">The allowed classes; none means the default runtime, <c>kata-vm-isolation</c>.</param>
    public static SandboxPolicy RequireSandbox(params string[] allowedRuntimeClasses)
    {
        ArgumentNullException.ThrowIfNull(allowedRuntimeClasses);
        var policy = new SandboxPolicy();
        return allowedRuntimeClasses.Length == 0 ? policy : policy.WithAllowedRuntimeClasses(allowedRuntimeClasses);
    }

    /// <summary>
    /// Starts a policy that makes the sandbox the default: a MutatingAdmissionPolicy sets <c>runtimeClassName</c> to the AKS runtime
    /// (<c>kata-vm-isolation</c>) on Pods created without one, then the validating policy requires an allowed class. Workload
    /// templates may leave the class out (their Pods get it); see <see cref="WithClassRequiredOnTemplates"/>.
    /// </summary>
    public static SandboxPolicy DefaultToSandbox() => DefaultToSandbox(default);

    /// <summary>Starts a policy that adds <paramref name="runtime"/> to Pods created without a class, then requires an allowed class.</summary>
    public static SandboxPolicy DefaultToSandbox(SandboxRuntime runtime) =>
        new SandboxPolicy { DefaultsRuntimeClass = true, RequireClassOnTemplates = false }.WithRuntime(runtime).Copy(p => p.AllowedRuntimeClasses = [runtime.Name]);

    /// <summary>Names the policy.</summary>
    /// <exception cref="ArgumentException">The name is not a DNS-1123 subdomain, or too long to derive the other names from.</exception>
    public SandboxPolicy WithName(string name)
    {
        KubernetesNames.ThrowIfInvalidSubdomain(name, nameof(name), "policy name");
        if (name.Length > 200)
        {
            throw new ArgumentException($"The policy name '{name}' is longer than 200 characters; the binding and Kyverno names add suffixes to it.", nameof(name));
        }

        return Copy(p => p.Name = name);
    }

    /// <summary>Sets the allowed runtime classes (each a DNS-1123 subdomain; at least one). The runtime stays allowed.</summary>
    public SandboxPolicy WithAllowedRuntimeClasses(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Length == 0)
        {
            throw new ArgumentException("Name at least one allowed runtime class, for example kata-vm-isolation: with none, every pod would be refused.", nameof(names));
        }

        foreach (var name in names)
        {
            KubernetesNames.ThrowIfInvalidSubdomain(name, nameof(names), "runtime class name");
            if (!(Runtime.Definition is { IsSandbox: true } && Runtime.Name == name) && ClassProblem(name) is { } problem)
            {
                throw new ArgumentException(
                    $"'{name}' {problem}. Allow sandbox classes only, such as {KnownRuntimeClasses.Default}; for a sandbox class the SDK " +
                    "does not know, pass its RuntimeClassDefinition to WithAllowedRuntimeClass.", nameof(names));
            }
        }

        var allowed = names.Distinct(StringComparer.Ordinal).ToList();
        if (DefaultsRuntimeClass && !allowed.Contains(Runtime.Name, StringComparer.Ordinal))
        {
            allowed.Add(Runtime.Name);
        }

        return Copy(p => p.AllowedRuntimeClasses = allowed);
    }

    /// <summary>
    /// Also allows a runtime class the SDK does not know by name, judged by its definition: a class whose handler is a sandbox
    /// (<c>kata</c>, <c>kata-…</c>, <c>gvisor</c>…) is allowed under any name; one on the host kernel (<c>runc</c>) is refused.
    /// </summary>
    /// <exception cref="ArgumentException">The definition's handler is not a sandbox.</exception>
    public SandboxPolicy WithAllowedRuntimeClass(RuntimeClassDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!definition.IsSandbox)
        {
            throw new ArgumentException(
                $"The runtime class '{definition.Name}' has the handler '{definition.Handler}', which is not a sandbox, so allowing it would admit pods on the node's shared kernel.",
                nameof(definition));
        }

        return Copy(p => p.AllowedRuntimeClasses = AllowedRuntimeClasses.Contains(definition.Name, StringComparer.Ordinal)
            ? AllowedRuntimeClasses
            : [.. AllowedRuntimeClasses, definition.Name]);
    }

    /// <summary>What is wrong with allowing the class <paramref name="name"/> by name, or null (see <see cref="SandboxRuntime.ClassProblem"/>).</summary>
    internal static string? ClassProblem(string name) => SandboxRuntime.ClassProblem(name);

    /// <summary>Sets the runtime the mutating policies add; it is also allowed.</summary>
    public SandboxPolicy WithRuntime(SandboxRuntime runtime) => Copy(p =>
    {
        if (runtime.Definition is { } definition ? !definition.IsSandbox : ClassProblem(runtime.Name) is not null)
        {
            throw new ArgumentException(
                $"'{runtime.Name}' {ClassProblem(runtime.Name) ?? "has a handler that is not a sandbox, so a policy that allows it would admit pods on the node's shared kernel"}. " +
                $"Use a sandbox class such as {KnownRuntimeClasses.Default} (SandboxRuntime.Default), or a RuntimeClassDefinition whose handler is a sandbox.",
                nameof(runtime));
        }

        p.Runtime = runtime;
        p.AllowedRuntimeClasses = AllowedRuntimeClasses.Contains(runtime.Name, StringComparer.Ordinal) ? AllowedRuntimeClasses : [.. AllowedRuntimeClasses, runtime.Name];
    });

    /// <summary>Applies the policy in namespaces with the label <paramref name="key"/>=<paramref name="value"/>.</summary>
    public SandboxPolicy WithNamespaceLabel(string key, string value = "true")
    {
        KubernetesNames.ThrowIfInvalidQualifiedName(key, nameof(key), "namespace label key");
        KubernetesNames.ThrowIfInvalidLabelValue(value, nameof(value), "namespace label value");
        return Copy(p => p.NamespaceSelector = LabelSelector(key, value));
    }

    /// <summary>Applies the policy in the named namespaces only.</summary>
    public SandboxPolicy WithNamespaces(params string[] names) => Copy(p => p.NamespaceSelector = NameSelector("In", names));

    /// <summary>Applies the policy in every namespace except the named ones (name <c>kube-system</c> among them: see SBX5005).</summary>
    public SandboxPolicy WithAllNamespacesExcept(params string[] names) => Copy(p => p.NamespaceSelector = NameSelector("NotIn", names));

    /// <summary>Sets the mode: <see cref="SandboxPolicyMode.Enforce"/> (Deny) or <see cref="SandboxPolicyMode.Audit"/> (Warn and Audit).</summary>
    public SandboxPolicy WithMode(SandboxPolicyMode mode) => Copy(p => p.Mode = mode);

    /// <summary>Sets the checks beyond the runtime class: a profile (<see cref="SandboxPolicyChecks.Kata"/>, <see cref="SandboxPolicyChecks.Hardened"/>) or any combination.</summary>
    public SandboxPolicy WithChecks(SandboxPolicyChecks checks)
    {
        if ((checks & ~SandboxPolicyChecks.Hardened) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(checks), checks, "Unknown SandboxPolicyChecks flags.");
        }

        return Copy(p => p.Checks = checks);
    }

    /// <summary>Whether host networking is refused as well (default true).</summary>
    public SandboxPolicy WithHostNetworkRefused(bool refuse = true) =>
        Copy(p => p.Checks = refuse ? Checks | SandboxPolicyChecks.HostNetwork : Checks & ~SandboxPolicyChecks.HostNetwork);

    /// <summary>
    /// The custom resources whose pod templates the validating policies check as well (default none). The pods their controllers
    /// create are checked at Pod CREATE either way; covering the custom resource refuses a bad template at <c>kubectl apply</c>,
    /// before its controller fails to start pods. Kyverno refuses a policy that names a kind its cluster does not serve, so cover
    /// only the kinds whose CRDs are installed.
    /// </summary>
    public IReadOnlyList<PodTemplateKind> CustomResources { get; private set; } = [];

    /// <summary>Checks the pod templates of these custom resources too (see <see cref="CustomResources"/>), for example
    /// <c>PodTemplateRegistry.Default.CustomResources.Where(k =&gt; k.Group == "argoproj.io")</c>.</summary>
    /// <exception cref="ArgumentException">A kind is built in (always covered) or a path key cannot be written in CEL.</exception>
    public SandboxPolicy WithCustomResources(params PodTemplateKind[] kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        foreach (var kind in kinds)
        {
            ArgumentNullException.ThrowIfNull(kind, nameof(kinds));
            if (kind.IsBuiltIn)
            {
                throw new ArgumentException($"{kind} is a built-in kind, which the policies always cover.", nameof(kinds));
            }

            if (PolicyCel.UnwritableKey(kind) is { } key)
            {
                throw new ArgumentException($"{kind}: the key '{key}' of its pod spec path is not a CEL identifier, so the policy cannot read it.", nameof(kinds));
            }
        }

        return Copy(p => p.CustomResources = [.. CustomResources.Where(c => !kinds.Any(k => k.Group == c.Group && k.Kind == c.Kind)), .. kinds]);
    }

    /// <summary>
    /// Whether workload templates must name a class (true: a Deployment without one is refused at <c>kubectl apply</c>, so manifests
    /// stay explicit) or may leave it out because the mutating policy gives their Pods the runtime (false: the Deployment is
    /// admitted as written, its Pods are sandboxed, and the template never shows the class: GitOps sees no drift).
    /// </summary>
    public SandboxPolicy WithClassRequiredOnTemplates(bool require = true) => Copy(p => p.RequireClassOnTemplates = require);

    /// <summary>
    /// Exempts namespaces an operator labels <paramref name="key"/>=<paramref name="value"/> from the whole policy, and from one
    /// rule with <c>&lt;key&gt;.SBXnnnn</c>=<paramref name="value"/>. Under default RBAC only cluster-wide roles can label
    /// namespaces (see docs/policies.md, threat model).
    /// </summary>
    public SandboxPolicy WithExemptNamespaceLabel(string key = DefaultExemptionLabel, string value = "true")
    {
        KubernetesNames.ThrowIfInvalidQualifiedName(key, nameof(key), "exemption label key");
        KubernetesNames.ThrowIfInvalidQualifiedName(RuleLabelKey(key, "SBX0000"), nameof(key), "exemption label key with a rule suffix");
        KubernetesNames.ThrowIfInvalidLabelValue(value, nameof(value), "exemption label value");
        if (value.Length == 0)
        {
            throw new ArgumentException("The exemption label value is empty; use a value such as \"true\".", nameof(value));
        }

        return Copy(p =>
    {
        p.ExemptionLabelKey = key;
        p.ExemptionLabelValue = value;
    });
    }

    /// <summary>Exempts requests from members of these groups (as the authenticator reports them, for example an Entra group object ID).</summary>
    public SandboxPolicy WithExemptGroups(params string[] groups) =>
        Copy(p => p.ExemptGroups = [.. ExemptGroups, .. Identities(groups, nameof(groups), "group")]);

    /// <summary>Exempts requests from these users (<c>request.userInfo.username</c>).</summary>
    public SandboxPolicy WithExemptUsers(params string[] users) =>
        Copy(p => p.ExemptUsers = [.. ExemptUsers, .. Identities(users, nameof(users), "user")]);

    /// <summary>Exempts requests from these service accounts, each <c>namespace/name</c> (the namespace is pinned: a tenant can create an account of the same name in its own namespace).</summary>
    public SandboxPolicy WithExemptServiceAccounts(params string[] serviceAccounts)
    {
        var users = new List<string>();
        foreach (var account in Identities(serviceAccounts, nameof(serviceAccounts), "service account"))
        {
            var parts = account.Split('/');
            if (parts.Length != 2 || KubernetesNames.CheckLabel(parts[0]) is not null || KubernetesNames.CheckSubdomain(parts[1]) is not null)
            {
                throw new ArgumentException($"The service account '{account}' is not 'namespace/name' (for example ci/deployer).", nameof(serviceAccounts));
            }

            users.Add($"system:serviceaccount:{parts[0]}:{parts[1]}");
        }

        return Copy(p => p.ExemptUsers = [.. ExemptUsers, .. users]);
    }

    /// <summary>
    /// Exempts the workloads listed in a ConfigMap (<c>paramKind</c> v1 ConfigMap): each key is <c>&lt;namespace&gt;.&lt;workload&gt;</c>
    /// and its value the reason (a blank reason does not count). An entry covers the object of that name and the Pods of its
    /// ReplicaSets (Deployments), Jobs (CronJobs), StatefulSets, DaemonSets and Jobs. A missing ConfigMap refuses every request the
    /// policy matches (<c>parameterNotFoundAction: Deny</c>), so the policy's objects include an empty one.
    /// </summary>
    public SandboxPolicy WithExemptionConfigMap(string @namespace, string name = DefaultExemptionConfigMapName)
    {
        KubernetesNames.ThrowIfInvalidLabel(@namespace, nameof(@namespace), "exemption ConfigMap namespace");
        KubernetesNames.ThrowIfInvalidSubdomain(name, nameof(name), "exemption ConfigMap name");
        return Copy(p => p.ExemptionParameter = new ExemptionConfigMap(@namespace, name));
    }

    /// <summary>
    /// Whether <c>sandboxing.sdk/exempt</c> (and per-rule <c>sandboxing.sdk/exempt.SBXnnnn</c>) annotations with a reason exempt an
    /// object, as the SDK's validator reads them. Less strict: whoever writes the workload can exempt it (SBX5007). Default false.
    /// </summary>
    public SandboxPolicy WithExemptionAnnotationsHonored(bool honor = true) => Copy(p => p.HonorExemptionAnnotations = honor);

    /// <summary>Targets a Kubernetes version such as <c>1.34</c> or <c>v1.35.2</c>: it picks the MutatingAdmissionPolicy API version (v1 from 1.36, v1beta1 on 1.34–1.35).</summary>
    public SandboxPolicy WithKubernetesVersion(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        // A pre-release or distribution suffix may hold dots of its own (1.36.0-rc.1, v1.30.5-gke.1014001): only the part
        // before it is the version.
        var text = version.Trim().TrimStart('v', 'V').Split('-', '+')[0];
        var parts = text.Split('.');
        if (parts.Length is < 2 or > 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            || (parts.Length == 3 && !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            || major != 1)
        {
            throw new ArgumentException($"The Kubernetes version '{version}' is not like 1.34 or v1.35.2.", nameof(version));
        }

        return Copy(p => p.KubernetesVersion = new Version(major, minor));
    }

    /// <summary>The binding's <c>validationActions</c>: <c>[Deny]</c>, or <c>[Warn, Audit]</c> in audit mode.</summary>
    public IReadOnlyList<string> ValidationActions => Mode == SandboxPolicyMode.Enforce ? ["Deny"] : ["Warn", "Audit"];

    /// <summary>The label key that exempts a namespace from one rule: <c>&lt;key&gt;.SBXnnnn</c>.</summary>
    public static string RuleLabelKey(string key, string ruleId) => key + "." + ruleId;

    /// <summary>
    /// Every object to apply, in order: the exemption ConfigMap (when configured), the MutatingAdmissionPolicy and its binding (when
    /// defaulting; v1 or v1beta1 by <see cref="KubernetesVersion"/>), the ValidatingAdmissionPolicy and its binding.
    /// </summary>
    /// <exception cref="SandboxValidationException">The policy's <see cref="Validate()"/> has errors.</exception>
    public IReadOnlyList<IKubernetesObject> ToObjects()
    {
        ThrowIfErrors(kyverno: false);
        var objects = new List<IKubernetesObject>();
        if (ToExemptionConfigMap() is { } configMap)
        {
            objects.Add(configMap);
        }

        if (DefaultsRuntimeClass)
        {
            objects.AddRange(MutatingObjects());
        }

        objects.Add(ToValidatingAdmissionPolicy());
        objects.Add(ToValidatingAdmissionPolicyBinding());
        return objects;
    }

    /// <summary>The objects of <see cref="ToObjects"/> as one multi-document YAML string.</summary>
    public string ToYaml() => SandboxManifest.ToYaml([.. ToObjects()]);

    /// <summary>An empty exemption ConfigMap for operators to fill, or null when no <see cref="ExemptionParameter"/> is set.</summary>
    public V1ConfigMap? ToExemptionConfigMap() => ExemptionParameter is not { } parameter ? null : new V1ConfigMap
    {
        Metadata = new V1ObjectMeta
        {
            Name = parameter.Name,
            NamespaceProperty = parameter.Namespace,
            Labels = ManagedBy(),
            Annotations = new Dictionary<string, string>
            {
                ["sandboxing.sdk/format"] = "<namespace>.<workload>: <reason>; for example tenant-a.legacy-agent: needs the host network",
            },
        },
        Data = new Dictionary<string, string>(),
    }.Initialize();

    /// <summary>Yields the objects of <see cref="ToObjects"/>.</summary>
    public IEnumerator<IKubernetesObject> GetEnumerator() => ToObjects().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static V1LabelSelector LabelSelector(string key, string value) =>
        new() { MatchLabels = new Dictionary<string, string> { [key] = value } };

    private static V1LabelSelector NameSelector(string op, string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Length == 0)
        {
            throw new ArgumentException("Name at least one namespace.", nameof(names));
        }

        foreach (var name in names)
        {
            KubernetesNames.ThrowIfInvalidLabel(name, nameof(names), "namespace name");
        }

        return new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = NamespaceNameLabel, OperatorProperty = op, Values = names.Distinct(StringComparer.Ordinal).ToList() }],
        };
    }

    /// <summary>The label the API server puts on every namespace, holding its name.</summary>
    internal const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    private static IEnumerable<string> Identities(string[] values, string parameterName, string what)
    {
        ArgumentNullException.ThrowIfNull(values, parameterName);
        if (values.Length == 0)
        {
            throw new ArgumentException($"Name at least one {what} to exempt.", parameterName);
        }

        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value) || value.Trim().Length != value.Length)
            {
                throw new ArgumentException($"The {what} to exempt is empty or has surrounding white space ('{value}'); an empty name matches no request, so the exemption would silently do nothing.", parameterName);
            }
        }

        return values.Distinct(StringComparer.Ordinal);
    }

    internal static V1LabelSelector CopyOf(V1LabelSelector selector) => new()
    {
        MatchLabels = selector.MatchLabels is null ? null : new Dictionary<string, string>(selector.MatchLabels),
        MatchExpressions = selector.MatchExpressions?.Select(e => new V1LabelSelectorRequirement
        {
            Key = e.Key,
            OperatorProperty = e.OperatorProperty,
            Values = e.Values?.ToList(),
        }).ToList(),
    };

    internal static Dictionary<string, string> ManagedBy() => new() { ["app.kubernetes.io/managed-by"] = "sandboxing-sdk" };
}
