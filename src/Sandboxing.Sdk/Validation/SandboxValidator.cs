using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// Checks Kubernetes objects against the rule catalog (SBX0001, SBX1001–SBX2009) without throwing. Works on any object or
/// collection the pod-template visitor understands; objects that hold no pod template produce no findings.
/// </summary>
/// <remarks>
/// Exemptions, the one model that <c>Sandbox()</c>, <c>ApplySandboxedAsync</c> and the admission policies share: only
/// <c>sandboxing.sdk/exempt: "&lt;reason&gt;"</c> (on the object or its pod template, reason not blank) opts a workload out of the
/// isolation rules SBX1001 and SBX1002. A per-rule annotation <c>sandboxing.sdk/exempt.SBXnnnn: "&lt;reason&gt;"</c> silences one
/// rule about a pod that stays sandboxed, SBX1003 and SBX2001–SBX2008, and nothing else: <c>sandboxing.sdk/exempt.SBX1001</c> or
/// <c>.SBX1002</c> does not let an unsandboxed pod through (the cluster policy and <c>Sandbox()</c> would not treat it as exempt),
/// and names (SBX0001), quantities (SBX2009) and blank opt-outs (SBX1004) cannot be exempted.
/// </remarks>
public static class SandboxValidator
{
    private const string RuntimeClassField = ".runtimeClassName";

    /// <summary>The rules a per-rule exemption annotation may silence: rules about a pod that stays sandboxed.</summary>
    private static readonly HashSet<string> s_perRuleExemptable = new(StringComparer.Ordinal)
    {
        SandboxRules.DeprecatedRuntimeClass.Id,
        SandboxRules.HostNetwork.Id, SandboxRules.HostNamespaces.Id, SandboxRules.PrivilegedContainer.Id, SandboxRules.HostPathVolume.Id,
        SandboxRules.MissingMemoryLimit.Id, SandboxRules.CpuRequestNotLimit.Id, SandboxRules.MemoryLimitTooSmall.Id,
        SandboxRules.RunAsNonRootWithoutUser.Id,
    };

    /// <summary>
    /// The one check of what keeps a pod from running once its runtime class is set: host networking (SBX2001, an error, since
    /// Kata cannot run it). The fixer and <c>Sandbox()</c> refuse such a pod instead of adding the class, and the validator reports
    /// it, up front when the class is missing; null when nothing does.
    /// </summary>
    internal static SandboxRule? RefusalOnceSandboxed(V1PodSpec spec) => spec.HostNetwork == true ? SandboxRules.HostNetwork : null;

    /// <summary>True when <c>sandboxing.sdk/exempt.&lt;ruleId&gt;</c> can silence the rule (SBX1003, SBX2001–SBX2008).</summary>
    public static bool IsPerRuleExemptable(string ruleId) => s_perRuleExemptable.Contains(ruleId);

    /// <summary>Validates every pod template in <paramref name="root"/> (an object, a typed list or a collection).</summary>
    /// <returns>Every finding, in object order; empty when the objects are sandboxed and compatible.</returns>
    /// <exception cref="SandboxException">A custom resource's pod spec (an <see cref="UnstructuredObject"/>) does not fit the PodSpec model.</exception>
    public static IReadOnlyList<SandboxFinding> Validate(object? root, SandboxValidationOptions? options = null)
    {
        options ??= SandboxValidationOptions.Default;
        List<SandboxFinding>? findings = null;
        if (root is not UnstructuredObject && PodTemplates.TryGet(root, out var single))
        {
            ValidateSite(single, options, ref findings);
        }
        else
        {
            PodTemplates.Visit(root, options.PodTemplates, site => ValidateSite(site, options, ref findings), writeBack: false); // it only reads
        }

        return findings ?? (IReadOnlyList<SandboxFinding>)Array.Empty<SandboxFinding>();
    }

    /// <summary>Validates one pod template.</summary>
    public static IReadOnlyList<SandboxFinding> Validate(PodTemplateSite? site, SandboxValidationOptions? options = null)
    {
        if (site is null)
        {
            return []; // as for a null object: nothing to check
        }

        List<SandboxFinding>? findings = null;
        ValidateSite(site, options ?? SandboxValidationOptions.Default, ref findings);
        return findings ?? (IReadOnlyList<SandboxFinding>)Array.Empty<SandboxFinding>();
    }

    private static void ValidateSite(PodTemplateSite site, SandboxValidationOptions options, ref List<SandboxFinding>? findings)
    {
        var context = new Context(site, options);
        var spec = site.Spec;
        var ownerMeta = site.Owner.Metadata;

        CheckNames(ref context, ownerMeta, ref findings);
        CheckQuantities(ref context, spec, ref findings);
        CheckNonRoot(ref context, spec, ref findings);

        // Opt-out: a reason silences the isolation rules; a blank one is itself a finding.
        bool exempt = false;
        var reason = SandboxAnnotations.FindExemption(ownerMeta, site.TemplateMetadata, SandboxAnnotations.Exempt, out var exemptPath);
        if (reason is not null)
        {
            if (string.IsNullOrWhiteSpace(reason))
            {
                context.Report(ref findings, SandboxRules.OptOutWithoutReason, exemptPath, SandboxAnnotations.Exempt);
            }
            else
            {
                exempt = options.HonorExemptions;
            }
        }

        var runtimeClass = spec.RuntimeClassName;
        string runtimePath = site.SpecPath + RuntimeClassField;
        bool sandboxed = false, refused = false;
        if (runtimeClass is null)
        {
            if (!exempt)
            {
                context.Report(ref findings, SandboxRules.MissingRuntimeClass, runtimePath, options.Runtime.Name);
                refused = true;
            }
        }
        else if (runtimeClass.Length == 0 || runtimeClass.Trim().Length == 0)
        {
            if (!exempt)
            {
                context.Report(ref findings, SandboxRules.RuntimeClassNotAllowed, runtimePath, runtimeClass, options.DescribeAllowed(), options.Runtime.Name);
                refused = true;
            }
        }
        else if (KubernetesNames.CheckSubdomain(runtimeClass) is { } nameError)
        {
            context.Report(ref findings, SandboxRules.InvalidName, runtimePath, runtimePath, runtimeClass, nameError);
        }
        else if (options.IsDenied(runtimeClass))
        {
            // A class defined with runc (or another host-kernel handler) is no sandbox, even under a known or deprecated name.
            if (!exempt)
            {
                context.Report(ref findings, SandboxRules.RuntimeClassNotAllowed, runtimePath, runtimeClass, options.DescribeAllowed(), options.Runtime.Name);
                refused = true;
            }
        }
        else if (KnownRuntimeClasses.Find(runtimeClass) is { IsObsolete: true } obsolete)
        {
            sandboxed = true;
            context.Report(ref findings, SandboxRules.DeprecatedRuntimeClass, runtimePath, runtimeClass,
                obsolete.Status == RuntimeClassStatus.Retired ? "retired (pods that ask for it are rejected)" : "deprecated",
                obsolete.ReplacedBy ?? options.Runtime.Name);
        }
        else if (options.IsAllowed(runtimeClass))
        {
            sandboxed = true;
        }
        else if (!exempt)
        {
            context.Report(ref findings, SandboxRules.RuntimeClassNotAllowed, runtimePath, runtimeClass, options.DescribeAllowed(), options.Runtime.Name);
            refused = true;
        }

        if (sandboxed)
        {
            CheckCompatibility(ref context, spec, ref findings);
        }
        else if (refused)
        {
            // In the same pass, what the pod will be told once the class is set (by fix, Sandbox() or by hand), so that setting
            // it never reveals new findings (lint, Validate() and the policies see the same pod); the messages say so.
            context.OnceSetTo = options.Runtime.Name;
            CheckCompatibility(ref context, spec, ref findings);
            context.OnceSetTo = null;
        }
    }

    private static void CheckNames(ref Context context, V1ObjectMeta? meta, ref List<SandboxFinding>? findings)
    {
        if (KubernetesNames.CheckSubdomain(meta?.Name) is { } nameError)
        {
            context.Report(ref findings, SandboxRules.InvalidName, "metadata.name", "metadata.name", meta?.Name ?? "", nameError);
        }

        if (meta?.NamespaceProperty is { } ns && KubernetesNames.CheckLabel(ns) is { } nsError)
        {
            context.Report(ref findings, SandboxRules.InvalidName, "metadata.namespace", "metadata.namespace", ns, nsError);
        }

        var spec = context.Site.Spec;
        CheckContainerNames(ref context, spec.Containers, "containers", ref findings);
        CheckContainerNames(ref context, spec.InitContainers, "initContainers", ref findings);
        if (spec.Volumes is { } volumes)
        {
            for (int i = 0; i < volumes.Count; i++)
            {
                if (KubernetesNames.CheckLabel(volumes[i]?.Name) is { } error)
                {
                    context.Report(ref findings, SandboxRules.InvalidName, $"{context.Site.SpecPath}.volumes[{i}].name", "volume name", volumes[i]?.Name ?? "", error);
                }
            }
        }
    }

    private static void CheckContainerNames(ref Context context, IList<V1Container>? containers, string field, ref List<SandboxFinding>? findings)
    {
        if (containers is null)
        {
            return;
        }

        // A custom resource's own schema says whether a name is required (Knative names unnamed containers itself): only the
        // names it gives are checked.
        bool namesOptional = context.Site.Owner is UnstructuredObject;
        for (int i = 0; i < containers.Count; i++)
        {
            if (namesOptional && string.IsNullOrEmpty(containers[i]?.Name))
            {
                continue;
            }

            if (KubernetesNames.CheckLabel(containers[i]?.Name) is { } error)
            {
                context.Report(ref findings, SandboxRules.InvalidName, $"{context.Site.SpecPath}.{field}[{i}].name", "container name", containers[i]?.Name ?? "", error);
            }
        }
    }

    private static void CheckCompatibility(ref Context context, V1PodSpec spec, ref List<SandboxFinding>? findings)
    {
        string specPath = context.Site.SpecPath;
        if (RefusalOnceSandboxed(spec) is not null)
        {
            context.Report(ref findings, SandboxRules.HostNetwork, specPath + ".hostNetwork");
        }

        if (spec.HostPID == true)
        {
            context.Report(ref findings, SandboxRules.HostNamespaces, specPath + ".hostPID", "hostPID");
        }

        if (spec.HostIPC == true)
        {
            context.Report(ref findings, SandboxRules.HostNamespaces, specPath + ".hostIPC", "hostIPC");
        }

        if (spec.ShareProcessNamespace == true)
        {
            context.Report(ref findings, SandboxRules.HostNamespaces, specPath + ".shareProcessNamespace", "shareProcessNamespace");
        }

        if (spec.Volumes is { } volumes)
        {
            for (int i = 0; i < volumes.Count; i++)
            {
                if (volumes[i]?.HostPath is { } hostPath)
                {
                    context.Report(ref findings, SandboxRules.HostPathVolume, $"{specPath}.volumes[{i}].hostPath", hostPath.Path, volumes[i].Name);
                }
            }
        }

        CheckContainers(ref context, spec.InitContainers, "initContainers", resources: false, ref findings);
        CheckContainers(ref context, spec.Containers, "containers", resources: true, ref findings);
    }

    private static void CheckContainers(ref Context context, IList<V1Container>? containers, string field, bool resources, ref List<SandboxFinding>? findings)
    {
        if (containers is null)
        {
            return;
        }

        for (int i = 0; i < containers.Count; i++)
        {
            var container = containers[i];
            if (container is null)
            {
                continue;
            }

            if (container.SecurityContext?.Privileged == true)
            {
                context.Report(ref findings, SandboxRules.PrivilegedContainer, $"{context.Site.SpecPath}.{field}[{i}].securityContext.privileged", container.Name);
            }

            if (!resources)
            {
                continue;
            }

            var limits = container.Resources?.Limits;
            var requests = container.Resources?.Requests;
            if (limits is null || !limits.TryGetValue("memory", out var memoryLimit) || memoryLimit is null)
            {
                context.Report(ref findings, SandboxRules.MissingMemoryLimit, $"{context.Site.SpecPath}.{field}[{i}].resources.limits.memory", container.Name);
            }
            else if (!Quantities.TryValueOf(memoryLimit, out var memoryBytes, out _))
            {
                // Reported as SBX2009 by CheckQuantities.
            }
            else if (memoryBytes < Quantities.MinimumSandboxMemoryBytes)
            {
                context.Report(ref findings, SandboxRules.MemoryLimitTooSmall, $"{context.Site.SpecPath}.{field}[{i}].resources.limits.memory",
                    container.Name, memoryLimit.ToString(), "128Mi");
            }

            if (requests is not null && requests.TryGetValue("cpu", out var cpuRequest) && cpuRequest is not null)
            {
                ResourceQuantity? cpuLimit = null;
                bool hasLimit = limits is not null && limits.TryGetValue("cpu", out cpuLimit) && cpuLimit is not null;
                bool readable = Quantities.TryValueOf(cpuRequest, out var requestCores, out _);
                decimal limitCores = 0;
                readable &= !hasLimit || Quantities.TryValueOf(cpuLimit, out limitCores, out _);
                if (readable && (!hasLimit || requestCores != limitCores))
                {
                    context.Report(ref findings, SandboxRules.CpuRequestNotLimit, $"{context.Site.SpecPath}.{field}[{i}].resources.requests.cpu",
                        container.Name, cpuRequest.ToString(), hasLimit ? cpuLimit!.ToString() : "no limit (1 vCPU)");
                }
            }
        }
    }

    /// <summary>SBX2009: every resource quantity of the pod (requests, limits, overhead, emptyDir sizes) must be one Kubernetes accepts.</summary>
    private static void CheckQuantities(ref Context context, V1PodSpec spec, ref List<SandboxFinding>? findings)
    {
        string specPath = context.Site.SpecPath;
        CheckContainerQuantities(ref context, spec.InitContainers, specPath + ".initContainers", ref findings);
        CheckContainerQuantities(ref context, spec.Containers, specPath + ".containers", ref findings);
        CheckQuantityMap(ref context, spec.Overhead, specPath + ".overhead", ref findings);
        if (spec.Volumes is { } volumes)
        {
            for (int i = 0; i < volumes.Count; i++)
            {
                if (volumes[i]?.EmptyDir?.SizeLimit is { } size)
                {
                    CheckQuantity(ref context, size, $"{specPath}.volumes[{i}].emptyDir.sizeLimit", ref findings);
                }
            }
        }
    }

    private static void CheckContainerQuantities(ref Context context, IList<V1Container>? containers, string path, ref List<SandboxFinding>? findings)
    {
        if (containers is null)
        {
            return;
        }

        for (int i = 0; i < containers.Count; i++)
        {
            if (containers[i]?.Resources is { } resources)
            {
                CheckQuantityMap(ref context, resources.Requests, $"{path}[{i}].resources.requests", ref findings);
                CheckQuantityMap(ref context, resources.Limits, $"{path}[{i}].resources.limits", ref findings);
            }
        }
    }

    private static void CheckQuantityMap(ref Context context, IDictionary<string, ResourceQuantity>? map, string path, ref List<SandboxFinding>? findings)
    {
        if (map is null)
        {
            return;
        }

        foreach (var (resource, quantity) in map)
        {
            CheckQuantity(ref context, quantity, $"{path}.{resource}", ref findings);
        }
    }

    private static void CheckQuantity(ref Context context, ResourceQuantity? quantity, string path, ref List<SandboxFinding>? findings)
    {
        if (quantity is not null && !Quantities.TryValueOf(quantity, out _, out var text))
        {
            context.Report(ref findings, SandboxRules.InvalidQuantity, path, path, text);
        }
    }

    /// <summary>
    /// SBX2008: the kubelet's own check (kubernetes/kubernetes pkg/kubelet/kuberuntime, <c>verifyRunAsNonRoot</c>): with an
    /// effective <c>runAsNonRoot: true</c> it refuses <c>runAsUser: 0</c>, and without a <c>runAsUser</c> it refuses an image whose
    /// user is root (or not numeric). The container's context overrides the pod's, field by field.
    /// </summary>
    private static void CheckNonRoot(ref Context context, V1PodSpec spec, ref List<SandboxFinding>? findings)
    {
        CheckNonRoot(ref context, spec.SecurityContext, spec.InitContainers, "initContainers", ref findings);
        CheckNonRoot(ref context, spec.SecurityContext, spec.Containers, "containers", ref findings);
    }

    private static void CheckNonRoot(ref Context context, V1PodSecurityContext? pod, IList<V1Container>? containers, string field, ref List<SandboxFinding>? findings)
    {
        if (containers is null)
        {
            return;
        }

        for (int i = 0; i < containers.Count; i++)
        {
            var container = containers[i];
            if (container is null || (container.SecurityContext?.RunAsNonRoot ?? pod?.RunAsNonRoot) != true)
            {
                continue;
            }

            var user = container.SecurityContext?.RunAsUser ?? pod?.RunAsUser;
            if (user is null)
            {
                context.Report(ref findings, SandboxRules.RunAsNonRootWithoutUser, $"{context.Site.SpecPath}.{field}[{i}].securityContext.runAsUser",
                    container.Name, "no runAsUser, so the kubelet refuses to start it when the image runs as root (\"container has runAsNonRoot and image will run as root\") or names a non-numeric user");
            }
            else if (user == 0)
            {
                context.Report(ref findings, SandboxRules.RunAsNonRootWithoutUser, $"{context.Site.SpecPath}.{field}[{i}].securityContext.runAsUser",
                    container.Name, "runAsUser: 0, so the kubelet refuses to start it (\"container's runAsUser breaks non-root policy\")");
            }
        }
    }

    /// <summary>The state shared by the checks of one pod template.</summary>
    private struct Context(PodTemplateSite site, SandboxValidationOptions options)
    {
        private string? _description;

        public readonly PodTemplateSite Site = site;

        /// <summary>Set while checking what a pod without a class will be told once the class is set to this name.</summary>
        public string? OnceSetTo;

        public void Report(ref List<SandboxFinding>? findings, SandboxRule rule, string path, params object?[] args)
        {
            if (options.HonorExemptions && s_perRuleExemptable.Contains(rule.Id) && IsRuleExempt(rule))
            {
                return;
            }

            _description ??= Site.Describe();
            var allArgs = new object?[args.Length + 1];
            allArgs[0] = _description;
            Array.Copy(args, 0, allArgs, 1, args.Length);
            findings ??= [];
            var message = rule.Format(allArgs);
            if (OnceSetTo is not null)
            {
                message = $"once runtimeClassName is set to '{OnceSetTo}': {message}";
            }

            findings.Add(new SandboxFinding(rule, rule.DefaultSeverity, Site.Kind, Site.Namespace, Site.Name, path, message));
        }

        private readonly bool IsRuleExempt(SandboxRule rule)
        {
            var reason = SandboxAnnotations.FindExemption(Site.Owner.Metadata, Site.TemplateMetadata, SandboxAnnotations.ExemptRule(rule.Id), out _);
            return !string.IsNullOrWhiteSpace(reason);
        }
    }
}
