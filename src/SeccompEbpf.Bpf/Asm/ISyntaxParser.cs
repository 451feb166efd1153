namespace SeccompEbpf.Bpf.Asm;

/// <summary>Parses one instruction (labels are handled by the assembler) in one dialect.</summary>
internal interface ISyntaxParser
{
    /// <summary>Reads a whole instruction from the cursor; throws <see cref="AsmSyntaxException"/> on malformed text.</summary>
    AsmStatement Parse(TokenCursor cursor);
}
