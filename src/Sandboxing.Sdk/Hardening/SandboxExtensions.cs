using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// <c>Sandbox()</c>: hardens objects that other code generated. Every pod template (Pod, Deployment, StatefulSet, DaemonSet,
/// ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, the custom resources of <see cref="PodTemplateRegistry"/> read as
/// <see cref="UnstructuredObject"/>s, typed lists and collections of them) is visited exactly once;
/// its <c>runtimeClassName</c> is set and the runtime's tolerations are added. Nothing else changes (unless
/// <see cref="SandboxOptions.RunAsNonRootUser"/> asks for the non-root user too), and a second call changes nothing.
/// </summary>
/// <remarks>
/// Fails closed: a host-kernel runtime such as <c>runc</c> is refused (<c>pod.Sandbox("runc")</c> compiles through the implicit
/// conversion from string), and so is a lazy sequence (see <see cref="Sandbox{T}(IEnumerable{T}, SandboxOptions)"/>).
/// </remarks>
public static class SandboxExtensions
{
    /// <summary>Sandboxes every pod template of <paramref name="obj"/> with <paramref name="runtime"/> (default: AKS <c>kata-vm-isolation</c>).</summary>
    /// <returns>The same object, for chaining.</returns>
    /// <exception cref="SandboxException">
    /// The object opted out of sandboxing (see <see cref="SandboxOptions.SkipOptedOut"/>), a pod uses hostNetwork (SBX2001), or the
    /// runtime is not a sandbox class.
    /// </exception>
    public static T Sandbox<T>([SandboxesArgument] this T obj, SandboxRuntime runtime = default)
        where T : IKubernetesObject
        => obj.Sandbox(runtime == default ? SandboxOptions.Default : new SandboxOptions { Runtime = runtime });

    /// <summary>Sandboxes every pod template of <paramref name="obj"/> as <paramref name="options"/> say.</summary>
    /// <returns>The same object, for chaining.</returns>
    /// <exception cref="SandboxException">
    /// The runtime is not a sandbox class (<c>runc</c>, <c>nvidia</c>), the object opted out, or a pod uses hostNetwork (SBX2001):
    /// nothing is changed then.
    /// </exception>
    public static T Sandbox<T>([SandboxesArgument] this T obj, SandboxOptions options)
        where T : IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(options);
        options.Runtime.ThrowIfNotSandbox("Sandbox()");
        ThrowIfRefused(obj, options);
        PodTemplates.Visit(obj, options.PodTemplates, site => Harden(site, options));
        return obj;
    }

    /// <summary>Sandboxes every pod template of every object in <paramref name="objects"/>; other kinds are left alone.</summary>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="SandboxException"><paramref name="objects"/> is a lazy sequence (see <see cref="Sandbox{T}(IEnumerable{T}, SandboxOptions)"/>).</exception>
    public static IEnumerable<T> Sandbox<T>([SandboxesArgument] this IEnumerable<T> objects, SandboxRuntime runtime = default)
        where T : IKubernetesObject
        => objects.Sandbox(runtime == default ? SandboxOptions.Default : new SandboxOptions { Runtime = runtime });

    /// <summary>Sandboxes every pod template of every object in <paramref name="objects"/> as <paramref name="options"/> say.</summary>
    /// <remarks>
    /// <paramref name="objects"/> must be a materialised collection (an array, a list, a set: anything that implements
    /// <see cref="ICollection{T}"/>, <see cref="IReadOnlyCollection{T}"/> or <see cref="System.Collections.ICollection"/>). A lazy
    /// sequence such as <c>items.Select(Make)</c> is refused: it creates new objects on every enumeration, so the objects this call
    /// sandboxed would be thrown away and the next enumeration would yield unsandboxed ones. Write
    /// <c>items.Select(Make).ToList().Sandbox()</c> and use that list.
    /// </remarks>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="SandboxException">
    /// <paramref name="objects"/> is a lazy sequence, the runtime is not a sandbox class (<c>runc</c>, <c>nvidia</c>), or a pod uses
    /// hostNetwork (SBX2001): nothing is changed then.
    /// </exception>
    public static IEnumerable<T> Sandbox<T>([SandboxesArgument] this IEnumerable<T> objects, SandboxOptions options)
        where T : IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(options);
        if (objects is not (ICollection<T> or IReadOnlyCollection<T> or System.Collections.ICollection))
        {
            throw new SandboxException(
                $"Sandbox() was given a lazy sequence ({objects.GetType().Name}), such as a LINQ Select: each enumeration creates new " +
                "objects, so the sandboxed ones would be lost and the next enumeration would yield unsandboxed objects. " +
                "Materialise it first and keep the result: var objects = query.ToList(); objects.Sandbox();");
        }

        options.Runtime.ThrowIfNotSandbox("Sandbox()");
        ThrowIfRefused(objects, options);
        PodTemplates.Visit(objects, options.PodTemplates, site => Harden(site, options));
        return objects;
    }

    /// <summary>
    /// True when <paramref name="obj"/> has pod templates and each names a sandbox runtime class: a class of the catalog
    /// (<see cref="KnownRuntimeClasses"/>, <see cref="SandboxRuntime.Presets"/>), one named like a sandbox handler (<c>kata-…</c>),
    /// or one of <paramref name="runtimeClasses"/> whose handler is a sandbox. <c>runc</c>, <c>nvidia</c> and a class defined
    /// with a host-kernel handler are not, whatever the name.
    /// </summary>
    /// <param name="obj">The object to check.</param>
    /// <param name="runtimeClasses">The cluster's own RuntimeClasses (for example AKS's <c>small-kata-pods</c>); default none.</param>
    public static bool IsSandboxed(this IKubernetesObject obj, IEnumerable<RuntimeClassDefinition>? runtimeClasses = null)
    {
        var defined = runtimeClasses?.ToList() ?? [];
        bool any = false, all = true;
        PodTemplates.Visit(obj, PodTemplateRegistry.Default, site =>
        {
            any = true;
            var name = site.Spec.RuntimeClassName;
            all &= defined.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal)) is { } definition
                ? definition.IsSandbox
                : SandboxRuntime.IsSandboxClass(name);
        }, writeBack: false);
        return any && all;
    }

    /// <summary>
    /// Refuses, before anything changes, a pod the class would not make runnable (host networking): the fixer's check, so
    /// <c>Sandbox()</c> and <c>sandboxing fix</c> refuse the same pods. Opted-out pods are left to <see cref="Harden"/>.
    /// </summary>
    private static void ThrowIfRefused(object objects, SandboxOptions options) =>
        PodTemplates.Visit(objects, options.PodTemplates, site =>
        {
            var reason = SandboxAnnotations.FindExemption(site.Owner.Metadata, site.TemplateMetadata, SandboxAnnotations.Exempt, out _);
            if (string.IsNullOrWhiteSpace(reason) && SandboxValidator.RefusalOnceSandboxed(site.Spec) is { } rule)
            {
                throw new SandboxException(
                    $"{rule.Id}: {site.Describe()} uses hostNetwork, which Kata does not support, so Sandbox() did not set a runtime class " +
                    $"(the pod would not start). Remove hostNetwork, or opt the workload out with the annotation {SandboxAnnotations.Exempt}: \"<reason>\" " +
                    "(WithoutSandbox(reason) in the builders) and pass SandboxOptions { SkipOptedOut = true }.");
            }
        }, writeBack: false);

    private static void Harden(PodTemplateSite site, SandboxOptions options)
    {
        var reason = SandboxAnnotations.FindExemption(site.Owner.Metadata, site.TemplateMetadata, SandboxAnnotations.Exempt, out var path);
        // A blank reason is not an opt-out (the validator reports it as SBX1004): the object is hardened like any other.
        if (!string.IsNullOrWhiteSpace(reason))
        {
            if (options.SkipOptedOut)
            {
                return;
            }

            throw new SandboxException(
                $"{site.Describe()} opted out of sandboxing ({path}: \"{reason}\"), so Sandbox() will not change it. " +
                "Remove the annotation to sandbox it, or pass SandboxOptions { SkipOptedOut = true } to leave opted-out objects alone.");
        }

        var spec = site.Spec;
        spec.RuntimeClassName = options.Runtime.Name;
        Tolerations.AddMissing(spec, options.Runtime.SharedPodTolerations);
        if (options.Tolerations.Count > 0)
        {
            Tolerations.AddMissing(spec, options.Tolerations);
        }

        if (options.RunAsNonRootUser)
        {
            RunAsNonRootUser(spec, options);
        }
    }

    /// <summary>
    /// Fills what is missing in the pod's security context, never overrides: <c>runAsNonRoot: true</c>, and the user and group only
    /// when the pod names no user (a user chosen there keeps its own group; a container's own <c>runAsUser</c> still wins).
    /// </summary>
    private static void RunAsNonRootUser(V1PodSpec spec, SandboxOptions options)
    {
        var context = spec.SecurityContext ??= new V1PodSecurityContext();
        context.RunAsNonRoot ??= true;
        if (context.RunAsUser is null)
        {
            context.RunAsUser = options.RunAsUser;
            context.RunAsGroup ??= options.RunAsGroup;
        }
    }
}
