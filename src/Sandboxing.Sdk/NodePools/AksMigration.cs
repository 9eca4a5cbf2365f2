using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sandboxing.Sdk.Aks;

/// <summary>
/// A node pool of the Pod Sandboxing preview (<c>az aks nodepool add … --os-sku mariner --workload-runtime
/// KataMshvVmIsolation</c>, <c>az aks create …</c>, or an ARM agent pool) read and rewritten to its current equivalent:
/// <see cref="FromAzCli"/>, <see cref="FromArm"/> or <see cref="Migrate"/> make one; the properties say what was found and changed.
/// </summary>
public sealed class AksMigration
{
    private const string LegacyRuntime = "KataMshvVmIsolation";

    internal AksMigration(string format, IReadOnlyList<SandboxFinding> findings, IReadOnlyList<string> notes, string migrated)
    {
        Format = format;
        Findings = findings;
        Notes = notes;
        Migrated = migrated;
    }

    /// <summary><c>az</c> or <c>arm</c>.</summary>
    public string Format { get; }

    /// <summary>Every finding for the pool as written (legacy runtime, Mariner name, API version, size, …).</summary>
    public IReadOnlyList<SandboxFinding> Findings { get; }

    /// <summary>What the migration changed, and advice that is not a rule (previous-generation sizes, pods to rename).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>
    /// The same command or template with the current values: <c>KataVmIsolation</c>, <c>AzureLinux</c>, a stable API version;
    /// every other flag or property as it was.
    /// </summary>
    public string Migrated { get; }

    /// <summary>Migrates an <c>az aks nodepool add</c> or <c>az aks create</c> command line (line continuations allowed).</summary>
    /// <exception cref="ArgumentException">The text is not one of those az commands; the message says what was found.</exception>
    public static AksMigration FromAzCli(string commandLine)
    {
        var builder = AksNodePool.FromAzCli(commandLine, out var tokens, out int flagsStart, out string command);
        var findings = builder.Validate();
        var notes = new List<string>();
        var az = new AzCommand(command);

        // An existing pool's workload runtime cannot be changed: the preview pool is replaced by a new one, which needs its own name.
        string oldName = builder.Spec.Name;
        string? newName = command == "az aks nodepool add" && builder.Spec.WorkloadRuntime == AksWorkloadRuntime.KataMshvVmIsolation
            ? ReplacementName(oldName)
            : null;
        for (int i = flagsStart; i < tokens.Count; i++)
        {
            string flag = tokens[i];
            var values = new List<string>();
            while (i + 1 < tokens.Count && !AksNodePool.IsFlag(tokens[i + 1]))
            {
                values.Add(tokens[++i]);
            }

            if (newName is not null && flag is "--name" or "-n" && values.Count == 1)
            {
                values[0] = newName;
            }

            if (flag == "--workload-runtime" && values.Count == 1 && values[0].Equals(LegacyRuntime, StringComparison.OrdinalIgnoreCase))
            {
                notes.Add($"--workload-runtime {values[0]} -> KataVmIsolation (the GA runtime; no aks-preview extension or KataVMIsolationPreview feature needed).");
                values[0] = AksWorkloadRuntime.KataVmIsolation.Value;
            }
            else if (flag == "--os-sku" && values.Count == 1 && new AksOsSku(values[0]).IsOldAzureLinuxName)
            {
                notes.Add($"--os-sku {values[0]} -> AzureLinux (Mariner was renamed Azure Linux in 2023).");
                values[0] = AksOsSku.AzureLinux.Value;
            }

            az.Add(flag, [.. values]);
        }

        AddCommonNotes(builder.Spec, notes);
        if (newName is not null)
        {
            notes.Add(ReplaceSteps(oldName, newName, builder.Spec.ClusterName, builder.Spec.ResourceGroup));
        }

        return new AksMigration("az", findings, notes, az.ToMultiLine());
    }

    /// <summary>
    /// A valid pool name (a lowercase letter, then up to 11 lowercase letters and digits) that differs from <paramref name="oldName"/>:
    /// its trailing number plus one (<c>nodepool2</c> -> <c>nodepool3</c>), or <c>2</c> appended, shortened to fit.
    /// </summary>
    internal static string ReplacementName(string oldName)
    {
        string name = new string(oldName.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]))
        {
            name = "kata" + name;
        }

        int digits = name.Length - name.TrimEnd("0123456789".ToCharArray()).Length;
        string stem = name[..(name.Length - digits)];
        int next = digits is > 0 and < 9 ? int.Parse(name[^digits..], System.Globalization.CultureInfo.InvariantCulture) + 1 : 2;
        for (; ; next++)
        {
            string suffix = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string candidate = stem[..Math.Min(stem.Length, 12 - suffix.Length)] + suffix;
            if (candidate != oldName)
            {
                return candidate;
            }
        }
    }

    /// <summary>How to replace the preview pool with the new one: add, cordon, drain, delete.</summary>
    private static string ReplaceSteps(string oldName, string newName, string? cluster, string? resourceGroup)
    {
        string selector = EmitterQuoting.ShellQuote($"agentpool={oldName}");
        var delete = new AzCommand("az aks nodepool delete").Add("--resource-group", resourceGroup, "resource-group")
            .Add("--cluster-name", cluster, "cluster").Add("--name", oldName);
        return $"The workload runtime of an existing pool cannot be changed, so the command adds a new pool, '{newName}', to replace '{oldName}':\n" +
            "  1. run the command below to add the new pool;\n" +
            $"  2. kubectl cordon -l {selector}   (no new pods on the old pool)\n" +
            $"  3. kubectl drain -l {selector} --ignore-daemonsets --delete-emptydir-data   (its pods move to the new pool)\n" +
            $"  4. {delete}";
    }

    /// <summary>
    /// Migrates an ARM template (its <c>agentPools</c> resources and the <c>agentPoolProfiles</c> of <c>managedClusters</c>),
    /// one agent pool resource, or a REST body (<c>{ "properties": … }</c>). Findings are reported for every pool found.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not JSON, or has no agent pool.</exception>
    public static AksMigration FromArm(string json)
    {
        var root = ParseJson(json);
        FirstArmPool(json); // throws when there is no agent pool
        var findings = new List<SandboxFinding>();
        var notes = new List<string>();
        foreach (var (properties, resource, name) in AgentPools(root).ToList())
        {
            var builder = AksNodePool.FromArmProperties(name, properties, ArmJson.String(resource?["apiVersion"]));
            findings.AddRange(builder.Validate());
            if (ArmJson.String(properties["workloadRuntime"]) is { } runtime && runtime.Equals(LegacyRuntime, StringComparison.OrdinalIgnoreCase))
            {
                properties["workloadRuntime"] = AksWorkloadRuntime.KataVmIsolation.Value;
                notes.Add($"{name}: workloadRuntime {LegacyRuntime} -> KataVmIsolation.");
            }

            if (ArmJson.String(properties["osSKU"]) is { Length: > 0 } sku && new AksOsSku(sku).IsOldAzureLinuxName)
            {
                notes.Add($"{name}: osSKU {sku} -> AzureLinux.");
                properties["osSKU"] = AksOsSku.AzureLinux.Value;
            }

            if (resource is not null && ArmJson.String(resource["apiVersion"]) is { } api && !AksApiVersions.Supports(api, AksWorkloadRuntime.KataVmIsolation))
            {
                notes.Add($"{name}: apiVersion {api} -> {AksApiVersions.Default} (the newest stable version that accepts KataVmIsolation).");
                resource["apiVersion"] = AksApiVersions.Default;
            }

            AddCommonNotes(builder.Spec, notes);
        }

        return new AksMigration("arm", findings, notes.Distinct(StringComparer.Ordinal).ToList(),
            root.ToJsonString(NodePoolProperties.Json).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
    }

    /// <summary>Migrates az or ARM, by the first character: <c>{</c> is JSON.</summary>
    public static AksMigration Migrate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.TrimStart().StartsWith('{') ? FromArm(text) : FromAzCli(text);
    }

    internal static (string Name, JsonObject Properties, string? ApiVersion) FirstArmPool(string json)
    {
        foreach (var (properties, resource, name) in AgentPools(ParseJson(json)))
        {
            return (name, properties, ArmJson.String(resource?["apiVersion"]));
        }

        throw new ArgumentException("The JSON has no agent pool: expected an ARM template with Microsoft.ContainerService/managedClusters/agentPools " +
            "resources or agentPoolProfiles, an agent pool resource, or a REST body with properties.");
    }

    private static void AddCommonNotes(NodePoolSpec spec, List<string> notes)
    {
        if (spec.WorkloadRuntime == AksWorkloadRuntime.KataMshvVmIsolation)
        {
            notes.Add($"Pods: rename runtimeClassName '{KnownRuntimeClasses.KataMshvVmIsolation}' to '{KnownRuntimeClasses.KataVmIsolation}' " +
                "('sandboxing fix' does it for YAML; the analyzer's code fix for C#).");
        }

        if (spec.VmSize is { } size && VmSizes.FindFamily(size) is { Name: "Dsv3" })
        {
            notes.Add($"{size} is a previous-generation size (Dsv3; still supported for Pod Sandboxing); a current one is {VmSizes.Suggested}.");
        }
    }

    private static JsonNode ParseJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                ?? throw new ArgumentException("The JSON is empty.");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The input is not JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
    }

    /// <summary>Every agent pool in the JSON: (its properties, the ARM resource that holds them or null, its name).</summary>
    private static IEnumerable<(JsonObject Properties, JsonObject? Resource, string Name)> AgentPools(JsonNode root)
    {
        if (root is not JsonObject obj)
        {
            yield break;
        }

        if (obj["resources"] is JsonArray resources)
        {
            foreach (var resource in resources.OfType<JsonObject>())
            {
                foreach (var pool in FromResource(resource))
                {
                    yield return pool;
                }
            }
        }
        else if (obj["type"] is not null)
        {
            foreach (var pool in FromResource(obj))
            {
                yield return pool;
            }
        }
        else if (obj["properties"] is JsonObject properties)
        {
            yield return (properties, null, "agentpool");
        }
    }

    private static IEnumerable<(JsonObject, JsonObject?, string)> FromResource(JsonObject resource)
    {
        string type = ArmJson.String(resource["type"]) ?? "";
        string name = ArmJson.String(resource["name"]) ?? "agentpool";
        if (type.Equals(NodePoolProperties.ResourceType, StringComparison.OrdinalIgnoreCase) && resource["properties"] is JsonObject properties)
        {
            yield return (properties, resource, name.Split('/')[^1]);
        }
        else if (type.Equals(NodePoolProperties.ClusterType, StringComparison.OrdinalIgnoreCase)
            && resource["properties"]?["agentPoolProfiles"] is JsonArray profiles)
        {
            foreach (var profile in profiles.OfType<JsonObject>())
            {
                yield return (profile, resource, ArmJson.String(profile["name"]) ?? "agentpool");
            }
        }
    }

    /// <summary>
    /// Splits a shell command line into words: quotes ('…', "…"), backslash escapes and line continuations. Shell syntax that
    /// would run something or whose value is not known here (<c>;</c>, <c>|</c>, <c>&amp;</c>, redirections, <c>$(…)</c>, backticks,
    /// <c>$VAR</c>, subshells) is refused with the word it is in, never folded into a flag's value.
    /// </summary>
    /// <exception cref="ArgumentException">The line has shell syntax other than words and quotes, or an unclosed quote.</exception>
    internal static List<string> Split(string commandLine)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < commandLine.Length; i++)
        {
            char c = commandLine[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (quote == '"')
            {
                if (c == '"')
                {
                    quote = '\0';
                }
                else if (c == '\\' && i + 1 < commandLine.Length && commandLine[i + 1] is '"' or '\\' or '$' or '`')
                {
                    word.Append(commandLine[++i]);
                }
                else if (c is '$' or '`')
                {
                    throw ShellSyntax(commandLine, i, word);
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < commandLine.Length)
            {
                char next = commandLine[++i];
                if (next == '\r' && i + 1 < commandLine.Length && commandLine[i + 1] == '\n')
                {
                    i++;
                }

                if (next is not ('\n' or '\r'))
                {
                    word.Append(next);
                    inWord = true;
                }
            }
            else if (c == '#' && !inWord)
            {
                while (i + 1 < commandLine.Length && commandLine[i + 1] != '\n')
                {
                    i++;
                }
            }
            else if (c is ';' or '|' or '&' or '<' or '>' or '(' or ')' or '`' or '$')
            {
                throw ShellSyntax(commandLine, i, word);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (quote != '\0')
        {
            throw new ArgumentException($"The command line has an unclosed {quote} quote.");
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary>The error for shell syntax at <paramref name="index"/>: the word it is in, and what to write instead.</summary>
    private static ArgumentException ShellSyntax(string commandLine, int index, StringBuilder word)
    {
        int end = index;
        while (end < commandLine.Length && !char.IsWhiteSpace(commandLine[end]))
        {
            end++;
        }

        string token = word + commandLine[index..end];
        string what = commandLine[index] switch
        {
            '$' when index + 1 < commandLine.Length && commandLine[index + 1] == '(' => "a command substitution '$(…)'",
            '$' => "a shell variable",
            '`' => "a command substitution '`…`'",
            ';' or '&' when index + 1 < commandLine.Length && commandLine[index + 1] == '&' => "a second command ('&&')",
            ';' => "a second command (';')",
            '|' => "a pipe or a second command ('|')",
            '&' => "a background job or a second command ('&')",
            '<' or '>' => "a redirection",
            _ => "a subshell or group",
        };
        return new ArgumentException(
            $"'{token}' has {what}, which migrate cannot carry into the new command; give the one az command with literal values " +
            "(quote a value that has these characters: --tags 'a=b;c').");
    }
}
