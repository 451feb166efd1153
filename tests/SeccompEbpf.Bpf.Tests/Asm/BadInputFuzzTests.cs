using System.Text;
using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Conformance;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Asm;

/// <summary>Garbage in, an error value out: nothing here may throw.</summary>
public class BadInputFuzzTests
{
    private static readonly string[] Fragments =
    [
        "r0", "w1", "r10", "r11", "%r0", "%r10", "%r99", "=", "+=", "s>>=", "s<", "<<=", "-", "+", "*", "(", ")", "[", "]",
        ",", ":", "<", ">", "u8", "u64", "s16", "s32", "0x", "0xffffffffffffffffff", "99999999999999999999", "-2147483649",
        "0x7fff", "1", "-1", "ll", "goto", "gotol", "if", "call", "callx", "local", "runtime", "kfunc", "pc", "exit", "lock",
        "fetch", "add", "add32", "mov", "movsx832", "ldxw", "stxdw", "lddw", "ja", "ja32", "jeq", "be16", "bswap64", "neg",
        "map", "map_value", "func", "xchg_64", "cmpxchg_64", "atomic_fetch_add", "L1", "L1:", "#", ";", "//", ".raw",
        "\t", " ", "12:", "(b7)", "Disassembly", "file", "format", "R_BPF_64_64", "<sym>", "é", "\0",
    ];

    [Theory]
    [InlineData(AsmSyntax.Auto)]
    [InlineData(AsmSyntax.Conformance)]
    [InlineData(AsmSyntax.Llvm)]
    public void Random_text_lines_never_throw(AsmSyntax syntax)
    {
        var random = new Random(2024 + (int)syntax);
        int rejected = 0;
        for (int n = 0; n < 4000; n++)
        {
            var line = RandomLine(random);
            var result = Assembler.Assemble(line + "\n" + RandomLine(random), "fuzz.s", syntax);
            if (result.IsOk) continue;
            rejected++;
            Assert.StartsWith("fuzz.s:", result.Error!.Location);
            Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
        }
        Assert.True(rejected > 1000, $"only {rejected} of 4000 garbage inputs were rejected");
    }

    [Fact]
    public void Random_bytes_decode_validate_and_round_trip_without_throwing()
    {
        var random = new Random(99);
        for (int n = 0; n < 3000; n++)
        {
            var bytes = new byte[random.Next(0, 80)];
            random.NextBytes(bytes);
            var decoded = InstructionCodec.DecodeProgram(bytes);
            if (!decoded.IsOk)
            {
                Assert.True(decoded.Error!.InstructionIndex >= 0);
                continue;
            }
            foreach (var error in InstructionValidator.FindErrors(decoded.Value))
                Assert.InRange(error.InstructionIndex, bytes.Length == 0 ? -1 : 0, decoded.Value.Length - 1);
            foreach (var syntax in new[] { AsmSyntax.Conformance, AsmSyntax.Llvm })
            {
                var text = Disassembler.Format(decoded.Value, new DisassemblyOptions { Syntax = syntax, Labels = n % 2 == 0 });
                var back = Assembler.Assemble(text, "bytes.s", syntax);
                Assert.True(back.IsOk, $"{back.Error}\n{text}");
                Assert.Equal(bytes, InstructionCodec.EncodeProgram(back.Value));
            }
        }
    }

    [Fact]
    public void Random_conformance_data_files_never_throw()
    {
        var random = new Random(7);
        string[] headers = ["-- asm", "-- raw", "-- mem", "-- result", "-- error", "-- c", "--", "-- no register offset"];
        for (int n = 0; n < 2000; n++)
        {
            var text = new StringBuilder();
            for (int line = random.Next(8); line >= 0; line--)
                text.AppendLine(random.Next(3) == 0 ? headers[random.Next(headers.Length)] : RandomLine(random));
            var parsed = ConformanceTestFile.Parse(text.ToString(), "fuzz.data");
            if (parsed.IsOk) _ = parsed.Value.Program();
            else Assert.StartsWith("fuzz.data:", parsed.Error!.Location);
        }
    }

    private static string RandomLine(Random random)
    {
        var line = new StringBuilder();
        for (int i = random.Next(1, 9); i > 0; i--)
        {
            if (random.Next(5) == 0) line.Append((char)random.Next(1, 128));
            else line.Append(Fragments[random.Next(Fragments.Length)]);
            if (random.Next(2) == 0) line.Append(' ');
        }
        return line.ToString();
    }
}
