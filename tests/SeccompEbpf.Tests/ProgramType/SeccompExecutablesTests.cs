using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Engine.Jit;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.ProgramType;

namespace SeccompEbpf.Tests.ProgramType;

/// <summary>Seccomp filters on the JIT are compiled with the verifier's proofs, and only with what it proved.</summary>
public sealed class SeccompExecutablesTests
{
    private static readonly Instruction Exit = new(Opcodes.Exit, 0, 0, 0, 0);
    private static Instruction LoadNr(byte dst, byte src) => new(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, MemSize.W), dst, src, 0, 0);

    private static BpfProgram Program(params Instruction[] code) => new("filter", code,
        helpers: SeccompHelperSet.ChooseFor(LoaderPrivileges.Privileged).Runtime);

    [Fact]
    public void JitBuildDropsTheProvenChecksAndKeepsTheResult()
    {
        // r6 = r1; call get_current_pid_tgid; r0 = nr; exit: a seccomp helper, then a context read.
        var program = Program(new Instruction(Opcodes.Alu(OpClass.Alu64, AluOp.Mov, true), 6, 1, 0, 0),
            new Instruction(Opcodes.Call, 0, 0, 0, 14), LoadNr(0, 6), Exit);
        var built = SeccompExecutables.Prepare(program, LoaderPrivileges.Privileged, EngineKind.Jit);
        Assert.True(built.IsOk, built.Error?.ToString());
        var jit = Assert.IsType<JittedProgram>(built.Value);
        Assert.Equal([2], jit.Options.ProvenSafeAccesses!);
        Assert.False(jit.Options.EnforceInstructionBudget);
        Assert.Equal(4, jit.Options.AssumedContextSize);
    }

    [Fact]
    public void CallFreeFilterRunsAndAShortContextIsRefused()
    {
        var built = SeccompExecutables.Prepare(Program(LoadNr(0, 1), Exit), LoaderPrivileges.Unprivileged, EngineKind.Jit).Value;
        var data = new byte[64];
        data[0] = 39;
        using var context = new BpfRunContext();
        var run = built.RunWithContext(context, data);
        Assert.True(run.IsOk, run.Error?.ToString());
        Assert.Equal(39UL, run.R0);
        Assert.False(built.RunWithContext(context, new byte[2]).IsOk);
    }

    [Fact]
    public void UninitialisedStackReadsAllowedToThePrivilegedKeepTheFrameClearing()
    {
        // r0 = *(u64 *)(r10 - 8): accepted for CAP_PERFMON, which must then still see a cleared frame.
        var program = Program(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, MemSize.DW), 0, 10, -8, 0), Exit);
        var jit = Assert.IsType<JittedProgram>(SeccompExecutables.Prepare(program, LoaderPrivileges.Privileged, EngineKind.Jit).Value);
        Assert.False(jit.Options.StackReadsProvenInitialized);
        using var context = new BpfRunContext();
        // An earlier filter in the same context leaves 0x55 where this one reads.
        var writer = Program(new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, MemSize.DW), 10, 0, -8, 0x55),
            new Instruction(Opcodes.Alu(OpClass.Alu64, AluOp.Mov, false), 0, 0, 0, 0), Exit);
        SeccompExecutables.Prepare(writer, LoaderPrivileges.Privileged, EngineKind.Jit).Value.RunWithContext(context, new byte[64]);
        Assert.Equal(0UL, jit.RunWithContext(context, new byte[64]).R0);
    }

    [Fact]
    public void InterpreterBuildIsTheInterpreter()
    {
        var built = SeccompExecutables.Prepare(Program(LoadNr(0, 1), Exit), LoaderPrivileges.Privileged, EngineKind.Interpreter);
        Assert.Equal(EngineKind.Interpreter, built.Value.Kind);
    }
}
