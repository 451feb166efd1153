using SeccompEbpf.Bpf.Isa;
using static SeccompEbpf.Bpf.Tests.Verifier.I;
using static SeccompEbpf.Bpf.Tests.Verifier.VerifierCase;
using R = SeccompEbpf.Bpf.Verifier.VerifierRule;

namespace SeccompEbpf.Bpf.Tests.Verifier;

internal static partial class VerifierCorpus
{
    private static object[] Reserve(int size) => [LdMap(R1, 3), Mov(R2, size), Mov(R3, 0), Call(131)];

    /// <summary>R2 = fp<paramref name="baseOff"/> + (random &amp; <paramref name="mask"/>) &lt;&lt; 2: a key pointer at a variable offset.</summary>
    private static object[] VariableKey(int baseOff, int mask) =>
        [Call(7), And(R0, mask), Alu64(AluOp.Lsh, R0, 2), MovR(R2, R10), Add(R2, baseOff), AddR(R2, R0)];

    private static IEnumerable<VerifierCase> HelperCases()
    {
        yield return Accept("helper: map key at a variable stack offset", St(MemSize.DW, R10, -8, 0), VariableKey(-8, 1), LdMap(R1, 0), Call(1), Mov(R0, 0), Exit());
        yield return Reject("helper: map key at a variable stack offset unprivileged", R.StackVariableOffset, St(MemSize.DW, R10, -8, 0), VariableKey(-8, 1), LdMap(R1, 0), Call(1), Mov(R0, 0), Exit()).Unprivileged();
        yield return Reject("helper: variable-offset key may leave the frame", R.StackBounds, St(MemSize.DW, R10, -8, 0), VariableKey(-8, 3), LdMap(R1, 0), Call(1), Mov(R0, 0), Exit());
        yield return Reject("helper: variable-offset key may be unwritten", R.UninitStackRead, St(MemSize.W, R10, -8, 0), VariableKey(-8, 1), LdMap(R1, 0), Call(1), Mov(R0, 0), Exit()).RefusingUninitializedStackReads();
        yield return Reject("helper: filling a variable-offset buffer destroys a spilled pointer", R.InvalidMemoryAccess,
            Stx(MemSize.DW, R10, -8, R10), St(MemSize.DW, R10, -16, 0), Call(7), And(R0, 8), MovR(R1, R10), Add(R1, -16), AddR(R1, R0), Mov(R2, 8), Mov(R3, 0), Call(112),
            Ldx(MemSize.DW, R1, R10, -8), Ldx(MemSize.DW, R0, R1, -16), Exit());
        yield return Accept("helper: no-argument helper", Call(5), Exit());
        yield return Reject("helper: unknown helper id", R.UnknownHelper, Call(4242), Exit());
        yield return Reject("helper: no helpers at all", R.UnknownHelper, Call(5), Exit()) with { Configure = o => o with { Helpers = new Dictionary<int, global::SeccompEbpf.Bpf.Helpers.HelperPrototype>() } };
        yield return Reject("helper: R1 clobbered after call", R.UninitRegister, Call(5), MovR(R0, R1), Exit());
        yield return Reject("helper: R5 clobbered after call", R.UninitRegister, Mov(R5, 1), Call(5), MovR(R0, R5), Exit());
        yield return Accept("helper: R6 preserved across call", Mov(R6, 1), Call(5), MovR(R0, R6), Exit());
        yield return Reject("helper: uninit argument", R.UninitRegister, LdMap(R1, 0), Call(1), Mov(R0, 0), Exit());
        yield return Accept("helper: probe_read_user into stack", MovR(R1, R10), Add(R1, -16), Mov(R2, 16), Mov(R3, 0), Call(112), Ldx(MemSize.DW, R0, R10, -16), Exit());
        yield return Reject("helper: probe_read_user size past stack top", R.StackBounds, MovR(R1, R10), Add(R1, -8), Mov(R2, 16), Mov(R3, 0), Call(112), Mov(R0, 0), Exit());
        yield return Reject("helper: probe_read_user unbounded size", R.HelperArgument, MovR(R1, R10), Add(R1, -16), Call(7), MovR(R2, R0), MovR(R1, R10), Add(R1, -16), Mov(R3, 0), Call(112), Mov(R0, 0), Exit());
        yield return Accept("helper: probe_read_user bounded size", Call(7), And(R0, 15), MovR(R2, R0), MovR(R1, R10), Add(R1, -16), Mov(R3, 0), Call(112), Mov(R0, 0), Exit());
        yield return Reject("helper: probe_read_user negative size", R.HelperArgument, MovR(R1, R10), Add(R1, -16), Mov(R2, -1), Mov(R3, 0), Call(112), Mov(R0, 0), Exit());
        yield return Reject("helper: probe_read_user into ctx", R.HelperArgument, Mov(R2, 8), Mov(R3, 0), Call(112), Mov(R0, 0), Exit());
        yield return Reject("helper: scalar argument given pointer", R.HelperArgument, MovR(R1, R10), Add(R1, -16), Mov(R2, 8), MovR(R3, R10), Call(112), Mov(R0, 0), Exit());
        yield return Reject("helper: const size zero not allowed", R.HelperArgument, St(MemSize.DW, R10, -8, 0), MovR(R1, R10), Add(R1, -8), Mov(R2, 0), Call(6), Mov(R0, 0), Exit());
        yield return Accept("helper: trace_printk reads initialised stack", St(MemSize.DW, R10, -8, 0), MovR(R1, R10), Add(R1, -8), Mov(R2, 8), Call(6), Mov(R0, 0), Exit());
        yield return Reject("helper: trace_printk reads uninitialised stack", R.UninitStackRead, MovR(R1, R10), Add(R1, -8), Mov(R2, 8), Call(6), Mov(R0, 0), Exit()).RefusingUninitializedStackReads();
        yield return Accept("helper: ctx argument", Call(999), Exit());
        yield return Reject("helper: modified ctx argument", R.HelperArgument, Add(R1, 8), Call(999), Exit());
        yield return Accept("helper: ringbuf reserve and submit", Reserve(16), J(JmpOp.Jeq, R0, 0, 6), St(MemSize.DW, R0, 8, 1), MovR(R1, R0), Mov(R2, 0), Call(132), Mov(R0, 0), Exit(), Mov(R0, 0), Exit());
        yield return Reject("helper: ringbuf reservation leaked", R.UnreleasedReference, Reserve(16), J(JmpOp.Jeq, R0, 0, 1), St(MemSize.DW, R0, 0, 1), Mov(R0, 0), Exit());
        yield return Reject("helper: ringbuf write past reservation", R.MemoryBounds, Reserve(16), J(JmpOp.Jeq, R0, 0, 6), St(MemSize.DW, R0, 16, 1), MovR(R1, R0), Mov(R2, 0), Call(133), Mov(R0, 0), Exit(), Mov(R0, 0), Exit());
        yield return Reject("helper: ringbuf use after submit", R.UninitRegister, Reserve(16), J(JmpOp.Jeq, R0, 0, 7), MovR(R6, R0), MovR(R1, R0), Mov(R2, 0), Call(132), St(MemSize.DW, R6, 0, 1), Mov(R0, 0), Exit(), Mov(R0, 0), Exit());
        yield return Reject("helper: ringbuf submit unchecked", R.HelperArgument, Reserve(16), MovR(R1, R0), Mov(R2, 0), Call(132), Mov(R0, 0), Exit());
        yield return Reject("helper: ringbuf reserve non-constant size", R.HelperArgument, Call(7), And(R0, 15), Add(R0, 1), MovR(R2, R0), LdMap(R1, 3), Mov(R3, 0), Call(131), Mov(R0, 0), Exit());
        yield return Reject("helper: ringbuf reserve on hash map", R.HelperArgument, LdMap(R1, 0), Mov(R2, 8), Mov(R3, 0), Call(131), Mov(R0, 0), Exit());
        yield return Accept("helper: task storage with NULL task", LdMap(R1, 0), Mov(R2, 0), Mov(R3, 0), Mov(R4, 0), Call(156), Mov(R0, 0), Exit()) with { Configure = o => o with { Maps = new Dictionary<int, global::SeccompEbpf.Bpf.Maps.MapSpec> { [0] = new("ts", global::SeccompEbpf.Bpf.Maps.MapType.TaskStorage, 4, 8, 0) } } };
        yield return Reject("helper: task storage with task pointer", R.HelperArgument, LdMap(R1, 0), MovR(R2, R10), Mov(R3, 0), Mov(R4, 0), Call(156), Mov(R0, 0), Exit()) with { Configure = o => o with { Maps = new Dictionary<int, global::SeccompEbpf.Bpf.Maps.MapSpec> { [0] = new("ts", global::SeccompEbpf.Bpf.Maps.MapType.TaskStorage, 4, 8, 0) } } };
        yield return Reject("helper: task storage on hash map", R.HelperArgument, LdMap(R1, 0), Mov(R2, 0), Mov(R3, 0), Mov(R4, 0), Call(156), Mov(R0, 0), Exit());
        yield return Reject("helper: callback helper unsupported", R.Unsupported, LdMap(R1, 0), Mov(R2, 0), Mov(R3, 0), Mov(R4, 0), Call(164), Mov(R0, 0), Exit());
        yield return Reject("helper: flags pointer leak unprivileged", R.HelperArgument, St(MemSize.W, R10, -4, 0), St(MemSize.DW, R10, -16, 0), MovR(R2, R10), Add(R2, -4), MovR(R3, R10), Add(R3, -16), MovR(R4, R10), LdMap(R1, 0), Call(2), Exit()) with { Privileged = false };
    }
}
