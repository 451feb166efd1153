namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// Everything known about a 64-bit number: known bits, signed/unsigned 64-bit ranges and
/// signed/unsigned ranges of the low 32 bits. <see cref="Normalize"/> makes the facts agree
/// (each is narrowed by the others); <see cref="IsEmpty"/> means no number fits them all, which
/// marks a branch that cannot be taken.
/// </summary>
public readonly record struct ScalarValue(
    Tnum Bits, long SMin, long SMax, ulong UMin, ulong UMax,
    int S32Min, int S32Max, uint U32Min, uint U32Max)
{
    public static readonly ScalarValue Unknown = new(Tnum.Unknown, long.MinValue, long.MaxValue, 0, ulong.MaxValue,
        int.MinValue, int.MaxValue, 0, uint.MaxValue);

    public static ScalarValue Const(ulong v) =>
        new(Tnum.Const(v), (long)v, (long)v, v, v, (int)(uint)v, (int)(uint)v, (uint)v, (uint)v);

    /// <summary>An unknown value of <paramref name="bytes"/> bytes, zero-extended (a narrow load).</summary>
    public static ScalarValue UnknownOfSize(int bytes) =>
        bytes >= 8 ? Unknown : FromZext32(WidthBounds.FromTnum(32, new Tnum(0, (1UL << (bytes * 8)) - 1)));

    public bool IsConst => Bits.IsConst;
    public ulong ConstValue => Bits.Value;

    public bool IsEmpty => SMin > SMax || UMin > UMax || S32Min > S32Max || U32Min > U32Max
        || Bits.Min > UMax || Bits.Max < UMin;

    internal WidthBounds Full => new(64, Bits, SMin, SMax, UMin, UMax);
    internal WidthBounds Low32 => new(32, Bits.Subreg, S32Min, S32Max, U32Min, U32Max);

    /// <summary>A 64-bit result whose low half is also described by <paramref name="low"/> (when known).</summary>
    internal static ScalarValue Compose(WidthBounds full, WidthBounds? low)
    {
        var lo = low ?? WidthBounds.FromTnum(32, full.T);
        var t = full.T.WithSubreg(full.T.Subreg.Intersect(lo.T));
        return new ScalarValue(t, full.SMin, full.SMax, full.UMin, full.UMax,
            (int)lo.SMin, (int)lo.SMax, (uint)lo.UMin, (uint)lo.UMax).Normalize();
    }

    /// <summary>The result of a 32-bit operation: the low half, upper 32 bits zero.</summary>
    internal static ScalarValue FromZext32(WidthBounds low)
    {
        var t = low.T.Subreg;
        return new ScalarValue(t, (long)low.UMin, (long)low.UMax, low.UMin, low.UMax,
            (int)low.SMin, (int)low.SMax, (uint)low.UMin, (uint)low.UMax).Normalize();
    }

    /// <summary>Makes tnum and the four ranges agree; run twice so facts flow both ways.</summary>
    public ScalarValue Normalize()
    {
        var s = this;
        for (int round = 0; round < 2 && !s.IsEmpty; round++)
            s = s.NarrowFromBits().Deduce32().Deduce64().BitsFromRanges();
        return s;
    }

    private ScalarValue NarrowFromBits()
    {
        var t = Bits; var t32 = Bits.Subreg;
        return this with
        {
            SMin = Math.Max(SMin, (long)(t.Value | (t.Mask & 0x8000000000000000UL))),
            SMax = Math.Min(SMax, (long)(t.Value | (t.Mask & 0x7fffffffffffffffUL))),
            UMin = Math.Max(UMin, t.Min),
            UMax = Math.Min(UMax, t.Max),
            S32Min = Math.Max(S32Min, (int)(uint)(t32.Value | (t32.Mask & 0x80000000UL))),
            S32Max = Math.Min(S32Max, (int)(uint)(t32.Value | (t32.Mask & 0x7fffffffUL))),
            U32Min = Math.Max(U32Min, (uint)t32.Min),
            U32Max = Math.Min(U32Max, (uint)t32.Max),
        };
    }

    private ScalarValue Deduce32()
    {
        var s = this;
        // A 64-bit range whose upper halves agree fixes a contiguous range of the low half.
        if ((s.UMin >> 32) == (s.UMax >> 32))
        {
            s = s with { U32Min = Math.Max(s.U32Min, (uint)s.UMin), U32Max = Math.Min(s.U32Max, (uint)s.UMax) };
            if ((int)(uint)s.UMin <= (int)(uint)s.UMax)
                s = s with { S32Min = Math.Max(s.S32Min, (int)(uint)s.UMin), S32Max = Math.Min(s.S32Max, (int)(uint)s.UMax) };
        }
        if ((s.SMin >> 32) == (s.SMax >> 32))
        {
            s = s with { U32Min = Math.Max(s.U32Min, (uint)s.SMin), U32Max = Math.Min(s.U32Max, (uint)s.SMax) };
            if ((int)s.SMin <= (int)s.SMax)
                s = s with { S32Min = Math.Max(s.S32Min, (int)s.SMin), S32Max = Math.Min(s.S32Max, (int)s.SMax) };
        }
        // Signed and unsigned 32-bit ranges agree when they do not cross a sign boundary.
        if ((int)s.U32Min <= (int)s.U32Max)
            s = s with { S32Min = Math.Max(s.S32Min, (int)s.U32Min), S32Max = Math.Min(s.S32Max, (int)s.U32Max) };
        if ((uint)s.S32Min <= (uint)s.S32Max)
            s = s with { U32Min = Math.Max(s.U32Min, (uint)s.S32Min), U32Max = Math.Min(s.U32Max, (uint)s.S32Max) };
        return s;
    }

    private ScalarValue Deduce64()
    {
        var s = this;
        if ((long)s.UMin <= (long)s.UMax)
            s = s with { SMin = Math.Max(s.SMin, (long)s.UMin), SMax = Math.Min(s.SMax, (long)s.UMax) };
        if ((ulong)s.SMin <= (ulong)s.SMax)
            s = s with { UMin = Math.Max(s.UMin, (ulong)s.SMin), UMax = Math.Min(s.UMax, (ulong)s.SMax) };
        // Known upper half: the 32-bit ranges bound the whole value.
        if ((s.Bits.Mask >> 32) == 0 && s.U32Min <= s.U32Max)
        {
            ulong hi = s.Bits.Value & 0xffffffff00000000UL;
            s = s with
            {
                UMin = Math.Max(s.UMin, hi | s.U32Min), UMax = Math.Min(s.UMax, hi | s.U32Max),
                SMin = Math.Max(s.SMin, (long)(hi | s.U32Min)), SMax = Math.Min(s.SMax, (long)(hi | s.U32Max)),
            };
        }
        return s;
    }

    private ScalarValue BitsFromRanges()
    {
        if (IsEmpty) return this;
        var range = Tnum.Range(UMin, UMax);
        if (Bits.DisjointFrom(range)) return this with { UMin = 1, UMax = 0 };
        var t = Bits.Intersect(range);
        var low = Tnum.Range(U32Min, U32Max);
        if (t.Subreg.DisjointFrom(low)) return this with { U32Min = 1, U32Max = 0 };
        return this with { Bits = t.WithSubreg(t.Subreg.Intersect(low)) };
    }

    /// <summary>True when every number this value allows is also allowed by <paramref name="outer"/> (state pruning).</summary>
    public bool IsWithin(ScalarValue outer) =>
        outer.Bits.Contains(Bits) && SMin >= outer.SMin && SMax <= outer.SMax && UMin >= outer.UMin && UMax <= outer.UMax
        && S32Min >= outer.S32Min && S32Max <= outer.S32Max && U32Min >= outer.U32Min && U32Max <= outer.U32Max;

    public override string ToString()
    {
        if (IsConst) return ((long)ConstValue).ToString();
        var parts = new List<string>();
        if (SMin != long.MinValue) parts.Add($"smin={SMin}");
        if (SMax != long.MaxValue) parts.Add($"smax={SMax}");
        if (UMin != 0) parts.Add($"umin={UMin}");
        if (UMax != ulong.MaxValue) parts.Add($"umax={UMax}");
        if (S32Min != int.MinValue) parts.Add($"smin32={S32Min}");
        if (S32Max != int.MaxValue) parts.Add($"smax32={S32Max}");
        if (U32Min != 0) parts.Add($"umin32={U32Min}");
        if (U32Max != uint.MaxValue) parts.Add($"umax32={U32Max}");
        if (Bits.Mask != ulong.MaxValue) parts.Add($"var_off=(0x{Bits.Value:x}; 0x{Bits.Mask:x})");
        return parts.Count == 0 ? "" : "(" + string.Join(",", parts) + ")";
    }
}
