using k8s;
using k8s.Models;
using Sandboxing.Sdk.Catalog;
using Sandboxing.Sdk.Objects;
using Sandboxing.Sdk.Runtimes;

namespace Sandboxing.Sdk.Hardening;

/// <summary>
/// <c>Sandbox()</c>: hardens objects that other code generated. Every pod template (Pod, Deployment, StatefulSet, DaemonSet,
/// ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, typed lists and collections of them) is visited exactly once;
/// its <c>runtimeClassName</c> is set and the runtime's tolerations are added. Nothing else changes, and a second call changes nothing.
/// </summary>
public static class SandboxExtensions
{
    /// <summary>Sandboxes every pod template of <paramref name="obj"/> with <paramref name="runtime"/> (default: AKS <c>kata-vm-isolation</c>).</summary>
    /// <returns>The same object, for chaining.</returns>
    /// <exception cref="SandboxException">The object opted out of sandboxing (see <see cref="SandboxOptions.OptOuts"/>).</exception>
    public static T Sandbox<T>([SandboxesArgument] this T obj, SandboxRuntime runtime = default)
        where T : IKubernetesObject
        => obj.Sandbox(runtime == default ? SandboxOptions.Default : SandboxOptions.Default with { Runtime = runtime });

    /// <summary>Sandboxes every pod template of <paramref name="obj"/> as <paramref name="options"/> say.</summary>
    /// <returns>The same object, for chaining.</returns>
    public static T Sandbox<T>([SandboxesArgument] this T obj, SandboxOptions options)
        where T : IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(options);
        PodTemplates.Visit(obj, site => Harden(site, options));
        return obj;
    }

    /// <summary>Sandboxes every pod template of every object in <paramref name="objects"/>; other kinds are left alone.</summary>
    /// <returns>The same collection, for chaining.</returns>
    public static IEnumerable<T> Sandbox<T>([SandboxesArgument] this IEnumerable<T> objects, SandboxRuntime runtime = default)
        => objects.Sandbox(runtime == default ? SandboxOptions.Default : SandboxOptions.Default with { Runtime = runtime });

    /// <summary>Sandboxes every pod template of every object in <paramref name="objects"/> as <paramref name="options"/> say.</summary>
    /// <returns>The same collection, for chaining.</returns>
    public static IEnumerable<T> Sandbox<T>([SandboxesArgument] this IEnumerable<T> objects, SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(options);
        PodTemplates.Visit(objects, site => Harden(site, options));
        return objects;
    }

    /// <summary>True when <paramref name="obj"/>'s pod templates all name a runtime class and none of them is blank.</summary>
    public static bool IsSandboxed(this IKubernetesObject obj)
    {
        bool any = false, all = true;
        PodTemplates.Visit(obj, site =>
        {
            any = true;
            all &= !string.IsNullOrWhiteSpace(site.Spec.RuntimeClassName);
        });
        return any && all;
    }

    private static void Harden(PodTemplateSite site, SandboxOptions options)
    {
        var reason = SandboxAnnotations.FindExemption(site.Owner.Metadata, site.TemplateMetadata, SandboxAnnotations.Exempt, out var path);
        // A blank reason is not an opt-out (the validator reports it as SBX1004): the object is hardened like any other.
        if (!string.IsNullOrWhiteSpace(reason))
        {
            if (options.OptOuts == OptOutHandling.Skip)
            {
                return;
            }

            throw new SandboxException(
                $"{site.Describe()} opted out of sandboxing ({path}: \"{reason}\"), so Sandbox() will not change it. " +
                "Remove the annotation to sandbox it, or pass SandboxOptions { OptOuts = OptOutHandling.Skip } to leave opted-out objects alone.");
        }

        var spec = site.Spec;
        spec.RuntimeClassName = options.Runtime.Name;
        Tolerations.AddMissing(spec, options.Runtime.SharedPodTolerations);
        if (options.Tolerations.Count > 0)
        {
            Tolerations.AddMissing(spec, options.Tolerations);
        }
    }
}
