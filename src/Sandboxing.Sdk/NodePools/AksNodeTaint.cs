using k8s.Models;

namespace Sandboxing.Sdk.Aks;

/// <summary>A node taint of an agent pool, written <c>key=value:Effect</c> in ARM and az (<c>key:Effect</c> without a value).</summary>
public sealed class AksNodeTaint
{
    /// <summary>Creates a taint; the node pool's validation reports a key, value or effect Kubernetes would reject.</summary>
    /// <param name="key">The taint key, a Kubernetes qualified name such as <c>sandbox</c> or <c>sandboxing.sdk/runtime</c>.</param>
    /// <param name="value">The taint value, or null.</param>
    /// <param name="effect"><c>NoSchedule</c>, <c>PreferNoSchedule</c> or <c>NoExecute</c>.</param>
    public AksNodeTaint(string key, string? value, string effect)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(effect);
        Key = key;
        Value = value;
        Effect = effect;
    }

    /// <summary>The taint key, a Kubernetes qualified name such as <c>sandbox</c> or <c>sandboxing.sdk/runtime</c>.</summary>
    public string Key { get; }

    /// <summary>The taint value, or null.</summary>
    public string? Value { get; }

    /// <summary><c>NoSchedule</c>, <c>PreferNoSchedule</c> or <c>NoExecute</c>.</summary>
    public string Effect { get; }

    /// <summary>The taint the SDK suggests for a sandboxing pool: <c>sandboxing.sdk/runtime=kata:NoSchedule</c>.</summary>
    public static AksNodeTaint SandboxDefault { get; } = new("sandboxing.sdk/runtime", "kata", "NoSchedule");

    /// <summary>Validates the taint as Kubernetes would; null when valid, otherwise what is wrong.</summary>
    internal string? Problem()
    {
        if (KubernetesNames.CheckQualifiedName(Key) is { } keyError)
        {
            return $"taint key '{Key}' is not valid: {keyError}";
        }

        if (Value is not null && KubernetesNames.CheckLabelValue(Value) is { } valueError)
        {
            return $"taint value '{Value}' of key '{Key}' is not valid: {valueError}";
        }

        return Effect is "NoSchedule" or "PreferNoSchedule" or "NoExecute"
            ? null
            : $"taint effect '{Effect}' of key '{Key}' is not one of NoSchedule, PreferNoSchedule, NoExecute";
    }

    /// <summary>True when pods without a matching toleration are kept off the node (<c>NoSchedule</c>, <c>NoExecute</c>).</summary>
    public bool RepelsPods => Effect is "NoSchedule" or "NoExecute";

    /// <summary>The toleration that matches this taint exactly (operator <c>Equal</c>, or <c>Exists</c> without a value).</summary>
    public V1Toleration ToToleration() => new()
    {
        Key = Key,
        OperatorProperty = Value is null ? "Exists" : "Equal",
        Value = Value,
        Effect = Effect,
    };

    /// <summary>True when <paramref name="toleration"/> tolerates this taint, by the Kubernetes matching rules.</summary>
    public bool IsToleratedBy(V1Toleration? toleration)
    {
        if (toleration is null)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != Effect)
        {
            return false;
        }

        bool exists = toleration.OperatorProperty == "Exists";
        if (string.IsNullOrEmpty(toleration.Key))
        {
            return exists; // an empty key with Exists tolerates everything
        }

        if (toleration.Key != Key)
        {
            return false;
        }

        return exists || (toleration.Value ?? "") == (Value ?? "");
    }

    /// <summary>Parses <c>key=value:Effect</c> or <c>key:Effect</c>.</summary>
    /// <exception cref="ArgumentException">The text is not a taint.</exception>
    public static AksNodeTaint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw new ArgumentException(
                $"{SandboxRules.NodePoolInvalidSetting.Id}: nodeTaints: '{text}' is not a taint; write key=value:Effect, for example 'sandboxing.sdk/runtime=kata:NoSchedule'.",
                nameof(text));
        }

        string keyValue = text.Substring(0, colon);
        string effect = text.Substring(colon + 1);
        int eq = keyValue.IndexOf('=');
        return eq < 0 ? new AksNodeTaint(keyValue, null, effect) : new AksNodeTaint(keyValue.Substring(0, eq), keyValue.Substring(eq + 1), effect);
    }

    /// <summary><c>key=value:Effect</c>, as ARM and az write it.</summary>
    public override string ToString() => Value is null ? $"{Key}:{Effect}" : $"{Key}={Value}:{Effect}";
}
