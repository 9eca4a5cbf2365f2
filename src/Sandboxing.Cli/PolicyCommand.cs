using System.CommandLine;
using Sandboxing.Sdk.Policies;

namespace Sandboxing.Cli;

/// <summary><c>sandboxing policy</c>: admission policies that enforce sandboxing at the cluster.</summary>
public static class PolicyCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliConsole console, IDictionary<Command, string> examples)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(examples);
        var engine = new Option<string>("--engine", "-e")
        {
            Description = "vap: a ValidatingAdmissionPolicy and its binding (Kubernetes 1.30+); kyverno: Kyverno ClusterPolicies (validate and mutate).",
            DefaultValueFactory = _ => "vap",
        };
        engine.AcceptOnlyFromAmong("vap", "kyverno");
        var allowed = new Option<string[]>("--allowed-runtime-classes", "-a")
        {
            Description = "The runtime classes pods may name (comma-separated or repeated). Default: the --runtime class.",
            HelpName = "classes",
        };
        var runtime = SandboxingCli.RuntimeOption();
        runtime.Description = "The runtime class to allow, and the one Kyverno's mutate policy adds.";
        var mode = new Option<string>("--mode", "-m")
        {
            Description = "enforce: refuse (Deny); audit: admit, warn and audit (Warn + Audit) for a gradual rollout.",
            DefaultValueFactory = _ => "enforce",
        };
        mode.AcceptOnlyFromAmong("enforce", "audit");
        var label = new Option<string?>("--namespace-label")
        {
            Description = $"Apply in namespaces with this label, as key=value. Default: {SandboxPolicy.DefaultNamespaceLabel}=true.",
            HelpName = "key=value",
        };
        var namespaces = new Option<string[]>("--namespaces") { Description = "Apply only in these namespaces (comma-separated).", HelpName = "names" };
        var except = new Option<string[]>("--all-namespaces-except") { Description = "Apply everywhere except these namespaces (comma-separated), e.g. kube-system.", HelpName = "names" };
        var noHostNetwork = new Option<bool>("--allow-host-network") { Description = "Leave out the companion rule that refuses hostNetwork." };
        var strict = new Option<bool>("--strict") { Description = "Ignore sandboxing.sdk/exempt annotations: no opt-outs at the cluster." };
        var name = new Option<string?>("--name") { Description = $"The policy name. Default: {SandboxPolicy.DefaultName}." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the YAML to this file instead of standard output.", HelpName = "file" };

        var command = new Command("policy", "Print admission policies that require an allowed sandbox runtime class on Pods and on the pod " +
            "templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs and CronJobs (a bad Deployment " +
            "fails at kubectl apply), in the namespaces selected, optionally refusing hostNetwork, and honouring the reason-carrying " +
            "exemption annotation sandboxing.sdk/exempt.")
        {
            engine, allowed, runtime, mode, label, namespaces, except, noHostNetwork, strict, name, output,
        };
        examples[command] = """
              sandboxing policy | kubectl apply -f -                                       enforce in namespaces labelled sandboxing.sdk/enforce=true
              sandboxing policy --mode audit --all-namespaces-except kube-system           warn and audit everywhere first
              sandboxing policy -a kata-vm-isolation,kata-vm-isolation-v2 --namespaces tenant-a,tenant-b
              sandboxing policy --engine kyverno | kubectl apply -f -                      Kyverno: validate and mutate
            """;

        command.SetAction(parse =>
        {
            var policy = SandboxPolicy.RequireSandbox(SandboxingCli.SplitList(parse.GetValue(allowed)))
                .WithRuntime(SandboxingCli.ParseRuntime(parse.GetValue(runtime)))
                .InMode(parse.GetValue(mode) == "audit" ? SandboxPolicyMode.Audit : SandboxPolicyMode.Enforce)
                .RefusingHostNetwork(!parse.GetValue(noHostNetwork))
                .HonouringExemptions(!parse.GetValue(strict));
            if (parse.GetValue(name) is { } policyName)
            {
                policy = policy.Named(policyName);
            }

            var only = SandboxingCli.SplitList(parse.GetValue(namespaces));
            var all = SandboxingCli.SplitList(parse.GetValue(except));
            var labelled = parse.GetValue(label);
            if ((only.Length > 0 ? 1 : 0) + (all.Length > 0 ? 1 : 0) + (labelled is null ? 0 : 1) > 1)
            {
                throw new ArgumentException("choose one of --namespace-label, --namespaces and --all-namespaces-except.");
            }

            if (labelled is not null)
            {
                var parts = labelled.Split('=', 2);
                policy = policy.ForNamespacesLabelled(parts[0], parts.Length > 1 ? parts[1] : "true");
            }
            else if (only.Length > 0)
            {
                policy = policy.ForNamespaces(only);
            }
            else if (all.Length > 0)
            {
                policy = policy.ForAllNamespacesExcept(all);
            }

            var yaml = parse.GetValue(engine) == "kyverno" ? policy.ToKyvernoYaml() : policy.ToYaml();
            if (parse.GetValue(output) is { } file)
            {
                File.WriteAllText(console.FullPath(file), yaml);
            }
            else
            {
                console.Output.Write(yaml);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
