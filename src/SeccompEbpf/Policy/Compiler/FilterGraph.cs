using SeccompEbpf.Classic;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Policy.Compiler;

public enum FilterNodeKind { Return, Load, And, Jump }

/// <summary>One node of a filter DAG: a return, a load/and with one successor, or a conditional jump on A.</summary>
public readonly record struct FilterNode(FilterNodeKind Kind, ushort Code, uint K, int True, int False)
{
    public bool IsConditional => Kind == FilterNodeKind.Jump;
}

/// <summary>
/// Builds a filter as a DAG of <see cref="FilterNode"/>s. Nodes are hash-consed, so equal code is
/// built once (shared suffixes), and conditional jumps are threaded where their outcome is already
/// known (same test twice in a row, a jump after a jeq that fixed A). Children always get smaller
/// ids than their parents, so ids in descending order are a topological order from the root.
/// </summary>
public sealed class FilterGraph
{
    private readonly List<FilterNode> _nodes = [];
    private readonly Dictionary<FilterNode, int> _ids = [];

    public IReadOnlyList<FilterNode> Nodes => _nodes;

    public FilterNode this[int id] => _nodes[id];

    /// <summary>The cBPF program that starts at <paramref name="root"/>: redundant loads removed, then laid out.</summary>
    public ClassicInstruction[] Emit(int root)
    {
        var (optimised, optimisedRoot) = RedundantLoads.Remove(this, root);
        return ClassicLayout.Emit(optimised, optimisedRoot);
    }

    public int Return(uint k) => Intern(new FilterNode(FilterNodeKind.Return, RetK, k, -1, -1));

    public int Load(uint offset, int next) => Intern(new FilterNode(FilterNodeKind.Load, LdAbsW, offset, next, -1));

    public int And(uint mask, int next) => Intern(new FilterNode(FilterNodeKind.And, AndK, mask, next, -1));

    /// <summary>A conditional jump (JeqK, JgtK, JgeK, JsetK) on A against <paramref name="k"/>.</summary>
    public int Jump(ushort code, uint k, int whenTrue, int whenFalse)
    {
        whenTrue = Thread(code, k, outcome: true, whenTrue);
        whenFalse = Thread(code, k, outcome: false, whenFalse);
        if (whenTrue == whenFalse) return whenTrue;
        return Intern(new FilterNode(FilterNodeKind.Jump, code, k, whenTrue, whenFalse));
    }

    /// <summary>Follows jumps on A whose outcome is implied by having taken <paramref name="outcome"/> on (code, k).</summary>
    private int Thread(ushort code, uint k, bool outcome, int target)
    {
        for (int guard = 0; guard < 64; guard++)
        {
            var n = _nodes[target];
            if (n.Kind != FilterNodeKind.Jump) return target;
            bool? implied = Implied(code, k, outcome, n.Code, n.K);
            if (implied is null) return target;
            target = implied.Value ? n.True : n.False;
        }
        return target;
    }

    /// <summary>The outcome of test (code2, k2) when (code1, k1) had outcome1, if it follows; A unchanged.</summary>
    private static bool? Implied(ushort code1, uint k1, bool outcome1, ushort code2, uint k2)
    {
        if (code1 == code2 && k1 == k2) return outcome1;
        // Unsigned A <= 0 (or A < 1) means A == 0.
        if (!outcome1 && ((code1 == JgtK && k1 == 0) || (code1 == JgeK && k1 == 1)))
            return Implied(JeqK, 0, true, code2, k2);
        if (code1 == JeqK && outcome1)
            return code2 switch
            {
                JeqK => k1 == k2,
                JgtK => k1 > k2,
                JgeK => k1 >= k2,
                JsetK => (k1 & k2) != 0,
                _ => null,
            };
        // A > k1 (or A >= k1) is known: tests that every such A passes or fails.
        if ((code1 == JgtK || code1 == JgeK) && outcome1)
        {
            ulong min = code1 == JgtK ? (ulong)k1 + 1 : k1;
            return code2 switch
            {
                JgtK when min > k2 => true,
                JgeK when min >= k2 => true,
                JeqK when min > k2 => false,
                _ => null,
            };
        }
        // A <= k1 (jgt false) or A < k1 (jge false).
        if ((code1 == JgtK || code1 == JgeK) && !outcome1)
        {
            long max = code1 == JgtK ? k1 : (long)k1 - 1;
            return code2 switch
            {
                JgtK when max <= k2 => false,
                JgeK when max < k2 => false,
                JeqK when max < k2 => false,
                _ => null,
            };
        }
        return null;
    }

    private int Intern(FilterNode node)
    {
        if (_ids.TryGetValue(node, out var id)) return id;
        id = _nodes.Count;
        _nodes.Add(node);
        _ids[node] = id;
        return id;
    }
}
