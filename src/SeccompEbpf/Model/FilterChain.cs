namespace SeccompEbpf.Model;

/// <summary>
/// One attached filter and everything attached before it (the kernel's seccomp_filter with its
/// prev pointer). Immutable: attaching makes a new head; threads and forked children share nodes,
/// and nothing is ever removed.
/// </summary>
public sealed class FilterChain
{
    internal FilterChain(ISeccompFilter filter, FilterChain? previous, bool log, SeccompListener? listener)
    {
        Filter = filter;
        Previous = previous;
        Log = log;
        Listener = listener;
        Count = (previous?.Count ?? 0) + 1;
        TotalLength = filter.LengthForLimit + (previous is null ? 0 : previous.TotalLength + PenaltyPerFilter);
    }

    /// <summary>The kernel's MAX_INSNS_PER_PATH.</summary>
    public const int MaxTotalLength = 32_768;

    /// <summary>Each filter below the newest costs its length plus this.</summary>
    public const int PenaltyPerFilter = 4;

    public ISeccompFilter Filter { get; }
    public FilterChain? Previous { get; }

    /// <summary>Attached with SECCOMP_FILTER_FLAG_LOG: actions other than ALLOW are logged.</summary>
    public bool Log { get; }

    /// <summary>The notification listener created with NEW_LISTENER, if any.</summary>
    public SeccompListener? Listener { get; }

    public int Count { get; }

    /// <summary>What the kernel counts when one more filter of length L arrives: L + Σ(length + 4) over this chain must stay ≤ 32,768.</summary>
    internal int TotalLength { get; }

    public int TotalWithNewFilter(int newLength) => newLength + TotalLength + PenaltyPerFilter;

    /// <summary>The filters, newest first.</summary>
    public IEnumerable<FilterChain> NewestFirst()
    {
        for (var node = this; node is not null; node = node.Previous) yield return node;
    }

    /// <summary>True when <paramref name="ancestor"/> is this chain or lies below it (the kernel's is_ancestor).</summary>
    public bool Contains(FilterChain? ancestor)
    {
        if (ancestor is null) return true;
        for (var node = this; node is not null; node = node.Previous)
            if (ReferenceEquals(node, ancestor)) return true;
        return false;
    }

    /// <summary>Runs every filter, newest first, and combines the results as the kernel does.</summary>
    public ChainVerdict Evaluate(in SeccompData data, SeccompThread task)
    {
        var results = new List<FilterResult>(Count);
        uint action = SeccompAction.Allow;
        FilterChain? decidedBy = null;
        foreach (var node in NewestFirst())
        {
            uint result = node.Filter.Evaluate(in data, task);
            results.Add(new FilterResult(node, result));
            if (FilterPrecedence.Combine(action, result) != action)
            {
                action = result;
                decidedBy = node;
            }
        }
        return new ChainVerdict(new SeccompAction(action), decidedBy, results);
    }
}

/// <summary>The result one filter returned.</summary>
public readonly record struct FilterResult(FilterChain Node, uint Value)
{
    public SeccompAction Action => new(Value);
}

/// <summary>
/// The outcome of a system call under a chain: the winning action, the filter that produced it
/// (null when every filter allowed: the kernel then uses plain ALLOW), and each filter's result,
/// newest first.
/// </summary>
public sealed record ChainVerdict(SeccompAction Action, FilterChain? DecidedBy, IReadOnlyList<FilterResult> Results)
{
    /// <summary>USER_NOTIF goes to the deciding filter's listener; without one the call fails with ENOSYS.</summary>
    public SeccompListener? NotifyListener => Action.EffectiveAction == SeccompAction.UserNotif ? DecidedBy?.Listener : null;
}

/// <summary>A notification listener (the fd NEW_LISTENER returns).</summary>
public sealed class SeccompListener(int id)
{
    public int Id { get; } = id;
    public override string ToString() => $"listener {Id}";
}
