using YamlDotNet.Core;

namespace Sandboxing.Sdk;

/// <summary>Error text: YamlDotNet's errors as <see cref="ManifestProblem"/>s with a hint, and unrendered templates.</summary>
internal static partial class ManifestParser
{
    /// <summary>The hint printed with every unrendered-template problem.</summary>
    public const string HelmHint = "render it first: helm template <release> <chart> | sandboxing lint -";

    private static ManifestException SyntaxError(ManifestSource source, GuardingParser guard, YamlException e, int before = 0)
    {
        int document = before + Math.Max(1, guard.Documents);
        if (FindTemplateDirective(source.Text) is var (tLine, tColumn))
        {
            // The file does not parse and holds template directives: an unrendered chart, not a broken manifest.
            return new ManifestException(new ManifestProblem(source.Name, tLine, tColumn,
                $"this looks like an unrendered Helm or Go template ('{{{{ … }}}}'), not a Kubernetes manifest; {HelmHint}",
                document));
        }

        var mark = e.Start.Line > 0 ? e.Start : guard.Current?.Start ?? e.Start;
        int line = (int)Math.Max(1, mark.Line), column = (int)Math.Max(1, mark.Column);
        var message = Describe(e, source.Text, mark);
        if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FindTabIndentation(source.Text, line) is var (tabLine, tabColumn))
        {
            (line, column) = (tabLine, tabColumn);
            message = "a tab is used for indentation; YAML does not allow tabs there: indent with spaces";
        }
        else if (System.Text.RegularExpressions.Regex.Match(e.Message, "anchor '([^']+)' does not exist") is { Success: true } anchor
            && FindText(source.Text, "*" + anchor.Groups[1].Value) is var (aliasLine, aliasColumn))
        {
            (line, column) = (aliasLine, aliasColumn);
            message = $"the alias '*{anchor.Groups[1].Value}' names no anchor before it in this document (anchors do not cross '---'); " +
                $"define '&{anchor.Groups[1].Value}' earlier in the same document, or write the value out";
        }

        return new ManifestException(new ManifestProblem(source.Name, line, column,
            $"YAML syntax error in document {document}: {message}", document));
    }

    private static string Describe(YamlException e, string text, Mark mark)
    {
        var message = e.Message;
        // YamlDotNet prefixes "(Line: 1, Col: 2, Idx: 1) - (…): "; the location is printed already.
        int cut = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0)
        {
            message = message[(cut + 3)..];
        }

        var hint = "check the indentation and the quoting around this position";
        if (LineAt(text, mark.Line) is { } line && line.TrimEnd('\r').Replace(" ", "", StringComparison.Ordinal).StartsWith('\t'))
        {
            hint = "YAML does not allow tabs for indentation: indent with spaces";
        }
        else if (mark.Index >= text.Length - 2 || message.Contains("end of stream", StringComparison.OrdinalIgnoreCase))
        {
            hint = "the file ends too early (truncated?): close every open quote, bracket and brace";
        }

        return $"{message.TrimEnd('.')}; {hint}";
    }

    private static string? LineAt(string text, long lineNumber)
    {
        int line = 1;
        int start = 0;
        while (line < lineNumber)
        {
            int next = text.IndexOf('\n', start);
            if (next < 0)
            {
                return null;
            }

            start = next + 1;
            line++;
        }

        int end = text.IndexOf('\n', start);
        return end < 0 ? text[start..] : text[start..end];
    }

    /// <summary>The line and column of the first occurrence of <paramref name="value"/>.</summary>
    private static (int Line, int Column)? FindText(string text, string value)
    {
        int index = text.IndexOf(value, StringComparison.Ordinal);
        if (index < 0)
        {
            return null;
        }

        int lineStart = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;
        return (text.AsSpan(0, lineStart).Count('\n') + 1, index - lineStart + 1);
    }

    /// <summary>The first line at or after <paramref name="fromLine"/> whose indentation holds a tab, and the tab's column.</summary>
    private static (int Line, int Column)? FindTabIndentation(string text, int fromLine)
    {
        int line = 1;
        int start = 0;
        while (start <= text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            if (line >= fromLine)
            {
                for (int i = start; i < end && text[i] is ' ' or '\t'; i++)
                {
                    if (text[i] == '\t')
                    {
                        return (line, i - start + 1);
                    }
                }
            }

            start = end + 1;
            line++;
        }

        return null;
    }

    /// <summary>Finds <c>{{ … }}</c> outside comments: the mark of Helm and Go templates.</summary>
    private static (int Line, int Column)? FindTemplateDirective(string text)
    {
        int index = text.IndexOf("{{", StringComparison.Ordinal);
        while (index >= 0)
        {
            int lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
            if (index == 0)
            {
                lineStart = 0;
            }

            int lineEnd = text.IndexOf('\n', index);
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }

            var before = text.AsSpan(lineStart, index - lineStart);
            bool comment = before.TrimStart().StartsWith("#") || before.Contains(" #", StringComparison.Ordinal);
            if (!comment && text.AsSpan(index, lineEnd - index).Contains("}}", StringComparison.Ordinal))
            {
                int line = 1;
                for (int i = 0; i < lineStart; i++)
                {
                    if (text[i] == '\n')
                    {
                        line++;
                    }
                }

                return (line, index - lineStart + 1);
            }

            index = text.IndexOf("{{", lineEnd, StringComparison.Ordinal);
        }

        return null;
    }
}
