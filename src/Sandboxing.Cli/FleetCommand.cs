using System.CommandLine;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Cli;

/// <summary><c>sandboxing fleet placement</c>: Azure Kubernetes Fleet Manager placements of the admission policies and tenant namespaces.</summary>
public static class FleetCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var selector = new Option<string[]>("--cluster-selector", "-l")
        {
            Description = "Place only on member clusters with this label, as key=value (repeatable or comma-separated; a cluster needs all). Default: every member cluster.",
            HelpName = "key=value",
        };
        var tenants = new Option<string[]>("--tenants") { Description = "Also place these tenants' namespaces, each with its isolation bundle (comma-separated).", HelpName = "names" };
        var engine = new Option<string>("--engine", "-e")
        {
            Description = "vap: the ValidatingAdmissionPolicy and binding; mutating: first a MutatingAdmissionPolicy that adds the runtime class to Pods " +
                $"created without one, placed as v1 or v1beta1 on member clusters labelled {SandboxFleet.MutatingApiVersionLabel}=v1 (1.36+) or v1beta1 (1.34-1.35).",
            DefaultValueFactory = _ => "vap",
        };
        engine.AcceptOnlyFromAmong("vap", "mutating");
        var mode = new Option<string>("--mode", "-m") { Description = "enforce: refuse (Deny); audit: admit, warn and audit.", DefaultValueFactory = _ => "enforce" };
        mode.AcceptOnlyFromAmong("enforce", "audit");
        var checks = new Option<string[]>("--checks") { Description = "Checks beyond the class, as for 'sandboxing policy': kata (the default), hardened, none, or a list.", HelpName = "profile|list" };
        var exemptLabel = new Option<string?>("--exempt-namespace-label") { Description = "Exempt namespaces an operator labels key=value on each member cluster.", HelpName = "key=value" };
        var exemptConfigMap = new Option<string?>("--exemptions-configmap")
        {
            Description = $"Exempt the workloads listed in this ConfigMap (namespace[/name], default name {SandboxPolicy.DefaultExemptionConfigMapName}); its namespace is placed too, so one list on the hub serves every cluster.",
            HelpName = "ns[/name]",
        };
        var name = new Option<string?>("--name") { Description = $"The policy name, which names the placements. Default: {SandboxPolicy.DefaultName}." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the YAML to this file instead of standard output.", HelpName = "file" };

        var placement = new Command("placement", "Print ClusterResourcePlacements (and what they place) to apply to the Fleet Manager hub.")
        {
            selector, tenants, engine, mode, checks, exemptLabel, exemptConfigMap, name, output,
        };
        var command = new Command("fleet", "Azure Kubernetes Fleet Manager: place the sandbox policies and tenant namespaces on member clusters.") { placement };
        examples[placement] = """
              sandboxing fleet placement | kubectl --context hub apply -f -               the policies on every member cluster
              sandboxing fleet placement -l env=prod -l region=westeurope --tenants tenant-a,tenant-b
                                                                                           the policies and two tenants on matching clusters
              sandboxing fleet placement --engine mutating --exemptions-configmap sandboxing-system
                                                                                           sandbox by default; label members sandboxing.sdk/mutating-admission-policy=v1|v1beta1
            """;
        examples[command] = examples[placement];

        placement.SetAction(parse =>
        {
            var policy = parse.GetValue(engine) == "mutating" ? SandboxPolicy.DefaultToSandbox() : SandboxPolicy.RequireSandbox();
            policy = policy.WithMode(parse.GetValue(mode) == "audit" ? SandboxPolicyMode.Audit : SandboxPolicyMode.Enforce)
                .WithChecks(PolicyCommand.ParseChecks(PolicyCommand.GivenList(parse, checks, "--checks")));
            if (parse.GetValue(name) is { } policyName)
            {
                policy = policy.WithName(policyName);
            }

            if (parse.GetValue(exemptLabel) is { } label)
            {
                var (key, value) = PolicyCommand.KeyValue(label, "--exempt-namespace-label");
                policy = policy.WithExemptNamespaceLabel(key, value);
            }

            if (parse.GetValue(exemptConfigMap) is { } reference)
            {
                var parts = reference.Split('/', 2);
                policy = parts.Length == 2 ? policy.WithExemptionConfigMap(parts[0], parts[1]) : policy.WithExemptionConfigMap(parts[0]);
            }

            if (policy.Validate().FirstOrDefault(f => f.Severity == SandboxSeverity.Error) is { } error)
            {
                throw new ArgumentException($"{error.RuleId}: {error.Message}");
            }

            var fleet = SandboxFleet.For(policy);
            foreach (var pair in PolicyCommand.GivenList(parse, selector, "--cluster-selector") ?? [])
            {
                if (!pair.Contains('=', StringComparison.Ordinal))
                {
                    throw new ArgumentException($"--cluster-selector '{pair}' is not key=value; write for example env=prod.");
                }

                var (key, value) = PolicyCommand.KeyValue(pair, "--cluster-selector");
                fleet = fleet.WithClusterLabel(key, value);
            }

            var tenantNames = PolicyCommand.GivenList(parse, tenants, "--tenants") ?? [];
            fleet = fleet.WithTenants([.. tenantNames.Select(Tenant)]);
            console.WriteResult(parse.GetValue(output), fleet.ToYaml());
            return ExitCodes.Success;
        });
        return command;
    }

    private static TenantIsolation Tenant(string name)
    {
        try
        {
            return TenantIsolation.For(name).Build();
        }
        catch (SandboxValidationException e)
        {
            throw new ArgumentException($"--tenants '{name}': {string.Join(" ", e.Findings.Select(f => f.Message))}");
        }
    }
}
