using SeccompEbpf.Bpf.Isa;
using static SeccompEbpf.Bpf.Tests.Verifier.I;
using static SeccompEbpf.Bpf.Tests.Verifier.VerifierCase;
using R = SeccompEbpf.Bpf.Verifier.VerifierRule;

namespace SeccompEbpf.Bpf.Tests.Verifier;

internal static partial class VerifierCorpus
{
    private static IEnumerable<VerifierCase> AluCases()
    {
        yield return Reject("alu: R0 uninit at exit", R.UninitRegister, Exit());
        yield return Reject("alu: read uninit R2", R.UninitRegister, MovR(R0, R2), Exit());
        yield return Reject("alu: add to uninit R3", R.UninitRegister, Add(R3, 1), Mov(R0, 0), Exit());
        yield return Reject("alu: write R10", R.FramePointerWrite, Mov(R10, 0), Mov(R0, 0), Exit());
        yield return Reject("alu: add to R10", R.FramePointerWrite, Add(R10, 8), Mov(R0, 0), Exit());
        yield return Reject("alu: load into R10", R.FramePointerWrite, St(MemSize.DW, R10, -8, 0), Ldx(MemSize.DW, R10, R10, -8), Mov(R0, 0), Exit());
        yield return Accept("alu: 64-bit arithmetic chain", Mov(R0, 5), Alu64(AluOp.Mul, R0, 3), Alu64(AluOp.Sub, R0, 1), Alu64(AluOp.Xor, R0, 0xf), Alu64(AluOp.Arsh, R0, 1), Exit());
        yield return Accept("alu: 32-bit arithmetic chain", Mov(R0, -1), Alu32(AluOp.Add, R0, 1), Alu32(AluOp.Or, R0, 3), Alu32(AluOp.Lsh, R0, 4), Exit());
        yield return Accept("alu: div and mod by register zero are defined", Mov(R0, 7), Mov(R1, 0), Alu64R(AluOp.Div, R0, R1), Alu64R(AluOp.Mod, R0, R1), Exit());
        yield return Accept("alu: neg and byte swaps", Mov(R0, 3), Alu64(AluOp.Neg, R0, 0), new Instruction(0xdc, 0, 0, 0, 32), new Instruction(0xd7, 0, 0, 0, 64), Exit());
        yield return Accept("alu: movsx", Mov(R1, 0xff), new Instruction(0xbf, 0, 1, 8, 0), Exit());
        yield return Accept("alu: scalar copy", Mov(R1, 3), MovR(R0, R1), Exit());
        yield return Accept("alu: shift by register", Mov(R0, 1), Mov(R1, 3), Alu64R(AluOp.Lsh, R0, R1), Exit());
        yield return Reject("alu: pointer times scalar", R.PointerArithmetic, MovR(R1, R10), Alu64(AluOp.Mul, R1, 2), Mov(R0, 0), Exit());
        yield return Reject("alu: pointer and mask", R.PointerArithmetic, MovR(R1, R10), Alu64(AluOp.And, R1, -8), Mov(R0, 0), Exit());
        yield return Reject("alu: pointer plus pointer", R.PointerArithmetic, MovR(R1, R10), AddR(R1, R10), Mov(R0, 0), Exit());
        yield return Accept("alu: pointer minus pointer privileged", MovR(R0, R10), Alu64R(AluOp.Sub, R0, R10), Exit());
        yield return Reject("alu: pointer minus pointer unprivileged", R.PointerArithmetic, MovR(R0, R10), Alu64R(AluOp.Sub, R0, R10), Exit()) with { Privileged = false };
        yield return Reject("alu: scalar minus pointer", R.PointerArithmetic, Mov(R0, 0), Alu64R(AluOp.Sub, R0, R10), Exit());
        yield return Reject("alu: neg pointer unprivileged", R.PointerArithmetic, MovR(R1, R10), Alu64(AluOp.Neg, R1, 0), Mov(R0, 0), Exit()).Unprivileged();
        yield return Accept("alu: neg pointer privileged gives a number", MovR(R1, R10), Alu64(AluOp.Neg, R1, 0), MovR(R0, R1), Exit());
        yield return Reject("alu: negated pointer cannot be dereferenced", R.InvalidMemoryAccess, MovR(R1, R10), Alu64(AluOp.Neg, R1, 0), Ldx(MemSize.DW, R0, R1, 0), Exit());
        yield return Accept("alu: 32-bit sub on pointer privileged gives a number", MovR(R1, R10), Alu32(AluOp.Sub, R1, 8), MovR(R0, R1), Exit());
        yield return Reject("alu: 32-bit add on pointer", R.PointerArithmetic, MovR(R1, R10), Alu32(AluOp.Add, R1, 8), Mov(R0, 0), Exit());
        yield return Reject("alu: byte swap pointer unprivileged", R.PointerArithmetic, MovR(R1, R10), new Instruction(0xd7, 1, 0, 0, 64), Mov(R0, 0), Exit()).Unprivileged();
        yield return Accept("alu: byte swap pointer privileged gives a number", MovR(R1, R10), new Instruction(0xd7, 1, 0, 0, 64), MovR(R0, R1), Exit());
        yield return Reject("alu: movsx of pointer", R.PointerArithmetic, new Instruction(0xbf, 2, 10, 8, 0), Mov(R0, 0), Exit());
        yield return Reject("alu: 32-bit copy of pointer unprivileged", R.PointerLeak, Mov32R(R0, R10), Exit()) with { Privileged = false };
        yield return Accept("alu: 32-bit copy of pointer privileged", Mov32R(R0, R10), Exit());
        yield return Accept("alu: scalar plus pointer gives pointer", Mov(R1, -8), AddR(R1, R10), St(MemSize.DW, R1, 0, 1), Mov(R0, 0), Exit());
        yield return Reject("alu: pointer offset beyond range", R.PointerArithmetic, MovR(R1, R10), new Instruction(0x07, 1, 0, 0, 1 << 29), Mov(R0, 0), Exit());
        yield return Reject("alu: ctx variable offset", R.ContextAccess, MovR(R6, R1), Call(7), AddR(R6, R0), Mov(R0, 0), Exit());
        yield return Accept("alu: ctx read at offset", Ldx(MemSize.W, R0, R1, 4), Exit());
        yield return Reject("alu: modified ctx dereference", R.ContextAccess, Add(R1, 4), Ldx(MemSize.W, R0, R1, 0), Exit());
        yield return Reject("alu: ctx write", R.ContextAccess, St(MemSize.W, R1, 0, 1), Mov(R0, 0), Exit());
        yield return Reject("alu: ctx read out of bounds", R.ContextAccess, Ldx(MemSize.DW, R0, R1, 64), Exit());
        yield return Reject("alu: load through scalar", R.InvalidMemoryAccess, Mov(R2, 0), Ldx(MemSize.DW, R0, R2, 0), Exit());
        yield return Reject("alu: store through scalar", R.InvalidMemoryAccess, Mov(R2, 4096), St(MemSize.DW, R2, 0, 1), Mov(R0, 0), Exit());
        yield return Reject("alu: load through map pointer", R.InvalidMemoryAccess, LdMap(R1, 0), Ldx(MemSize.DW, R0, R1, 0), Exit());
        yield return Reject("alu: arithmetic on map pointer", R.PointerArithmetic, LdMap(R1, 0), Add(R1, 8), Mov(R0, 0), Exit());
        yield return Accept("alu: lddw 64-bit constant", LdImm64(R0, 0x1122334455667788), Exit());
        yield return Reject("alu: pointer plus unbounded scalar", R.PointerArithmetic, Call(7), Alu64(AluOp.Lsh, R0, 40), Alu64(AluOp.Arsh, R0, 8), MovR(R1, R10), AddR(R1, R0), Mov(R0, 0), Exit());
        yield return Reject("alu: pointer plus negative unbounded scalar", R.PointerArithmetic, Call(5), MovR(R1, R10), AddR(R1, R0), Mov(R0, 0), Exit());
        yield return Accept("alu: pointer returned privileged is not checked by program type", Mov(R0, 0), Exit());
        yield return Reject("alu: pointer returned", R.ReturnValue, MovR(R0, R10), Exit());
        yield return Reject("alu: pointer returned unprivileged leaks", R.PointerLeak, MovR(R0, R10), Exit()) with { Privileged = false };
    }
}
