using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Elf;

/// <summary>
/// Applies an executable section's relocations the way libbpf does:
/// R_BPF_64_64 on an lddw of a map becomes src=MapIdx, imm=map index; on an lddw of global
/// data it becomes src=MapIdxValue, imm=map index, and the second slot's imm the offset
/// (symbol value + the addend clang left in the first slot's imm). R_BPF_64_32 on a
/// bpf-to-bpf call records its target in .text (symbol value / 8 + imm + 1) for the linker;
/// R_BPF_64_64 on an lddw of a .text function (a callback for bpf_loop and friends) becomes
/// src=Func and records its target (symbol value + imm, in bytes) the same way.
/// Errors name the section and its instruction, which may differ from the program's numbering.
/// </summary>
internal static class CodeRelocator
{
    public static BpfError? Apply(ElfFile elf, CodeSection code, ObjectMapTable maps, int textSectionIndex)
    {
        var insns = code.Instructions;
        foreach (var r in elf.RelocationsFor(code.Section.Index))
        {
            if (r.Type == ElfConstants.RelocNone) continue;
            if (r.Offset % Instruction.Size != 0 || r.Offset / Instruction.Size >= (ulong)insns.Length)
                return new BpfError($"{code.Name}: relocation {r.TypeName} at byte {r.Offset} is not on an instruction of this section");
            int index = (int)(r.Offset / Instruction.Size);
            var sym = elf.Symbols[r.SymbolIndex];
            string at = $"{code.Name}, instruction {index}: {r.TypeName} against '{sym.Name}'";

            switch (r.Type)
            {
                case ElfConstants.Reloc64_64:
                {
                    var error = RelocateLoad(elf, code, index, sym, r.Addend, maps, textSectionIndex, at);
                    if (error is not null) return error;
                    break;
                }
                case ElfConstants.Reloc64_32:
                {
                    var insn = insns[index];
                    if (!insn.IsLocalCall)
                        return new BpfError($"{at}: expected a bpf-to-bpf call (call with src=1), found {insn}");
                    if (!sym.IsDefined || sym.SectionIndex != textSectionIndex)
                        return new BpfError($"{at}: calls must go to functions in .text (kernel functions and externs are not supported)");
                    if (sym.Value % Instruction.Size != 0)
                        return new BpfError($"{at}: symbol value {sym.Value} is not instruction-aligned");
                    long target = (long)(sym.Value / Instruction.Size) + insn.Imm + 1;
                    code.CallTargets[index] = (int)Math.Clamp(target, -1, int.MaxValue);
                    break;
                }
                case ElfConstants.Reloc64Abs64 or ElfConstants.Reloc64Abs32 or ElfConstants.Reloc64NoDyld32:
                    return new BpfError($"{at}: a data relocation in code; clang emits these only in data and debug sections");
                default:
                    return new BpfError($"{at}: unsupported relocation type {r.Type}");
            }
        }
        return null;
    }

    /// <param name="addend">the RELA addend (0 for REL, where clang leaves it in the first slot's imm).</param>
    private static BpfError? RelocateLoad(ElfFile elf, CodeSection code, int index, ElfSymbol sym, long addend, ObjectMapTable maps,
        int textSectionIndex, string at)
    {
        var insns = code.Instructions;
        var insn = insns[index];
        if (!insn.IsLoadImm64 || index + 1 >= insns.Length)
            return new BpfError($"{at}: expected a 64-bit immediate load (lddw), found {insn}");
        if (!sym.IsDefined)
            return new BpfError($"{at}: '{sym.Name}' is not defined in this object (extern, kconfig and ksym variables are not supported)");
        var section = elf.SectionAt(sym.SectionIndex)!;

        int dataMap = maps.FindDataMap(sym.SectionIndex);
        if (dataMap >= 0)
        {
            long offset = insn.Imm + (long)Math.Min(sym.Value, int.MaxValue) + Math.Clamp(addend, int.MinValue, int.MaxValue);
            if (offset < 0 || offset > int.MaxValue)
                return new BpfError($"{at}: offset {offset} into {section.Name} is out of range");
            insns[index] = insn with { Src = LoadImmSource.MapIdxValue, Imm = dataMap };
            insns[index + 1] = insns[index + 1] with { Imm = (int)offset };
            return null;
        }
        if (maps.IsMapDefinitionSection(section))
        {
            ulong offset = sym.Value + (sym.IsSection ? (ulong)(uint)insn.Imm : 0) + (ulong)addend;
            int map = maps.FindDefinedMap(sym.SectionIndex, offset);
            if (map < 0)
                return new BpfError($"{at}: no map is defined at offset {offset} of {section.Name}");
            insns[index] = insn with { Src = LoadImmSource.MapIdx, Imm = map };
            insns[index + 1] = insns[index + 1] with { Imm = 0 };
            return null;
        }
        if (section.IsExecutable)
        {
            if (sym.SectionIndex != textSectionIndex)
                return new BpfError($"{at}: a callback must be a function in .text, not in {section.Name}");
            long bytes = (long)Math.Min(sym.Value, int.MaxValue) + insn.Imm + Math.Clamp(addend, int.MinValue, int.MaxValue);
            if (bytes < 0 || bytes % Instruction.Size != 0)
                return new BpfError($"{at}: function address {bytes} is not an instruction of .text");
            insns[index] = insn with { Src = LoadImmSource.Func, Imm = 0 };
            code.CallTargets[index] = (int)Math.Min(bytes / Instruction.Size, int.MaxValue);
            return null;
        }
        return new BpfError($"{at}: the symbol is in section {section.Name}, which is neither a map definition nor global data");
    }
}
