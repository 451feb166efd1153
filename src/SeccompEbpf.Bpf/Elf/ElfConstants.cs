namespace SeccompEbpf.Bpf.Elf;

/// <summary>The ELF64 numbers a BPF relocatable object uses (System V gABI; LLVM's BPF backend).</summary>
public static class ElfConstants
{
    /// <summary>The first four bytes of every ELF file.</summary>
    public static ReadOnlySpan<byte> Magic => [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>True when <paramref name="bytes"/> start like an ELF file (what readers of several formats test first).</summary>
    public static bool StartsWithMagic(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Magic);

    public const int HeaderSize = 64;
    public const int SectionHeaderSize = 64;
    public const int SymbolSize = 24;
    public const int RelSize = 16;
    public const int RelaSize = 24;

    public const byte ClassElf64 = 2;
    public const byte DataLittleEndian = 1;
    public const ushort TypeRelocatable = 1;
    public const ushort MachineBpf = 247;

    public const uint SectionNull = 0;
    public const uint SectionProgBits = 1;
    public const uint SectionSymTab = 2;
    public const uint SectionStrTab = 3;
    public const uint SectionRela = 4;
    public const uint SectionNoBits = 8;
    public const uint SectionRel = 9;

    public const ulong FlagWrite = 0x1;
    public const ulong FlagAlloc = 0x2;
    public const ulong FlagExecInstr = 0x4;

    public const ushort SectionIndexUndefined = 0;
    public const ushort SectionIndexLoReserve = 0xff00;
    public const ushort SectionIndexAbs = 0xfff1;
    public const ushort SectionIndexCommon = 0xfff2;
    public const ushort SectionIndexXIndex = 0xffff;

    public const byte SymbolNoType = 0;
    public const byte SymbolObject = 1;
    public const byte SymbolFunc = 2;
    public const byte SymbolSection = 3;
    public const byte SymbolFile = 4;

    public const byte BindLocal = 0;
    public const byte BindGlobal = 1;
    public const byte BindWeak = 2;

    /// <summary>BPF relocation types (llvm/BinaryFormat/ELFRelocs/BPF.def).</summary>
    public const uint RelocNone = 0;
    public const uint Reloc64_64 = 1;
    public const uint Reloc64Abs64 = 2;
    public const uint Reloc64Abs32 = 3;
    public const uint Reloc64NoDyld32 = 4;
    public const uint Reloc64_32 = 10;

    public static string RelocationName(uint type) => type switch
    {
        RelocNone => "R_BPF_NONE",
        Reloc64_64 => "R_BPF_64_64",
        Reloc64Abs64 => "R_BPF_64_ABS64",
        Reloc64Abs32 => "R_BPF_64_ABS32",
        Reloc64NoDyld32 => "R_BPF_64_NODYLD32",
        Reloc64_32 => "R_BPF_64_32",
        _ => $"R_BPF_unknown({type})",
    };

    public static string SectionTypeName(uint type) => type switch
    {
        SectionNull => "NULL",
        SectionProgBits => "PROGBITS",
        SectionSymTab => "SYMTAB",
        SectionStrTab => "STRTAB",
        SectionRela => "RELA",
        SectionNoBits => "NOBITS",
        SectionRel => "REL",
        0x6fff4c03 => "LLVM_ADDRSIG",
        _ => $"0x{type:x}",
    };
}
