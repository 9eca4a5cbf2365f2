using Sandboxing.Sdk.Aks;

namespace Sandboxing.Sdk.Cluster;

/// <summary>The "what to do" texts of deploy errors and preflight checks: az commands for AKS, RuntimeClass YAML for the rest.</summary>
internal static class Fixes
{
    /// <summary>The az command that adds a Pod Sandboxing node pool (docs/domain.md §2.1), quoted by the node pool emitters' writer;
    /// an unknown cluster or resource group is a placeholder.</summary>
    public static string AzNodePoolAdd(string? cluster, string? resourceGroup, string poolName = "kata", string vmSize = "Standard_D4s_v5") =>
        new AzCommand("az aks nodepool add")
            .Add("--resource-group", resourceGroup, "resource-group")
            .Add("--cluster-name", cluster, "cluster")
            .Add("--name", poolName)
            .Add("--os-sku", "AzureLinux")
            .Add("--workload-runtime", "KataVmIsolation")
            .Add("--node-vm-size", vmSize)
            .Add("--node-count", "1")
            .ToString();

    /// <summary>The az command that sets a pool's node count; <c>&lt;n&gt;</c> when the count is not known.</summary>
    public static string AzNodePoolScale(string? cluster, string? resourceGroup, string poolName = "kata", int? count = null) =>
        new AzCommand("az aks nodepool scale")
            .Add("--resource-group", resourceGroup, "resource-group")
            .Add("--cluster-name", cluster, "cluster")
            .Add("--name", poolName)
            .Add("--node-count", count?.ToString(System.Globalization.CultureInfo.InvariantCulture), "n")
            .ToString();

    /// <summary>The az command that writes the cluster's credentials into the kubeconfig.</summary>
    public static string AzGetCredentials(string? cluster, string? resourceGroup) =>
        new AzCommand("az aks get-credentials").Add("--resource-group", resourceGroup, "rg").Add("--name", cluster, "cluster").ToString();

    /// <summary>What to do when the cluster has no RuntimeClass of this name.</summary>
    public static string ForMissingRuntimeClass(SandboxRuntime runtime, string? cluster, string? resourceGroup)
    {
        if (runtime.Definition is not null || runtime.Platform == SandboxPlatform.Custom)
        {
            return $"Create the RuntimeClass (apply it with ApplySandboxedAsync(runtime.ToRuntimeClass(), …) or kubectl apply -f):\n{RuntimeClassYaml(runtime)}";
        }

        if (runtime.Platform == SandboxPlatform.Aks)
        {
            if (runtime.Known is { IsObsolete: true } obsolete)
            {
                return $"'{runtime.Name}' is {obsolete.Status.ToString().ToLowerInvariant()}: AKS no longer installs it. Use runtimeClassName " +
                    $"'{obsolete.ReplacedBy ?? KnownRuntimeClasses.Default}' (Sandbox(SandboxRuntime.Default)) on a KataVmIsolation node pool: " +
                    AzNodePoolAdd(cluster, resourceGroup);
            }

            return "AKS installs this RuntimeClass when the cluster has a Pod Sandboxing node pool (Azure CLI 2.80.0 or later, Kubernetes 1.27 or later). Add one:\n" +
                AzNodePoolAdd(cluster, resourceGroup);
        }

        return runtime.Platform switch
        {
            SandboxPlatform.Gke => "Create a GKE Sandbox node pool, which installs the gvisor RuntimeClass: gcloud container node-pools create gvisor --cluster <cluster> --sandbox type=gvisor",
            SandboxPlatform.KataDeploy => $"Install Kata Containers with the kata-deploy Helm chart, which creates '{runtime.Name}' and labels the nodes it installs on (katacontainers.io/kata-runtime=true).",
            SandboxPlatform.OpenShift => "Install the OpenShift sandboxed containers operator and create a KataConfig; it creates the RuntimeClass.",
            SandboxPlatform.Eks => "Enable EKS Nitro sandboxes (EKS Auto Mode, Kubernetes 1.36 or later); they install the RuntimeClass.",
            _ => $"Install the platform's sandbox runtime, or create the RuntimeClass:\n{RuntimeClassYaml(runtime)}",
        };
    }

    /// <summary>What to do when no node carries the runtime's label, or none of them is Ready.</summary>
    public static string ForMissingNodes(SandboxRuntime runtime, string selector, string? cluster, string? resourceGroup) =>
        runtime.Platform == SandboxPlatform.Aks && runtime.Definition is null
            ? $"Add a Pod Sandboxing node pool (its nodes get the label {selector}):\n{AzNodePoolAdd(cluster, resourceGroup)}\n" +
              $"or scale an existing one: {AzNodePoolScale(cluster, resourceGroup, count: 1)}"
            : $"Label the nodes that have the '{runtime.Name}' handler installed with {selector} (kubectl label node <node> {selector}), or add nodes that carry it.";

    /// <summary>The RuntimeClass the SDK would create for a runtime, as YAML.</summary>
    public static string RuntimeClassYaml(SandboxRuntime runtime) => SandboxManifest.ToYaml(runtime.ToRuntimeClass()).TrimEnd();
}
