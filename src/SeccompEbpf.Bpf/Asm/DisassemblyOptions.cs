namespace SeccompEbpf.Bpf.Asm;

/// <summary>How <see cref="Disassembler"/> prints a program.</summary>
public sealed record DisassemblyOptions
{
    public static readonly DisassemblyOptions Default = new();

    /// <summary>The dialect; Auto means LLVM/kernel.</summary>
    public AsmSyntax Syntax { get; init; } = AsmSyntax.Llvm;

    /// <summary>Name jump targets with labels (<c>L5:</c>) instead of printing relative distances.</summary>
    public bool Labels { get; init; }

    /// <summary>Prefix each line with its slot index and bytes, like <c>llvm-objdump -d</c> (the assembler skips them).</summary>
    public bool Listing { get; init; }

    /// <summary>Follow each <c>.raw</c> line (an invalid slot) with a comment saying what is wrong with it.</summary>
    public bool ExplainInvalid { get; init; } = true;

    /// <summary>Helper names to print for <c>call ID</c>.</summary>
    public IReadOnlyDictionary<string, int>? HelperIds { get; init; }
}
