using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk;

/// <summary>
/// Pod specs the registry cannot see: in an object of a custom kind the registry does not know, every mapping with a
/// <c>containers</c> list of containers (items with an <c>image</c>), at any depth. Such a kind runs pods that no rule checks;
/// naming the path lets the user declare it. Built-in groups are not searched (their kinds are fixed by Kubernetes).
/// </summary>
internal static class UndeclaredPodSpecs
{
    private const int MaxDepth = 24;

    /// <summary>Each pod spec of <paramref name="node"/> as (path, mapping), the path in the registry's notation (<c>key[*]</c> for list items); each path once.</summary>
    public static List<(string Path, YamlMappingNode Spec)> Find(YamlMappingNode node)
    {
        var result = new List<(string, YamlMappingNode)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Children)
        {
            if (key is YamlScalarNode { Value: { } name } && name is not ("metadata" or "status" or "apiVersion" or "kind"))
            {
                Walk(value, name, 1, result, seen);
            }
        }

        return result;
    }

    /// <summary>True for an object whose kind the registry does not know, in a group that is not one of Kubernetes' own.</summary>
    public static bool IsUndeclared(YamlMappingNode node, PodTemplateRegistry registry, out string kind, out string group)
    {
        kind = ManifestObjects.ScalarValue(node, "kind") ?? "";
        group = PodTemplateRegistry.GroupOf(ManifestObjects.ScalarValue(node, "apiVersion")) ?? "";
        return kind.Length > 0 && !PodTemplateRegistry.IsBuiltInGroup(group) && registry.Find(ManifestObjects.ScalarValue(node, "apiVersion"), kind) is null
            && !ManifestObjects.IsWrapper(group, kind);
    }

    private static void Walk(YamlNode node, string path, int depth, List<(string, YamlMappingNode)> result, HashSet<string> seen)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        switch (node)
        {
            case YamlMappingNode mapping when IsPodSpec(mapping):
                if (seen.Add(path))
                {
                    result.Add((path, mapping));
                }

                return; // a pod spec's own fields hold no further pod specs
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { Length: > 0 } name } && !name.Contains('.', StringComparison.Ordinal))
                    {
                        Walk(value, path + "." + name, depth + 1, result, seen);
                    }
                }

                return;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    Walk(item, path + "[*]", depth + 1, result, seen);
                }

                return;
        }
    }

    private static bool IsPodSpec(YamlMappingNode mapping) =>
        ManifestObjects.Child(mapping, "containers") is YamlSequenceNode containers
        && containers.Children.Any(c => c is YamlMappingNode container && ManifestObjects.Child(container, "image") is YamlScalarNode);
}
