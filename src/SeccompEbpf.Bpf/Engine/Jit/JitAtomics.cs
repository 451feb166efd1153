using System.Runtime.CompilerServices;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// Atomic read-modify-write operations on native addresses, one method per operation so the JIT
/// emits a direct call that the runtime inlines to a locked instruction. Each returns the old
/// value (zero-extended for 32-bit cells). Addresses are checked and aligned by the caller.
/// </summary>
public static unsafe class JitAtomics
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Add64(ulong a, ulong v) => (ulong)(Interlocked.Add(ref *(long*)a, (long)v) - (long)v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Or64(ulong a, ulong v) => (ulong)Interlocked.Or(ref *(long*)a, (long)v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong And64(ulong a, ulong v) => (ulong)Interlocked.And(ref *(long*)a, (long)v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Xchg64(ulong a, ulong v) => (ulong)Interlocked.Exchange(ref *(long*)a, (long)v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong CmpXchg64(ulong a, ulong v, ulong expected) => (ulong)Interlocked.CompareExchange(ref *(long*)a, (long)v, (long)expected);

    public static ulong Xor64(ulong a, ulong v)
    {
        ref long cell = ref *(long*)a;
        long old;
        do old = Volatile.Read(ref cell);
        while (Interlocked.CompareExchange(ref cell, old ^ (long)v, old) != old);
        return (ulong)old;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Add32(ulong a, ulong v) => (uint)(Interlocked.Add(ref *(int*)a, (int)v) - (int)v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Or32(ulong a, ulong v) => (uint)Interlocked.Or(ref *(int*)a, (int)v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong And32(ulong a, ulong v) => (uint)Interlocked.And(ref *(int*)a, (int)v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Xchg32(ulong a, ulong v) => (uint)Interlocked.Exchange(ref *(int*)a, (int)v);
    public static ulong CmpXchg32(ulong a, ulong v, ulong expected) => CompareExchange32((int*)a, (int)v, (int)expected);

    /// <summary>
    /// Kept out of line on purpose. Inlined, .NET's JIT passed the 64-bit r0 as the comparand and
    /// took EAX as an already zero-extended result; but cmpxchg leaves EAX unwritten when it
    /// succeeds, so r0 kept its upper 32 bits (differential test, seed 20261128, program 35621).
    /// A call's 32-bit return is always zero-extended by the caller.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static uint CompareExchange32(int* cell, int v, int expected) => (uint)Interlocked.CompareExchange(ref *cell, v, expected);

    public static ulong Xor32(ulong a, ulong v)
    {
        ref int cell = ref *(int*)a;
        int old;
        do old = Volatile.Read(ref cell);
        while (Interlocked.CompareExchange(ref cell, old ^ (int)v, old) != old);
        return (uint)old;
    }
}
