namespace Sandboxing.Sdk;

/// <summary>The near match of a misspelt name ("kata-vm-isolaton" for "kata-vm-isolation"), for "did you mean …?".</summary>
internal static class NearMatch
{
    /// <summary>
    /// The candidate closest to <paramref name="text"/>, or null when none is close: one edit per five characters of the candidate,
    /// three at most, case ignored (Kubernetes names are lower case, so "Kata-VM-Isolation" means kata-vm-isolation). Short names
    /// stay apart, since one edit there makes another runtime (runc is one edit from runv).
    /// </summary>
    public static string? Among(string text, System.Collections.Generic.IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        var lower = text.ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            if (System.Math.Abs(text.Length - candidate.Length) > 3)
            {
                continue; // never within three edits; also keeps a long constant from costing length × length
            }

            int distance = EditDistance.Between(lower, candidate.ToLowerInvariant());
            if (distance < bestDistance && distance * 5 <= candidate.Length && distance <= 3 && !string.Equals(text, candidate, System.StringComparison.Ordinal))
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }
}
