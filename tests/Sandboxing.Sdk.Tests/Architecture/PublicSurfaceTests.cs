using System.Reflection;

namespace Sandboxing.Sdk.Tests.Architecture;

/// <summary>
/// The public surface is deliberate (PublicAPI.*.txt lists it; the public API analyzer fails the build on a change that is not
/// listed). These checks add what the list alone does not say: no dependency's types leak into it, and every exception derives
/// from the one base.
/// </summary>
public class PublicSurfaceTests
{
    private static readonly Assembly Sdk = typeof(SandboxException).Assembly;

    [Fact]
    public void No_YamlDotNet_type_appears_in_a_public_signature()
    {
        var leaks = new List<string>();
        foreach (var type in Sdk.GetExportedTypes())
        {
            Check(type.BaseType, $"{type} base type");
            foreach (var contract in type.GetInterfaces())
            {
                Check(contract, $"{type} implements");
            }

            const BindingFlags visible = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(visible | BindingFlags.NonPublic).Where(IsVisible))
            {
                switch (member)
                {
                    case MethodBase method:
                        Check((method as MethodInfo)?.ReturnType, $"{type}.{method.Name} returns");
                        foreach (var parameter in method.GetParameters())
                        {
                            Check(parameter.ParameterType, $"{type}.{method.Name}({parameter.Name})");
                        }

                        break;
                    case PropertyInfo property:
                        Check(property.PropertyType, $"{type}.{property.Name}");
                        break;
                    case FieldInfo field:
                        Check(field.FieldType, $"{type}.{field.Name}");
                        break;
                    case EventInfo @event:
                        Check(@event.EventHandlerType, $"{type}.{@event.Name}");
                        break;
                }
            }
        }

        Assert.True(leaks.Count == 0, "YamlDotNet types in the public API:\n" + string.Join("\n", leaks));

        void Check(Type? t, string where)
        {
            if (t is null)
            {
                return;
            }

            if (t.HasElementType)
            {
                Check(t.GetElementType(), where);
                return;
            }

            if (t.Assembly.GetName().Name == "YamlDotNet")
            {
                leaks.Add($"{where}: {t.FullName}");
            }

            if (t.IsGenericType)
            {
                foreach (var argument in t.GetGenericArguments())
                {
                    Check(argument, where);
                }
            }
        }
    }

    [Fact]
    public void Every_public_exception_derives_from_SandboxException()
    {
        var strays = Sdk.GetExportedTypes()
            .Where(t => typeof(Exception).IsAssignableFrom(t) && !typeof(SandboxException).IsAssignableFrom(t))
            .Select(t => t.FullName).ToList();

        Assert.True(strays.Count == 0, "exceptions outside the SandboxException hierarchy: " + string.Join(", ", strays));
        Assert.Contains(Sdk.GetExportedTypes(), t => t.IsSubclassOf(typeof(SandboxException))); // the check saw the hierarchy
    }

    private static bool IsVisible(MemberInfo member) => member switch
    {
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => (p.GetMethod is { } g && (g.IsPublic || g.IsFamily)) || (p.SetMethod is { } s && (s.IsPublic || s.IsFamily)),
        EventInfo e => e.AddMethod is { } a && (a.IsPublic || a.IsFamily),
        _ => false,
    };
}
