namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// The facts about one view of a register, 64 or 32 bits wide: known bits and the signed and
/// unsigned ranges. In the 32-bit view the values live in the 32-bit domains (signed as int,
/// unsigned below 2^32). Arithmetic returns the widest range when a result may wrap.
/// </summary>
internal readonly record struct WidthBounds(int Bits, Tnum T, long SMin, long SMax, ulong UMin, ulong UMax)
{
    private long SignedLow => Bits == 64 ? long.MinValue : int.MinValue;
    private long SignedHigh => Bits == 64 ? long.MaxValue : int.MaxValue;
    private ulong UnsignedHigh => Bits == 64 ? ulong.MaxValue : uint.MaxValue;

    public static WidthBounds Unknown(int bits) => bits == 64
        ? new(64, Tnum.Unknown, long.MinValue, long.MaxValue, 0, ulong.MaxValue)
        : new(32, new Tnum(0, uint.MaxValue), int.MinValue, int.MaxValue, 0, uint.MaxValue);

    public static WidthBounds Const(int bits, ulong v)
    {
        if (bits == 32) { v = (uint)v; return new(32, Tnum.Const(v), (int)(uint)v, (int)(uint)v, v, v); }
        return new(64, Tnum.Const(v), (long)v, (long)v, v, v);
    }

    /// <summary>Bounds from the known bits only.</summary>
    public static WidthBounds FromTnum(int bits, Tnum t)
    {
        var u = Unknown(bits);
        t = bits == 32 ? t.Subreg : t;
        ulong sign = bits == 64 ? 1UL << 63 : 1UL << 31;
        long smin = ToSigned(bits, t.Value | (t.Mask & sign));
        long smax = ToSigned(bits, t.Value | (t.Mask & (sign - 1)));
        return u with { T = t, UMin = t.Min, UMax = t.Max, SMin = smin, SMax = smax };
    }

    private static long ToSigned(int bits, ulong v) => bits == 64 ? (long)v : (int)(uint)v;

    public bool IsConst => T.IsConst;

    private WidthBounds WithT(Tnum t) => this with { T = Bits == 32 ? t.Subreg : t };

    private WidthBounds UnsignedUnknown => this with { UMin = 0, UMax = UnsignedHigh };
    private WidthBounds SignedUnknown => this with { SMin = SignedLow, SMax = SignedHigh };

    public WidthBounds Add(WidthBounds b)
    {
        var r = WithT(T + b.T);
        long smin = SMin + b.SMin, smax = SMax + b.SMax;
        bool sOverflow = Bits == 64
            ? ((SMin ^ smin) & (b.SMin ^ smin)) < 0 || ((SMax ^ smax) & (b.SMax ^ smax)) < 0
            : smin < int.MinValue || smax > int.MaxValue;
        r = sOverflow ? r.SignedUnknown : r with { SMin = smin, SMax = smax };
        ulong umin = UMin + b.UMin, umax = UMax + b.UMax;
        bool uOverflow = Bits == 64 ? umin < UMin || umax < UMax : umax > uint.MaxValue;
        return uOverflow ? r.UnsignedUnknown : r with { UMin = umin, UMax = umax };
    }

    public WidthBounds Sub(WidthBounds b)
    {
        var r = WithT(T - b.T);
        long smin = SMin - b.SMax, smax = SMax - b.SMin;
        bool sOverflow = Bits == 64
            ? ((SMin ^ b.SMax) & (SMin ^ smin)) < 0 || ((SMax ^ b.SMin) & (SMax ^ smax)) < 0
            : smin < int.MinValue || smax > int.MaxValue;
        r = sOverflow ? r.SignedUnknown : r with { SMin = smin, SMax = smax };
        if (UMin < b.UMax) return r.UnsignedUnknown;
        return r with { UMin = UMin - b.UMax, UMax = UMax - b.UMin };
    }

    public WidthBounds Mul(WidthBounds b)
    {
        var r = WithT(T * b.T).SignedUnknown;
        bool fits = Bits == 64
            ? UMax == 0 || b.UMax <= ulong.MaxValue / UMax
            : UMax * b.UMax <= uint.MaxValue;   // both below 2^32, so the product fits in 64 bits
        r = fits ? r with { UMin = UMin * b.UMin, UMax = UMax * b.UMax } : r.UnsignedUnknown;
        if (fits && r.UMax <= (ulong)SignedHigh) r = r with { SMin = (long)r.UMin, SMax = (long)r.UMax };
        return r;
    }

    public WidthBounds And(WidthBounds b)
    {
        var t = T & b.T;
        var r = FromTnum(Bits, t);
        r = r with { UMax = Math.Min(r.UMax, Math.Min(UMax, b.UMax)) };
        if (SMin >= 0 && b.SMin >= 0) r = r with { SMin = 0, SMax = Math.Min(r.SMax, Math.Min(SMax, b.SMax)) };
        return r;
    }

    public WidthBounds Or(WidthBounds b)
    {
        var r = FromTnum(Bits, T | b.T);
        return r with { UMin = Math.Max(r.UMin, Math.Max(UMin, b.UMin)) };
    }

    public WidthBounds Xor(WidthBounds b) => FromTnum(Bits, T ^ b.T);

    public WidthBounds Lsh(int k)
    {
        var r = FromTnum(Bits, T.Lsh(k));
        if (k == 0) return this;
        bool fits = (UMax >> (Bits - k)) == 0;
        return fits ? r with { UMin = Math.Max(r.UMin, UMin << k), UMax = Math.Min(r.UMax, UMax << k) } : r;
    }

    public WidthBounds Rsh(int k)
    {
        var r = FromTnum(Bits, T.Rsh(k));
        return r with { UMin = Math.Max(r.UMin, UMin >> k), UMax = Math.Min(r.UMax, UMax >> k) };
    }

    public WidthBounds Arsh(int k)
    {
        var r = FromTnum(Bits, T.Arsh(k, Bits));
        return r with { SMin = Math.Max(r.SMin, SMin >> k), SMax = Math.Min(r.SMax, SMax >> k) };
    }

    /// <summary>Unsigned division by a known non-zero constant.</summary>
    public WidthBounds DivConst(ulong c)
    {
        var r = Unknown(Bits) with { UMin = UMin / c, UMax = UMax / c };
        return r with { T = r.T.Intersect(Tnum.Range(r.UMin, r.UMax)) };
    }

    /// <summary>Unsigned modulo by a known non-zero constant.</summary>
    public WidthBounds ModConst(ulong c)
    {
        if (UMax < c) return this;
        var r = Unknown(Bits) with { UMin = 0, UMax = c - 1 };
        return r with { T = r.T.Intersect(Tnum.Range(0, c - 1)) };
    }

    public override string ToString() => $"w{Bits} s[{SMin},{SMax}] u[{UMin},{UMax}] {T}";
}
