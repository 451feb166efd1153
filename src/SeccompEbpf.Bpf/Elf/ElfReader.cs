using System.Buffers.Binary;
using System.Text;

namespace SeccompEbpf.Bpf.Elf;

/// <summary>
/// Reads ELF64 little-endian relocatable objects for EM_BPF.
/// </summary>
/// <remarks>
/// Written here rather than taken from LibObjectFile/ELFSharp: a BPF object needs only the
/// section table, one symbol table and REL tables (≈200 lines), and this loader must turn every
/// malformed input into an error value that names the broken header or entry. The libraries
/// throw assorted exceptions (or follow counts without bounds) on corrupt headers, which would
/// leave us catching everything and guessing what went wrong. Every count read here is checked
/// against the file size before it drives a loop, so no input can hang or overrun the reader.
/// </remarks>
public static class ElfReader
{
    public static BpfResult<ElfFile> Read(byte[] data)
    {
        var header = ReadHeader(data);
        if (!header.IsOk) return header.Error!;
        var (shoff, shnum, shstrndx) = header.Value;

        var sections = ReadSectionHeaders(data, shoff, shnum, shstrndx);
        if (!sections.IsOk) return sections.Error!;

        var symbols = ReadSymbols(data, sections.Value);
        if (!symbols.IsOk) return symbols.Error!;

        var relocations = ReadRelocationTables(data, sections.Value, symbols.Value.Count);
        if (!relocations.IsOk) return relocations.Error!;

        return new ElfFile(data, sections.Value, symbols.Value, relocations.Value);
    }

    private static BpfResult<(ulong ShOff, int ShNum, int ShStrNdx)> ReadHeader(byte[] data)
    {
        if (data.Length < ElfConstants.HeaderSize)
            return Fail($"file is {data.Length} bytes, too short for an ELF header ({ElfConstants.HeaderSize} bytes)");
        if (!ElfConstants.StartsWithMagic(data))
            return Fail("not an ELF file (bad magic number); expected an object from `clang -target bpf -c`");
        if (data[4] != ElfConstants.ClassElf64)
            return Fail($"ELF class {data[4]} is not ELFCLASS64; BPF objects are 64-bit");
        if (data[5] != ElfConstants.DataLittleEndian)
            return Fail(data[5] == 2
                ? "big-endian ELF (ELFDATA2MSB) is not supported; compile with -target bpfel or -target bpf on a little-endian host"
                : $"unknown ELF data encoding {data[5]}");
        var span = data.AsSpan();
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(span[16..]);
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(span[18..]);
        if (machine != ElfConstants.MachineBpf)
            return Fail($"ELF machine {machine} is not EM_BPF ({ElfConstants.MachineBpf}); compile with `clang -target bpf`");
        if (type != ElfConstants.TypeRelocatable)
            return Fail($"ELF type {type} is not a relocatable object (ET_REL); pass the .o produced by `clang -c`");
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(span[40..]);
        ushort shentsize = BinaryPrimitives.ReadUInt16LittleEndian(span[58..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(span[60..]);
        int shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(span[62..]);
        if (shentsize != ElfConstants.SectionHeaderSize)
            return Fail($"section header entry size is {shentsize}, expected {ElfConstants.SectionHeaderSize}");
        if (shoff == 0 || !FitsIn(data, shoff, ElfConstants.SectionHeaderSize))
            return Fail($"section header table offset 0x{shoff:x} lies outside the file ({data.Length} bytes)");

        // With 0xff00 or more sections, e_shnum is 0 and section 0's sh_size holds the count;
        // likewise e_shstrndx = SHN_XINDEX moves the index to section 0's sh_link.
        var first = span.Slice((int)shoff, ElfConstants.SectionHeaderSize);
        if (shnum == 0)
        {
            ulong extended = BinaryPrimitives.ReadUInt64LittleEndian(first[32..]);
            if (extended > (ulong)data.Length / ElfConstants.SectionHeaderSize)
                return Fail($"extended section count {extended} cannot fit in a {data.Length}-byte file");
            shnum = (int)extended;
        }
        if (shstrndx == ElfConstants.SectionIndexXIndex)
            shstrndx = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(first[40..]), int.MaxValue);
        if (shnum == 0)
            return Fail("the object has no sections");
        if (!FitsIn(data, shoff, (ulong)shnum * ElfConstants.SectionHeaderSize))
            return Fail($"section header table ({shnum} entries at 0x{shoff:x}) runs past the end of the file ({data.Length} bytes)");
        if (shstrndx <= 0 || shstrndx >= shnum)
            return Fail($"section name table index {shstrndx} is not a section (there are {shnum})");
        return (shoff, shnum, shstrndx);
    }

    private static BpfResult<IReadOnlyList<ElfSection>> ReadSectionHeaders(byte[] data, ulong shoff, int shnum, int shstrndx)
    {
        var raw = new RawSection[shnum];
        for (int i = 0; i < shnum; i++)
        {
            var h = data.AsSpan((int)shoff + i * ElfConstants.SectionHeaderSize, ElfConstants.SectionHeaderSize);
            raw[i] = new RawSection(
                BinaryPrimitives.ReadUInt32LittleEndian(h),
                BinaryPrimitives.ReadUInt32LittleEndian(h[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[24..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[32..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[40..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[44..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[48..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[56..]));
            if (i > 0 && raw[i].Type != ElfConstants.SectionNoBits && raw[i].Type != ElfConstants.SectionNull
                && !FitsIn(data, raw[i].Offset, raw[i].Size))
                return Fail($"section {i}: contents (offset 0x{raw[i].Offset:x}, size {raw[i].Size}) run past the end of the file ({data.Length} bytes)");
        }

        var names = raw[shstrndx];
        if (names.Type != ElfConstants.SectionStrTab)
            return Fail($"section name table (section {shstrndx}) is not a string table");
        var nameTable = data.AsMemory((int)names.Offset, (int)names.Size);

        var sections = new ElfSection[shnum];
        for (int i = 0; i < shnum; i++)
        {
            var r = raw[i];
            var name = i == 0 ? "" : ReadString(nameTable.Span, r.NameOffset);
            if (name is null)
                return Fail($"section {i}: name offset {r.NameOffset} is outside the section name table or not terminated");
            var contents = i == 0 || r.Type is ElfConstants.SectionNoBits or ElfConstants.SectionNull
                ? ReadOnlyMemory<byte>.Empty
                : data.AsMemory((int)r.Offset, (int)r.Size);
            sections[i] = new ElfSection(i, name, r.Type, r.Flags, r.Offset, r.Size, r.Link, r.Info, r.Align, r.EntSize, contents);
        }
        return sections;
    }

    private static BpfResult<IReadOnlyList<ElfSymbol>> ReadSymbols(byte[] data, IReadOnlyList<ElfSection> sections)
    {
        var symtabs = sections.Where(s => s.Type == ElfConstants.SectionSymTab).ToList();
        if (symtabs.Count == 0) return Array.Empty<ElfSymbol>();
        if (symtabs.Count > 1)
            return Fail($"the object has {symtabs.Count} symbol tables; a relocatable object has one");
        var symtab = symtabs[0];
        if (symtab.Size % ElfConstants.SymbolSize != 0)
            return Fail($"symbol table {symtab.Name}: size {symtab.Size} is not a multiple of {ElfConstants.SymbolSize}");
        if (symtab.Link == 0 || symtab.Link >= sections.Count || sections[(int)symtab.Link].Type != ElfConstants.SectionStrTab)
            return Fail($"symbol table {symtab.Name}: linked string table {symtab.Link} is not a string table");
        var strings = sections[(int)symtab.Link].Contents.Span;

        int count = (int)(symtab.Size / ElfConstants.SymbolSize);
        var symbols = new ElfSymbol[count];
        var span = symtab.Contents.Span;
        for (int i = 0; i < count; i++)
        {
            var e = span.Slice(i * ElfConstants.SymbolSize, ElfConstants.SymbolSize);
            uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(e);
            byte info = e[4];
            int shndx = BinaryPrimitives.ReadUInt16LittleEndian(e[6..]);
            ulong value = BinaryPrimitives.ReadUInt64LittleEndian(e[8..]);
            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(e[16..]);
            var name = ReadString(strings, nameOffset);
            if (name is null)
                return Fail($"symbol {i}: name offset {nameOffset} is outside the string table or not terminated");
            byte type = (byte)(info & 0xf);
            if (type == ElfConstants.SymbolSection && name.Length == 0 && shndx > 0 && shndx < sections.Count)
                name = sections[shndx].Name;
            if (shndx is > 0 and < ElfConstants.SectionIndexLoReserve && shndx >= sections.Count)
                return Fail($"symbol {i} ({name}): section index {shndx} does not exist (there are {sections.Count})");
            symbols[i] = new ElfSymbol(i, name, value, size, type, (byte)(info >> 4), shndx);
        }
        return symbols;
    }

    private static BpfResult<IReadOnlyList<ElfRelocationTable>> ReadRelocationTables(
        byte[] data, IReadOnlyList<ElfSection> sections, int symbolCount)
    {
        var tables = new List<ElfRelocationTable>();
        foreach (var s in sections)
        {
            if (!s.IsRelocationTable) continue;
            bool rela = s.Type == ElfConstants.SectionRela;
            int entrySize = rela ? ElfConstants.RelaSize : ElfConstants.RelSize;
            if (s.Size % (ulong)entrySize != 0)
                return Fail($"relocation table {s.Name}: size {s.Size} is not a multiple of {entrySize}");
            if (s.Info == 0 || s.Info >= sections.Count)
                return Fail($"relocation table {s.Name}: target section {s.Info} does not exist");
            int count = (int)(s.Size / (ulong)entrySize);
            var entries = new ElfRelocation[count];
            var span = s.Contents.Span;
            for (int i = 0; i < count; i++)
            {
                var e = span.Slice(i * entrySize, entrySize);
                ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(e);
                ulong info = BinaryPrimitives.ReadUInt64LittleEndian(e[8..]);
                long addend = rela ? BinaryPrimitives.ReadInt64LittleEndian(e[16..]) : 0;
                ulong symbol = info >> 32;
                if (symbol >= (ulong)symbolCount)
                    return Fail($"relocation table {s.Name}, entry {i}: symbol index {symbol} does not exist (the symbol table has {symbolCount})");
                entries[i] = new ElfRelocation(offset, (uint)info, (int)symbol, addend);
            }
            tables.Add(new ElfRelocationTable(s, (int)s.Info, entries));
        }
        return tables;
    }

    /// <summary>A NUL-terminated string at <paramref name="offset"/>, or null when it is out of bounds or unterminated.</summary>
    internal static string? ReadString(ReadOnlySpan<byte> table, uint offset)
    {
        if (offset >= (uint)table.Length) return offset == 0 && table.Length == 0 ? "" : null;
        var rest = table[(int)offset..];
        int end = rest.IndexOf((byte)0);
        return end < 0 ? null : Encoding.UTF8.GetString(rest[..end]);
    }

    private static bool FitsIn(byte[] data, ulong offset, ulong size) =>
        offset <= (ulong)data.Length && size <= (ulong)data.Length - offset;

    private static BpfError Fail(string message) => new("ELF: " + message);

    private readonly record struct RawSection(uint NameOffset, uint Type, ulong Flags, ulong Offset, ulong Size,
        uint Link, uint Info, ulong Align, ulong EntSize);
}
