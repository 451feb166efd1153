using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Isa;
using static SeccompEbpf.Bpf.Tests.Engine.I;

namespace SeccompEbpf.Bpf.Tests.Engine;

public class InterpreterFaultTests
{
    [Fact]
    public void OutOfBoundsReadIsAnErrorNamingTheInstruction()
    {
        var result = EngineTestRunner.Run(Program(Mov(0, 0), Ldx(MemSize.W, 0, 1, 2), Exit()), memory: [1, 2, 3, 4]);
        Assert.False(result.IsOk);
        Assert.Equal(1, result.Error!.InstructionIndex);
        Assert.Contains("crosses the bounds of memory", result.Error.Message);
    }

    [Fact]
    public void NullAndWildPointersAreErrorsNotCrashes()
    {
        var nullRead = EngineTestRunner.Run(Program(Mov(1, 0), Ldx(MemSize.DW, 0, 1, 0), Exit()));
        Assert.Contains("null pointer", nullRead.Error!.Message);
        var wild = EngineTestRunner.Run(Program(LdDw(1, 0x7fff_dead_beef_0000), Stx(MemSize.DW, 1, 1, 0), Mov(0, 0), Exit()));
        Assert.Equal(2, wild.Error!.InstructionIndex);
    }

    [Fact]
    public void StackAccessBelowTheStackIsRefused()
    {
        var result = EngineTestRunner.Run(Program(Mov(0, 0), St(MemSize.DW, 10, -4096 - 8, 1), Exit()));
        Assert.False(result.IsOk);
        Assert.Equal(1, result.Error!.InstructionIndex);
    }

    [Fact]
    public void RunawayLoopsStopAtTheBudget()
    {
        var context = new BpfRunContext { InstructionBudget = 1000 };
        var result = EngineTestRunner.Run(Program(Mov(0, 0), Ja(-1), Exit()), context: context);
        Assert.Contains("budget", result.Error!.Message);
        Assert.Equal(1001, result.InstructionsExecuted);
    }

    [Fact]
    public void JumpsOutsideTheProgramOrIntoAnLddwAreRejectedBeforeRunning()
    {
        Assert.Contains("outside", EngineTestRunner.Run(Program(Mov(0, 0), Ja(5), Exit())).Error!.Message);
        var intoLddw = EngineTestRunner.Run(Program(Ja(1), LdDw(0, 1), Exit()));
        Assert.Contains("second slot", intoLddw.Error!.Message);
        Assert.Equal(0, intoLddw.Error.InstructionIndex);
    }

    [Fact]
    public void AProgramThatCanFallOffTheEndIsRejected()
    {
        var result = EngineTestRunner.Run(Program(Mov(0, 0)));
        Assert.Contains("fall off", result.Error!.Message);
    }

    [Fact]
    public void RecursionDeeperThanEightFramesIsAnError()
    {
        var result = EngineTestRunner.Run(Program(CallLocal(-1), Exit()));
        Assert.Contains("call depth", result.Error!.Message);
    }

    [Fact]
    public void UnknownHelpersAreRejected()
    {
        var result = EngineTestRunner.Run(Program(Call(9999), Exit()));
        Assert.Contains("#9999", result.Error!.Message);
    }
}
