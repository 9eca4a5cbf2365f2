namespace Sandboxing.Sdk;

/// <summary>
/// How far apart two words are, for every "did you mean …?" the project prints: runtime class names in the analyzer, config keys,
/// rule IDs, options and commands in the CLI. Linked into the analyzer like the catalog, so both say the same.
/// </summary>
internal static class EditDistance
{
    /// <summary>Insertions, deletions, substitutions and swaps of two neighbours (optimal string alignment): SBX2070 is one edit from SBX2007.</summary>
    public static int Between(string a, string b)
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
                d[i, j] = System.Math.Min(System.Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = System.Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
