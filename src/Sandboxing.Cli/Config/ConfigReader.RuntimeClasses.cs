using Sandboxing.Sdk;

namespace Sandboxing.Cli.Config;

/// <summary>The <c>runtimeClasses</c> key: definitions with handler, overhead, node selector and tolerations.</summary>
internal sealed partial class ConfigReader
{
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
}
