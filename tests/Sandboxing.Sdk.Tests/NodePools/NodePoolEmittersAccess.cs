namespace Sandboxing.Sdk.Tests.NodePools;

/// <summary>Reaches the internal quoting helpers (the SDK grants InternalsVisibleTo to the tests).</summary>
public static class NodePoolEmittersAccess
{
    public static string ShellQuote(string value) => Sandboxing.Sdk.Aks.EmitterQuoting.ShellQuote(value);
}
