namespace Sandboxing.Sdk.Aks;

// Reading pools written as az commands and ARM JSON into builders.
public sealed partial class AksNodePool
{
    /// <summary>
    /// Reads an <c>az aks nodepool add</c> or <c>az aks create</c> command line (for <c>create</c>, its default node pool) into a
    /// builder, so its findings can be listed (<c>Validate()</c>) before anything is built. Flags the SDK does not model are
    /// ignored here and kept by <see cref="AksMigration.FromAzCli"/>. Mariner names and the preview runtime are kept as
    /// written, so the findings show them.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not one of those commands, or a number flag has no number.</exception>
    public static Builder FromAzCli(string commandLine) => FromAzCli(commandLine, out _, out _, out _);

    internal static Builder FromAzCli(string commandLine, out List<string> tokens, out int flagsStart, out string command)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        tokens = AksMigration.Split(commandLine);
        int start = tokens.IndexOf("az");
        bool add = start >= 0 && tokens.Skip(start + 1).Take(3).SequenceEqual(["aks", "nodepool", "add"]);
        bool create = start >= 0 && tokens.Skip(start + 1).Take(2).SequenceEqual(["aks", "create"]);
        if (!add && !create)
        {
            throw new ArgumentException("Expected an 'az aks nodepool add' or 'az aks create' command line; found " +
                (tokens.Count == 0 ? "nothing" : $"'{string.Join(' ', tokens.Take(4))}'") + ".");
        }

        command = add ? "az aks nodepool add" : "az aks create";
        flagsStart = start + (add ? 4 : 3);
        var flags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = flagsStart; i < tokens.Count; i++)
        {
            if (!IsFlag(tokens[i]))
            {
                continue;
            }

            var values = flags[tokens[i]] = [];
            while (i + 1 < tokens.Count && !IsFlag(tokens[i + 1]))
            {
                values.Add(tokens[++i]);
            }
        }

        string? One(params string[] names) => names.Select(n => flags.GetValueOrDefault(n)).FirstOrDefault(v => v is { Count: > 0 })?[0];
        bool Has(string name) => flags.ContainsKey(name);
        int? Int(params string[] names) => One(names) is { } text
            ? int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int n)
                ? n : throw new ArgumentException($"{names[0]}: '{text}' is not a number.")
            : null;

        var builder = new Builder(add ? One("--name", "-n") ?? "" : One("--nodepool-name") ?? "nodepool1");
        var spec = builder.Spec;
        spec.ClusterName = add ? One("--cluster-name") : One("--name", "-n");
        spec.ResourceGroup = One("--resource-group", "-g");
        spec.SubscriptionId = One("--subscription");
        spec.Mode = One("--mode") is { } mode ? Enum.Parse<AksNodePoolMode>(mode, ignoreCase: true) : add ? AksNodePoolMode.User : AksNodePoolMode.System;
        if (One("--os-sku") is { } sku)
        {
            spec.OsSku = sku;
        }

        // Without --workload-runtime AKS uses OCIContainer; the migration is about Kata pools, so the SDK's default stands in.
        if (One("--workload-runtime") is { } runtime)
        {
            spec.WorkloadRuntime = runtime;
            spec.ApiVersion = AksApiVersions.DefaultFor(spec.WorkloadRuntime);
        }

        spec.VmSize = One("--node-vm-size", "-s");
        spec.Count = Int("--node-count", "-c");
        spec.EnableAutoScaling = Has("--enable-cluster-autoscaler");
        spec.MinCount = Int("--min-count");
        spec.MaxCount = Int("--max-count");
        spec.MaxPods = Int("--max-pods", "-m");
        spec.OsDiskSizeGB = Int("--node-osdisk-size");
        spec.OrchestratorVersion = One("--kubernetes-version", "-k");
        spec.VnetSubnetId = One("--vnet-subnet-id");
        spec.PodSubnetId = One("--pod-subnet-id");
        spec.EnableFips = Has("--enable-fips-image");
        spec.EnableSecureBoot = Has("--enable-secure-boot");
        spec.EnableVtpm = Has("--enable-vtpm");
        spec.EnableArtifactStreaming = Has("--enable-artifact-streaming");
        spec.Zones.AddRange(flags.GetValueOrDefault("--zones") ?? flags.GetValueOrDefault("-z") ?? []);
        foreach (var label in flags.GetValueOrDefault("--labels") ?? flags.GetValueOrDefault("--nodepool-labels") ?? [])
        {
            int eq = label.IndexOf('=', StringComparison.Ordinal);
            spec.Labels[eq < 0 ? label : label[..eq]] = eq < 0 ? "" : label[(eq + 1)..];
        }

        foreach (var taint in (One("--node-taints", "--nodepool-taints") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            builder.WithNodeTaint(taint);
        }

        return builder;
    }

    /// <summary>True for an az flag (<c>--name</c>, <c>-g</c>), false for a value (including negative numbers).</summary>
    internal static bool IsFlag(string token) => token.Length > 1 && token[0] == '-' && (token[1] == '-' || char.IsAsciiLetter(token[1]));

    /// <summary>
    /// Reads the first agent pool of an ARM template (an <c>agentPools</c> resource or a cluster's <c>agentPoolProfiles</c>), an
    /// agent pool resource, or a REST body, into a builder. The cluster and resource group come from the deployment, not the
    /// template, so they are set to placeholders that pass validation.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not JSON or has no agent pool.</exception>
    public static Builder FromArm(string json)
    {
        var migration = AksMigration.FirstArmPool(json);
        return FromArmProperties(migration.Name, migration.Properties, migration.ApiVersion);
    }

    internal static Builder FromArmProperties(string name, System.Text.Json.Nodes.JsonObject p, string? apiVersion)
    {
        // A wrong type is refused with its JSON path: a number for workloadRuntime or a string for count is a broken template.
        string? S(string key) => ArmJson.String(p[key]);
        int? I(string key) => ArmJson.Int(p[key]);
        bool B(System.Text.Json.Nodes.JsonNode? node) => ArmJson.Bool(node);

        var builder = new Builder(name);
        var spec = builder.Spec;
        spec.ClusterName = "cluster";
        spec.ResourceGroup = "resourcegroup";
        spec.ApiVersion = apiVersion;
        spec.Mode = S("mode") is { } mode && Enum.TryParse<AksNodePoolMode>(mode, ignoreCase: true, out var m) ? m : AksNodePoolMode.User;
        if (S("osSKU") is { Length: > 0 } sku)
        {
            spec.OsSku = sku;
        }

        if (S("workloadRuntime") is { Length: > 0 } runtime)
        {
            spec.WorkloadRuntime = runtime;
        }

        spec.VmSize = S("vmSize");
        spec.Count = I("count");
        spec.EnableAutoScaling = B(p["enableAutoScaling"]);
        spec.MinCount = I("minCount");
        spec.MaxCount = I("maxCount");
        spec.MaxPods = I("maxPods");
        spec.OsDiskSizeGB = I("osDiskSizeGB");
        spec.OrchestratorVersion = S("orchestratorVersion");
        spec.EnableFips = B(p["enableFIPS"]);
        spec.EnableSecureBoot = B(p["securityProfile"]?["enableSecureBoot"]);
        spec.EnableVtpm = B(p["securityProfile"]?["enableVTPM"]);
        spec.EnableArtifactStreaming = B(p["artifactStreamingProfile"]?["enabled"]);
        foreach (var zone in ArmJson.Array(p["availabilityZones"]))
        {
            // Zones are strings in the ARM schema, but templates often write them as numbers.
            spec.Zones.Add(zone is System.Text.Json.Nodes.JsonValue { } v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number ? v.ToJsonString() : ArmJson.String(zone) ?? "");
        }

        foreach (var taint in ArmJson.Array(p["nodeTaints"]))
        {
            builder.WithNodeTaint(ArmJson.String(taint) ?? "");
        }

        return builder;
    }
}
