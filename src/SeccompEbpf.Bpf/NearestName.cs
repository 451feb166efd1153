namespace SeccompEbpf.Bpf;

/// <summary>"did you mean ...?": the known name closest to a misspelt one, by edit distance.</summary>
public static class NearestName
{
    /// <summary>
    /// The candidate closest to <paramref name="typed"/> (insertions, deletions, substitutions and
    /// swaps of neighbours, case ignored), or null when even the closest is too far to be a typo:
    /// more than a third of the name's length, and never more than 3 edits. Failing that, the one
    /// candidate that starts with what was typed (an abbreviation: "@network" for "@network-io").
    /// </summary>
    public static string? Find(string typed, IEnumerable<string> candidates)
    {
        var list = candidates as IReadOnlyCollection<string> ?? candidates.ToList();
        int limit = Math.Clamp(typed.Length / 3, 1, 3);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in list)
        {
            if (Math.Abs(candidate.Length - typed.Length) > limit) continue;
            int d = Distance(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance || (d == bestDistance && string.CompareOrdinal(candidate, best) < 0)) (best, bestDistance) = (candidate, d);
        }
        if (bestDistance <= limit && best != typed) return best; // a case-only difference is a typo too
        var extending = typed.Length >= 3 ? list.Where(c => c.Length > typed.Length && c.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).Take(2).ToList() : [];
        return extending.Count == 1 ? extending[0] : null;
    }

    /// <summary>" (did you mean getpid?)", or "" when nothing is close.</summary>
    public static string Hint(string typed, IEnumerable<string> candidates) =>
        Find(typed, candidates) is { } near ? $" (did you mean {near}?)" : "";

    // Optimal string alignment distance: Levenshtein plus the swap of two neighbours as one edit.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
