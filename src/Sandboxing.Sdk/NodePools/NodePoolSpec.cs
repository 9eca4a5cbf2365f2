namespace Sandboxing.Sdk.Aks;

internal sealed record TaintEntry(string Text, AksNodeTaint? Parsed);

/// <summary>What the builder has recorded, unvalidated.</summary>
internal sealed class NodePoolSpec(string name)
{
    public string Name { get; } = name;
    public string? ClusterName { get; set; }
    public string? ResourceGroup { get; set; }
    public string? SubscriptionId { get; set; }
    public string? VmSize { get; set; }
    public int? Count { get; set; }
    public bool EnableAutoScaling { get; set; }
    public int? MinCount { get; set; }
    public int? MaxCount { get; set; }
    public AksNodePoolMode Mode { get; set; }
    public AksOsSku OsSku { get; set; } = AksOsSku.AzureLinux;
    public AksWorkloadRuntime WorkloadRuntime { get; set; } = AksWorkloadRuntime.KataVmIsolation;
    public string? ApiVersion { get; set; }
    public List<string> Zones { get; } = [];
    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);
    public List<TaintEntry> Taints { get; } = [];
    public int? MaxPods { get; set; }
    public AksOsDiskType? OsDiskType { get; set; }
    public int? OsDiskSizeGB { get; set; }
    public string? OrchestratorVersion { get; set; }
    public string? VnetSubnetId { get; set; }
    public string? PodSubnetId { get; set; }
    public bool EnableFips { get; set; }
    public bool EnableEncryptionAtHost { get; set; }
    public bool EnableSecureBoot { get; set; }
    public bool EnableVtpm { get; set; }
    public bool EnableArtifactStreaming { get; set; }
    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
}
