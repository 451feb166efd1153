using System.Buffers.Binary;
using System.Text;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Elf.Writer;

/// <summary>
/// Writes one eBPF program as an ELF64 little-endian relocatable object (EM_BPF), the shape clang
/// produces for a single function without BTF: the program's section, a "license" section, and a
/// symbol table naming the program (FUNC) and the license (OBJECT). Our <see cref="BpfObjectLoader"/>
/// and llvm-objdump both read it. Programs that need relocations (map references, calls to other
/// functions) are outside this writer's job: every instruction is written as given.
/// </summary>
public static class BpfObjectWriter
{
    // Section header indices, in file order.
    private const int ProgramIndex = 1, LicenseIndex = 2, StrTabIndex = 3, SymTabIndex = 4, ShStrTabIndex = 5, SectionCount = 6;

    public static BpfResult<byte[]> Write(IReadOnlyList<Instruction> program, string sectionName, string functionName, string license = "GPL")
    {
        if (program.Count == 0) return new BpfError("the program is empty: nothing to write");
        if (string.IsNullOrEmpty(sectionName) || sectionName.Contains('\0'))
            return new BpfError($"section name '{sectionName}' must be non-empty and without NUL");
        if (string.IsNullOrEmpty(functionName) || functionName.Contains('\0'))
            return new BpfError($"function name '{functionName}' must be non-empty and without NUL");
        if (license.Contains('\0')) return new BpfError("the license must not contain NUL");

        var code = InstructionCodec.EncodeProgram(program);
        var licenseBytes = Encoding.ASCII.GetBytes(license + "\0");
        var strtab = new ElfStringTable();
        var symbols = BuildSymbols(strtab, functionName, (ulong)code.Length, (ulong)licenseBytes.Length);
        var shstrtab = new ElfStringTable();
        var sections = new[]
        {
            new Section(shstrtab.Add(sectionName), ElfConstants.SectionProgBits, ElfConstants.FlagAlloc | ElfConstants.FlagExecInstr, code, 8),
            new Section(shstrtab.Add(BpfObjectLoader.LicenseSection), ElfConstants.SectionProgBits, ElfConstants.FlagAlloc | ElfConstants.FlagWrite, licenseBytes, 1),
            new Section(shstrtab.Add(".strtab"), ElfConstants.SectionStrTab, 0, strtab.ToArray(), 1),
            // sh_link: its string table; sh_info: index of the first non-local symbol (all after the null one are global).
            new Section(shstrtab.Add(".symtab"), ElfConstants.SectionSymTab, 0, symbols, 8, Link: StrTabIndex, Info: 1, EntrySize: ElfConstants.SymbolSize),
            new Section(shstrtab.Add(".shstrtab"), ElfConstants.SectionStrTab, 0, [], 1),
        };
        sections[^1] = sections[^1] with { Data = shstrtab.ToArray() };
        return Layout(sections);
    }

    private static byte[] BuildSymbols(ElfStringTable strtab, string functionName, ulong codeSize, ulong licenseSize)
    {
        var symbols = new byte[3 * ElfConstants.SymbolSize]; // null, program, license
        WriteSymbol(symbols.AsSpan(ElfConstants.SymbolSize), strtab.Add(functionName), ElfConstants.SymbolFunc, ProgramIndex, codeSize);
        WriteSymbol(symbols.AsSpan(2 * ElfConstants.SymbolSize), strtab.Add("_license"), ElfConstants.SymbolObject, LicenseIndex, licenseSize);
        return symbols;
    }

    private static void WriteSymbol(Span<byte> s, uint name, byte type, ushort section, ulong size)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(s, name);
        s[4] = (byte)((ElfConstants.BindGlobal << 4) | type);
        s[5] = 0; // STV_DEFAULT
        BinaryPrimitives.WriteUInt16LittleEndian(s[6..], section);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], 0);      // value: offset in its section
        BinaryPrimitives.WriteUInt64LittleEndian(s[16..], size);
    }

    private sealed record Section(uint Name, uint Type, ulong Flags, byte[] Data, ulong Align,
        uint Link = 0, uint Info = 0, ulong EntrySize = 0);

    /// <summary>ELF header, then each section's bytes (aligned), then the section header table.</summary>
    private static byte[] Layout(Section[] sections)
    {
        var offsets = new ulong[sections.Length];
        ulong position = ElfConstants.HeaderSize;
        for (int i = 0; i < sections.Length; i++)
        {
            position = Align(position, sections[i].Align);
            offsets[i] = position;
            position += (ulong)sections[i].Data.Length;
        }
        ulong headersOffset = Align(position, 8);
        var file = new byte[headersOffset + SectionCount * ElfConstants.SectionHeaderSize];
        WriteElfHeader(file, headersOffset);
        for (int i = 0; i < sections.Length; i++)
        {
            sections[i].Data.CopyTo(file, (int)offsets[i]);
            // Header 0 is the null section; ours start at 1.
            WriteSectionHeader(file.AsSpan((int)headersOffset + (i + 1) * ElfConstants.SectionHeaderSize), sections[i], offsets[i]);
        }
        return file;
    }

    private static ulong Align(ulong value, ulong alignment) => (value + alignment - 1) / alignment * alignment;

    private static void WriteElfHeader(Span<byte> h, ulong sectionHeadersOffset)
    {
        ElfConstants.Magic.CopyTo(h);
        h[4] = ElfConstants.ClassElf64;
        h[5] = ElfConstants.DataLittleEndian;
        h[6] = 1; // EV_CURRENT; OS ABI 0 (System V) and padding stay zero
        BinaryPrimitives.WriteUInt16LittleEndian(h[16..], ElfConstants.TypeRelocatable);
        BinaryPrimitives.WriteUInt16LittleEndian(h[18..], ElfConstants.MachineBpf);
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(h[40..], sectionHeadersOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(h[52..], ElfConstants.HeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[58..], ElfConstants.SectionHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[60..], SectionCount);
        BinaryPrimitives.WriteUInt16LittleEndian(h[62..], ShStrTabIndex);
    }

    private static void WriteSectionHeader(Span<byte> s, Section section, ulong offset)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(s, section.Name);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], section.Type);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], section.Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(s[16..], 0); // address: relocatable objects have none
        BinaryPrimitives.WriteUInt64LittleEndian(s[24..], offset);
        BinaryPrimitives.WriteUInt64LittleEndian(s[32..], (ulong)section.Data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(s[40..], section.Link);
        BinaryPrimitives.WriteUInt32LittleEndian(s[44..], section.Info);
        BinaryPrimitives.WriteUInt64LittleEndian(s[48..], section.Align);
        BinaryPrimitives.WriteUInt64LittleEndian(s[56..], section.EntrySize);
    }
}
