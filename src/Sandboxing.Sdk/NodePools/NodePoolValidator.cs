using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Sandboxing.Sdk.Aks;

/// <summary>The SBX3xxx checks of a node pool. Every problem is reported; nothing throws.</summary>
internal static partial class NodePoolValidator
{
    internal const string Kind = "AgentPool";

    /// <summary>The oldest Kubernetes version Pod Sandboxing supports at GA (AKS docs, use-pod-sandboxing).</summary>
    internal static readonly Version MinimumKubernetes = new(1, 27);

    /// <summary>The first Kubernetes version on which OS SKU AzureLinux gives Azure Linux 3.0 (AKS docs upgrade-os-version.md L44).</summary>
    internal static readonly Version FirstAzureLinux3 = new(1, 32);

    [GeneratedRegex("^[a-z][a-z0-9]{0,11}$")]
    private static partial Regex PoolName();

    // AKS cluster names: 1–63 letters, digits, '_' and '-', starting and ending with a letter or digit.
    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex ClusterName();

    // Resource group names: 1–90 letters, digits, '_', '-', '.', '(' and ')', not ending in '.'.
    [GeneratedRegex(@"^[\p{L}\p{Nd}_\-.()]{0,89}[\p{L}\p{Nd}_\-()]$")]
    private static partial Regex ResourceGroupName();

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex Guid();

    [GeneratedRegex("^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Network/virtualNetworks/[^/]+/subnets/[^/]+$", RegexOptions.IgnoreCase)]
    private static partial Regex SubnetId();

    [GeneratedRegex(@"^(\d+)\.(\d+)(\.\d+)?$")]
    private static partial Regex KubernetesVersion();

    /// <summary>Reports findings for one node pool: the pool's name for messages, the rule's severity, the ARM kind.</summary>
    private sealed class Reporter(NodePoolSpec spec, List<SandboxFinding> findings)
    {
        public string Pool { get; } = spec.Name ?? "";

        public void Report(SandboxRule rule, string path, params object?[] args) =>
            findings.Add(new SandboxFinding(rule, rule.DefaultSeverity, Kind, null, spec.Name, path, rule.Format(args)));

        /// <summary>SBX3011 for a setting AKS would reject.</summary>
        public void Invalid(string path, string problem) => Report(SandboxRules.NodePoolInvalidSetting, path, Pool, problem);
    }

    /// <summary>The checks, in the order their findings are reported.</summary>
    private static readonly Action<NodePoolSpec, Reporter>[] s_checks =
    [
        CheckName, CheckCluster, CheckResourceGroup, CheckSubscription, CheckOs, CheckFips, CheckVmSize, CheckRuntime, CheckApiVersion,
        CheckCounts, CheckKubernetesVersion, CheckMaxPods, CheckOsDisk, CheckZones, CheckLabels, CheckTaints, CheckSubnets, CheckTags,
        CheckTrustedLaunch, CheckArtifactStreaming,
    ];

    public static IReadOnlyList<SandboxFinding> Validate(NodePoolSpec spec)
    {
        var findings = new List<SandboxFinding>();
        var reporter = new Reporter(spec, findings);
        foreach (var check in s_checks)
        {
            check(spec, reporter);
        }

        return findings;
    }

    private static void CheckName(NodePoolSpec spec, Reporter r)
    {
        if (string.IsNullOrEmpty(spec.Name))
        {
            r.Report(SandboxRules.NodePoolInvalidName, "name", spec.Name ?? "", "it is empty");
        }
        else if (!PoolName().IsMatch(spec.Name))
        {
            r.Report(SandboxRules.NodePoolInvalidName, "name", spec.Name, DescribeNameProblem(spec.Name));
        }
    }

    private static void CheckCluster(NodePoolSpec spec, Reporter r)
    {
        if (string.IsNullOrWhiteSpace(spec.ClusterName))
        {
            r.Invalid("managedCluster.name", "the cluster name is empty; call InCluster(clusterName, resourceGroup) with the AKS cluster's name");
        }
        else if (!ClusterName().IsMatch(spec.ClusterName))
        {
            r.Invalid("managedCluster.name", $"the cluster name '{spec.ClusterName}' is not valid; AKS cluster names have 1 to 63 letters, digits, '_' and '-', starting and ending with a letter or digit");
        }
    }

    private static void CheckResourceGroup(NodePoolSpec spec, Reporter r)
    {
        if (string.IsNullOrWhiteSpace(spec.ResourceGroup))
        {
            r.Invalid("resourceGroup", "the resource group is empty; call InCluster(clusterName, resourceGroup) with the cluster's resource group");
        }
        else if (!ResourceGroupName().IsMatch(spec.ResourceGroup))
        {
            r.Invalid("resourceGroup", $"the resource group '{spec.ResourceGroup}' is not valid; use 1 to 90 letters, digits, '_', '-', '.', '(' and ')', not ending in '.'");
        }
    }

    private static void CheckSubscription(NodePoolSpec spec, Reporter r)
    {
        if (spec.SubscriptionId is not null && !Guid().IsMatch(spec.SubscriptionId))
        {
            r.Invalid("subscriptionId", $"the subscription ID '{spec.SubscriptionId}' is not a GUID; pass the subscription's ID (az account show --query id) or null");
        }
    }

    private static void CheckOs(NodePoolSpec spec, Reporter r)
    {
        const string path = "properties.osSKU";
        var sku = spec.OsSku;
        if (sku.IsWindows)
        {
            r.Report(SandboxRules.NodePoolWindows, "properties.osType", r.Pool, $"Windows (OS SKU {sku})");
            return;
        }

        if (!sku.SupportsPodSandboxing)
        {
            r.Report(SandboxRules.NodePoolOsSkuNotAzureLinux, path, r.Pool, sku.Value, "AzureLinux");
            return;
        }

        if (sku.IsOldAzureLinuxName)
        {
            r.Report(SandboxRules.NodePoolOsSkuRenamed, path, r.Pool, sku.Value);
        }

        // OS version by Kubernetes version (AKS docs upgrade-os-version.md L44–45 @fb060abe6): AzureLinux is 2.0 on 1.27–1.31 and
        // 3.0 from 1.32; AzureLinux3 is valid on 1.28–1.36. Without a pool version the cluster's decides, which is not known here.
        var version = ParseKubernetesVersion(spec.OrchestratorVersion);
        if (sku == AksOsSku.AzureLinux3)
        {
            if (version is not null && (version < new Version(1, 28) || version > new Version(1, 36)))
            {
                r.Report(SandboxRules.NodePoolAzureLinux3OutOfRange, path, r.Pool, spec.OrchestratorVersion);
            }

            r.Report(SandboxRules.NodePoolAzureLinux3NotDocumented, path, r.Pool);
        }
        else if (version is not null && version >= MinimumKubernetes && version < FirstAzureLinux3)
        {
            r.Report(SandboxRules.NodePoolAzureLinux2, path, r.Pool, sku.Value, spec.OrchestratorVersion);
        }
    }

    private static void CheckTrustedLaunch(NodePoolSpec spec, Reporter r)
    {
        if (spec.EnableSecureBoot || spec.EnableVtpm)
        {
            string what = spec.EnableSecureBoot && spec.EnableVtpm ? "secure boot and vTPM" : spec.EnableSecureBoot ? "secure boot" : "vTPM";
            r.Report(SandboxRules.NodePoolTrustedLaunch, spec.EnableSecureBoot ? "properties.securityProfile.enableSecureBoot" : "properties.securityProfile.enableVTPM", r.Pool, what);
        }
    }

    private static void CheckArtifactStreaming(NodePoolSpec spec, Reporter r)
    {
        if (spec.EnableArtifactStreaming)
        {
            r.Report(SandboxRules.NodePoolArtifactStreaming, "properties.artifactStreamingProfile.enabled", r.Pool);
        }
    }

    private static void CheckFips(NodePoolSpec spec, Reporter r)
    {
        if (spec.EnableFips)
        {
            r.Report(SandboxRules.NodePoolFips, "properties.enableFIPS", r.Pool);
        }
    }

    private static void CheckVmSize(NodePoolSpec spec, Reporter r)
    {
        const string path = "properties.vmSize";
        if (string.IsNullOrWhiteSpace(spec.VmSize))
        {
            r.Invalid(path, $"the VM size is empty; call WithVmSize with a Generation 2 size that supports nested virtualization, such as '{VmSizes.Suggested}'");
            return;
        }

        if (VmSizes.IsArm64(spec.VmSize))
        {
            r.Report(SandboxRules.NodePoolArm64Size, path, r.Pool, spec.VmSize, VmSizes.Suggested);
            return;
        }

        if (VmSizes.IsConfidential(spec.VmSize))
        {
            r.Report(SandboxRules.NodePoolConfidentialVmSize, path, r.Pool, spec.VmSize, VmSizes.Suggested);
            return;
        }

        var family = VmSizes.FindFamily(spec.VmSize);
        if (family is null)
        {
            r.Report(SandboxRules.NodePoolVmSizeUnknown, path, r.Pool, spec.VmSize, "which is not in the SDK's VM size catalog", VmSizes.Suggested);
        }
        else if (family.CannotRunPodSandboxing)
        {
            var reasons = new List<string>();
            if (family.Generation2 == VmSupport.NotSupported)
            {
                reasons.Add("it offers no Generation 2 images");
            }

            if (family.NestedVirtualization == VmSupport.NotSupported)
            {
                reasons.Add("it does not support nested virtualization");
            }

            r.Report(SandboxRules.NodePoolVmSizeUnsupported, path, r.Pool, spec.VmSize, family.Name + " family", string.Join(" and ", reasons), VmSizes.Suggested);
        }
        else if (!family.SupportsPodSandboxing)
        {
            r.Report(SandboxRules.NodePoolVmSizeUnknown, path,
                r.Pool, spec.VmSize, $"whose family {family.Name} has unconfirmed nested virtualization or Generation 2 support ({family.Source})", VmSizes.Suggested);
        }
        else if (VmSizes.Find(spec.VmSize) is null)
        {
            r.Report(SandboxRules.NodePoolVmSizeUnknown, path,
                r.Pool, spec.VmSize, $"which the catalog's {family.Name} row does not list (a typo, or a size the SDK does not know)", VmSizes.Suggested);
        }
    }

    private static void CheckRuntime(NodePoolSpec spec, Reporter r)
    {
        const string path = "properties.workloadRuntime";
        var runtime = spec.WorkloadRuntime;
        if (runtime == AksWorkloadRuntime.KataMshvVmIsolation)
        {
            r.Report(SandboxRules.NodePoolLegacyRuntime, path, r.Pool);
        }
        else if (runtime == AksWorkloadRuntime.KataCcIsolation)
        {
            r.Report(SandboxRules.NodePoolRuntimeNotKata, path, r.Pool, runtime.Value,
                "the Confidential Containers preview, sunset in March 2026 (AKS said it would then remove the kata-cc-isolation runtime class from node pools and create no new KataCcIsolation nodes; Azure/AKS#3781)");
        }
        else if (runtime == AksWorkloadRuntime.OciContainer || runtime == AksWorkloadRuntime.WasmWasi)
        {
            r.Report(SandboxRules.NodePoolRuntimeNotKata, path, r.Pool, runtime.Value, "which runs pods without VM isolation");
        }
        else if (runtime != AksWorkloadRuntime.KataVmIsolation)
        {
            r.Report(SandboxRules.NodePoolRuntimeNotKata, path, r.Pool, runtime.Value,
                "which is not a workload runtime AKS documents (KataVmIsolation, KataMshvVmIsolation, OCIContainer, WasmWasi)");
        }
    }

    private static void CheckApiVersion(NodePoolSpec spec, Reporter r)
    {
        var runtime = spec.WorkloadRuntime;
        string apiVersion = spec.ApiVersion ?? AksApiVersions.DefaultFor(runtime);
        if (AksApiVersions.CheckFormat(apiVersion) is { } formatError)
        {
            r.Invalid("apiVersion", formatError + $"; use '{AksApiVersions.Default}'");
        }
        else if (runtime.IsKataVmIsolation && !AksApiVersions.Supports(apiVersion, runtime))
        {
            var accepted = AksApiVersions.RuntimesOf(apiVersion);
            string what = accepted.Count == 0 ? "it predates workloadRuntime" : "it accepts " + string.Join(", ", accepted);
            string suggestion = runtime == AksWorkloadRuntime.KataMshvVmIsolation ? AksApiVersions.NewestPreview : AksApiVersions.Default;
            r.Report(SandboxRules.NodePoolApiVersionLacksRuntime, "apiVersion", r.Pool, apiVersion, runtime.Value, what, suggestion);
        }
    }

    private static void CheckCounts(NodePoolSpec spec, Reporter r)
    {
        int low = spec.Mode == AksNodePoolMode.System ? 1 : 0;
        const int high = 1000;
        string range = $"{low} to {high} for a {spec.Mode} pool";
        void Out(string path, string problem) => r.Report(SandboxRules.NodePoolCountOutOfRange, path, r.Pool, problem);

        if (!spec.EnableAutoScaling)
        {
            if (spec.Count is { } count && (count < low || count > high))
            {
                Out("properties.count", $"count {count} is out of range; use {range}");
            }

            return;
        }

        bool minOk = true, maxOk = true;
        if (spec.MinCount is { } min && (min < low || min > high))
        {
            Out("properties.minCount", $"minCount {min} is out of range; use {range}");
            minOk = false;
        }

        if (spec.MaxCount is { } max && (max < Math.Max(low, 1) || max > high))
        {
            Out("properties.maxCount", $"maxCount {max} is out of range; use {Math.Max(low, 1)} to {high}");
            maxOk = false;
        }

        if (minOk && maxOk && spec.MinCount > spec.MaxCount)
        {
            Out("properties.minCount", $"minCount {spec.MinCount} is greater than maxCount {spec.MaxCount}; make minCount no greater than maxCount");
        }
        else if (minOk && maxOk && spec.Count is { } initial && (initial < spec.MinCount || initial > spec.MaxCount))
        {
            Out("properties.count", $"the initial count {initial} is outside the autoscaling bounds {spec.MinCount} to {spec.MaxCount}; start within them");
        }
    }

    private static void CheckKubernetesVersion(NodePoolSpec spec, Reporter r)
    {
        if (spec.OrchestratorVersion is not { } k8sVersion)
        {
            return;
        }

        if (ParseKubernetesVersion(k8sVersion) is not { } version)
        {
            r.Invalid("properties.orchestratorVersion", $"'{k8sVersion}' is not a Kubernetes version; write major.minor or major.minor.patch, for example '1.35'");
        }
        else if (version < MinimumKubernetes)
        {
            r.Report(SandboxRules.NodePoolKubernetesTooOld, "properties.orchestratorVersion", r.Pool, k8sVersion, "1.27.0");
        }
    }

    /// <summary>The major.minor of a Kubernetes version written major.minor or major.minor.patch; null when malformed.</summary>
    internal static Version? ParseKubernetesVersion(string? text)
    {
        var match = text is null ? Match.Empty : KubernetesVersion().Match(text);
        return match.Success
            ? new Version(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;
    }

    private static void CheckMaxPods(NodePoolSpec spec, Reporter r)
    {
        if (spec.MaxPods is { } maxPods && maxPods is < 10 or > 250)
        {
            r.Invalid("properties.maxPods", $"maxPods {maxPods} is out of range; AKS allows 10 to 250 pods per node");
        }
    }

    private static void CheckOsDisk(NodePoolSpec spec, Reporter r)
    {
        if (spec.OsDiskSizeGB is { } disk && disk is < 0 or > 2048)
        {
            r.Invalid("properties.osDiskSizeGB", $"osDiskSizeGB {disk} is out of range; use 0 (the default) to 2048");
        }
    }

    private static void CheckZones(NodePoolSpec spec, Reporter r)
    {
        for (int i = 0; i < spec.Zones.Count; i++)
        {
            if (spec.Zones[i] is not ("1" or "2" or "3"))
            {
                r.Invalid($"properties.availabilityZones[{i}]", $"availability zone '{spec.Zones[i]}' is not one of \"1\", \"2\", \"3\"");
            }
        }

        if (spec.Zones.Count != spec.Zones.Distinct(StringComparer.Ordinal).Count())
        {
            r.Invalid("properties.availabilityZones", "an availability zone is listed twice; list each zone once");
        }
    }

    private static void CheckLabels(NodePoolSpec spec, Reporter r)
    {
        foreach (var (key, value) in spec.Labels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string path = $"properties.nodeLabels['{key}']";
            if (KubernetesNames.CheckQualifiedName(key) is { } keyError)
            {
                r.Invalid(path, $"node label key '{key}' is not valid: {keyError}");
            }
            else if (key.StartsWith("kubernetes.azure.com/", StringComparison.Ordinal))
            {
                r.Invalid(path, $"node label key '{key}' uses the prefix kubernetes.azure.com/, which AKS reserves for itself; choose another prefix");
            }

            if (KubernetesNames.CheckLabelValue(value) is { } valueError)
            {
                r.Invalid(path, $"the value '{value}' of node label '{key}' is not valid: {valueError}");
            }
        }
    }

    private static void CheckTaints(NodePoolSpec spec, Reporter r)
    {
        for (int i = 0; i < spec.Taints.Count; i++)
        {
            var entry = spec.Taints[i];
            string path = $"properties.nodeTaints[{i}]";
            if (entry.Parsed is null)
            {
                r.Invalid(path, $"'{entry.Text}' is not a taint; write key=value:Effect, for example '{AksNodeTaint.SandboxDefault}'");
            }
            else if (entry.Parsed.Problem() is { } taintError)
            {
                r.Invalid(path, taintError);
            }
        }
    }

    private static void CheckSubnets(NodePoolSpec spec, Reporter r)
    {
        if (spec.VnetSubnetId is { } vnetSubnet && !SubnetId().IsMatch(vnetSubnet))
        {
            r.Invalid("properties.vnetSubnetID", $"'{vnetSubnet}' is not a subnet resource ID (/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/virtualNetworks/…/subnets/…)");
        }

        if (spec.PodSubnetId is { } podSubnet && !SubnetId().IsMatch(podSubnet))
        {
            r.Invalid("properties.podSubnetID", $"'{podSubnet}' is not a subnet resource ID (/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/virtualNetworks/…/subnets/…)");
        }
    }

    private static void CheckTags(NodePoolSpec spec, Reporter r)
    {
        foreach (var (key, value) in spec.Tags.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string path = $"properties.tags['{key}']";
            if (key.Length is 0 or > 512 || key.IndexOfAny(['<', '>', '%', '&', '\\', '?', '/']) >= 0)
            {
                r.Invalid(path, $"tag name '{key}' is not valid; Azure tag names have 1 to 512 characters and none of < > % & \\ ? /");
            }

            if (value.Length > 256)
            {
                r.Invalid(path, $"the value of tag '{key}' has {value.Length} characters; Azure allows at most 256");
            }
        }
    }

    private static string DescribeNameProblem(string name)
    {
        if (name.Length > 12)
        {
            return $"it is {name.Length} characters long; AKS allows at most 12";
        }

        if (name.FirstOrDefault(char.IsAsciiLetterUpper) is var upper and not '\0')
        {
            return $"it contains the uppercase letter '{upper}'; AKS pool names are lowercase";
        }

        if (name[0] is < 'a' or > 'z')
        {
            return $"it starts with '{name[0]}'; it must start with a lowercase letter";
        }

        char bad = name.First(c => c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9')));
        return $"it contains '{bad}'; only lowercase letters and digits are allowed";
    }

    /// <summary>SBX3013 for every pod template that does not tolerate a repelling taint of <paramref name="pool"/>.</summary>
    public static IReadOnlyList<SandboxFinding> CheckTolerations(AksNodePool pool, object[] workloads, IReadOnlyList<RuntimeClassDefinition> runtimeClasses)
    {
        var findings = new List<SandboxFinding>();
        var repelling = pool.NodeTaints.Where(t => t.RepelsPods).ToArray();
        if (repelling.Length == 0)
        {
            return findings;
        }

        PodTemplates.Visit(workloads, PodTemplateRegistry.Default, site =>
        {
            var tolerations = new List<V1Toleration>(site.Spec.Tolerations ?? []);
            if (site.Spec.RuntimeClassName is { } rc && runtimeClasses.FirstOrDefault(d => d.Name == rc) is { } definition)
            {
                tolerations.AddRange(definition.Tolerations);
            }

            foreach (var taint in repelling)
            {
                if (!tolerations.Any(taint.IsToleratedBy))
                {
                    var rule = SandboxRules.NodePoolTaintNotTolerated;
                    findings.Add(new SandboxFinding(rule, rule.DefaultSeverity, site.Kind, site.Namespace, site.Name,
                        site.SpecPath + ".tolerations", rule.Format(site.Describe(), taint, pool.Name)));
                }
            }
        }, writeBack: false);
        return findings;
    }
}
