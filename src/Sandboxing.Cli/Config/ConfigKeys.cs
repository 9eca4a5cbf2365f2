using Sandboxing.Sdk;

namespace Sandboxing.Cli.Config;

/// <summary>One top-level key of the config file and how it is read onto <see cref="SandboxingConfig"/>.</summary>
internal sealed record ConfigKey(string Name, Func<ConfigReader, ConfigNode, SandboxingConfig, SandboxingConfig> Read);

/// <summary>The one table of what the config file may say: its keys and the keys of its nested entries.</summary>
internal static partial class SandboxingConfigLoader
{
    /// <summary>The top-level keys, in the order docs/config.md describes them.</summary>
    public static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        new("allowedRuntimeClasses", (r, node, c) => c with { AllowedRuntimeClasses = r.ClassNames(node, "allowedRuntimeClasses") }),
        new("runtime", (r, node, c) => c with { Runtime = r.ClassUse(node, "runtime"), RuntimePosition = (node.Line, node.Column) }),
        new("runtimeClasses", (r, node, c) => c with { RuntimeClasses = r.RuntimeClasses(node) }),
        new("readRuntimeClassesFromInputs", (r, node, c) => c with { ReadRuntimeClassesFromInputs = r.Boolean(node, "readRuntimeClassesFromInputs") ?? true }),
        new("exclude", (r, node, c) => c with { Exclude = r.Globs(node, "exclude") }),
        new("podTemplates", (r, node, c) => r.PodTemplates(node) is { Count: > 0 } kinds
            ? c with { CustomKinds = kinds, PodTemplates = PodTemplateRegistry.Default.With([.. kinds]), CustomKindPositions = r.KindPositions }
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
}
