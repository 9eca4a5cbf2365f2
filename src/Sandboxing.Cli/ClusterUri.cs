namespace Sandboxing.Cli;

/// <summary>
/// Where an audit places what it found: <c>cluster://&lt;context&gt;/&lt;namespace&gt;/&lt;kind&gt;/&lt;name&gt;</c>, the context
/// escaped as one URI segment. The reports read the context back from it, so every format names each finding's cluster.
/// </summary>
internal static class ClusterUri
{
    private const string Scheme = "cluster://";

    /// <summary>The URI of a context's cluster, under which its namespaces, objects and refused lists sit.</summary>
    public static string Root(string context) => Scheme + Uri.EscapeDataString(context);

    /// <summary>The context of a <c>cluster://</c> source, or null for a file.</summary>
    public static string? ContextOf(string source)
    {
        if (!source.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = source.AsSpan(Scheme.Length);
        int slash = rest.IndexOf('/');
        return Uri.UnescapeDataString((slash < 0 ? rest : rest[..slash]).ToString());
    }
}
