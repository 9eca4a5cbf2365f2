// The job-runner platform sample: a tenant's job request (image, command, limits) becomes a sandboxed Job; the platform
// runs the readiness preflight and server-side applies the tenant's namespace and the Job to the cluster of the kubeconfig.
// Without a kubeconfig, or with --dry-run, it prints the manifests and the preflight it would run.
using JobRunnerPlatform;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Cluster;

if (args.Contains("-h") || args.Contains("--help"))
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

var commandLine = CommandLine.Parse(args, out var error);
if (commandLine is null)
{
    Console.Error.WriteLine($"error: {error}");
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

IReadOnlyList<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> objects;
try
{
    objects = Platform.Build(commandLine.Request);
}
catch (Exception ex) when (ex is SandboxValidationException or ArgumentException)
{
    // The builders refuse a bad name (SBX0001) or quantity (SBX2009) with a message that says what to fix.
    Console.Error.WriteLine($"error: the job request does not make a valid sandboxed Job:\n{ex.Message}");
    return 2;
}

var readiness = new SandboxReadinessOptions { Workloads = objects, ClusterName = commandLine.Cluster, ResourceGroup = commandLine.ResourceGroup };
string kubeconfig = commandLine.Kubeconfig ?? SandboxKubeconfig.DefaultPath;
if (!commandLine.DryRun && !File.Exists(kubeconfig))
{
    Console.WriteLine($"No kubeconfig at {kubeconfig}: running as --dry-run (nothing is sent). Pass --kubeconfig or set KUBECONFIG to deploy.");
    Console.WriteLine();
}

if (commandLine.DryRun || !File.Exists(kubeconfig))
{
    Platform.PrintDryRun(objects, readiness, Console.Out);
    return 0;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    using var client = SandboxKubeconfig.Connect(kubeconfig, commandLine.Context);
    return await Platform.DeployAsync(client, objects, readiness, commandLine.ServerDryRun, Console.Out, cancellation.Token);
}
catch (SandboxDeployException ex)
{
    // One exception for every deploy failure; Reason tells a kubeconfig problem (exit 2) from the cluster's answer (exit 1).
    Console.Error.WriteLine($"error: {ex.Message}");
    return ex.Reason == SandboxDeployReason.Kubeconfig ? 2 : 1;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled.");
    return 130;
}
