using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// Validity of single instructions. The encoding (opcodes the ISA defines, reserved fields zero,
/// registers in range) is the shared <see cref="InstructionValidator"/>'s, as for the engines and
/// the assembler; this class adds what the verifier refuses on top of a valid encoding (features
/// it does not model, constant division by zero, out-of-range shift counts, legacy packet loads
/// by program type) and names the rule each problem breaks.
/// </summary>
internal static class InstructionRules
{
    /// <summary>
    /// Null when the instruction is acceptable; else (rule, message). <paramref name="next"/> is
    /// the following slot (an lddw's second half); lddw pairs are checked by the caller first.
    /// </summary>
    public static (string Rule, string Message)? Check(Instruction insn, Instruction? next, bool legacyPacketLoadsAllowed)
    {
        if (insn.Dst > 10 || insn.Src > 10)
            return (VerifierRule.InvalidRegister, $"register r{Math.Max(insn.Dst, insn.Src)} does not exist (r0..r10 only)");
        if (insn.IsLegacyPacketLoad && insn.MemSize != MemSize.DW)
            return CheckLegacyPacketLoad(insn, legacyPacketLoadsAllowed);
        if (VerifierPolicy(insn) is { } refused) return refused;
        return InstructionValidator.Check(insn, next) is { } problem ? (RuleOf(problem), problem) : null;
    }

    /// <summary>Well-encoded instructions the verifier still refuses.</summary>
    private static (string, string)? VerifierPolicy(Instruction insn)
    {
        if (insn.Opcode == Opcodes.Callx) return (VerifierRule.Unsupported, "callx (indirect calls) is not supported");
        if (insn.Opcode == Opcodes.Call && insn.Src == CallSource.Kfunc)
            return (VerifierRule.Unsupported, "kernel function calls (kfuncs) are not supported");
        if (insn.Class is not (OpClass.Alu or OpClass.Alu64) || insn.UsesSrcRegister) return null;
        bool is64 = insn.Class == OpClass.Alu64;
        if (insn.AluOp is AluOp.Div or AluOp.Mod && insn.Imm == 0)
            return (VerifierRule.DivByZero, "division or modulo by the constant 0");
        if (insn.AluOp is AluOp.Lsh or AluOp.Rsh or AluOp.Arsh && (uint)insn.Imm >= (is64 ? 64u : 32u))
            return (VerifierRule.InvalidShift, $"shift by {insn.Imm} is out of range for a {(is64 ? 64 : 32)}-bit operation");
        return null;
    }

    private static (string, string)? CheckLegacyPacketLoad(Instruction insn, bool allowed)
    {
        if (!allowed)
            return (VerifierRule.LegacyPacketLoad, "legacy packet loads (LD_ABS/LD_IND) are not allowed for this program type; load from the context instead");
        if (insn.Dst != 0 || insn.Offset != 0 || (insn.MemMode == MemMode.Abs && insn.Src != 0))
            return (VerifierRule.ReservedFields, "BPF_LD_ABS/IND uses reserved fields");
        return null;
    }

    /// <summary>
    /// The validator says "unknown opcode ..." when no instruction has this opcode byte (or atomic
    /// operation); every other complaint is about a field the instruction does not use.
    /// </summary>
    private static string RuleOf(string problem) =>
        problem.StartsWith("unknown opcode", StringComparison.Ordinal) || problem.Contains("must name an atomic operation", StringComparison.Ordinal)
            ? VerifierRule.InvalidOpcode
            : VerifierRule.ReservedFields;
}
