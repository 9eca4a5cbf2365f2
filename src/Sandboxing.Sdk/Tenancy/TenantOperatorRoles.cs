using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// The namespaced Role a tenant's operators get with <see cref="TenantOperatorRole.Edit"/>, instead of the built-in <c>edit</c>
/// ClusterRole. <c>edit</c> (kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go) lets its holders delete the
/// tenant's NetworkPolicies (and with them the isolation), create Services (with <c>externalIPs</c>, CVE-2020-8554: intercept
/// traffic to any IP; RBAC cannot restrict a field, so Services are read-only here), impersonate and mint tokens for service
/// accounts, and change quotas' neighbours. This Role lets them run and debug workloads and read the rest.
/// </summary>
internal static class TenantOperatorRoles
{
    private static readonly string[] s_read = ["get", "list", "watch"];
    private static readonly string[] s_write = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

    /// <summary>The Role's rules: write workloads and their configuration, read the isolation (never write it).</summary>
    public static List<V1PolicyRule> EditRules() =>
    [
        Rule("", s_write, "pods", "configmaps", "secrets", "persistentvolumeclaims"),
        Rule("", ["get", "create"], "pods/log", "pods/exec", "pods/attach", "pods/portforward"),
        Rule("", s_read, "pods/status", "events", "services", "endpoints", "serviceaccounts", "resourcequotas", "limitranges"),
        Rule("apps", s_write, "deployments", "statefulsets", "replicasets", "daemonsets", "deployments/scale", "statefulsets/scale", "replicasets/scale"),
        Rule("batch", s_write, "jobs", "cronjobs"),
        Rule("autoscaling", s_write, "horizontalpodautoscalers"),
        Rule("policy", s_write, "poddisruptionbudgets"),
        Rule("networking.k8s.io", s_write, "ingresses"),
        Rule("networking.k8s.io", s_read, "networkpolicies"),
        Rule("events.k8s.io", s_read, "events"),
    ];

    /// <summary>The Role <c>tenant-operators-edit</c> in the tenant namespace.</summary>
    public static V1Role EditRole(string @namespace, Dictionary<string, string> labels) => new V1Role
    {
        Metadata = new V1ObjectMeta { Name = "tenant-operators-edit", NamespaceProperty = @namespace, Labels = labels },
        Rules = EditRules(),
    }.Initialize();

    private static V1PolicyRule Rule(string group, string[] verbs, params string[] resources) =>
        new() { ApiGroups = [group], Resources = resources, Verbs = verbs };
}
