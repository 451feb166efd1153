using SeccompEbpf.Bpf.Isa;
using static SeccompEbpf.Bpf.Tests.Verifier.I;
using static SeccompEbpf.Bpf.Tests.Verifier.VerifierCase;
using R = SeccompEbpf.Bpf.Verifier.VerifierRule;

namespace SeccompEbpf.Bpf.Tests.Verifier;

internal static partial class VerifierCorpus
{
    private static IEnumerable<VerifierCase> LoopCases()
    {
        yield return Accept("loop: counted loop", Mov(R0, 0), Mov(R1, 10), Alu64R(AluOp.Add, R0, R1), Add(R1, -1), J(JmpOp.Jne, R1, 0, -3), Exit());
        yield return Accept("loop: 1000 iterations", Mov(R0, 0), Add(R0, 1), J(JmpOp.Jlt, R0, 1000, -2), Exit());
        yield return Reject("loop: infinite loop", R.InfiniteLoop, Mov(R0, 0), J(JmpOp.Jeq, R0, 0, -1), Exit());
        yield return Reject("loop: goto self", R.InfiniteLoop, Mov(R0, 0), J(JmpOp.Jeq, R0, 1, 1), Ja(-1), Exit());
        yield return Reject("loop: unknown value loop never progresses", R.InfiniteLoop, Call(7), Add(R0, 1), J(JmpOp.Jne, R0, 0, -2), Exit());
        yield return Reject("loop: too many iterations for the budget", R.TooComplex, Mov(R0, 0), Add(R0, 1), J(JmpOp.Jlt, R0, 1000000, -2), Exit())
            with { Configure = o => o with { MaxProcessedInstructions = 20_000 } };
        yield return Reject("loop: back-edge unprivileged", R.BackEdge, Mov(R0, 0), Add(R0, 1), J(JmpOp.Jlt, R0, 4, -2), Exit()) with { Privileged = false };
        yield return Accept("loop: stack writes in loop", Mov(R1, 0), MovR(R2, R10), Add(R2, -64), St(MemSize.DW, R2, 0, 0), Add(R2, 8), Add(R1, 1), J(JmpOp.Jlt, R1, 8, -4), Ldx(MemSize.DW, R0, R10, -8), Exit());
        yield return Reject("loop: stack writes run off the frame", R.StackBounds, Mov(R1, 0), MovR(R2, R10), Add(R2, -64), St(MemSize.DW, R2, 0, 0), Add(R2, 8), Add(R1, 1), J(JmpOp.Jlt, R1, 9, -4), Mov(R0, 0), Exit());
        yield return Accept("loop: map value index in loop", Lookup(1), J(JmpOp.Jeq, R0, 0, 7), Mov(R1, 0), MovR(R2, R0), AddR(R2, R1), St(MemSize.B, R2, 0, 1), Add(R1, 1), J(JmpOp.Jlt, R1, 16, -5), Mov(R0, 0), Exit());
        yield return Reject("loop: map value index one past end", R.MapValueBounds, Lookup(1), J(JmpOp.Jeq, R0, 0, 7), Mov(R1, 0), MovR(R2, R0), AddR(R2, R1), St(MemSize.B, R2, 0, 1), Add(R1, 1), J(JmpOp.Jle, R1, 16, -5), Mov(R0, 0), Exit());
        yield return Accept("loop: branches inside loop are pruned", Mov(R6, 0), Mov(R7, 0), Call(7), J(JmpOp.Jset, R0, 1, 1), Mov(R8, 1), Add(R6, 1), J(JmpOp.Jlt, R6, 200, -5), Mov(R0, 0), Exit());
        yield return Reject("loop: loop leaves a register uninitialised", R.UninitRegister, Mov(R1, 0), Add(R1, 1), J(JmpOp.Jlt, R1, 3, -2), MovR(R0, R2), Exit());
        yield return Accept("loop: nested loops", Mov(R0, 0), Mov(R1, 0), Mov(R2, 0), Add(R0, 1), Add(R2, 1), J(JmpOp.Jlt, R2, 5, -3), Add(R1, 1), J(JmpOp.Jlt, R1, 5, -6), Exit());
        yield return Accept("loop: 32-bit counter", Mov(R0, 0), Alu32(AluOp.Add, R0, 1), J32(JmpOp.Jlt, R0, 20, -2), Exit());
        yield return Accept("loop: down-counting signed", Mov(R0, 10), Add(R0, -1), J(JmpOp.Jsgt, R0, 0, -2), Exit());
    }
}
