using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// The pod specs of an <see cref="UnstructuredObject"/> whose kind is in the registry, as typed models: each spec (and the pods'
/// metadata) is read into a <see cref="V1PodSpec"/> through KubernetesClient's JSON binding, and what a visitor changes in it is
/// written back into the object's plain fields, field by field, so that every field the model does not know (Knative's
/// <c>containerConcurrency</c>, Spark's <c>cores</c>) and every unchanged value keeps its form and place.
/// </summary>
internal static class UnstructuredPods
{
    private static readonly PodSpecLocator s_locator = new(
        (node, key) => node is IDictionary<string, object?> map && map.TryGetValue(key, out var value) ? value : null,
        node => node switch
        {
            IDictionary<string, object?> map => map.Where(e => e.Value is not null).Select(e => (e.Key, false, e.Value!)),
            IList<object?> list => list.Select((item, i) => (i.ToString(CultureInfo.InvariantCulture), true, item)).Where(c => c.Item3 is not null).Select(c => (c.Item1, c.Item2, c.Item3!)),
            _ => null,
        });

    /// <summary>The object's pod specs, bound; empty when its kind is not in <paramref name="registry"/>.</summary>
    /// <exception cref="SandboxException">A pod spec does not fit the PodSpec model (the message names the field path).</exception>
    public static List<(PodTemplateSite Site, IDictionary<string, object?> Map)> Sites(UnstructuredObject obj, PodTemplateRegistry registry)
    {
        var result = new List<(PodTemplateSite, IDictionary<string, object?>)>();
        if (registry.Find(obj.ApiVersion, obj.Kind) is not { } kind)
        {
            return result;
        }

        foreach (var located in s_locator.Locate(obj.Fields, kind))
        {
            if (located.Spec is not IDictionary<string, object?> map)
            {
                continue; // not a mapping: the API server refuses the object; there is no pod spec to check
            }

            var spec = Bind<V1PodSpec>(obj, map, located.SpecPath);
            var metadata = located.MetadataPath == "metadata" ? obj.Metadata
                : Follow(obj.Fields, located.MetadataPath) is IDictionary<string, object?> meta ? Bind<V1ObjectMeta>(obj, meta, located.MetadataPath) : null;
            var site = new PodTemplateSite(obj, metadata, spec, located.SpecPath, Replicas(obj, located));
            result.Add((site, map));
        }

        return result;
    }

    /// <summary>Visits each pod spec and writes what <paramref name="visit"/> changed in it back into the object.</summary>
    public static void Visit(UnstructuredObject obj, PodTemplateRegistry registry, Action<PodTemplateSite> visit, bool writeBack = true)
    {
        foreach (var (site, map) in Sites(obj, registry))
        {
            if (!writeBack)
            {
                visit(site);
                continue;
            }

            // A pod spec always serializes to an object; Merge writes only what changed, so an untouched spec stays as read.
            var before = JsonNode.Parse(KubernetesJson.Serialize(site.Spec))!.AsObject();
            visit(site);
            var after = JsonNode.Parse(KubernetesJson.Serialize(site.Spec))!.AsObject();
            Merge(map, before, after);
        }
    }

    private static T Bind<T>(UnstructuredObject obj, IDictionary<string, object?> map, string path)
    {
        try
        {
            return KubernetesJson.Deserialize<T>(ToNode(map)!.ToJsonString());
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new SandboxException($"{PodTemplates.Describe(obj)}: {path} is not a valid {typeof(T).Name[2..]}: {e.Message}", e);
        }
    }

    private static int? Replicas(UnstructuredObject obj, LocatedPodSpec located)
    {
        if (located.ReplicasPath is not { } path || Follow(obj.Fields, path) is not { } value)
        {
            return located.Declared.DefaultReplicas;
        }

        return value switch
        {
            long l => (int)Math.Clamp(l, 0, int.MaxValue),
            double d => (int)Math.Clamp(d, 0, int.MaxValue),
            string s when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var i) => i,
            _ => located.Declared.DefaultReplicas,
        };
    }

    /// <summary>The value at a concrete path (<c>spec.workerGroupSpecs[1].replicas</c>, <c>a['b.c']</c>), or null.</summary>
    internal static object? Follow(object? node, string path)
    {
        int i = 0;
        while (node is not null && i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
                continue;
            }

            if (path[i] == '[')
            {
                bool quoted = i + 1 < path.Length && path[i + 1] == '\'';
                int close = quoted ? path.IndexOf("']", i, StringComparison.Ordinal) : path.IndexOf(']', i);
                if (close < 0)
                {
                    return null;
                }

                var key = quoted ? path[(i + 2)..close] : path[(i + 1)..close];
                node = quoted
                    ? (node is IDictionary<string, object?> m && m.TryGetValue(key, out var v) ? v : null)
                    : (node is IList<object?> list && int.TryParse(key, CultureInfo.InvariantCulture, out int index) && index >= 0 && index < list.Count ? list[index] : null);
                i = close + (quoted ? 2 : 1);
                continue;
            }

            int end = path.IndexOfAny(['.', '['], i);
            end = end < 0 ? path.Length : end;
            node = node is IDictionary<string, object?> map && map.TryGetValue(path[i..end], out var next) ? next : null;
            i = end;
        }

        return node;
    }

    /// <summary>Applies to <paramref name="target"/> exactly the differences between <paramref name="before"/> and <paramref name="after"/>.</summary>
    private static void Merge(IDictionary<string, object?> target, JsonObject before, JsonObject after)
    {
        foreach (var (key, value) in after)
        {
            var old = before[key];
            if (before.ContainsKey(key) && JsonNode.DeepEquals(old, value))
            {
                continue;
            }

            if (old is JsonObject oldMap && value is JsonObject newMap && target.TryGetValue(key, out var existing) && existing is IDictionary<string, object?> targetMap)
            {
                Merge(targetMap, oldMap, newMap);
            }
            else if (old is JsonArray oldList && value is JsonArray newList && target.TryGetValue(key, out existing) && existing is IList<object?> targetList
                && targetList.Count == oldList.Count && newList.Count >= oldList.Count)
            {
                for (int i = 0; i < newList.Count; i++)
                {
                    if (i >= oldList.Count)
                    {
                        targetList.Add(ToPlain(newList[i]));
                    }
                    else if (oldList[i] is JsonObject a && newList[i] is JsonObject b && targetList[i] is IDictionary<string, object?> t)
                    {
                        Merge(t, a, b);
                    }
                    else if (!JsonNode.DeepEquals(oldList[i], newList[i]))
                    {
                        targetList[i] = ToPlain(newList[i]);
                    }
                }
            }
            else
            {
                target[key] = ToPlain(value);
            }
        }

        foreach (var (key, _) in before)
        {
            if (!after.ContainsKey(key))
            {
                target.Remove(key);
            }
        }
    }

    /// <summary>An object as JSON: apiVersion, kind, metadata (as KubernetesClient writes it) and every field.</summary>
    internal static JsonObject ToJson(UnstructuredObject obj)
    {
        var json = new JsonObject
        {
            ["apiVersion"] = obj.ApiVersion,
            ["kind"] = obj.Kind,
            ["metadata"] = JsonNode.Parse(KubernetesJson.Serialize(obj.Metadata ?? new V1ObjectMeta())),
        };
        foreach (var (key, value) in obj.Fields)
        {
            json[key] = ToNode(value);
        }

        return json;
    }

    /// <summary>An object from JSON (an API server's answer).</summary>
    internal static UnstructuredObject FromJson(JsonObject json)
    {
        var obj = new UnstructuredObject((string?)json["apiVersion"] ?? "v1", (string?)json["kind"] ?? "Unknown")
        {
            Metadata = json["metadata"] is JsonObject meta ? KubernetesJson.Deserialize<V1ObjectMeta>(meta.ToJsonString()) : new V1ObjectMeta(),
        };
        foreach (var (key, value) in json)
        {
            if (key is not ("apiVersion" or "kind" or "metadata"))
            {
                obj.Fields[key] = ToPlain(value);
            }
        }

        return obj;
    }

    /// <summary>
    /// Plain data as JSON, written by hand rather than by reflection-based serialisation (which native AOT builds leave out).
    /// </summary>
    internal static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        long number => JsonValue.Create(number),
        int number => JsonValue.Create(number),
        double number => JsonValue.Create(number),
        decimal number => JsonValue.Create(number),
        IDictionary<string, object?> map => new JsonObject(map.Select(e => KeyValuePair.Create(e.Key, ToNode(e.Value)))),
        System.Collections.IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToNode).ToArray()),
        IFormattable formattable => JsonValue.Create(formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value.ToString()),
    };

    /// <summary>A JSON value as the plain data of <see cref="UnstructuredObject.Fields"/>.</summary>
    internal static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject map => map.ToDictionary(e => e.Key, e => ToPlain(e.Value), StringComparer.Ordinal),
        JsonArray list => list.Select(ToPlain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetValue<long>(out var l) => l,
            JsonValueKind.Number => value.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };
}
