using System.Text;

namespace Sandboxing.Sdk.Cluster;

/// <summary>The file paths a session sends to the runtime: checked up front, then percent-encoded for the URL.</summary>
internal static class AgentSandboxPaths
{
    /// <summary>
    /// Null when <paramref name="path"/> may be sent, otherwise why not. Relative paths are resolved by the runtime under its base
    /// directory (agent-sandbox 2fd412d examples/python-runtime-sandbox/main.py:48-58); an absolute path, a <c>..</c> segment or a
    /// control character is refused here, as the Python client refuses them (clients/python/agentic-sandbox-client/k8s_agent_sandbox/files/filesystem.py:45-112),
    /// so the answer does not depend on the runtime's own check.
    /// </summary>
    public static string? Problem(string path, bool allowEmpty)
    {
        if (path.Length == 0)
        {
            return allowEmpty ? null : "is empty";
        }

        if (path[0] == '/' || path[0] == '\\' || (path.Length > 1 && path[1] == ':'))
        {
            return "is absolute; give a path relative to the runtime's base directory (such as 'out/result.txt')";
        }

        foreach (char c in path)
        {
            if (char.IsControl(c))
            {
                return $"holds the control character U+{(int)c:X4}";
            }
        }

        foreach (var segment in path.Split('/', '\\'))
        {
            if (segment == "..")
            {
                return "climbs out of the runtime's base directory with '..'";
            }
        }

        return null;
    }

    /// <summary>
    /// Percent-encodes every byte of the UTF-8 path outside <c>A-Za-z0-9-_.~</c>, <c>/</c> included, in uppercase hex; a whole
    /// path of <c>.</c> or <c>..</c> is sent as <c>%2E</c> / <c>%2E%2E</c> (agent-sandbox 2fd412d clients/go/sandbox/files.go:43-70),
    /// so no proxy can normalise the path on the way.
    /// </summary>
    public static string Encode(string path)
    {
        if (path is "." or "..")
        {
            return path == "." ? "%2E" : "%2E%2E";
        }

        var text = new StringBuilder(path.Length * 3);
        foreach (byte b in Encoding.UTF8.GetBytes(path))
        {
            bool plain = b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';
            if (plain)
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
