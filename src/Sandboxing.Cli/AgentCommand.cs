using System.CommandLine;
using Sandboxing.Sdk;

namespace Sandboxing.Cli;

/// <summary><c>sandboxing agent template</c>: a kubernetes-sigs/agent-sandbox SandboxTemplate and its warm pool, as YAML.</summary>
public static class AgentCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var name = new Argument<string>("name") { Description = "The template's name (and its warm pool's)." };
        var image = new Option<string>("--image", "-i") { Description = "The sandbox's container image.", Required = true, HelpName = "image" };
        var memory = new Option<string>("--memory") { Description = "The container's memory limit and request: it sizes each sandbox's Kata VM.", DefaultValueFactory = _ => "1Gi", HelpName = "size" };
        var cpu = new Option<string>("--cpu") { Description = "The container's CPU limit and request.", DefaultValueFactory = _ => "1", HelpName = "cores" };
        var warm = new Option<int?>("--warm") { Description = "Also print a SandboxWarmPool keeping N sandboxes running (0: a pool that cold-starts, which v1beta1 claims need). Each warm pod holds its VM's memory.", HelpName = "N" };
        var tenant = new Option<string?>("--tenant", "-n") { Description = "The tenant namespace the template and its sandboxes live in.", HelpName = "ns" };
        var egress = new Option<string>("--egress") { Description = "none: cluster DNS only; internet: the public internet without private, link-local (metadata), Azure platform and cluster ranges.", DefaultValueFactory = _ => "none" };
        egress.AcceptOnlyFromAmong("none", "internet");
        var clusterNetworks = new Option<string[]>("--cluster-networks") { Description = "The cluster's pod and service CIDRs and node subnets (comma-separated), excepted from internet egress.", HelpName = "cidrs" };
        var apiVersion = new Option<string>("--api-version") { Description = "v1beta1 (what the CRDs store) or the deprecated v1alpha1, for CRDs that predate v1beta1.", DefaultValueFactory = _ => "v1beta1" };
        apiVersion.AcceptOnlyFromAmong("v1beta1", "v1alpha1");
        var output = new Option<string?>("--output", "-o") { Description = "Write the YAML to this file instead of standard output.", HelpName = "file" };
        var color = SandboxingCli.ColorOption();

        var template = new Command("template", "Print a SandboxTemplate (Kata, non-root, no token; its network policy the tenant's egress, ingress from the router only) and optionally its SandboxWarmPool.")
        {
            name, image, memory, cpu, warm, tenant, egress, clusterNetworks, apiVersion, output, color,
        };
        var command = new Command("agent", "kubernetes-sigs/agent-sandbox objects for AI agents' code: templates and warm pools.") { template };
        examples[template] = """
              sandboxing agent template python-runtime --image python:3.12-slim --tenant agents | kubectl apply -f -
              sandboxing agent template coder --image ghcr.io/acme/coder:1.4 --warm 3 --egress internet --cluster-networks 10.244.0.0/16
              sandboxing agent template coder --image ghcr.io/acme/coder:1.4 --warm 0 --api-version v1alpha1   for CRDs older than v1beta1
            """;
        examples[command] = examples[template];

        template.SetAction(parse =>
        {
            var templateName = parse.GetValue(name)!;
            if (KubernetesNames.CheckSubdomain(templateName) is { } nameError)
            {
                throw new ArgumentException($"the template name '{templateName}' is not valid: {nameError}.");
            }

            var builder = AgentSandboxes.Template(templateName)
                .WithContainer("sandbox", parse.GetValue(image)!, c => c.WithResources(parse.GetValue(cpu), parse.GetValue(memory)));
            if (parse.GetValue(tenant) is { } ns)
            {
                if (SystemNamespaces.TenantProblem(ns) is { } problem)
                {
                    throw new ArgumentException($"--tenant {problem}.");
                }

                builder.InNamespace(ns);
            }

            var networks = SandboxingCli.SplitList(parse.GetValue(clusterNetworks));
            foreach (var network in networks)
            {
                if (!IpCidr.TryParse(network, out _, out var cidrError))
                {
                    throw new ArgumentException($"--cluster-networks '{network}': {cidrError}; write CIDRs such as 10.244.0.0/16,10.0.0.0/16.");
                }
            }

            if (parse.GetValue(egress) == "internet")
            {
                builder.WithInternetEgress(networks);
            }
            else if (networks.Length > 0)
            {
                throw new ArgumentException("--cluster-networks are excepted from internet egress, and --egress is none; add --egress internet or leave --cluster-networks out.");
            }

            if (parse.GetValue(warm) is { } replicas)
            {
                if (replicas < 0)
                {
                    throw new ArgumentException($"--warm {replicas} is negative; give the number of sandboxes to keep running, 0 or more.");
                }

                builder.WithWarmPool(replicas);
            }

            var version = "extensions.agents.x-k8s.io/" + parse.GetValue(apiVersion);
            builder.WithApiVersion(version);
            if (AgentSandboxes.DeprecationWarning(version, "SandboxTemplate") is { } deprecated)
            {
                var warn = console.ErrorStyles(SandboxingCli.Color(parse, color));
                console.Error.WriteLine($"{warn.Severity(SandboxSeverity.Warning)}: {deprecated} (the CRDs' own warning); leave --api-version out unless your CRDs predate v1beta1.");
            }

            IReadOnlyList<UnstructuredObject> objects;
            try
            {
                objects = builder.Build();
            }
            catch (SandboxValidationException e)
            {
                throw new ArgumentException(string.Join(" ", e.Findings.Select(f => $"{f.RuleId}: {CliWording.Apply(f.Message)}")));
            }

            console.WriteResult(parse.GetValue(output), SandboxManifest.ToYaml([.. objects]));
            return ExitCodes.Success;
        });
        return command;
    }
}
