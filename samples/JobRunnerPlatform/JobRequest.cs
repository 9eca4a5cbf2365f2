namespace JobRunnerPlatform;

/// <summary>What a tenant asks the platform to run.</summary>
public sealed record JobRequest(string Tenant, string Name, string Image, IReadOnlyList<string> Command, string Cpu, string Memory, int Parallelism);

/// <summary>The command line: the job request plus how to reach the cluster.</summary>
public sealed record CommandLine(
    JobRequest Request, bool DryRun, bool ServerDryRun, string? Kubeconfig, string? Context, string? Cluster, string? ResourceGroup)
{
    public const string Usage = """
        usage: JobRunnerPlatform [options] [-- command [args...]]

          --tenant <name>          tenant namespace (DNS label)            default: tenant-42
          --name <name>            job name                                default: job-<tenant>-<time>
          --image <image>          container image                         default: busybox:1.36
          --cpu <quantity>         CPU limit (= request)                   default: 500m
          --memory <quantity>      memory limit (= request; sizes the VM)  default: 512Mi
          --parallelism <n>        pods that run at once                   default: 1
          --kubeconfig <path>      kubeconfig                              default: $KUBECONFIG or ~/.kube/config
          --context <name>         kubeconfig context                      default: the current context
          --cluster <name>         AKS cluster name, for the az commands in fixes
          --resource-group <name>  AKS resource group, for the az commands in fixes
          --dry-run                print the manifests and the preflight; contact no cluster
          --server-dry-run         preflight, then apply with dryRun=All (the cluster stores nothing)
          -h, --help               this text

        With no kubeconfig the platform runs as --dry-run.
        """;

    /// <summary>Parses the arguments; returns null and an error for bad input.</summary>
    public static CommandLine? Parse(string[] args, out string? error)
    {
        error = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool dryRun = false, serverDryRun = false;
        var command = new List<string>();
        string[] valued = ["--tenant", "--name", "--image", "--cpu", "--memory", "--parallelism", "--kubeconfig", "--context", "--cluster", "--resource-group"];
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                command.AddRange(args[(i + 1)..]);
                break;
            }

            if (arg is "--dry-run")
            {
                dryRun = true;
            }
            else if (arg is "--server-dry-run")
            {
                serverDryRun = true;
            }
            else if (valued.Contains(arg))
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    error = $"{arg} needs a value.";
                    return null;
                }

                values[arg] = args[++i];
            }
            else
            {
                error = $"Unknown argument '{arg}'.";
                return null;
            }
        }

        string tenant = values.GetValueOrDefault("--tenant", "tenant-42");
        string name = values.GetValueOrDefault("--name", $"job-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        string cpu = values.GetValueOrDefault("--cpu", "500m");
        string memory = values.GetValueOrDefault("--memory", "512Mi");
        // Names and quantities are checked where the Job is built: the builders refuse them with the rule's message.
        if (!int.TryParse(values.GetValueOrDefault("--parallelism", "1"), out int parallelism) || parallelism < 1)
        {
            error = "--parallelism must be a whole number of at least 1.";
        }
        else
        {
            if (command.Count == 0)
            {
                command.AddRange(["sh", "-c", "echo hello from a Kata VM; uname -r"]);
            }

            var request = new JobRequest(tenant, name, values.GetValueOrDefault("--image", "busybox:1.36"), command, cpu, memory, parallelism);
            return new CommandLine(request, dryRun, serverDryRun, values.GetValueOrDefault("--kubeconfig"), values.GetValueOrDefault("--context"),
                values.GetValueOrDefault("--cluster"), values.GetValueOrDefault("--resource-group"));
        }

        return null;
    }
}
