using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Asm;

public class LlvmSyntaxAssemblerTests
{
    private static string Hex(string source, AsmSyntax syntax = AsmSyntax.Llvm)
    {
        var result = Assembler.Assemble(source, "t.s", syntax);
        Assert.True(result.IsOk, result.Error?.ToString());
        return Convert.ToHexStringLower(InstructionCodec.EncodeProgram(result.Value));
    }

    // Expected bytes are what llvm-mc-19 -triple bpfel -mcpu=v4 -show-encoding prints for the same line.
    [Theory]
    [InlineData("r0 = 1", "b700000001000000")]
    [InlineData("w1 += w2", "0c21000000000000")]
    [InlineData("w0 = -5", "b4000000fbffffff")]
    [InlineData("r0 = 0xffffffff", "b7000000ffffffff")]
    [InlineData("w8 &= -0x4", "54080000fcffffff")]
    [InlineData("r1 = -r1", "8701000000000000")]
    [InlineData("w0 = -w0", "8400000000000000")]
    [InlineData("r0 s/= r1", "3f10010000000000")]
    [InlineData("w0 s%= w1", "9c10010000000000")]
    [InlineData("r0 s>>= 3", "c700000003000000")]
    [InlineData("w0 s>>= w1", "cc10000000000000")]
    [InlineData("w0 = (s8)w1", "bc10080000000000")]
    [InlineData("r0 = (s32)r1", "bf10200000000000")]
    [InlineData("if r1 > 0x5 goto +2", "2501020005000000")]
    [InlineData("if w1 s< w2 goto -3", "ce21fdff00000000")]
    [InlineData("if r1 & 4 goto +1", "4501010004000000")]
    [InlineData("if w1 == -1 goto +0", "16010000ffffffff")]
    [InlineData("if r1 == 2147483647 goto -32768", "15010080ffffff7f")]
    [InlineData("*(u32 *)(r10 - 4) = r1", "631afcff00000000")]
    [InlineData("*(u8 *)(r1 + 0) = 7", "7201000007000000")]
    [InlineData("*(u64 *)(r10 - 8) = -1", "7a0af8ffffffffff")]
    [InlineData("*(u16 *)(r1 + 0) = w2", "6b21000000000000")]
    [InlineData("r0 = *(u64 *)(r1 + 16)", "7910100000000000")]
    [InlineData("r0 = *(u64 *)(r1 +8)", "7910080000000000")]
    [InlineData("w0 = *(u8 *)(r1 + 0)", "7110000000000000")]
    [InlineData("r0 = *(s8 *)(r1 + 0)", "9110000000000000")]
    [InlineData("r0 = *(s32 *)(r1 - 2)", "8110feff00000000")]
    [InlineData("lock *(u64 *)(r10 - 8) += r1", "db1af8ff00000000")]
    [InlineData("lock *(u32 *)(r1 + 0) ^= w2", "c3210000a0000000")]
    [InlineData("lock *(u64 *)(r1 + 0) &= r2", "db21000050000000")]
    [InlineData("r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)", "db1af8ff01000000")]
    [InlineData("w2 = atomic_fetch_or((u32 *)(r1 + 4), w2)", "c321040041000000")]
    [InlineData("r1 = atomic_fetch_and((u64 *)(r1 + 0), r1)", "db11000051000000")]
    [InlineData("r1 = xchg_64(r1 + 0, r1)", "db110000e1000000")]
    [InlineData("w1 = xchg32_32(r1 + 0, w1)", "c3110000e1000000")]
    [InlineData("r0 = cmpxchg_64(r1 - 8, r0, r2)", "db21f8fff1000000")]
    [InlineData("w0 = cmpxchg32_32(r1 + 0, w0, w2)", "c3210000f1000000")]
    [InlineData("r0 = 0x1122334455667788 ll", "1800000088776655" + "0000000044332211")]
    [InlineData("r0 = 1 ll", "1800000001000000" + "0000000000000000")]
    [InlineData("r1 = map[2] ll", "1851000002000000" + "0000000000000000")]
    [InlineData("r1 = map_value[2] + 16 ll", "1861000002000000" + "0000000010000000")]
    [InlineData("r1 = map_fd[7]", "1811000007000000" + "0000000000000000")]
    [InlineData("r2 = func[+3] ll", "1842000003000000" + "0000000000000000")]
    [InlineData("call 1", "8500000001000000")]
    [InlineData("call -1", "85000000ffffffff")]
    [InlineData("callx r2", "8d02000000000000")]
    [InlineData("call pc+3", "8510000003000000")]
    [InlineData("call kfunc 12", "852000000c000000")]
    [InlineData("goto +2", "0500020000000000")]
    [InlineData("gotol +70000", "0600000070110100")]
    [InlineData("r1 = be16 r1", "dc01000010000000")]
    [InlineData("r1 = le32 r1", "d401000020000000")]
    [InlineData("r1 = bswap64 r1", "d701000040000000")]
    [InlineData("exit", "9500000000000000")]
    public void Encodes_each_form_like_llvm_mc(string source, string hex) => Assert.Equal(hex, Hex(source));

    [Fact]
    public void Resolves_labels_for_jumps_local_calls_and_function_addresses()
    {
        var program = Assembler.Assemble("""
            r0 = 0
            loop:
              r0 += 1
              if r0 < 10 goto loop
              call helper_fn        ; not a helper name: a local function label
              r2 = func[helper_fn] ll
              gotol done
            helper_fn:
              exit
            done:
              exit
            """, "t.s", AsmSyntax.Llvm).Value;
        Assert.Equal(-2, program[2].Offset);
        Assert.Equal((CallSource.Local, 3), (program[3].Src, program[3].Imm));
        Assert.Equal(2, program[4].Imm);
        Assert.Equal(1, program[6].Imm);
    }

    [Fact]
    public void Assembles_a_pasted_llvm_objdump_listing()
    {
        // Excerpt of `llvm-objdump-19 -d -r` of a clang-19 -mcpu=v4 object.
        var listing = """

            t.o:	file format elf64-bpf

            Disassembly of section xdp:

            0000000000000000 <myprog>:
                   0:	bf 16 00 00 00 00 00 00	r6 = r1
                   1:	79 60 00 00 00 00 00 00	r0 = *(u64 *)(r6 + 0x0)
                   2:	ce 02 01 00 00 00 00 00	if w2 s< w0 goto +0x1 <myprog+0x28>
                   3:	18 01 00 00 88 77 66 55 00 00 00 00 44 33 22 11	r1 = 0x1122334455667788 ll
                   5:	85 10 00 00 ff ff ff ff	call -0x1
            		0000000000000240:  R_BPF_64_32	.text
                   6:	db 16 08 00 01 00 00 00	r1 = atomic_fetch_add((u64 *)(r6 + 0x8), r1)
                   7:	95 00 00 00 00 00 00 00	exit
            """;
        var program = Assembler.Assemble(listing, "objdump.txt").Value;
        var expected = "bf16000000000000" + "7960000000000000" + "ce02010000000000" + "1801000088776655" + "0000000044332211" +
                       "85000000ffffffff" + "db16080001000000" + "9500000000000000";
        Assert.Equal(expected, Convert.ToHexStringLower(InstructionCodec.EncodeProgram(program)));
    }

    [Fact]
    public void Assembles_verifier_log_lines()
    {
        var log = """
            0: (b7) r0 = 1
            1: (63) *(u32 *)(r10 -4) = r1
            2: (55) if r1 != 0x0 goto pc+1
            3: (85) call pc-4
            4: (85) call bpf_map_lookup_elem#1
            5: (95) exit
            """;
        Assert.Equal("b700000001000000" + "631afcff00000000" + "5501010000000000" + "85100000fcffffff" + "8500000001000000" + "9500000000000000", Hex(log, AsmSyntax.Auto));
    }

    [Fact]
    public void Accepts_helper_names_from_a_table()
    {
        var options = new AssemblerOptions { HelperIds = new Dictionary<string, int> { ["bpf_map_lookup_elem"] = 1 } };
        var program = Assembler.Assemble("call bpf_map_lookup_elem\nexit", "t.s", AsmSyntax.Llvm, options).Value;
        Assert.Equal((CallSource.Helper, 1), (program[0].Src, program[0].Imm));
    }

    [Theory]
    [InlineData("r11 = 1", "t.s:1:1", "expected an instruction")]
    [InlineData("r0 = w1", "t.s:1:6", "expected a 64-bit register r0..r10 but found 'w1'")]
    [InlineData("w0 += r1", "t.s:1:7", "found 'r1'")]
    [InlineData("r0 = 1 1", "t.s:1:8", "expected end of line but found '1'")]
    [InlineData("r0 == 1", "t.s:1:4", "expected '=' or a compound assignment")]
    [InlineData("if r1 ~ 2 goto +1", "t.s:1:7", "expected a comparison")]
    [InlineData("if r1 > 2 +1", "t.s:1:11", "expected 'goto' but found '+'")]
    [InlineData("goto +40000", "t.s:1:6", "16-bit range")]
    [InlineData("r0 = *(u128 *)(r1 + 0)", "t.s:1:8", "expected u8, u16, u32, u64, s8, s16 or s32 but found 'u128'")]
    [InlineData("*(s8 *)(r1 + 0) = 1", "t.s:1:3", "expected u8, u16, u32 or u64 but found 's8'")]
    [InlineData("r1 = -r2", "t.s:1:7", "expected 'r1' (the same register on both sides of a negation) but found 'r2'")]
    [InlineData("r1 = be16 r2", "t.s:1:11", "same register")]
    [InlineData("r2 = atomic_fetch_add((u64 *)(r10 - 8), r1)", "t.s:1:41", "same register")]
    [InlineData("r1 = cmpxchg_64(r10 - 8, r0, r2)", "t.s:1:1", "expected r0")]
    [InlineData("lock *(u16 *)(r1 + 0) += w1", "t.s:1:8", "expected u32 or u64")]
    [InlineData("w0 = 1 ll", "t.s:1:1", "64-bit register")]
    [InlineData("r0 = 1 ll ll", "t.s:1:11", "expected end of line")]
    [InlineData("goto nowhere", "t.s:1:6", "expected a defined label but found 'nowhere'")]
    public void Malformed_text_gives_file_line_column_and_what_was_expected(string source, string location, string message)
    {
        var result = Assembler.Assemble(source, "t.s", AsmSyntax.Llvm);
        Assert.False(result.IsOk);
        Assert.Equal(location, result.Error!.Location);
        Assert.Contains(message, result.Error.Message);
    }

    [Theory]
    [InlineData("mov %r0, 1\nexit", AsmSyntax.Conformance)]
    [InlineData("# only comments and exit\nexit\ncall 1", AsmSyntax.Conformance)]
    [InlineData("exit\nr0 = 1", AsmSyntax.Llvm)]
    [InlineData("if r0 > 1 goto +1", AsmSyntax.Llvm)]
    [InlineData("*(u8 *)(r1 + 0) = 1", AsmSyntax.Llvm)]
    [InlineData("call pc+1", AsmSyntax.Llvm)]
    [InlineData("L1:\nja L1", AsmSyntax.Conformance)]
    public void Auto_detects_the_dialect_from_the_first_decisive_line(string source, AsmSyntax expected)
    {
        var auto = Assembler.Assemble(source, "t.s");
        var explicitly = Assembler.Assemble(source, "t.s", expected);
        Assert.True(auto.IsOk, auto.Error?.ToString());
        Assert.Equal(explicitly.Value, auto.Value);
    }
}
