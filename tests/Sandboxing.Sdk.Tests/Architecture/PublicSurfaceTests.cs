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

    /// <summary>
    /// A newcomer holds the API in their head: three namespaces, a bounded number of types and members, and no record-generated
    /// members (Clone, EqualityContract, Deconstruct, ...) that would freeze a model's shape and equality into the contract.
    /// </summary>
    [Fact]
    public void Users_see_three_namespaces()
    {
        var namespaces = Sdk.GetExportedTypes().Select(t => t.Namespace).Distinct().Order().ToList();
        Assert.Equal(["Sandboxing.Sdk", "Sandboxing.Sdk.Aks", "Sandboxing.Sdk.Cluster"], namespaces);
    }

    [Fact]
    public void The_public_surface_stays_within_its_budget()
    {
        // 94 after the reshaping, plus the two a fleet needs (SandboxFleet, SandboxContextAudit), plus the agent sandbox
        // template builder (AgentSandboxTemplateBuilder), plus the agent sandbox client (AgentSandboxClient, AgentSandboxClientOptions,
        // AgentSandboxClaimOptions, AgentSandboxShutdownPolicy, AgentSandboxSession, AgentSandboxCommandResult, AgentSandboxFileEntry,
        // AgentSandboxException, AgentSandboxError: 9 types, 88 entries).
        const int MaxTypes = 106, MaxEntries = 1188;
        int types = Sdk.GetExportedTypes().Length;
        int entries = File.ReadAllLines(Path.Combine(SdkFolder(), "PublicAPI.Unshipped.txt"))
            .Concat(File.ReadAllLines(Path.Combine(SdkFolder(), "PublicAPI.Shipped.txt")))
            .Count(line => line.Length > 0 && !line.StartsWith('#'));

        Assert.True(types <= MaxTypes, $"{types} public types; the budget is {MaxTypes}: make utilities internal or merge look-alike types.");
        Assert.True(entries <= MaxEntries, $"{entries} tracked API entries; the budget is {MaxEntries}.");
        Assert.True(types > 20 && entries > 200, "the count read the real surface");
    }

    [Fact]
    public void No_public_type_is_a_record()
    {
        var records = Sdk.GetExportedTypes()
            .Where(t => t.GetMethod("<Clone>$") is not null
                || t.GetProperty("EqualityContract", BindingFlags.Instance | BindingFlags.NonPublic) is not null
                || t.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic) is not null)
            .Select(t => t.FullName).ToList();
        Assert.True(records.Count == 0, "public records (use sealed classes with get-only properties): " + string.Join(", ", records));

        var apiLines = File.ReadAllLines(Path.Combine(SdkFolder(), "PublicAPI.Unshipped.txt"));
        Assert.DoesNotContain(apiLines, l => l.Contains("<Clone>$") || l.Contains("EqualityContract") || l.Contains("PrintMembers"));
    }

    private static string SdkFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "../../../src/Sandboxing.Sdk"));

    private static bool IsVisible(MemberInfo member) => member switch
    {
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => (p.GetMethod is { } g && (g.IsPublic || g.IsFamily)) || (p.SetMethod is { } s && (s.IsPublic || s.IsFamily)),
        EventInfo e => e.AddMethod is { } a && (a.IsPublic || a.IsFamily),
        _ => false,
    };
}
