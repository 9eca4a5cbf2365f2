using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>Checks a tenant's settings (SBX4001) and makes its objects.</summary>
internal static partial class TenantBundleFactory
{
    /// <summary>The smallest pod VM AKS Pod Sandboxing supports (learn.microsoft.com/azure/aks/considerations-pod-sandboxing).</summary>
    internal const decimal MinimumVmMemory = 128m * 1024 * 1024;

    [GeneratedRegex("^v1\\.[0-9]{1,3}$")]
    private static partial Regex PodSecurityVersion();

    [GeneratedRegex("^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-\\w._()]{1,90}/providers/Microsoft\\.Compute/diskEncryptionSets/[-\\w._]{1,80}$", RegexOptions.IgnoreCase)]
    private static partial Regex DiskEncryptionSetId();

    public static IReadOnlyList<SandboxFinding> Check(TenantSpec spec)
    {
        var findings = new List<SandboxFinding>();
        void Bad(string path, string problem) => findings.Add(new SandboxFinding(
            SandboxRules.TenantInvalidSetting, SandboxSeverity.Error, "TenantIsolation", null, spec.Name, path,
            SandboxRules.TenantInvalidSetting.Format(spec.Name, $"{path}: {problem}")));
        void Label(string path, string? value, string what)
        {
            if (KubernetesNames.CheckLabel(value) is { } problem)
            {
                Bad(path, $"{what} '{value}' {problem}");
            }
        }

        void LabelPair(string path, string key, string value)
        {
            if (KubernetesNames.CheckQualifiedName(key) is { } keyProblem)
            {
                Bad(path, $"label key '{key}' {keyProblem}");
            }

            if (KubernetesNames.CheckLabelValue(value) is { } valueProblem)
            {
                Bad(path, $"label value '{value}' {valueProblem}");
            }
        }

        void Ports(string path, TenantPort[] ports)
        {
            for (int i = 0; i < ports.Length; i++)
            {
                if (ports[i].Port is < 1 or > 65535)
                {
                    Bad($"{path}.ports[{i}]", $"port {ports[i].Port} is not between 1 and 65535");
                }

                if (ports[i].Protocol is not ("TCP" or "UDP" or "SCTP"))
                {
                    Bad($"{path}.ports[{i}]", $"protocol '{ports[i].Protocol}' is not TCP, UDP or SCTP");
                }
            }
        }

        IpCidr? Cidr(string path, string? text)
        {
            if (IpCidr.TryParse(text, out var cidr, out var error))
            {
                return cidr;
            }

            Bad(path, error);
            return null;
        }

        Label("name", spec.Name, "the tenant (namespace) name");
        if (SystemNamespaces.TenantProblem(spec.Name) is { } systemProblem)
        {
            Bad("name", systemProblem);
        }

        foreach (var (key, value) in spec.NamespaceLabels)
        {
            LabelPair($"namespaceLabels['{key}']", key, value);
        }

        LabelPair("admissionPolicyLabel", spec.PolicyLabel.Key, spec.PolicyLabel.Value);
        if (!PodSecurityVersion().IsMatch(spec.PodSecurityVersion))
        {
            Bad("podSecurityVersion", $"'{spec.PodSecurityVersion}' is not a pinned version such as {TenantIsolation.DefaultPodSecurityVersion} ('latest' changes with the cluster)");
        }

        Label("dns.namespace", spec.DnsNamespace, "the DNS namespace");
        LabelPair("dns.podLabel", spec.DnsPodLabel.Key, spec.DnsPodLabel.Value);
        for (int i = 0; i < spec.ClusterCidrs.Count; i++)
        {
            Cidr($"clusterNetworks[{i}]", spec.ClusterCidrs[i]);
        }

        if (spec.ApiServerCidr is not null)
        {
            Cidr("apiServer.cidr", spec.ApiServerCidr);
            if (spec.ApiServerPort is < 1 or > 65535)
            {
                Bad("apiServer.port", $"port {spec.ApiServerPort} is not between 1 and 65535");
            }
        }

        for (int i = 0; i < spec.EgressCidrs.Count; i++)
        {
            var rule = spec.EgressCidrs[i];
            string path = $"egress.cidrs[{i}]";
            var block = Cidr(path + ".cidr", rule.Cidr);
            var excepts = new List<IpCidr>();
            for (int j = 0; j < rule.Except.Length; j++)
            {
                if (Cidr($"{path}.except[{j}]", rule.Except[j]) is { } except && block is { } b && (!b.Contains(except) || except.Equals(b)))
                {
                    Bad($"{path}.except[{j}]", $"{except} is not strictly inside the block {b}; Kubernetes rejects an except range outside its cidr");
                }
                else if (IpCidr.TryParse(rule.Except[j], out var parsed, out _))
                {
                    excepts.Add(parsed);
                }
            }

            var cluster = spec.ClusterCidrs.Select(c => IpCidr.TryParse(c, out var parsedCidr, out _) ? parsedCidr : (IpCidr?)null).OfType<IpCidr>();
            if (!rule.Force && block is { } allowed && ReservedEgress.Problem(allowed, excepts, cluster) is { } reserved)
            {
                Bad(path + ".cidr", $"{reserved}; except those ranges, use WithInternetEgress() for the internet, " +
                    "or pass force: true to WithEgressToCidr if the tenant must reach them");
            }

            Ports(path, rule.Ports);
        }

        for (int i = 0; i < spec.EgressPeers.Count; i++)
        {
            Peer($"egress.namespaces[{i}]", spec.EgressPeers[i]);
        }

        for (int i = 0; i < spec.IngressPeers.Count; i++)
        {
            Peer($"ingress.namespaces[{i}]", spec.IngressPeers[i]);
        }

        void Peer(string path, PeerRule rule)
        {
            Label(path + ".namespace", rule.Namespace, "the namespace");
            foreach (var (key, value) in rule.PodLabels)
            {
                LabelPair($"{path}.podLabels['{key}']", key, value);
            }

            Ports(path, rule.Ports);
        }

        decimal? Quantity(string path, string? text, bool memory)
        {
            if (!Quantities.TryParse(text, out var value) || value <= 0)
            {
                Bad(path, $"'{text}' is not a positive Kubernetes quantity (for example {(memory ? "16Gi" : "8 or 500m")})");
                return null;
            }

            return value;
        }

        var quotaMemory = Quantity("quota.memory", spec.QuotaMemory, memory: true);
        Quantity("quota.cpu", spec.QuotaCpu, memory: false);
        Quantity("quota.storage", spec.QuotaStorage, memory: true);
        if (spec.QuotaPods < 1)
        {
            Bad("quota.pods", $"{spec.QuotaPods} pods admits no pod at all; give at least 1");
        }

        var defaultMemory = Quantity("containerDefaults.memory", spec.DefaultMemory, memory: true);
        var defaultCpu = Quantity("containerDefaults.cpu", spec.DefaultCpu, memory: false);
        var minMemory = Quantity("containerDefaults.minMemory", spec.MinMemory, memory: true);
        if (minMemory < MinimumVmMemory)
        {
            Bad("containerDefaults.minMemory", $"{spec.MinMemory} is under 128Mi, the smallest pod VM Pod Sandboxing supports");
        }

        if (defaultMemory < minMemory)
        {
            Bad("containerDefaults.memory", $"the default memory {spec.DefaultMemory} is under the minimum {spec.MinMemory}, so containers without limits are rejected");
        }

        if (quotaMemory < minMemory)
        {
            Bad("quota.memory", $"the quota {spec.QuotaMemory} is below the LimitRange minimum {spec.MinMemory}: no container fits");
        }
        else if (quotaMemory < defaultMemory)
        {
            Bad("quota.memory", $"the quota {spec.QuotaMemory} is below the LimitRange default {spec.DefaultMemory}: no container with the default limit fits");
        }

        _ = defaultCpu;
        if (KubernetesNames.CheckSubdomain(spec.ServiceAccountName) is { } saProblem)
        {
            Bad("serviceAccount.name", $"'{spec.ServiceAccountName}' {saProblem}");
        }

        if (spec.WorkloadIdentityClientId is { } clientId && !Guid.TryParseExact(clientId, "D", out _))
        {
            Bad("workloadIdentity.clientId", $"'{clientId}' is not a GUID (the managed identity's or app registration's client ID, xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
        }

        if (spec.WorkloadIdentityTenantId is { } tenantId && !Guid.TryParseExact(tenantId, "D", out _))
        {
            Bad("workloadIdentity.tenantId", $"'{tenantId}' is not a GUID (the Microsoft Entra tenant ID)");
        }

        if (spec.OperatorGroupId is { } groupId && !Guid.TryParseExact(groupId, "D", out _))
        {
            Bad("operators.groupObjectId", $"'{groupId}' is not a GUID (the Entra group's object ID)");
        }

        if (spec.DiskEncryptionSetId is { } des && !DiskEncryptionSetId().IsMatch(des))
        {
            Bad("storage.diskEncryptionSetId", $"'{des}' is not a disk encryption set resource ID (/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Compute/diskEncryptionSets/<name>)");
        }

        if (spec.DiskEncryptionSetId is not null && KubernetesNames.CheckSubdomain(StorageClassName(spec)) is { } scProblem)
        {
            Bad("storage.storageClassName", $"'{StorageClassName(spec)}' {scProblem}");
        }

        if (spec.RequireCustomerManagedKey && spec.DiskEncryptionSetId is null)
        {
            Bad("storage.diskEncryptionSetId", "the tenant requires a customer-managed key but has no disk encryption set; call WithEncryptedStorage(diskEncryptionSetId)");
        }

        return findings;
    }

    internal static string StorageClassName(TenantSpec spec) => spec.StorageClassName ?? spec.Name + "-cmk";

    public static TenantObjects Create(TenantSpec spec)
    {
        var tenantLabels = new Dictionary<string, string> { [TenantIsolation.TenantLabel] = spec.Name };
        Dictionary<string, string> Labels() => new(tenantLabels);

        var nsLabels = new Dictionary<string, string>(spec.NamespaceLabels)
        {
            [TenantIsolation.TenantLabel] = spec.Name,
            [spec.PolicyLabel.Key] = spec.PolicyLabel.Value,
        };
        foreach (var mode in new[] { "enforce", "warn", "audit" })
        {
            nsLabels[TenantLabels.PodSecurityPrefix + mode] = "restricted";
            nsLabels[TenantLabels.PodSecurityPrefix + mode + "-version"] = spec.PodSecurityVersion;
        }

        if (spec.RequireCustomerManagedKey)
        {
            nsLabels[TenantIsolation.CustomerManagedKeyLabel] = "true";
        }

        // Facts about the cluster the tenant checks need and the objects cannot show: recorded on the namespace they apply to.
        Dictionary<string, string>? nsAnnotations = null;
        if (spec.CiliumDataplane || spec.DualStack)
        {
            nsAnnotations = [];
            if (spec.CiliumDataplane)
            {
                nsAnnotations[TenantLabels.NetworkDataplaneAnnotation] = "cilium";
            }

            if (spec.DualStack)
            {
                nsAnnotations[TenantLabels.IpFamiliesAnnotation] = "IPv4,IPv6";
            }

            if (spec.ClusterCidrs.Count > 0)
            {
                nsAnnotations[TenantLabels.ClusterNetworksAnnotation] = string.Join(",", spec.ClusterCidrs.Select(c => IpCidr.Parse(c, "clusterNetworks")));
            }
        }

        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = spec.Name, Labels = nsLabels, Annotations = nsAnnotations } }.Initialize();

        Dictionary<string, string>? saAnnotations = null;
        if (spec.WorkloadIdentityClientId is { } clientId)
        {
            saAnnotations = new() { [TenantLabels.WorkloadIdentityClientId] = clientId };
            if (spec.WorkloadIdentityTenantId is { } tenantId)
            {
                saAnnotations[TenantLabels.WorkloadIdentityTenantId] = tenantId;
            }
        }

        var sa = new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta { Name = spec.ServiceAccountName, NamespaceProperty = spec.Name, Labels = Labels(), Annotations = saAnnotations },
            AutomountServiceAccountToken = false,
        }.Initialize();

        var quota = new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = "tenant-quota", NamespaceProperty = spec.Name, Labels = Labels() },
            Spec = new V1ResourceQuotaSpec
            {
                Hard = new Dictionary<string, ResourceQuantity>
                {
                    ["requests.cpu"] = new(spec.QuotaCpu),
                    ["limits.cpu"] = new(spec.QuotaCpu),
                    ["requests.memory"] = new(spec.QuotaMemory),
                    ["limits.memory"] = new(spec.QuotaMemory),
                    ["pods"] = new(spec.QuotaPods.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    ["requests.storage"] = new(spec.QuotaStorage),
                    // A tenant exposes nothing on the nodes or on a cloud load balancer: its traffic enters through the named ingress.
                    ["services.nodeports"] = new("0"),
                    ["services.loadbalancers"] = new("0"),
                },
            },
        }.Initialize();

        var limitRange = new V1LimitRange
        {
            Metadata = new V1ObjectMeta { Name = "tenant-container-defaults", NamespaceProperty = spec.Name, Labels = Labels() },
            Spec = new V1LimitRangeSpec
            {
                Limits =
                [
                    new V1LimitRangeItem
                    {
                        Type = "Container",
                        // Requests equal limits: the Kata shim sizes the VM from limits and cannot see requests.
                        DefaultProperty = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(spec.DefaultCpu), ["memory"] = new(spec.DefaultMemory) },
                        DefaultRequest = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(spec.DefaultCpu), ["memory"] = new(spec.DefaultMemory) },
                        Min = new Dictionary<string, ResourceQuantity> { ["memory"] = new(spec.MinMemory) },
                    },
                ],
            },
        }.Initialize();

        V1RoleBinding? binding = null;
        V1Role? operatorsRole = null;
        if (spec.OperatorGroupId is { } group)
        {
            // view is read-only as built in; edit is replaced by a Role of our own that cannot undo the tenant's isolation.
            operatorsRole = spec.OperatorRole == TenantOperatorRole.Edit ? TenantOperatorRoles.EditRole(spec.Name, Labels()) : null;
            string role = operatorsRole?.Metadata.Name ?? "view";
            binding = new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = operatorsRole is null ? "tenant-operators-view" : "tenant-operators-edit", NamespaceProperty = spec.Name, Labels = Labels() },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = operatorsRole is null ? "ClusterRole" : "Role", Name = role },
                Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = group }],
            }.Initialize();
        }

        V1StorageClass? storage = null;
        if (spec.DiskEncryptionSetId is { } des)
        {
            storage = new V1StorageClass
            {
                Metadata = new V1ObjectMeta { Name = StorageClassName(spec), Labels = Labels() },
                Provisioner = TenantLabels.AzureDiskProvisioner,
                Parameters = new Dictionary<string, string> { ["skuName"] = spec.DiskSku, [TenantLabels.DiskEncryptionSetParameter] = des },
                ReclaimPolicy = "Delete",
                VolumeBindingMode = "WaitForFirstConsumer",
                AllowVolumeExpansion = true,
            }.Initialize();
        }

        return new TenantObjects(ns, sa, quota, limitRange, TenantNetwork.Policies(spec, Labels), operatorsRole, binding, storage);
    }
}
