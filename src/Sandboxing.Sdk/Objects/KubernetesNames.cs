
namespace Sandboxing.Sdk;

/// <summary>
/// Name checks as the Kubernetes API server makes them (<c>k8s.io/apimachinery/pkg/util/validation</c>): DNS-1123 labels and
/// subdomains, and qualified names for label and annotation keys. Hand-written loops, because they run inside every Build().
/// </summary>
internal static class KubernetesNames
{
    /// <summary>The longest DNS-1123 label (namespaces, container, port and volume names).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>The longest DNS-1123 subdomain (most object names, runtime class names).</summary>
    public const int MaxSubdomainLength = 253;

    /// <summary>Checks a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit.</summary>
    /// <returns>Null when valid, otherwise what is wrong.</returns>
    public static string? CheckLabel(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "it is empty; a DNS-1123 label needs 1 to 63 characters";
        }

        if (value.Length > MaxLabelLength)
        {
            return $"it is {value.Length} characters long; a DNS-1123 label has at most {MaxLabelLength}";
        }

        return CheckLabelCharacters(value, 0, value.Length);
    }

    /// <summary>Checks a DNS-1123 subdomain: at most 253 characters, dot-separated DNS-1123 labels.</summary>
    /// <returns>Null when valid, otherwise what is wrong.</returns>
    public static string? CheckSubdomain(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "it is empty; a DNS-1123 subdomain needs 1 to 253 characters";
        }

        if (value.Length > MaxSubdomainLength)
        {
            return $"it is {value.Length} characters long; a DNS-1123 subdomain has at most {MaxSubdomainLength}";
        }

        int start = 0;
        for (int i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || value[i] == '.')
            {
                if (i == start)
                {
                    return "it has an empty part between dots, or starts or ends with '.'";
                }

                if (CheckLabelCharacters(value, start, i) is { } error)
                {
                    return error;
                }

                start = i + 1;
            }
        }

        return null;
    }

    /// <summary>
    /// Checks a qualified name as used for label and annotation keys: an optional DNS subdomain prefix and '/', then a name of
    /// at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit.
    /// </summary>
    /// <returns>Null when valid, otherwise what is wrong.</returns>
    public static string? CheckQualifiedName(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "it is empty";
        }

        string name = value;
        int slash = value.IndexOf('/');
        if (slash >= 0)
        {
            if (CheckSubdomain(value.Substring(0, slash)) is { } prefixError)
            {
                return "its prefix " + prefixError;
            }

            name = value.Substring(slash + 1);
        }

        if (name.Length is 0 or > MaxLabelLength)
        {
            return $"its name part must have 1 to {MaxLabelLength} characters";
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool alphanumeric = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');
            bool edge = i == 0 || i == name.Length - 1;
            if (!alphanumeric && (edge || c is not ('-' or '_' or '.')))
            {
                return $"character '{c}' at position {i + 1} is not allowed (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)";
            }
        }

        return null;
    }

    /// <summary>Checks a label value: empty, or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit.</summary>
    /// <returns>Null when valid, otherwise what is wrong.</returns>
    public static string? CheckLabelValue(string? value)
    {
        if (value is null)
        {
            return "it is null; use an empty string for an empty label value";
        }

        if (value.Length == 0)
        {
            return null;
        }

        if (value.Length > MaxLabelLength)
        {
            return $"it is {value.Length} characters long; a label value has at most {MaxLabelLength}";
        }

        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool alphanumeric = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');
            bool edge = i == 0 || i == value.Length - 1;
            if (!alphanumeric && (edge || c is not ('-' or '_' or '.')))
            {
                return $"character '{c}' at position {i + 1} is not allowed (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)";
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="value"/> is a DNS-1123 label.</summary>
    public static bool IsLabel(string? value) => CheckLabel(value) is null;

    /// <summary>True when <paramref name="value"/> is a DNS-1123 subdomain.</summary>
    public static bool IsSubdomain(string? value) => CheckSubdomain(value) is null;

    internal static void ThrowIfInvalidLabel(string? value, string parameterName, string what)
    {
        if (CheckLabel(value) is { } error)
        {
            throw Invalid(value, parameterName, what, error);
        }
    }

    internal static void ThrowIfInvalidSubdomain(string? value, string parameterName, string what)
    {
        if (CheckSubdomain(value) is { } error)
        {
            throw Invalid(value, parameterName, what, error);
        }
    }

    internal static void ThrowIfInvalidQualifiedName(string? value, string parameterName, string what)
    {
        if (CheckQualifiedName(value) is { } error)
        {
            throw Invalid(value, parameterName, what, error);
        }
    }

    internal static void ThrowIfInvalidLabelValue(string? value, string parameterName, string what)
    {
        if (CheckLabelValue(value) is { } error)
        {
            throw Invalid(value, parameterName, what, error);
        }
    }

    private static ArgumentException Invalid(string? value, string parameterName, string what, string error) =>
        value is null
            ? new ArgumentNullException(parameterName, $"The {what} is required. {SandboxRules.InvalidName.Fix}")
            : new ArgumentException($"{SandboxRules.InvalidName.Id}: the {what} '{value}' is not valid: {error}. {SandboxRules.InvalidName.Fix}", parameterName);

    private static string? CheckLabelCharacters(string value, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            char c = value[i];
            bool alphanumeric = c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (alphanumeric)
            {
                continue;
            }

            if (c == '-' && i != start && i != end - 1)
            {
                continue;
            }

            return c is >= 'A' and <= 'Z'
                ? $"it contains the uppercase letter '{c}'; Kubernetes names are lowercase"
                : c == '-'
                    ? "it starts or ends with '-'; it must start and end with a letter or digit"
                    : $"character '{c}' at position {i + 1} is not allowed (lowercase letters, digits and '-')";
        }

        return null;
    }
}
