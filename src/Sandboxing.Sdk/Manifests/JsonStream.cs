using System.Text.Json;

namespace Sandboxing.Sdk;

/// <summary>
/// JSON manifests as kubectl reads them: a text whose first character (after white space) is '{' is a stream of JSON values,
/// one object or several back to back (<c>{…}{…}</c> or one per line), each a document. YAML parsers read one JSON value as
/// a flow mapping, with the file's lines and columns, but not two in a row; this finds where each value starts and ends.
/// </summary>
internal static class JsonStream
{
    /// <summary>True when kubectl would read <paramref name="text"/> as JSON: its first character after white space is '{'.</summary>
    public static bool IsJson(string text) => FirstNonSpace(text, 0) is var i && i < text.Length && text[i] == '{';

    /// <summary>
    /// The ranges (start inclusive, end exclusive) of the top-level values of a JSON stream, in order; empty when the text is not
    /// JSON. An unclosed value runs to the end of the text, and text that is not a value (a stray character, YAML after '---')
    /// joins the value before it, so that the parser reports either where it is.
    /// </summary>
    public static List<(int Start, int End)> Values(string text)
    {
        var ranges = new List<(int, int)>();
        if (!IsJson(text))
        {
            return ranges;
        }

        int i = FirstNonSpace(text, 0);
        while (i < text.Length)
        {
            if (text[i] != '{' || End(text, i) is not { } end)
            {
                if (ranges.Count > 0 && text[i] != '{')
                {
                    ranges[^1] = (ranges[^1].Item1, text.Length);
                }
                else
                {
                    ranges.Add((i, text.Length));
                }

                return ranges;
            }

            ranges.Add((i, end));
            i = FirstNonSpace(text, end);
        }

        return ranges;
    }

    /// <summary>The text with every character before <paramref name="start"/> blanked (line breaks kept) and cut at <paramref name="end"/>.</summary>
    public static string Isolate(string text, int start, int end) =>
        string.Create(end, (text, start), static (span, state) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                char c = state.text[i];
                span[i] = i >= state.start || c is '\n' or '\r' ? c : ' ';
            }
        });

    /// <summary>Null when <paramref name="text"/> is a valid JSON stream (every value parses), else what is wrong and where.</summary>
    public static string? Invalid(string text)
    {
        foreach (var (start, end) in Values(text))
        {
            try
            {
                using var _ = JsonDocument.Parse(text.AsMemory(start, end - start));
            }
            catch (JsonException e)
            {
                return e.Message;
            }
        }

        return null;
    }

    /// <summary>The index after the value that opens at <paramref name="open"/>, or null when it never closes.</summary>
    private static int? End(string text, int open)
    {
        // JSON has no single quotes outside strings; YAML's flow style has them, so '…' is skipped too ('' is a quote inside).
        int depth = 0;
        char quote = '\0';
        for (int i = open; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    if (--depth == 0)
                    {
                        return i + 1;
                    }

                    break;
            }
        }

        return null;
    }

    private static int FirstNonSpace(string text, int from)
    {
        int i = from;
        while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == '\uFEFF'))
        {
            i++;
        }

        return i;
    }
}
