using k8s;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// The part shared by the builders of workloads that hold a pod template (<c>spec.template</c>): everything
/// <see cref="WorkloadBuilder{TSelf, TObject}"/> does, on the template's metadata and spec, whose labels follow the object's.
/// </summary>
/// <typeparam name="TSelf">The concrete builder, returned by every method for chaining.</typeparam>
/// <typeparam name="TObject">The model it builds.</typeparam>
public abstract class PodTemplateWorkloadBuilder<TSelf, TObject> : WorkloadBuilder<TSelf, TObject>
    where TSelf : PodTemplateWorkloadBuilder<TSelf, TObject>
    where TObject : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Where the pod spec is in most workload kinds.</summary>
    private protected const string TemplateSpecPath = "spec.template.spec";

    /// <summary>Starts a new object: <paramref name="create"/> wraps a fresh pod template in the kind's spec.</summary>
    /// <param name="name">The object's name, already checked.</param>
    /// <param name="create">Builds the object around the template, given the name (for the selector) and the template.</param>
    /// <param name="specPath">Where the template's pod spec is in the object.</param>
    private protected PodTemplateWorkloadBuilder(string name, Func<string, V1PodTemplateSpec, TObject> create, string specPath = TemplateSpecPath)
        : this(name, new V1PodTemplateSpec { Metadata = new V1ObjectMeta(), Spec = new V1PodSpec() }, create, specPath)
    {
    }

    private PodTemplateWorkloadBuilder(string name, V1PodTemplateSpec template, Func<string, V1PodTemplateSpec, TObject> create, string specPath)
        : base(name, create(name, template), template.Spec, template.Metadata, specPath)
    {
    }

    /// <summary>Edits a copy: <paramref name="templateOf"/> returns the copy's pod template, creating the missing levels.</summary>
    private protected PodTemplateWorkloadBuilder(TObject copy, Func<TObject, V1PodTemplateSpec?> templateOf, string specPath = TemplateSpecPath)
        : this(copy, CompleteTemplate(templateOf(copy)), specPath)
    {
    }

    private PodTemplateWorkloadBuilder(TObject copy, V1PodTemplateSpec template, string specPath)
        : base(copy, template.Spec, template.Metadata, specPath)
    {
    }

    /// <summary>The selector that matches the pods of a workload named <paramref name="name"/> (by <see cref="WorkloadBuilder{TSelf, TObject}.NameLabel"/>).</summary>
    private protected static V1LabelSelector SelectorFor(string name) =>
        new() { MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal) { [NameLabel] = name } };

    /// <summary>Gives a copied template the metadata and spec the builder edits (the template object itself is already in place).</summary>
    private static V1PodTemplateSpec CompleteTemplate(V1PodTemplateSpec? template)
    {
        if (template is null)
        {
            throw new InvalidOperationException("The kind's template accessor must create the pod template when it is missing.");
        }

        template.Metadata ??= new V1ObjectMeta();
        template.Spec ??= new V1PodSpec();
        return template;
    }
}
