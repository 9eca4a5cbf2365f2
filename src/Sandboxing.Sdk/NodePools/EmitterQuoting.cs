using System.Globalization;
using System.Text;

namespace Sandboxing.Sdk.Aks;

/// <summary>The quoting rules of the formats the node pool emitters write: POSIX shell, Bicep, HCL and ARM expressions.</summary>
internal static class EmitterQuoting
{
    /// <summary>Quotes a value for POSIX shells: bare when it has only safe characters, otherwise in single quotes.</summary>
    public static string ShellQuote(string value)
    {
        if (value.Length > 0 && value[0] != '-' && value.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '_' or '.' or '/' or ':' or '=' or ',' or '@' or '%' or '+' or '-'))
        {
            return value;
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>A Bicep single-quoted string: escapes \, ', ${ and control characters.</summary>
    public static string BicepString(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('\'');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '\'': text.Append("\\'"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '$' when i + 1 < value.Length && value[i + 1] == '{': text.Append("\\$"); break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append("\\u{").Append(((int)c).ToString("X", CultureInfo.InvariantCulture)).Append('}');
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('\'').ToString();
    }

    /// <summary>An HCL double-quoted string: escapes \, ", control characters and the template sequences ${ and %{.</summary>
    public static string HclString(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool template = i + 1 < value.Length && value[i + 1] == '{';
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '$' when template: text.Append("$$"); break;
                case '%' when template: text.Append("%%"); break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    /// <summary>A string literal inside an ARM template expression: single quotes, doubled inside.</summary>
    public static string ArmExpressionString(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>An integer in invariant culture.</summary>
    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
