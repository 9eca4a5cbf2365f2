using System.Text;
using System.Text.RegularExpressions;
using Sandboxing.Sdk;

namespace Sandboxing.Cli.Config;

/// <summary>One top-level key of the config file and how it is read onto <see cref="SandboxingConfig"/>.</summary>
internal sealed record ConfigKey(string Name, Func<ConfigReader, ConfigNode, SandboxingConfig, SandboxingConfig> Read);

/// <summary>
/// Reads <c>.sandboxing.yaml</c>. <see cref="Keys"/> and the nested key lists are the one table of what the file may say: the
/// reader refuses every other key, and a test checks that <c>schemas/sandboxing.schema.json</c> names exactly these.
/// </summary>
internal static partial class SandboxingConfigLoader
{
    /// <summary>The file name searched for.</summary>
    public const string FileName = ".sandboxing.yaml";

    /// <summary>The other spelling that is accepted.</summary>
    public const string AlternativeFileName = ".sandboxing.yml";

    /// <summary>A config is a few lines; a larger file is a mistake (a manifest passed to --config), not a config.</summary>
    public const long MaxBytes = 1024 * 1024;

    /// <summary>The top-level keys, in the order docs/config.md describes them.</summary>
    public static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        new("allowedRuntimeClasses", (r, node, c) => c with { AllowedRuntimeClasses = r.ClassNames(node, "allowedRuntimeClasses") }),
        new("runtime", (r, node, c) => c with { Runtime = r.RuntimeName(node, "runtime") }),
        new("runtimeClasses", (r, node, c) => c with { RuntimeClasses = r.RuntimeClasses(node) }),
        new("readRuntimeClassesFromInputs", (r, node, c) => c with { ReadRuntimeClassesFromInputs = r.Boolean(node, "readRuntimeClassesFromInputs") ?? true }),
        new("exclude", (r, node, c) => c with { Exclude = r.Globs(node, "exclude") }),
        new("podTemplates", (r, node, c) => r.PodTemplates(node) is { Count: > 0 } kinds
            ? c with { CustomKinds = kinds, PodTemplates = PodTemplateRegistry.Default.With([.. kinds]) }
            : c),
        new("rules", (r, node, c) => c with { Rules = r.Rules(node) }),
    ];

    /// <summary>The keys of a <c>runtimeClasses</c> entry.</summary>
    public static IReadOnlyList<string> RuntimeClassKeys { get; } = ["name", "handler", "overhead", "nodeSelector", "tolerations"];

    /// <summary>The keys of a <c>runtimeClasses[].overhead</c> map.</summary>
    public static IReadOnlyList<string> OverheadKeys { get; } = ["memory", "cpu"];

    /// <summary>The keys of a <c>runtimeClasses[].tolerations</c> entry.</summary>
    public static IReadOnlyList<string> TolerationKeys { get; } = ["key", "value", "effect"];

    /// <summary>The keys of a <c>podTemplates</c> entry.</summary>
    public static IReadOnlyList<string> PodTemplateKeys { get; } = ["apiVersion", "group", "kind", "resource", "paths", "replicas"];

    /// <summary>The rules <c>rules</c> may set: those lint and audit report (node pool and policy rules belong to other commands).</summary>
    public static IReadOnlyList<SandboxRule> ConfigurableRules { get; } =
        SandboxRules.All.Where(r => r.Category is not (SandboxRules.NodePoolCategory or SandboxRules.PolicyCategory)).OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();

    /// <summary>The rules the tool exists for: they stay at warning or error (an exemption annotation is the way out).</summary>
    public static IReadOnlyList<string> MainRules { get; } = [SandboxRules.MissingRuntimeClass.Id, SandboxRules.RuntimeClassNotAllowed.Id];

    /// <summary>The values of a rule in <c>rules</c>.</summary>
    public static IReadOnlyList<string> RuleSettings { get; } = ["error", "warning", "info", "off"];

    /// <summary>Reads and checks a config file.</summary>
    /// <param name="fullPath">The absolute path.</param>
    /// <param name="displayPath">The path as messages show it.</param>
    /// <exception cref="ConfigException">The file cannot be read, or a setting is wrong (every problem of the file at once).</exception>
    public static SandboxingConfig Load(string fullPath, string displayPath)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(fullPath);
            if (info.Length > MaxBytes)
            {
                throw new ConfigException(new ConfigProblem(displayPath, 0, 0,
                    $"the config file is {info.Length:N0} bytes, over the limit of {MaxBytes:N0}; a config is a few settings: check that --config names the config, not a manifest"));
            }

            bytes = File.ReadAllBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(new ConfigProblem(displayPath, 0, 0, $"the config file cannot be read ({e.Message}); check its permissions, or pass --no-config"));
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ConfigException(new ConfigProblem(displayPath, 0, 0, "the config file is not UTF-8 text; save it as UTF-8"));
        }

        return Parse(text.TrimStart('\uFEFF'), fullPath, displayPath);
    }

    /// <summary>Reads config text (see <see cref="Load"/>).</summary>
    /// <exception cref="ConfigException">A setting is wrong.</exception>
    public static SandboxingConfig Parse(string text, string fullPath, string displayPath)
    {
        var config = new SandboxingConfig { FullPath = fullPath, DisplayPath = displayPath };
        var root = ConfigYaml.Parse(text, displayPath);
        if (root is null or ConfigScalar { IsNull: true })
        {
            return config; // an empty file (or only comments): every default
        }

        var reader = new ConfigReader(displayPath);
        if (root is not ConfigMapping mapping)
        {
            reader.Report(root, null, $"the file is {root.Describe()}; a config file is a map of settings such as 'runtime: kata-vm-isolation' (see docs/config.md)");
        }
        else
        {
            foreach (var (key, value) in mapping.Entries)
            {
                if (Keys.FirstOrDefault(k => k.Name == key.Value) is { } known)
                {
                    config = known.Read(reader, value, config);
                }
                else
                {
                    reader.UnknownKey(key, null, Keys.Select(k => k.Name).ToArray());
                }
            }
        }

        return reader.Problems.Count > 0
            ? throw new ConfigException(reader.Problems.OrderBy(p => p.Line).ThenBy(p => p.Column).ToList())
            : config;
    }

    /// <summary>The closest of <paramref name="candidates"/> to a misspelt <paramref name="text"/>, or null when none is close.</summary>
    public static string? DidYouMean(string text, IEnumerable<string> candidates)
    {
        static string Fold(string s) => s.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            // The same words in another case or separator, then a shortening (warn for warning), then a few typos.
            int distance = Fold(candidate) == Fold(text) ? 0
                : text.Length >= 3 && candidate.StartsWith(text, StringComparison.OrdinalIgnoreCase) ? 1
                : Distance(text.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best is not null && bestDistance <= Math.Max(1, Math.Min(3, best.Length / 3)) ? best : null;
    }

    /// <summary>The edit distance: insertions, deletions, substitutions and swaps of two neighbours (SBX2070 is one edit from SBX2007).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>A dotted path of keys in which <c>*</c> is any map key or list item (<c>spec.jobs.*.template.spec</c>).</summary>
    [GeneratedRegex(@"^(\*|[A-Za-z0-9_-]+(\[\*\])?)(\.(\*|[A-Za-z0-9_-]+(\[\*\])?))*$", RegexOptions.CultureInvariant)]
    internal static partial Regex FieldPath();

    /// <summary>A Kubernetes kind: a capital letter, then letters and digits.</summary>
    [GeneratedRegex("^[A-Z][A-Za-z0-9]*$", RegexOptions.CultureInvariant)]
    internal static partial Regex KindName();
}

/// <summary>Reads the values of a config file, collecting every problem with its position and key path.</summary>
internal sealed class ConfigReader(string file)
{
    private readonly List<ConfigProblem> _problems = [];

    /// <summary>The problems found so far.</summary>
    public IReadOnlyList<ConfigProblem> Problems => _problems;

    /// <summary>Records a problem at <paramref name="node"/>: <c>path: message</c>.</summary>
    public void Report(ConfigNode node, string? path, string message) =>
        _problems.Add(new ConfigProblem(file, node.Line, node.Column, path is null ? message : $"{path}: {message}"));

    /// <summary>Records an unknown key, with the key it most looks like.</summary>
    public void UnknownKey(ConfigScalar key, string? parent, IReadOnlyList<string> known)
    {
        var where = parent is null ? "a config file" : parent;
        var hint = SandboxingConfigLoader.DidYouMean(key.Value, known) is { } close ? $"did you mean '{close}'? " : "";
        Report(key, parent is null ? key.Value : $"{parent}.{key.Value}",
            $"unknown key; {hint}{where} takes {string.Join(", ", known)} (keys are case-sensitive camelCase; see docs/config.md)");
    }

    /// <summary>A list of runtime class names.</summary>
    public IReadOnlyList<string>? ClassNames(ConfigNode node, string path)
    {
        if (List(node, path, "a list of runtime class names such as [kata-vm-isolation, small-kata-pods]") is not { } items)
        {
            return null;
        }

        if (items.Count == 0)
        {
            Report(node, path, "the list is empty, so no class would count as a sandbox; list at least one class, or remove the key for the defaults");
            return null;
        }

        var names = new List<string>();
        for (int i = 0; i < items.Count; i++)
        {
            if (RuntimeName(items[i], $"{path}[{i}]") is { } name && !names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>A runtime class name that may be a sandbox (not runc, crun or youki).</summary>
    public string? RuntimeName(ConfigNode node, string path)
    {
        if (Text(node, path, "a runtime class name such as kata-vm-isolation") is not { } name)
        {
            return null;
        }

        if (KubernetesNames.CheckSubdomain(name) is { } error)
        {
            Report(node, path, $"'{name}' is not a runtime class name: {error}");
            return null;
        }

        if (new SandboxRuntime(name).IsHostKernel)
        {
            Report(node, path, $"'{name}' runs pods on the node's shared kernel, so it is not a sandbox; name a sandbox class such as {KnownRuntimeClasses.Default}");
            return null;
        }

        return name;
    }

    /// <summary>The <c>runtimeClasses</c> list.</summary>
    public IReadOnlyList<RuntimeClassDefinition> RuntimeClasses(ConfigNode node)
    {
        const string path = "runtimeClasses";
        var result = new List<RuntimeClassDefinition>();
        if (List(node, path, "a list of RuntimeClasses such as [{name: small-kata-pods, handler: kata, overhead: {memory: 120Mi}}]") is not { } items)
        {
            return result;
        }

        var names = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            var at = $"{path}[{i}]";
            if (Fields(items[i], at, SandboxingConfigLoader.RuntimeClassKeys) is not { } fields)
            {
                continue;
            }

            int before = _problems.Count;
            string? name = Required(fields, items[i], at, "name", "the RuntimeClass name pods use, such as small-kata-pods") is { } nameNode
                ? RuntimeName(nameNode, $"{at}.name") : null;
            string? handler = Required(fields, items[i], at, "handler", "the CRI handler, kata on AKS") is { } handlerNode ? Handler(handlerNode, $"{at}.handler") : null;
            if (name is not null && !names.TryAdd(name, items[i]))
            {
                Report(fields["name"], $"{at}.name", $"'{name}' is defined twice (also at line {names[name].Line}); keep one definition");
            }

            var builder = name is null ? null : SandboxRuntime.Define(name).WithHandler(handler ?? "kata");
            if (fields.TryGetValue("overhead", out var overheadNode) && Fields(overheadNode, $"{at}.overhead", SandboxingConfigLoader.OverheadKeys) is { } overhead)
            {
                var memory = overhead.TryGetValue("memory", out var m) ? Quantity(m, $"{at}.overhead.memory", "512Mi or 120Mi") : null;
                var cpu = overhead.TryGetValue("cpu", out var c) ? Quantity(c, $"{at}.overhead.cpu", "250m or 1") : null;
                if (memory is not null || cpu is not null)
                {
                    builder?.WithOverhead(memory, cpu);
                }
            }

            if (fields.TryGetValue("nodeSelector", out var selectorNode) && Map(selectorNode, $"{at}.nodeSelector", "a map of node labels such as {kubernetes.azure.com/kata-vm-isolation: \"true\"}") is { } selector)
            {
                foreach (var (key, value) in selector.Entries)
                {
                    var keyPath = $"{at}.nodeSelector.{key.Value}";
                    if (KubernetesNames.CheckQualifiedName(key.Value) is { } keyError)
                    {
                        Report(key, keyPath, $"'{key.Value}' is not a label key: {keyError}");
                    }
                    else if (Text(value, keyPath, "a label value (quote true and numbers: \"true\")", allowBoolean: false) is { } label)
                    {
                        if (KubernetesNames.CheckLabelValue(label) is { } valueError)
                        {
                            Report(value, keyPath, $"'{label}' is not a label value: {valueError}");
                        }
                        else
                        {
                            builder?.WithNodeSelector(key.Value, label);
                        }
                    }
                }
            }

            if (fields.TryGetValue("tolerations", out var tolerationsNode)
                && List(tolerationsNode, $"{at}.tolerations", "a list such as [{key: sandbox, value: kata, effect: NoSchedule}]") is { } tolerations)
            {
                for (int t = 0; t < tolerations.Count; t++)
                {
                    Toleration(tolerations[t], $"{at}.tolerations[{t}]", builder);
                }
            }

            if (builder is not null && _problems.Count == before)
            {
                result.Add(builder.Build());
            }
        }

        return result;
    }

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public bool? Boolean(ConfigNode node, string path)
    {
        if (node is ConfigScalar { Plain: true, Value: var value } && bool.TryParse(value, out var result))
        {
            return result;
        }

        Report(node, path, $"{node.Describe()} is not a boolean; write true or false (without quotes)");
        return null;
    }

    /// <summary>The <c>exclude</c> globs.</summary>
    public IReadOnlyList<string> Globs(ConfigNode node, string path)
    {
        var globs = new List<string>();
        if (List(node, path, "a list of globs such as [charts, '*.tmpl.yaml', deploy/legacy/**]") is { } items)
        {
            for (int i = 0; i < items.Count; i++)
            {
                if (Text(items[i], $"{path}[{i}]", "a glob such as charts or deploy/legacy/**") is { } glob)
                {
                    globs.Add(glob);
                }
            }
        }

        return globs;
    }

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
                result.Add(new PodTemplateKind(group, kind, resource, specPaths.Select(p => new PodSpecPath(p) { Replicas = replicas }).ToArray()));
            }
        }

        return result;
    }

    /// <summary>The <c>rules</c> map.</summary>
    public IReadOnlyDictionary<string, SandboxSeverity?> Rules(ConfigNode node)
    {
        const string path = "rules";
        var result = new Dictionary<string, SandboxSeverity?>(StringComparer.Ordinal);
        if (Map(node, path, "a map of rule IDs to severities, such as {SBX2005: off, SBX2006: warning}") is not { } map)
        {
            return result;
        }

        var ids = SandboxingConfigLoader.ConfigurableRules.Select(r => r.Id).ToArray();
        foreach (var (key, value) in map.Entries)
        {
            var at = $"{path}.{key.Value}";
            if (!ids.Contains(key.Value, StringComparer.Ordinal))
            {
                Report(key, at, UnknownRule(key.Value, ids));
                continue;
            }

            if (Text(value, at, "a severity: error, warning, info or off") is not { } setting)
            {
                continue;
            }

            if (!SandboxingConfigLoader.RuleSettings.Contains(setting, StringComparer.Ordinal))
            {
                var hint = SandboxingConfigLoader.DidYouMean(setting, SandboxingConfigLoader.RuleSettings) is { } close ? $"did you mean {close}? " : "";
                Report(value, at, $"'{setting}' is not a severity; {hint}write error, warning, info or off");
                continue;
            }

            if (SandboxingConfigLoader.MainRules.Contains(key.Value, StringComparer.Ordinal) && setting is "off" or "info")
            {
                Report(value, at, $"{key.Value} cannot be {setting}: it is the finding that a pod runs without a sandbox, and the tool exists to report it. " +
                    $"Set it to warning or error; to let one workload run without a sandbox, give it the annotation {SandboxAnnotations.Exempt}: \"<reason>\"");
                continue;
            }

            result[key.Value] = setting switch
            {
                "error" => SandboxSeverity.Error,
                "warning" => SandboxSeverity.Warning,
                "info" => SandboxSeverity.Info,
                _ => null,
            };
        }

        return result;
    }

    private static string UnknownRule(string id, IReadOnlyList<string> ids)
    {
        if (SandboxRules.Find(id) is { } other)
        {
            return $"{id} is a {(other.Category == SandboxRules.PolicyCategory ? "policy" : "node pool")} rule, which lint and audit do not report; " +
                "rules takes the IDs of SBX0xxx, SBX1xxx, SBX2xxx and SBX4xxx rules";
        }

        var upper = id.ToUpperInvariant();
        var similar = ids.Where(i => SandboxingConfigLoader.Distance(upper, i) <= 1).ToList();
        if (similar.Count == 0 && upper.Length >= 5)
        {
            similar = ids.Where(i => i.StartsWith(upper[..5], StringComparison.Ordinal)).ToList();
        }

        return similar.Count switch
        {
            0 => $"no rule {id}; the IDs are SBXnnnn, as `sandboxing lint` prints them and docs/rules/ lists them",
            1 => $"no rule {id}; did you mean {similar[0]}?",
            _ => $"no rule {id}; similar: {string.Join(", ", similar)}",
        };
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

    private string? Handler(ConfigNode node, string path)
    {
        if (Text(node, path, "a CRI handler such as kata") is not { } handler)
        {
            return null;
        }

        if (KubernetesNames.CheckLabel(handler) is { } error)
        {
            Report(node, path, $"'{handler}' is not a handler name: {error}");
            return null;
        }

        if (!RuntimeClassDefinition.IsSandboxHandler(handler))
        {
            var sandboxes = KnownRuntimeClasses.All.Select(k => k.Handler).Where(h => RuntimeClassDefinition.IsSandboxHandler(h) && !h.StartsWith("kata", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            var what = new SandboxRuntime(handler).IsHostKernel ? "runs pods on the node's shared kernel" : "is not a handler the tool knows as a sandbox";
            Report(node, path, $"'{handler}' {what}; a class defined here must be a sandbox, so its handler is kata, kata-<shim> or one of {string.Join(", ", sandboxes)}");
            return null;
        }

        return handler;
    }

    private string? Quantity(ConfigNode node, string path, string example)
    {
        if (Text(node, path, $"a quantity such as {example}") is not { } text)
        {
            return null;
        }

        if (!Quantities.TryParse(text, out var value) || value < 0)
        {
            Report(node, path, $"'{text}' is not a Kubernetes quantity; write a number with an optional suffix, such as {example} (Mi and Gi are powers of 1024; 'MB' is not a unit)");
            return null;
        }

        return text;
    }

    private void Toleration(ConfigNode node, string path, RuntimeClassDefinition.Builder? builder)
    {
        if (Fields(node, path, SandboxingConfigLoader.TolerationKeys) is not { } fields)
        {
            return;
        }

        string? key = null;
        if (Required(fields, node, path, "key", "the taint key to tolerate") is { } keyNode && Text(keyNode, $"{path}.key", "a taint key such as sandbox") is { } keyText)
        {
            if (KubernetesNames.CheckQualifiedName(keyText) is { } error)
            {
                Report(keyNode, $"{path}.key", $"'{keyText}' is not a taint key: {error}");
            }
            else
            {
                key = keyText;
            }
        }

        // Without a value the toleration matches any value of the key (operator Exists), as kubectl writes it.
        string? value = fields.TryGetValue("value", out var valueNode) ? Text(valueNode, $"{path}.value", "a taint value (quote true and numbers)", allowBoolean: false) : null;
        string effect = "NoSchedule";
        if (fields.TryGetValue("effect", out var effectNode) && Text(effectNode, $"{path}.effect", "NoSchedule, PreferNoSchedule or NoExecute") is { } effectText)
        {
            if (effectText is "NoSchedule" or "PreferNoSchedule" or "NoExecute")
            {
                effect = effectText;
            }
            else
            {
                Report(effectNode, $"{path}.effect", $"'{effectText}' is not a taint effect; write NoSchedule, PreferNoSchedule or NoExecute");
            }
        }

        if (key is not null)
        {
            builder?.WithToleration(key, value, effect);
        }
    }

    /// <summary>The entries of a map whose keys must be among <paramref name="known"/>; null (reported) when it is not a map.</summary>
    private Dictionary<string, ConfigNode>? Fields(ConfigNode node, string path, IReadOnlyList<string> known)
    {
        if (Map(node, path, $"a map with the keys {string.Join(", ", known)}") is not { } map)
        {
            return null;
        }

        var fields = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            if (known.Contains(key.Value, StringComparer.Ordinal))
            {
                fields[key.Value] = value;
            }
            else
            {
                UnknownKey(key, path, known);
            }
        }

        return fields;
    }

    private ConfigNode? Required(Dictionary<string, ConfigNode> fields, ConfigNode owner, string path, string key, string what)
    {
        if (fields.TryGetValue(key, out var node))
        {
            return node;
        }

        Report(owner, path, $"missing {key}: {what}");
        return null;
    }

    private ConfigMapping? Map(ConfigNode node, string path, string expected)
    {
        if (node is ConfigMapping map)
        {
            return map;
        }

        Report(node, path, $"{node.Describe()} is not a map; write {expected}");
        return null;
    }

    private IReadOnlyList<ConfigNode>? List(ConfigNode node, string path, string expected)
    {
        if (node is ConfigSequence sequence)
        {
            return sequence.Items;
        }

        Report(node, path, $"{node.Describe()} is not a list; write {expected}");
        return null;
    }

    /// <summary>A non-empty text value. Plain <c>true</c>/<c>false</c> are booleans in YAML, so they are refused where text is meant.</summary>
    private string? Text(ConfigNode node, string path, string expected, bool allowBoolean = true)
    {
        if (node is ConfigScalar { IsNull: false } scalar && scalar.Value.Trim().Length > 0)
        {
            if (!allowBoolean && scalar.Plain && bool.TryParse(scalar.Value, out _))
            {
                Report(node, path, $"{scalar.Value} is a boolean here; quote it (\"{scalar.Value}\") to mean the text");
                return null;
            }

            return scalar.Value.Trim();
        }

        Report(node, path, $"{node.Describe()} is not {(node is ConfigScalar ? "a value" : "text")}; write {expected}");
        return null;
    }
}
