using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sandboxing.Sdk.Aks;

/// <summary>
/// The ordered ARM property list of an agent pool, which every format is built from so the outputs agree; all output is
/// deterministic (sorted maps, invariant culture, '\n' line ends).
/// </summary>
internal static class NodePoolProperties
{
    public const string ResourceType = "Microsoft.ContainerService/managedClusters/agentPools";
    public const string ClusterType = "Microsoft.ContainerService/managedClusters";

    /// <summary>Indented JSON without escaping non-ASCII or HTML characters.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The ARM properties in a fixed order. With <paramref name="escapeArmExpressions"/>, strings that start with '[' are
    /// written '[[' so ARM does not read them as template expressions.</summary>
    public static JsonObject Of(AksNodePool pool, bool escapeArmExpressions)
    {
        JsonNode S(string value) => JsonValue.Create(escapeArmExpressions && value.StartsWith('[') ? "[" + value : value)!;

        var p = new JsonObject
        {
            ["mode"] = S(pool.Mode.ToString()),
            ["osType"] = S(pool.OsType),
            ["osSKU"] = S(pool.OsSku.Value),
            ["vmSize"] = S(pool.VmSize),
            ["workloadRuntime"] = S(pool.WorkloadRuntime.Value),
            ["enableAutoScaling"] = pool.EnableAutoScaling,
            ["count"] = pool.Count,
        };
        if (pool.EnableAutoScaling)
        {
            p["minCount"] = pool.MinCount;
            p["maxCount"] = pool.MaxCount;
        }

        if (pool.AvailabilityZones.Count > 0)
        {
            p["availabilityZones"] = new JsonArray(pool.AvailabilityZones.Select(S).ToArray());
        }

        if (pool.NodeLabels.Count > 0)
        {
            var labels = new JsonObject();
            foreach (var (key, value) in pool.NodeLabels)
            {
                labels[key] = S(value);
            }

            p["nodeLabels"] = labels;
        }

        if (pool.NodeTaints.Count > 0)
        {
            p["nodeTaints"] = new JsonArray(pool.NodeTaints.Select(t => S(t.ToString())).ToArray());
        }

        if (pool.MaxPods is { } maxPods)
        {
            p["maxPods"] = maxPods;
        }

        if (pool.OsDiskType is { } diskType)
        {
            p["osDiskType"] = S(diskType.ToString());
        }

        if (pool.OsDiskSizeGB is { } diskSize)
        {
            p["osDiskSizeGB"] = diskSize;
        }

        if (pool.OrchestratorVersion is { } version)
        {
            p["orchestratorVersion"] = S(version);
        }

        if (pool.VnetSubnetId is { } vnet)
        {
            p["vnetSubnetID"] = S(vnet);
        }

        if (pool.PodSubnetId is { } podSubnet)
        {
            p["podSubnetID"] = S(podSubnet);
        }

        p["enableFIPS"] = pool.EnableFips;
        if (pool.EnableEncryptionAtHost)
        {
            p["enableEncryptionAtHost"] = true;
        }

        if (pool.Tags.Count > 0)
        {
            var tags = new JsonObject();
            foreach (var (key, value) in pool.Tags)
            {
                tags[key] = S(value);
            }

            p["tags"] = tags;
        }

        return p;
    }
}
