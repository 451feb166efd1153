using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Engine;

/// <summary>
/// STX|ATOMIC operations (RFC 9669 §5.3) with real atomicity (Interlocked), because map values are
/// shared between threads running the same program. The address must already be checked and aligned.
/// </summary>
public static unsafe class AtomicSemantics
{
    /// <summary>
    /// Performs atomic op <paramref name="imm"/> on the 4- or 8-byte value at <paramref name="address"/>.
    /// With the fetch flag the old value goes to <paramref name="src"/>; cmpxchg compares with and
    /// returns the old value in <paramref name="r0"/>. 32-bit results are zero-extended.
    /// </summary>
    public static bool TryExecute(int imm, bool is64, ulong address, ref ulong src, ref ulong r0)
    {
        if (is64)
        {
            ref long cell = ref *(long*)address;
            long operand = (long)src;
            long old;
            switch (imm & ~AtomicOp.Fetch)
            {
                case AtomicOp.Add: old = Interlocked.Add(ref cell, operand) - operand; break;
                case AtomicOp.Or: old = Interlocked.Or(ref cell, operand); break;
                case AtomicOp.And: old = Interlocked.And(ref cell, operand); break;
                case AtomicOp.Xor: old = Xor(ref cell, operand); break;
                case AtomicOp.Xchg & ~AtomicOp.Fetch when imm == AtomicOp.Xchg: old = Interlocked.Exchange(ref cell, operand); break;
                case AtomicOp.CmpXchg & ~AtomicOp.Fetch when imm == AtomicOp.CmpXchg:
                    r0 = (ulong)Interlocked.CompareExchange(ref cell, operand, (long)r0);
                    return true;
                default: return false;
            }
            if ((imm & AtomicOp.Fetch) != 0) src = (ulong)old;
            return true;
        }
        else
        {
            ref int cell = ref *(int*)address;
            int operand = (int)src;
            int old;
            switch (imm & ~AtomicOp.Fetch)
            {
                case AtomicOp.Add: old = Interlocked.Add(ref cell, operand) - operand; break;
                case AtomicOp.Or: old = Interlocked.Or(ref cell, operand); break;
                case AtomicOp.And: old = Interlocked.And(ref cell, operand); break;
                case AtomicOp.Xor: old = Xor(ref cell, operand); break;
                case AtomicOp.Xchg & ~AtomicOp.Fetch when imm == AtomicOp.Xchg: old = Interlocked.Exchange(ref cell, operand); break;
                case AtomicOp.CmpXchg & ~AtomicOp.Fetch when imm == AtomicOp.CmpXchg:
                    r0 = (uint)Interlocked.CompareExchange(ref cell, operand, (int)r0);
                    return true;
                default: return false;
            }
            if ((imm & AtomicOp.Fetch) != 0) src = (uint)old;
            return true;
        }
    }

    private static long Xor(ref long cell, long operand)
    {
        long old;
        do old = Volatile.Read(ref cell);
        while (Interlocked.CompareExchange(ref cell, old ^ operand, old) != old);
        return old;
    }

    private static int Xor(ref int cell, int operand)
    {
        int old;
        do old = Volatile.Read(ref cell);
        while (Interlocked.CompareExchange(ref cell, old ^ operand, old) != old);
        return old;
    }
}
