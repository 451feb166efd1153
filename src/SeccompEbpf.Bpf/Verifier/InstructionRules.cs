using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// Field-level validity of single instructions (opcodes the ISA defines, reserved fields zero,
/// registers in range), with the kernel's strictness. Minimal local version; the assembler
/// helper's InstructionValidator may replace it.
/// </summary>
internal static class InstructionRules
{
    /// <summary>Null when the instruction is well formed; else (rule, message).</summary>
    public static (string Rule, string Message)? Check(Instruction insn, bool legacyPacketLoadsAllowed)
    {
        if (insn.Dst > 10 || insn.Src > 10)
            return (VerifierRule.InvalidRegister, $"register r{Math.Max(insn.Dst, insn.Src)} does not exist (r0..r10 only)");
        bool x = insn.UsesSrcRegister;
        switch (insn.Class)
        {
            case OpClass.Alu:
            case OpClass.Alu64:
                return CheckAlu(insn, x);
            case OpClass.Jmp:
            case OpClass.Jmp32:
                return CheckJump(insn, x);
            case OpClass.Ldx:
                if (insn.MemMode == MemMode.Mem || (insn.MemMode == MemMode.MemSx && insn.MemSize != MemSize.DW))
                    return insn.Imm != 0 ? Reserved("BPF_LDX: imm must be 0") : null;
                return Invalid(insn);
            case OpClass.St:
                if (insn.MemMode != MemMode.Mem) return Invalid(insn);
                return insn.Src != 0 ? Reserved("BPF_ST: src register must be 0") : null;
            case OpClass.Stx:
                if (insn.MemMode == MemMode.Mem) return insn.Imm != 0 ? Reserved("BPF_STX: imm must be 0") : null;
                if (insn.MemMode == MemMode.Atomic)
                {
                    if (insn.MemSize is not (MemSize.W or MemSize.DW)) return (VerifierRule.InvalidOpcode, "atomic operations are 32 or 64 bits wide only");
                    return AtomicOp.IsValid(insn.Imm) ? null : (VerifierRule.InvalidOpcode, $"unknown atomic operation 0x{insn.Imm:x}");
                }
                return Invalid(insn);
            case OpClass.Ld:
                if (insn.IsLoadImm64)
                    return insn.Offset != 0 ? Reserved("lddw: offset must be 0") : null;
                if (insn.IsLegacyPacketLoad && insn.MemSize != MemSize.DW)
                {
                    if (!legacyPacketLoadsAllowed)
                        return (VerifierRule.LegacyPacketLoad, "legacy packet loads (LD_ABS/LD_IND) are not allowed for this program type; load from the context instead");
                    if (insn.Dst != 0 || insn.Offset != 0 || (insn.MemMode == MemMode.Abs && insn.Src != 0))
                        return Reserved("BPF_LD_ABS/IND uses reserved fields");
                    return null;
                }
                return Invalid(insn);
        }
        return Invalid(insn);
    }

    private static (string, string) Invalid(Instruction insn) => (VerifierRule.InvalidOpcode, $"unknown opcode 0x{insn.Opcode:x2}");
    private static (string, string) Reserved(string what) => (VerifierRule.ReservedFields, what);

    private static (string, string)? CheckAlu(Instruction insn, bool x)
    {
        bool is64 = insn.Class == OpClass.Alu64;
        switch (insn.AluOp)
        {
            case AluOp.Neg:
                return x || insn.Src != 0 || insn.Offset != 0 || insn.Imm != 0 ? Reserved("neg: src, offset and imm must be 0") : null;
            case AluOp.End:
                if (insn.Src != 0 || insn.Offset != 0 || insn.Imm is not (16 or 32 or 64) || (is64 && x))
                    return Reserved("byte swap: width must be 16, 32 or 64 and other fields 0");
                return null;
            case AluOp.Mov:
                if (x) return insn.Imm != 0 || !(insn.Offset == 0 || insn.Offset is 8 or 16 || (is64 && insn.Offset == 32))
                    ? Reserved("mov: imm must be 0 and offset 0, 8, 16 (or 32 for 64-bit)") : null;
                return insn.Src != 0 || insn.Offset != 0 ? Reserved("mov imm: src and offset must be 0") : null;
            case AluOp.Add or AluOp.Sub or AluOp.Mul or AluOp.Div or AluOp.Or or AluOp.And
                or AluOp.Lsh or AluOp.Rsh or AluOp.Mod or AluOp.Xor or AluOp.Arsh:
                bool signedOk = insn.AluOp is AluOp.Div or AluOp.Mod;
                if (insn.Offset != 0 && !(insn.Offset == 1 && signedOk)) return Reserved("ALU: offset must be 0 (1 only for signed div/mod)");
                if (x ? insn.Imm != 0 : insn.Src != 0) return Reserved(x ? "ALU reg: imm must be 0" : "ALU imm: src must be 0");
                if (!x && insn.AluOp is AluOp.Div or AluOp.Mod && insn.Imm == 0)
                    return (VerifierRule.DivByZero, "division or modulo by the constant 0");
                if (!x && insn.AluOp is AluOp.Lsh or AluOp.Rsh or AluOp.Arsh && (uint)insn.Imm >= (is64 ? 64u : 32u))
                    return (VerifierRule.InvalidShift, $"shift by {insn.Imm} is out of range for a {(is64 ? 64 : 32)}-bit operation");
                return null;
        }
        return Invalid(insn);
    }

    private static (string, string)? CheckJump(Instruction insn, bool x)
    {
        bool is32 = insn.Class == OpClass.Jmp32;
        switch (insn.JmpOp)
        {
            case JmpOp.Ja:
                if (x || insn.Src != 0 || insn.Dst != 0) return Reserved("goto: registers must be 0");
                if (is32 ? insn.Offset != 0 : insn.Imm != 0) return Reserved(is32 ? "gotol: offset must be 0" : "goto: imm must be 0");
                return null;
            case JmpOp.Call:
                if (is32 || x) return x && !is32 ? (VerifierRule.Unsupported, "callx (indirect calls) is not supported") : Invalid(insn);
                if (insn.Dst != 0 || insn.Offset != 0) return Reserved("call: dst and offset must be 0");
                if (insn.Src == CallSource.Kfunc) return (VerifierRule.Unsupported, "kernel function calls (kfuncs) are not supported");
                if (insn.Src is not (CallSource.Helper or CallSource.Local)) return Reserved("call: src must be 0 (helper) or 1 (local function)");
                return null;
            case JmpOp.Exit:
                if (is32 || x || insn.Src != 0 || insn.Dst != 0 || insn.Imm != 0 || insn.Offset != 0)
                    return is32 ? Invalid(insn) : Reserved("exit: all fields must be 0");
                return null;
            case JmpOp.Jeq or JmpOp.Jgt or JmpOp.Jge or JmpOp.Jset or JmpOp.Jne or JmpOp.Jsgt or JmpOp.Jsge
                or JmpOp.Jlt or JmpOp.Jle or JmpOp.Jslt or JmpOp.Jsle:
                if (x ? insn.Imm != 0 : insn.Src != 0) return Reserved(x ? "conditional jump reg: imm must be 0" : "conditional jump imm: src must be 0");
                return null;
        }
        return Invalid(insn);
    }
}
