using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Engine.Interpreter;
using SeccompEbpf.Bpf.Engine.Jit;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using static SeccompEbpf.Bpf.Tests.Engine.I;

namespace SeccompEbpf.Bpf.Tests.Jit;

/// <summary>
/// The JIT on the cases random programs rarely reach: faults (same error, instruction index and
/// count as the interpreter), runaway loops, bpf-to-bpf calls, callx, callbacks, tail calls, maps,
/// and the safety policy (unverified programs run fully checked; proofs drop checks).
/// </summary>
public class JitEngineTests
{
    /// <summary>Runs on both engines with the same context and memory; asserts identical results and returns the JIT's.</summary>
    private static BpfRunResult Both(Instruction[] code, byte[]? memory = null, IReadOnlyList<BpfMap>? maps = null, long budget = BpfRunContext.DefaultInstructionBudget)
    {
        var program = new BpfProgram("test", code, maps);
        using var context = new BpfRunContext { InstructionBudget = budget };
        var interpreted = BpfInterpreter.Instance.Prepare(program);
        var jitted = BpfJit.Instance.Prepare(program);
        Assert.Equal(interpreted.Error, jitted.Error);
        if (!interpreted.IsOk) return BpfRunResult.Failure(interpreted.Error!, 0);
        // One pinned buffer for both runs, so that addresses in error messages agree too.
        memory ??= [];
        var buffer = GC.AllocateArray<byte>(memory.Length, pinned: true);
        memory.CopyTo(buffer, 0);
        var a = interpreted.Value.RunWithMemory(context, buffer);
        memory.CopyTo(buffer, 0);
        var b = jitted.Value.RunWithMemory(context, buffer);
        Assert.Equal(EngineKind.Jit, jitted.Value.Kind);
        Assert.Equal(a, b);
        return b;
    }

    /// <summary>lddw dst, function at pc+1+offset.</summary>
    private static Instruction[] FunctionAddress(byte dst, int offset) =>
        [new(Opcodes.LdDw, dst, LoadImmSource.Func, 0, offset), new(0, 0, 0, 0, 0)];

    /// <summary>lddw dst, map at index.</summary>
    private static Instruction[] MapRef(byte dst, int index) =>
        [new(Opcodes.LdDw, dst, LoadImmSource.MapIdx, 0, index), new(0, 0, 0, 0, 0)];

    [Fact]
    public void TheJitIsTheDefaultEngine()
    {
        Assert.Equal(EngineKind.Jit, BpfEngines.Default);
        Assert.Equal(EngineKind.Jit, BpfEngines.Prepare(new BpfProgram("p", Program(Mov(0, 1), Exit()))).Value.Kind);
        Assert.True(BpfEngines.TryParseKind("jit", out var kind) && kind == EngineKind.Jit);
    }

    [Fact]
    public void OutOfBoundsAccessesAreErrorsWithTheInterpretersIndex()
    {
        var read = Both(Program(Mov(0, 0), Ldx(MemSize.W, 0, 1, 2), Exit()), memory: [1, 2, 3, 4]);
        Assert.Equal(1, read.Error!.InstructionIndex);
        Assert.Contains("crosses the bounds of memory", read.Error.Message);
        var below = Both(Program(Mov(0, 0), Mov(2, 3), St(MemSize.DW, 10, -4096 - 8, 1), Exit()));
        Assert.Equal(2, below.Error!.InstructionIndex);
        Assert.Equal(3, below.InstructionsExecuted);
        Assert.Contains("null pointer", Both(Program(Mov(1, 0), Ldx(MemSize.DW, 0, 1, 0), Exit())).Error!.Message);
        Assert.Equal(2, Both(Program(LdDw(1, 0x7fff_dead_beef_0000), Stx(MemSize.DW, 1, 1, 0), Mov(0, 0), Exit())).Error!.InstructionIndex);
    }

    [Fact]
    public void ReadOnlyContextCannotBeWritten()
    {
        var program = new BpfProgram("ro", Program(St(MemSize.W, 1, 0, 7), Mov(0, 0), Exit()));
        var jit = BpfJit.Instance.Prepare(program).Value;
        using var context = new BpfRunContext();
        var result = jit.RunWithContext(context, new byte[16], writable: false);
        Assert.Equal(0, result.Error!.InstructionIndex);
        Assert.Contains("read-only", result.Error.Message);
    }

    [Theory]
    [InlineData((short)0, true)]
    [InlineData((short)12, true)]
    [InlineData((short)13, false)]
    [InlineData((short)-1, false)]
    public void ContextReadsAreCheckedLikeTheInterpreter(short offset, bool inBounds)
    {
        var program = new BpfProgram("ctx", Program(Ldx(MemSize.W, 0, 1, offset), Exit()));
        var bytes = GC.AllocateArray<byte>(16, pinned: true);
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(i + 1);
        using var context = new BpfRunContext();
        var a = BpfInterpreter.Instance.Prepare(program).Value.RunWithContext(context, bytes);
        var b = BpfJit.Instance.Prepare(program).Value.RunWithContext(context, bytes);
        Assert.Equal(a, b);
        Assert.Equal(inBounds, b.IsOk);
    }

    [Fact]
    public void MisalignedAtomicsAreErrors()
    {
        var result = Both(Program(Mov(0, 0), Mov(1, 1), Atomic(MemSize.DW, 10, 1, -12, AtomicOp.Add), Exit()));
        Assert.Equal(2, result.Error!.InstructionIndex);
        Assert.Contains("misaligned", result.Error.Message);
    }

    [Fact]
    public void RunawayLoopsStopAtTheSameInstructionAndCountAsTheInterpreter()
    {
        // The budget runs out in the middle of the three-instruction loop body.
        var code = Program(Mov(0, 0), Alu64(AluOp.Add, 0, 1), Alu64(AluOp.Add, 0, 2), Ja(-3), Exit());
        foreach (long budget in new long[] { 1000, 1001, 1002, 1003 })
        {
            var result = Both(code, budget: budget);
            Assert.Contains("budget", result.Error!.Message);
            Assert.Equal(budget + 1, result.InstructionsExecuted);
        }
    }

    [Fact]
    public void SuccessfulRunsCountInstructionsExactly()
    {
        var result = Both(Program(Mov(0, 0), Mov(1, 10), Alu64(AluOp.Add, 0, 3), Alu64(AluOp.Sub, 1, 1), Jmp(JmpOp.Jne, 1, 0, -3), LdDw(2, 5), Exit()));
        Assert.Equal(30ul, result.R0);
        Assert.Equal(2 + 30 + 2, result.InstructionsExecuted);
    }

    [Fact]
    public void LocalCallsShareRegistersLikeTheInterpreter()
    {
        // main: r6 = 7; r1 = 5; call f; r0 += r6 (the callee's r6 is not seen); exit.  f: r1 *= 3; r0 = r1; r6 = 100; exit
        var code = Program(Mov(6, 7), Mov(1, 5), CallLocal(3), Alu64X(AluOp.Add, 0, 6), Mov(1, 0), Exit(),
            Alu64(AluOp.Mul, 1, 3), MovX(0, 1), Mov(6, 100), Exit());
        var result = Both(code);
        Assert.Equal(15ul + 7, result.R0);
    }

    [Fact]
    public void RecursionStopsAtTheCallDepthLimit()
    {
        var result = Both(Program(Mov(0, 0), CallLocal(-2), Exit()));
        Assert.Contains("call depth", result.Error!.Message);
        Assert.Equal(1, result.Error.InstructionIndex);
    }

    [Fact]
    public void CallxReachesFunctionsAndHelpers()
    {
        var viaFunction = Both(Program(FunctionAddress(2, 4), Mov(0, 1),
            new Instruction(Opcodes.Callx, 2, 0, 0, 0), Exit(), Mov(0, 42), Exit()));
        Assert.Equal(42ul, viaFunction.R0);
        var viaHelper = Both(Program(Mov(3, HelperIds.GetSmpProcessorId), new Instruction(Opcodes.Callx, 3, 0, 0, 0), Mov(0, 9), Exit()));
        Assert.Equal(9ul, viaHelper.R0);
    }

    [Fact]
    public void LoopHelperCallsBackIntoCompiledCode()
    {
        // r0 = loop(5, f, ctx=0, 0) where f(i, ctx) adds i into a stack slot of main; result: iterations, slot = 0+1+2+3+4.
        var code = Program(St(MemSize.DW, 10, -8, 0), Mov(1, 5), FunctionAddress(2, 9), MovX(3, 10), Alu64(AluOp.Add, 3, -8), Mov(4, 0),
            Call(HelperIds.Loop), Ldx(MemSize.DW, 1, 10, -8), Alu64(AluOp.Mul, 0, 100), Alu64X(AluOp.Add, 0, 1), Exit(),
            // callback at 12: *(u64*)r2 += r1; return 0
            Ldx(MemSize.DW, 3, 2, 0), Alu64X(AluOp.Add, 3, 1), Stx(MemSize.DW, 2, 3, 0), Mov(0, 0), Exit());
        Assert.Equal(12, code.Length - 5);
        var result = Both(code);
        Assert.Equal(5ul * 100 + 10, result.R0);
    }

    [Fact]
    public void TailCallsContinueInTheTargetAndStopAtTheLimit()
    {
        using var programs = (ProgramArrayMap)MapFactory.Create(new MapSpec("progs", MapType.ProgArray, 4, 4, 2)).Value;
        var target = new BpfProgram("target", Program(Mov(0, 1000), Exit()));
        Assert.Null(programs.Set(0, target));
        // main: r0 = 1; tail_call(ctx, progs, 0) -> target returns 1000 (main's r0 = 7 is never reached)
        var tail = Program(Mov(0, 1), MapRef(2, 0), Mov(3, 0), Call(HelperIds.TailCall), Mov(0, 7), Exit());
        Assert.Equal(1000ul, Both(tail, maps: [programs]).R0);

        // A program that tail-calls itself, counting in its stack slot (the frame survives tail calls):
        // after 33 tail calls the helper fails and the program goes on.
        var self = new BpfProgram("self", Program(Ldx(MemSize.DW, 0, 10, -8), Alu64(AluOp.Add, 0, 1), Stx(MemSize.DW, 10, 0, -8),
            MapRef(2, 0), Mov(3, 1), Call(HelperIds.TailCall), Ldx(MemSize.DW, 0, 10, -8), Exit()), [programs]);
        Assert.Null(programs.Set(1, self));
        var selfCalls = Both(Program(St(MemSize.DW, 10, -8, 0), MapRef(2, 0), Mov(3, 1), Call(HelperIds.TailCall), Mov(0, 0), Exit()), maps: [programs]);
        Assert.Equal((ulong)BpfRunContext.MaxTailCalls, selfCalls.R0);
    }

    [Fact]
    public void MapsAreReachedDirectlyAndAtomicsAreAtomic()
    {
        using var array = MapFactory.Create(new MapSpec("a", MapType.Array, 4, 8, 1)).Value;
        var valuePointer = LdDw(1, 0, LoadImmSource.MapIdxValue);
        var code = Program(valuePointer[0] with { Imm = 0 }, valuePointer[1] with { Imm = 0 }, Mov(2, 1),
            Atomic(MemSize.DW, 1, 2, 0, AtomicOp.Add | AtomicOp.Fetch), MovX(0, 2), Exit());
        var jit = BpfJit.Instance.Prepare(new BpfProgram("count", code, [array])).Value;
        Parallel.For(0, 4, _ =>
        {
            using var context = new BpfRunContext();
            for (int i = 0; i < 10_000; i++) Assert.True(jit.RunWithMemory(context, []).IsOk);
        });
        var value = new byte[8];
        Assert.True(array.TryLookup(new byte[4], value));
        Assert.Equal(40_000ul, BitConverter.ToUInt64(value));
    }

    [Fact]
    public void ProvenSafeAccessesSkipTheCheckOthersKeepIt()
    {
        var code = Program(St(MemSize.DW, 10, -8, 5), Ldx(MemSize.DW, 0, 10, -8), Ldx(MemSize.DW, 1, 10, 8), Exit());
        var program = new BpfProgram("p", code);
        using var context = new BpfRunContext();
        // Only instructions 0 and 1 are proven: instruction 2 (out of bounds) is still checked.
        var partlyProven = BpfJit.Compile(program, new JitOptions { ProvenSafeAccesses = new HashSet<int> { 0, 1 } }).Value;
        var result = partlyProven.RunWithMemory(context, []);
        Assert.Equal(2, result.Error!.InstructionIndex);
        var proven = BpfJit.Compile(new BpfProgram("q", Program(St(MemSize.DW, 10, -8, 5), Ldx(MemSize.DW, 0, 10, -8), Exit())),
            new JitOptions { ProvenSafeAccesses = new HashSet<int> { 0, 1 } }).Value;
        Assert.Equal(5ul, proven.RunWithMemory(context, []).R0);
    }

    [Fact]
    public void InvalidProgramsGetTheSameErrorAsFromTheInterpreter()
    {
        var error = BpfJit.Instance.Prepare(new BpfProgram("bad", Program(Mov(0, 0), Ja(5), Exit()))).Error;
        Assert.Contains("outside", error!.Message);
        Assert.Equal(BpfInterpreter.Instance.Prepare(new BpfProgram("bad", Program(Mov(0, 0), Ja(5), Exit()))).Error, error);
    }

    [Fact]
    public void CompileTimeIsReported()
    {
        var jit = BpfJit.Compile(new BpfProgram("p", Program(Mov(0, 0), Exit()))).Value;
        Assert.True(jit.CompileTime > TimeSpan.Zero);
    }
}
