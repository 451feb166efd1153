using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Engine;

/// <summary>
/// Structural checks every engine makes before running a program (the verifier goes much further):
/// the encoding of every slot (<see cref="InstructionValidator"/>), jump and call targets inside the program and never into the second slot of an lddw, lddw
/// pseudo forms that name existing maps, helpers that exist, no legacy packet loads, a last
/// instruction that cannot fall off the end, and no register read before it is written.
/// </summary>
public static class ProgramChecks
{
    public static BpfError? Validate(BpfProgram program)
    {
        var code = program.Instructions;
        int n = code.Length;
        if (n == 0) return new BpfError("the program has no instructions");
        // Encoding first (opcodes, registers, unused fields), so that what follows can trust the fields.
        foreach (var encodingError in InstructionValidator.FindErrors(code))
            return encodingError;

        var secondSlot = new bool[n];
        for (int i = 0; i < n; i++)
        {
            if (!code[i].IsLoadImm64) continue;
            if (i + 1 >= n) return BpfError.At(i, "lddw needs two slots but is the last instruction");
            secondSlot[i + 1] = true;
            i++;
        }

        for (int i = 0; i < n; i++)
        {
            var insn = code[i];
            if (secondSlot[i]) continue;
            if (CheckRegisters(insn, i) is { } badRegister) return badRegister;
            var error = insn.IsLoadImm64 ? CheckLoadImm64(program, i, secondSlot)
                : insn.IsLegacyPacketLoad ? BpfError.At(i, "legacy packet loads (LD_ABS/LD_IND) are not supported")
                : insn.IsJump ? CheckJump(program, i, secondSlot)
                : null;
            if (error is not null) return error;
        }

        var last = code[n - 1];
        bool lastIsLddwTail = secondSlot[n - 1];
        if (lastIsLddwTail || !(last.IsExit || last.Opcode is Opcodes.Ja or Opcodes.Ja32))
            return BpfError.At(n - 1, "the last instruction is not exit or an unconditional jump: the program could fall off the end");
        return RegisterInitializationCheck.Validate(program, secondSlot);
    }

    private static BpfError? CheckRegisters(Instruction insn, int i)
    {
        if (insn.Dst > 10) return BpfError.At(i, $"register r{insn.Dst} does not exist (r0..r10)");
        // In lddw and call the src field is not a register but a pseudo source, checked separately.
        if (insn.Src > 10 && !insn.IsLoadImm64 && !insn.IsCall)
            return BpfError.At(i, $"register r{insn.Src} does not exist (r0..r10)");
        return null;
    }

    private static BpfError? CheckLoadImm64(BpfProgram program, int i, bool[] secondSlot)
    {
        var insn = program.Instructions[i];
        var next = program.Instructions[i + 1];
        switch (insn.Src)
        {
            case LoadImmSource.Imm64:
                return null;
            case LoadImmSource.MapFd or LoadImmSource.MapIdx:
                return CheckMapIndex(program, i, insn.Imm);
            case LoadImmSource.MapValue or LoadImmSource.MapIdxValue:
                {
                    if (CheckMapIndex(program, i, insn.Imm) is { } error) return error;
                    var map = program.Maps[insn.Imm];
                    if (map.DirectValueAddress == 0)
                        return BpfError.At(i, $"lddw map value: map '{map.Name}' ({map.Type}) has no directly addressable value (only array maps do)");
                    if ((uint)next.Imm >= map.ValueSize)
                        return BpfError.At(i, $"lddw map value: offset {next.Imm} is outside the {map.ValueSize}-byte value of map '{map.Name}'");
                    return null;
                }
            case LoadImmSource.Func:
                return CheckTarget(program, i, (long)i + 1 + insn.Imm, secondSlot, "function address");
            case LoadImmSource.BtfId:
                return BpfError.At(i, "lddw with a BTF id (src=3) refers to kernel objects and is not supported");
            default:
                return BpfError.At(i, $"lddw with unknown source {insn.Src}");
        }
    }

    private static BpfError? CheckMapIndex(BpfProgram program, int i, int index) =>
        (uint)index < (uint)program.Maps.Count
            ? null
            : BpfError.At(i, $"lddw refers to map index {index} but the program has {program.Maps.Count} map(s)");

    private static BpfError? CheckJump(BpfProgram program, int i, bool[] secondSlot)
    {
        var insn = program.Instructions[i];
        if (insn.IsExit || insn.IsCallx) return null;
        if (insn.IsCall)
        {
            return insn.Src switch
            {
                CallSource.Helper => program.Helpers.Find(insn.Imm) is null
                    ? BpfError.At(i, $"call to helper #{insn.Imm}, which this program may not use (available: {HelperList(program)})")
                    : null,
                CallSource.Local => CheckTarget(program, i, (long)i + 1 + insn.Imm, secondSlot, "call"),
                CallSource.Kfunc => BpfError.At(i, "calls to kernel functions (kfuncs) are not supported"),
                _ => BpfError.At(i, $"call with unknown source {insn.Src}"),
            };
        }
        long offset = insn.Opcode == Opcodes.Ja32 ? insn.Imm : insn.Offset;
        return CheckTarget(program, i, i + 1 + offset, secondSlot, "jump");
    }

    private static BpfError? CheckTarget(BpfProgram program, int i, long target, bool[] secondSlot, string what)
    {
        int n = program.Instructions.Length;
        if (target < 0 || target >= n)
            return BpfError.At(i, $"{what} target {target} is outside the program (0..{n - 1})");
        if (secondSlot[target])
            return BpfError.At(i, $"{what} target {target} is the second slot of the lddw at {target - 1}");
        return null;
    }

    private static string HelperList(BpfProgram program)
    {
        var ids = program.Helpers.All.Select(h => h.Id).ToList();
        return ids.Count == 0 ? "none" : string.Join(", ", ids);
    }
}
