using Sandboxing.Sdk.Cluster;

namespace Sandboxing.Sdk.Tests.Cluster;

public sealed class KubeconfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbx-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "config");
        File.WriteAllText(path, text);
        return path;
    }

    private const string Valid = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: aks-prod
          cluster:
            server: https://aks-prod-dns.hcp.westeurope.azmk8s.io:443
            insecure-skip-tls-verify: true
        users:
        - name: ci
          user:
            token: not-a-real-token
        contexts:
        - name: aks-prod
          context:
            cluster: aks-prod
            user: ci
            namespace: tenant
        current-context: aks-prod
        """;

    [Fact]
    public void Loads_a_valid_kubeconfig()
    {
        var config = SandboxKubeconfig.Load(Write(Valid));

        Assert.Equal(new Uri("https://aks-prod-dns.hcp.westeurope.azmk8s.io:443"), new Uri(config.Host));
        Assert.Equal("tenant", config.Namespace);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    public void An_empty_kubeconfig_says_it_is_empty(string text)
    {
        var path = Write(text);

        var ex = DeployErrors.Throws(SandboxDeployReason.Kubeconfig, () => SandboxKubeconfig.Load(path));

        Assert.Contains($"The kubeconfig '{path}' is empty", ex.Message);
        Assert.IsAssignableFrom<SandboxException>(ex);
    }

    [Fact]
    public void A_missing_client_certificate_file_is_a_kubeconfig_error()
    {
        var path = Write(Valid.Replace("token: not-a-real-token", "client-certificate: certs/missing/client.crt\n    client-key: certs/missing/client.key"));

        var ex = DeployErrors.Throws(SandboxDeployReason.Kubeconfig, () => SandboxKubeconfig.Connect(path));

        Assert.Contains("client certificate or key cannot be read", ex.Message);
        Assert.Equal(path, ex.KubeconfigPath);
    }

    [Fact]
    public void Garbage_certificate_data_is_a_kubeconfig_error()
    {
        string garbage = Convert.ToBase64String("not a certificate"u8.ToArray());
        var path = Write(Valid.Replace("token: not-a-real-token", $"client-certificate-data: {garbage}\n    client-key-data: {garbage}"));

        var ex = DeployErrors.Throws(SandboxDeployReason.Kubeconfig, () => SandboxKubeconfig.Connect(path));

        Assert.Contains("client certificate or key cannot be read", ex.Message);
    }

    [Fact]
    public async Task A_credential_plugin_that_never_returns_does_not_block_past_the_timeout()
    {
        var path = Write(Valid.Replace("token: not-a-real-token", "exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: sleep\n      args: [\"600\"]\n      interactiveMode: Never"));

        var ex = await DeployErrors.ThrowsAsync(SandboxDeployReason.Kubeconfig, () => SandboxKubeconfig.LoadAsync(path, timeout: TimeSpan.FromMilliseconds(500)));

        Assert.Contains("exec credential plugin did not return", ex.Message);
    }

    [Fact]
    public void A_missing_file_says_how_to_get_one()
    {
        var path = Path.Combine(_dir, "nope");

        var ex = DeployErrors.Throws(SandboxDeployReason.Kubeconfig, () => SandboxKubeconfig.Load(path));

        Assert.Equal(path, ex.KubeconfigPath);
        Assert.Contains("az aks get-credentials", ex.Message);
    }

    [Fact]
    public void A_kubeconfig_that_does_not_parse_is_named()
    {
        var path = Write("apiVersion: v1\nclusters: [ {name: x, cluster: {server: \n  - : :\n");

        var ex = DeployErrors.Throws(SandboxDeployReason.Kubeconfig, () => SandboxKubeconfig.Load(path));

        Assert.Contains($"The kubeconfig '{path}' does not parse", ex.Message);
        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public void An_unknown_context_lists_the_known_ones()
    {
        var ex = DeployErrors.Throws(SandboxDeployReason.Kubeconfig, () => SandboxKubeconfig.Load(Write(Valid), context: "staging"));

        Assert.Contains("has no context 'staging'; it has: aks-prod", ex.Message);
    }

    [Fact]
    public void A_kubeconfig_without_contexts_is_refused()
    {
        var ex = DeployErrors.Throws(SandboxDeployReason.Kubeconfig, () => SandboxKubeconfig.Load(Write("apiVersion: v1\nkind: Config\n")));

        Assert.Contains("has no contexts", ex.Message);
    }
}
