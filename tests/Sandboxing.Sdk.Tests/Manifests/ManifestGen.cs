using System.Text;
using CsCheck;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk.Tests.Manifests;

/// <summary>One pod-bearing object to write: its kind, how its pod spec is written, and what the spec holds.</summary>
public sealed record PodDoc(
    string Kind, bool Flow, int Indent, char Quote, bool Comments, string? RuntimeClass, char RuntimeQuote,
    bool Privileged, string? MemoryLimit, string? CpuRequest, bool HostPath, bool InList);

/// <summary>A whole manifest: documents (a ConfigMap may sit between them), line endings and a byte order mark.</summary>
public sealed record ManifestCase(IReadOnlyList<PodDoc> Docs, string Newline, bool Bom, bool ConfigMaps, bool EndMarkers)
{
    public string Text => ManifestGen.Write(this);

    public override string ToString() => Text.Replace("\r", "\\r", StringComparison.Ordinal);
}

/// <summary>Generates manifests in the styles real repositories use, to test the linter and the fixer as laws.</summary>
public static class ManifestGen
{
    public static readonly string[] Kinds = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "PodTemplate"];

    public static readonly Gen<PodDoc> Doc =
        from kind in Gen.OneOfConst(Kinds)
        from flow in Gen.Bool
        from indent in Gen.OneOfConst(2, 4)
        from quote in Gen.OneOfConst(' ', ' ', '"', '\'')
        from comments in Gen.Bool
        from runtime in Gen.OneOfConst<string?>(null, null, "kata-vm-isolation", "kata-clh", "kata-mshv-vm-isolation")
        from runtimeQuote in Gen.OneOfConst(' ', '"', '\'')
        from privileged in Gen.Bool
        from memory in Gen.OneOfConst<string?>(null, "64Mi", "1Gi")
        from cpu in Gen.OneOfConst<string?>(null, "250m", "1")
        from hostPath in Gen.Bool
        from inList in Gen.Int[0, 3]
        select new PodDoc(kind, flow, indent, quote, comments, runtime, runtimeQuote, privileged, memory, cpu, hostPath, inList == 0);

    public static readonly Gen<ManifestCase> Case =
        from docs in Doc.List[1, 4]
        from newline in Gen.OneOfConst("\n", "\r\n")
        from bom in Gen.Bool
        from configMaps in Gen.Bool
        from endMarkers in Gen.Bool
        select new ManifestCase(docs, newline, bom, configMaps, endMarkers);

    public static string Write(ManifestCase c)
    {
        var text = new StringBuilder();
        if (c.Bom)
        {
            text.Append('\uFEFF');
        }

        for (int i = 0; i < c.Docs.Count; i++)
        {
            if (i > 0 || c.Docs[i].Comments)
            {
                text.Append("---").Append(c.Docs[i].Comments ? " # document " + i : "").Append('\n');
            }

            if (c.ConfigMaps && i % 2 == 1)
            {
                text.Append("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-").Append(i).Append("}\ndata: {a: b}\n---\n");
            }

            WriteDoc(text, c.Docs[i], i);
            if (c.EndMarkers)
            {
                text.Append("...\n");
            }
        }

        return text.ToString().Replace("\n", c.Newline, StringComparison.Ordinal);
    }

    private static void WriteDoc(StringBuilder text, PodDoc d, int index)
    {
        string pad = new(' ', d.Indent);
        string K(string key) => d.Quote == ' ' ? key : $"{d.Quote}{key}{d.Quote}";
        var (apiVersion, path) = d.Kind switch
        {
            "Pod" => ("v1", Array.Empty<string>()),
            "PodTemplate" => ("v1", new[] { "template" }),
            "ReplicationController" => ("v1", new[] { "spec", "template" }),
            "Job" => ("batch/v1", new[] { "spec", "template" }),
            "CronJob" => ("batch/v1", new[] { "spec", "jobTemplate", "spec", "template" }),
            _ => ("apps/v1", new[] { "spec", "template" }),
        };

        // In a List, the object is an item: "- " then the same lines one level deeper.
        string itemPad = d.InList ? "  " : "";
        if (d.InList)
        {
            text.Append("apiVersion: v1\nkind: List\nitems:\n- ");
        }

        text.Append($"apiVersion: {apiVersion}\n");
        text.Append($"{itemPad}kind: {d.Kind}\n");
        text.Append($"{itemPad}metadata:\n{itemPad}{pad}name: obj-{index}\n");
        string depth = itemPad;
        foreach (var key in path)
        {
            text.Append($"{depth}{key}:\n");
            depth += pad;
        }

        // The pod spec itself.
        var entries = new List<(string Key, string Value)>();
        if (d.RuntimeClass is { } rc)
        {
            entries.Add(("runtimeClassName", d.RuntimeQuote == ' ' ? rc : $"{d.RuntimeQuote}{rc}{d.RuntimeQuote}"));
        }

        var limits = new List<string>();
        if (d.MemoryLimit is { } m)
        {
            limits.Add($"{K("memory")}: {m}");
        }

        if (d.CpuRequest is not null)
        {
            limits.Add($"{K("cpu")}: \"1\"");
        }

        var resources = new List<string>();
        if (limits.Count > 0)
        {
            resources.Add($"{K("limits")}: {{{string.Join(", ", limits)}}}");
        }

        if (d.CpuRequest is { } cpu)
        {
            resources.Add($"{K("requests")}: {{{K("cpu")}: {cpu}}}");
        }

        var container = new List<string> { $"{K("name")}: app", $"{K("image")}: \"nginx:1.27\"" };
        if (d.Privileged)
        {
            container.Add($"{K("securityContext")}: {{{K("privileged")}: true}}");
        }

        if (resources.Count > 0)
        {
            container.Add($"{K("resources")}: {{{string.Join(", ", resources)}}}");
        }

        entries.Add(("containers", $"[{{{string.Join(", ", container)}}}]"));
        if (d.HostPath)
        {
            entries.Add(("volumes", $"[{{{K("name")}: host, {K("hostPath")}: {{{K("path")}: /var/run}}}}]"));
        }

        if (d.Flow)
        {
            text.Append($"{depth}spec: {{{string.Join(", ", entries.Select(e => $"{K(e.Key)}: {e.Value}"))}}}");
            text.Append(d.Comments ? " # flow spec\n" : "\n");
            return;
        }

        text.Append($"{depth}spec:{(d.Comments ? " # the pod spec" : "")}\n");
        depth += pad;
        foreach (var (key, value) in entries)
        {
            if (d.Comments)
            {
                text.Append($"{depth}# about {key}\n");
            }

            text.Append($"{depth}{K(key)}: {value}{(d.Comments ? "  # trailing" : "")}\n");
        }
    }

    /// <summary>A YAML node as plain values: ordered key/value lists, lists and strings (null for a plain null).</summary>
    public static object? Plain(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.Select(e => new KeyValuePair<string, object?>(((YamlScalarNode)e.Key).Value!, Plain(e.Value))).ToList(),
        YamlSequenceNode s => s.Children.Select(Plain).ToList(),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "" or "null" or "~" } => null,
        YamlScalarNode scalar => scalar.Value,
        _ => throw new InvalidOperationException(node.GetType().Name),
    };
}
