using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Asm;

/// <summary>
/// Prints one instruction in either dialect, in a form the <see cref="Assembler"/> reads back to
/// the same bytes. Instructions that <see cref="InstructionValidator"/> rejects print as
/// <c>.raw 0xWORD</c> (the slot as a little-endian 64-bit word), so even invalid bytecode
/// round-trips. Jumps print relative distances (<c>+2</c>) unless a target label is given.
/// </summary>
public static class InstructionFormatter
{
    /// <param name="next">The following slot; needed to print a 64-bit immediate load.</param>
    /// <param name="syntax">Auto prints the LLVM/kernel dialect.</param>
    public static string Format(Instruction insn, Instruction? next = null, AsmSyntax syntax = AsmSyntax.Llvm, AssemblerOptions? options = null) =>
        Format(insn, next, syntax, targetLabel: null, options ?? AssemblerOptions.Default);

    /// <param name="targetLabel">Printed instead of the relative distance of a jump, local call or function address.</param>
    public static string Format(Instruction insn, Instruction? next, AsmSyntax syntax, string? targetLabel, AssemblerOptions options)
    {
        if (InstructionValidator.Check(insn, next) is not null) return Assembler.RawWord(insn);
        var helperName = insn.IsHelperCall ? HelperName(options, insn.Imm) : null;
        return syntax == AsmSyntax.Conformance
            ? ConformanceFormat.Format(insn, next, targetLabel, helperName)
            : LlvmFormat.Format(insn, next, targetLabel, helperName);
    }

    /// <summary>Whether the instruction's jump distance (offset or imm) is a code reference a label can replace.</summary>
    public static bool HasCodeTarget(Instruction insn, out long relative)
    {
        relative = 0;
        if (insn.IsConditionalJump || insn.Opcode == Opcodes.Ja) relative = insn.Offset;
        else if (insn.Opcode == Opcodes.Ja32 || insn.IsLocalCall) relative = insn.Imm;
        else if (insn.IsLoadImm64 && insn.Src == LoadImmSource.Func) relative = insn.Imm;
        else return false;
        return true;
    }

    private static string? HelperName(AssemblerOptions options, int id)
    {
        if (options.HelperIds is null) return null;
        foreach (var (name, value) in options.HelperIds)
            if (value == id) return name;
        return null;
    }
}
