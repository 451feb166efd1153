using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Tests.Conformance;

namespace SeccompEbpf.Bpf.Tests.Asm;

public class RoundTripPropertyTests
{
    private static readonly AsmSyntax[] Syntaxes = [AsmSyntax.Conformance, AsmSyntax.Llvm];

    [Fact]
    public void The_generator_reaches_every_valid_opcode()
    {
        // RFC 9669: ALU 27 + ALU64 26 + JMP 26 + JMP32 23 + LD 1 + LDX 7 + ST 4 + STX 6.
        Assert.Equal(120, RandomInstructions.ValidOpcodes.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_valid_instructions_round_trip_through_bytes_and_both_dialects(int seed)
    {
        var random = new RandomInstructions(seed);
        for (int n = 0; n < 3000; n++)
        {
            var slots = random.NextValid();
            var bytes = InstructionCodec.EncodeProgram(slots);
            Assert.Equal(slots, InstructionCodec.DecodeProgram(bytes).Value);
            foreach (var syntax in Syntaxes)
            {
                var text = InstructionFormatter.Format(slots[0], slots.Length > 1 ? slots[1] : null, syntax);
                Assert.False(text.StartsWith(".raw"), $"valid {slots[0]} printed as {text}");
                foreach (var readAs in new[] { syntax, AsmSyntax.Auto })
                {
                    var back = Assembler.Assemble(text, "t.s", readAs);
                    Assert.True(back.IsOk, $"{syntax} '{text}' ({slots[0]}) read as {readAs}: {back.Error}");
                    Assert.True(slots.SequenceEqual(back.Value), $"{syntax} '{text}': {slots[0]} came back as {back.Value[0]}");
                }
            }
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Random_programs_with_invalid_slots_round_trip_with_labels_and_listings(int seed)
    {
        var random = new RandomInstructions(seed);
        for (int n = 0; n < 200; n++)
        {
            var program = random.NextProgram(1 + n % 40);
            foreach (var syntax in Syntaxes)
                foreach (var (labels, listing) in new[] { (false, false), (true, false), (true, true) })
                    AssertRoundTrip(program, new DisassemblyOptions { Syntax = syntax, Labels = labels, Listing = listing });
        }
    }

    [Fact]
    public void Every_conformance_program_round_trips_in_both_dialects()
    {
        var files = ConformanceFiles.Tests().Concat(ConformanceFiles.Negative());
        int count = 0;
        foreach (var path in files)
        {
            var program = ConformanceFiles.Load(path).Program();
            if (!program.IsOk) continue; // negative assembly files
            foreach (var syntax in Syntaxes)
                foreach (var labels in new[] { false, true })
                    AssertRoundTrip(program.Value, new DisassemblyOptions { Syntax = syntax, Labels = labels });
            count++;
        }
        TestContext.Current.SendDiagnosticMessage($"round-tripped {count} conformance programs");
    }

    private static void AssertRoundTrip(Instruction[] program, DisassemblyOptions options)
    {
        var text = Disassembler.Format(program, options);
        var back = Assembler.Assemble(text, "dis.s", options.Syntax);
        Assert.True(back.IsOk, $"{options}: {back.Error}\n{text}");
        Assert.True(program.SequenceEqual(back.Value), $"{options}: round trip changed the program\n{text}");
    }
}
