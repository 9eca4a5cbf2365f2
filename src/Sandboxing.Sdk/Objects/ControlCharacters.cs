using System.Text;

namespace Sandboxing.Sdk;

/// <summary>
/// The one escaping of control characters in the text the CLI prints and the SDK renders as tables: C0 (new lines and tabs included), DEL, C1 and the Unicode
/// line and paragraph separators become <c>\n</c>, <c>\xHH</c> or <c>\uHHHH</c>. Input-derived text (a file name, a YAML value)
/// then stays on its line, so it can neither forge a line of its own (a CI annotation such as <c>::error file=…</c>) nor send
/// terminal escape sequences. JSON and SARIF need none of this: their serializers escape.
/// </summary>
internal static class ControlCharacters
{
    /// <summary>Whether <paramref name="c"/> is escaped by <see cref="Escape"/>.</summary>
    public static bool IsControl(char c) => c < ' ' || c is >= '\u007F' and <= '\u009F' or '\u2028' or '\u2029';

    /// <summary><paramref name="text"/> with every control character escaped; the same string when it has none.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int first = 0;
        while (first < text.Length && !IsControl(text[first]))
        {
            first++;
        }

        if (first == text.Length)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            Append(escaped, text[i]);
        }

        return escaped.ToString();
    }

    /// <summary>Appends <paramref name="c"/>, escaped when it is a control character.</summary>
    internal static void Append(StringBuilder text, char c)
    {
        if (!IsControl(c))
        {
            text.Append(c);
            return;
        }

        text.Append(c switch
        {
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            <= '\u009F' => $"\\x{(int)c:X2}", // C0, DEL and C1
            _ => $"\\u{(int)c:X4}",
        });
    }
}
