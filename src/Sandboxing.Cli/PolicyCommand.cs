using System.CommandLine;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Cli;

/// <summary><c>sandboxing policy</c>: admission policies that make the sandbox the cluster's default and enforce it.</summary>
public static class PolicyCommand
{
    private static readonly Dictionary<string, SandboxPolicyChecks> s_checks = new(StringComparer.Ordinal)
    {
        ["none"] = SandboxPolicyChecks.None,
        ["kata"] = SandboxPolicyChecks.Kata,
        ["hardened"] = SandboxPolicyChecks.Hardened,
        ["host-network"] = SandboxPolicyChecks.HostNetwork,
        ["host-namespaces"] = SandboxPolicyChecks.HostNamespaces,
        ["privileged"] = SandboxPolicyChecks.Privileged,
        ["host-path"] = SandboxPolicyChecks.HostPath,
        ["memory-limit"] = SandboxPolicyChecks.MemoryLimit,
        ["service-account-token"] = SandboxPolicyChecks.ServiceAccountToken,
    };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var engine = new Option<string>("--engine", "-e")
        {
            Description = "vap: a ValidatingAdmissionPolicy and binding (Kubernetes 1.30+); mutating: first a MutatingAdmissionPolicy that adds " +
                "the runtime class to Pods created without one (1.36+, or 1.34-1.35 with the feature gate), then the validating policy; " +
                "kyverno: Kyverno ClusterPolicies (add --mutate for the mutate policy); azure-policy: Azure Policy for Kubernetes definitions, " +
                "an initiative and its assignment (Gatekeeper under the AKS add-on; add --mutate for the mutate definition).",
            DefaultValueFactory = _ => "vap",
        };
        engine.AcceptOnlyFromAmong("vap", "mutating", "kyverno", "azure-policy");
        var mutate = new Option<bool>("--mutate") { Description = "Also add the runtime class to Pods created without one (with --engine kyverno or azure-policy; --engine mutating implies it)." };
        var format = new Option<string?>("--format", "-f")
        {
            Description = "With --engine azure-policy: json (the definitions, initiative and assignment as the REST API takes them, the default) or bicep.",
            HelpName = "json|bicep",
        };
        format.AcceptOnlyFromAmong("json", "bicep");
        var scope = new Option<string?>("--scope")
        {
            Description = "With --engine azure-policy: where the Bicep deploys, management-group (the default) or subscription.",
            HelpName = "management-group|subscription",
        };
        scope.AcceptOnlyFromAmong("management-group", "subscription");
        var allowed = new Option<string[]>("--allowed-runtime-classes", "-a")
        {
            Description = "The runtime classes pods may name (comma-separated or repeated). Default: the --runtime class.",
            HelpName = "classes",
        };
        var runtime = SandboxingCli.RuntimeOption();
        runtime.Description = "The runtime class to allow, and the one the mutating policies add.";
        var mode = new Option<string>("--mode", "-m")
        {
            Description = "enforce: refuse (Deny); audit: admit, warn and audit (Warn + Audit) for a gradual rollout.",
            DefaultValueFactory = _ => "enforce",
        };
        mode.AcceptOnlyFromAmong("enforce", "audit");
        var checks = new Option<string[]>("--checks")
        {
            Description = "Checks beyond the class: a profile (kata: host network, the default; hardened: all; none) or a list of " +
                "host-network, host-namespaces, privileged, host-path, memory-limit, service-account-token.",
            HelpName = "profile|list",
        };
        var templates = new Option<string?>("--templates")
        {
            Description = "require: workload templates must name a class (default for vap and kyverno); allow-unset: they may leave it out, " +
                "their Pods get it from the mutating policy (default for mutating and --mutate).",
            HelpName = "require|allow-unset",
        };
        templates.AcceptOnlyFromAmong("require", "allow-unset");
        var label = new Option<string?>("--namespace-label")
        {
            Description = $"Apply in namespaces with this label, as key=value. Default: {SandboxPolicy.DefaultNamespaceLabel}=true.",
            HelpName = "key=value",
        };
        var namespaces = new Option<string[]>("--namespaces") { Description = "Apply only in these namespaces (comma-separated).", HelpName = "names" };
        var except = new Option<string[]>("--all-namespaces-except") { Description = "Apply everywhere except these namespaces (comma-separated); name kube-system.", HelpName = "names" };
        var noHostNetwork = new Option<bool>("--allow-host-network") { Description = "Leave out the check that refuses hostNetwork." };
        var exemptLabel = new Option<string?>("--exempt-namespace-label")
        {
            Description = $"Exempt namespaces an operator labels key=value (e.g. {SandboxPolicy.DefaultExemptionLabel}=true); key.SBXnnnn=value exempts from one rule.",
            HelpName = "key=value",
        };
        var exemptGroups = new Option<string[]>("--exempt-groups") { Description = "Exempt requests from these groups (comma-separated).", HelpName = "groups" };
        var exemptUsers = new Option<string[]>("--exempt-users") { Description = "Exempt requests from these users (comma-separated).", HelpName = "users" };
        var exemptAccounts = new Option<string[]>("--exempt-service-accounts") { Description = "Exempt requests from these service accounts, as namespace/name (comma-separated).", HelpName = "ns/name" };
        var exemptConfigMap = new Option<string?>("--exemptions-configmap")
        {
            Description = $"Exempt the workloads listed in this ConfigMap (namespace[/name], default name {SandboxPolicy.DefaultExemptionConfigMapName}), keys <namespace>.<workload>, values the reason.",
            HelpName = "ns[/name]",
        };
        var annotations = new Option<bool>("--honour-exemption-annotations")
        {
            Description = "Less strict: let the sandboxing.sdk/exempt annotation with a reason exempt an object; whoever writes the workload can then exempt it.",
        };
        var strict = new Option<bool>("--strict") { Description = "Ignore exemption annotations (the default; kept for scripts)." };
        var version = new Option<string?>("--kubernetes-version") { Description = "The cluster's Kubernetes version, e.g. 1.34 (default 1.36): picks the MutatingAdmissionPolicy API version.", HelpName = "version" };
        var name = new Option<string?>("--name") { Description = $"The policy name. Default: {SandboxPolicy.DefaultName}." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the YAML to this file instead of standard output.", HelpName = "file" };
        var color = SandboxingCli.ColorOption();
        var customResources = new Option<string[]>("--custom-resources")
        {
            Description = "Also check the pod templates of these custom resources (comma-separated kinds, group/Kind, or all): " +
                "Sandbox, SandboxTemplate, Rollout, ScaledJob, Service (Knative), SparkApplication, PyTorchJob, JobSet, RayCluster, ... " +
                "Their pods are checked at Pod creation either way; name only kinds whose CRDs are installed (Kyverno refuses unknown kinds).",
            HelpName = "kinds",
        };

        var test = new Option<string[]>("--test")
        {
            Description = "Print nothing to apply: evaluate the ValidatingAdmissionPolicy offline on these manifests (files, folders, '-') " +
                "and print admit or deny for each object, with the reason. Exit 1 when something is denied.",
            HelpName = "manifests",
            AllowMultipleArgumentsPerToken = true,
        };
        var namespaceLabels = new Option<string[]>("--namespace-labels")
        {
            Description = "With --test: the labels of a namespace, as namespace=key=value (repeatable); Namespace objects among the manifests count too.",
            HelpName = "ns=key=value",
        };
        var command = new Command("policy", "Print admission policies that make a VM sandbox the default and require it, or test them on manifests.")
        {
            engine, mutate, format, scope, allowed, runtime, mode, checks, templates, label, namespaces, except, noHostNetwork,
            exemptLabel, exemptGroups, exemptUsers, exemptAccounts, exemptConfigMap, annotations, strict, version, name, output, color,
            customResources, test, namespaceLabels,
        };
        examples[command] = """
              sandboxing policy | kubectl apply -f -                                       require Kata in namespaces labelled sandboxing.sdk/enforce=true
              sandboxing policy --engine mutating --exempt-namespace-label sandboxing.sdk/exempt=true | kubectl apply -f -
                                                                                           add kata-vm-isolation to new Pods, then require it
              sandboxing policy --mode audit --all-namespaces-except kube-system --checks hardened
              sandboxing policy --exempt-groups platform-ops --exempt-service-accounts ci/deployer --exemptions-configmap sandboxing-system
              sandboxing policy --engine kyverno --mutate | kubectl apply -f -              Kyverno: validate and mutate
              sandboxing policy --engine azure-policy --mutate -f bicep -o sandbox.bicep  Azure Policy for every cluster of a management group
              sandboxing policy --test deploy/ --namespace-labels web=sandboxing.sdk/enforce=true
                                                                                           admit or deny each object of deploy/, offline
            """;

        command.SetAction(parse =>
        {
            var chosenEngine = parse.GetValue(engine);
            bool defaults = chosenEngine == "mutating" || parse.GetValue(mutate);
            var runtimeValue = SandboxingCli.ParseRuntime(parse.GetValue(runtime));
            if (runtimeValue.Definition is null && SandboxPolicy.ClassProblem(runtimeValue.Name) is { } runtimeProblem)
            {
                throw new ArgumentException($"--runtime '{runtimeValue.Name}' {runtimeProblem}; name a sandbox class such as {KnownRuntimeClasses.Default}.");
            }

            var policy = defaults ? SandboxPolicy.DefaultToSandbox(runtimeValue) : SandboxPolicy.RequireSandbox().WithRuntime(runtimeValue);
            if (GivenList(parse, allowed, "--allowed-runtime-classes") is { } classes)
            {
                if (classes.Select(c => (Class: c, Problem: SandboxPolicy.ClassProblem(c))).FirstOrDefault(c => c.Problem is not null) is { Problem: { } problem } bad)
                {
                    throw new ArgumentException($"--allowed-runtime-classes '{bad.Class}' {problem}; name sandbox classes only, such as {KnownRuntimeClasses.Default}.");
                }

                policy = policy.WithAllowedRuntimeClasses(classes);
                policy = policy.WithRuntime(runtimeValue);
            }

            policy = policy.WithMode(parse.GetValue(mode) == "audit" ? SandboxPolicyMode.Audit : SandboxPolicyMode.Enforce)
                .WithChecks(ParseChecks(GivenList(parse, checks, "--checks")));
            if (parse.GetValue(noHostNetwork))
            {
                policy = policy.WithHostNetworkRefused(false);
            }

            if (parse.GetValue(templates) is { } templateChoice)
            {
                policy = policy.WithClassRequiredOnTemplates(templateChoice == "require");
            }

            if (parse.GetValue(name) is { } policyName)
            {
                policy = policy.WithName(policyName);
            }

            if (GivenList(parse, customResources, "--custom-resources") is { } kinds)
            {
                policy = policy.WithCustomResources(CustomKinds(kinds));
            }

            if (parse.GetValue(version) is { } kubernetesVersion)
            {
                policy = policy.WithKubernetesVersion(kubernetesVersion);
            }

            policy = Select(policy, GivenList(parse, namespaces, "--namespaces"), GivenList(parse, except, "--all-namespaces-except"), parse.GetValue(label));
            policy = Exempt(parse, policy, exemptLabel, exemptGroups, exemptUsers, exemptAccounts, exemptConfigMap);
            if (parse.GetValue(annotations))
            {
                if (parse.GetValue(strict))
                {
                    throw new ArgumentException("--strict and --honour-exemption-annotations contradict each other; choose one.");
                }

                policy = policy.WithExemptionAnnotationsHonored();
            }

            var kyverno = chosenEngine == "kyverno";
            var azure = chosenEngine == "azure-policy";
            if (!azure && (parse.GetValue(format) is not null || parse.GetValue(scope) is not null))
            {
                throw new ArgumentException($"{(parse.GetValue(format) is not null ? "--format" : "--scope")} applies to --engine azure-policy; add --engine azure-policy, or leave it out.");
            }

            var findings = kyverno ? policy.ValidateKyverno() : policy.Validate();
            var err = console.ErrorStyles(SandboxingCli.Color(parse, color));
            foreach (var finding in findings)
            {
                var severity = err.Severity(finding.Severity, finding.Severity switch { SandboxSeverity.Error => "error", SandboxSeverity.Warning => "warning", _ => "note" });
                console.Error.WriteLine($"{severity}: {err.Paint(finding.RuleId, TextRole.RuleId)}: {CliWording.Apply(finding.Message)} ({finding.HelpLink})");
            }

            if (findings.Any(f => f.Severity == SandboxSeverity.Error))
            {
                return ExitCodes.BadInput;
            }

            if (parse.GetResult(test) is not null)
            {
                if (kyverno || azure || defaults)
                {
                    throw new ArgumentException("--test evaluates the ValidatingAdmissionPolicy (--engine vap); leave out --engine kyverno, --engine azure-policy, --engine mutating and --mutate.");
                }

                if (parse.GetValue(output) is not null)
                {
                    throw new ArgumentException("--test prints its verdicts, not a policy; leave out --output (redirect standard output to keep them).");
                }

                return PolicyTestOutput.Run(policy, parse.GetValue(test) ?? [], parse.GetValue(namespaceLabels) ?? [], console, SandboxingCli.Color(parse, color));
            }

            if (parse.GetResult(namespaceLabels) is not null)
            {
                throw new ArgumentException("--namespace-labels describes the namespaces of --test; add --test <manifests>, or leave it out.");
            }

            var text = azure ? AzurePolicy(policy, parse.GetValue(format), parse.GetValue(scope))
                : kyverno ? policy.ToKyvernoYaml()
                : policy.ToYaml();
            console.WriteResult(parse.GetValue(output), text);

            return ExitCodes.Success;
        });
        return command;
    }

    private static string AzurePolicy(SandboxPolicy policy, string? format, string? scope)
    {
        if (format != "bicep" && scope is not null)
        {
            throw new ArgumentException("--scope sets the Bicep file's targetScope; add -f bicep, or leave --scope out (the JSON names its scope {scope}).");
        }

        if (SandboxFleet.TooLongName(policy.Name) is { } longest)
        {
            throw new ArgumentException($"--name '{policy.Name}' is too long: the names derived from it, up to '{longest}', must be DNS labels of at most 63 characters; give a shorter --name.");
        }

        var fleet = SandboxFleet.For(policy);
        return format == "bicep" ? fleet.ToAzurePolicyBicep(subscriptionScope: scope == "subscription") : fleet.ToAzurePolicyJson();
    }

    /// <summary>The registry's custom resources named on the command line: <c>all</c>, a kind, or <c>group/Kind</c> when a kind is ambiguous.</summary>
    private static PodTemplateKind[] CustomKinds(string[] names)
    {
        var known = PodTemplateRegistry.Default.CustomResources.ToList();
        if (names is ["all"])
        {
            return [.. known];
        }

        var chosen = new List<PodTemplateKind>();
        foreach (var name in names)
        {
            int slash = name.LastIndexOf('/');
            var matches = known.Where(k => slash < 0
                ? string.Equals(k.Kind, name, StringComparison.OrdinalIgnoreCase)
                : string.Equals(k.Group, name[..slash], StringComparison.OrdinalIgnoreCase) && string.Equals(k.Kind, name[(slash + 1)..], StringComparison.OrdinalIgnoreCase)).ToList();
            chosen.Add(matches.Count switch
            {
                1 => matches[0],
                0 => throw new ArgumentException(
                    $"--custom-resources '{name}' is not a custom resource the SDK knows; known: {string.Join(", ", known.Select(k => k.Group + "/" + k.Kind))}, or all."),
                _ => throw new ArgumentException($"--custom-resources '{name}' is ambiguous; write group/Kind: {string.Join(", ", matches.Select(k => k.Group + "/" + k.Kind))}."),
            });
        }

        return [.. chosen];
    }

    /// <summary>The values of a list option, or null when it was not given; given but empty is an error (it would silently mean "default").</summary>
    internal static string[]? GivenList(ParseResult parse, Option<string[]> option, string flag)
    {
        if (parse.GetResult(option) is null)
        {
            return null;
        }

        var values = SandboxingCli.SplitList(parse.GetValue(option));
        return values.Length > 0 ? values : throw new ArgumentException($"{flag} is empty; name at least one value, or leave the option out.");
    }

    internal static SandboxPolicyChecks ParseChecks(string[]? names)
    {
        if (names is null)
        {
            return SandboxPolicyChecks.Kata;
        }

        var result = SandboxPolicyChecks.None;
        foreach (var name in names)
        {
            result |= s_checks.TryGetValue(name, out var check)
                ? check
                : throw new ArgumentException($"--checks '{name}' is not a profile or check; use one of {string.Join(", ", s_checks.Keys)}.");
        }

        return result;
    }

    private static SandboxPolicy Select(SandboxPolicy policy, string[]? only, string[]? all, string? labelled)
    {
        if ((only is null ? 0 : 1) + (all is null ? 0 : 1) + (labelled is null ? 0 : 1) > 1)
        {
            throw new ArgumentException("choose one of --namespace-label, --namespaces and --all-namespaces-except.");
        }

        if (labelled is not null)
        {
            var (key, value) = KeyValue(labelled, "--namespace-label");
            return policy.WithNamespaceLabel(key, value);
        }

        return only is not null ? policy.WithNamespaces(only) : all is not null ? policy.WithAllNamespacesExcept(all) : policy;
    }

    private static SandboxPolicy Exempt(ParseResult parse, SandboxPolicy policy, Option<string?> label, Option<string[]> groups, Option<string[]> users,
        Option<string[]> accounts, Option<string?> configMap)
    {
        if (parse.GetValue(label) is { } exemptLabel)
        {
            var (key, value) = KeyValue(exemptLabel, "--exempt-namespace-label");
            policy = policy.WithExemptNamespaceLabel(key, value);
        }

        if (GivenList(parse, groups, "--exempt-groups") is { } groupList)
        {
            policy = policy.WithExemptGroups(groupList);
        }

        if (GivenList(parse, users, "--exempt-users") is { } userList)
        {
            policy = policy.WithExemptUsers(userList);
        }

        if (GivenList(parse, accounts, "--exempt-service-accounts") is { } accountList)
        {
            policy = policy.WithExemptServiceAccounts(accountList);
        }

        if (parse.GetValue(configMap) is { } reference)
        {
            var parts = reference.Split('/', 2);
            policy = parts.Length == 2 ? policy.WithExemptionConfigMap(parts[0], parts[1]) : policy.WithExemptionConfigMap(parts[0]);
        }

        return policy;
    }

    internal static (string Key, string Value) KeyValue(string text, string flag)
    {
        var parts = text.Split('=', 2);
        if (parts[0].Trim().Length == 0)
        {
            throw new ArgumentException($"{flag} '{text}' has no key; write key=value, e.g. {SandboxPolicy.DefaultExemptionLabel}=true.");
        }

        return (parts[0], parts.Length > 1 ? parts[1] : "true");
    }
}
