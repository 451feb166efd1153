using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// Conditional branches on scalars: whether the outcome is already decided, and what each
/// outcome teaches about both operands (the kernel's is_branch_taken and range refinement).
/// </summary>
public static class BranchLogic
{
    /// <summary>The condition that holds on the fall-through path of <paramref name="op"/>.</summary>
    public static JmpOp Negate(JmpOp op) => op switch
    {
        JmpOp.Jeq => JmpOp.Jne, JmpOp.Jne => JmpOp.Jeq,
        JmpOp.Jgt => JmpOp.Jle, JmpOp.Jle => JmpOp.Jgt,
        JmpOp.Jge => JmpOp.Jlt, JmpOp.Jlt => JmpOp.Jge,
        JmpOp.Jsgt => JmpOp.Jsle, JmpOp.Jsle => JmpOp.Jsgt,
        JmpOp.Jsge => JmpOp.Jslt, JmpOp.Jslt => JmpOp.Jsge,
        _ => op,
    };

    /// <summary>1: always taken, 0: never taken, -1: depends on the values.</summary>
    public static int IsTaken(JmpOp op, bool is64, ScalarValue a, ScalarValue b)
    {
        var x = is64 ? a.Full : a.Low32;
        var y = is64 ? b.Full : b.Low32;
        switch (op)
        {
            case JmpOp.Jeq:
                if (x.IsConst && y.IsConst) return x.T.Value == y.T.Value ? 1 : 0;
                if (x.T.DisjointFrom(y.T) || x.UMin > y.UMax || x.UMax < y.UMin || x.SMin > y.SMax || x.SMax < y.SMin) return 0;
                return -1;
            case JmpOp.Jne:
                int eq = IsTaken(JmpOp.Jeq, is64, a, b);
                return eq < 0 ? -1 : 1 - eq;
            case JmpOp.Jset:
                if ((x.T.Value & y.T.Value) != 0) return 1;
                if ((x.T.Max & y.T.Max) == 0) return 0;
                return -1;
            case JmpOp.Jgt: return x.UMin > y.UMax ? 1 : x.UMax <= y.UMin ? 0 : -1;
            case JmpOp.Jge: return x.UMin >= y.UMax ? 1 : x.UMax < y.UMin ? 0 : -1;
            case JmpOp.Jlt: return x.UMax < y.UMin ? 1 : x.UMin >= y.UMax ? 0 : -1;
            case JmpOp.Jle: return x.UMax <= y.UMin ? 1 : x.UMin > y.UMax ? 0 : -1;
            case JmpOp.Jsgt: return x.SMin > y.SMax ? 1 : x.SMax <= y.SMin ? 0 : -1;
            case JmpOp.Jsge: return x.SMin >= y.SMax ? 1 : x.SMax < y.SMin ? 0 : -1;
            case JmpOp.Jslt: return x.SMax < y.SMin ? 1 : x.SMin >= y.SMax ? 0 : -1;
            case JmpOp.Jsle: return x.SMax <= y.SMin ? 1 : x.SMin > y.SMax ? 0 : -1;
        }
        return -1;
    }

    /// <summary>Narrows both operands, assuming "a OP b" holds. An empty result means the path is impossible.</summary>
    public static (ScalarValue A, ScalarValue B) Refine(JmpOp op, bool is64, ScalarValue a, ScalarValue b)
    {
        var x = is64 ? a.Full : a.Low32;
        var y = is64 ? b.Full : b.Low32;
        (x, y) = RefineWidth(op, x, y);
        return (Merge(a, x), Merge(b, y));
    }

    private static (WidthBounds, WidthBounds) RefineWidth(JmpOp op, WidthBounds x, WidthBounds y)
    {
        ulong uHigh = x.Bits == 64 ? ulong.MaxValue : uint.MaxValue;
        long sLow = x.Bits == 64 ? long.MinValue : int.MinValue;
        long sHigh = x.Bits == 64 ? long.MaxValue : int.MaxValue;
        WidthBounds Empty(WidthBounds w) => w with { UMin = 1, UMax = 0 };
        switch (op)
        {
            case JmpOp.Jeq:
            {
                if (x.T.DisjointFrom(y.T)) return (Empty(x), Empty(y));
                var both = x with
                {
                    T = x.T.Intersect(y.T),
                    UMin = Math.Max(x.UMin, y.UMin), UMax = Math.Min(x.UMax, y.UMax),
                    SMin = Math.Max(x.SMin, y.SMin), SMax = Math.Min(x.SMax, y.SMax),
                };
                return (both, both);
            }
            case JmpOp.Jne:
                if (y.IsConst) x = ExcludeEdge(x, y.T.Value, sLow, sHigh, uHigh);
                else if (x.IsConst) y = ExcludeEdge(y, x.T.Value, sLow, sHigh, uHigh);
                return (x, y);
            case JmpOp.Jset:
                if (y.IsConst && System.Numerics.BitOperations.PopCount(y.T.Value) == 1)
                    x = x with { T = x.T | y.T };
                return (x, y);
            case JmpOp.Jgt:
                if (y.UMin == uHigh || x.UMax == 0) return (Empty(x), Empty(y));
                return (x with { UMin = Math.Max(x.UMin, y.UMin + 1) }, y with { UMax = Math.Min(y.UMax, x.UMax - 1) });
            case JmpOp.Jge:
                return (x with { UMin = Math.Max(x.UMin, y.UMin) }, y with { UMax = Math.Min(y.UMax, x.UMax) });
            case JmpOp.Jlt: { var (b2, a2) = RefineWidth(JmpOp.Jgt, y, x); return (a2, b2); }
            case JmpOp.Jle: { var (b2, a2) = RefineWidth(JmpOp.Jge, y, x); return (a2, b2); }
            case JmpOp.Jsgt:
                if (y.SMin == sHigh || x.SMax == sLow) return (Empty(x), Empty(y));
                return (x with { SMin = Math.Max(x.SMin, y.SMin + 1) }, y with { SMax = Math.Min(y.SMax, x.SMax - 1) });
            case JmpOp.Jsge:
                return (x with { SMin = Math.Max(x.SMin, y.SMin) }, y with { SMax = Math.Min(y.SMax, x.SMax) });
            case JmpOp.Jslt: { var (b2, a2) = RefineWidth(JmpOp.Jsgt, y, x); return (a2, b2); }
            case JmpOp.Jsle: { var (b2, a2) = RefineWidth(JmpOp.Jsge, y, x); return (a2, b2); }
        }
        return (x, y);
    }

    /// <summary>JSET not taken: the constant's bits are all zero in dst.</summary>
    public static ScalarValue RefineJsetFalse(bool is64, ScalarValue a, ScalarValue b)
    {
        if (!b.IsConst) return a;
        ulong c = is64 ? b.ConstValue : (uint)b.ConstValue;
        var t = new Tnum(a.Bits.Value & ~c, a.Bits.Mask & ~c);
        return (a with { Bits = t }).Normalize();
    }

    /// <summary>"x != c": a range that starts or ends at c loses that end.</summary>
    private static WidthBounds ExcludeEdge(WidthBounds x, ulong c, long sLow, long sHigh, ulong uHigh)
    {
        long sc = x.Bits == 64 ? (long)c : (int)(uint)c;
        if (x.UMin == c && c < uHigh) x = x with { UMin = c + 1 };
        else if (x.UMin == c) x = x with { UMin = 1, UMax = 0 };
        if (x.UMax == c && c > 0) x = x with { UMax = c - 1 };
        else if (x.UMax == c) x = x with { UMin = 1, UMax = 0 };
        if (x.SMin == sc && sc < sHigh) x = x with { SMin = sc + 1 };
        if (x.SMax == sc && sc > sLow) x = x with { SMax = sc - 1 };
        return x;
    }

    private static ScalarValue Merge(ScalarValue v, WidthBounds w)
    {
        if (w.UMin > w.UMax || w.SMin > w.SMax) return v with { UMin = 1, UMax = 0 };
        if (w.Bits == 64)
            return (v with { Bits = w.T, SMin = w.SMin, SMax = w.SMax, UMin = w.UMin, UMax = w.UMax }).Normalize();
        return (v with
        {
            Bits = v.Bits.WithSubreg(w.T),
            S32Min = (int)w.SMin, S32Max = (int)w.SMax, U32Min = (uint)w.UMin, U32Max = (uint)w.UMax,
        }).Normalize();
    }
}
