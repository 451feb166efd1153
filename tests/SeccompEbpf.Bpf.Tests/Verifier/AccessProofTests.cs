using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Verifier;
using static SeccompEbpf.Bpf.Tests.Verifier.I;

namespace SeccompEbpf.Bpf.Tests.Verifier;

/// <summary>Which loads, stores and atomics the verifier reports as proven in bounds (what a JIT may leave unchecked).</summary>
public sealed class AccessProofTests
{
    private static VerificationResult Verify(params object[] parts) =>
        BpfVerifier.Verify(P(parts), VerifierCase.Options(privileged: true));

    private static object[] Lookup(int map) => [St(MemSize.W, R10, -4, 0), MovR(R2, R10), Add(R2, -4), LdMap(R1, map), Call(1)];

    [Fact]
    public void StackStoresLoadsAndAtomicsAreProven()
    {
        var r = Verify(St(MemSize.DW, R10, -8, 1), Mov(R1, 2), Atomic(MemSize.DW, R10, -8, R1, AtomicOp.Add),
            Ldx(MemSize.DW, R0, R10, -8), Exit());
        Assert.True(r.Accepted, r.Error?.ToString());
        Assert.Equal([0, 2, 3], r.Accesses.ProvenSafe);
        Assert.Equal(3, r.Accesses.MemoryAccesses);
        Assert.Equal(0, r.Accesses.NotReached);
        Assert.True(r.ProvedTermination);
    }

    [Fact]
    public void MapValueAccessAtABoundedVariableOffsetIsProven()
    {
        // key store (0), lookup (1..5, lddw takes two slots), null check (6), R6 = value, R0 = random & 7, R6 += R0, load (11).
        var r = Verify(Lookup(1), J(JmpOp.Jeq, R0, 0, 5), MovR(R6, R0), Call(7), And(R0, 7), AddR(R6, R0),
            Ldx(MemSize.DW, R0, R6, 0), Mov(R0, 0), Exit());
        Assert.True(r.Accepted, r.Error?.ToString());
        Assert.Equal([0, 11], r.Accesses.ProvenSafe);
    }

    [Fact]
    public void ContextReadsAreProvenAndSayHowManyBytesTheyNeed()
    {
        var r = Verify(Ldx(MemSize.W, R0, R1, 16), Ldx(MemSize.DW, R2, R1, 24), Exit());
        Assert.True(r.Accepted, r.Error?.ToString());
        Assert.Equal([0, 1], r.Accesses.ProvenSafe);
        Assert.Equal(32, r.Accesses.ContextBytesRead);
    }

    [Fact]
    public void ContextWritesAreNeverProven()
    {
        var writable = VerifierCase.Options(privileged: true) with { ProgramType = new WritableContextRules() };
        var r = BpfVerifier.Verify(P(St(MemSize.W, R1, 0, 7), Ldx(MemSize.W, R0, R1, 0), Exit()), writable);
        Assert.True(r.Accepted, r.Error?.ToString());
        Assert.Equal([1], r.Accesses.ProvenSafe);
        Assert.Equal(1, r.Accesses.Unproven);
    }

    [Fact]
    public void AnAccessOnlyOnADecidedDeadBranchIsNotProven()
    {
        // R0 = 1, so "if R0 == 0" is never taken and the load at 3 is never reached.
        var r = Verify(Mov(R0, 1), J(JmpOp.Jeq, R0, 0, 1), Exit(), Ldx(MemSize.DW, R0, R10, -64), Exit());
        Assert.True(r.Accepted, r.Error?.ToString());
        Assert.Empty(r.Accesses.ProvenSafe);
        Assert.Equal(1, r.Accesses.NotReached);
    }

    [Fact]
    public void AnAccessIsProvenOnlyIfItWasProvenOnEveryPathThatReachedIt()
    {
        // Both paths reach the store at 6: one through the stack pointer (proven), one through the
        // context pointer (a context write, never proven): the instruction as a whole is unproven.
        var writable = VerifierCase.Options(privileged: true) with { ProgramType = new WritableContextRules() };
        var program = P(MovR(R6, R1), Call(7), MovR(R2, R10), Add(R2, -8), J(JmpOp.Jeq, R0, 0, 1), MovR(R2, R6),
            St(MemSize.DW, R2, 0, 1), Mov(R0, 0), Exit());
        var r = BpfVerifier.Verify(program, writable);
        Assert.True(r.Accepted, r.Error?.ToString());
        Assert.DoesNotContain(6, r.Accesses.ProvenSafe);
        Assert.Equal(1, r.Accesses.Unproven);
    }

    [Fact]
    public void ARejectedProgramProvesNothing()
    {
        var r = Verify(St(MemSize.DW, R10, -8, 1), Ldx(MemSize.DW, R0, R10, -520), Exit());
        Assert.False(r.Accepted);
        Assert.Empty(r.Accesses.ProvenSafe);
        Assert.False(r.ProvedTermination);
    }

    [Fact]
    public void ABoundedLoopIsProvenToTerminate()
    {
        var r = Verify(Mov(R0, 0), Add(R0, 1), St(MemSize.DW, R10, -8, 0), J(JmpOp.Jlt, R0, 10, -3), Exit());
        Assert.True(r.Accepted, r.Error?.ToString());
        Assert.True(r.ProvedTermination);
        Assert.Equal([2], r.Accesses.ProvenSafe);
    }

    /// <summary>Like the test context, but the first 8 bytes may be written (as some kernel program types allow).</summary>
    private sealed class WritableContextRules : IProgramTypeRules
    {
        public string Name => "test-writable";
        public int ContextSize => 64;
        public bool AllowsLegacyPacketLoads => false;
        public string? CheckContextAccess(int offset, int size, bool isWrite) =>
            offset < 0 || offset + size > (isWrite ? 8 : ContextSize) ? "out of bounds" : null;
        public string? CheckReturnValue(RegisterState r0) => null;
    }
}
