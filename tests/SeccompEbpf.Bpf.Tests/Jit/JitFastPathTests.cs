using System.Runtime.InteropServices;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Engine.Interpreter;
using SeccompEbpf.Bpf.Engine.Jit;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using static SeccompEbpf.Bpf.Tests.Engine.I;

namespace SeccompEbpf.Bpf.Tests.Jit;

/// <summary>
/// The JIT's fast path: a program that calls nothing runs without binding the run context, the
/// seccomp entry (<see cref="JittedProgram.RunWithContext"/>) builds no arguments, and options for
/// verified programs drop frame clearing and check the context once. Each must behave exactly as
/// the interpreter (results, error texts, counts) and keep the safety policy.
/// </summary>
public unsafe class JitFastPathTests
{
    /// <summary>lddw dst, address of the value of array map <paramref name="index"/> + offset.</summary>
    private static Instruction[] MapValue(byte dst, int index, int offset) =>
        [new(Opcodes.LdDw, dst, LoadImmSource.MapValue, 0, index), new(0, 0, 0, 0, offset)];

    private static (BpfRunResult Interpreter, BpfRunResult Jit) OnContext(Instruction[] code, byte[] data, IReadOnlyList<BpfMap>? maps = null, JitOptions? options = null)
    {
        var program = new BpfProgram("ctx", code, maps);
        var interpreted = BpfInterpreter.Instance.Prepare(program).Value;
        var jit = BpfJit.Compile(program, options).Value;
        using var context = new BpfRunContext();
        // One pinned buffer for both runs, so that addresses in error messages agree too.
        var buffer = GC.AllocateArray<byte>(data.Length, pinned: true);
        data.CopyTo(buffer, 0);
        byte* p = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(buffer, 0);
        var a = interpreted.Run(context, BpfRunArgs.ForContext(p, data.Length));
        var b = jit.RunWithContext(context, p, data.Length);
        Assert.Null(context.Program); // nothing stays bound after either run
        Assert.Equal(b, jit.Run(context, BpfRunArgs.ForContext(p, data.Length)));
        Assert.Equal(b, jit.RunWithContext(context, buffer)); // the extension the seccomp layer calls
        return (a, b);
    }

    [Fact]
    public void OnlyProgramsThatCallNothingRunAlone()
    {
        Assert.True(BpfJit.Compile(new BpfProgram("p", Program(Mov(0, 0), Exit()))).Value.Code.RunsAlone);
        Assert.False(BpfJit.Compile(new BpfProgram("p", Program(Call(Bpf.Helpers.HelperIds.GetPrandomU32), Exit()))).Value.Code.RunsAlone);
        Assert.False(BpfJit.Compile(new BpfProgram("p", Program(CallLocal(1), Exit(), Mov(0, 1), Exit()))).Value.Code.RunsAlone);
    }

    [Fact]
    public void TheContextEntryBehavesLikeTheInterpreter()
    {
        var data = Enumerable.Range(1, 64).Select(i => (byte)i).ToArray();
        // r0 = ctx[60..63] + r2 (r2..r5 are 0 on the context entry).
        var (a, b) = OnContext(Program(Ldx(MemSize.W, 0, 1, 60), Alu64X(AluOp.Add, 0, 2), Exit()), data);
        Assert.True(b.IsOk);
        Assert.Equal(a, b);
        Assert.Equal(BitConverter.ToUInt32(data, 60), (uint)b.R0);

        // Past the end, and a write to the read-only context: the same error, index and count.
        (a, b) = OnContext(Program(Mov(0, 0), Ldx(MemSize.DW, 0, 1, 60), Exit()), data);
        Assert.Equal(a, b);
        Assert.Contains("crosses the bounds of context", b.Error!.Message);
        Assert.Equal(1, b.Error.InstructionIndex);
        (a, b) = OnContext(Program(Mov(0, 0), St(MemSize.W, 1, 0, 7), Exit()), data);
        Assert.Equal(a, b);
        Assert.Contains("read-only", b.Error!.Message);
    }

    [Fact]
    public void ProgramsThatRunAloneStillReachMapValuesThroughTheGeneralCheck()
    {
        using var map = (ArrayMap)MapFactory.Create(new MapSpec("values", MapType.Array, 4, 8, 2)).Value;
        map.Update(BitConverter.GetBytes(1u), BitConverter.GetBytes(41ul));
        // r0 = value[1] + 1 (the values are consecutive 8-byte slots), stored into value[0]; then a read past the last value faults.
        Assert.Equal(8ul, map.ValueSlotSize);
        var ok = Program(MapValue(2, 0, 0), Ldx(MemSize.DW, 0, 2, 8), Alu64(AluOp.Add, 0, 1), Stx(MemSize.DW, 2, 0, 0), Exit());
        var (a, b) = OnContext(ok, new byte[64], [map]);
        Assert.Equal(a, b);
        Assert.Equal(42ul, b.R0);
        var value = new byte[8];
        Assert.True(map.TryLookup(BitConverter.GetBytes(0u), value));
        Assert.Equal(42ul, BitConverter.ToUInt64(value));

        var past = Program(MapValue(2, 0, 4), Ldx(MemSize.DW, 0, 2, 12), Exit());
        (a, b) = OnContext(past, new byte[64], [map]);
        Assert.Equal(a, b);
        Assert.Equal(2, b.Error!.InstructionIndex);
    }

    [Fact]
    public void VerifiedOptionsCheckTheContextSizeOnceAndRefuseAShorterOne()
    {
        var code = Program(Ldx(MemSize.W, 0, 1, 60), Exit());
        var program = new BpfProgram("verified", code);
        var jit = BpfJit.Compile(program, JitOptions.WithoutChecks(program, contextSize: 64)).Value;
        using var context = new BpfRunContext();
        var data = new byte[64];
        data[60] = 9;
        Assert.Equal(9ul, jit.RunWithContext(context, data).R0);

        // The proof assumed 64 bytes at r1: a shorter context, a writable one or no context is refused before running.
        var refused = jit.RunWithContext(context, new byte[32]);
        Assert.Contains("verified program", refused.Error!.Message);
        Assert.Equal(0, refused.InstructionsExecuted);
        Assert.False(jit.RunWithMemory(context, new byte[64]).IsOk);
        var writableProgram = BpfJit.Compile(program, JitOptions.WithoutChecks(program, 64, contextWritable: true)).Value;
        Assert.False(writableProgram.RunWithContext(context, data).IsOk);
        Assert.True(writableProgram.RunWithContext(context, data, writable: true).IsOk);
    }

    /// <summary>Writes 0x5a into the whole of frame 0, as a run (the stack belongs to runs).</summary>
    private static void DirtyFrame(BpfRunContext context)
    {
        var code = Enumerable.Range(1, 128).Select(k => St(MemSize.W, 10, (short)(-4 * k), 0x5a5a5a5a)).Append(Mov(0, 0)).Append(Exit()).ToArray();
        Assert.True(BpfJit.Compile(new BpfProgram("dirty", code)).Value.RunWithContext(context, new byte[64]).IsOk);
    }

    [Fact]
    public void OnlyVerifiedProgramsSkipClearingTheFrame()
    {
        var program = new BpfProgram("p", Program(Mov(0, 0), Exit()));
        using var context = new BpfRunContext();
        var frame = new Span<byte>((void*)(context.FramePointer(0) - BpfRunContext.StackFrameSize), BpfRunContext.StackFrameSize);

        DirtyFrame(context);
        Assert.True(frame.IndexOfAnyExcept((byte)0x5a) < 0);
        Assert.True(BpfJit.Compile(program).Value.RunWithContext(context, new byte[64]).IsOk);
        Assert.True(frame.IndexOfAnyExcept((byte)0) < 0, "an unverified program must start from a cleared frame");

        DirtyFrame(context);
        Assert.True(BpfJit.Compile(program, JitOptions.WithoutChecks(program, 64)).Value.RunWithContext(context, new byte[64]).IsOk);
        Assert.True(frame.IndexOfAnyExcept((byte)0x5a) < 0, "a verified program needs no clearing");
    }

    [Fact]
    public void OnlyWhatEarlierRunsMayHaveWrittenIsCleared()
    {
        using var context = new BpfRunContext();
        var readsDeep = new BpfProgram("reads", Program(Ldx(MemSize.DW, 0, 10, -504), Exit()));
        var writesTop = new BpfProgram("writes", Program(St(MemSize.DW, 10, -16, 7), Mov(0, 0), Exit()));
        var throughPointer = new BpfProgram("pointer", Program(MovX(2, 10), St(MemSize.DW, 2, -504, 9), Mov(0, 0), Exit()));
        Assert.Equal(16, BpfJit.Compile(writesTop).Value.Code.MainFrameWriteExtent);
        Assert.Equal(BpfRunContext.StackFrameSize, BpfJit.Compile(throughPointer).Value.Code.MainFrameWriteExtent);
        Assert.Equal(0, BpfJit.Compile(readsDeep).Value.Code.MainFrameWriteExtent);

        // Whatever ran before (any engine, verified or not, any store), a checked program reads zeros;
        // the frame is first left clean by a program that writes nothing, so nothing would be cleared
        // unless the run before recorded what it wrote.
        foreach (var before in new Func<BpfRunResult>[]
        {
            () => BpfJit.Compile(writesTop).Value.RunWithContext(context, new byte[64]),
            () => BpfJit.Compile(throughPointer).Value.RunWithContext(context, new byte[64]),
            () => BpfJit.Compile(throughPointer, JitOptions.WithoutChecks(throughPointer, 64)).Value.RunWithContext(context, new byte[64]),
            () => BpfEngines.Prepare(throughPointer, EngineKind.Interpreter).Value.RunWithContext(context, new byte[64]),
        })
        {
            DirtyFrame(context);
            Assert.Equal(0ul, BpfJit.Compile(readsDeep).Value.RunWithContext(context, new byte[64]).R0);
            Assert.True(before().IsOk);
            foreach (var kind in new[] { EngineKind.Jit, EngineKind.Interpreter })
                Assert.Equal(0ul, BpfEngines.Prepare(readsDeep, kind).Value.RunWithContext(context, new byte[64]).R0);
        }
    }

    [Theory]
    [InlineData(2, false)]   // found
    [InlineData(9, false)]   // past the last index: NULL
    [InlineData(2, true)]    // the key pointer is not readable: the helper's own error
    public void DirectMapLookupsBehaveLikeTheHelper(int key, bool badPointer)
    {
        using var map = (ArrayMap)MapFactory.Create(new MapSpec("values", MapType.Array, 4, 8, 4)).Value;
        map.Update(BitConverter.GetBytes(2u), BitConverter.GetBytes(77ul));
        var code = Program(
            St(MemSize.W, 10, -4, key),
            new Instruction[] { new(Opcodes.LdDw, 1, LoadImmSource.MapIdx, 0, 0), new(0, 0, 0, 0, 0) },
            badPointer ? Mov(2, 16) : MovX(2, 10), Alu64(AluOp.Add, 2, -4),
            Call(Bpf.Helpers.HelperIds.MapLookupElem),
            Jmp(JmpOp.Jeq, 0, 0, 1),
            Ldx(MemSize.DW, 0, 0, 0),
            Exit());
        var (a, b) = OnContext(code, new byte[64], [map]);
        Assert.Equal(a, b);
        if (badPointer) Assert.Contains("key (r2)", b.Error!.Message);
        else Assert.Equal(key == 2 ? 77ul : 0ul, b.R0);
    }

    [Fact]
    public void VerifiedOptionsProveEveryAccessAndDropTheBudget()
    {
        var code = Program(St(MemSize.DW, 10, -8, 5), LdDw(3, 7), Ldx(MemSize.DW, 0, 10, -8), Exit());
        var options = JitOptions.WithoutChecks(new BpfProgram("p", code), 64);
        Assert.Equal([0, 3], options.ProvenSafeAccesses!.Order());
        Assert.False(options.EnforceInstructionBudget);
        var result = BpfJit.Compile(new BpfProgram("p", code), options).Value.RunWithContext(new BpfRunContext(), new byte[64]);
        Assert.Equal(BpfRunResult.Success(5, 0), result); // nothing is counted without a budget
    }
}
