using k8s.Models;

namespace Sandboxing.Sdk.Tests.Tenancy;

// The built-in edit ClusterRole lets its holders undo the tenant's isolation; the operators' Role must not.
public class OperatorRoleTests
{
    private const string GroupId = "8f2a1c3e-0000-4000-8000-000000000042";
    private static readonly string[] s_writeVerbs = ["create", "update", "patch", "delete", "deletecollection", "*"];

    private static V1Role Role() => TenantIsolation.For("tenant-42").WithOperators(GroupId, TenantOperatorRole.Edit).Build().OperatorsRole!;

    private static bool Grants(V1Role role, string group, string resource, string verb) =>
        role.Rules.Any(r => (r.ApiGroups.Contains(group) || r.ApiGroups.Contains("*"))
            && (r.Resources.Contains(resource) || r.Resources.Contains("*")) && (r.Verbs.Contains(verb) || r.Verbs.Contains("*")));

    [Theory]
    [InlineData("networking.k8s.io", "networkpolicies")] // deleting them removes the tenant's isolation
    [InlineData("", "services")]                          // externalIPs (CVE-2020-8554): RBAC cannot restrict the field
    [InlineData("", "serviceaccounts")]
    [InlineData("", "serviceaccounts/token")]
    [InlineData("", "resourcequotas")]
    [InlineData("", "limitranges")]
    [InlineData("rbac.authorization.k8s.io", "roles")]
    [InlineData("rbac.authorization.k8s.io", "rolebindings")]
    [InlineData("", "pods/ephemeralcontainers")]
    public void Edit_operators_cannot_write_what_isolates_the_tenant(string group, string resource) =>
        Assert.All(s_writeVerbs, verb => Assert.False(Grants(Role(), group, resource, verb), $"{verb} {resource}"));

    [Theory]
    [InlineData("", "serviceaccounts", "impersonate")]
    [InlineData("", "users", "impersonate")]
    [InlineData("", "groups", "impersonate")]
    [InlineData("rbac.authorization.k8s.io", "roles", "escalate")]
    [InlineData("rbac.authorization.k8s.io", "roles", "bind")]
    [InlineData("rbac.authorization.k8s.io", "clusterroles", "bind")]
    public void Edit_operators_cannot_impersonate_escalate_or_bind(string group, string resource, string verb) =>
        Assert.False(Grants(Role(), group, resource, verb));

    [Theory]
    [InlineData("apps", "deployments", "create")]
    [InlineData("batch", "jobs", "delete")]
    [InlineData("", "pods", "delete")]
    [InlineData("", "pods/log", "get")]
    [InlineData("", "secrets", "create")]
    [InlineData("networking.k8s.io", "networkpolicies", "get")]
    [InlineData("", "services", "list")]
    public void Edit_operators_run_their_workloads_and_read_the_isolation(string group, string resource, string verb) =>
        Assert.True(Grants(Role(), group, resource, verb));

    [Fact]
    public void View_operators_keep_the_built_in_view_role_and_get_no_role_of_ours()
    {
        var tenant = TenantIsolation.For("tenant-42").WithOperators(GroupId).Build();
        Assert.Null(tenant.OperatorsRole);
        Assert.Equal(("ClusterRole", "view"), (tenant.OperatorsBinding!.RoleRef.Kind, tenant.OperatorsBinding.RoleRef.Name));
        Assert.Equal("tenant-operators-view", tenant.OperatorsBinding.Metadata.Name);
        Assert.Equal("tenant-operators-edit", TenantIsolation.For("tenant-42").WithOperators(GroupId, TenantOperatorRole.Edit).Build().OperatorsBinding!.Metadata.Name);
    }
}
