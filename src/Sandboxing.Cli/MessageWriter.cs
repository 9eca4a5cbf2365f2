using System.Text;
using Sandboxing.Sdk;

namespace Sandboxing.Cli;

/// <summary>
/// Standard error as every command writes it: messages, where a control character can only have come from input (a YAML
/// value, a file name), so it is escaped (<see cref="ControlCharacters"/>). Kept are the line breaks and tabs the messages are
/// laid out with, a CR of a CRLF, and the colour sequences <see cref="StyledText"/> writes (ESC [ digits m). Input-derived text
/// is escaped where it enters a message as well (file names, report lines), since a new line cannot be told apart here.
/// </summary>
internal sealed class MessageWriter(TextWriter inner) : TextWriter
{
    /// <inheritdoc/>
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc/>
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => inner.NewLine;
        set => inner.NewLine = value;
    }

    /// <inheritdoc/>
    public override IFormatProvider FormatProvider => inner.FormatProvider;

    /// <inheritdoc/>
    public override void Write(char value)
    {
        // Single characters are the writer's own new lines (WriteLine) and layout.
        if (value is '\n' or '\r' or '\t' || !ControlCharacters.IsControl(value))
        {
            inner.Write(value);
        }
        else
        {
            inner.Write(ControlCharacters.Escape(value.ToString()));
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        var text = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c is '\n' or '\t' || (c == '\r' && i + 1 < value.Length && value[i + 1] == '\n'))
            {
                text.Append(c);
            }
            else if (c == '\u001b' && Sgr(value, i) is > 0 and var length)
            {
                text.Append(value, i, length);
                i += length - 1;
            }
            else
            {
                ControlCharacters.Append(text, c);
            }
        }

        inner.Write(text.ToString());
    }

    /// <inheritdoc/>
    public override void WriteLine(string? value)
    {
        Write(value);
        inner.WriteLine();
    }

    /// <inheritdoc/>
    public override void Flush() => inner.Flush();

    /// <summary>The length of the SGR sequence (ESC [ digits and ';' m) at <paramref name="start"/>, or 0.</summary>
    private static int Sgr(string text, int start)
    {
        if (start + 2 >= text.Length || text[start + 1] != '[')
        {
            return 0;
        }

        for (int i = start + 2; i < text.Length; i++)
        {
            if (text[i] == 'm')
            {
                return i - start + 1;
            }

            if (!char.IsAsciiDigit(text[i]) && text[i] != ';')
            {
                return 0;
            }
        }

        return 0;
    }
}
