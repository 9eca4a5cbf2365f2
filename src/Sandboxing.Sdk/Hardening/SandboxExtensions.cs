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
    /// <exception cref="SandboxException">The object opted out of sandboxing (see <see cref="SandboxOptions.SkipOptedOut"/>).</exception>
    public static T Sandbox<T>([SandboxesArgument] this T obj, SandboxRuntime runtime = default)
        where T : IKubernetesObject
        => obj.Sandbox(runtime == default ? SandboxOptions.Default : new SandboxOptions { Runtime = runtime });

    /// <summary>Sandboxes every pod template of <paramref name="obj"/> as <paramref name="options"/> say.</summary>
    /// <returns>The same object, for chaining.</returns>
    /// <exception cref="SandboxException">The runtime is a host-kernel runtime such as <c>runc</c>, or the object opted out.</exception>
    public static T Sandbox<T>([SandboxesArgument] this T obj, SandboxOptions options)
        where T : IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(options);
        options.Runtime.ThrowIfHostKernel("Sandbox()");
        PodTemplates.Visit(obj, options.PodTemplates, site => Harden(site, options));
        return obj;
    }

    /// <summary>Sandboxes every pod template of every object in <paramref name="objects"/>; other kinds are left alone.</summary>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="SandboxException"><paramref name="objects"/> is a lazy sequence (see <see cref="Sandbox{T}(IEnumerable{T}, SandboxOptions)"/>).</exception>
    public static IEnumerable<T> Sandbox<T>([SandboxesArgument] this IEnumerable<T> objects, SandboxRuntime runtime = default)
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
    /// <exception cref="SandboxException"><paramref name="objects"/> is a lazy sequence, or the runtime is a host-kernel runtime such as <c>runc</c>.</exception>
    public static IEnumerable<T> Sandbox<T>([SandboxesArgument] this IEnumerable<T> objects, SandboxOptions options)
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

        options.Runtime.ThrowIfHostKernel("Sandbox()");
        PodTemplates.Visit(objects, options.PodTemplates, site => Harden(site, options));
        return objects;
    }

    /// <summary>True when <paramref name="obj"/>'s pod templates all name a runtime class and none of them is blank.</summary>
    public static bool IsSandboxed(this IKubernetesObject obj)
    {
        bool any = false, all = true;
        PodTemplates.Visit(obj, PodTemplateRegistry.Default, site =>
        {
            any = true;
            all &= !string.IsNullOrWhiteSpace(site.Spec.RuntimeClassName);
        }, writeBack: false);
        return any && all;
    }

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
