namespace Sandboxing.Cli.Config;

/// <summary>The nearest known word to a misspelt one: config keys, rule IDs and settings, and the command line's options and commands.</summary>
internal static partial class SandboxingConfigLoader
{
    /// <summary>The closest of <paramref name="candidates"/> to a misspelt <paramref name="text"/>, or null when none is close.</summary>
    public static string? DidYouMean(string text, IEnumerable<string> candidates)
    {
        static string Fold(string s) => s.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            // The same words in another case or separator, then a shortening (warn for warning), then a few typos.
            int distance = Fold(candidate) == Fold(text) ? 0
                : text.Length >= 3 && candidate.StartsWith(text, StringComparison.OrdinalIgnoreCase) ? 1
                : Distance(text.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best is not null && bestDistance <= Math.Max(1, Math.Min(3, best.Length / 3)) ? best : null;
    }

    /// <summary>The edit distance: insertions, deletions, substitutions and swaps of two neighbours (SBX2070 is one edit from SBX2007).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
