using System;
using System.Collections.Generic;

namespace Sandboxing.Analyzers;

/// <summary>The near match of a misspelt name ("kata-vm-isolaton" for "kata-vm-isolation"), for "did you mean …?".</summary>
internal static class NearMatch
{
    /// <summary>
    /// The candidate closest to <paramref name="text"/>, or null when none is close: one edit per five characters of the candidate,
    /// three at most, case ignored (Kubernetes names are lower case, so "Kata-VM-Isolation" means kata-vm-isolation). Short names
    /// stay apart, since one edit there makes another runtime (runc is one edit from runv).
    /// </summary>
    public static string? Among(string text, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        var lower = text.ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            if (Math.Abs(text.Length - candidate.Length) > 3)
            {
                continue; // never within three edits; also keeps a long constant from costing length × length
            }

            int distance = Distance(lower, candidate.ToLowerInvariant());
            if (distance < bestDistance && distance * 5 <= candidate.Length && distance <= 3 && !string.Equals(text, candidate, StringComparison.Ordinal))
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    /// <summary>Insertions, deletions, substitutions and swaps of two neighbours (optimal string alignment).</summary>
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
