using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// The tenant rules (SBX4xxx) in the linter: the tenant checks (<see cref="TenantValidator"/>) check the objects of the inputs (each file alone, or
/// all together with <see cref="ManifestLintProfile.Tenant"/>), and each finding is placed at its field in its file.
/// </summary>
internal static class TenantFindings
{
    /// <summary>The tenant findings of each source, in the order of <paramref name="sources"/>.</summary>
    public static List<ManifestFinding>[] Find(IReadOnlyList<ManifestSource> sources, ManifestLintOptions options)
    {
        var found = sources.Select(_ => new List<ManifestFinding>()).ToArray();

        // Most files define no tenant: they pay one substring search. The validator needs a tenant namespace among its objects.
        var tenants = Enumerable.Range(0, sources.Count).Where(i => sources[i].Text.Contains(TenantIsolation.TenantLabel, StringComparison.Ordinal)).ToList();
        if (tenants.Count == 0)
        {
            return found;
        }

        List<List<int>> groups = options.Profile == ManifestLintProfile.Tenant
            ? [Enumerable.Range(0, sources.Count).ToList()]
            : tenants.Select(i => new List<int> { i }).ToList();
        foreach (var group in groups)
        {
            var objects = new List<(int Source, ManifestObject Object)>();
            foreach (int i in group)
            {
                try
                {
                    objects.AddRange(SandboxManifest.ReadWithNodes(sources[i], options.Read).Select(o => (i, o)));
                }
                catch (ManifestException)
                {
                    // The pod rules have already reported why the file cannot be read; the other files are still checked.
                }
            }

            foreach (var finding in TenantValidator.Validate(objects.Select(o => (object)o.Object.Object)))
            {
                if (finding.Rule.Category != SandboxRules.TenancyCategory)
                {
                    continue; // pod findings come from the pod rules, with the validation options the caller chose
                }

                var (source, at) = objects.FirstOrDefault(o => Is(o.Object.Object, finding.Kind, finding.Namespace, finding.Name));
                if (at?.Node is not { } node)
                {
                    continue;
                }

                var mark = ManifestPaths.Locate(node, finding.Path, out bool exists);
                found[source].Add(new ManifestFinding(finding, sources[source].Name, (int)mark.Line, (int)mark.Column, at.DocumentIndex, exists));
            }
        }

        return found;
    }

    private static bool Is(IKubernetesObject obj, string kind, string? ns, string? name) =>
        obj.Kind == kind && obj is IKubernetesObject<V1ObjectMeta> { Metadata: var meta }
        && meta?.Name == name && (string.IsNullOrEmpty(ns) || meta?.NamespaceProperty == ns || (kind == "Namespace" && meta?.Name == ns));
}
