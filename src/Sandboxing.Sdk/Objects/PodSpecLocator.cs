using System.Text;

namespace Sandboxing.Sdk;

/// <summary>One pod spec found by expanding a <see cref="PodSpecPath"/>: its concrete paths, with map keys and list indexes filled in.</summary>
/// <param name="SpecPath">The spec's path (<c>spec.pytorchReplicaSpecs.Worker.template.spec</c>, <c>spec.replicatedJobs[0].template.spec.template.spec</c>).</param>
/// <param name="MetadataPath">The path of the pods' metadata.</param>
/// <param name="ReplicasPath">The path of the pod count, or null.</param>
/// <param name="Spec">The spec's node.</param>
/// <param name="Declared">The registry's path it was expanded from.</param>
internal readonly record struct LocatedPodSpec(string SpecPath, string MetadataPath, string? ReplicasPath, object Spec, PodSpecPath Declared);

/// <summary>
/// Expands the registry's paths (with <c>*</c> for every map key or list item) over a tree, the one walk that both the YAML
/// linter and fixer (YAML nodes) and <see cref="UnstructuredObject"/> (plain dictionaries and lists) use.
/// </summary>
/// <param name="member">The value of a key of a map node, or null (also when the node is not a map).</param>
/// <param name="children">Every child of a map (with its key) or a list (with its index as the key and <c>IsIndex</c> true); null for a scalar.</param>
internal sealed class PodSpecLocator(
    Func<object, string, object?> member,
    Func<object, IEnumerable<(string Key, bool IsIndex, object Child)>?> children)
{
    /// <summary>Every pod spec of <paramref name="kind"/> under <paramref name="root"/>, in path then document order.</summary>
    public List<LocatedPodSpec> Locate(object root, PodTemplateKind kind)
    {
        var result = new List<LocatedPodSpec>();
        foreach (var declared in kind.Paths)
        {
            Walk(root, declared.SpecParts, 0, new StringBuilder(), [], declared, result);
        }

        return result;
    }

    private void Walk(object node, string[] parts, int at, StringBuilder path, List<(string Key, bool IsIndex)> bindings, PodSpecPath declared, List<LocatedPodSpec> result)
    {
        if (at == parts.Length)
        {
            result.Add(new LocatedPodSpec(path.ToString(), Fill(declared.Metadata, bindings), declared.Replicas is { } r ? Fill(r, bindings) : null, node, declared));
            return;
        }

        int length = path.Length;
        if (parts[at] is "*" or "[*]")
        {
            bool list = parts[at] == "[*]";
            foreach (var (key, isIndex, child) in children(node) ?? [])
            {
                if (isIndex != list)
                {
                    continue; // '*' reads a map's values, '[*]' a list's items: another shape is not this kind's pod spec
                }

                bindings.Add((key, isIndex));
                Append(path, key, isIndex);
                Walk(child, parts, at + 1, path, bindings, declared, result);
                path.Length = length;
                bindings.RemoveAt(bindings.Count - 1);
            }

            return;
        }

        if (member(node, parts[at]) is { } next)
        {
            Append(path, parts[at], false);
            Walk(next, parts, at + 1, path, bindings, declared, result);
            path.Length = length;
        }
    }

    /// <summary>A declared path with its <c>*</c> parts replaced, in order, by the keys the spec's path took.</summary>
    private static string Fill(string declared, List<(string Key, bool IsIndex)> bindings)
    {
        var path = new StringBuilder();
        int next = 0;
        foreach (var part in PodTemplateKind.Parts(declared))
        {
            if (part is "*" or "[*]" && next < bindings.Count)
            {
                Append(path, bindings[next].Key, bindings[next].IsIndex);
                next++;
            }
            else
            {
                Append(path, part, false);
            }
        }

        return path.ToString();
    }

    /// <summary>Appends a key as findings write paths: <c>.key</c>, <c>[3]</c> for a list item, <c>['a.b']</c> for a key with dots or brackets.</summary>
    private static void Append(StringBuilder path, string key, bool isIndex)
    {
        if (isIndex)
        {
            path.Append('[').Append(key).Append(']');
        }
        else if (key.AsSpan().IndexOfAny(".[]'") >= 0 || key.Length == 0)
        {
            path.Append("['").Append(key).Append("']");
        }
        else
        {
            if (path.Length > 0)
            {
                path.Append('.');
            }

            path.Append(key);
        }
    }
}
