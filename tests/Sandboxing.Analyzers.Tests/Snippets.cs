namespace Sandboxing.Analyzers.Tests;

/// <summary>Pieces of C# the analyzer tests put together.</summary>
internal static class Snippets
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using k8s;
        using k8s.Models;

        """;

    /// <summary>The SDK's namespaces a consumer of the SDK imports.</summary>
    public const string SdkUsings = "using Sandboxing.Sdk; using Sandboxing.Sdk.Aks;\n";

    /// <summary>A container with a memory limit, so SBX2005 stays quiet.</summary>
    public const string Container = """new V1Container { Name = "app", Image = "nginx", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new ResourceQuantity("256Mi") } } }""";

    public const string Containers = "Containers = new List<V1Container> { " + Container + " }";
}
