using System.Runtime.CompilerServices;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// Atomic read-modify-write operations on native addresses, one method per operation, called
/// directly from JIT code. Each returns the old value (zero-extended for 32-bit cells). Addresses
/// are checked and aligned by the caller.
/// <para>
/// Only add and exchange (single locked instructions: xadd, xchg) are inlined into JIT code. The
/// others expand to cmpxchg loops, which use fixed registers; inlined into large JIT methods, .NET's
/// JIT was seen to get register widths wrong around such code: r0 kept its upper bits after an
/// inlined 32-bit compare-exchange (differential test, seed 20261128, program 35621), and an
/// inlined 32-bit division narrowed its divisor's register (program 60642, see
/// <see cref="JitDivision"/>). And, or and xor are kept out of line as well, as a precaution: a
/// call passes and returns full-width values.
/// </para>
/// </summary>
public static unsafe class JitAtomics
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Add64(ulong a, ulong v) => (ulong)(Interlocked.Add(ref *(long*)a, (long)v) - (long)v);
    [MethodImpl(MethodImplOptions.NoInlining)] public static ulong Or64(ulong a, ulong v) => (ulong)Interlocked.Or(ref *(long*)a, (long)v);
    [MethodImpl(MethodImplOptions.NoInlining)] public static ulong And64(ulong a, ulong v) => (ulong)Interlocked.And(ref *(long*)a, (long)v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Xchg64(ulong a, ulong v) => (ulong)Interlocked.Exchange(ref *(long*)a, (long)v);
    [MethodImpl(MethodImplOptions.NoInlining)] public static ulong CmpXchg64(ulong a, ulong v, ulong expected) => (ulong)Interlocked.CompareExchange(ref *(long*)a, (long)v, (long)expected);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Xor64(ulong a, ulong v)
    {
        ref long cell = ref *(long*)a;
        long old;
        do old = Volatile.Read(ref cell);
        while (Interlocked.CompareExchange(ref cell, old ^ (long)v, old) != old);
        return (ulong)old;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Add32(ulong a, ulong v) => (uint)(Interlocked.Add(ref *(int*)a, (int)v) - (int)v);
    [MethodImpl(MethodImplOptions.NoInlining)] public static ulong Or32(ulong a, ulong v) => (uint)Interlocked.Or(ref *(int*)a, (int)v);
    [MethodImpl(MethodImplOptions.NoInlining)] public static ulong And32(ulong a, ulong v) => (uint)Interlocked.And(ref *(int*)a, (int)v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Xchg32(ulong a, ulong v) => (uint)Interlocked.Exchange(ref *(int*)a, (int)v);
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong CmpXchg32(ulong a, ulong v, ulong expected) => (uint)Interlocked.CompareExchange(ref *(int*)a, (int)v, (int)expected);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Xor32(ulong a, ulong v)
    {
        ref int cell = ref *(int*)a;
        int old;
        do old = Volatile.Read(ref cell);
        while (Interlocked.CompareExchange(ref cell, old ^ (int)v, old) != old);
        return (uint)old;
    }
}
