using Sandboxing.Sdk;

namespace Sandboxing.Cli.Config;

/// <summary>The <c>podTemplates</c> key: custom resources and where their pod templates are.</summary>
internal sealed partial class ConfigReader
{
    private readonly Dictionary<string, (int Line, int Column)> _kindPositions = new(StringComparer.Ordinal);

    /// <summary>Where each kind of <c>podTemplates</c> is declared (line and column of its entry), by kind.</summary>
    public IReadOnlyDictionary<string, (int Line, int Column)> KindPositions => _kindPositions;

    /// <summary>The <c>podTemplates</c> list.</summary>
    public IReadOnlyList<PodTemplateKind> PodTemplates(ConfigNode node)
    {
        const string path = "podTemplates";
        var result = new List<PodTemplateKind>();
        if (List(node, path, "a list such as [{group: example.com, kind: Sandbox, resource: sandboxes, paths: [spec.podTemplate.spec]}]") is not { } items)
        {
            return result;
        }

        var kinds = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            var at = $"{path}[{i}]";
            if (Fields(items[i], at, SandboxingConfigLoader.PodTemplateKeys) is not { } fields)
            {
                continue;
            }

            int before = _problems.Count;
            string? group = null;
            if (fields.TryGetValue("apiVersion", out var apiVersionNode) && fields.TryGetValue("group", out var both))
            {
                Report(both, $"{at}.group", "give apiVersion or group, not both (the version does not matter: every version of the group is read)");
            }
            else if (apiVersionNode is not null)
            {
                if (Text(apiVersionNode, $"{at}.apiVersion", "an apiVersion such as example.com/v1") is { } apiVersion)
                {
                    int slash = apiVersion.LastIndexOf('/');
                    group = Group(apiVersionNode, $"{at}.apiVersion", slash < 0 ? "" : apiVersion[..slash], apiVersion);
                    if (group is not null && KubernetesNames.CheckLabel(apiVersion[(slash + 1)..]) is { } versionError)
                    {
                        Report(apiVersionNode, $"{at}.apiVersion", $"'{apiVersion}' does not end in a version such as /v1: {versionError}");
                        group = null;
                    }
                }
            }
            else if (fields.TryGetValue("group", out var groupNode))
            {
                if (Text(groupNode, $"{at}.group", "an API group such as example.com") is { } text)
                {
                    group = Group(groupNode, $"{at}.group", text, text);
                }
            }
            else
            {
                Report(items[i], at, "missing apiVersion (or group): say which API group the kind is in, such as apiVersion: example.com/v1");
            }

            string? kind = null;
            if (Required(fields, items[i], at, "kind", "the kind, such as Sandbox") is { } kindNode && Text(kindNode, $"{at}.kind", "a kind such as Sandbox") is { } kindText)
            {
                if (SandboxingConfigLoader.KindName().IsMatch(kindText))
                {
                    kind = kindText;
                }
                else
                {
                    Report(kindNode, $"{at}.kind", $"'{kindText}' is not a kind; write it as Kubernetes does, a capital letter then letters and digits (Sandbox, RayCluster)");
                }
            }

            string? resource = null;
            if (Required(fields, items[i], at, "resource", "the plural resource name, such as sandboxes") is { } resourceNode
                && Text(resourceNode, $"{at}.resource", "a plural resource name such as sandboxes") is { } resourceText)
            {
                if (KubernetesNames.CheckLabel(resourceText) is { } error)
                {
                    Report(resourceNode, $"{at}.resource", $"'{resourceText}' is not a resource name (the lowercase plural, as kubectl api-resources lists it): {error}");
                }
                else
                {
                    resource = resourceText;
                }
            }

            var specPaths = new List<string>();
            if (Required(fields, items[i], at, "paths", "the pod specs' paths, such as [spec.template.spec]") is { } pathsNode
                && List(pathsNode, $"{at}.paths", "a list of dotted paths such as [spec.template.spec, spec.workers.*.template.spec]") is { } paths)
            {
                if (paths.Count == 0)
                {
                    Report(pathsNode, $"{at}.paths", "the list is empty; give the path of at least one pod spec, such as spec.template.spec");
                }

                for (int p = 0; p < paths.Count; p++)
                {
                    if (FieldPath(paths[p], $"{at}.paths[{p}]") is { } specPath)
                    {
                        specPaths.Add(specPath);
                    }
                }
            }

            string? replicas = fields.TryGetValue("replicas", out var replicasNode) ? FieldPath(replicasNode, $"{at}.replicas") : null;
            if (group is not null && kind is not null && !kinds.TryAdd(group + "/" + kind, items[i]))
            {
                Report(fields["kind"], $"{at}.kind", $"{kind} of {group} is defined twice (also at line {kinds[group + "/" + kind].Line}); keep one entry with every path");
            }

            if (_problems.Count == before && group is not null && kind is not null && resource is not null)
            {
                result.Add(new PodTemplateKind(group, kind, resource, [.. specPaths]) { Replicas = replicas });
                _kindPositions[kind] = (items[i].Line, items[i].Column);
            }
        }

        return result;
    }

    private string? Group(ConfigNode node, string path, string group, string given)
    {
        if (PodTemplateRegistry.IsBuiltInGroup(group))
        {
            Report(node, path, $"'{given}' is a built-in API group, whose pod-bearing kinds (Pod, Deployment, Job, …) are always read; podTemplates adds custom resources, such as apiVersion: example.com/v1");
            return null;
        }

        if (KubernetesNames.CheckSubdomain(group) is { } error)
        {
            Report(node, path, $"'{group}' is not an API group: {error}");
            return null;
        }

        if (!group.Contains('.', StringComparison.Ordinal))
        {
            Report(node, path, $"'{group}' is not the group of a custom resource, which is a domain with at least one dot (example.com)");
            return null;
        }

        return group;
    }

    private string? FieldPath(ConfigNode node, string path)
    {
        if (Text(node, path, "a dotted path such as spec.template.spec") is not { } text)
        {
            return null;
        }

        if (!SandboxingConfigLoader.FieldPath().IsMatch(text))
        {
            Report(node, path, $"'{text}' is not a field path; write dotted keys with * for every value of a map and key[*] for every item of a list, such as spec.workers[*].template.spec (not [0])");
            return null;
        }

        return text;
    }
}
