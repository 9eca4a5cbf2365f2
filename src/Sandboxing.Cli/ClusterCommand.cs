using System.CommandLine;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Cli;

/// <summary><c>sandboxing cluster</c>: a new AKS cluster with Pod Sandboxing, as az, Bicep, ARM, Terraform or REST.</summary>
public static class ClusterCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var name = new Option<string>("--name", "-n") { Description = "The cluster name.", Required = true };
        var group = new Option<string>("--resource-group", "-g") { Description = "The resource group.", Required = true };
        var location = new Option<string>("--location", "-l") { Description = "The Azure region, e.g. westeurope.", Required = true };
        var subscription = new Option<string?>("--subscription") { Description = "The subscription ID (for REST URLs and Terraform).", HelpName = "id" };
        var policy = new Option<string>("--network-policy") { Description = "cilium (with the Cilium dataplane), calico, azure (Azure NPM: Linux support ends 2028-09-30), or none (an error for tenant isolation).", DefaultValueFactory = _ => "cilium" };
        policy.AcceptOnlyFromAmong("cilium", "calico", "azure", "none");
        var version = new Option<string?>("--kubernetes-version") { Description = "The Kubernetes version (1.27 or later).", HelpName = "version" };
        var vmSize = new Option<string>("--system-vm-size") { Description = "The Kata-capable System pool's VM size.", DefaultValueFactory = _ => AksCluster.DefaultSystemPoolVmSize };
        var count = new Option<int>("--system-count") { Description = "The System pool's node count.", DefaultValueFactory = _ => 2 };
        var tenantPool = new Option<bool>("--tenant-pool") { Description = "Add a tainted Kata pool 'tenants' (autoscaling 1-5) for tenant workloads." };
        var podCidr = new Option<string?>("--pod-cidr") { Description = "The overlay pod CIDR (with --service-cidr and --dns-service-ip).", HelpName = "cidr" };
        var serviceCidr = new Option<string?>("--service-cidr") { Description = "The service CIDR.", HelpName = "cidr" };
        var dnsIp = new Option<string?>("--dns-service-ip") { Description = "The cluster DNS service IP, inside the service CIDR.", HelpName = "ip" };
        var admins = new Option<string[]>("--admin-group") { Description = "Entra group object IDs that administer the cluster (comma-separated).", HelpName = "ids" };
        var des = new Option<string?>("--disk-encryption-set") { Description = "A disk encryption set for the nodes' OS disks (customer-managed key).", HelpName = "id" };
        var host = new Option<bool>("--encryption-at-host") { Description = "Encrypt at host on every pool (needs the EncryptionAtHost subscription feature)." };
        var noTenants = new Option<bool>("--no-tenant-isolation") { Description = "The cluster hosts no tenants: network policy none and Workload ID off become warnings." };
        var format = new Option<string>("--format", "-f") { Description = "az, bicep, arm, terraform (azurerm 5.x) or rest.", DefaultValueFactory = _ => "az" };
        format.AcceptOnlyFromAmong("az", "bicep", "arm", "terraform", "rest");
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output.", HelpName = "file" };
        var color = SandboxingCli.ColorOption();

        var command = new Command("cluster", "Emit a new AKS cluster with Pod Sandboxing from the start, checked first.")
        {
            name, group, location, subscription, policy, version, vmSize, count, tenantPool, podCidr, serviceCidr, dnsIp, admins, des, host, noTenants, format, output, color,
        };
        examples[command] = """
              sandboxing cluster -n sandbox-aks -g sandbox-rg -l westeurope                      az aks create with Kata, Cilium, Workload ID
              sandboxing cluster -n sandbox-aks -g sandbox-rg -l westeurope -f bicep -o aks.bicep
              sandboxing cluster -n sandbox-aks -g sandbox-rg -l westeurope --network-policy calico --tenant-pool -f terraform
              sandboxing cluster -n sandbox-aks -g sandbox-rg -l westeurope --encryption-at-host --disk-encryption-set <id>
            """;

        command.SetAction(parse =>
        {
            string n = parse.GetValue(name)!, g = parse.GetValue(group)!;
            var builder = AksCluster.ForSandboxing(n, g, parse.GetValue(location)!)
                .WithNetworkPolicy(Enum.Parse<AksNetworkPolicy>(parse.GetValue(policy)!, ignoreCase: true))
                .WithSystemPool(parse.GetValue(vmSize)!, parse.GetValue(count))
                .WithEntraId(adminGroupObjectIds: SandboxingCli.SplitList(parse.GetValue(admins)));
            string? sub = parse.GetValue(subscription);
            if (sub is not null)
            {
                builder.WithSubscription(sub);
            }

            if (parse.GetValue(version) is { } v)
            {
                builder.WithKubernetesVersion(v);
            }

            if (parse.GetValue(podCidr) is not null || parse.GetValue(serviceCidr) is not null || parse.GetValue(dnsIp) is not null)
            {
                builder.WithNetwork(parse.GetValue(podCidr) ?? "", parse.GetValue(serviceCidr) ?? "", parse.GetValue(dnsIp) ?? "");
            }

            if (parse.GetValue(des) is { } desId)
            {
                builder.WithDiskEncryptionSet(desId);
            }

            if (parse.GetValue(host))
            {
                builder.WithEncryptionAtHost();
            }

            if (parse.GetValue(noTenants))
            {
                builder.WithoutTenantIsolation();
            }

            var err = console.ErrorStyles(SandboxingCli.Color(parse, color));
            AksCluster cluster;
            try
            {
                if (parse.GetValue(tenantPool))
                {
                    builder.WithNodePool(AksNodePool.ForSandboxing("tenants").InCluster(n, g, sub).WithVmSize(parse.GetValue(vmSize)!)
                        .WithAutoscaling(1, 5).WithNodeTaint(AksNodeTaint.SandboxDefault).Build());
                }

                cluster = builder.Build();
            }
            catch (SandboxValidationException e)
            {
                TenantCommand.Report(e.Findings, console, err);
                console.Error.WriteLine(err.Paint($"The cluster has {e.Findings.Count} error{(e.Findings.Count == 1 ? "" : "s")}; nothing was emitted.", TextRole.Error));
                return ExitCodes.Findings;
            }

            TenantCommand.Report(cluster.Findings, console, err);
            var text = parse.GetValue(format) switch
            {
                "bicep" => cluster.ToBicep(),
                "arm" => cluster.ToArmTemplate(),
                "terraform" => cluster.ToTerraform(),
                "rest" => cluster.ToRestRequest().ToString() + "\n",
                _ => cluster.ToAzCli(),
            };
            console.WriteResult(parse.GetValue(output), text);
            if (cluster.AzureRbac && cluster.DisableLocalAccounts && cluster.AdminGroupObjectIds.Count == 0)
            {
                // With Azure RBAC and no local accounts, nobody may use kubectl until a role is assigned: say how.
                console.Error.WriteLine($"{err.Paint("next step:", TextRole.Note)} {AdminRoleStep(cluster)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// What the creator of a cluster with Azure RBAC, no local accounts and no admin group runs once it exists: the role
    /// assignment that lets them use kubectl (scoped to the cluster).
    /// </summary>
    internal static string AdminRoleStep(AksCluster cluster)
    {
        string scope = cluster.SubscriptionId is null
            ? $"\"$(az aks show --resource-group {EmitterQuoting.ShellQuote(cluster.ResourceGroup)} --name {EmitterQuoting.ShellQuote(cluster.Name)} --query id -o tsv)\""
            : EmitterQuoting.ShellQuote(cluster.ResourceId);
        return "the cluster uses Entra ID with Azure RBAC and no local accounts, and no --admin-group was given, so no one can use kubectl " +
            "on it yet. Once it exists, give yourself the cluster admin role (or pass --admin-group <group-object-id>):\n" +
            "  az role assignment create --assignee \"$(az ad signed-in-user show --query id -o tsv)\" " +
            $"--role 'Azure Kubernetes Service RBAC Cluster Admin' --scope {scope}";
    }
}
