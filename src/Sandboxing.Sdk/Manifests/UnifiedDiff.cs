using System.Text;

namespace Sandboxing.Sdk;

/// <summary>
/// Unified diffs (<c>diff -u</c> format) of two texts by lines. At each difference it resynchronises on the nearest pair of
/// equal lines within a window of 64 lines, so large files cost linear time; the fixer's changes are small and local, for
/// which this gives the same hunks as <c>diff -u</c>.
/// </summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>The unified diff from <paramref name="before"/> to <paramref name="after"/>; empty when they are equal.</summary>
    public static string Create(string before, string after, string beforeName, string afterName)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (string.Equals(before, after, StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var a = SplitLines(before);
        var b = SplitLines(after);
        var ops = Compare(a, b);
        var output = new StringBuilder();
        output.Append("--- ").Append(beforeName).Append('\n').Append("+++ ").Append(afterName).Append('\n');

        int index = 0;
        while (index < ops.Count)
        {
            int firstChange = ops.FindIndex(index, o => o.Kind != ' ');
            if (firstChange < 0)
            {
                break;
            }

            int start = Math.Max(index, firstChange - Context);
            int end = firstChange;
            int lastChange = firstChange;
            while (end < ops.Count)
            {
                if (ops[end].Kind != ' ')
                {
                    lastChange = end;
                }
                else if (end - lastChange > Context * 2)
                {
                    break;
                }

                end++;
            }

            end = Math.Min(ops.Count, lastChange + Context + 1);
            int aStart = ops[start].A, bStart = ops[start].B, aCount = 0, bCount = 0;
            for (int i = start; i < end; i++)
            {
                aCount += ops[i].Kind != '+' ? 1 : 0;
                bCount += ops[i].Kind != '-' ? 1 : 0;
            }

            output.Append("@@ -").Append(Range(aStart, aCount)).Append(" +").Append(Range(bStart, bCount)).Append(" @@\n");
            for (int i = start; i < end; i++)
            {
                var line = ops[i].Kind == '+' ? b[ops[i].B] : a[ops[i].A];
                output.Append(ops[i].Kind).Append(line.TrimEnd('\r')).Append('\n');
            }

            index = end;
        }

        return output.ToString();
    }

    private static string Range(int start, int count) =>
        count == 0 ? $"{start},0" : count == 1 ? $"{start + 1}" : $"{start + 1},{count}";

    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                lines.Add(text[start..]);
                break;
            }

            lines.Add(text[start..end]);
            start = end + 1;
        }

        return lines;
    }

    private readonly record struct Op(char Kind, int A, int B);

    private static List<Op> Compare(List<string> a, List<string> b)
    {
        var ops = new List<Op>(Math.Max(a.Count, b.Count) + 8);
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            if (string.Equals(a[i], b[j], StringComparison.Ordinal))
            {
                ops.Add(new Op(' ', i++, j++));
                continue;
            }

            // Look ahead for the next pair of equal lines within a small window (the fixer inserts or changes single lines).
            const int window = 64;
            int bestI = -1, bestJ = -1;
            for (int distance = 1; distance <= window * 2 && bestI < 0; distance++)
            {
                for (int di = 0; di <= distance && bestI < 0; di++)
                {
                    int ii = i + di, jj = j + (distance - di);
                    if (ii < a.Count && jj < b.Count && string.Equals(a[ii], b[jj], StringComparison.Ordinal)
                        && (ii + 1 >= a.Count || jj + 1 >= b.Count || string.Equals(a[ii + 1], b[jj + 1], StringComparison.Ordinal)))
                    {
                        bestI = ii;
                        bestJ = jj;
                    }
                }
            }

            if (bestI < 0)
            {
                bestI = a.Count;
                bestJ = b.Count;
            }

            while (i < bestI)
            {
                ops.Add(new Op('-', i++, j));
            }

            while (j < bestJ)
            {
                ops.Add(new Op('+', i, j++));
            }
        }

        while (i < a.Count)
        {
            ops.Add(new Op('-', i++, j));
        }

        while (j < b.Count)
        {
            ops.Add(new Op('+', i, j++));
        }

        return ops;
    }
}
