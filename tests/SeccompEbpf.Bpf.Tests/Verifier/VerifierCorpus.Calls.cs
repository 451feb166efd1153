using SeccompEbpf.Bpf.Isa;
using static SeccompEbpf.Bpf.Tests.Verifier.I;
using static SeccompEbpf.Bpf.Tests.Verifier.VerifierCase;
using R = SeccompEbpf.Bpf.Verifier.VerifierRule;

namespace SeccompEbpf.Bpf.Tests.Verifier;

internal static partial class VerifierCorpus
{
    private static IEnumerable<VerifierCase> CallCases()
    {
        yield return Accept("call: local function returns scalar", Mov(R1, 2), CallLocal(1), Exit(), MovR(R0, R1), Add(R0, 1), Exit());
        yield return Reject("call: local function returns pointer", R.ReturnValue, CallLocal(1), Exit(), MovR(R0, R10), Exit());
        yield return Reject("call: callee R0 uninit", R.UninitRegister, CallLocal(1), Exit(), Exit());
        yield return Reject("call: caller R1 clobbered", R.UninitRegister, Mov(R1, 2), CallLocal(2), MovR(R0, R1), Exit(), Mov(R0, 0), Exit());
        yield return Accept("call: caller R6 preserved", Mov(R6, 2), CallLocal(2), MovR(R0, R6), Exit(), Mov(R0, 0), Exit());
        yield return Reject("call: callee cannot read caller R6", R.UninitRegister, Mov(R6, 2), CallLocal(1), Exit(), MovR(R0, R6), Exit());
        yield return Accept("call: callee writes caller stack", St(MemSize.DW, R10, -8, 0), MovR(R1, R10), Add(R1, -8), CallLocal(2), Ldx(MemSize.DW, R0, R10, -8), Exit(), St(MemSize.DW, R1, 0, 7), Mov(R0, 0), Exit());
        yield return Reject("call: callee reads uninit caller stack", R.UninitStackRead, MovR(R1, R10), Add(R1, -8), CallLocal(1), Exit(), Ldx(MemSize.DW, R0, R1, 0), Exit()).RefusingUninitializedStackReads();
        yield return Reject("call: callee stores its stack pointer in caller stack", R.InvalidMemoryAccess, St(MemSize.DW, R10, -8, 0), MovR(R1, R10), Add(R1, -8), CallLocal(1), Exit(), Stx(MemSize.DW, R1, 0, R10), Mov(R0, 0), Exit());
        yield return Reject("call: recursion too deep", R.CallDepth, CallLocal(1), Exit(), CallLocal(-1), Exit());
        yield return Accept("call: chain of 8 frames", CallLocal(1), Exit(), CallLocal(1), Exit(), CallLocal(1), Exit(), CallLocal(1), Exit(), CallLocal(1), Exit(), CallLocal(1), Exit(), CallLocal(1), Exit(), Mov(R0, 0), Exit());
        yield return Reject("call: chain of 9 frames", R.CallDepth, CallLocal(1), Exit(), CallLocal(1), Exit(), CallLocal(1), Exit(), CallLocal(1), Exit(), CallLocal(1), Exit(), CallLocal(1), Exit(), CallLocal(1), Exit(), CallLocal(1), Exit(), Mov(R0, 0), Exit());
        yield return Reject("call: combined stack over 512", R.CombinedStack, St(MemSize.DW, R10, -304, 0), CallLocal(1), Exit(), St(MemSize.DW, R10, -304, 0), Mov(R0, 0), Exit());
        yield return Accept("call: combined stack within 512", St(MemSize.DW, R10, -200, 0), CallLocal(1), Exit(), St(MemSize.DW, R10, -200, 0), Mov(R0, 0), Exit());
        yield return Accept("call: full caller stack and a function without stack", St(MemSize.B, R10, -512, 0), CallLocal(1), Exit(), Mov(R0, 0), Exit());
        yield return Reject("call: frames rounded up to 16 bytes", R.CombinedStack, St(MemSize.B, R10, -500, 0), CallLocal(1), Exit(), St(MemSize.B, R10, -1, 0), Mov(R0, 0), Exit());
        yield return Reject("call: target outside program", R.BadCallTarget, CallLocal(5), Mov(R0, 0), Exit());
        yield return Reject("call: jump across function boundary", R.JumpOutOfRange, CallLocal(2), Ja(2), Exit(), Mov(R0, 0), Exit());
        yield return Reject("call: function falls into next", R.FallThroughEnd, CallLocal(1), Exit(), Mov(R0, 0), CallLocal(0), Mov(R0, 0), Exit());
        yield return Accept("call: helper call inside function", CallLocal(1), Exit(), Call(5), Exit());
        yield return Accept("call: null check inside function on caller's lookup", Lookup(0), MovR(R1, R0), CallLocal(1), Exit(), Mov(R0, 0), J(JmpOp.Jeq, R1, 0, 1), Ldx(MemSize.DW, R0, R1, 0), Exit());
        yield return Accept("call: two calls of the same function", Mov(R1, 1), CallLocal(4), MovR(R6, R0), Mov(R1, 2), CallLocal(1), Exit(), MovR(R0, R1), Exit());
    }
}
