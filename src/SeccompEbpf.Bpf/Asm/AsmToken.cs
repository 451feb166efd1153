namespace SeccompEbpf.Bpf.Asm;

internal enum AsmTokenKind
{
    /// <summary>A word: mnemonic, label, llvm register (r1, w1), keyword.</summary>
    Identifier,
    /// <summary>A conformance register, <c>%r1</c> (the text keeps the '%').</summary>
    Register,
    /// <summary>An unsigned number, decimal or 0x-hex; the sign is a separate '-' token.</summary>
    Number,
    /// <summary>An operator or punctuation, e.g. <c>,</c> <c>[</c> <c>+=</c> <c>s&gt;=</c>.</summary>
    Punct,
    End,
}

/// <summary>One token of an assembly line with its 1-based column, for error messages.</summary>
internal readonly record struct AsmToken(AsmTokenKind Kind, string Text, int Column, ulong Number = 0, bool NumberOverflows = false)
{
    public bool Is(string punctOrWord) =>
        (Kind is AsmTokenKind.Punct or AsmTokenKind.Identifier) && Text == punctOrWord;

    /// <summary>How the token reads in "expected X but found Y".</summary>
    public string Describe() => Kind == AsmTokenKind.End ? "end of line" : $"'{Text}'";
}
