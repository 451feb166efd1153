using SeccompEbpf.Bpf.Isa;
using static SeccompEbpf.Bpf.Tests.Engine.I;

namespace SeccompEbpf.Bpf.Tests.Engine;

public class InterpreterSemanticsTests
{
    [Fact]
    public void DivisionByZeroGivesZeroAndModuloByZeroKeepsTheDividend()
    {
        Assert.Equal(0UL, EngineTestRunner.R0(Program(Mov(0, 7), Mov(1, 0), Alu64X(AluOp.Div, 0, 1), Exit())));
        Assert.Equal(7UL, EngineTestRunner.R0(Program(Mov(0, 7), Mov(1, 0), Alu64X(AluOp.Mod, 0, 1), Exit())));
        Assert.Equal(0UL, EngineTestRunner.R0(Program(Mov(0, 7), Alu32(AluOp.Div, 0, 0), Exit())));
        // 32-bit modulo by zero keeps the dividend's low half, zero-extended.
        Assert.Equal(0xffffffffUL, EngineTestRunner.R0(Program(Mov(0, -1), Mov(1, 0), Alu32X(AluOp.Mod, 0, 1), Exit())));
    }

    [Fact]
    public void SignedDivisionOfTheMinimumByMinusOneWraps()
    {
        var code = Program(LdDw(0, 0x8000000000000000), Mov(1, -1), Alu64X(AluOp.Div, 0, 1, off: 1), Exit());
        Assert.Equal(0x8000000000000000UL, EngineTestRunner.R0(code));
        var mod = Program(LdDw(0, 0x8000000000000000), Mov(1, -1), Alu64X(AluOp.Mod, 0, 1, off: 1), Exit());
        Assert.Equal(0UL, EngineTestRunner.R0(mod));
        var div32 = Program(Alu32(AluOp.Mov, 0, int.MinValue), Alu32(AluOp.Div, 0, -1, off: 1), Exit());
        Assert.Equal(0x80000000UL, EngineTestRunner.R0(div32));
    }

    [Fact]
    public void SignedModuloTakesTheSignOfTheDividend()
    {
        Assert.Equal(unchecked((ulong)-1L), EngineTestRunner.R0(Program(Mov(0, -7), Alu64(AluOp.Mod, 0, 3, off: 1), Exit())));
        Assert.Equal(1UL, EngineTestRunner.R0(Program(Mov(0, 7), Alu64(AluOp.Mod, 0, -3, off: 1), Exit())));
    }

    [Fact]
    public void ShiftCountsAreMasked()
    {
        Assert.Equal(2UL, EngineTestRunner.R0(Program(Mov(0, 1), Mov(1, 65), Alu64X(AluOp.Lsh, 0, 1), Exit())));
        Assert.Equal(2UL, EngineTestRunner.R0(Program(Mov(0, 1), Mov(1, 33), Alu32X(AluOp.Lsh, 0, 1), Exit())));
    }

    [Fact]
    public void ThirtyTwoBitOperationsZeroExtend()
    {
        Assert.Equal(0UL, EngineTestRunner.R0(Program(Mov(0, -1), Alu32(AluOp.Add, 0, 1), Exit())));
        Assert.Equal(0xffffffffUL, EngineTestRunner.R0(Program(Mov(0, 0), Alu32(AluOp.Sub, 0, 1), Exit())));
    }

    [Fact]
    public void SignExtendingMoveAndByteSwaps()
    {
        Assert.Equal(unchecked((ulong)-128L), EngineTestRunner.R0(Program(Mov(1, 0x180), Alu64X(AluOp.Mov, 0, 1, off: 8), Exit())));
        Assert.Equal(0x4433UL, EngineTestRunner.R0(Program(Mov(0, 0x3344), new Instruction(0xdc, 0, 0, 0, 16), Exit())));
        Assert.Equal(0x3344UL, EngineTestRunner.R0(Program(LdDw(0, 0x1122334455663344), new Instruction(0xd4, 0, 0, 0, 16), Exit())));
        Assert.Equal(0x4433665544332211UL, EngineTestRunner.R0(Program(LdDw(0, 0x1122334455663344), new Instruction(0xd7, 0, 0, 0, 64), Exit())));
    }

    [Fact]
    public void StackStoresAndLoadsRoundTrip()
    {
        var code = Program(LdDw(1, 0x0102030405060708), Stx(MemSize.DW, 10, 1, -8), Ldx(MemSize.W, 0, 10, -4), Exit());
        Assert.Equal(0x01020304UL, EngineTestRunner.R0(code));
    }

    [Fact]
    public void AtomicFetchAddReturnsTheOldValue()
    {
        var code = Program(St(MemSize.DW, 10, -8, 40), Mov(1, 2), Atomic(MemSize.DW, 10, 1, -8, AtomicOp.Add | AtomicOp.Fetch),
            Ldx(MemSize.DW, 0, 10, -8), Alu64(AluOp.Mul, 0, 100), Alu64X(AluOp.Add, 0, 1), Exit());
        Assert.Equal(4240UL, EngineTestRunner.R0(code));
        var cmpxchg = Program(St(MemSize.W, 10, -4, 5), Mov(0, 5), Mov(1, 9), Atomic(MemSize.W, 10, 1, -4, AtomicOp.CmpXchg),
            Ldx(MemSize.W, 0, 10, -4), Exit());
        Assert.Equal(9UL, EngineTestRunner.R0(cmpxchg));
    }

    [Fact]
    public void LocalCallsGetAFreshFrameAndPreserveCalleeSavedRegisters()
    {
        var code = Program(
            Mov(6, 6), St(MemSize.DW, 10, -8, 11), Mov(1, 30), CallLocal(3),
            Ldx(MemSize.DW, 2, 10, -8), Alu64X(AluOp.Add, 0, 2), Alu64X(AluOp.Add, 0, 6), Exit(),
            // callee: writes its own stack and clobbers r6
            St(MemSize.DW, 10, -8, 1000), Mov(6, 0), MovX(0, 1), Exit());
        // Fix the call offset: callee starts at index 8, call at index 3 → imm = 8 - 4 = 4.
        code[3] = CallLocal(4);
        Assert.Equal(30UL + 11 + 6, EngineTestRunner.R0(code));
    }
}
