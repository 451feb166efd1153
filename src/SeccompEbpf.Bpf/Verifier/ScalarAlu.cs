using System.Buffers.Binary;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// ALU transfer functions on scalars: the result contains every value the real operation can
/// produce. 32-bit operations work on the low halves and zero-extend, as the ISA does.
/// </summary>
public static class ScalarAlu
{
    /// <summary>dst = dst OP src for the binary operations (not MOV, NEG, END).</summary>
    public static ScalarValue Binary(AluOp op, bool is64, ScalarValue dst, ScalarValue src, bool signedDivMod)
    {
        if (dst.IsConst && src.IsConst)
            return ScalarValue.Const(Concrete(op, is64, dst.ConstValue, src.ConstValue, signedDivMod));
        if (!is64)
        {
            var r = Width(op, dst.Low32, src.Low32, signedDivMod);
            return r is { } low32 ? ScalarValue.FromZext32(low32) : ScalarValue.UnknownOfSize(4);
        }
        var full = Width(op, dst.Full, src.Full, signedDivMod);
        if (full is null) return ScalarValue.Unknown;
        // The low half of add/sub/mul/and/or/xor/lsh depends only on the operands' low halves.
        WidthBounds? low = op is AluOp.Add or AluOp.Sub or AluOp.Mul or AluOp.And or AluOp.Or or AluOp.Xor
            ? Width(op, dst.Low32, src.Low32, signedDivMod) : null;
        return ScalarValue.Compose(full.Value, low);
    }

    private static WidthBounds? Width(AluOp op, WidthBounds a, WidthBounds b, bool signed)
    {
        int bits = a.Bits;
        switch (op)
        {
            case AluOp.Add: return a.Add(b);
            case AluOp.Sub: return a.Sub(b);
            case AluOp.Mul: return a.Mul(b);
            case AluOp.And: return a.And(b);
            case AluOp.Or: return a.Or(b);
            case AluOp.Xor: return a.Xor(b);
            case AluOp.Lsh or AluOp.Rsh or AluOp.Arsh:
                if (!b.IsConst || b.T.Value >= (ulong)bits) return null;
                int k = (int)b.T.Value;
                return op == AluOp.Lsh ? a.Lsh(k) : op == AluOp.Rsh ? a.Rsh(k) : a.Arsh(k);
            case AluOp.Div when !signed && b.IsConst && b.T.Value != 0: return a.DivConst(b.T.Value);
            case AluOp.Mod when !signed && b.IsConst && b.T.Value != 0: return a.ModConst(b.T.Value);
            default: return null;
        }
    }

    /// <summary>The exact result for known operands (division by zero gives 0, modulo by zero keeps dst, as the ISA says).</summary>
    public static ulong Concrete(AluOp op, bool is64, ulong a, ulong b, bool signed)
    {
        if (!is64) { a = (uint)a; b = (uint)b; }
        int mask = is64 ? 63 : 31;
        ulong r = op switch
        {
            AluOp.Add => a + b,
            AluOp.Sub => a - b,
            AluOp.Mul => a * b,
            AluOp.Or => a | b,
            AluOp.And => a & b,
            AluOp.Xor => a ^ b,
            AluOp.Lsh => a << (int)(b & (ulong)mask),
            AluOp.Rsh => a >> (int)(b & (ulong)mask),
            AluOp.Arsh => is64 ? (ulong)((long)a >> (int)(b & 63)) : (uint)((int)a >> (int)(b & 31)),
            AluOp.Div => b == 0 ? 0 : !signed ? a / b : SignedDiv(a, b, is64),
            AluOp.Mod => b == 0 ? a : !signed ? a % b : SignedMod(a, b, is64),
            _ => 0,
        };
        return is64 ? r : (uint)r;
    }

    private static ulong SignedDiv(ulong a, ulong b, bool is64)
    {
        if (is64) return (long)b == -1 ? (ulong)unchecked(-(long)a) : (ulong)((long)a / (long)b);
        return (int)b == -1 ? (uint)unchecked(-(int)a) : (uint)((int)a / (int)b);
    }

    private static ulong SignedMod(ulong a, ulong b, bool is64)
    {
        if (is64) return (long)b == -1 ? 0 : (ulong)((long)a % (long)b);
        return (int)b == -1 ? 0 : (uint)((int)a % (int)b);
    }

    /// <summary>dst = -dst.</summary>
    public static ScalarValue Neg(bool is64, ScalarValue v)
    {
        if (v.IsConst) return ScalarValue.Const(is64 ? unchecked(0 - v.ConstValue) : (uint)unchecked(0 - v.ConstValue));
        return is64 ? ScalarValue.Unknown : ScalarValue.UnknownOfSize(4);
    }

    /// <summary>Sign-extending move of the low <paramref name="bits"/> bits (movsx).</summary>
    public static ScalarValue SignExtend(bool is64, ScalarValue v, int bits)
    {
        if (v.IsConst)
        {
            long x = bits switch { 8 => (sbyte)v.ConstValue, 16 => (short)v.ConstValue, _ => (int)v.ConstValue };
            return ScalarValue.Const(is64 ? (ulong)x : (uint)x);
        }
        if (!is64) return ScalarValue.FromZext32(WidthBounds.Unknown(32) with
            { SMin = -(1L << (bits - 1)), SMax = (1L << (bits - 1)) - 1 });
        long lo = -(1L << (bits - 1)), hi = (1L << (bits - 1)) - 1;
        return (ScalarValue.Unknown with { SMin = lo, SMax = hi }).Normalize();
    }

    /// <summary>Byte swaps: to-le truncates on this little-endian model; to-be and bswap reverse the bytes.</summary>
    public static ScalarValue ByteSwap(ScalarValue v, int bits, bool swap)
    {
        if (!swap) return v.IsConst ? ScalarValue.Const(Truncate(v.ConstValue, bits)) : Truncated(v, bits);
        if (!v.IsConst) return ScalarValue.UnknownOfSize(bits / 8);
        ulong x = v.ConstValue;
        return ScalarValue.Const(bits switch
        {
            16 => BinaryPrimitives.ReverseEndianness((ushort)x),
            32 => BinaryPrimitives.ReverseEndianness((uint)x),
            _ => BinaryPrimitives.ReverseEndianness(x),
        });
    }

    private static ulong Truncate(ulong x, int bits) => bits >= 64 ? x : x & ((1UL << bits) - 1);

    private static ScalarValue Truncated(ScalarValue v, int bits)
    {
        if (bits >= 64) return v;
        if (v.UMax < (1UL << bits)) return v;
        var t = v.Bits.Cast(bits / 8);
        return ScalarValue.FromZext32(WidthBounds.FromTnum(32, t));
    }

    /// <summary>The zero-extended low half (32-bit mov).</summary>
    public static ScalarValue Zext32(ScalarValue v) => ScalarValue.FromZext32(v.Low32);
}
