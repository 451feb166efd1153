using SeccompEbpf.Bpf.Isa;
using static SeccompEbpf.Bpf.Tests.Verifier.I;
using static SeccompEbpf.Bpf.Tests.Verifier.VerifierCase;
using R = SeccompEbpf.Bpf.Verifier.VerifierRule;

namespace SeccompEbpf.Bpf.Tests.Verifier;

internal static partial class VerifierCorpus
{
    /// <summary>R6 = map value (array, 16 bytes) or exit; then the body; every path ends with exit.</summary>
    private static object[] WithValue(params object[] body) =>
        [Lookup(1), J(JmpOp.Jne, R0, 0, 2), Mov(R0, 0), Exit(), MovR(R6, R0), Call(7), body, Mov(R0, 0), Exit()];

    private static IEnumerable<VerifierCase> BranchCases()
    {
        yield return Accept("branch: uninit register only on dead path", Mov(R1, 1), J(JmpOp.Jeq, R1, 1, 1), MovR(R0, R2), Mov(R0, 0), Exit());
        yield return Reject("branch: uninit register on live path", R.UninitRegister, Call(7), J(JmpOp.Jeq, R0, 1, 1), MovR(R0, R2), Mov(R0, 0), Exit());
        yield return Reject("branch: register set on one path only", R.UninitRegister, Call(7), J(JmpOp.Jeq, R0, 1, 1), Mov(R2, 1), MovR(R0, R2), Exit());
        yield return Accept("branch: jlt bound", WithValue(J(JmpOp.Jlt, R0, 16, 1), Mov(R0, 0), AddR(R6, R0), Ldx(MemSize.B, R1, R6, 0)));
        yield return Reject("branch: jle bound off by one", R.MapValueBounds, WithValue(J(JmpOp.Jle, R0, 16, 1), Mov(R0, 0), AddR(R6, R0), Ldx(MemSize.B, R1, R6, 0)));
        yield return Accept("branch: jge on the jump side", WithValue(J(JmpOp.Jge, R0, 12, 2), AddR(R6, R0), Ldx(MemSize.W, R1, R6, 0)));
        yield return Accept("branch: 32-bit bound with zero-extended value", WithValue(Alu32(AluOp.Mov, R0, 0), Call(7), Alu32R(AluOp.Mov, R0, R0), J32(JmpOp.Jgt, R0, 8, 2), AddR(R6, R0), Ldx(MemSize.DW, R1, R6, 0)));
        yield return Reject("branch: 32-bit bound on 64-bit value", R.PointerArithmetic, WithValue(J32(JmpOp.Jgt, R0, 8, 2), AddR(R6, R0), Ldx(MemSize.DW, R1, R6, 0)));
        yield return Accept("branch: bound through register compare", WithValue(Mov(R2, 8), JR(JmpOp.Jgt, R0, R2, 2), AddR(R6, R0), Ldx(MemSize.DW, R1, R6, 0)));
        yield return Accept("branch: bound applies to copy", WithValue(MovR(R7, R0), J(JmpOp.Jgt, R0, 8, 2), AddR(R6, R7), Ldx(MemSize.DW, R1, R6, 0)));
        yield return Reject("branch: copy modified before bound", R.MapValueBounds, WithValue(And(R0, 255), MovR(R7, R0), Add(R7, 1), J(JmpOp.Jgt, R0, 8, 2), AddR(R6, R7), Ldx(MemSize.DW, R1, R6, 0)));
        yield return Accept("branch: bound survives spill", WithValue(J(JmpOp.Jgt, R0, 8, 4), Stx(MemSize.DW, R10, -8, R0), Ldx(MemSize.DW, R2, R10, -8), AddR(R6, R2), Ldx(MemSize.DW, R1, R6, 0)));
        yield return Accept("branch: jset false clears bits", WithValue(And(R0, 15), J(JmpOp.Jset, R0, 8, 2), AddR(R6, R0), Ldx(MemSize.DW, R1, R6, 0)));
        yield return Reject("branch: jset true keeps range", R.MapValueBounds, WithValue(And(R0, 15), J(JmpOp.Jset, R0, 8, 1), Ja(2), AddR(R6, R0), Ldx(MemSize.DW, R1, R6, 0)));
        yield return Accept("branch: jeq constant makes value known", WithValue(J(JmpOp.Jne, R0, 8, 2), AddR(R6, R0), Ldx(MemSize.DW, R1, R6, 0)));
        yield return Accept("branch: signed range both ends", WithValue(J(JmpOp.Jslt, R0, 0, 3), J(JmpOp.Jsgt, R0, 8, 2), AddR(R6, R0), Ldx(MemSize.DW, R1, R6, 0)));
        yield return Accept("branch: always-taken branch skips bad code", Mov(R1, 5), J(JmpOp.Jgt, R1, 3, 1), Ldx(MemSize.DW, R0, R1, 0), Mov(R0, 0), Exit());
        yield return Reject("branch: never-taken assumption wrong", R.InvalidMemoryAccess, Mov(R1, 5), J(JmpOp.Jgt, R1, 7, 1), Ldx(MemSize.DW, R0, R1, 0), Mov(R0, 0), Exit());
        yield return Accept("branch: and-mask bound", WithValue(And(R0, 8), AddR(R6, R0), Ldx(MemSize.DW, R1, R6, 0)));
        yield return Accept("branch: rsh bound", WithValue(Alu64(AluOp.Rsh, R0, 60), AddR(R6, R0), Ldx(MemSize.B, R1, R6, 0)));
        yield return Reject("branch: rsh not enough", R.MapValueBounds, WithValue(Alu64(AluOp.Rsh, R0, 59), AddR(R6, R0), Ldx(MemSize.B, R1, R6, 0)));
        yield return Accept("branch: mod bound", WithValue(Alu64(AluOp.Mod, R0, 9), AddR(R6, R0), Ldx(MemSize.DW, R1, R6, 0)));
        yield return Accept("branch: mul of small bounds", WithValue(And(R0, 3), Alu64(AluOp.Mul, R0, 4), AddR(R6, R0), Ldx(MemSize.W, R1, R6, 0)));
        yield return Reject("branch: mul too large", R.MapValueBounds, WithValue(And(R0, 3), Alu64(AluOp.Mul, R0, 5), AddR(R6, R0), Ldx(MemSize.W, R1, R6, 0)));
        yield return Accept("branch: non-null pointer vs zero decided", MovR(R1, R10), J(JmpOp.Jne, R1, 0, 1), Ldx(MemSize.DW, R0, R1, 0), Mov(R0, 0), Exit());
        yield return Reject("branch: pointer vs scalar unprivileged", R.PointerComparison, MovR(R1, R10), J(JmpOp.Jgt, R1, 5, 0), Mov(R0, 0), Exit()) with { Privileged = false };
        yield return Reject("branch: pointer 32-bit compare unprivileged", R.PointerComparison, MovR(R1, R10), J32(JmpOp.Jgt, R1, 5, 0), Mov(R0, 0), Exit()).Unprivileged();
        yield return Accept("branch: pointer 32-bit compare privileged explores both sides", MovR(R1, R10), J32(JmpOp.Jgt, R1, 5, 1), Mov(R0, 0), Mov(R0, 1), Exit());
    }
}
