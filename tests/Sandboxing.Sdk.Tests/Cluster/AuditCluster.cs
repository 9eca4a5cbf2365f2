using k8s;
using k8s.Models;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>
/// Live objects as the controllers create them, for the audit tests (linked into the CLI tests too): a Deployment with its
/// ReplicaSet and pods (owner references with uids), bare pods, each with requests equal to limits so that only the runtime
/// class decides whether it is clean.
/// </summary>
public static class AuditCluster
{
    public const string Kata = "kata-vm-isolation";

    public static V1PodSpec Spec(string? runtimeClass) => new()
    {
        RuntimeClassName = runtimeClass,
        Containers =
        [
            new V1Container
            {
                Name = "app",
                Image = "registry.example.com/app:1.0",
                Resources = new V1ResourceRequirements
                {
                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("512Mi") },
                    Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("512Mi") },
                },
            },
        ],
    };

    /// <summary>A Deployment, its ReplicaSet and <paramref name="pods"/> running pods, all stored in the server.</summary>
    public static V1Deployment Deployment(
        FakeApiServer server, string name, string ns, string? runtimeClass, int pods = 2, IDictionary<string, string>? annotations = null,
        IDictionary<string, string>? labels = null)
    {
        var selector = new Dictionary<string, string> { ["app"] = name };
        var deployment = server.Add(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Annotations = annotations, Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = pods,
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = selector }, Spec = Spec(runtimeClass) },
            },
        });
        var replicaSet = server.Add(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = name + "-6d4cf56db6", NamespaceProperty = ns, Annotations = annotations, Labels = labels, OwnerReferences = [Owner(deployment)] },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = pods,
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = selector }, Spec = Spec(runtimeClass) },
            },
        });
        for (int i = 0; i < pods; i++)
        {
            server.Add(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = $"{replicaSet.Metadata.Name}-{i}abcd", NamespaceProperty = ns, Annotations = annotations, Labels = labels, OwnerReferences = [Owner(replicaSet)] },
                Spec = Spec(runtimeClass),
                Status = new V1PodStatus { Phase = "Running" },
            });
        }

        return deployment;
    }

    /// <summary>A pod that no controller owns.</summary>
    public static V1Pod BarePod(FakeApiServer server, string name, string ns, string? runtimeClass, string phase = "Running") =>
        server.Add(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = Spec(runtimeClass),
            Status = new V1PodStatus { Phase = phase },
        });

    /// <summary>The controller reference a controller writes on what it creates.</summary>
    public static V1OwnerReference Owner(IKubernetesObject<V1ObjectMeta> owner) => new()
    {
        ApiVersion = owner.ApiVersion,
        Kind = owner.Kind,
        Name = owner.Metadata.Name,
        Uid = owner.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>A kubeconfig whose context <paramref name="context"/> points at <paramref name="server"/>.</summary>
    public static string Kubeconfig(Uri server, string context = "aks-test", string? ns = null) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {context}
          cluster:
            server: {server}
        users:
        - name: ci
          user:
            token: not-a-real-token
        contexts:
        - name: {context}
          context:
            cluster: {context}
            user: ci{(ns is null ? "" : $"\n    namespace: {ns}")}
        current-context: {context}
        """;

    /// <summary>A kubeconfig with one context per cluster (named as given), the first one current.</summary>
    public static string FleetKubeconfig(params (string Context, Uri Server)[] clusters)
    {
        var text = new System.Text.StringBuilder("apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: not-a-real-token\nclusters:\n");
        foreach (var (context, server) in clusters)
        {
            text.Append($"- name: {context}\n  cluster:\n    server: {server}\n");
        }

        text.Append("contexts:\n");
        foreach (var (context, _) in clusters)
        {
            text.Append($"- name: {context}\n  context:\n    cluster: {context}\n    user: ci\n");
        }

        return text.Append($"current-context: {clusters[0].Context}\n").ToString();
    }

    /// <summary>An address where nothing listens.</summary>
    public static Uri DeadServer()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
