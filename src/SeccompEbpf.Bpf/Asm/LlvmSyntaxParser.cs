namespace SeccompEbpf.Bpf.Asm;

/// <summary>The LLVM/kernel dialect (in progress: not yet accepted).</summary>
internal sealed class LlvmSyntaxParser(AssemblerOptions options) : ISyntaxParser
{
    public AsmStatement Parse(TokenCursor cursor) =>
        throw new AsmSyntaxException(cursor.Peek().Column, "the LLVM/kernel syntax is not supported yet; use the conformance syntax (--syntax conformance)");
}
