using System.CommandLine;
using Sandboxing.Sdk;

namespace Sandboxing.Cli;

/// <summary>
/// <c>sandboxing tenant &lt;name&gt;</c>: the tenant isolation bundle as YAML; <c>--check</c> is <c>sandboxing lint --profile tenant</c>
/// (the same linter, report and formats).
/// </summary>
public static class TenantCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var name = new Argument<string?>("name") { Description = "The tenant, which is also its namespace (a DNS-1123 label).", Arity = ArgumentArity.ZeroOrOne };
        var egress = new Option<string>("--egress") { Description = "none: cluster DNS only; internet: the public internet without private, link-local (metadata) and cluster ranges.", DefaultValueFactory = _ => "none" };
        egress.AcceptOnlyFromAmong("none", "internet");
        var allowCidr = new Option<string[]>("--allow-cidr") { Description = "Allow egress to a CIDR, optionally on ports: 52.1.2.3/32 or 52.1.2.3/32:443,8443 (repeatable).", HelpName = "cidr[:ports]" };
        var allowNamespace = new Option<string[]>("--allow-namespace") { Description = "Allow egress to a namespace, optionally on ports: shared-db or shared-db:5432 (repeatable).", HelpName = "ns[:ports]" };
        var ingressFrom = new Option<string[]>("--ingress-from") { Description = "Allow ingress from a namespace, optionally only pods with a label and only ports: ingress-nginx, ingress-nginx/app.kubernetes.io/name=ingress-nginx:8080 (repeatable).", HelpName = "ns[/key=value][:ports]" };
        var forceCidr = new Option<bool>("--force-cidr") { Description = "Allow --allow-cidr blocks that reach the metadata endpoint, WireServer (168.63.129.16), link-local or --cluster-networks ranges." };
        var localDns = new Option<bool>("--local-dns") { Description = "Allow DNS to AKS LocalDNS on the node (169.254.10.10 and .11, port 53): needed on pools with LocalDNS." };
        var clusterNetworks = new Option<string[]>("--cluster-networks") { Description = "The cluster's pod and service CIDRs and node subnets (comma-separated), excepted from internet egress.", HelpName = "cidrs" };
        var dataplane = new Option<string?>("--network-dataplane") { Description = "The cluster's network dataplane: with cilium, an --allow-cidr into --cluster-networks (or AKS's default pod CIDR) is reported, as Cilium's ipBlock never matches pod or node IPs.", HelpName = "azure|cilium" };
        dataplane.AcceptOnlyFromAmong("azure", "cilium");
        var dualStack = new Option<bool>("--dual-stack") { Description = "The cluster is dual-stack (IPv4 and IPv6): internet egress then needs the IPv6 node subnet in --cluster-networks." };
        var apiServer = new Option<string?>("--api-server") { Description = "The API server address as pods reach it (e.g. 20.1.2.3/32): excepted from internet egress.", HelpName = "cidr" };
        var allowApiServer = new Option<bool>("--allow-api-server") { Description = "Allow the tenant to reach --api-server on 443." };
        var within = new Option<bool>("--within-tenant") { Description = "Let the tenant's pods talk to each other." };
        var quotaCpu = new Option<string>("--quota-cpu") { Description = "CPU quota (requests and limits).", DefaultValueFactory = _ => "8" };
        var quotaMemory = new Option<string>("--quota-memory") { Description = "Memory quota (requests and limits).", DefaultValueFactory = _ => "16Gi" };
        var quotaPods = new Option<int>("--quota-pods") { Description = "Pod count quota.", DefaultValueFactory = _ => 50 };
        var quotaStorage = new Option<string>("--quota-storage") { Description = "Requested storage quota.", DefaultValueFactory = _ => "100Gi" };
        var defaultMemory = new Option<string>("--default-memory") { Description = "Memory limit (= request) of a container that names none: the Kata VM size.", DefaultValueFactory = _ => "1Gi" };
        var defaultCpu = new Option<string>("--default-cpu") { Description = "CPU limit (= request) of a container that names none.", DefaultValueFactory = _ => "1" };
        var serviceAccount = new Option<string>("--service-account") { Description = "The tenant's ServiceAccount (token not mounted).", DefaultValueFactory = _ => TenantIsolation.DefaultServiceAccountName };
        var clientId = new Option<string?>("--workload-identity") { Description = "Microsoft Entra Workload ID: the identity's client ID (a GUID).", HelpName = "client-id" };
        var entraTenant = new Option<string?>("--entra-tenant-id") { Description = "The Entra tenant ID for Workload ID (a GUID).", HelpName = "id" };
        var operators = new Option<string?>("--operators") { Description = "Bind this Entra group (object ID) to the built-in view role in the namespace.", HelpName = "group-id" };
        var operatorsEdit = new Option<bool>("--operators-edit") { Description = "Bind --operators to a Role that writes workloads (not NetworkPolicies, Services or ServiceAccounts) instead of view." };
        var des = new Option<string?>("--disk-encryption-set") { Description = "A disk encryption set resource ID: adds a CMK Azure Disk StorageClass.", HelpName = "id" };
        var requireCmk = new Option<bool>("--require-cmk") { Description = "Require customer-managed keys for the tenant's volumes (checked by SBX4008)." };
        var psaVersion = new Option<string>("--pod-security-version") { Description = "The pinned Pod Security Standards version.", DefaultValueFactory = _ => TenantIsolation.DefaultPodSecurityVersion };
        var check = new Option<string[]>("--check")
        {
            Description = "Instead of printing a bundle, check a tenant's manifests (files, folders, or '-' for standard input) for tenant isolation " +
                "(SBX4002-SBX4011) and sandboxing, all files together: the same as 'sandboxing lint --profile tenant'.",
            HelpName = "files",
            AllowMultipleArgumentsPerToken = true,
        };
        var format = new Option<string?>("--format", "-f") { Description = "With --check: the report's format, text (the default), json or sarif, as 'sandboxing lint' writes it.", HelpName = "format" };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var output = new Option<string?>("--output", "-o") { Description = "Write the YAML to this file instead of standard output.", HelpName = "file" };
        var color = SandboxingCli.ColorOption();

        var command = new Command("tenant", "Print a tenant's isolation bundle as YAML, or check manifests with --check.")
        {
            name, egress, localDns, allowCidr, forceCidr, allowNamespace, ingressFrom, clusterNetworks, dataplane, dualStack, apiServer, allowApiServer, within, quotaCpu, quotaMemory, quotaPods,
            quotaStorage, defaultMemory, defaultCpu, serviceAccount, clientId, entraTenant, operators, operatorsEdit, des, requireCmk, psaVersion, check, format, output, color,
        };
        examples[command] = """
              sandboxing tenant tenant-42 | kubectl apply -f -                             DNS only, nothing in, token-less account
              sandboxing tenant tenant-42 --egress internet --cluster-networks 10.244.0.0/16,10.0.0.0/16 --api-server 20.1.2.3/32
              sandboxing tenant tenant-42 --ingress-from ingress-nginx/app.kubernetes.io/name=ingress-nginx:8080
              sandboxing tenant tenant-42 --network-dataplane cilium --cluster-networks 10.244.0.0/16,10.224.0.0/16 --allow-namespace shared-db:5432
              sandboxing tenant tenant-42 --allow-cidr 52.1.2.3/32:443 --allow-namespace shared-db:5432 --workload-identity <client-id>
              sandboxing tenant --check k8s/tenant-42.yaml                                 check a tenant's manifests (exit 1 on findings)
            """;

        command.SetAction(parse =>
        {
            var choice = SandboxingCli.Color(parse, color);
            if (parse.GetValue(check) is { Length: > 0 } paths)
            {
                // --check prints no bundle: a bundle setting given with it would be ignored, so it is refused instead.
                var ignored = command.Options.Where(o => o != check && o != format && o != color && parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
                if (parse.GetValue(name) is not null)
                {
                    ignored.Insert(0, "the tenant name");
                }

                if (ignored.Count > 0)
                {
                    throw new ArgumentException($"--check checks manifests and prints no bundle, so it would ignore {string.Join(", ", ignored)}; " +
                        "check the manifests and print the bundle in two runs.");
                }

                // The alias runs the lint command itself, so both print the same report from the same linter.
                string[] lint = ["lint", "--profile", "tenant", "--format", parse.GetValue(format) ?? "text", "--color", parse.GetValue(color) ?? "auto", "--", .. paths];
                return parse.RootCommandResult.Command.Parse(lint).Invoke(new InvocationConfiguration
                {
                    Output = console.Output,
                    Error = console.Error,
                    EnableDefaultExceptionHandler = false,
                });
            }

            if (parse.GetValue(format) is not null)
            {
                throw new ArgumentException("--format sets the report of --check; the bundle is always YAML, so leave --format out or add --check <files>.");
            }

            var tenantName = parse.GetValue(name) ?? throw new ArgumentException("give the tenant's name: sandboxing tenant <name>.");
            if (SystemNamespaces.TenantProblem(tenantName) is { } systemProblem)
            {
                throw new ArgumentException($"the tenant name {systemProblem}.");
            }

            var builder = TenantIsolation.For(tenantName)
                .WithQuota(parse.GetValue(quotaCpu)!, parse.GetValue(quotaMemory)!, parse.GetValue(quotaPods), parse.GetValue(quotaStorage)!)
                .WithContainerDefaults(parse.GetValue(defaultMemory)!, parse.GetValue(defaultCpu)!)
                .WithServiceAccount(parse.GetValue(serviceAccount)!)
                .WithPodSecurityVersion(parse.GetValue(psaVersion)!)
                .WithClusterNetworks(SandboxingCli.SplitList(parse.GetValue(clusterNetworks)));
            if (parse.GetValue(egress) == "internet")
            {
                builder.WithInternetEgress();
                if (parse.GetValue(apiServer) is null)
                {
                    var warn = console.ErrorStyles(choice);
                    console.Error.WriteLine($"{warn.Severity(SandboxSeverity.Warning)}: --egress internet without --api-server lets the tenant's pods reach the " +
                        "API server's public address, which the bundle cannot except without knowing it; add --api-server <cidr> (its address as pods reach it).");
                }
            }

            if (parse.GetValue(localDns))
            {
                builder.WithLocalDns();
            }

            if (parse.GetValue(forceCidr) && (parse.GetValue(allowCidr) ?? []).Length == 0)
            {
                throw new ArgumentException("--force-cidr forces --allow-cidr blocks, and none is given; add --allow-cidr <cidr> or leave --force-cidr out.");
            }

            if (parse.GetValue(dataplane) == "cilium")
            {
                builder.WithCiliumDataplane();
            }

            if (parse.GetValue(dualStack))
            {
                builder.WithDualStack();
            }

            foreach (var item in parse.GetValue(allowCidr) ?? [])
            {
                var (target, ports) = SplitPorts(item, "--allow-cidr");
                bool force = parse.GetValue(forceCidr);
                if (!force && IpCidr.TryParse(target, out var block, out _) && ReservedEgress.Problem(block, [], ClusterNetworks(parse.GetValue(clusterNetworks))) is { } reserved)
                {
                    throw new ArgumentException($"--allow-cidr '{item}': {reserved}. Allow only the addresses the tenant needs, use --egress internet " +
                        "for the internet (it excepts these ranges), or add --force-cidr if the tenant must reach them.");
                }

                builder.WithEgressToCidr(target, ports, force: force);
            }

            foreach (var item in parse.GetValue(allowNamespace) ?? [])
            {
                var (target, ports) = SplitPorts(item, "--allow-namespace");
                builder.WithEgressToNamespace(target, null, ports);
            }

            foreach (var item in parse.GetValue(ingressFrom) ?? [])
            {
                var (target, ports) = SplitPorts(item, "--ingress-from");
                var slash = target.IndexOf('/', StringComparison.Ordinal);
                Dictionary<string, string>? labels = null;
                if (slash > 0)
                {
                    var pair = target[(slash + 1)..].Split('=', 2);
                    labels = new() { [pair[0]] = pair.Length > 1 ? pair[1] : "" };
                    target = target[..slash];
                }

                builder.WithIngressFromNamespace(target, labels, ports);
            }

            if (parse.GetValue(apiServer) is { } api)
            {
                _ = parse.GetValue(allowApiServer) ? builder.WithApiServerAllowed(api) : builder.WithApiServerAddress(api);
            }
            else if (parse.GetValue(allowApiServer))
            {
                throw new ArgumentException("--allow-api-server needs --api-server <cidr>, the API server's address as pods reach it.");
            }

            if (parse.GetValue(within))
            {
                builder.WithTrafficWithinTenant();
            }

            if (parse.GetValue(clientId) is { } id)
            {
                builder.WithWorkloadIdentity(id, parse.GetValue(entraTenant));
            }

            if (parse.GetValue(operators) is { } group)
            {
                builder.WithOperators(group, parse.GetValue(operatorsEdit) ? TenantOperatorRole.Edit : TenantOperatorRole.View);
            }

            if (parse.GetValue(des) is { } desId)
            {
                builder.WithEncryptedStorage(desId);
            }

            if (parse.GetValue(requireCmk))
            {
                builder.WithCustomerManagedKeyRequired();
            }

            TenantIsolation tenant;
            try
            {
                tenant = builder.Build();
            }
            catch (SandboxValidationException e)
            {
                var err = console.ErrorStyles(choice);
                Report(e.Findings, console, err);
                console.Error.WriteLine(err.Paint($"The tenant has {e.Findings.Count} error{(e.Findings.Count == 1 ? "" : "s")}; nothing was printed.", TextRole.Error));
                return ExitCodes.Findings;
            }

            var yaml = tenant.ToYaml();
            console.WriteResult(parse.GetValue(output), yaml);

            // The bundle is printed as asked; what the tenant checks find in it (a rule that allows nothing on Cilium) goes to
            // standard error, so a pipe into kubectl still gets only YAML.
            var warnings = tenant.Validate();
            if (warnings.Count > 0)
            {
                Report(warnings, console, console.ErrorStyles(choice));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static IEnumerable<IpCidr> ClusterNetworks(string[]? values) =>
        SandboxingCli.SplitList(values).Select(c => IpCidr.TryParse(c, out var cidr, out _) ? cidr : (IpCidr?)null).OfType<IpCidr>();

    internal static void Report(IEnumerable<SandboxFinding> findings, CliConsole console, StyledText err)
    {
        foreach (var finding in findings)
        {
            console.Error.WriteLine(err.Finding(finding));
        }
    }

    private static (string Target, TenantPort[] Ports) SplitPorts(string item, string option)
    {
        // IPv6 CIDRs contain ':'; ports follow the last ':' only when what follows is a port list.
        int colon = item.LastIndexOf(':');
        if (colon < 0 || !item[(colon + 1)..].Split(',').All(p => int.TryParse(p, out _)) || item[(colon + 1)..].Length == 0
            || (item.Contains('/', StringComparison.Ordinal) && colon < item.LastIndexOf('/')))
        {
            return (item, []);
        }

        var ports = item[(colon + 1)..].Split(',').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).Select(p => new TenantPort(p)).ToArray();
        return colon == 0 ? throw new ArgumentException($"{option} '{item}' names no target before its ports.") : (item[..colon], ports);
    }
}
