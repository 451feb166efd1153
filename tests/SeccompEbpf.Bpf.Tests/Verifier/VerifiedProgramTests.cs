using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Bpf.Verifier;
using static SeccompEbpf.Bpf.Tests.Verifier.I;

namespace SeccompEbpf.Bpf.Tests.Verifier;

/// <summary>Preparing a JIT build with the verifier's proofs: what it drops, what it refuses, and that it computes the same results.</summary>
public sealed class VerifiedProgramTests
{
    private static readonly MapSpec Array16 = new("array", MapType.Array, 4, 16, 4);

    /// <summary>The engine's own prototypes, so that the helper model check passes.</summary>
    private static VerifierOptions Options() => new VerifierOptions(TestContextRules.Instance)
    {
        Helpers = HelperTable.Base.All.ToDictionary(h => h.Id, h => h.Prototype),
    }.AsPrivileged();

    /// <summary>Writes R7 (from the context) into element 1 at a variable offset, then reads it back.</summary>
    private static Instruction[] MapProgram() => P(
        Ldx(MemSize.DW, R7, R1, 0), And(R7, 7),
        St(MemSize.W, R10, -4, 1), MovR(R2, R10), Add(R2, -4), LdMap(R1, 0), Call(1),
        J(JmpOp.Jeq, R0, 0, 5), MovR(R6, R0), AddR(R6, R7), Stx(MemSize.DW, R6, 0, R7), Ldx(MemSize.DW, R0, R6, 0), Exit(),
        Mov(R0, 99), Exit());

    [Fact]
    public void ProvenAccessesAreUncheckedAndTheResultIsTheSame()
    {
        using var verified = new PreparedPair(MapProgram(), Options());
        var proofs = verified.Program.Verification.Accesses;
        Assert.Equal([0, 2, 11, 12], proofs.ProvenSafe);
        Assert.False(verified.Program.Compiled.Options.EnforceInstructionBudget);

        var ctx = new byte[64];
        ctx[0] = 5;
        var context = new BpfRunContext();
        var fast = verified.Program.RunWithContext(context, ctx);
        var slow = verified.Checked.RunWithContext(context, ctx);
        Assert.True(fast.IsOk, fast.Error?.ToString());
        Assert.Equal(slow.R0, fast.R0);
        Assert.Equal(5UL, fast.R0);
        Assert.Contains("4 of 4 accesses unchecked", verified.Program.ToString());
    }

    [Fact]
    public void ARunWithAContextSmallerThanTheProvenReadsIsRefusedNotRun()
    {
        using var verified = new PreparedPair(MapProgram(), Options());
        Assert.Equal(8, verified.Program.Verification.Accesses.ContextBytesRead);
        var result = verified.Program.RunWithContext(new BpfRunContext(), new byte[4]);
        Assert.False(result.IsOk);
        Assert.Contains("context of 8 bytes at r1", result.Error!.Message);
    }

    [Fact]
    public void ARejectedProgramIsNotPreparedAndTheErrorNamesTheRule()
    {
        var program = new BpfProgram("bad", P(Ldx(MemSize.DW, R0, R10, -520), Exit()));
        var prepared = VerifiedProgram.Prepare(program, Options());
        Assert.False(prepared.IsOk);
        Assert.Equal(0, prepared.Error!.InstructionIndex);
        Assert.Contains(VerifierRule.StackBounds, prepared.Error.Message);
    }

    [Fact]
    public void AHelperModelledDifferentlyFromTheEngineIsRefused()
    {
        // The verifier is told map_lookup_elem reads a whole value from the key pointer, the engine reads a key.
        var lying = Options() with
        {
            Helpers = new Dictionary<int, HelperPrototype>
            {
                [1] = new(1, "map_lookup_elem", HelperReturn.PtrToMapValueOrNull, HelperArg.ConstMapPtr, HelperArg.PtrToMapValue),
            },
        };
        var created = BpfProgram.Create("lookup", MapProgram(), [Array16]);
        try
        {
            var prepared = VerifiedProgram.Prepare(created.Value, lying);
            Assert.False(prepared.IsOk);
            Assert.Contains("argument 2: PtrToMapValue vs PtrToMapKey", prepared.Error!.Message);
        }
        finally
        {
            foreach (var m in created.Value.Maps) m.Dispose();
        }
    }

    [Fact]
    public void ScalarAndAnythingArgumentsMayDiffer()
    {
        var model = new HelperPrototype(130, "ringbuf_output", HelperReturn.Integer, HelperArg.ConstMapPtr, HelperArg.PtrToMem, HelperArg.ConstSizeOrZero, HelperArg.Scalar);
        var real = HelperTable.Base.Find(130)!.Prototype;
        Assert.Null(HelperModelCheck.Mismatch(model, real));
        var wrongSize = model with { Args = [HelperArg.ConstMapPtr, HelperArg.PtrToMem, HelperArg.ConstSize, HelperArg.Scalar] };
        Assert.NotNull(HelperModelCheck.Mismatch(wrongSize, real));
    }

    /// <summary>The verified build and a fully checked build of one program, sharing its maps.</summary>
    private sealed class PreparedPair : IDisposable
    {
        private readonly BpfProgram _bpf;
        public VerifiedProgram Program { get; }
        public IBpfExecutable Checked { get; }

        public PreparedPair(Instruction[] code, VerifierOptions options)
        {
            _bpf = BpfProgram.Create("test", code, [Array16]).Value;
            var prepared = VerifiedProgram.Prepare(_bpf, options);
            Assert.True(prepared.IsOk, prepared.Error?.ToString());
            Program = prepared.Value;
            Checked = BpfEngines.Prepare(_bpf, EngineKind.Jit).Value;
        }

        public void Dispose()
        {
            foreach (var m in _bpf.Maps) m.Dispose();
        }
    }
}
