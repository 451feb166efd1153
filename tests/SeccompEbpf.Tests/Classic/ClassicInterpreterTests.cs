using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Tests.Classic;

public class ClassicInterpreterTests
{
    private static ClassicInstruction S(ushort code, uint k = 0) => ClassicInstruction.Stmt(code, k);
    private static ClassicInstruction J(ushort code, uint k, byte jt, byte jf) => ClassicInstruction.Jump(code, k, jt, jf);

    private static readonly SeccompData Data = new(59, AuditArch.X86_64, 0x1122334455667788, Args(
        0xaaaaaaaa_00000001, 0xbbbbbbbb_00000002, 0xcccccccc_00000003, 0xdddddddd_00000004, 0xeeeeeeee_00000005, 0xffffffff_00000006));

    private static SeccompArgs Args(params ulong[] values)
    {
        var args = new SeccompArgs();
        for (int i = 0; i < values.Length; i++) args[i] = values[i];
        return args;
    }

    private static uint RunA(params ClassicInstruction[] body) =>
        ClassicInterpreter.Run([.. body, S(RetA)], in Data);

    [Theory]
    [InlineData(0u, 59u)]
    [InlineData(4u, 0xc000003eu)]
    [InlineData(8u, 0x55667788u)]
    [InlineData(12u, 0x11223344u)]
    [InlineData(16u, 1u)]
    [InlineData(20u, 0xaaaaaaaau)]
    [InlineData(56u, 6u)]
    [InlineData(60u, 0xffffffffu)]
    public void LoadsSeccompDataWordsLowHalfFirst(uint offset, uint expected) =>
        Assert.Equal(expected, RunA(S(LdAbsW, offset)));

    [Fact]
    public void LenIsTheSizeOfSeccompData()
    {
        Assert.Equal(64u, RunA(S(LdLen)));
        Assert.Equal(64u, RunA(S(LdxLen), S(Txa)));
    }

    [Theory]
    [InlineData(AddK, 0xffffffffu, 2u, 1u)]
    [InlineData(SubK, 1u, 2u, 0xffffffffu)]
    [InlineData(MulK, 0x10000u, 0x10001u, 0x10000u)]
    [InlineData(DivK, 7u, 2u, 3u)]
    [InlineData(DivK, 0xffffffffu, 2u, 0x7fffffffu)]
    [InlineData(OrK, 0xf0u, 0x0fu, 0xffu)]
    [InlineData(AndK, 0xf0u, 0x3cu, 0x30u)]
    [InlineData(XorK, 0xffu, 0x0fu, 0xf0u)]
    [InlineData(LshK, 0x80000001u, 1u, 2u)]
    [InlineData(RshK, 0x80000000u, 31u, 1u)]
    [InlineData(ModK, 7u, 4u, 3u)]
    public void AluWithConstantIs32BitUnsigned(ushort op, uint a, uint k, uint expected) =>
        Assert.Equal(expected, RunA(S(LdImm, a), S(op, k)));

    [Theory]
    [InlineData(AddX, 0xffffffffu, 2u, 1u)]
    [InlineData(SubX, 1u, 2u, 0xffffffffu)]
    [InlineData(MulX, 3u, 5u, 15u)]
    [InlineData(DivX, 100u, 7u, 14u)]
    [InlineData(OrX, 1u, 2u, 3u)]
    [InlineData(AndX, 3u, 6u, 2u)]
    [InlineData(XorX, 3u, 6u, 5u)]
    [InlineData(LshX, 1u, 33u, 2u)]   // shift amount taken modulo 32
    [InlineData(RshX, 4u, 34u, 1u)]
    [InlineData(ModX, 10u, 4u, 2u)]
    public void AluWithX(ushort op, uint a, uint x, uint expected) =>
        Assert.Equal(expected, RunA(S(LdImm, a), S(LdxImm, x), S(op)));

    [Fact]
    public void NegIsTwosComplement() => Assert.Equal(0xfffffffbu, RunA(S(LdImm, 5), S(Neg)));

    [Theory]
    [InlineData(DivX)]
    [InlineData(ModX)]
    public void RuntimeDivisionByZeroReturnsZero(ushort op) =>
        Assert.Equal(0u, ClassicInterpreter.Run([S(LdImm, 9), S(LdxImm, 0), S(op), S(RetK, SeccompAction.Allow)], in Data));

    [Fact]
    public void RegistersStartAtZero() => Assert.Equal(0u, RunA(S(AddX)));

    [Fact]
    public void ScratchMemoryAndRegisterMoves()
    {
        Assert.Equal(42u, RunA(S(LdImm, 42), S(St, 15), S(LdImm, 0), S(LdMem, 15)));
        Assert.Equal(7u, RunA(S(LdxImm, 7), S(Stx, 3), S(LdxImm, 0), S(LdxMem, 3), S(Txa)));
        Assert.Equal(9u, RunA(S(LdImm, 9), S(Tax), S(LdImm, 0), S(Txa)));
    }

    [Theory]
    [InlineData(JeqK, 5u, 5u, true)]
    [InlineData(JeqK, 5u, 6u, false)]
    [InlineData(JgtK, 0x80000000u, 1u, true)] // unsigned comparison
    [InlineData(JgtK, 5u, 5u, false)]
    [InlineData(JgeK, 5u, 5u, true)]
    [InlineData(JgeK, 4u, 5u, false)]
    [InlineData(JsetK, 6u, 2u, true)]
    [InlineData(JsetK, 6u, 1u, false)]
    public void ConditionalJumpsWithConstant(ushort op, uint a, uint k, bool taken)
    {
        ClassicInstruction[] program = [S(LdImm, a), J(op, k, 1, 0), S(RetK, 100), S(RetK, 200)];
        Assert.Equal(taken ? 200u : 100u, ClassicInterpreter.Run(program, in Data));
    }

    [Theory]
    [InlineData(JeqX, 5u, 5u, true)]
    [InlineData(JgtX, 6u, 5u, true)]
    [InlineData(JgeX, 4u, 5u, false)]
    [InlineData(JsetX, 8u, 7u, false)]
    public void ConditionalJumpsWithX(ushort op, uint a, uint x, bool taken)
    {
        ClassicInstruction[] program = [S(LdImm, a), S(LdxImm, x), J(op, 0, 0, 1), S(RetK, 100), S(RetK, 200)];
        Assert.Equal(taken ? 100u : 200u, ClassicInterpreter.Run(program, in Data));
    }

    [Fact]
    public void JaSkipsKInstructionsAndCountsExecuted()
    {
        ClassicInstruction[] program = [S(Ja, 2), S(RetK, 1), S(RetK, 2), S(RetK, 3)];
        Assert.Equal(3u, ClassicInterpreter.Run(program, in Data, out int executed));
        Assert.Equal(2, executed);
    }

    [Fact]
    public void RetKReturnsTheFullValue() =>
        Assert.Equal(0x7fff1234u, ClassicInterpreter.Run([S(RetK, 0x7fff1234)], in Data));

    [Fact]
    public void UncheckedProgramThatRunsOffTheEndThrowsWithIndex()
    {
        var ex = Assert.Throws<ClassicProgramException>(() => ClassicInterpreter.Run([S(LdImm, 1)], in Data));
        Assert.Equal(1, ex.InstructionIndex);
    }

    [Fact]
    public void UncheckedPacketLoadThrows() =>
        Assert.Throws<ClassicProgramException>(() => ClassicInterpreter.Run([S(LdAbsB, 0), S(RetA)], in Data));

    [Fact]
    public void ListAndArrayGiveTheSameVerdict()
    {
        var list = new List<ClassicInstruction> { S(LdAbsW, 0), J(JeqK, 59, 0, 1), S(RetK, SeccompAction.Errno | 1), S(RetK, SeccompAction.Allow) };
        Assert.Equal(SeccompAction.Errno | 1, ClassicInterpreter.Run(list, in Data));
        Assert.Equal(SeccompAction.Errno | 1, ClassicInterpreter.Run(list.AsReadOnly(), in Data));
    }
}
