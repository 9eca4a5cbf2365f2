using System.Collections;
using System.Reflection;
using k8s;
using k8s.Models;
using Sandboxing.Sdk;
using Sandboxing.Sdk.Aks;

namespace Sandboxing.Analyzers.Tests;

/// <summary>
/// The analyzer knows the SDK's sandboxing entry points only by <see cref="SandboxesArgumentAttribute"/>. This test finds them by
/// behaviour: every public SDK method that takes a Kubernetes object (or a collection of them) is called on a fresh, unsandboxed
/// object with the simplest other arguments; when the object (or what the builder the call returns builds) ends up with a
/// runtime class, the parameter must carry the marker, and a marked parameter must do so.
/// </summary>
public class MarkerCoverageTests
{
    private static readonly Assembly Sdk = typeof(SandboxExtensions).Assembly;

    [Fact]
    public void Every_sdk_method_that_sandboxes_its_argument_carries_the_marker()
    {
        var sandboxing = new List<string>();
        var missing = new List<string>();
        var lying = new List<string>();
        foreach (var method in CandidateMethods())
        {
            for (int i = 0; i < method.GetParameters().Length; i++)
            {
                var parameter = method.GetParameters()[i];
                var marked = parameter.IsDefined(typeof(SandboxesArgumentAttribute), inherit: false);
                foreach (var sample in Samples())
                {
                    if (Sandboxes(method, i, sample) is not { } sets)
                    {
                        continue; // the method does not take this kind of object
                    }

                    var name = $"{method.DeclaringType!.Name}.{method.Name}({parameter.Name}: {sample().GetType().Name})";
                    if (sets)
                    {
                        sandboxing.Add(name);
                        if (!marked)
                        {
                            missing.Add(name);
                        }
                    }
                    else if (marked)
                    {
                        lying.Add(name);
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, "sandbox their argument without [SandboxesArgument]:\n" + string.Join("\n", missing));
        Assert.True(lying.Count == 0, "carry [SandboxesArgument] but left the argument unsandboxed:\n" + string.Join("\n", lying));

        // The behaviour search must find the entry points the docs teach, or it proves nothing.
        foreach (var expected in new[] { "SandboxExtensions.Sandbox(obj", "SandboxExtensions.Sandbox(objects", "NodePoolExtensions.Sandbox(obj", "NodePoolExtensions.Sandbox(objects", "Sandboxed.From(existing" })
        {
            Assert.Contains(sandboxing, s => s.StartsWith(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Every_builder_returns_a_sandboxed_object_from_a_marked_Build()
    {
        var factories = typeof(Sandboxing.Sdk.Sandboxed).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.GetParameters().All(p => p.ParameterType == typeof(string)))
            .ToList();
        Assert.True(factories.Count >= 7, "expected the builder factories, found " + factories.Count);
        foreach (var factory in factories)
        {
            var builder = factory.Invoke(null, factory.GetParameters().Select(p => (object)(p.Name == "schedule" ? "*/5 * * * *" : "web")).ToArray())!;
            builder.GetType().GetMethod("WithContainer", [typeof(string), typeof(string), typeof(Action<Sandboxing.Sdk.ContainerBuilder>)])!
                .Invoke(builder, ["app", "nginx:1.27", (Action<Sandboxing.Sdk.ContainerBuilder>)(c => c.WithResources(cpu: "1", memory: "1Gi"))]);
            var build = builder.GetType().GetMethod("Build", Type.EmptyTypes)!;
            var built = (IKubernetesObject)build.Invoke(builder, null)!;
            Assert.True(built.IsSandboxed(), factory.Name + "(…).Build() is not sandboxed");
            Assert.True(build.ReturnParameter.IsDefined(typeof(SandboxesArgumentAttribute), inherit: false), factory.Name + "(…).Build() lacks [return: SandboxesArgument]");
        }
    }

    private static IEnumerable<MethodInfo> CandidateMethods() =>
        Sdk.GetExportedTypes()
            .Where(t => t.Namespace is not null && !t.Namespace.EndsWith(".Cluster", StringComparison.Ordinal)) // Cluster needs an API server
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => !m.IsSpecialName && !m.IsAbstract && m.DeclaringType != typeof(object))
            .Where(m => !m.GetParameters().Any(p => p.ParameterType == typeof(string)
                && (p.Name!.Contains("path", StringComparison.OrdinalIgnoreCase) || p.Name.Contains("file", StringComparison.OrdinalIgnoreCase))));

    /// <summary>Fresh unsandboxed objects of the kinds the SDK hardens, and collections of them.</summary>
    private static IEnumerable<Func<object>> Samples()
    {
        yield return () => new V1Pod { Metadata = new V1ObjectMeta { Name = "p" }, Spec = NewSpec() };
        yield return () => new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "d" },
            Spec = new V1DeploymentSpec { Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta(), Spec = NewSpec() } },
        };
        yield return () => new V1Job { Metadata = new V1ObjectMeta { Name = "j" }, Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta(), Spec = NewSpec() } } };
        yield return () => new List<V1Pod> { new() { Metadata = new V1ObjectMeta { Name = "l" }, Spec = NewSpec() } };
    }

    private static V1PodSpec NewSpec() => new()
    {
        Containers = [new V1Container { Name = "app", Image = "nginx:1.27", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("1Gi"), ["cpu"] = new("1") }, Requests = new Dictionary<string, ResourceQuantity> { ["memory"] = new("1Gi"), ["cpu"] = new("1") } } }],
    };

    /// <summary>Null when <paramref name="method"/> cannot take the sample at <paramref name="index"/>; otherwise whether the call sandboxed it.</summary>
    private static bool? Sandboxes(MethodInfo method, int index, Func<object> sample)
    {
        var value = sample();
        if (Close(method, index, value.GetType()) is not { } closed || !closed.GetParameters()[index].ParameterType.IsInstanceOfType(value))
        {
            return null;
        }

        var parameters = closed.GetParameters();
        var arguments = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            arguments[i] = i == index ? value : SimplestValue(parameters[i]);
        }

        object? instance = null;
        if (!closed.IsStatic && (instance = InstanceOf(closed.DeclaringType!)) is null)
        {
            return null;
        }

        object? result;
        try
        {
            result = closed.Invoke(instance, arguments);
            if (result is not null and not IKubernetesObject and not IEnumerable && result.GetType().GetMethod("Build", Type.EmptyTypes) is { } build)
            {
                result = build.Invoke(result, null); // a builder: the argument is sandboxed when it is built
            }
        }
        catch (TargetInvocationException)
        {
            return false; // the simplest arguments are not valid for this method: it sandboxed nothing here
        }

        return IsSandboxed(value) || (result is not null && !ReferenceEquals(result, value) && result is IKubernetesObject built && IsSandboxed(built));
    }

    private static bool IsSandboxed(object value) => value switch
    {
        IKubernetesObject obj => obj.IsSandboxed(),
        IEnumerable<IKubernetesObject> objects => objects.Any() && objects.All(o => o.IsSandboxed()),
        _ => false,
    };

    /// <summary>The method with its type parameters closed over the sample's type (or its element type), or null.</summary>
    private static MethodInfo? Close(MethodInfo method, int index, Type sampleType)
    {
        if (!method.IsGenericMethodDefinition)
        {
            return method;
        }

        var elementType = sampleType.IsGenericType ? sampleType.GetGenericArguments()[0] : sampleType;
        foreach (var candidate in new[] { sampleType, elementType })
        {
            try
            {
                var arguments = method.GetGenericArguments().Select(_ => candidate).ToArray();
                var closed = method.MakeGenericMethod(arguments);
                if (closed.GetParameters()[index].ParameterType.IsAssignableFrom(sampleType))
                {
                    return closed;
                }
            }
            catch (ArgumentException)
            {
                // the constraints refuse this type argument
            }
        }

        return null;
    }

    private static object? SimplestValue(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (parameter.HasDefaultValue)
        {
            return parameter.DefaultValue is null && type.IsValueType ? Activator.CreateInstance(type) : parameter.DefaultValue;
        }

        if (type == typeof(string))
        {
            return "web";
        }

        if (type == typeof(SandboxOptions))
        {
            return SandboxOptions.Default;
        }

        if (type == typeof(AksNodePool))
        {
            return AksNodePool.ForSandboxing("kata").InCluster("cluster", resourceGroup: "rg").WithVmSize("Standard_D4s_v5").Build();
        }

        if (type == typeof(SandboxRuntime))
        {
            return SandboxRuntime.AksKataVmIsolation;
        }

        if (type.IsArray)
        {
            return Array.CreateInstance(type.GetElementType()!, 0);
        }

        return type.IsValueType ? Activator.CreateInstance(type) : null;
    }

    private static object? InstanceOf(Type type)
    {
        var factory = typeof(Sandboxing.Sdk.Sandboxed).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .FirstOrDefault(m => m.ReturnType == type && m.GetParameters().All(p => p.ParameterType == typeof(string)));
        return factory?.Invoke(null, factory.GetParameters().Select(p => (object)(p.Name == "schedule" ? "*/5 * * * *" : "web")).ToArray());
    }
}
