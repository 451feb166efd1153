using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Model;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Tests.Classic;

public class ClassicAssemblerTests
{
    private static ClassicInstruction S(ushort code, uint k = 0) => ClassicInstruction.Stmt(code, k);
    private static ClassicInstruction J(ushort code, uint k, byte jt, byte jf) => ClassicInstruction.Jump(code, k, jt, jf);

    private static ClassicInstruction[] Asm(string text)
    {
        var result = ClassicAssembler.Assemble(text, "test.bpf");
        Assert.True(result.IsOk, result.Error?.ToString());
        return result.Value;
    }

    private static string AsmError(string text)
    {
        var result = ClassicAssembler.Assemble(text, "test.bpf");
        Assert.False(result.IsOk, "expected an error");
        return result.Error!.ToString();
    }

    [Fact]
    public void AssemblesATypicalSeccompFilterWithLabels()
    {
        var program = Asm("""
            ; allow everything but execve on x86_64
                    ld [4]                 ; arch
                    jeq #0xc000003e, good, kill
            good:   ld [0]
                    jeq #59, deny          ; false branch: next instruction
                    ret #0x7fff0000
            deny:   ret #0x50001
            kill:   ret #0x80000000
            """);
        Assert.Equal(new[]
        {
            S(LdAbsW, 4), J(JeqK, AuditArch.X86_64, 0, 4), S(LdAbsW, 0), J(JeqK, 59, 1, 0),
            S(RetK, SeccompAction.Allow), S(RetK, SeccompAction.Errno | 1), S(RetK, SeccompAction.KillProcess),
        }, program);
    }

    [Fact]
    public void NumericTargetsAreRelativeOffsets() =>
        Assert.Equal(new[] { S(LdAbsW, 0), J(JeqK, 59, 0, 1), S(RetK, 0), S(RetK, 0x7fff0000) },
            Asm("ld [0]\njeq #59, 0, 1\nret #0\nret #0x7fff0000"));

    [Theory]
    [InlineData("ld #10", LdImm, 10u)]
    [InlineData("ldi #10", LdImm, 10u)]
    [InlineData("ld #len", LdLen, 0u)]
    [InlineData("ld len", LdLen, 0u)]
    [InlineData("ld M[3]", LdMem, 3u)]
    [InlineData("ld [16]", LdAbsW, 16u)]
    [InlineData("ld [x + 4]", LdIndW, 4u)]
    [InlineData("ld [%x+4]", LdIndW, 4u)]
    [InlineData("ldh [2]", LdAbsH, 2u)]
    [InlineData("ldb [x + 1]", LdIndB, 1u)]
    [InlineData("ldx #0x20", LdxImm, 0x20u)]
    [InlineData("ldxi #7", LdxImm, 7u)]
    [InlineData("ldx #len", LdxLen, 0u)]
    [InlineData("ldx M[15]", LdxMem, 15u)]
    [InlineData("ldx 4*([14]&0xf)", LdxMshB, 14u)]
    [InlineData("ldxb 4*([0]&0xf)", LdxMshB, 0u)]
    [InlineData("st M[1]", St, 1u)]
    [InlineData("stx M[2]", Stx, 2u)]
    [InlineData("tax", Tax, 0u)]
    [InlineData("txa", Txa, 0u)]
    [InlineData("neg", Neg, 0u)]
    [InlineData("add #1", AddK, 1u)]
    [InlineData("sub x", SubX, 0u)]
    [InlineData("mul %x", MulX, 0u)]
    [InlineData("div #3", DivK, 3u)]
    [InlineData("mod #3", ModK, 3u)]
    [InlineData("and #0xff", AndK, 0xffu)]
    [InlineData("or x", OrX, 0u)]
    [InlineData("xor #-1", XorK, 0xffffffffu)]
    [InlineData("lsh #0b101", LshK, 5u)]
    [InlineData("rsh #010", RshK, 8u)]
    [InlineData("ret a", RetA, 0u)]
    [InlineData("ret %a", RetA, 0u)]
    [InlineData("RET #1", RetK, 1u)]
    [InlineData("ja 0", Ja, 0u)]
    [InlineData("jmp 0", Ja, 0u)]
    public void EveryOperandForm(string line, ushort code, uint k) =>
        Assert.Equal(S(code, k), Asm(line + "\nret #0")[0]);

    [Theory]
    [InlineData("jeq #5, a, b", JeqK, 5u, 0, 1)]
    [InlineData("jgt x, a, b", JgtX, 0u, 0, 1)]
    [InlineData("jge #5, b", JgeK, 5u, 1, 0)]
    [InlineData("jset %x, a", JsetX, 0u, 0, 0)]
    [InlineData("jne #5, b", JeqK, 5u, 0, 1)]
    [InlineData("jneq x, b", JeqX, 0u, 0, 1)]
    [InlineData("jlt #5, b", JgeK, 5u, 0, 1)]
    [InlineData("jle #5, b, a", JgtK, 5u, 0, 1)]
    public void ConditionalJumpForms(string line, ushort code, uint k, byte jt, byte jf) =>
        Assert.Equal(J(code, k, jt, jf), Asm($"{line}\na: ret #0\nb: ret #1")[0]);

    [Fact]
    public void RawInstructionDirective() =>
        Assert.Equal(new ClassicInstruction(0x1234, 1, 2, 0xdeadbeef), Asm(".insn 0x1234, 1, 2, 0xdeadbeef")[0]);

    [Theory]
    [InlineData("ld [0]\nfrob #1", "test.bpf:2:1: unknown instruction 'frob'")]
    [InlineData("  add", "test.bpf:1:6: 'add' needs an operand: #k or x")]
    [InlineData("ld x", "test.bpf:1:4: 'ld' takes #k, #len, M[k], [k] or [x + k]")]
    [InlineData("ld [4", "test.bpf:1:6: expected ']' to close [k], found end of line")]
    [InlineData("ld #0x1g", "test.bpf:1:5: '0x1g' is not a number")]
    [InlineData("ld #4294967296", "test.bpf:1:5: '4294967296' is not a number")]
    [InlineData("ld [0] [1]", "test.bpf:1:8: unexpected '[' after the operands of 'ld'")]
    [InlineData("ld $1", "test.bpf:1:4: unexpected character '$'")]
    [InlineData("jeq #1 a", "test.bpf:1:8: expected ',' after the compared value of 'jeq', found 'a'")]
    [InlineData("jeq #1, nowhere\nret #0", "test.bpf:1:9: undefined label 'nowhere'")]
    [InlineData("back: ld [0]\njeq #1, back\nret #0", "test.bpf:2:9: label 'back' is not ahead")]
    [InlineData("a: ret #0\na: ret #1", "test.bpf:2:1: label 'a' is already defined at test.bpf:1:1")]
    [InlineData("jeq #1, 256, 0", "test.bpf:1:9: jump offset 256 does not fit")]
    [InlineData("ld #proto", "test.bpf:1:5: '#proto' is an ancillary load seccomp cannot use")]
    public void ErrorsSayWhereAndWhatWasExpected(string text, string expected) =>
        Assert.StartsWith(expected, AsmError(text));

    [Fact]
    public void LabelTooFarForAConditionalJump()
    {
        var text = "jeq #1, far\n" + string.Concat(Enumerable.Repeat("ld #0\n", 256)) + "far: ret #0";
        Assert.Contains("256 instructions ahead; conditional jumps reach at most 255", AsmError(text));
        Assert.Equal(256u, Asm(text.Replace("jeq #1, far", "ja far"))[0].K);
    }

    [Fact]
    public void DisassembledSourceAssemblesBackToTheSameRandomFilters()
    {
        var generator = new RandomClassicFilters(new Random(11), 1000, 1100, AuditArch.X86_64);
        for (int n = 0; n < 500; n++)
        {
            generator = generator.Next();
            var filter = generator.Filter();
            Assert.Equal(filter, Asm(ClassicDisassembler.ToSource(filter)));
        }
    }

    [Fact]
    public void DisassembledSourceIsExactEvenForArbitraryInstructions()
    {
        var rng = new Random(5);
        for (int n = 0; n < 300; n++)
        {
            var program = Enumerable.Range(0, rng.Next(1, 12)).Select(_ => new ClassicInstruction(
                rng.Next(2) == 0 ? (ushort)rng.Next(0x100) : (ushort)rng.Next(0x10000),
                (byte)rng.Next(4), (byte)rng.Next(4), (uint)rng.NextInt64(0, 1L << 32))).ToArray();
            Assert.Equal(program, Asm(ClassicDisassembler.ToSource(program)));
        }
    }
}
