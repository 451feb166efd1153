using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Asm;

/// <summary>Which field of the first slot receives a label's relative distance.</summary>
internal enum LabelField
{
    /// <summary>The 16-bit offset of a jump.</summary>
    Offset,
    /// <summary>The 32-bit imm of <c>gotol</c>/<c>ja32</c>, a local call, or a function pointer load.</summary>
    Imm,
}

/// <summary>
/// One parsed instruction (one slot, two for lddw). When it refers to a label, the assembler
/// fills <see cref="Field"/> with <c>label - (index + 1)</c> once every label is known.
/// </summary>
internal sealed record AsmStatement(Instruction[] Slots, string? Label = null, LabelField Field = LabelField.Offset, int LabelColumn = 0)
{
    public AsmStatement(Instruction single) : this([single]) { }
}

/// <summary>A jump target as written: a relative slot count, or a label to resolve later.</summary>
internal readonly record struct JumpTarget(int Relative, string? Label, int Column);
