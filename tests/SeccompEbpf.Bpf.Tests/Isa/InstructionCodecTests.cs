using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Isa;

public class InstructionCodecTests
{
    [Fact]
    public void Decodes_lddw_as_in_the_conformance_suite()
    {
        // tests/lddw.data: lddw %r0, 0x1122334455667788 ; exit
        var bytes = Convert.FromHexString("1800000088776655" + "0000000044332211" + "9500000000000000");
        var program = InstructionCodec.DecodeProgram(bytes).Value;
        Assert.Equal(3, program.Length);
        Assert.True(program[0].IsLoadImm64);
        Assert.Equal(0x1122334455667788UL, Instruction.Imm64(program[0], program[1]));
        Assert.True(program[2].IsExit);
    }

    [Fact]
    public void Splits_registers_into_nibbles_and_round_trips()
    {
        var insn = new Instruction(Opcodes.Alu(OpClass.Alu64, AluOp.Add, srcReg: true), 3, 10, -7, -123456);
        var bytes = InstructionCodec.EncodeProgram([insn]);
        Assert.Equal(0xa3, bytes[1]);
        Assert.Equal(insn, InstructionCodec.DecodeProgram(bytes).Value[0]);
    }

    [Fact]
    public void Rejects_a_length_that_is_not_a_multiple_of_eight()
    {
        var result = InstructionCodec.DecodeProgram(new byte[13]);
        Assert.False(result.IsOk);
        Assert.Contains("5 trailing byte", result.Error!.Message);
    }
}
