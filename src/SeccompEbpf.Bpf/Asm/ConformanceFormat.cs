using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Asm;

/// <summary>Prints a valid instruction in the conformance suite's dialect (see <see cref="ConformanceSyntaxParser"/>).</summary>
internal static class ConformanceFormat
{
    public static string Format(Instruction insn, Instruction? next, string? label, string? helperName) => insn.Class switch
    {
        OpClass.Alu or OpClass.Alu64 => Alu(insn),
        OpClass.Jmp or OpClass.Jmp32 => Jump(insn, label, helperName),
        OpClass.Ld => $"lddw {R(insn.Dst)}, " + (insn.Src == LoadImmSource.Imm64
            ? $"0x{Instruction.Imm64(insn, next!.Value):x}"
            : PseudoLoadSyntax.Format(insn, next!.Value, label).Replace(" ", "")),
        OpClass.Ldx => $"ldx{(insn.MemMode == MemMode.MemSx ? "s" : "")}{Size(insn)} {R(insn.Dst)}, {Mem(insn.Src, insn.Offset)}",
        OpClass.St => $"st{Size(insn)} {Mem(insn.Dst, insn.Offset)}, {AsmNumbers.Imm(insn.Imm)}",
        _ => insn.MemMode == MemMode.Atomic ? Atomic(insn) : $"stx{Size(insn)} {Mem(insn.Dst, insn.Offset)}, {R(insn.Src)}",
    };

    private static string Alu(Instruction insn)
    {
        string width = insn.Class == OpClass.Alu ? "32" : "";
        switch (insn.AluOp)
        {
            case AluOp.Neg: return $"neg{width} {R(insn.Dst)}";
            case AluOp.End:
                string kind = insn.Class == OpClass.Alu64 ? "bswap" : insn.UsesSrcRegister ? "be" : "le";
                return $"{kind}{insn.Imm} {R(insn.Dst)}";
            case AluOp.Mov when insn.Offset != 0:
                return $"movsx{insn.Offset}{(insn.Class == OpClass.Alu ? "32" : "64")} {R(insn.Dst)}, {R(insn.Src)}";
        }
        string name = insn.AluOp switch
        {
            AluOp.Div when insn.Offset == 1 => "sdiv",
            AluOp.Mod when insn.Offset == 1 => "smod",
            var op => ConformanceSyntaxParser.AluOps.First(p => p.Value == op && p.Key is not ("sdiv" or "smod")).Key,
        };
        return $"{name}{width} {R(insn.Dst)}, {Source(insn)}";
    }

    private static string Jump(Instruction insn, string? label, string? helperName)
    {
        string target = label ?? AsmNumbers.Relative(insn.Opcode == Opcodes.Ja32 || insn.IsCall ? insn.Imm : insn.Offset);
        if (insn.IsExit) return "exit";
        if (insn.IsCallx) return $"call {R(insn.Dst)}";
        if (insn.IsCall)
            return insn.Src switch
            {
                CallSource.Local => $"call local {target}",
                CallSource.Kfunc => $"call runtime {insn.Imm}",
                _ => $"call {helperName ?? insn.Imm.ToString()}",
            };
        if (insn.Opcode == Opcodes.Ja) return $"ja {target}";
        if (insn.Opcode == Opcodes.Ja32) return $"ja32 {target}";
        string name = ConformanceSyntaxParser.JumpOps.First(p => p.Value == insn.JmpOp).Key;
        return $"{name}{(insn.Class == OpClass.Jmp32 ? "32" : "")} {R(insn.Dst)}, {Source(insn)}, {target}";
    }

    private static string Atomic(Instruction insn)
    {
        string width = insn.MemSize == MemSize.W ? "32" : "";
        string op = insn.Imm switch
        {
            AtomicOp.Xchg => "xchg",
            AtomicOp.CmpXchg => "cmpxchg",
            var imm => ((imm & AtomicOp.Fetch) != 0 ? "fetch " : "") +
                       ConformanceSyntaxParser.AtomicOps.First(p => p.Value == (imm & ~AtomicOp.Fetch)).Key,
        };
        return $"lock {op}{width} {Mem(insn.Dst, insn.Offset)}, {R(insn.Src)}";
    }

    private static string Source(Instruction insn) => insn.UsesSrcRegister ? R(insn.Src) : AsmNumbers.Imm(insn.Imm);

    private static string Size(Instruction insn) => insn.MemSize switch
    {
        MemSize.B => "b",
        MemSize.H => "h",
        MemSize.W => "w",
        _ => "dw",
    };

    private static string Mem(byte reg, short offset) => offset == 0 ? $"[{R(reg)}]" : $"[{R(reg)}{AsmNumbers.MemOffset(offset)}]";

    private static string R(byte reg) => $"%r{reg}";
}
