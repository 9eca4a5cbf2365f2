using Sandboxing.Sdk;

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
                : EditDistance.Between(text.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best is not null && bestDistance <= Math.Max(1, Math.Min(3, best.Length / 3)) ? best : null;
    }
}
