namespace Sandboxing.Sdk;

/// <summary>
/// Namespaces that belong to the cluster, not to a tenant: a tenant bundle there would put untrusted code beside the system's
/// controllers and service accounts, and its default-deny policies and operator binding would break or open them.
/// </summary>
internal static class SystemNamespaces
{
    // Who owns each one. Sources: kubernetes.io/docs/concepts/overview/working-with-objects/namespaces ("avoid creating
    // namespaces with the prefix kube-, since it is reserved for Kubernetes system namespaces"; default is where objects
    // without a namespace land); learn.microsoft.com/azure/aks/use-network-policies (Calico: calico-system, tigera-operator);
    // learn.microsoft.com/azure/aks/app-routing (app-routing-system); learn.microsoft.com/azure/aks/istio-about (the Istio add-on's
    // aks-istio-system, aks-istio-ingress, aks-istio-egress); learn.microsoft.com/troubleshoot/azure/azure-kubernetes/connectivity/
    // resolve-az-aks-command-invoke-failures (az aks command invoke runs its pods in aks-command); learn.microsoft.com/azure/
    // governance/policy/concepts/policy-for-kubernetes (the Azure Policy add-on runs Gatekeeper in gatekeeper-system).
    private static readonly Dictionary<string, string> s_owners = new(StringComparer.Ordinal)
    {
        ["default"] = "Kubernetes puts every object that names no namespace there",
        ["sandboxing-system"] = "it holds the sandboxing policies' exemptions and operators",
        ["kyverno"] = "Kyverno, the policy engine that enforces sandboxing, runs there",
        ["gatekeeper-system"] = "Gatekeeper (the Azure Policy add-on) runs there",
        ["calico-system"] = "Calico, which enforces the tenant's NetworkPolicies on AKS, runs there",
        ["calico-apiserver"] = "Calico's API server runs there",
        ["tigera-operator"] = "the operator that installs Calico on AKS runs there",
        ["aks-command"] = "'az aks command invoke' runs its pods there",
        ["app-routing-system"] = "the AKS application routing add-on (its ingress controller) runs there",
        ["aks-istio-system"] = "the AKS Istio add-on's control plane runs there",
        ["aks-istio-ingress"] = "the AKS Istio add-on's ingress gateways run there",
        ["aks-istio-egress"] = "the AKS Istio add-on's egress gateways run there",
    };

    /// <summary>Why <paramref name="name"/> is a system namespace, or null when a tenant may have it.</summary>
    public static string? Owner(string? name) =>
        name is null ? null
        : name.StartsWith("kube-", StringComparison.Ordinal) ? "the kube- prefix is reserved for Kubernetes system namespaces"
        : s_owners.GetValueOrDefault(name);

    /// <summary>The problem of naming a tenant <paramref name="name"/>, or null.</summary>
    public static string? TenantProblem(string? name) => name is not null && Owner(name) is { } owner
        ? $"'{name}' is a system namespace ({owner}); a tenant needs a namespace of its own, such as tenant-{name.Replace("kube-", "", StringComparison.Ordinal)}"
        : null;
}
