using SeccompEbpf.Bpf.Isa;
using static SeccompEbpf.Bpf.Tests.Verifier.I;
using static SeccompEbpf.Bpf.Tests.Verifier.VerifierCase;
using R = SeccompEbpf.Bpf.Verifier.VerifierRule;

namespace SeccompEbpf.Bpf.Tests.Verifier;

internal static partial class VerifierCorpus
{
    private static IEnumerable<VerifierCase> StackCases()
    {
        yield return Accept("stack: store then load", St(MemSize.DW, R10, -8, 7), Ldx(MemSize.DW, R0, R10, -8), Exit());
        yield return Reject("stack: uninit read", R.UninitStackRead, Ldx(MemSize.DW, R0, R10, -8), Exit()).RefusingUninitializedStackReads();
        yield return Reject("stack: uninit read unprivileged", R.UninitStackRead, Ldx(MemSize.DW, R0, R10, -8), Exit()).Unprivileged();
        yield return Accept("stack: uninit read allowed for CAP_PERFMON", Ldx(MemSize.DW, R0, R10, -8), Exit());
        yield return Accept("stack: uninit variable-offset read allowed for CAP_PERFMON", Call(7), And(R0, 7), MovR(R1, R10), Add(R1, -16), AddR(R1, R0), Ldx(MemSize.B, R0, R1, 0), Exit());
        yield return Reject("stack: uninit read still bounds-checked for CAP_PERFMON", R.StackBounds, Ldx(MemSize.DW, R0, R10, -520), Exit());
        yield return Reject("stack: partially init read", R.UninitStackRead, St(MemSize.W, R10, -8, 1), Ldx(MemSize.DW, R0, R10, -8), Exit()).RefusingUninitializedStackReads();
        yield return Accept("stack: two halves make a word", St(MemSize.W, R10, -8, 1), St(MemSize.W, R10, -4, 2), Ldx(MemSize.DW, R0, R10, -8), Exit());
        yield return Reject("stack: read above frame", R.StackBounds, Ldx(MemSize.DW, R0, R10, 0), Exit());
        yield return Reject("stack: write below 512", R.StackBounds, St(MemSize.DW, R10, -520, 0), Mov(R0, 0), Exit());
        yield return Accept("stack: write at -512", St(MemSize.DW, R10, -512, 0), Mov(R0, 0), Exit());
        yield return Reject("stack: straddles top", R.StackBounds, St(MemSize.DW, R10, -4, 0), Mov(R0, 0), Exit());
        yield return Reject("stack: misaligned word", R.StackAlignment, St(MemSize.W, R10, -6, 0), Mov(R0, 0), Exit());
        yield return Reject("stack: misaligned dword", R.StackAlignment, St(MemSize.DW, R10, -12, 0), Mov(R0, 0), Exit());
        yield return Accept("stack: byte stores any offset", St(MemSize.B, R10, -3, 1), Ldx(MemSize.B, R0, R10, -3), Exit());
        yield return Accept("stack: spill and fill ctx pointer", Stx(MemSize.DW, R10, -8, R1), Ldx(MemSize.DW, R2, R10, -8), Ldx(MemSize.W, R0, R2, 0), Exit());
        yield return Reject("stack: partial fill of spilled pointer", R.SpillCorruption, Stx(MemSize.DW, R10, -8, R1), Ldx(MemSize.W, R0, R10, -8), Exit());
        yield return Reject("stack: corrupt spilled pointer unprivileged", R.SpillCorruption, Stx(MemSize.DW, R10, -8, R1), St(MemSize.B, R10, -8, 0), Mov(R0, 0), Exit()) with { Privileged = false };
        yield return Accept("stack: overwrite spilled pointer privileged", Stx(MemSize.DW, R10, -8, R1), St(MemSize.B, R10, -8, 0), Mov(R0, 0), Exit());
        yield return Reject("stack: spilled pointer overwritten then used", R.InvalidMemoryAccess, Stx(MemSize.DW, R10, -8, R1), St(MemSize.DW, R10, -8, 0), Ldx(MemSize.DW, R2, R10, -8), Ldx(MemSize.W, R0, R2, 0), Exit());
        yield return Accept("stack: spill keeps constant", Mov(R1, 4), Stx(MemSize.DW, R10, -8, R1), Ldx(MemSize.DW, R2, R10, -8), MovR(R3, R10), AddR(R3, R2), Add(R3, -12), St(MemSize.DW, R3, 0, 0), Mov(R0, 0), Exit());
        yield return Accept("stack: zero bytes read as zero", St(MemSize.W, R10, -4, 0), Ldx(MemSize.W, R1, R10, -4), MovR(R2, R10), AddR(R2, R1), Add(R2, -8), St(MemSize.DW, R2, 0, 1), Mov(R0, 0), Exit());
        yield return Reject("stack: variable offset access unprivileged", R.StackVariableOffset, Call(7), And(R0, 7), MovR(R1, R10), Add(R1, -16), AddR(R1, R0), St(MemSize.B, R1, 0, 1), Mov(R0, 0), Exit()) with { Privileged = false };
        yield return Accept("stack: variable offset byte store", Call(7), And(R0, 7), MovR(R1, R10), Add(R1, -16), AddR(R1, R0), St(MemSize.B, R1, 0, 1), Mov(R0, 0), Exit());
        yield return Accept("stack: variable offset aligned read of written slots", St(MemSize.DW, R10, -8, 1), St(MemSize.DW, R10, -16, 2), St(MemSize.DW, R10, -24, 3), St(MemSize.DW, R10, -32, 4),
            Call(7), And(R0, 3), Alu64(AluOp.Lsh, R0, 3), MovR(R1, R10), Add(R1, -32), AddR(R1, R0), Ldx(MemSize.DW, R0, R1, 0), Exit());
        yield return Reject("stack: variable offset read may reach unwritten bytes", R.UninitStackRead, St(MemSize.DW, R10, -8, 1), St(MemSize.DW, R10, -16, 2),
            Call(7), And(R0, 3), Alu64(AluOp.Lsh, R0, 3), MovR(R1, R10), Add(R1, -32), AddR(R1, R0), Ldx(MemSize.DW, R0, R1, 0), Exit()).RefusingUninitializedStackReads();
        yield return Reject("stack: variable offset write does not initialise", R.UninitStackRead,
            Call(7), And(R0, 1), Alu64(AluOp.Lsh, R0, 3), MovR(R1, R10), Add(R1, -16), AddR(R1, R0), St(MemSize.DW, R1, 0, 7), Ldx(MemSize.DW, R0, R10, -16), Exit()).RefusingUninitializedStackReads();
        yield return Reject("stack: variable offset may leave the frame", R.StackBounds, Call(7), And(R0, 15), MovR(R1, R10), Add(R1, -8), AddR(R1, R0), St(MemSize.B, R1, 0, 1), Mov(R0, 0), Exit());
        yield return Reject("stack: variable offset may go below the frame", R.StackBounds, Call(7), And(R0, 15), MovR(R1, R10), Add(R1, -520), AddR(R1, R0), St(MemSize.B, R1, 0, 1), Mov(R0, 0), Exit());
        yield return Reject("stack: variable offset misaligned for the size", R.StackAlignment, St(MemSize.DW, R10, -16, 0), St(MemSize.DW, R10, -8, 0),
            Call(7), And(R0, 7), MovR(R1, R10), Add(R1, -16), AddR(R1, R0), Ldx(MemSize.DW, R0, R1, 0), Exit());
        yield return Reject("stack: variable offset write destroys a spilled pointer", R.InvalidMemoryAccess, Stx(MemSize.DW, R10, -8, R10),
            Call(7), And(R0, 7), MovR(R1, R10), Add(R1, -8), AddR(R1, R0), St(MemSize.B, R1, 0, 1), Ldx(MemSize.DW, R2, R10, -8), Ldx(MemSize.DW, R0, R2, -16), Exit());
        yield return Accept("stack: variable offset atomic on written slots", St(MemSize.DW, R10, -8, 1), St(MemSize.DW, R10, -16, 2),
            Call(7), And(R0, 1), Alu64(AluOp.Lsh, R0, 3), MovR(R1, R10), Add(R1, -16), AddR(R1, R0), Mov(R2, 1), Atomic(MemSize.DW, R1, 0, R2, AtomicOp.Add), Mov(R0, 0), Exit());
        yield return Reject("stack: unprivileged pointer out of frame", R.PointerArithmetic, MovR(R1, R10), Add(R1, 8), Mov(R0, 0), Exit()) with { Privileged = false };
        yield return Accept("stack: privileged pointer out of frame not dereferenced", MovR(R1, R10), Add(R1, 8), Mov(R0, 0), Exit());
        yield return Accept("stack: narrow read of spilled constant", Mov(R1, 0x0102), Stx(MemSize.DW, R10, -8, R1), Ldx(MemSize.B, R0, R10, -8), Exit());
        yield return Accept("stack: atomic add on initialised slot", St(MemSize.DW, R10, -8, 0), Mov(R1, 1), Atomic(MemSize.DW, R10, -8, R1, AtomicOp.Add), Mov(R0, 0), Exit());
        yield return Reject("stack: atomic on uninit slot", R.UninitStackRead, Mov(R1, 1), Atomic(MemSize.DW, R10, -8, R1, AtomicOp.Add), Mov(R0, 0), Exit()).RefusingUninitializedStackReads();
        yield return Reject("stack: atomic with pointer operand", R.AtomicAccess, St(MemSize.DW, R10, -8, 0), Atomic(MemSize.DW, R10, -8, R1, AtomicOp.Add), Mov(R0, 0), Exit());
        yield return Reject("stack: atomic on ctx", R.AtomicAccess, Mov(R2, 1), Atomic(MemSize.W, R1, 0, R2, AtomicOp.Add), Mov(R0, 0), Exit());
        yield return Accept("stack: atomic fetch gives scalar", St(MemSize.W, R10, -4, 5), Mov(R0, 1), Atomic(MemSize.W, R10, -4, R0, AtomicOp.Add | AtomicOp.Fetch), Exit());
        yield return Accept("stack: cmpxchg", St(MemSize.DW, R10, -8, 5), Mov(R0, 5), Mov(R1, 6), Atomic(MemSize.DW, R10, -8, R1, AtomicOp.CmpXchg), Exit());
        yield return Reject("stack: fill with uninit part after partial spill overwrite", R.UninitStackRead, St(MemSize.W, R10, -16, 1), Ldx(MemSize.DW, R0, R10, -16), Exit()).RefusingUninitializedStackReads();
        yield return Reject("stack: subtraction from stack pointer", R.PointerArithmetic, MovR(R1, R10), Alu64(AluOp.Sub, R1, 8), St(MemSize.DW, R1, 0, 0), Mov(R0, 0), Exit());
        yield return Reject("stack: partial spill of pointer", R.SpillCorruption, Stx(MemSize.W, R10, -8, R10), Mov(R0, 0), Exit());
        yield return Accept("stack: sign-extending load", St(MemSize.B, R10, -1, -1), new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.MemSx, MemSize.B), 0, 10, -1, 0), Exit());
    }
}
