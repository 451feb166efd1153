using System.Globalization;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Asm;

/// <summary>
/// Turns assembly text into instructions. Both dialects share: one instruction per line,
/// labels (<c>NAME:</c>, also on the instruction's line), comments (<c>#</c>, <c>;</c>, <c>//</c>),
/// pasted <c>llvm-objdump -d</c>/verifier-log prefixes, and <c>.raw 0xWORD</c> for a slot
/// given as the conformance suite's 64-bit little-endian word. Errors name file:line:column and
/// what was expected; no input makes it throw.
/// </summary>
public static class Assembler
{
    public static BpfResult<Instruction[]> Assemble(string text, string fileName = "<input>", AsmSyntax syntax = AsmSyntax.Auto, int firstLine = 1) =>
        Assemble(text, fileName, syntax, AssemblerOptions.Default with { FirstLine = firstLine });

    public static BpfResult<Instruction[]> Assemble(string text, string fileName, AsmSyntax syntax, AssemblerOptions options)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (syntax == AsmSyntax.Auto) syntax = SyntaxDetector.Detect(lines);
        ISyntaxParser parser = syntax == AsmSyntax.Llvm ? new LlvmSyntaxParser(options) : new ConformanceSyntaxParser(options);

        var program = new List<Instruction>();
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        var fixups = new List<(int Index, AsmStatement Statement, int Line)>();
        int? firstExit = null;
        for (int n = 0; n < lines.Length; n++)
        {
            int lineNumber = options.FirstLine + n;
            string Where(int column) => $"{fileName}:{lineNumber}:{column}";
            try
            {
                var parts = LineShape.Split(AsmLexer.Tokenize(lines[n]));
                if (parts.Relocation == "R_BPF_64_32" && program.Count > 0 && program[^1].IsHelperCall)
                {
                    // llvm-objdump prints a bpf-to-bpf call as "call -0x1", like a helper call;
                    // the R_BPF_64_32 relocation under it says it calls a function.
                    program[^1] = program[^1] with { Src = CallSource.Local };
                }
                foreach (var label in parts.Labels)
                    if (!labels.TryAdd(label.Text, program.Count))
                        return new BpfError($"label '{label.Text}' is defined twice (first at instruction {labels[label.Text]})", Location: Where(label.Column));
                var cursor = new TokenCursor(parts.Instruction);
                if (cursor.AtEnd) continue;
                var statement = cursor.Peek().Is(".raw") ? RawSlot(cursor) : parser.Parse(cursor);
                if (statement.Label is not null) fixups.Add((program.Count, statement, lineNumber));
                if (firstExit is null && statement.Slots[0].IsExit) firstExit = program.Count;
                program.AddRange(statement.Slots);
            }
            catch (AsmSyntaxException e)
            {
                return new BpfError(e.Message, Location: Where(e.Column));
            }
        }

        // The conformance suite lets jumps name the first exit as "exit" without defining it.
        if (syntax == AsmSyntax.Conformance && firstExit is { } exitIndex) labels.TryAdd("exit", exitIndex);
        foreach (var (index, statement, line) in fixups)
        {
            var where = $"{fileName}:{line}:{statement.LabelColumn}";
            if (!labels.TryGetValue(statement.Label!, out var target))
                return new BpfError($"expected a defined label but found '{statement.Label}' (no line defines '{statement.Label}:')", Location: where);
            long distance = (long)target - (index + 1);
            var insn = program[index];
            if (statement.Field == LabelField.Offset)
            {
                if (distance is < short.MinValue or > short.MaxValue)
                    return new BpfError($"label '{statement.Label}' is {distance} instructions away, beyond the 16-bit jump offset (use gotol/ja32)", Location: where);
                program[index] = insn with { Offset = (short)distance };
            }
            else program[index] = insn with { Imm = (int)distance };
        }
        return program.ToArray();
    }

    /// <summary><c>.raw 0x0000000000000095</c>: one slot as a little-endian 64-bit word.</summary>
    private static AsmStatement RawSlot(TokenCursor cursor)
    {
        cursor.Next();
        var word = cursor.ExpectImm64("a 64-bit instruction word like 0x0000000000000095");
        cursor.ExpectEnd();
        Span<byte> slot = stackalloc byte[Instruction.Size];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(slot, word);
        return new AsmStatement(InstructionCodec.Decode(slot));
    }

    /// <summary>Formats a slot as the word <see cref="RawSlot"/> reads back.</summary>
    internal static string RawWord(Instruction insn)
    {
        Span<byte> slot = stackalloc byte[Instruction.Size];
        InstructionCodec.Encode(insn, slot);
        return ".raw 0x" + System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(slot).ToString("x16", CultureInfo.InvariantCulture);
    }
}
