using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Tests.Conformance;

namespace SeccompEbpf.Bpf.Tests.Asm;

public class ConformanceSyntaxAssemblerTests
{
    private static string Hex(string source)
    {
        var result = Assembler.Assemble(source, "t.s", AsmSyntax.Conformance);
        Assert.True(result.IsOk, result.Error?.ToString());
        return Convert.ToHexStringLower(InstructionCodec.EncodeProgram(result.Value));
    }

    // Expected bytes worked out by hand from RFC 9669's encoding tables.
    [Theory]
    [InlineData("mov32 %r0, 1", "b400000001000000")]
    [InlineData("mov %r1, %r2", "bf21000000000000")]
    [InlineData("add64 %r1, -3", "07010000fdffffff")]
    [InlineData("add32 %r0, 0xffffffff", "04000000ffffffff")]
    [InlineData("sdiv32 %r0, %r1", "3c10010000000000")]
    [InlineData("smod %r0, 7", "9700010007000000")]
    [InlineData("neg %r3", "8703000000000000")]
    [InlineData("neg32 %r3", "8403000000000000")]
    [InlineData("movsx1632 %r0, %r1", "bc10100000000000")]
    [InlineData("movsx3264 %r0, %r1", "bf10200000000000")]
    [InlineData("be16 %r0", "dc00000010000000")]
    [InlineData("le64 %r0", "d400000040000000")]
    [InlineData("bswap32 %r2", "d702000020000000")]
    [InlineData("swap64 %r2", "d702000040000000")]
    [InlineData("ldxw %r0, [%r1+2]", "6110020000000000")]
    [InlineData("ldxdw %r0, [%r10-8]", "79a0f8ff00000000")]
    [InlineData("ldxsb %r0, [%r1]", "9110000000000000")]
    [InlineData("ldxsh %r0, [%r1+0x10]", "8910100000000000")]
    [InlineData("ldxsw %r0, [%r1]", "8110000000000000")]
    [InlineData("stb [%r1+2], 0x11", "7201020011000000")]
    [InlineData("stxdw [%r10-8], %r0", "7b0af8ff00000000")]
    [InlineData("lock add [%r10-8], %r1", "db1af8ff00000000")]
    [InlineData("lock fetch add32 [%r10-8], %r1", "c31af8ff01000000")]
    [InlineData("lock fetch xor [%r1], %r2", "db210000a1000000")]
    [InlineData("lock xchg [%r1+4], %r2", "db210400e1000000")]
    [InlineData("lock cmpxchg32 [%r1], %r2", "c3210000f1000000")]
    [InlineData("call 5", "8500000005000000")]
    [InlineData("call %r2", "8d02000000000000")]
    [InlineData("call local +3", "8510000003000000")]
    [InlineData("call runtime 12", "852000000c000000")]
    [InlineData("exit", "9500000000000000")]
    [InlineData("ja +2", "0500020000000000")]
    [InlineData("ja32 -1", "06000000ffffffff")]
    [InlineData("jeq %r1, 0x5, +1", "1501010005000000")]
    [InlineData("jslt32 %r1, %r2, -4", "ce21fcff00000000")]
    [InlineData("lddw %r0, 0x1122334455667788", "1800000088776655" + "0000000044332211")]
    [InlineData("lddw %r1, -1", "18010000ffffffff" + "00000000ffffffff")]
    [InlineData("lddw %r1, map[2]", "1851000002000000" + "0000000000000000")]
    [InlineData("lddw %r1, map_value[2]+16", "1861000002000000" + "0000000010000000")]
    [InlineData(".raw 0x0000000000000095", "9500000000000000")]
    public void Encodes_each_form(string source, string hex) => Assert.Equal(hex, Hex(source));

    [Fact]
    public void Resolves_labels_forwards_backwards_and_the_implicit_exit_label()
    {
        var program = Assembler.Assemble("""
            mov %r0, 0
            L1: add %r0, 1       # label on the instruction's line
            jlt %r0, 3, L1
            ja exit
            ja32 L2
            call local L2
            L2:
            exit
            """, "t.s", AsmSyntax.Conformance).Value;
        Assert.Equal(-2, program[2].Offset);
        Assert.Equal(2, program[3].Offset); // the first exit, index 6
        Assert.Equal(1, program[4].Imm);
        Assert.Equal(0, program[5].Imm);
    }

    [Theory]
    [InlineData("mov %r0, %r50", "t.s:1:10", "expected a register %r0..%r10 but found '%r50'")]
    [InlineData("mov32 %r0, 2147483648", "t.s:1:12", "32-bit range")]
    [InlineData("mov32 %r0, 0x100000000", "t.s:1:12", "32-bit range")]
    [InlineData("ldxb %r0, [%r1+0x10000]", "t.s:1:15", "16-bit range")]
    [InlineData("ldxb %r0, %r1", "t.s:1:11", "expected a memory operand like [%r1+8] but found '%r1'")]
    [InlineData("ldxq %r0, %r1", "t.s:1:1", "expected an instruction mnemonic but found 'ldxq'")]
    [InlineData("lddw %r0", "t.s:1:9", "expected ',' but found end of line")]
    [InlineData("lock", "t.s:1:5", "expected an atomic operation")]
    [InlineData("lock or [%r10-8]", "t.s:1:17", "expected ',' but found end of line")]
    [InlineData("exit 1", "t.s:1:6", "expected end of line but found '1'")]
    [InlineData("ja NOT_A_LABEL\nexit", "t.s:1:4", "expected a defined label but found 'NOT_A_LABEL'")]
    [InlineData("L: exit\nL: exit", "t.s:2:1", "label 'L' is defined twice")]
    [InlineData("call helper_by_name", "t.s:1:6", "helper table")]
    [InlineData("mov %r0, 1 @", "t.s:1:12", "found '@'")]
    public void Malformed_text_gives_file_line_column_and_what_was_expected(string source, string location, string message)
    {
        var result = Assembler.Assemble(source, "t.s", AsmSyntax.Conformance);
        Assert.False(result.IsOk);
        Assert.Equal(location, result.Error!.Location);
        Assert.Contains(message, result.Error.Message);
    }

    [Fact]
    public void Accepts_helper_names_from_a_table()
    {
        var options = new AssemblerOptions { HelperIds = new Dictionary<string, int> { ["bpf_map_lookup_elem"] = 1 } };
        var program = Assembler.Assemble("call bpf_map_lookup_elem\nexit", "t.s", AsmSyntax.Conformance, options).Value;
        Assert.Equal(1, program[0].Imm);
    }

    [Fact]
    public void Every_suite_program_assembles_and_matches_its_raw_section()
    {
        int assembled = 0, compared = 0;
        foreach (var path in ConformanceFiles.Tests())
        {
            var file = ConformanceFiles.Load(path);
            if (file.Assembly is null) continue;
            var result = Assembler.Assemble(file.Assembly.Text, path, AsmSyntax.Conformance, file.Assembly.FirstLine);
            Assert.True(result.IsOk, $"{path}: {result.Error}");
            assembled++;
            if (file.RawInstructions is null) continue;
            Assert.Equal(file.RawInstructions, result.Value);
            compared++;
        }
        Assert.True(compared >= 1, "no test has both -- asm and -- raw");
        TestContext.Current.SendDiagnosticMessage($"assembled {assembled} programs, {compared} compared with their raw bytes");
    }

    [Fact]
    public void Every_suite_program_assembles_exactly_like_the_suites_own_assembler()
    {
        // The golden file was produced once by the suite's C++ assembler (see its header).
        var golden = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Conformance", "upstream-assembler-encodings.txt"))
            .Where(l => !l.StartsWith('#') && l.Length > 0)
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => p[1]);
        var files = ConformanceFiles.Tests();
        int compared = 0;
        foreach (var path in files)
        {
            if (!golden.TryGetValue(Path.GetFileName(path), out var expected)) continue;
            var file = ConformanceFiles.Load(path);
            var ours = Assembler.Assemble(file.Assembly!.Text, path, AsmSyntax.Conformance, file.Assembly.FirstLine);
            Assert.True(ours.IsOk, $"{path}: {ours.Error}");
            Assert.Equal(expected, Convert.ToHexStringLower(InstructionCodec.EncodeProgram(ours.Value)));
            compared++;
        }
        Assert.True(compared >= golden.Count * 9 / 10, $"only {compared} of {golden.Count} golden programs found in the suite");
        TestContext.Current.SendDiagnosticMessage($"{compared} programs identical to the suite's assembler");
    }

    [Fact]
    public void Every_invalid_assembly_file_of_the_suite_is_rejected_with_a_location()
    {
        var files = ConformanceFiles.Negative().Where(p => Path.GetFileName(p).StartsWith("invalid_")).ToArray();
        Assert.NotEmpty(files);
        foreach (var path in files)
        {
            var file = ConformanceFiles.Load(path);
            var program = file.Program();
            if (Path.GetFileName(path) == "invalid_unknown_directive.data")
            {
                // Its asm section is empty and followed by an unknown section: nothing to assemble.
                Assert.Contains("unknown directive", file.OtherSectionNames);
                Assert.True(!program.IsOk || program.Value.Length == 0);
                continue;
            }
            Assert.False(program.IsOk, $"{path} assembled but must be rejected");
            Assert.StartsWith(path + ":", program.Error!.Location);
            Assert.Contains("expected", program.Error.Message);
        }
    }
}
