namespace Sandboxing.Sdk.Aks;

/// <summary>An ARM REST request: method, URL (with <c>api-version</c>) and JSON body.</summary>
public sealed class AksRestRequest
{
    internal AksRestRequest(string method, string url, string body)
    {
        Method = method;
        Url = url;
        Body = body;
    }

    /// <summary>The HTTP method (<c>PUT</c>).</summary>
    public string Method { get; }

    /// <summary>The request URL, including <c>?api-version=</c>.</summary>
    public string Url { get; }

    /// <summary>The JSON body.</summary>
    public string Body { get; }

    /// <summary>The request as <c>METHOD URL</c>, a blank line, and the body.</summary>
    public override string ToString() => $"{Method} {Url}\nContent-Type: application/json\n\n{Body}";
}
