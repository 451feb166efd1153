namespace SeccompEbpf.Bpf.Elf;

/// <summary>One symbol table entry. <see cref="SectionIndex"/> is the raw st_shndx (0 = undefined).</summary>
public sealed record ElfSymbol(int Index, string Name, ulong Value, ulong Size, byte Type, byte Binding, int SectionIndex)
{
    public bool IsFunction => Type == ElfConstants.SymbolFunc;
    public bool IsSection => Type == ElfConstants.SymbolSection;
    public bool IsObject => Type == ElfConstants.SymbolObject;
    public bool IsGlobal => Binding is ElfConstants.BindGlobal or ElfConstants.BindWeak;
    public bool IsDefined => SectionIndex is > ElfConstants.SectionIndexUndefined and < ElfConstants.SectionIndexLoReserve;
}
