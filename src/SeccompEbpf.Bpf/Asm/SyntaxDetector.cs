namespace SeccompEbpf.Bpf.Asm;

/// <summary>
/// Guesses the dialect of a source text from its first decisive line. LLVM/kernel lines are
/// assignments (<c>r0 = 1</c>, <c>*(u32 *)(r10 - 4) = r1</c>) or start with if/goto/gotol/callx;
/// conformance lines use <c>%rN</c> registers or a mnemonic. <c>exit</c>, <c>call N</c>, labels
/// and comments are the same in both and decide nothing.
/// </summary>
internal static class SyntaxDetector
{
    private static readonly HashSet<string> ComparisonOperators = ["==", "!=", "<=", ">=", "s<=", "s>="];

    public static AsmSyntax Detect(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var tokens = LineShape.InstructionTokens(AsmLexer.Tokenize(line));
            if (Classify(tokens) is { } syntax) return syntax;
        }
        return AsmSyntax.Conformance;
    }

    private static AsmSyntax? Classify(List<AsmToken> tokens)
    {
        if (tokens.Count == 0 || tokens[0].Kind == AsmTokenKind.End) return null;
        if (tokens.Any(t => t.Kind == AsmTokenKind.Register)) return AsmSyntax.Conformance;
        var first = tokens[0];
        if (first.Is("if") || first.Is("goto") || first.Is("gotol") || first.Is("callx") || first.Is("*"))
            return AsmSyntax.Llvm;
        if (tokens.Any(t => t.Kind == AsmTokenKind.Punct && t.Text.EndsWith('=') && !ComparisonOperators.Contains(t.Text)))
            return AsmSyntax.Llvm;
        if (first.Is("call") && (tokens[1].Is("pc") || tokens[1].Is("kfunc"))) return AsmSyntax.Llvm;
        if (first.Is("call") && (tokens[1].Is("local") || tokens[1].Is("runtime") || tokens[1].Is("helper"))) return AsmSyntax.Conformance;
        if (first.Is("exit") || first.Is("call") || first.Is(".raw")) return null;
        return first.Kind == AsmTokenKind.Identifier ? AsmSyntax.Conformance : null;
    }
}
