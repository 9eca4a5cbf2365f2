using System.Net;
using System.Text.RegularExpressions;

namespace Sandboxing.Sdk.Aks;

/// <summary>Checks an AKS cluster definition (SBX3030–SBX3035) and its pools (their own SBX3001–SBX3013, through the public pool builder).</summary>
internal static partial class AksClusterValidator
{
    internal const string Kind = "ManagedCluster";

    [GeneratedRegex("^[a-zA-Z0-9]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?$")]
    private static partial Regex ClusterName();

    [GeneratedRegex("^[-\\w._()]{0,89}[-\\w_()]$")]
    private static partial Regex ResourceGroupName();

    [GeneratedRegex("^[a-z0-9]{2,40}$")]
    private static partial Regex Location();

    [GeneratedRegex("^[a-zA-Z0-9]([a-zA-Z0-9-]{0,52}[a-zA-Z0-9])?$")]
    private static partial Regex DnsPrefix();

    [GeneratedRegex("^[0-9]+\\.[0-9]+(\\.[0-9]+)?$")]
    private static partial Regex KubernetesVersion();

    [GeneratedRegex("^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-\\w._()]{1,90}/providers/Microsoft\\.Compute/diskEncryptionSets/[-\\w._]{1,80}$", RegexOptions.IgnoreCase)]
    private static partial Regex DiskEncryptionSetId();

    public static IReadOnlyList<SandboxFinding> Validate(ClusterSpec spec, out List<AksNodePool>? pools)
    {
        var findings = new List<SandboxFinding>();
        void Report(SandboxRule rule, SandboxSeverity severity, string path, params object?[] args) =>
            findings.Add(new SandboxFinding(rule, severity, Kind, null, spec.Name, path, rule.Format(args)));
        void Invalid(string path, string problem) => Report(SandboxRules.ClusterInvalidSetting, SandboxSeverity.Error, path, spec.Name, $"{path}: {problem}");
        var tenantSeverity = spec.TenantIsolation ? SandboxSeverity.Error : SandboxSeverity.Warning;

        if (!ClusterName().IsMatch(spec.Name))
        {
            Invalid("name", $"'{spec.Name}' is not a cluster name (1 to 63 letters, digits, '_' and '-', starting and ending with a letter or digit)");
        }

        if (!ResourceGroupName().IsMatch(spec.ResourceGroup))
        {
            Invalid("resourceGroup", $"'{spec.ResourceGroup}' is not a resource group name (1 to 90 letters, digits, '_', '-', '.', '(' and ')', not ending in '.')");
        }

        if (!Location().IsMatch(spec.Location))
        {
            Invalid("location", $"'{spec.Location}' is not an Azure region name such as westeurope (az account list-locations -o table)");
        }

        if (spec.SubscriptionId is { } sub && !Guid.TryParseExact(sub, "D", out _))
        {
            Invalid("subscriptionId", $"'{sub}' is not a GUID");
        }

        if (!DnsPrefix().IsMatch(spec.DnsPrefix ?? spec.Name))
        {
            Invalid("properties.dnsPrefix", $"'{spec.DnsPrefix ?? spec.Name}' is not a DNS prefix (1 to 54 letters, digits and '-', starting and ending with a letter or digit)");
        }

        if (spec.KubernetesVersion is { } version)
        {
            if (!KubernetesVersion().IsMatch(version))
            {
                Invalid("properties.kubernetesVersion", $"'{version}' is not major.minor or major.minor.patch");
            }
            else if (Version.Parse(string.Join('.', version.Split('.').Take(2))) < NodePoolValidator.MinimumKubernetes)
            {
                Invalid("properties.kubernetesVersion", $"{version} is older than {NodePoolValidator.MinimumKubernetes}, the first version Pod Sandboxing supports");
            }
        }

        if (AksApiVersions.CheckFormat(spec.ApiVersion ?? AksApiVersions.Default) is { } apiProblem)
        {
            Invalid("apiVersion", apiProblem);
        }

        if (spec.DiskEncryptionSetId is { } des && !DiskEncryptionSetId().IsMatch(des))
        {
            Invalid("properties.diskEncryptionSetID", $"'{des}' is not a disk encryption set resource ID (/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Compute/diskEncryptionSets/<name>)");
        }

        for (int i = 0; i < spec.AdminGroups.Count; i++)
        {
            if (!Guid.TryParseExact(spec.AdminGroups[i], "D", out _))
            {
                Invalid($"properties.aadProfile.adminGroupObjectIDs[{i}]", $"'{spec.AdminGroups[i]}' is not a GUID (the Entra group's object ID)");
            }
        }

        CheckNetwork(spec, Invalid);

        // Network policy, identity.
        if (spec.NetworkPolicy == AksNetworkPolicy.None)
        {
            Report(SandboxRules.ClusterNoNetworkPolicy, tenantSeverity, "properties.networkProfile.networkPolicy", spec.Name, "none");
        }

        string dataplane = spec.Dataplane ?? (spec.NetworkPolicy == AksNetworkPolicy.Cilium ? "cilium" : "azure");
        if (dataplane is not ("azure" or "cilium"))
        {
            Invalid("properties.networkProfile.networkDataplane", $"'{dataplane}' is not azure or cilium");
        }
        else if ((spec.NetworkPolicy == AksNetworkPolicy.Cilium) != (dataplane == "cilium") && spec.NetworkPolicy != AksNetworkPolicy.None)
        {
            Report(SandboxRules.ClusterNetworkPolicyDataplane, SandboxSeverity.Error, "properties.networkProfile.networkPolicy", spec.Name,
                spec.NetworkPolicy == AksNetworkPolicy.Cilium
                    ? "network policy 'cilium' requires networkDataplane 'cilium'"
                    : $"network policy '{spec.NetworkPolicy.ToString().ToLowerInvariant()}' does not run on the Cilium dataplane, which enforces policy itself; choose network policy 'cilium'");
        }

        if (spec.WorkloadIdentity && !spec.OidcIssuer)
        {
            Report(SandboxRules.ClusterWorkloadIdentity, SandboxSeverity.Error, "properties.oidcIssuerProfile.enabled", spec.Name,
                "Workload ID is enabled but the OIDC issuer is not; AKS rejects it: enable the OIDC issuer");
        }
        else if (!spec.WorkloadIdentity)
        {
            Report(SandboxRules.ClusterWorkloadIdentity, tenantSeverity, "properties.securityProfile.workloadIdentity.enabled", spec.Name,
                "Workload ID is off, so tenants get Azure access only through secrets or the node's identity; enable the OIDC issuer and Workload ID");
        }

        var entraProblems = new List<string>();
        if (!spec.EntraId)
        {
            entraProblems.Add("Entra ID integration is off");
        }
        else if (!spec.AzureRbac)
        {
            entraProblems.Add("Azure RBAC for Kubernetes authorization is off");
        }

        if (!spec.DisableLocalAccounts)
        {
            entraProblems.Add("local accounts are enabled");
        }

        if (entraProblems.Count > 0)
        {
            Report(SandboxRules.ClusterIdentityNotEntra, SandboxSeverity.Warning, spec.EntraId ? "properties.aadProfile.enableAzureRBAC" : "properties.aadProfile",
                spec.Name, string.Join(" and ", entraProblems));
        }

        pools = Pools(spec, findings, Invalid);
        if (pools is not null && !pools.Any(p => p.WorkloadRuntime == AksWorkloadRuntime.KataVmIsolation))
        {
            Report(SandboxRules.ClusterNoKataPool, SandboxSeverity.Error, "properties.agentPoolProfiles", spec.Name);
        }

        return findings;
    }

    private static List<AksNodePool>? Pools(ClusterSpec spec, List<SandboxFinding> findings, Action<string, string> invalid)
    {
        AksNodePool? system = spec.SystemPool;
        if (system is null)
        {
            // The default System pool, made with the public pool builder so it gets every pool check.
            var builder = AksNodePool.ForSandboxing("system").InCluster(spec.Name, spec.ResourceGroup, spec.SubscriptionId)
                .WithMode(AksNodePoolMode.System).WithVmSize(spec.SystemVmSize).WithNodeCount(spec.SystemCount);
            var poolFindings = builder.Validate()
                .Where(f => f.Path is not ("managedCluster.name" or "resourceGroup" or "subscriptionId")) // reported for the cluster
                .ToList();
            findings.AddRange(poolFindings);
            if (poolFindings.Any(f => f.Severity == SandboxSeverity.Error) || findings.Any(f => f.Severity == SandboxSeverity.Error))
            {
                return null;
            }

            system = builder.Build();
        }
        else if (system.Mode != AksNodePoolMode.System)
        {
            invalid("properties.agentPoolProfiles[0].mode", $"the System pool '{system.Name}' has mode {system.Mode}; a cluster needs a System pool (WithMode(AksNodePoolMode.System))");
        }

        var all = new List<AksNodePool> { system };
        all.AddRange(spec.Pools);
        for (int i = 0; i < all.Count; i++)
        {
            var pool = all[i];
            if (pool.ClusterName != spec.Name || pool.ResourceGroup != spec.ResourceGroup)
            {
                invalid($"properties.agentPoolProfiles[{i}]", $"pool '{pool.Name}' belongs to cluster '{pool.ClusterName}' in '{pool.ResourceGroup}', not to this one; call InCluster(\"{spec.Name}\", \"{spec.ResourceGroup}\")");
            }

            if (all.Take(i).Any(p => p.Name == pool.Name))
            {
                invalid($"properties.agentPoolProfiles[{i}].name", $"two pools are named '{pool.Name}'");
            }

            findings.AddRange(pool.Findings);
        }

        return all;
    }

    private static void CheckNetwork(ClusterSpec spec, Action<string, string> invalid)
    {
        if (spec.PodCidr is null)
        {
            return;
        }

        if (!IpCidr.TryParse(spec.PodCidr, out _, out var podProblem))
        {
            invalid("properties.networkProfile.podCidr", podProblem);
        }

        bool serviceOk = IpCidr.TryParse(spec.ServiceCidr, out var service, out var serviceProblem);
        if (!serviceOk)
        {
            invalid("properties.networkProfile.serviceCidr", serviceProblem);
        }

        if (!IPAddress.TryParse(spec.DnsServiceIp, out var dns))
        {
            invalid("properties.networkProfile.dnsServiceIP", $"'{spec.DnsServiceIp}' is not an IP address");
        }
        else if (serviceOk && !service.Contains(dns))
        {
            invalid("properties.networkProfile.dnsServiceIP", $"{spec.DnsServiceIp} is not inside the service CIDR {spec.ServiceCidr}");
        }
    }
}
