using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Asm;

/// <summary>Prints a valid instruction in the LLVM/kernel dialect (see <see cref="LlvmSyntaxParser"/>).</summary>
internal static class LlvmFormat
{
    public static string Format(Instruction insn, Instruction? next, string? label, string? helperName) => insn.Class switch
    {
        OpClass.Alu or OpClass.Alu64 => Alu(insn),
        OpClass.Jmp or OpClass.Jmp32 => Jump(insn, label, helperName),
        OpClass.Ld => $"r{insn.Dst} = " + (insn.Src == LoadImmSource.Imm64
            ? $"0x{Instruction.Imm64(insn, next!.Value):x}"
            : PseudoLoadSyntax.Format(insn, next!.Value, label)) + " ll",
        OpClass.Ldx => $"r{insn.Dst} = *({(insn.MemMode == MemMode.MemSx ? "s" : "u")}{insn.MemSize.Bytes() * 8} *){Address(insn.Src, insn.Offset)}",
        OpClass.St => $"*({insn.MemSize.CTypeName()} *){Address(insn.Dst, insn.Offset)} = {AsmNumbers.Imm(insn.Imm)}",
        _ => insn.MemMode == MemMode.Atomic ? Atomic(insn) : $"*({insn.MemSize.CTypeName()} *){Address(insn.Dst, insn.Offset)} = r{insn.Src}",
    };

    private static string Alu(Instruction insn)
    {
        char w = insn.Class == OpClass.Alu ? 'w' : 'r';
        string dst = $"{w}{insn.Dst}";
        switch (insn.AluOp)
        {
            case AluOp.Neg: return $"{dst} = -{dst}";
            case AluOp.End:
                string kind = insn.Class == OpClass.Alu64 ? "bswap" : insn.UsesSrcRegister ? "be" : "le";
                return $"r{insn.Dst} = {kind}{insn.Imm} r{insn.Dst}";
            case AluOp.Mov when insn.Offset != 0:
                return $"{dst} = (s{insn.Offset}){w}{insn.Src}";
            case AluOp.Mov:
                return $"{dst} = {Source(insn, w)}";
        }
        string op = LlvmSyntaxParser.CompoundAssignments.First(p => p.Value == (insn.AluOp, insn.Offset)).Key;
        return $"{dst} {op} {Source(insn, w)}";
    }

    private static string Jump(Instruction insn, string? label, string? helperName)
    {
        if (insn.IsExit) return "exit";
        if (insn.IsCallx) return $"callx r{insn.Dst}";
        if (insn.IsCall)
            return insn.Src switch
            {
                CallSource.Local => label is null ? $"call pc{AsmNumbers.Relative(insn.Imm)}" : $"call {label}",
                CallSource.Kfunc => $"call kfunc {insn.Imm}",
                _ => $"call {helperName ?? insn.Imm.ToString()}",
            };
        if (insn.Opcode == Opcodes.Ja) return $"goto {label ?? AsmNumbers.Relative(insn.Offset)}";
        if (insn.Opcode == Opcodes.Ja32) return $"gotol {label ?? AsmNumbers.Relative(insn.Imm)}";
        char w = insn.Class == OpClass.Jmp32 ? 'w' : 'r';
        string op = LlvmSyntaxParser.Comparisons.First(p => p.Value == insn.JmpOp).Key;
        return $"if {w}{insn.Dst} {op} {Source(insn, w)} goto {label ?? AsmNumbers.Relative(insn.Offset)}";
    }

    private static string Atomic(Instruction insn)
    {
        bool is32 = insn.MemSize == MemSize.W;
        char w = is32 ? 'w' : 'r';
        string type = is32 ? "u32" : "u64";
        string src = $"{w}{insn.Src}";
        string bare = Bare(insn.Dst, insn.Offset);
        return insn.Imm switch
        {
            AtomicOp.Xchg => $"{src} = {(is32 ? "xchg32_32" : "xchg_64")}({bare}, {src})",
            AtomicOp.CmpXchg => $"{w}0 = {(is32 ? "cmpxchg32_32" : "cmpxchg_64")}({bare}, {w}0, {src})",
            var imm when (imm & AtomicOp.Fetch) != 0 =>
                $"{src} = {LlvmSyntaxParser.FetchFunctions.First(p => p.Value == imm).Key}(({type} *){Address(insn.Dst, insn.Offset)}, {src})",
            var imm => $"lock *({type} *){Address(insn.Dst, insn.Offset)} {LlvmSyntaxParser.LockOperators.First(p => p.Value == imm).Key} {src}",
        };
    }

    private static string Source(Instruction insn, char w) => insn.UsesSrcRegister ? $"{w}{insn.Src}" : AsmNumbers.Imm(insn.Imm);

    private static string Address(byte reg, short offset) => $"({Bare(reg, offset)})";

    private static string Bare(byte reg, short offset) => offset < 0 ? $"r{reg} - {-offset}" : $"r{reg} + {offset}";
}
