using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Tests.Classic;

public class ClassicCheckerTests
{
    private static ClassicInstruction S(ushort code, uint k = 0) => ClassicInstruction.Stmt(code, k);
    private static ClassicInstruction J(ushort code, uint k, byte jt, byte jf) => ClassicInstruction.Jump(code, k, jt, jf);
    private static readonly ClassicInstruction Allow = S(RetK, SeccompAction.Allow);

    private static void AssertRejectedAt(int index, string fragment, params ClassicInstruction[] program)
    {
        var error = ClassicChecker.Validate(program);
        Assert.NotNull(error);
        Assert.Equal(index, error.InstructionIndex);
        Assert.Contains(fragment, error.Message);
        Assert.False(ClassicChecker.Check(program).IsOk);
    }

    private static void AssertAccepted(params ClassicInstruction[] program)
    {
        Assert.Null(ClassicChecker.Validate(program));
        Assert.True(ClassicChecker.Check(program).IsOk);
    }

    [Fact]
    public void AcceptsATypicalFilter() => AssertAccepted(
        S(LdAbsW, 4), J(JeqK, AuditArch.X86_64, 1, 0), S(RetK, SeccompAction.KillProcess),
        S(LdAbsW, 0), J(JeqK, 59, 0, 1), S(RetK, SeccompAction.Errno | 1), Allow);

    [Fact]
    public void LengthMustBe1To4096()
    {
        Assert.Contains("empty", ClassicChecker.Validate([])!.Message);
        var tooLong = Enumerable.Repeat(Allow, 4097).ToArray();
        Assert.Contains("4096", ClassicChecker.Validate(tooLong)!.Message);
        AssertAccepted(Enumerable.Repeat(Allow, 4096).ToArray());
    }

    [Fact]
    public void LastInstructionMustReturn() =>
        AssertRejectedAt(1, "last instruction must be a return", S(LdImm, 1), S(Tax));

    [Theory]
    [InlineData(ModK)]
    [InlineData(ModX)]
    [InlineData(LdAbsH)]
    [InlineData(LdAbsB)]
    [InlineData(LdIndW)]
    [InlineData(LdIndH)]
    [InlineData(LdIndB)]
    [InlineData(LdxMshB)]
    public void KnownClassicOpcodesThatSeccompRefuses(ushort code) =>
        AssertRejectedAt(0, "", S(code, 4), Allow);

    [Theory]
    [InlineData((ushort)0x0e)] // ret x
    [InlineData((ushort)0x8c)] // neg with X bit
    [InlineData((ushort)0xb4)] // ALU op 0xb0
    [InlineData((ushort)0x55)] // jmp op 0x50
    [InlineData((ushort)0x62)] // st with mode bits
    [InlineData((ushort)0x1007)] // high byte set
    public void UnknownOpcodesAreRejected(ushort code) =>
        AssertRejectedAt(0, "unknown classic BPF opcode", S(code, 1), Allow);

    [Theory]
    [InlineData(1u)]
    [InlineData(2u)]
    [InlineData(64u)]
    [InlineData(0xfffff000u)] // SKF_AD_OFF ancillary data
    public void SeccompDataLoadsMustBeAlignedAndInBounds(uint offset) =>
        AssertRejectedAt(0, "aligned", S(LdAbsW, offset), Allow);

    [Fact]
    public void AllAlignedWordsOfSeccompDataAreLoadable()
    {
        for (uint k = 0; k < 64; k += 4) AssertAccepted(S(LdAbsW, k), Allow);
    }

    [Theory]
    [InlineData(DivK)]
    [InlineData(ModK)]
    public void ConstantDivisionByZeroIsRejected(ushort op) =>
        AssertRejectedAt(0, "division by the constant 0", S(op, 0), Allow);

    [Fact]
    public void DivisionByXIsAccepted() => AssertAccepted(S(DivX), Allow);

    [Theory]
    [InlineData(LshK)]
    [InlineData(RshK)]
    public void ConstantShiftsMustBeBelow32(ushort op)
    {
        AssertAccepted(S(op, 31), Allow);
        AssertRejectedAt(0, "shift by 32", S(op, 32), Allow);
    }

    [Theory]
    [InlineData(St)]
    [InlineData(Stx)]
    [InlineData(LdMem)]
    [InlineData(LdxMem)]
    public void ScratchIndexMustBeBelow16(ushort op) =>
        AssertRejectedAt(0, "M[16]", S(op, 16), Allow);

    [Fact]
    public void JumpsMustStayInsideTheProgram()
    {
        AssertAccepted(S(Ja, 1), Allow, Allow);
        AssertRejectedAt(0, "jump by 2", S(Ja, 2), Allow, Allow);
        AssertRejectedAt(0, "jump by 4294967295", S(Ja, uint.MaxValue), Allow, Allow);
        AssertAccepted(J(JeqK, 0, 1, 0), Allow, Allow);
        AssertRejectedAt(0, "true branch", J(JeqK, 0, 2, 0), Allow, Allow);
        AssertRejectedAt(0, "false branch", J(JgtX, 0, 0, 2), Allow, Allow);
    }

    [Fact]
    public void ScratchReadBeforeWriteIsRejected()
    {
        AssertRejectedAt(0, "M[3] may be read before it is written", S(LdMem, 3), Allow);
        AssertAccepted(S(St, 3), S(LdxMem, 3), Allow);
    }

    [Fact]
    public void ScratchMustBeWrittenOnEveryPath()
    {
        // 0: jeq skips the store on the true branch, so the read at 3 is not safe.
        AssertRejectedAt(3, "M[0]", J(JeqK, 1, 1, 0), S(St, 0), S(LdImm, 0), S(LdMem, 0), Allow);
        // Written before the branch: safe on both paths.
        AssertAccepted(S(St, 0), J(JeqK, 1, 1, 0), S(LdImm, 2), S(LdMem, 0), Allow);
    }

    [Fact]
    public void InstructionAfterReturnKeepsTheStateBeforeTheReturnAsTheKernelDoes()
    {
        // Only the path 0 -> 1 -> 2 -> 4 reaches instruction 4 and it writes M[0], yet the kernel's
        // linear pass carries the state before the ret at 3 (which lacks M[0]) into 4: rejected.
        AssertRejectedAt(4, "M[0]", J(JeqK, 7, 0, 2), S(St, 0), S(Ja, 1), Allow, S(LdMem, 0), Allow);
        // Here the jump's path lacks M[1]: rejected although the fall-through had it.
        AssertRejectedAt(4, "M[1]", S(St, 0), J(JeqK, 1, 2, 0), S(St, 1), Allow, S(LdMem, 1), Allow);
    }

    [Fact]
    public void CheckedProgramKeepsTheInstructions()
    {
        ClassicInstruction[] program = [S(LdLen), S(RetA)];
        var checkedProgram = ClassicChecker.Check(program).Value;
        Assert.Equal(program, checkedProgram.Instructions);
        Assert.Equal(64u, checkedProgram.Run(SeccompData.For(0, AuditArch.X86_64)));
    }
}
