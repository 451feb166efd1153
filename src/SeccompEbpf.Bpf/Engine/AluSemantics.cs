using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace SeccompEbpf.Bpf.Engine;

/// <summary>
/// The corner cases of BPF arithmetic in one place (RFC 9669 §4.1), shared by the interpreter and
/// the JIT: division by zero gives 0, modulo by zero keeps the dividend, signed INT_MIN / -1 gives
/// INT_MIN (and % -1 gives 0) instead of trapping, 32-bit results are zero-extended.
/// </summary>
public static class AluSemantics
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Div64(ulong a, ulong b) => b == 0 ? 0 : a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mod64(ulong a, ulong b) => b == 0 ? a : a % b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SDiv64(ulong a, ulong b)
    {
        long x = (long)a, y = (long)b;
        if (y == 0) return 0;
        if (y == -1) return (ulong)unchecked(-x); // INT_MIN / -1 wraps to INT_MIN
        return (ulong)(x / y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SMod64(ulong a, ulong b)
    {
        long x = (long)a, y = (long)b;
        if (y == 0) return a;
        if (y == -1) return 0;
        return (ulong)(x % y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Div32(ulong a, ulong b) => (uint)b == 0 ? 0 : (uint)a / (uint)b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mod32(ulong a, ulong b) => (uint)b == 0 ? (uint)a : (uint)a % (uint)b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SDiv32(ulong a, ulong b)
    {
        int x = (int)a, y = (int)b;
        if (y == 0) return 0;
        if (y == -1) return (uint)unchecked(-x);
        return (uint)(x / y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SMod32(ulong a, ulong b)
    {
        int x = (int)a, y = (int)b;
        if (y == 0) return (uint)x;
        if (y == -1) return 0;
        return (uint)(x % y);
    }

    /// <summary>BPF_END in ALU (to-le when <paramref name="toBigEndian"/> is false) on this little-endian host.</summary>
    public static ulong ByteSwapTo(ulong value, int bits, bool toBigEndian) => toBigEndian
        ? Swap(value, bits)
        : Truncate(value, bits);

    /// <summary>Unconditional byte swap (ALU64 BPF_END, "bswap"); the result is zero-extended from <paramref name="bits"/>.</summary>
    public static ulong Swap(ulong value, int bits) => bits switch
    {
        16 => BinaryPrimitives.ReverseEndianness((ushort)value),
        32 => BinaryPrimitives.ReverseEndianness((uint)value),
        _ => BinaryPrimitives.ReverseEndianness(value),
    };

    public static ulong Truncate(ulong value, int bits) => bits switch
    {
        16 => (ushort)value,
        32 => (uint)value,
        _ => value,
    };

    /// <summary>Sign-extending move (movsx): the low <paramref name="bits"/> of the value, sign-extended to 64.</summary>
    public static ulong SignExtend(ulong value, int bits) => bits switch
    {
        8 => (ulong)(long)(sbyte)value,
        16 => (ulong)(long)(short)value,
        32 => (ulong)(long)(int)value,
        _ => value,
    };
}
