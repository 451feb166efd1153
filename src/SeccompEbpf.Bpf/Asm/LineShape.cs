namespace SeccompEbpf.Bpf.Asm;

/// <summary>
/// Separates what surrounds an instruction on a line: label definitions (<c>L1:</c>,
/// <c>&lt;LBB0_2&gt;:</c>), and the prefixes of pasted listings — <c>llvm-objdump -d</c>
/// (<c>  3:  b7 00 00 00 01 00 00 00  r0 = 1</c>, <c>0000000000000000 &lt;prog&gt;:</c>, its
/// header and relocation lines) and verifier logs (<c>3: (b7) r0 = 1</c>) — so they can be assembled as-is.
/// </summary>
internal static class LineShape
{
    public readonly record struct Parts(List<AsmToken> Labels, List<AsmToken> Instruction);

    public static List<AsmToken> InstructionTokens(List<AsmToken> tokens) => Split(tokens).Instruction;

    public static Parts Split(List<AsmToken> tokens)
    {
        var labels = new List<AsmToken>();
        var end = tokens[^1];
        if (IsListingHeader(tokens)) return new Parts(labels, [end]);
        int i = 0;
        if (At(tokens, 0).Kind == AsmTokenKind.Number && At(tokens, 1).Is(":"))
        {
            // "12:" address of an objdump or verifier-log line, then encoded bytes or "(b7)".
            i = 2;
            while (IsHexByte(At(tokens, i))) i++;
            if (At(tokens, i).Is("(") && IsHexByte(At(tokens, i + 1)) && At(tokens, i + 2).Is(")")) i += 3;
            // "240:  R_BPF_64_32  .text": a relocation line of llvm-objdump -r, not an instruction.
            if (At(tokens, i).Kind == AsmTokenKind.Identifier && At(tokens, i).Text.StartsWith("R_BPF_")) return new Parts(labels, [end]);
        }
        else if (At(tokens, 0).Kind == AsmTokenKind.Number && At(tokens, 1).Is("<"))
        {
            i = 1; // "0000000000000000 <prog>:" symbol header
        }
        while (true)
        {
            if (At(tokens, i).Kind == AsmTokenKind.Identifier && At(tokens, i + 1).Is(":"))
            {
                labels.Add(At(tokens, i));
                i += 2;
            }
            else if (At(tokens, i).Is("<") && At(tokens, i + 1).Kind == AsmTokenKind.Identifier && At(tokens, i + 2).Is(">") && At(tokens, i + 3).Is(":"))
            {
                labels.Add(At(tokens, i + 1));
                i += 4;
            }
            else break;
        }
        return new Parts(labels, tokens.GetRange(i, tokens.Count - i));
    }

    /// <summary>Token k, or the End token past the end (every token list ends with End).</summary>
    private static AsmToken At(List<AsmToken> tokens, int k) => tokens[Math.Min(k, tokens.Count - 1)];

    private static bool IsHexByte(AsmToken t) =>
        t.Kind is AsmTokenKind.Number or AsmTokenKind.Identifier && t.Text.Length == 2 &&
        char.IsAsciiHexDigit(t.Text[0]) && char.IsAsciiHexDigit(t.Text[1]);

    /// <summary>"Disassembly of section .text:" and "prog.o: file format elf64-bpf".</summary>
    private static bool IsListingHeader(List<AsmToken> tokens)
    {
        if (At(tokens, 0).Is("Disassembly") && At(tokens, 1).Is("of") && At(tokens, 2).Is("section")) return true;
        for (int i = 0; i + 1 < tokens.Count; i++)
            if (At(tokens, i).Is("file") && At(tokens, i + 1).Is("format")) return i >= 2 && At(tokens, i - 1).Is(":");
        return false;
    }
}
