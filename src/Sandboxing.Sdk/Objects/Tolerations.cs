using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>Toleration helpers shared by the hardening, the builders and both capacity checks, with Kubernetes' matching rules.</summary>
internal static class Tolerations
{
    /// <summary>A copy, so that a runtime's or pool's tolerations are never shared between pod specs.</summary>
    public static V1Toleration Clone(V1Toleration t) =>
        new() { Key = t.Key, OperatorProperty = t.OperatorProperty, Value = t.Value, Effect = t.Effect, TolerationSeconds = t.TolerationSeconds };

    /// <summary>Adds each toleration the spec does not already have (same key, operator, value and effect), as a copy.</summary>
    public static void AddMissing(V1PodSpec spec, IReadOnlyList<V1Toleration> tolerations)
    {
        foreach (var toleration in tolerations)
        {
            spec.Tolerations ??= new List<V1Toleration>();
            bool present = false;
            foreach (var existing in spec.Tolerations)
            {
                if (existing is not null && existing.Key == toleration.Key && existing.Value == toleration.Value
                    && existing.Effect == toleration.Effect
                    && (existing.OperatorProperty ?? "Equal") == (toleration.OperatorProperty ?? "Equal"))
                {
                    present = true;
                    break;
                }
            }

            if (!present)
            {
                spec.Tolerations.Add(Clone(toleration));
            }
        }
    }

    /// <summary>True when the tolerations cover every NoSchedule/NoExecute taint (Kubernetes' matching rules).</summary>
    public static bool Tolerate(IReadOnlyList<V1Toleration> tolerations, IReadOnlyList<V1Taint> taints) =>
        taints.All(taint => tolerations.Any(t =>
            (string.IsNullOrEmpty(t.Effect) || t.Effect == taint.Effect)
            && (string.IsNullOrEmpty(t.Key) ? t.OperatorProperty == "Exists" : t.Key == taint.Key)
            && (t.OperatorProperty == "Exists" || (t.Value ?? "") == (taint.Value ?? ""))));
}
