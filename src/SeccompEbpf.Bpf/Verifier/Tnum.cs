using System.Numerics;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// A tracked number: the bits of a 64-bit value that are known. Bit i is unknown when Mask bit i
/// is set; otherwise it equals Value bit i. Value and Mask never share a set bit. The operations
/// return a tnum that contains every result the concrete operation can give.
/// </summary>
public readonly record struct Tnum(ulong Value, ulong Mask)
{
    public static readonly Tnum Unknown = new(0, ulong.MaxValue);

    public static Tnum Const(ulong v) => new(v, 0);

    public bool IsConst => Mask == 0;

    /// <summary>Smallest tnum containing every value in [min, max].</summary>
    public static Tnum Range(ulong min, ulong max)
    {
        ulong chi = min ^ max;
        int bits = 64 - BitOperations.LeadingZeroCount(chi);
        if (bits > 63) return Unknown;
        ulong delta = (1UL << bits) - 1;
        return new Tnum(min & ~delta, delta);
    }

    public static Tnum operator +(Tnum a, Tnum b)
    {
        ulong sm = a.Mask + b.Mask, sv = a.Value + b.Value;
        ulong chi = (sm + sv) ^ sv;
        ulong mu = chi | a.Mask | b.Mask;
        return new Tnum(sv & ~mu, mu);
    }

    public static Tnum operator -(Tnum a, Tnum b)
    {
        ulong dv = a.Value - b.Value;
        ulong chi = (dv + a.Mask) ^ (dv - b.Mask);
        ulong mu = chi | a.Mask | b.Mask;
        return new Tnum(dv & ~mu, mu);
    }

    public static Tnum operator &(Tnum a, Tnum b)
    {
        ulong alpha = a.Value | a.Mask, beta = b.Value | b.Mask, v = a.Value & b.Value;
        return new Tnum(v, alpha & beta & ~v);
    }

    public static Tnum operator |(Tnum a, Tnum b)
    {
        ulong v = a.Value | b.Value, mu = a.Mask | b.Mask;
        return new Tnum(v, mu & ~v);
    }

    public static Tnum operator ^(Tnum a, Tnum b)
    {
        ulong v = a.Value ^ b.Value, mu = a.Mask | b.Mask;
        return new Tnum(v & ~mu, mu);
    }

    /// <summary>Multiplication as a sum of shifted partial products; unknown partial products widen the mask.</summary>
    public static Tnum operator *(Tnum a, Tnum b)
    {
        ulong knownProduct = a.Value * b.Value;
        Tnum acc = Const(0);
        while (a.Value != 0 || a.Mask != 0)
        {
            if ((a.Value & 1) != 0) acc += new Tnum(0, b.Mask);
            else if ((a.Mask & 1) != 0) acc += new Tnum(0, b.Value | b.Mask);
            a = a.Rsh(1);
            b = b.Lsh(1);
        }
        return Const(knownProduct) + acc;
    }

    public Tnum Lsh(int n) => new(Value << n, Mask << n);
    public Tnum Rsh(int n) => new(Value >> n, Mask >> n);

    /// <summary>Arithmetic shift right of the value seen as <paramref name="bits"/> wide (32 or 64).</summary>
    public Tnum Arsh(int n, int bits)
    {
        if (bits == 32)
            return new Tnum((uint)((int)Value >> n), (uint)((int)Mask >> n));
        return new Tnum((ulong)((long)Value >> n), (ulong)((long)Mask >> n));
    }

    /// <summary>Values that both tnums allow.</summary>
    public Tnum Intersect(Tnum b)
    {
        ulong v = Value | b.Value, mu = Mask & b.Mask;
        return new Tnum(v & ~mu, mu);
    }

    /// <summary>Keeps the low <paramref name="bytes"/> bytes (zero-extension).</summary>
    public Tnum Cast(int bytes)
    {
        if (bytes >= 8) return this;
        ulong keep = (1UL << (bytes * 8)) - 1;
        return new Tnum(Value & keep, Mask & keep);
    }

    public Tnum Subreg => Cast(4);

    /// <summary>Replaces the low 32 bits with those of <paramref name="low"/>.</summary>
    public Tnum WithSubreg(Tnum low) => new((Value & ~0xffffffffUL) | (low.Value & 0xffffffffUL),
                                           (Mask & ~0xffffffffUL) | (low.Mask & 0xffffffffUL));

    /// <summary>True when every value of <paramref name="inner"/> is a value of this tnum.</summary>
    public bool Contains(Tnum inner) =>
        (inner.Mask & ~Mask) == 0 && (inner.Value & ~Mask) == Value;

    /// <summary>True when the two tnums share no value (a known bit differs).</summary>
    public bool DisjointFrom(Tnum b) => ((Value ^ b.Value) & ~(Mask | b.Mask)) != 0;

    public ulong Min => Value;
    public ulong Max => Value | Mask;

    public override string ToString() => IsConst ? $"{Value}" : $"(0x{Value:x}; 0x{Mask:x})";
}
