namespace SeccompEbpf.Bpf.Asm;

/// <summary>Optional knowledge the assembler and disassembler can use.</summary>
public sealed record AssemblerOptions
{
    public static readonly AssemblerOptions Default = new();

    /// <summary>Helper names accepted by <c>call NAME</c> (and printed by the disassembler), e.g. bpf_map_lookup_elem → 1.</summary>
    public IReadOnlyDictionary<string, int>? HelperIds { get; init; }

    /// <summary>The first line number of the text (for a section embedded in a larger file).</summary>
    public int FirstLine { get; init; } = 1;
}
