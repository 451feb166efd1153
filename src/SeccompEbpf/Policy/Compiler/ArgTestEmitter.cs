using SeccompEbpf.Model;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Policy.Compiler;

/// <summary>
/// Emits one argument test as cBPF nodes. A is 32 bits, so a 64-bit test compares the high word
/// first and decides on it unless it equals the datum's high word, then compares the low word.
/// seccomp_data holds each argument in the ABI's byte order: on a big-endian ABI the high word
/// comes first. Loads are emitted every time; <see cref="RedundantLoads"/> removes the ones A
/// already holds.
/// </summary>
internal static class ArgTestEmitter
{
    /// <summary>
    /// A rule list in order: the first rule whose tests all pass gives its action; when none
    /// matches, control goes to <paramref name="fallback"/>. Returns the entry node.
    /// </summary>
    /// <param name="bigEndian">the ABI stores arguments big-endian (high word first).</param>
    public static int EmitRules(FilterGraph g, IReadOnlyList<RulePlan> rules, int fallback, bool bigEndian)
    {
        int next = fallback;
        for (int r = rules.Count - 1; r >= 0; r--)
        {
            var rule = rules[r];
            int pass = g.Return(rule.Action.Value);
            for (int t = rule.Tests.Count - 1; t >= 0; t--)
                pass = Emit(g, rule.Tests[t], pass, next, bigEndian);
            next = pass;
        }
        return next;
    }

    public static int Emit(FilterGraph g, ArgTest test, int pass, int fail, bool bigEndian)
    {
        uint first = (uint)SeccompData.ArgOffset(test.Index);
        uint lo = bigEndian ? first + 4 : first;
        uint hi = bigEndian ? first : first + 4;
        uint dlo = (uint)test.Datum, dhi = (uint)(test.Datum >> 32);
        uint mlo = (uint)test.Mask, mhi = (uint)(test.Mask >> 32);

        int LowWord(int ifTrue, int ifFalse) => g.Load(lo, Compare(g, test.Op, dlo, mlo, ifTrue, ifFalse));

        if (!test.Wide) return LowWord(pass, fail);

        switch (test.Op)
        {
            case ComparisonOperator.Equal:
                return g.Load(hi, g.Jump(JeqK, dhi, LowWord(pass, fail), fail));
            case ComparisonOperator.NotEqual:
                return g.Load(hi, g.Jump(JeqK, dhi, LowWord(pass, fail), pass));
            case ComparisonOperator.MaskedEqual:
                if (mhi == 0) return mlo == 0 ? pass : LowWord(pass, fail);
                int low = mlo == 0 ? pass : LowWord(pass, fail);
                return g.Load(hi, Compare(g, ComparisonOperator.MaskedEqual, dhi, mhi, low, fail));
            case ComparisonOperator.GreaterThan:
            case ComparisonOperator.GreaterOrEqual:
                // hi > dhi: pass; hi == dhi: decide on the low word; hi < dhi: fail.
                return g.Load(hi, g.Jump(JgtK, dhi, pass, g.Jump(JeqK, dhi, LowWord(pass, fail), fail)));
            case ComparisonOperator.LessThan:
            case ComparisonOperator.LessOrEqual:
                return g.Load(hi, g.Jump(JgtK, dhi, fail, g.Jump(JeqK, dhi, LowWord(pass, fail), pass)));
            default:
                throw new ArgumentOutOfRangeException(nameof(test));
        }
    }

    /// <summary>A 32-bit comparison of A with <paramref name="k"/>.</summary>
    private static int Compare(FilterGraph g, ComparisonOperator op, uint k, uint mask, int pass, int fail) => op switch
    {
        ComparisonOperator.Equal => g.Jump(JeqK, k, pass, fail),
        ComparisonOperator.NotEqual => g.Jump(JeqK, k, fail, pass),
        ComparisonOperator.GreaterThan => g.Jump(JgtK, k, pass, fail),
        ComparisonOperator.GreaterOrEqual => g.Jump(JgeK, k, pass, fail),
        ComparisonOperator.LessThan => g.Jump(JgeK, k, fail, pass),
        ComparisonOperator.LessOrEqual => g.Jump(JgtK, k, fail, pass),
        ComparisonOperator.MaskedEqual => MaskedEqual(g, k, mask, pass, fail),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static int MaskedEqual(FilterGraph g, uint datum, uint mask, int pass, int fail)
    {
        if (mask == 0) return pass; // datum was masked too: 0 == 0
        if (mask == uint.MaxValue) return g.Jump(JeqK, datum, pass, fail);
        // Checking that no bit of the mask is set needs no AND: jset.
        if (datum == 0) return g.Jump(JsetK, mask, fail, pass);
        return g.And(mask, g.Jump(JeqK, datum, pass, fail));
    }
}
