using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// Loads a kubeconfig with errors that say what is wrong (missing file, YAML that does not parse, unknown context, no server)
/// instead of the client's exceptions from deep inside its loader.
/// </summary>
public static class SandboxKubeconfig
{
    /// <summary>
    /// The kubeconfig that would be used: the first file of <c>KUBECONFIG</c>, else <c>~/.kube/config</c>. The file may not exist.
    /// </summary>
    public static string DefaultPath
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("KUBECONFIG");
            if (!string.IsNullOrWhiteSpace(env))
            {
                return env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0];
            }

            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        }
    }

    /// <summary>Loads a kubeconfig file into a client configuration.</summary>
    /// <param name="path">The file; null for <see cref="DefaultPath"/>.</param>
    /// <param name="context">The context to use; null for the file's current context.</param>
    /// <exception cref="SandboxKubeconfigException">The file is missing or unreadable, does not parse, lacks the context, or names no server.</exception>
    public static KubernetesClientConfiguration Load(string? path = null, string? context = null)
    {
        path ??= DefaultPath;
        if (!File.Exists(path))
        {
            throw new SandboxKubeconfigException(
                $"No kubeconfig at '{path}'. Get one for an AKS cluster with 'az aks get-credentials --resource-group <rg> --name <cluster> --file {path}', or set KUBECONFIG.",
                path);
        }

        K8SConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path), useRelativePaths: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new SandboxKubeconfigException($"The kubeconfig '{path}' does not parse: {Innermost(ex).Message.TrimEnd('.')}. Fix the YAML or fetch it again (az aks get-credentials).", path, ex);
        }

        if (config is null || config.Contexts is null || !config.Contexts.Any())
        {
            throw new SandboxKubeconfigException($"The kubeconfig '{path}' has no contexts. Fetch it again (az aks get-credentials --resource-group <rg> --name <cluster>).", path);
        }

        string? chosen = context ?? config.CurrentContext;
        if (string.IsNullOrEmpty(chosen) || !config.Contexts.Any(c => c.Name == chosen))
        {
            string known = string.Join(", ", config.Contexts.Select(c => c.Name));
            throw new SandboxKubeconfigException(
                string.IsNullOrEmpty(chosen)
                    ? $"The kubeconfig '{path}' sets no current-context; pick one of: {known}."
                    : $"The kubeconfig '{path}' has no context '{chosen}'; it has: {known}.",
                path);
        }

        KubernetesClientConfiguration result;
        try
        {
            result = KubernetesClientConfiguration.BuildConfigFromConfigObject(config, chosen);
        }
        catch (Exception ex) when (ex is KubeConfigException or KubernetesClientException or FormatException or ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
        {
            throw new SandboxKubeconfigException($"The kubeconfig '{path}' (context '{chosen}') cannot be used: {Innermost(ex).Message.TrimEnd('.')}.", path, ex);
        }

        if (string.IsNullOrWhiteSpace(result.Host))
        {
            throw new SandboxKubeconfigException($"The kubeconfig '{path}' (context '{chosen}') names no server for its cluster.", path);
        }

        return result;
    }

    /// <summary>Loads a kubeconfig (see <see cref="Load"/>) and creates a client from it.</summary>
    /// <exception cref="SandboxKubeconfigException">The kubeconfig cannot be used.</exception>
    public static IKubernetes Connect(string? path = null, string? context = null) => new Kubernetes(Load(path, context));

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
