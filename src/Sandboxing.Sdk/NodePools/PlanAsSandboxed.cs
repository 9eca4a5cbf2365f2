namespace Sandboxing.Sdk.Aks;

/// <summary>
/// Lets the CLI's <c>plan</c> size manifests that are not sandboxed yet: their pods are planned as if they were, as the linter
/// reads them "once runtimeClassName is set", instead of being left out of a Kata plan that would then say "enough".
/// </summary>
internal static class PlanAsSandboxed
{
    /// <summary>
    /// Gives every pod template of <paramref name="workloads"/> that has no runtime class and does not opt out the pool's runtime
    /// class and the tolerations of its taints (in place: the caller's own parsed objects).
    /// </summary>
    /// <returns>The workloads changed, as "Kind namespace/name", each once, in order.</returns>
    public static IReadOnlyList<string> Apply(AksNodePool pool, IEnumerable<object> workloads, PodTemplateRegistry registry)
    {
        var changed = new List<string>();
        var taints = pool.NodeTaints.Where(t => t.RepelsPods).ToList();
        foreach (var workload in workloads)
        {
            PodTemplates.Visit(workload, registry, site =>
            {
                if (!string.IsNullOrWhiteSpace(site.Spec.RuntimeClassName)
                    || SandboxAnnotations.FindExemption(site.Owner.Metadata, site.TemplateMetadata, SandboxAnnotations.Exempt, out _) is not null)
                {
                    return;
                }

                site.Spec.RuntimeClassName = pool.RuntimeClassName;
                var tolerations = (site.Spec.Tolerations ?? []).Where(t => t is not null).ToList();
                tolerations.AddRange(taints.Where(t => !tolerations.Any(t.IsToleratedBy)).Select(t => t.ToToleration()));
                site.Spec.Tolerations = tolerations.Count > 0 ? tolerations : site.Spec.Tolerations;
                string name = site.Describe();
                if (!changed.Contains(name))
                {
                    changed.Add(name);
                }
            });
        }

        return changed;
    }
}
