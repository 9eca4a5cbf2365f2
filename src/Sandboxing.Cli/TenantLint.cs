using k8s;
using k8s.Models;
using Sandboxing.Sdk;

namespace Sandboxing.Cli;

/// <summary>
/// The tenant-isolation rules (SBX4xxx) in <c>sandboxing lint</c>: a file that defines a tenant namespace (one labelled
/// <c>sandboxing.sdk/tenant</c>) is also checked by <see cref="TenantValidator"/>, and each finding is placed at its object.
/// </summary>
internal static class TenantLint
{
    /// <summary>The tenant findings of <paramref name="source"/>; none when it defines no tenant namespace.</summary>
    public static IReadOnlyList<ManifestFinding> Check(ManifestSource source, ManifestReadOptions read)
    {
        // Most files define no tenant: they pay one substring search.
        if (!source.Text.Contains(TenantLabels.Tenant, StringComparison.Ordinal))
        {
            return [];
        }

        IReadOnlyList<ManifestObject> objects;
        try
        {
            objects = SandboxManifest.ReadWithLocations(source, read);
        }
        catch (ManifestException)
        {
            return []; // the linter has already reported why the file cannot be read
        }

        var findings = new List<ManifestFinding>();
        foreach (var finding in TenantValidator.Validate(objects.Select(o => (object)o.Object)))
        {
            if (!finding.RuleId.StartsWith("SBX4", StringComparison.Ordinal))
            {
                continue; // pod findings come from the linter itself, with their field's line
            }

            var at = objects.FirstOrDefault(o => Is(o.Object, finding.Kind, finding.Namespace, finding.Name));
            findings.Add(new ManifestFinding(finding, source.Name, at?.Line ?? 1, at?.Column ?? 1, at?.DocumentIndex ?? 0, FieldExists: false));
        }

        return findings;
    }

    private static bool Is(IKubernetesObject obj, string kind, string? ns, string? name) =>
        obj.Kind == kind && obj is IKubernetesObject<V1ObjectMeta> { Metadata: var meta }
        && meta?.Name == name && (string.IsNullOrEmpty(ns) || meta?.NamespaceProperty == ns || (kind == "Namespace" && meta?.Name == ns));
}
