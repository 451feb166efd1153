namespace SeccompEbpf.Bpf.Elf;

/// <summary>A parsed ELF64 relocatable object: every section, the symbol table and the relocation tables.</summary>
public sealed class ElfFile
{
    internal ElfFile(byte[] data, IReadOnlyList<ElfSection> sections, IReadOnlyList<ElfSymbol> symbols,
        IReadOnlyList<ElfRelocationTable> relocationTables)
    {
        Data = data;
        Sections = sections;
        Symbols = symbols;
        RelocationTables = relocationTables;
    }

    public byte[] Data { get; }

    /// <summary>All sections by index; index 0 is the null section.</summary>
    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>All symbols by index; index 0 is the null symbol. Empty when the object has no symbol table.</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    public IReadOnlyList<ElfRelocationTable> RelocationTables { get; }

    public ElfSection? FindSection(string name) => Sections.FirstOrDefault(s => s.Name == name);

    public ElfSection? SectionAt(int index) => index > 0 && index < Sections.Count ? Sections[index] : null;

    /// <summary>The relocations that patch the given section (REL and RELA tables together).</summary>
    public IEnumerable<ElfRelocation> RelocationsFor(int sectionIndex) =>
        RelocationTables.Where(t => t.TargetSectionIndex == sectionIndex).SelectMany(t => t.Entries);
}
