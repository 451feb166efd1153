using SeccompEbpf.Bpf;
using SeccompEbpf.Model;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Classic;

/// <summary>
/// The checks Linux applies to a classic filter given to seccomp(SECCOMP_SET_MODE_FILTER), in the
/// kernel's order: the length, the generic classic checker (known opcodes, constant division by
/// zero, shift amounts, scratch indices, jump targets, final return, scratch memory written before
/// it is read on every path) and then seccomp's own whitelist (only aligned 32-bit loads of
/// seccomp_data, no packet access). Every failure is EINVAL in the kernel; here it is an error
/// naming the instruction.
/// </summary>
public static class ClassicChecker
{
    /// <summary>Checks <paramref name="program"/> and returns it as a <see cref="ClassicProgram"/>, or the first error the kernel would hit.</summary>
    public static BpfResult<ClassicProgram> Check(IReadOnlyList<ClassicInstruction> program)
    {
        var copy = program.ToArray();
        return Validate(copy) is { } error ? error : new ClassicProgram(copy);
    }

    /// <summary>The first reason the kernel would refuse <paramref name="program"/>, or null when it would accept it.</summary>
    public static BpfError? Validate(ReadOnlySpan<ClassicInstruction> program)
    {
        if (program.Length == 0)
            return new BpfError("empty filter: seccomp needs 1 to 4096 instructions");
        if (program.Length > ClassicInstruction.MaxInstructions)
            return new BpfError($"filter has {program.Length} instructions; seccomp allows at most {ClassicInstruction.MaxInstructions}");

        for (int pc = 0; pc < program.Length; pc++)
        {
            if (CheckGeneric(program, pc) is { } error)
                return error;
        }

        var last = program[^1];
        if (!IsReturn(last.Code))
            return BpfError.At(program.Length - 1, $"the last instruction must be a return (ret #k or ret a), found opcode 0x{last.Code:x2}");

        if (CheckScratchReadsAfterWrites(program) is { } scratchError)
            return scratchError;

        for (int pc = 0; pc < program.Length; pc++)
        {
            if (CheckSeccompWhitelist(program[pc], pc) is { } error)
                return error;
        }
        return null;
    }

    private static bool IsKnownClassicOpcode(ushort code) => code is
        LdImm or LdAbsW or LdAbsH or LdAbsB or LdIndW or LdIndH or LdIndB or LdMem or LdLen or
        LdxImm or LdxMem or LdxLen or LdxMshB or St or Stx or
        AddK or AddX or SubK or SubX or MulK or MulX or DivK or DivX or OrK or OrX or AndK or AndX or
        LshK or LshX or RshK or RshX or Neg or ModK or ModX or XorK or XorX or
        Ja or JeqK or JeqX or JgtK or JgtX or JgeK or JgeX or JsetK or JsetX or
        RetK or RetA or Tax or Txa;

    // net/core/filter.c bpf_check_classic: per-instruction rules.
    private static BpfError? CheckGeneric(ReadOnlySpan<ClassicInstruction> program, int pc)
    {
        var ins = program[pc];
        if (!IsKnownClassicOpcode(ins.Code))
            return BpfError.At(pc, $"unknown classic BPF opcode 0x{ins.Code:x2}");

        switch (ins.Code)
        {
            case DivK or ModK when ins.K == 0:
                return BpfError.At(pc, "division by the constant 0");
            case LshK or RshK when ins.K >= 32:
                return BpfError.At(pc, $"shift by {ins.K}: constant shifts must be below 32");
            case LdMem or LdxMem or St or Stx when ins.K >= ClassicInstruction.ScratchWords:
                return BpfError.At(pc, $"scratch memory index M[{ins.K}] out of range: there are {ClassicInstruction.ScratchWords} words (M[0]..M[15])");
            case Ja when ins.K >= (uint)(program.Length - pc - 1):
                return BpfError.At(pc, $"jump by {ins.K} goes past the last instruction (at most {program.Length - pc - 2} here)");
            case var code when IsConditionalJump(code):
                int last = program.Length - 1;
                if (pc + ins.Jt + 1 > last)
                    return BpfError.At(pc, $"true branch (jt {ins.Jt}) goes past the last instruction (at most {last - pc - 1} here)");
                if (pc + ins.Jf + 1 > last)
                    return BpfError.At(pc, $"false branch (jf {ins.Jf}) goes past the last instruction (at most {last - pc - 1} here)");
                break;
        }
        return null;
    }

    /// <summary>
    /// The kernel's check_load_and_stores: one linear pass that tracks which scratch words are
    /// certainly written. A jump merges its knowledge into its targets and resets the fall-through
    /// state to "everything"; an instruction after a return inherits the state before the return,
    /// exactly as the kernel does.
    /// </summary>
    private static BpfError? CheckScratchReadsAfterWrites(ReadOnlySpan<ClassicInstruction> program)
    {
        const ushort all = 0xffff;
        var valid = new ushort[program.Length];
        Array.Fill(valid, all);
        ushort written = 0;
        for (int pc = 0; pc < program.Length; pc++)
        {
            var ins = program[pc];
            written &= valid[pc];
            switch (ins.Code)
            {
                case St or Stx:
                    written |= (ushort)(1 << (int)ins.K);
                    break;
                case LdMem or LdxMem when (written & (1 << (int)ins.K)) == 0:
                    return BpfError.At(pc, $"M[{ins.K}] may be read before it is written on some path");
                case Ja:
                    valid[pc + 1 + (int)ins.K] &= written;
                    written = all;
                    break;
                case var code when IsConditionalJump(code):
                    valid[pc + 1 + ins.Jt] &= written;
                    valid[pc + 1 + ins.Jf] &= written;
                    written = all;
                    break;
            }
        }
        return null;
    }

    // kernel/seccomp.c seccomp_check_filter: what seccomp accepts on top of the generic checks.
    private static BpfError? CheckSeccompWhitelist(ClassicInstruction ins, int pc)
    {
        switch (ins.Code)
        {
            case LdAbsW:
                if (ins.K >= SeccompData.Size || (ins.K & 3) != 0)
                    return BpfError.At(pc, $"ld [{ins.K}]: seccomp loads must be 32-bit aligned offsets below {SeccompData.Size} into seccomp_data");
                return null;
            case LdAbsH or LdAbsB or LdIndW or LdIndH or LdIndB or LdxMshB:
                return BpfError.At(pc, $"opcode 0x{ins.Code:x2} is a packet load; seccomp allows only 32-bit ld [k] of seccomp_data");
            case ModK or ModX:
                return BpfError.At(pc, "the modulo instruction is not allowed in seccomp filters");
            default:
                return null;
        }
    }
}
