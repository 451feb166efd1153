using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// Prints an instruction in the LLVM/kernel syntax for verifier messages ("r1 = *(u32 *)(r2 +8)").
/// Kept small and local to the verifier until the assembler's formatter is merged.
/// </summary>
public static class InstructionText
{
    public static string Format(IReadOnlyList<Instruction> program, int index)
    {
        if (index < 0 || index >= program.Count) return "";
        var insn = program[index];
        if (insn.IsLoadImm64 && index + 1 < program.Count)
        {
            ulong imm = Instruction.Imm64(insn, program[index + 1]);
            return insn.Src switch
            {
                LoadImmSource.MapFd => $"r{insn.Dst} = map[fd:{insn.Imm}] ll",
                LoadImmSource.MapIdx => $"r{insn.Dst} = map[idx:{insn.Imm}] ll",
                LoadImmSource.MapValue => $"r{insn.Dst} = map_value[fd:{insn.Imm}]+{program[index + 1].Imm} ll",
                LoadImmSource.MapIdxValue => $"r{insn.Dst} = map_value[idx:{insn.Imm}]+{program[index + 1].Imm} ll",
                LoadImmSource.Func => $"r{insn.Dst} = func[{index + insn.Imm + 1}] ll",
                _ => $"r{insn.Dst} = 0x{imm:x} ll",
            };
        }
        return Format(insn, index);
    }

    public static string Format(Instruction insn, int index = -1)
    {
        string Off(short o) => o >= 0 ? $"+{o}" : $"{o}";
        string Target(int off) => index >= 0 ? $"{off:+#;-#;+0} <{index + off + 1}>" : $"{off:+#;-#;+0}";
        switch (insn.Class)
        {
            case OpClass.Alu:
            case OpClass.Alu64:
            {
                bool w = insn.Class == OpClass.Alu;
                string d = (w ? "w" : "r") + insn.Dst;
                string s = insn.UsesSrcRegister ? (w ? "w" : "r") + insn.Src : insn.Imm.ToString();
                switch (insn.AluOp)
                {
                    case AluOp.Neg: return $"{d} = -{d}";
                    case AluOp.End:
                        if (!w) return $"r{insn.Dst} = bswap{insn.Imm} r{insn.Dst}";
                        return $"r{insn.Dst} = {(insn.UsesSrcRegister ? "be" : "le")}{insn.Imm} r{insn.Dst}";
                    case AluOp.Mov when insn.Offset is 8 or 16 or 32 && insn.UsesSrcRegister:
                        return $"{d} = (s{insn.Offset}){s}";
                }
                string op = insn.AluOp switch
                {
                    AluOp.Add => "+=", AluOp.Sub => "-=", AluOp.Mul => "*=", AluOp.Div => insn.Offset == 1 ? "s/=" : "/=",
                    AluOp.Or => "|=", AluOp.And => "&=", AluOp.Lsh => "<<=", AluOp.Rsh => ">>=",
                    AluOp.Mod => insn.Offset == 1 ? "s%=" : "%=", AluOp.Xor => "^=", AluOp.Mov => "=", AluOp.Arsh => "s>>=",
                    _ => $"?alu{(byte)insn.AluOp:x2}",
                };
                return $"{d} {op} {s}";
            }
            case OpClass.Jmp:
            case OpClass.Jmp32:
            {
                bool w = insn.Class == OpClass.Jmp32;
                switch (insn.JmpOp)
                {
                    case JmpOp.Ja: return w ? $"gotol {Target(insn.Imm)}" : $"goto {Target(insn.Offset)}";
                    case JmpOp.Exit: return "exit";
                    case JmpOp.Call:
                        if (insn.Src == CallSource.Local) return $"call {Target(insn.Imm)}";
                        if (insn.UsesSrcRegister) return $"callx r{insn.Dst}";
                        return $"call #{insn.Imm}";
                }
                string op = insn.JmpOp switch
                {
                    JmpOp.Jeq => "==", JmpOp.Jgt => ">", JmpOp.Jge => ">=", JmpOp.Jset => "&", JmpOp.Jne => "!=",
                    JmpOp.Jsgt => "s>", JmpOp.Jsge => "s>=", JmpOp.Jlt => "<", JmpOp.Jle => "<=",
                    JmpOp.Jslt => "s<", JmpOp.Jsle => "s<=", _ => $"?jmp{(byte)insn.JmpOp:x2}",
                };
                string r = w ? "w" : "r";
                string s = insn.UsesSrcRegister ? $"{r}{insn.Src}" : insn.Imm.ToString();
                return $"if {r}{insn.Dst} {op} {s} goto {Target(insn.Offset)}";
            }
            case OpClass.Ldx:
                return insn.MemMode == MemMode.MemSx
                    ? $"r{insn.Dst} = *(s{insn.MemSize.Bytes() * 8} *)(r{insn.Src} {Off(insn.Offset)})"
                    : $"r{insn.Dst} = *({insn.MemSize.CTypeName()} *)(r{insn.Src} {Off(insn.Offset)})";
            case OpClass.St:
                return $"*({insn.MemSize.CTypeName()} *)(r{insn.Dst} {Off(insn.Offset)}) = {insn.Imm}";
            case OpClass.Stx:
                if (insn.MemMode == MemMode.Atomic)
                    return $"lock *({insn.MemSize.CTypeName()} *)(r{insn.Dst} {Off(insn.Offset)}) atomic(0x{insn.Imm:x}) r{insn.Src}";
                return $"*({insn.MemSize.CTypeName()} *)(r{insn.Dst} {Off(insn.Offset)}) = r{insn.Src}";
            case OpClass.Ld:
                if (insn.MemMode == MemMode.Abs) return $"r0 = *({insn.MemSize.CTypeName()} *)skb[{insn.Imm}]";
                if (insn.MemMode == MemMode.Ind) return $"r0 = *({insn.MemSize.CTypeName()} *)skb[r{insn.Src} + {insn.Imm}]";
                if (insn.IsLoadImm64) return $"r{insn.Dst} = {insn.Imm} ll";
                break;
        }
        return $"(bad opcode 0x{insn.Opcode:x2})";
    }
}
