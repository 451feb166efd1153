using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Policy.Compiler;

/// <summary>A run of syscall numbers [Low, High] that all go to one node; Weight is how many real syscalls it holds.</summary>
internal readonly record struct NrRange(uint Low, uint High, int Target, double Weight);

/// <summary>A search tree over syscall numbers: a leaf names a target; a split sends numbers &gt;= Low right.</summary>
internal abstract record DispatchTree
{
    public sealed record Leaf(int Target) : DispatchTree;
    public sealed record Split(uint Low, DispatchTree AtLeast, DispatchTree Below) : DispatchTree;
}

/// <summary>
/// Dispatch on the syscall number (already in A) as a search tree over ranges: consecutive numbers
/// with the same code form one range, and the tree minimises the expected number of comparisons
/// for a syscall picked uniformly among the ABI's real system calls (optimal alphabetic tree,
/// dynamic programming; weight-balanced splits above a size limit).
/// </summary>
internal static class SyscallDispatch
{
    private const int ExactLimit = 300;

    /// <param name="targets">code for each listed number.</param>
    /// <param name="otherwise">code for a number not listed (numbers outside every range).</param>
    /// <param name="breakpoints">numbers where <paramref name="otherwise"/> may change its answer.</param>
    /// <param name="realNumbers">the ABI's real system calls (for the weights).</param>
    public static int Emit(FilterGraph g, IReadOnlyDictionary<uint, int> targets, Func<uint, int> otherwise,
        IReadOnlyList<uint> breakpoints, IReadOnlyCollection<uint> realNumbers) =>
        EmitTree(g, Plan(targets, otherwise, breakpoints, realNumbers));

    private static int EmitTree(FilterGraph g, DispatchTree tree) => tree switch
    {
        DispatchTree.Leaf leaf => leaf.Target,
        DispatchTree.Split split => g.Jump(JgeK, split.Low, EmitTree(g, split.AtLeast), EmitTree(g, split.Below)),
        _ => throw new ArgumentOutOfRangeException(nameof(tree)),
    };

    /// <summary>The search tree, independent of the instruction set (used by the cBPF and eBPF compilers).</summary>
    public static DispatchTree Plan(IReadOnlyDictionary<uint, int> targets, Func<uint, int> otherwise,
        IReadOnlyList<uint> breakpoints, IReadOnlyCollection<uint> realNumbers)
    {
        var ranges = BuildRanges(targets, otherwise, breakpoints, realNumbers);
        return ranges.Count <= ExactLimit ? PlanOptimal(ranges) : PlanBalanced(ranges, 0, ranges.Count - 1);
    }

    /// <summary>
    /// Splits [0, 2^32) at every listed number and every breakpoint, assigns codes and merges
    /// neighbours with the same code.
    /// </summary>
    private static List<NrRange> BuildRanges(IReadOnlyDictionary<uint, int> targets, Func<uint, int> otherwise,
        IReadOnlyList<uint> breakpoints, IReadOnlyCollection<uint> realNumbers)
    {
        var starts = new SortedSet<uint> { 0 };
        foreach (var nr in targets.Keys)
        {
            starts.Add(nr);
            if (nr != uint.MaxValue) starts.Add(nr + 1);
        }
        foreach (var b in breakpoints) starts.Add(b);
        var sorted = starts.ToList();
        var real = realNumbers.OrderBy(n => n).ToArray();

        var ranges = new List<NrRange>();
        for (int i = 0; i < sorted.Count; i++)
        {
            uint low = sorted[i];
            uint high = i + 1 < sorted.Count ? sorted[i + 1] - 1 : uint.MaxValue;
            int target = targets.TryGetValue(low, out var t) && low == high ? t : otherwise(low);
            double weight = CountIn(real, low, high) + 1e-3; // every range costs a little, even without real calls
            if (ranges.Count > 0 && ranges[^1].Target == target)
                ranges[^1] = ranges[^1] with { High = high, Weight = ranges[^1].Weight + weight };
            else
                ranges.Add(new NrRange(low, high, target, weight));
        }
        return ranges;
    }

    private static int CountIn(uint[] sorted, uint low, uint high)
    {
        int a = LowerBound(sorted, low);
        int b = high == uint.MaxValue ? sorted.Length : LowerBound(sorted, high + 1);
        return b - a;
    }

    private static int LowerBound(uint[] sorted, uint value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Optimal alphabetic tree: cost(i,j) = W(i,j) + min over split s of cost(i,s-1) + cost(s,j).</summary>
    private static DispatchTree PlanOptimal(List<NrRange> ranges)
    {
        int n = ranges.Count;
        var prefix = new double[n + 1];
        for (int i = 0; i < n; i++) prefix[i + 1] = prefix[i] + ranges[i].Weight;
        var cost = new double[n, n];
        var split = new int[n, n];
        for (int len = 2; len <= n; len++)
            for (int i = 0; i + len - 1 < n; i++)
            {
                int j = i + len - 1;
                double best = double.MaxValue;
                int bestS = i + 1;
                for (int s = i + 1; s <= j; s++)
                {
                    double c = cost[i, s - 1] + cost[s, j];
                    if (c < best) { best = c; bestS = s; }
                }
                cost[i, j] = best + prefix[j + 1] - prefix[i];
                split[i, j] = bestS;
            }
        DispatchTree Build(int i, int j) => i == j
            ? new DispatchTree.Leaf(ranges[i].Target)
            : new DispatchTree.Split(ranges[split[i, j]].Low, Build(split[i, j], j), Build(i, split[i, j] - 1));
        return Build(0, n - 1);
    }

    private static DispatchTree PlanBalanced(List<NrRange> ranges, int i, int j)
    {
        if (i == j) return new DispatchTree.Leaf(ranges[i].Target);
        double total = 0, left = 0;
        for (int k = i; k <= j; k++) total += ranges[k].Weight;
        int s = i + 1;
        for (; s < j; s++)
        {
            left += ranges[s - 1].Weight;
            if (left + ranges[s].Weight / 2 >= total / 2) break;
        }
        return new DispatchTree.Split(ranges[s].Low, PlanBalanced(ranges, s, j), PlanBalanced(ranges, i, s - 1));
    }
}
