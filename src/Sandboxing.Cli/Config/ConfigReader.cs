using Sandboxing.Sdk;

namespace Sandboxing.Cli.Config;

/// <summary>
/// Reads the values of a config file, collecting every problem with its position and key path. This part holds the problems,
/// the shared shape checks (a map with known fields, a list, a text) and the small values; the readers of runtimeClasses,
/// podTemplates and rules are in their own files.
/// </summary>
internal sealed partial class ConfigReader(string file)
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
            if (ClassUse(items[i], $"{path}[{i}]") is { } name && !names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>The class names <c>runtime</c> and <c>allowedRuntimeClasses</c> use, checked by <see cref="CheckClassNames"/> once the whole file is read.</summary>
    private readonly List<(string Name, ConfigNode Node, string Path)> _uses = [];

    /// <summary>A class name pods are to use (<c>runtime</c>, <c>allowedRuntimeClasses</c>): as <see cref="RuntimeName"/>, and checked to be a sandbox once the file's definitions are known.</summary>
    public string? ClassUse(ConfigNode node, string path)
    {
        var name = RuntimeName(node, path);
        if (name is not null)
        {
            _uses.Add((name, node, path));
        }

        return name;
    }

    /// <summary>
    /// Refuses each class <c>runtime</c> and <c>allowedRuntimeClasses</c> name that is not a sandbox: a typo of a known class
    /// (with the class meant), a class on the host kernel or of a device plugin (<c>nvidia</c>), or a name the tool does not
    /// know, unless <c>runtimeClasses</c> defines it with a sandbox handler. The policy's check (one check of a class a gate
    /// may allow), so that a committed config cannot make <c>fix</c> insert a class that isolates nothing.
    /// </summary>
    public void CheckClassNames(IReadOnlyList<RuntimeClassDefinition> defined)
    {
        foreach (var (name, node, path) in _uses)
        {
            if (defined.Any(d => d.Name == name) || SandboxPolicy.ClassProblem(name) is not { } problem)
            {
                continue;
            }

            Report(node, path, problem.Contains("did you mean", StringComparison.Ordinal)
                ? $"'{name}' {problem} A custom class this close to a known one must be defined in runtimeClasses."
                : $"'{name}' {problem.Replace(", so a policy that allows it would admit pods on the node's shared kernel", "", StringComparison.Ordinal)}; " +
                  $"name a sandbox class such as {KnownRuntimeClasses.Default}, or define a custom class in runtimeClasses with its sandbox handler (handler: kata)");
        }
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
