namespace SeccompEbpf.Model;

/// <summary>
/// How the kernel combines the results of stacked filters: it starts from ALLOW and runs every
/// filter newest first; a result replaces the current one only when its action
/// (value &amp; 0xffff0000, compared as a signed number) is strictly lower. So the lowest action
/// wins, a tie keeps the newer filter's full value (its data included), and when every filter
/// allows the result is plain ALLOW.
/// </summary>
public static class FilterPrecedence
{
    /// <summary>The result kept after meeting <paramref name="older"/> when <paramref name="current"/> came from newer filters.</summary>
    public static uint Combine(uint current, uint older) =>
        (int)(older & SeccompAction.ActionFullMask) < (int)(current & SeccompAction.ActionFullMask) ? older : current;

    /// <summary>The final result of filters whose results are given newest first.</summary>
    public static uint Combine(ReadOnlySpan<uint> resultsNewestFirst)
    {
        uint result = SeccompAction.Allow;
        foreach (uint older in resultsNewestFirst)
            result = Combine(result, older);
        return result;
    }
}
