using System.Text;

namespace Sandboxing.Sdk;

/// <summary>
/// Rows as a plain-text table: columns padded to their widest cell and two spaces apart, no trailing blanks. Cells come from
/// input (workload names), so their control characters are escaped: a name cannot break a row or forge a line.
/// </summary>
internal static class TextTable
{
    /// <summary>One line per row, each ending in a line feed.</summary>
    public static string Format(IReadOnlyList<string[]> rows)
    {
        rows = [.. rows.Select(row => row.Select(ControlCharacters.Escape).ToArray())];
        var widths = new int[rows.Count == 0 ? 0 : rows.Max(r => r.Length)];
        foreach (var row in rows)
        {
            for (int c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        var text = new StringBuilder();
        var line = new StringBuilder();
        foreach (var row in rows)
        {
            line.Clear();
            for (int c = 0; c < row.Length; c++)
            {
                line.Append(row[c].PadRight(widths[c] + 2)); // the last cell's padding goes with TrimEnd
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        return text.ToString();
    }
}
