namespace SeccompEbpf.Model;

/// <summary>
/// How the kernel combines the results of stacked filters: every filter runs, newest first; the
/// result whose action (value &amp; 0xffff0000) is lowest as a signed number wins, and on a tie
/// the newer filter's full value (its data included) is kept.
/// </summary>
public static class FilterPrecedence
{
    /// <summary>The result kept after meeting <paramref name="older"/> when <paramref name="current"/> came from newer filters.</summary>
    public static uint Combine(uint current, uint older) =>
        (int)(older & SeccompAction.ActionFullMask) < (int)(current & SeccompAction.ActionFullMask) ? older : current;

    /// <summary>The final result of filters whose results are given newest first.</summary>
    public static uint Combine(ReadOnlySpan<uint> resultsNewestFirst)
    {
        if (resultsNewestFirst.IsEmpty)
            return SeccompAction.Allow; // no filter: the call is allowed
        uint result = resultsNewestFirst[0];
        foreach (uint older in resultsNewestFirst[1..])
            result = Combine(result, older);
        return result;
    }
}
