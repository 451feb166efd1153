using SeccompEbpf.Bpf.Isa;
using static SeccompEbpf.Bpf.Tests.Verifier.I;
using static SeccompEbpf.Bpf.Tests.Verifier.VerifierCase;
using R = SeccompEbpf.Bpf.Verifier.VerifierRule;

namespace SeccompEbpf.Bpf.Tests.Verifier;

internal static partial class VerifierCorpus
{
    /// <summary>Key 0 at fp-4, R2 = fp-4, R1 = map <paramref name="map"/>, then lookup: R0 = value or NULL.</summary>
    private static object[] Lookup(int map) => [St(MemSize.W, R10, -4, 0), MovR(R2, R10), Add(R2, -4), LdMap(R1, map), Call(1)];

    private static IEnumerable<VerifierCase> MapCases()
    {
        yield return Accept("map: lookup with null check", Lookup(0), J(JmpOp.Jeq, R0, 0, 1), Ldx(MemSize.DW, R0, R0, 0), Mov(R0, 0), Exit());
        yield return Reject("map: lookup without null check", R.NullPointer, Lookup(0), Ldx(MemSize.DW, R0, R0, 0), Mov(R0, 0), Exit());
        yield return Reject("map: deref on null branch", R.InvalidMemoryAccess, Lookup(0), J(JmpOp.Jne, R0, 0, 2), Ldx(MemSize.DW, R0, R0, 0), Exit(), Mov(R0, 0), Exit());
        yield return Accept("map: null check through copy", Lookup(0), MovR(R6, R0), J(JmpOp.Jeq, R0, 0, 1), Ldx(MemSize.DW, R6, R6, 0), Mov(R0, 0), Exit());
        yield return Accept("map: null check with jne", Lookup(0), J(JmpOp.Jne, R0, 0, 2), Mov(R0, 0), Exit(), St(MemSize.DW, R0, 0, 1), Mov(R0, 0), Exit());
        yield return Reject("map: value read past end", R.MapValueBounds, Lookup(0), J(JmpOp.Jeq, R0, 0, 1), Ldx(MemSize.DW, R0, R0, 4), Mov(R0, 0), Exit());
        yield return Reject("map: value negative offset", R.MapValueBounds, Lookup(0), J(JmpOp.Jeq, R0, 0, 1), Ldx(MemSize.B, R0, R0, -1), Mov(R0, 0), Exit());
        yield return Accept("map: value last byte", Lookup(1), J(JmpOp.Jeq, R0, 0, 1), Ldx(MemSize.B, R0, R0, 15), Mov(R0, 0), Exit());
        yield return Accept("map: bounded variable index", Lookup(1), J(JmpOp.Jeq, R0, 0, 5), MovR(R6, R0), Call(7), And(R0, 7), AddR(R6, R0), Ldx(MemSize.DW, R0, R6, 0), Mov(R0, 0), Exit());
        yield return Reject("map: variable index too large", R.MapValueBounds, Lookup(1), J(JmpOp.Jeq, R0, 0, 5), MovR(R6, R0), Call(7), And(R0, 15), AddR(R6, R0), Ldx(MemSize.DW, R0, R6, 0), Mov(R0, 0), Exit());
        yield return Accept("map: index bounded by branch", Lookup(1), J(JmpOp.Jeq, R0, 0, 6), MovR(R6, R0), Call(7), J(JmpOp.Jgt, R0, 12, 2), AddR(R6, R0), Ldx(MemSize.W, R0, R6, 0), Mov(R0, 0), Exit());
        yield return Reject("map: index bounded off by one", R.MapValueBounds, Lookup(1), J(JmpOp.Jeq, R0, 0, 6), MovR(R6, R0), Call(7), J(JmpOp.Jgt, R0, 13, 2), AddR(R6, R0), Ldx(MemSize.W, R0, R6, 0), Mov(R0, 0), Exit());
        yield return Reject("map: signed index may be negative", R.PointerArithmetic, Lookup(1), J(JmpOp.Jeq, R0, 0, 6), MovR(R6, R0), Call(5), J(JmpOp.Jsgt, R0, 8, 2), AddR(R6, R0), Ldx(MemSize.B, R0, R6, 0), Mov(R0, 0), Exit());
        yield return Accept("map: signed index checked both sides", Lookup(1), J(JmpOp.Jeq, R0, 0, 7), MovR(R6, R0), Call(5), J(JmpOp.Jsgt, R0, 8, 3), J(JmpOp.Jslt, R0, 0, 2), AddR(R6, R0), Ldx(MemSize.B, R0, R6, 0), Mov(R0, 0), Exit());
        yield return Reject("map: arithmetic before null check", R.NullPointer, Lookup(0), Add(R0, 4), Mov(R0, 0), Exit());
        yield return Reject("map: store pointer in value unprivileged", R.PointerLeak, Lookup(0), J(JmpOp.Jeq, R0, 0, 1), Stx(MemSize.DW, R0, 0, R10), Mov(R0, 0), Exit()) with { Privileged = false };
        yield return Accept("map: store pointer in value privileged", Lookup(0), J(JmpOp.Jeq, R0, 0, 1), Stx(MemSize.DW, R0, 0, R10), Mov(R0, 0), Exit());
        yield return Reject("map: write to read-only map", R.ReadOnlyMap, LdMapValue(R1, 4, 0), St(MemSize.DW, R1, 0, 1), Mov(R0, 0), Exit());
        yield return Accept("map: read read-only map", LdMapValue(R1, 4, 0), Ldx(MemSize.DW, R0, R1, 0), Exit());
        yield return Accept("map: direct value access", LdMapValue(R1, 2, 4), Ldx(MemSize.W, R0, R1, 0), Exit());
        yield return Reject("map: direct value offset out of value", R.MapValueBounds, LdMapValue(R1, 2, 8), Mov(R0, 0), Exit());
        yield return Reject("map: direct value on hash map", R.MapReference, LdMapValue(R1, 0, 0), Mov(R0, 0), Exit());
        yield return Reject("map: unknown map", R.MapReference, LdMap(R1, 42), Mov(R0, 0), Exit());
        yield return Reject("map: map access refused", R.MapReference, LdMap(R1, 0), Mov(R0, 0), Exit()) with { Configure = o => o with { AllowMapAccess = false } };
        yield return Reject("map: key not initialised", R.UninitStackRead, MovR(R2, R10), Add(R2, -4), LdMap(R1, 0), Call(1), Mov(R0, 0), Exit()).RefusingUninitializedStackReads();
        yield return Reject("map: key too close to frame top", R.StackBounds, St(MemSize.W, R10, -4, 0), MovR(R2, R10), Add(R2, -2), LdMap(R1, 0), Call(1), Mov(R0, 0), Exit());
        yield return Reject("map: key is scalar", R.HelperArgument, Mov(R2, 0), LdMap(R1, 0), Call(1), Mov(R0, 0), Exit());
        yield return Reject("map: map argument is scalar", R.HelperArgument, St(MemSize.W, R10, -4, 0), MovR(R2, R10), Add(R2, -4), Mov(R1, 0), Call(1), Mov(R0, 0), Exit());
        yield return Accept("map: update with stack value", St(MemSize.W, R10, -4, 0), St(MemSize.DW, R10, -16, 9), MovR(R2, R10), Add(R2, -4), MovR(R3, R10), Add(R3, -16), Mov(R4, 0), LdMap(R1, 0), Call(2), Exit());
        yield return Reject("map: update value too small", R.UninitStackRead, St(MemSize.W, R10, -4, 0), St(MemSize.W, R10, -16, 9), MovR(R2, R10), Add(R2, -4), MovR(R3, R10), Add(R3, -16), Mov(R4, 0), LdMap(R1, 0), Call(2), Exit()).RefusingUninitializedStackReads();
        yield return Accept("map: key from map value", Lookup(1), J(JmpOp.Jeq, R0, 0, 4), MovR(R2, R0), LdMap(R1, 0), Call(3), Mov(R0, 0), Exit());
        yield return Reject("map: lookup result lost after second lookup check", R.NullPointer, Lookup(0), MovR(R6, R0), Lookup(0), J(JmpOp.Jeq, R0, 0, 1), Ldx(MemSize.DW, R0, R6, 0), Mov(R0, 0), Exit());
        yield return Reject("map: pointer comparison unprivileged", R.PointerComparison, Lookup(0), J(JmpOp.Jeq, R0, 0, 2), JR(JmpOp.Jgt, R0, R10, 0), Ldx(MemSize.DW, R0, R0, 0), Mov(R0, 0), Exit()) with { Privileged = false };
        yield return Accept("map: pointer comparison privileged", Lookup(0), J(JmpOp.Jeq, R0, 0, 2), JR(JmpOp.Jgt, R0, R10, 0), Ldx(MemSize.DW, R0, R0, 0), Mov(R0, 0), Exit());
        yield return Accept("map: null check unprivileged", Lookup(0), J(JmpOp.Jeq, R0, 0, 1), Ldx(MemSize.DW, R0, R0, 0), Mov(R0, 0), Exit()) with { Privileged = false };
        yield return Reject("map: 32-bit null check unprivileged", R.PointerComparison, Lookup(0), J32(JmpOp.Jeq, R0, 0, 1), Ldx(MemSize.DW, R0, R0, 0), Mov(R0, 0), Exit()).Unprivileged();
        yield return Reject("map: 32-bit comparison is no null check", R.NullPointer, Lookup(0), J32(JmpOp.Jeq, R0, 0, 1), Ldx(MemSize.DW, R0, R0, 0), Mov(R0, 0), Exit());
        yield return Reject("map: queue with lookup", R.HelperArgument, Lookup(5), Mov(R0, 0), Exit());
        yield return Accept("map: queue push", St(MemSize.DW, R10, -8, 1), MovR(R2, R10), Add(R2, -8), Mov(R3, 0), LdMap(R1, 5), Call(87), Exit());
        yield return Reject("map: push to hash map", R.HelperArgument, St(MemSize.DW, R10, -8, 1), MovR(R2, R10), Add(R2, -8), Mov(R3, 0), LdMap(R1, 0), Call(87), Exit());
        yield return Accept("map: atomic add on value", Lookup(0), J(JmpOp.Jeq, R0, 0, 2), Mov(R1, 1), Atomic(MemSize.DW, R0, 0, R1, AtomicOp.Add), Mov(R0, 0), Exit());
        yield return Reject("map: misaligned atomic on value", R.AtomicAccess, Lookup(1), J(JmpOp.Jeq, R0, 0, 2), Mov(R1, 1), Atomic(MemSize.W, R0, 2, R1, AtomicOp.Add), Mov(R0, 0), Exit());
        yield return Reject("map: atomic at a variable offset of unknown alignment", R.AtomicAccess, Lookup(1), J(JmpOp.Jeq, R0, 0, 6), MovR(R6, R0), Call(7), And(R0, 7), AddR(R6, R0), Mov(R1, 1), Atomic(MemSize.DW, R6, 0, R1, AtomicOp.Add), Mov(R0, 0), Exit());
        yield return Accept("map: atomic at a variable offset known to be aligned", Lookup(1), J(JmpOp.Jeq, R0, 0, 6), MovR(R6, R0), Call(7), And(R0, 8), AddR(R6, R0), Mov(R1, 1), Atomic(MemSize.DW, R6, 0, R1, AtomicOp.Add), Mov(R0, 0), Exit());
        yield return Reject("map: value or null returned", R.PointerLeak, Lookup(0), Exit()) with { Privileged = false };
    }
}
