namespace Sandboxing.Cli.Tests;

public class ClusterCommandTests
{
    private static readonly string Fixtures = CliRunner.FixturesDirectory();

    [Fact]
    public void Azure_rbac_without_an_admin_group_prints_the_role_assignment_the_creator_needs()
    {
        var run = CliRunner.Run(Fixtures, "cluster", "-n", "aks", "-g", "rg", "-l", "westeurope");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("next step: the cluster uses Entra ID with Azure RBAC and no local accounts, and no --admin-group was given", run.Error);
        Assert.Contains("az role assignment create --assignee \"$(az ad signed-in-user show --query id -o tsv)\" " +
            "--role 'Azure Kubernetes Service RBAC Cluster Admin' --scope \"$(az aks show --resource-group rg --name aks --query id -o tsv)\"", run.Error);
        Assert.DoesNotContain("az role assignment", run.Output); // the emitted commands stay as they were
    }

    [Fact]
    public void With_a_subscription_the_role_is_scoped_to_the_cluster_id()
    {
        var run = CliRunner.Run(Fixtures, "cluster", "-n", "aks", "-g", "rg", "-l", "westeurope", "--subscription", "00000000-1111-2222-3333-444444444444");

        Assert.Contains("--scope /subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks", run.Error);
    }

    [Fact]
    public void An_admin_group_needs_no_next_step()
    {
        var run = CliRunner.Run(Fixtures, "cluster", "-n", "aks", "-g", "rg", "-l", "westeurope", "--admin-group", "11111111-2222-3333-4444-555555555555");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.DoesNotContain("next step", run.Error);
    }
}
