using System.Runtime.CompilerServices;
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace Sandboxing.Sdk.Cluster;

/// <summary>
/// Loads a kubeconfig with errors that say what is wrong (missing file, YAML that does not parse, unknown context, no server)
/// instead of the client's exceptions from deep inside its loader, and audits the clusters of its contexts
/// (<see cref="AuditContextsAsync"/>).
/// </summary>
public static partial class SandboxKubeconfig
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
    /// <exception cref="SandboxDeployException">The file is missing or unreadable, does not parse, lacks the context, or names no server.</exception>
    public static KubernetesClientConfiguration Load(string? path = null, string? context = null)
    {
        path ??= DefaultPath;
        var config = Read(path);
        string? chosen = context ?? config.CurrentContext;
        if (string.IsNullOrEmpty(chosen) || !config.Contexts.Any(c => c.Name == chosen))
        {
            string known = string.Join(", ", config.Contexts.Select(c => c.Name));
            throw SandboxDeployException.Kubeconfig(
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
            throw SandboxDeployException.Kubeconfig($"The kubeconfig '{path}' (context '{chosen}') cannot be used: {Innermost(ex).Message.TrimEnd('.')}.", path, ex);
        }

        if (string.IsNullOrWhiteSpace(result.Host))
        {
            throw SandboxDeployException.Kubeconfig($"The kubeconfig '{path}' (context '{chosen}') names no server for its cluster.", path);
        }

        return result;
    }

    /// <summary>The names of the contexts of a kubeconfig, in file order, read with the same checks as <see cref="Load"/>.</summary>
    /// <exception cref="SandboxDeployException">The file is missing or unreadable, does not parse, or has no contexts.</exception>
    internal static IReadOnlyList<string> ContextNames(string? path) =>
        Read(path ?? DefaultPath).Contexts.Select(c => c.Name).Where(n => !string.IsNullOrEmpty(n)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Reads a kubeconfig file without choosing a context or running a credential plugin.</summary>
    private static K8SConfiguration Read(string path)
    {
        if (!File.Exists(path))
        {
            throw SandboxDeployException.Kubeconfig(
                $"No kubeconfig at '{path}'. Get one for an AKS cluster with 'az aks get-credentials --resource-group <rg> --name <cluster> --file {path}', or set KUBECONFIG.",
                path);
        }

        if (new FileInfo(path).Length == 0 || string.IsNullOrWhiteSpace(File.ReadAllText(path)))
        {
            throw SandboxDeployException.Kubeconfig(
                $"The kubeconfig '{path}' is empty. Fetch it again (az aks get-credentials --resource-group <rg> --name <cluster> --file {path}).", path);
        }

        K8SConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path), useRelativePaths: true);
        }
        catch (Exception ex) when (!RuntimeFeature.IsDynamicCodeSupported && Chain(ex).Any(e => e is TypeInitializationException))
        {
            // KubernetesYaml, which LoadKubeConfig uses, orders properties by metadata token in its type initializer; a native
            // AOT executable has no metadata tokens, so it throws whatever the file holds.
            throw SandboxDeployException.Kubeconfig(
                $"The kubeconfig '{path}' cannot be read by a native AOT build: KubernetesClient's kubeconfig reader needs reflection metadata that native AOT does not keep. Run this from the .NET tool (dotnet tool install --global Sandboxing.Cli).",
                path, ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw SandboxDeployException.Kubeconfig($"The kubeconfig '{path}' does not parse: {Innermost(ex).Message.TrimEnd('.')}. Fix the YAML or fetch it again (az aks get-credentials).", path, ex);
        }

        if (config is null || config.Contexts is null || !config.Contexts.Any())
        {
            throw SandboxDeployException.Kubeconfig($"The kubeconfig '{path}' has no contexts. Fetch it again (az aks get-credentials --resource-group <rg> --name <cluster>).", path);
        }

        return config;
    }

    /// <summary>
    /// Loads a kubeconfig like <see cref="Load"/>, but gives up after <paramref name="timeout"/> or when
    /// <paramref name="cancellationToken"/> is canceled: loading runs the user's exec credential plugin (<c>kubelogin</c>,
    /// <c>aws</c>, …), which the client waits for up to two minutes. The plugin process itself is left to finish on its own.
    /// </summary>
    /// <param name="path">The file; null for <see cref="DefaultPath"/>.</param>
    /// <param name="context">The context to use; null for the file's current context.</param>
    /// <param name="timeout">How long to wait; null for 30 seconds.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="SandboxDeployException">The kubeconfig cannot be used, or its credential plugin did not answer in time.</exception>
    public static async Task<KubernetesClientConfiguration> LoadAsync(
        string? path = null, string? context = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var wait = timeout ?? TimeSpan.FromSeconds(30);
        var load = Task.Run(() => Load(path, context), CancellationToken.None);
        try
        {
            return await load.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            string file = path ?? DefaultPath;
            throw SandboxDeployException.Kubeconfig(
                $"Loading the kubeconfig '{file}' did not finish within {wait.TotalSeconds:0}s: its user's exec credential plugin did not " +
                "return. Run the plugin by hand to see what it waits for (an interactive login, a device code, the network), " +
                "or pass a longer timeout.", file, ex);
        }
    }

    /// <summary>Loads a kubeconfig (see <see cref="Load"/>) and creates a client from it.</summary>
    /// <exception cref="SandboxDeployException">The kubeconfig cannot be used, including client certificate files that are missing or do not parse.</exception>
    public static IKubernetes Connect(string? path = null, string? context = null) => Connect(Load(path, context), path);

    /// <summary>
    /// Creates a client from a configuration that <see cref="Load"/> or <see cref="LoadAsync"/> returned, for callers that also read
    /// the configuration (its namespace, its context).
    /// </summary>
    /// <param name="configuration">The loaded configuration.</param>
    /// <param name="path">The kubeconfig it came from, for messages; null for <see cref="DefaultPath"/>.</param>
    /// <exception cref="SandboxDeployException">The client certificate or key cannot be read.</exception>
    public static IKubernetes Connect(KubernetesClientConfiguration configuration, string? path)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        try
        {
            return new Kubernetes(configuration);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException
            or FormatException or KubeConfigException or ArgumentException)
        {
            // The client reads the client certificate and key (files or base64 data) only when it is created.
            throw SandboxDeployException.Kubeconfig(
                $"The kubeconfig '{path ?? DefaultPath}' cannot be used: its client certificate or key cannot be read " +
                $"({Innermost(ex).Message.TrimEnd('.')}). Check the client-certificate/client-key paths (relative to the kubeconfig) " +
                "or the base64 client-certificate-data/client-key-data, or fetch the kubeconfig again (az aks get-credentials).",
                path ?? DefaultPath, ex);
        }
    }

    private static IEnumerable<Exception> Chain(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            yield return ex;
        }
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
