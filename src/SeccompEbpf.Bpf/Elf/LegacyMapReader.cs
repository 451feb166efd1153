using System.Buffers.Binary;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Elf;

/// <summary>
/// Reads the legacy <c>maps</c> section: an array of <c>struct bpf_map_def { type, key_size,
/// value_size, max_entries, map_flags }</c> (u32 each), one per symbol in the section. As in
/// libbpf the definition size is the section size divided by the number of map symbols, so
/// older (shorter) and newer (longer, zero-padded) layouts both load.
/// </summary>
internal static class LegacyMapReader
{
    private const int KnownFields = 5;

    public static BpfResult<List<ObjectMap>> Read(ElfFile elf, ElfSection section)
    {
        var symbols = elf.Symbols
            .Where(s => s.SectionIndex == section.Index && !s.IsSection && s.Type is ElfConstants.SymbolObject or ElfConstants.SymbolNoType && s.Name.Length > 0)
            .OrderBy(s => s.Value)
            .ToList();
        var maps = new List<ObjectMap>();
        if (symbols.Count == 0) return maps;
        if (section.IsNoBits) return Fail(section, "has no contents (NOBITS)");
        ulong defSize = section.Size / (ulong)symbols.Count;
        if (defSize < 4 || defSize % 4 != 0 || defSize * (ulong)symbols.Count != section.Size)
            return Fail(section, $"size {section.Size} is not {symbols.Count} equal definitions of whole u32 fields");

        var data = section.Contents.Span;
        foreach (var sym in symbols)
        {
            if (sym.Value % defSize != 0 || sym.Value >= section.Size)
                return Fail(section, $"map '{sym.Name}' at offset {sym.Value} is not at a definition boundary (definitions are {defSize} bytes)");
            var def = data.Slice((int)sym.Value, (int)defSize);
            var fields = new uint[KnownFields];
            for (int i = 0; i < KnownFields && (i + 1) * 4 <= def.Length; i++)
                fields[i] = BinaryPrimitives.ReadUInt32LittleEndian(def[(i * 4)..]);
            if (def.Length > KnownFields * 4 && def[(KnownFields * 4)..].ContainsAnyExcept((byte)0))
                return Fail(section, $"map '{sym.Name}' sets fields beyond map_flags, which this loader does not know");
            var spec = new MapSpec(sym.Name, (MapType)fields[0], fields[1], fields[2], fields[3], fields[4]);
            maps.Add(new ObjectMap(spec, MapOrigin.LegacyMapsSection, section.Index, section.Name, sym.Value));
        }
        return maps;
    }

    private static BpfError Fail(ElfSection section, string message) => new($"legacy map section '{section.Name}': {message}");
}
