using k8s;
using k8s.Models;
using Sandboxing.Sdk;

namespace QuickStart;

/// <summary>
/// One file QuickStart writes with <c>--out</c> and the summary lines it prints for it: a YAML file holds Kubernetes objects
/// only (so <c>kubectl apply -f</c> takes the folder), anything else gets another extension.
/// </summary>
internal sealed class OutputFile
{
    private OutputFile(string path, string content, IReadOnlyList<(string What, string Detail)> summary)
    {
        Path = path;
        Content = content;
        Summary = summary;
    }

    /// <summary>The path relative to the output folder.</summary>
    public string Path { get; }

    /// <summary>The file's text.</summary>
    public string Content { get; }

    /// <summary>One line per object (YAML) or one line for the output (anything else): what it is, and a detail.</summary>
    public IReadOnlyList<(string What, string Detail)> Summary { get; }

    /// <summary>A YAML file of Kubernetes objects, summarised one line per object: kind, namespace/name, runtime class; the note on the first.</summary>
    public static OutputFile Manifests(string path, IReadOnlyList<IKubernetesObject> objects, string note)
    {
        var lines = objects.Select((o, i) =>
        {
            var meta = (o as IMetadata<V1ObjectMeta>)?.Metadata;
            var name = meta?.NamespaceProperty is { Length: > 0 } ns ? $"{ns}/{meta.Name}" : meta?.Name;
            var runtime = PodTemplates.TryGet(o, out _) ? $"runs in {PodTemplates.FindAll(o)[0].Spec.RuntimeClassName}" : "";
            return ($"{o.Kind} {name}", string.Join(", ", new[] { runtime, i == 0 ? note : "" }.Where(t => t.Length > 0)));
        });
        return new OutputFile(path, SandboxManifest.ToYaml([.. objects]), [.. lines]);
    }

    /// <summary>A non-Kubernetes output (a script, Bicep, a table), summarised in one line.</summary>
    public static OutputFile Text(string path, string content, string what, string detail) => new(path, content, [(what, detail)]);

    /// <summary>Writes the file under <paramref name="folder"/>, through a temporary file so a reader never sees half of it.</summary>
    public void WriteTo(string folder)
    {
        var target = System.IO.Path.Combine(folder, Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.WriteAllText(target + ".tmp", Content);
        File.Move(target + ".tmp", target, overwrite: true);
    }
}
