namespace Sandboxing.Cli;

/// <summary>
/// The SDK's words for a reader of the CLI. The catalog, the validators and the capacity planner advise C# (call
/// <c>Sandbox()</c>, <c>InCluster(…)</c>, a lower <c>WithMaxPods(…)</c>); the CLI says what a user of <c>sandboxing</c> does
/// instead: a flag, a file, another command. One catalog, two renderings: every message, fix and hint the CLI prints from the
/// SDK passes through <see cref="Apply"/>, and a test scans the CLI's output for C# members.
/// </summary>
internal static class CliWording
{
    private static readonly (string CSharp, string Cli)[] s_wording =
    [
        // Pod rules (SBX1xxx, SBX2xxx).
        (" or call Sandbox()", " or run 'sandboxing fix'"),
        (" (or call Sandbox() / run 'sandboxing fix')", " (or run 'sandboxing fix')"),
        (" (WithResources does this)", ""),
        ("' (WithExemptGroups) ", "' (--exempt-groups) "),
        ("; the builders set 25000/26000 by default, and Sandbox() does with SandboxOptions.RunAsNonRootUser.", " (for example 25000 and 26000)."),
        (" (the builders' default is 25000)", ""),
        ("for example WithoutSandbox(\"node agent needs host networking\")", "for example sandboxing.sdk/exempt: \"node agent needs host networking\""),

        // A pod spec under a kind that is not declared (SBX0003): the CLI declares kinds in the config file.
        (" (PodTemplateRegistry.With) so they are", " in .sandboxing.yaml podTemplates so they are"),
        (" (PodTemplateRegistry.With)", " in .sandboxing.yaml podTemplates"),

        // Tenant rules (SBX4xxx) and settings: the bundle is what 'sandboxing tenant' prints.
        ("; annotate the account or use WithWorkloadIdentity", "; annotate the account ('sandboxing tenant --workload-identity' does)"),
        (" (TenantIsolation.WithWorkloadIdentity) and make the pod use that account (ForTenant / WithWorkloadIdentity).",
            " ('sandboxing tenant --workload-identity' does) and make the pod use that account (spec.serviceAccountName)."),
        (" (TenantIsolation.WithEncryptedStorage)", " ('sandboxing tenant --disk-encryption-set' adds one)"),
        (" (TenantIsolation emits it)", " ('sandboxing tenant' prints it)"),
        (" (TenantIsolation does both)", " ('sandboxing tenant' does both)"),
        (" (TenantIsolation does)", " ('sandboxing tenant' does)"),
        ("call WithEncryptedStorage(diskEncryptionSetId)", "pass --disk-encryption-set <id>"),
        (" (WithEgressToNamespace, WithIngressFromNamespace; --allow-namespace, --ingress-from)", " ('sandboxing tenant --allow-namespace' and '--ingress-from' write them)"),
        (" with WithClusterNetworks or --cluster-networks", " with 'sandboxing tenant --cluster-networks'"),

        // Node pool settings (SBX3xxx).
        ("call InCluster(clusterName, resourceGroup) with the AKS cluster's name", "pass --cluster with the AKS cluster's name"),
        ("call InCluster(clusterName, resourceGroup) with the cluster's resource group", "pass --resource-group with the cluster's resource group"),
        ("call WithVmSize with a Generation 2 size", "pass --vm-size with a Generation 2 size"),
        ("(az account show --query id) or null", "(az account show --query id), or leave --subscription out"),

        // Capacity plans.
        ("gains memory with a lower WithMaxPods(…).", "gains memory with a lower --max-pods."),
        ("; call Sandbox() or WithNodePool(pool) to plan it", "; run 'sandboxing fix' to plan it"),
        (" Pass its definition in CapacityPlanOptions.RuntimeClasses.", ""),

        // Cluster deadlines: the CLI's --timeout sets both.
        ("allow longer with SandboxRetryPolicy.Deadline", "allow longer with --timeout"),
        ("allow longer with AuditContextsAsync's clusterTimeout", "allow longer with --timeout"),

        // Admission policies (SBX5xxx).
        ("use the Kyverno mutate policy, or RequireSandbox() alone", "use --engine kyverno --mutate, or --engine vap alone"),
        ("or exempt it with WithExemptNamespaceLabel() and its label", "or exempt it with --exempt-namespace-label and its label"),

        // Fleet placement.
        ("give the policy a shorter name with WithName", "give a shorter --name"),
        ("set per placement of the MutatingAdmissionPolicy; select clusters by another label", "set per placement of the MutatingAdmissionPolicy; pass another label to --cluster-selector"),
    ];

    /// <summary><paramref name="text"/> with the SDK's C# advice replaced by the CLI's.</summary>
    public static string Apply(string text)
    {
        foreach (var (csharp, cli) in s_wording)
        {
            text = text.Replace(csharp, cli, StringComparison.Ordinal);
        }

        return text;
    }
}
