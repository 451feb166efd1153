namespace SeccompEbpf.Bpf.Elf;

/// <summary>One REL/RELA entry: where (offset in the target section), what kind, against which symbol.</summary>
public sealed record ElfRelocation(ulong Offset, uint Type, int SymbolIndex, long Addend)
{
    public string TypeName => ElfConstants.RelocationName(Type);
}

/// <summary>A relocation table and the section it patches (sh_info).</summary>
public sealed record ElfRelocationTable(ElfSection Table, int TargetSectionIndex, IReadOnlyList<ElfRelocation> Entries);
