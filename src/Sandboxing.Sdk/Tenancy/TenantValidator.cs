using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// The tenant checks (SBX4002–SBX4011) behind <see cref="TenantIsolation.ValidateObjects"/>, <see cref="TenantIsolation.ValidateYaml"/>,
/// a bundle's <see cref="TenantIsolation.Validate"/> and the linter's tenant rules.
/// </summary>
internal static class TenantValidator
{
    private static readonly string[] s_policyTypes = ["Ingress", "Egress"];

    /// <summary>Every finding for <paramref name="objects"/> (collections are flattened), in object order.</summary>
    public static IReadOnlyList<SandboxFinding> Validate(IEnumerable<object> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var all = Flatten(objects).ToList();
        var findings = new List<SandboxFinding>();
        var tenants = all.OfType<V1Namespace>()
            .Where(n => n.Metadata?.Labels?.ContainsKey(TenantIsolation.TenantLabel) == true && n.Metadata.Name is not null)
            .ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);

        foreach (var (name, ns) in tenants)
        {
            CheckNamespace(name, ns, all, findings);
        }

        foreach (var obj in all)
        {
            if (obj is V1NetworkPolicy policy && policy.Metadata?.NamespaceProperty is { } policyNs && tenants.ContainsKey(policyNs))
            {
                CheckEgress(policy, findings);
                CheckIngress(policy, findings);
            }

            if (!PodTemplates.TryGet(obj, out var site))
            {
                continue;
            }

            findings.AddRange(SandboxValidator.Validate(site));
            if (site.Namespace is { } podNs && tenants.TryGetValue(podNs, out var tenantNs))
            {
                CheckPod(site, tenantNs, all, findings);
            }
        }

        return findings;
    }

    /// <summary>Reads a manifest (multi-document YAML) and checks it as <see cref="Validate(IEnumerable{object})"/> does.</summary>
    /// <exception cref="ManifestException">The YAML is malformed or holds an object the client does not know.</exception>
    public static IReadOnlyList<SandboxFinding> ValidateYaml(string yaml, string source = "<input>") =>
        Validate(SandboxManifest.Read(yaml, source));

    private static IEnumerable<object> Flatten(IEnumerable<object> objects)
    {
        foreach (var obj in objects)
        {
            if (obj is IKubernetesObject single)
            {
                yield return single;
            }
            else if (obj is System.Collections.IEnumerable many and not string)
            {
                foreach (var inner in Flatten(many.Cast<object>()))
                {
                    yield return inner;
                }
            }
        }
    }

    private static SandboxFinding Finding(SandboxRule rule, IKubernetesObject<V1ObjectMeta> obj, string path, params object?[] args) =>
        new(rule, rule.DefaultSeverity, PodTemplates.KindOf(obj), obj.Metadata?.NamespaceProperty, obj.Metadata?.Name, path, rule.Format(args));

    private static IEnumerable<T> InNamespace<T>(IEnumerable<object> all, string ns)
        where T : IKubernetesObject<V1ObjectMeta> =>
        all.OfType<T>().Where(o => o.Metadata?.NamespaceProperty == ns);

    private static bool SelectsAll(V1LabelSelector? selector) =>
        selector is null || ((selector.MatchLabels is null || selector.MatchLabels.Count == 0) && (selector.MatchExpressions is null || selector.MatchExpressions.Count == 0));

    private static void CheckNamespace(string name, V1Namespace ns, List<object> all, List<SandboxFinding> findings)
    {
        var policies = InNamespace<V1NetworkPolicy>(all, name).ToList();
        bool DeniesByDefault(string type) => policies.Any(p => p.Spec is { } s && SelectsAll(s.PodSelector) && Types(s).Contains(type)
            && (type == "Ingress" ? s.Ingress is null || s.Ingress.Count == 0 : s.Egress is null || s.Egress.Count == 0));
        var missing = s_policyTypes.Where(t => !DeniesByDefault(t)).Select(t => t.ToLowerInvariant()).ToList();
        if (missing.Count > 0)
        {
            findings.Add(Finding(SandboxRules.TenantNoDefaultDeny, ns, "metadata.name", name, string.Join(" and ", missing)));
        }

        var gaps = new List<string>();
        if (!InNamespace<V1ResourceQuota>(all, name).Any())
        {
            gaps.Add("no ResourceQuota");
        }

        if (!InNamespace<V1LimitRange>(all, name).Any(l => l.Spec?.Limits?.Any(i => i.Type == "Container" && i.DefaultProperty?.ContainsKey("memory") == true) == true))
        {
            gaps.Add("no LimitRange that gives containers a default memory limit");
        }

        if (gaps.Count > 0)
        {
            findings.Add(Finding(SandboxRules.TenantNoQuota, ns, "metadata.name", name, string.Join(" and ", gaps)));
        }

        var labels = ns.Metadata.Labels;
        string enforce = TenantLabels.PodSecurityPrefix + "enforce";
        if (!labels.TryGetValue(enforce, out var level) || level != "restricted")
        {
            findings.Add(Finding(SandboxRules.TenantPodSecurityNotRestricted, ns, $"metadata.labels['{enforce}']", name,
                level is null ? "has no Pod Security enforce label" : $"enforces the Pod Security level '{level}'"));
        }
        else if (!labels.TryGetValue(enforce + "-version", out var version) || version == "latest")
        {
            findings.Add(Finding(SandboxRules.TenantPodSecurityNotRestricted, ns, $"metadata.labels['{enforce}-version']", name,
                "does not pin the Pod Security version, so a cluster upgrade changes the rules under running tenants"));
        }

        if (labels.TryGetValue(TenantIsolation.CustomerManagedKeyLabel, out var cmk) && cmk == "true")
        {
            CheckStorage(name, ns, all, findings);
        }

        var annotations = ns.Metadata.Annotations ?? new Dictionary<string, string>();
        var networks = annotations.TryGetValue(TenantLabels.ClusterNetworksAnnotation, out var listed) ? ParseList(listed) : [];
        if (annotations.TryGetValue(TenantLabels.NetworkDataplaneAnnotation, out var dataplane) && dataplane == "cilium")
        {
            CheckCiliumIpBlocks(policies, networks.Count > 0 ? networks : TenantAddressRanges.AksDefaultPodCidrs, findings);
        }

        // A named IPv6 cluster network says the tenant's author has placed the node subnet (inside fc00::/7 or excepted).
        if (annotations.TryGetValue(TenantLabels.IpFamiliesAnnotation, out var families)
            && families.Split(',').Any(f => f.Trim().Equals("IPv6", StringComparison.OrdinalIgnoreCase)) && !networks.Any(n => n.IsIPv6))
        {
            CheckDualStackInternet(policies, findings);
        }
    }

    private static List<IpCidr> ParseList(string text) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(c => IpCidr.TryParse(c, out var cidr, out _) ? cidr : (IpCidr?)null).OfType<IpCidr>()];

    private static List<IpCidr> Excepts(V1IPBlock ipBlock) =>
        [.. (ipBlock.Except ?? []).Select(e => IpCidr.TryParse(e, out var c, out _) ? c : (IpCidr?)null).OfType<IpCidr>()];

    /// <summary>Every ipBlock peer of a policy (egress 'to' and ingress 'from') with its path.</summary>
    private static IEnumerable<(string Path, V1IPBlock Block)> IpBlocks(V1NetworkPolicySpec spec)
    {
        for (int r = 0; r < (spec.Egress?.Count ?? 0); r++)
        {
            var to = spec.Egress![r].To ?? [];
            for (int p = 0; p < to.Count; p++)
            {
                if (to[p].IpBlock is { } block)
                {
                    yield return ($"spec.egress[{r}].to[{p}].ipBlock", block);
                }
            }
        }

        for (int r = 0; r < (spec.Ingress?.Count ?? 0); r++)
        {
            var from = spec.Ingress![r].FromProperty ?? [];
            for (int p = 0; p < from.Count; p++)
            {
                if (from[p].IpBlock is { } block)
                {
                    yield return ($"spec.ingress[{r}].from[{p}].ipBlock", block);
                }
            }
        }
    }

    // Azure CNI powered by Cilium: "a NetworkPolicy ipBlock can't select pod or node IPs", even 0.0.0.0/0 (MicrosoftDocs/
    // azure-aks-docs @fb060abe6 articles/aks/azure-cni-powered-by-cilium.md L110, L293-L335). A block that reaches into a
    // cluster network (the part its excepts leave open) allows nothing there: the tenant meant a peer it will never reach.
    private static void CheckCiliumIpBlocks(List<V1NetworkPolicy> policies, IReadOnlyList<IpCidr> networks, List<SandboxFinding> findings)
    {
        foreach (var policy in policies.Where(p => p.Spec is not null))
        {
            foreach (var (path, ipBlock) in IpBlocks(policy.Spec))
            {
                if (!IpCidr.TryParse(ipBlock.Cidr, out var block, out _))
                {
                    continue;
                }

                var excepts = Excepts(ipBlock);
                // Two CIDR blocks that overlap share the smaller one: open when no except covers it.
                var reached = networks.Where(n => block.Overlaps(n))
                    .Where(n => !excepts.Any(e => e.Contains(n.PrefixLength >= block.PrefixLength ? n : block)))
                    .Select(n => n.ToString()).ToList();
                if (reached.Count > 0)
                {
                    findings.Add(Finding(SandboxRules.TenantIpBlockInClusterOnCilium, policy, path, $"'{policy.Metadata.Name}'", ipBlock.Cidr, string.Join(", ", reached)));
                }
            }
        }
    }

    // Internet egress excepts fc00::/7 and fe80::/10 from ::/0 and nothing else of IPv6: on a dual-stack cluster the node subnet
    // (and any pod or service range outside unique-local space) stays open unless the bundle names an IPv6 cluster network.
    private static void CheckDualStackInternet(List<V1NetworkPolicy> policies, List<SandboxFinding> findings)
    {
        foreach (var policy in policies.Where(p => p.Spec is not null))
        {
            foreach (var (path, ipBlock) in IpBlocks(policy.Spec).Where(b => b.Path.StartsWith("spec.egress", StringComparison.Ordinal)))
            {
                if (IpCidr.TryParse(ipBlock.Cidr, out var block, out _) && block.IsIPv6 && block.PrefixLength == 0
                    && Excepts(ipBlock).All(e => TenantAddressRanges.PrivateIPv6.Any(p => p.Contains(e))))
                {
                    findings.Add(Finding(SandboxRules.TenantEgressToPrivateRanges, policy, path, $"'{policy.Metadata.Name}'",
                        $"the IPv6 node subnet of this dual-stack cluster unless it lies in fc00::/7 (ipBlock {ipBlock.Cidr} excepts only unique-local and link-local ranges; " +
                        "name the cluster's IPv6 node subnet and pod and service ranges with WithClusterNetworks or --cluster-networks)"));
                }
            }
        }
    }

    private static IList<string> Types(V1NetworkPolicySpec spec) =>
        spec.PolicyTypes is { Count: > 0 } types ? types
        : spec.Egress is { Count: > 0 } ? ["Ingress", "Egress"] : ["Ingress"]; // the API server's defaulting

    private static void CheckEgress(V1NetworkPolicy policy, List<SandboxFinding> findings)
    {
        if (policy.Spec is not { } spec || !Types(spec).Contains("Egress") || spec.Egress is null)
        {
            return;
        }

        string what = $"'{policy.Metadata.Name}'";
        for (int r = 0; r < spec.Egress.Count; r++)
        {
            var rule = spec.Egress[r];
            string rulePath = $"spec.egress[{r}]";
            if (rule.To is null || rule.To.Count == 0)
            {
                findings.Add(Finding(SandboxRules.TenantEgressToMetadata, policy, rulePath + ".to", what, "every destination, the metadata endpoint 169.254.169.254 and the WireServer 168.63.129.16 too (the rule has no 'to')"));
                findings.Add(Finding(SandboxRules.TenantEgressToPrivateRanges, policy, rulePath + ".to", what, "every destination (the rule has no 'to'; with only ports it also opens the API server)"));
                continue;
            }

            for (int p = 0; p < rule.To.Count; p++)
            {
                var peer = rule.To[p];
                string peerPath = $"{rulePath}.to[{p}]";
                if (peer.IpBlock is { } ipBlock)
                {
                    CheckIpBlock(policy, what, peerPath + ".ipBlock", ipBlock, findings);
                }
                else if (peer.NamespaceSelector is { } nsSelector && EveryNamespace(nsSelector) is { } namespaces)
                {
                    findings.Add(Finding(SandboxRules.TenantEgressToPrivateRanges, policy, peerPath + ".namespaceSelector", what,
                        SelectsAll(peer.PodSelector) ? $"every pod in {namespaces}" : $"pods in {namespaces}"));
                }
                else if (peer.NamespaceSelector is { } systemSelector && SelectsAll(peer.PodSelector) && NamedNamespace(systemSelector) is { } system
                    && SystemNamespaces.Owner(system) is not null)
                {
                    findings.Add(Finding(SandboxRules.TenantEgressToPrivateRanges, policy, peerPath + ".podSelector", what,
                        $"every pod in the system namespace {system} (not only cluster DNS: give a podSelector)"));
                }
            }
        }
    }

    private static void CheckIpBlock(V1NetworkPolicy policy, string what, string path, V1IPBlock ipBlock, List<SandboxFinding> findings)
    {
        if (!IpCidr.TryParse(ipBlock.Cidr, out var block, out _))
        {
            return; // Kubernetes rejects it; not a tenant question
        }

        var excepts = (ipBlock.Except ?? []).Select(e => IpCidr.TryParse(e, out var c, out _) ? c : (IpCidr?)null).OfType<IpCidr>().ToList();
        var platform = new List<string>();
        if (block.Contains(TenantAddressRanges.MetadataEndpoint) && !excepts.Any(e => e.Contains(TenantAddressRanges.MetadataEndpoint)))
        {
            platform.Add("the metadata endpoint 169.254.169.254");
        }

        var wireServer = TenantAddressRanges.AzurePlatformEndpoint;
        if (block.Contains(wireServer) && !excepts.Any(e => e.Contains(wireServer)))
        {
            platform.Add($"Azure's WireServer {wireServer.Network}");
        }

        if (platform.Count > 0)
        {
            findings.Add(Finding(SandboxRules.TenantEgressToMetadata, policy, path, what,
                $"{string.Join(" and ", platform)} (ipBlock {ipBlock.Cidr} covers {(platform.Count == 1 ? "it" : "them")} and no except does)"));
        }

        // A whole private range that stays open; a narrow block inside one (a database's /32) is a deliberate allow, not reported.
        var open = TenantAddressRanges.PrivateIPv4.Concat(TenantAddressRanges.PrivateIPv6)
            .Where(range => block.Contains(range) && !excepts.Any(e => e.Contains(range))).Select(r => r.ToString()).ToList();
        if (open.Count > 0)
        {
            findings.Add(Finding(SandboxRules.TenantEgressToPrivateRanges, policy, path, what,
                $"the private range{(open.Count == 1 ? "" : "s")} {string.Join(", ", open)} (ipBlock {ipBlock.Cidr} without a matching except)"));
        }
    }

    private static void CheckIngress(V1NetworkPolicy policy, List<SandboxFinding> findings)
    {
        if (policy.Spec is not { } spec || !Types(spec).Contains("Ingress") || spec.Ingress is null)
        {
            return;
        }

        string what = $"'{policy.Metadata.Name}'";
        for (int r = 0; r < spec.Ingress.Count; r++)
        {
            var rule = spec.Ingress[r];
            string rulePath = $"spec.ingress[{r}]";
            if (rule.FromProperty is null || rule.FromProperty.Count == 0)
            {
                findings.Add(Finding(SandboxRules.TenantIngressFromEverywhere, policy, rulePath, what, "every source (the rule has no 'from')"));
                continue;
            }

            for (int p = 0; p < rule.FromProperty.Count; p++)
            {
                var peer = rule.FromProperty[p];
                string peerPath = $"{rulePath}.from[{p}]";
                if (peer.NamespaceSelector is { } nsSelector && EveryNamespace(nsSelector) is { } namespaces)
                {
                    findings.Add(Finding(SandboxRules.TenantIngressFromEverywhere, policy, peerPath + ".namespaceSelector", what,
                        SelectsAll(peer.PodSelector) ? $"every pod in {namespaces}" : $"pods in {namespaces}"));
                }
                else if (peer.IpBlock is { } ipBlock && IpCidr.TryParse(ipBlock.Cidr, out var block, out _))
                {
                    var excepts = (ipBlock.Except ?? []).Select(e => IpCidr.TryParse(e, out var c, out _) ? c : (IpCidr?)null).OfType<IpCidr>().ToList();
                    var open = TenantAddressRanges.PrivateIPv4.Concat(TenantAddressRanges.PrivateIPv6)
                        .Where(range => block.Contains(range) && !excepts.Any(e => e.Contains(range))).Select(c => c.ToString()).ToList();
                    if (block.PrefixLength == 0 || open.Count > 0)
                    {
                        findings.Add(Finding(SandboxRules.TenantIngressFromEverywhere, policy, peerPath + ".ipBlock", what,
                            block.PrefixLength == 0 ? $"every address (ipBlock {ipBlock.Cidr})" : $"the private range{(open.Count == 1 ? "" : "s")} {string.Join(", ", open)} (ipBlock {ipBlock.Cidr}), where other tenants' pods live"));
                    }
                }
            }
        }
    }

    // "every namespace" (or "every namespace but ...") when a namespace selector matches all namespaces, or all but those it
    // names: no labels to match, and only expressions every namespace passes (kubernetes.io/metadata.name Exists) or that exclude.
    private static string? EveryNamespace(V1LabelSelector selector)
    {
        if (SelectsAll(selector))
        {
            return "every namespace";
        }

        if (selector.MatchLabels is { Count: > 0 } || selector.MatchExpressions is not { Count: > 0 } expressions)
        {
            return null;
        }

        bool broad = expressions.All(e => e.OperatorProperty switch
        {
            "Exists" => e.Key == TenantLabels.NamespaceName,
            "NotIn" or "DoesNotExist" => true,
            _ => false,
        });
        return broad ? expressions.All(e => e.OperatorProperty == "Exists") ? "every namespace" : "every namespace but a few" : null;
    }

    // The one namespace a selector names by its name label (matchLabels, or In with one value), or null.
    private static string? NamedNamespace(V1LabelSelector selector)
    {
        if (selector.MatchLabels?.TryGetValue(TenantLabels.NamespaceName, out var name) == true)
        {
            return name;
        }

        return selector.MatchExpressions?.FirstOrDefault(e => e.Key == TenantLabels.NamespaceName && e.OperatorProperty == "In" && e.Values?.Count == 1)?.Values[0];
    }

    private static void CheckStorage(string name, V1Namespace ns, List<object> all, List<SandboxFinding> findings)
    {
        var classes = all.OfType<V1StorageClass>().Where(c => c.Metadata?.Name is not null).ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);
        static bool HasKey(V1StorageClass c) => c.Parameters?.TryGetValue(TenantLabels.DiskEncryptionSetParameter, out var des) == true && !string.IsNullOrWhiteSpace(des);

        var tenantClasses = classes.Values.Where(c => c.Metadata.Labels?.TryGetValue(TenantIsolation.TenantLabel, out var t) == true && t == name).ToList();
        foreach (var storageClass in tenantClasses.Where(c => !HasKey(c)))
        {
            findings.Add(Finding(SandboxRules.TenantStorageWithoutCustomerKey, storageClass, "parameters", $"StorageClass '{storageClass.Metadata.Name}'", name,
                "it has no diskEncryptionSetID, so its disks use platform-managed keys"));
        }

        if (!tenantClasses.Any(HasKey))
        {
            findings.Add(Finding(SandboxRules.TenantStorageWithoutCustomerKey, ns, $"metadata.labels['{TenantIsolation.CustomerManagedKeyLabel}']", $"Namespace '{name}'", name,
                "the tenant requires a customer-managed key but none of the StorageClasses labelled for it has one"));
        }

        void Claim(IKubernetesObject<V1ObjectMeta> owner, string path, string claim, string? className)
        {
            string problem = className is null ? "it names no storageClassName, so it gets the cluster's default class"
                : !classes.TryGetValue(className, out var c) ? $"its StorageClass '{className}' is not among the checked objects"
                : !HasKey(c) ? $"its StorageClass '{className}' has no diskEncryptionSetID"
                : "";
            if (problem.Length > 0)
            {
                findings.Add(Finding(SandboxRules.TenantStorageWithoutCustomerKey, owner, path, $"claim '{claim}'", name, problem));
            }
        }

        foreach (var pvc in InNamespace<V1PersistentVolumeClaim>(all, name))
        {
            Claim(pvc, "spec.storageClassName", pvc.Metadata.Name, pvc.Spec?.StorageClassName);
        }

        foreach (var set in InNamespace<V1StatefulSet>(all, name))
        {
            var templates = set.Spec?.VolumeClaimTemplates ?? [];
            for (int i = 0; i < templates.Count; i++)
            {
                Claim(set, $"spec.volumeClaimTemplates[{i}].spec.storageClassName", templates[i].Metadata?.Name ?? "", templates[i].Spec?.StorageClassName);
            }
        }
    }

    private static void CheckPod(PodTemplateSite site, V1Namespace ns, List<object> all, List<SandboxFinding> findings)
    {
        string tenant = ns.Metadata.Name;
        string accountName = string.IsNullOrEmpty(site.Spec.ServiceAccountName) ? "default" : site.Spec.ServiceAccountName;
        var account = InNamespace<V1ServiceAccount>(all, tenant).FirstOrDefault(a => a.Metadata.Name == accountName);
        bool Exempt(SandboxRule rule) =>
            !string.IsNullOrWhiteSpace(SandboxAnnotations.FindExemption(site.Owner.Metadata, site.TemplateMetadata, SandboxAnnotations.ExemptRule(rule.Id), out _));

        string? tokenProblem = site.Spec.AutomountServiceAccountToken switch
        {
            false => null,
            true => "automountServiceAccountToken is true",
            null when account?.AutomountServiceAccountToken == false => null,
            null when account is null => $"the pod does not set automountServiceAccountToken and its ServiceAccount '{accountName}' is not among the checked objects",
            null => $"neither the pod nor its ServiceAccount '{accountName}' sets automountServiceAccountToken to false",
        };
        if (tokenProblem is not null && !Exempt(SandboxRules.TenantServiceAccountToken))
        {
            findings.Add(Finding(SandboxRules.TenantServiceAccountToken, site.Owner, site.SpecPath + ".automountServiceAccountToken",
                site.Describe(), tenant, tokenProblem));
        }

        // The pods' own labels (a Pod's are its metadata's): a workload's labels do not reach its pods.
        var podLabels = site.TemplateMetadata?.Labels;
        // The webhook selects pods with matchLabels {use: "true"}, an exact match: "True" is not mutated, so not checked either.
        if (podLabels?.TryGetValue(TenantLabels.WorkloadIdentityUse, out var use) == true
            && string.Equals(use, "true", StringComparison.Ordinal) && !Exempt(SandboxRules.TenantWorkloadIdentityMismatch))
        {
            string? problem = account is null
                ? accountName == "default" ? "is the namespace's default account (the pod names none)" : null
                : account.Metadata.Annotations?.TryGetValue(TenantLabels.WorkloadIdentityClientId, out var id) == true && !string.IsNullOrWhiteSpace(id)
                    ? null
                    : $"has no '{TenantLabels.WorkloadIdentityClientId}' annotation";
            if (problem is not null)
            {
                findings.Add(Finding(SandboxRules.TenantWorkloadIdentityMismatch, site.Owner, site.SpecPath + ".serviceAccountName",
                    site.Describe(), accountName, problem));
            }
        }

    }
}
