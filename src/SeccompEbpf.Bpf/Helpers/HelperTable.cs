namespace SeccompEbpf.Bpf.Helpers;

/// <summary>
/// The helpers a program may call, indexed by kernel helper id (an array, so a call is one load).
/// Tables are immutable: a layer that chooses helpers at load time (the seccomp "consistent helper
/// capability") derives a new table with <see cref="With"/> and <see cref="Without"/>.
/// </summary>
public sealed class HelperTable
{
    private readonly HelperDefinition?[] _byId;

    public HelperTable(IEnumerable<HelperDefinition> helpers)
    {
        var list = helpers.ToList();
        int max = list.Count == 0 ? -1 : list.Max(h => h.Id);
        _byId = new HelperDefinition?[max + 1];
        foreach (var h in list)
        {
            if (h.Id < 0) throw new ArgumentException($"helper {h.Name} has a negative id {h.Id}");
            _byId[h.Id] = h;
        }
    }

    public static HelperTable Empty { get; } = new([]);

    /// <summary>The base set every program gets (map access, time, random, tail calls, ring buffer, trace_printk...).</summary>
    public static HelperTable Base => BaseHelpers.Table;

    /// <summary>The helper with this id, or null if the program may not call it.</summary>
    public HelperDefinition? Find(long id) => (ulong)id < (ulong)_byId.Length ? _byId[id] : null;

    /// <summary>Direct indexed access for engines: the array is never modified after construction.</summary>
    public ReadOnlySpan<HelperDefinition?> ById => _byId;

    public IEnumerable<HelperDefinition> All => _byId.Where(h => h is not null)!;

    /// <summary>A new table with these helpers added (replacing any with the same id).</summary>
    public HelperTable With(params HelperDefinition[] helpers) =>
        new(All.Where(h => helpers.All(n => n.Id != h.Id)).Concat(helpers));

    /// <summary>A new table without these helper ids.</summary>
    public HelperTable Without(params int[] ids) => new(All.Where(h => !ids.Contains(h.Id)));

    public override string ToString() => $"{All.Count()} helpers: {string.Join(", ", All.Select(h => $"{h.Name}#{h.Id}"))}";
}
