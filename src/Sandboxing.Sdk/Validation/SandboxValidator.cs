using k8s;
using k8s.Models;
using Sandboxing.Sdk.Catalog;
using Sandboxing.Sdk.Objects;

namespace Sandboxing.Sdk.Validation;

/// <summary>
/// Checks Kubernetes objects against the rule catalog (SBX0001, SBX1001–SBX2007) without throwing. Works on any object or
/// collection the pod-template visitor understands; objects that hold no pod template produce no findings.
/// </summary>
public static class SandboxValidator
{
    private const string RuntimeClassField = ".runtimeClassName";

    /// <summary>Validates every pod template in <paramref name="root"/> (an object, a typed list or a collection).</summary>
    /// <returns>Every finding, in object order; empty when the objects are sandboxed and compatible.</returns>
    public static IReadOnlyList<SandboxFinding> Validate(object? root, SandboxValidationOptions? options = null)
    {
        options ??= SandboxValidationOptions.Default;
        List<SandboxFinding>? findings = null;
        if (PodTemplates.TryGet(root, out var single))
        {
            ValidateSite(single, options, ref findings);
        }
        else
        {
            PodTemplates.Visit(root, site => ValidateSite(site, options, ref findings));
        }

        return findings ?? (IReadOnlyList<SandboxFinding>)Array.Empty<SandboxFinding>();
    }

    /// <summary>Validates one pod template.</summary>
    public static IReadOnlyList<SandboxFinding> Validate(PodTemplateSite site, SandboxValidationOptions? options = null)
    {
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
                exempt = options.HonourExemptions;
            }
        }

        var runtimeClass = spec.RuntimeClassName;
        string runtimePath = site.SpecPath + RuntimeClassField;
        bool sandboxed = false;
        if (runtimeClass is null)
        {
            if (!exempt)
            {
                context.Report(ref findings, SandboxRules.MissingRuntimeClass, runtimePath, options.Runtime.Name);
            }
        }
        else if (runtimeClass.Length == 0 || runtimeClass.Trim().Length == 0)
        {
            if (!exempt)
            {
                context.Report(ref findings, SandboxRules.RuntimeClassNotAllowed, runtimePath, runtimeClass, options.DescribeAllowed(), options.Runtime.Name);
            }
        }
        else if (KubernetesNames.CheckSubdomain(runtimeClass) is { } nameError)
        {
            context.Report(ref findings, SandboxRules.InvalidName, runtimePath, "runtimeClassName", runtimeClass, nameError);
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
        }

        if (sandboxed)
        {
            CheckCompatibility(ref context, spec, ref findings);
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

        for (int i = 0; i < containers.Count; i++)
        {
            if (KubernetesNames.CheckLabel(containers[i]?.Name) is { } error)
            {
                context.Report(ref findings, SandboxRules.InvalidName, $"{context.Site.SpecPath}.{field}[{i}].name", "container name", containers[i]?.Name ?? "", error);
            }
        }
    }

    private static void CheckCompatibility(ref Context context, V1PodSpec spec, ref List<SandboxFinding>? findings)
    {
        string specPath = context.Site.SpecPath;
        if (spec.HostNetwork == true)
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
            else if (Quantities.ValueOf(memoryLimit) < Quantities.MinimumSandboxMemoryBytes)
            {
                context.Report(ref findings, SandboxRules.MemoryLimitTooSmall, $"{context.Site.SpecPath}.{field}[{i}].resources.limits.memory",
                    container.Name, memoryLimit.ToString(), "128Mi");
            }

            if (requests is not null && requests.TryGetValue("cpu", out var cpuRequest) && cpuRequest is not null)
            {
                ResourceQuantity? cpuLimit = null;
                bool hasLimit = limits is not null && limits.TryGetValue("cpu", out cpuLimit) && cpuLimit is not null;
                if (!hasLimit || Quantities.ValueOf(cpuRequest) != Quantities.ValueOf(cpuLimit!))
                {
                    context.Report(ref findings, SandboxRules.CpuRequestNotLimit, $"{context.Site.SpecPath}.{field}[{i}].resources.requests.cpu",
                        container.Name, cpuRequest.ToString(), hasLimit ? cpuLimit!.ToString() : "no limit (1 vCPU)");
                }
            }
        }
    }

    /// <summary>The state shared by the checks of one pod template.</summary>
    private struct Context(PodTemplateSite site, SandboxValidationOptions options)
    {
        private string? _description;

        public readonly PodTemplateSite Site = site;

        public void Report(ref List<SandboxFinding>? findings, SandboxRule rule, string path, params object?[] args)
        {
            if (options.HonourExemptions && IsRuleExempt(rule))
            {
                return;
            }

            _description ??= Site.Describe();
            var allArgs = new object?[args.Length + 1];
            allArgs[0] = _description;
            Array.Copy(args, 0, allArgs, 1, args.Length);
            findings ??= [];
            findings.Add(new SandboxFinding(rule, rule.DefaultSeverity, Site.Kind, Site.Namespace, Site.Name, path, rule.Format(allArgs)));
        }

        private readonly bool IsRuleExempt(SandboxRule rule)
        {
            var reason = SandboxAnnotations.FindExemption(Site.Owner.Metadata, Site.TemplateMetadata, SandboxAnnotations.ExemptRule(rule.Id), out _);
            return !string.IsNullOrWhiteSpace(reason);
        }
    }
}
