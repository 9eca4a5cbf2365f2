// A tour of the Sandboxing analyzers: each method below triggers one rule, and `dotnet build` shows it as a warning.
// The SDK validator reports the same rule IDs at run time; this program prints them.
using k8s.Models;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

var tour = new (string Rule, V1Pod Pod)[]
{
    ("SBX1001", Tour.NoRuntimeClass()),
    ("SBX1002", Tour.NotASandbox()),
    ("SBX1002", Tour.Misspelt()),
    ("SBX1003", Tour.PreviewClass()),
    ("SBX2001", Tour.HostNetwork()),
    ("SBX2002", Tour.HostPid()),
    ("SBX2003", Tour.Privileged()),
    ("SBX2004", Tour.HostPath()),
    ("SBX2005", Tour.NoMemoryLimit()),
    ("none", Tour.Fixed()),
};

foreach (var (rule, pod) in tour)
{
    var found = SandboxValidator.Validate(pod).Select(f => f.RuleId).Distinct();
    Console.WriteLine($"{pod.Metadata.Name,-16} analyzer: {rule,-8} validator: {string.Join(", ", found)}");
}

internal static class Tour
{
    private static V1Container App(string name = "app") => new()
    {
        Name = name,
        Image = "ghcr.io/acme/app:1.0",
        Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("512Mi") },
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("512Mi") },
        },
    };

    private static V1ObjectMeta Named(string name) => new() { Name = name };

    // SBX1001: no runtime class, so the pod shares the host kernel. The fix adds RuntimeClassName = KnownRuntimeClasses.KataVmIsolation.
    public static V1Pod NoRuntimeClass() => new() { Metadata = Named("no-class"), Spec = new V1PodSpec { Containers = [App()] } };

    // SBX1002: runc is not a sandbox.
    public static V1Pod NotASandbox() => new() { Metadata = Named("runc"), Spec = new V1PodSpec { RuntimeClassName = "runc", Containers = [App()] } };

    // SBX1002: a misspelt class is unknown; the message names the class meant ("did you mean 'kata-vm-isolation'?") and the fix writes it.
    public static V1Pod Misspelt() =>
        new V1Pod { Metadata = Named("misspelt"), Spec = new V1PodSpec { Containers = [App()] } }.Sandbox("kata-vm-isolaton");

    // SBX1003: the AKS preview name; the fix renames it to kata-vm-isolation.
    public static V1Pod PreviewClass() => new()
    {
        Metadata = Named("preview"),
        Spec = new V1PodSpec { RuntimeClassName = "kata-mshv-vm-isolation", Containers = [App()] },
    };

    // SBX2001: Pod Sandboxing does not support the host network (AKS: host-network access is not supported).
    public static V1Pod HostNetwork()
    {
        var pod = new V1Pod { Metadata = Named("host-network"), Spec = new V1PodSpec { Containers = [App()] } };
        pod.Sandbox();
        pod.Spec.HostNetwork = true;
        return pod;
    }

    // SBX2002: the host PID namespace is not the host's inside a VM.
    public static V1Pod HostPid() => new()
    {
        Metadata = Named("host-pid"),
        Spec = new V1PodSpec { RuntimeClassName = "kata-vm-isolation", HostPID = true, Containers = [App()] },
    };

    // SBX2003: privileged is root in the guest, without host devices.
    public static V1Pod Privileged()
    {
        var container = App("debug");
        var pod = new V1Pod
        {
            Metadata = Named("privileged"),
            Spec = new V1PodSpec
            {
                RuntimeClassName = "kata-vm-isolation",
                Containers =
                [
                    new V1Container
                    {
                        Name = "debug",
                        Image = container.Image,
                        Resources = container.Resources,
                        SecurityContext = new V1SecurityContext { Privileged = true },
                    },
                ],
            },
        };
        return pod;
    }

    // SBX2004: a hostPath volume shares host files into the guest.
    public static V1Pod HostPath() => new()
    {
        Metadata = Named("host-path"),
        Spec = new V1PodSpec
        {
            RuntimeClassName = "kata-vm-isolation",
            Containers = [App()],
            Volumes = [new V1Volume { Name = "logs", HostPath = new V1HostPathVolumeSource { Path = "/var/log" } }],
        },
    };

    // SBX2005 (info): without a memory limit the Kata VM gets the default 512Mi.
    public static V1Pod NoMemoryLimit() => new()
    {
        Metadata = Named("no-limit"),
        Spec = new V1PodSpec { RuntimeClassName = "kata-vm-isolation", Containers = [new V1Container { Name = "app", Image = "nginx" }] },
    };

    // After the fixes: nothing to report.
    public static V1Pod Fixed() => new()
    {
        Metadata = Named("fixed"),
        Spec = new V1PodSpec { RuntimeClassName = KnownRuntimeClasses.KataVmIsolation, Containers = [App()] },
    };
}
