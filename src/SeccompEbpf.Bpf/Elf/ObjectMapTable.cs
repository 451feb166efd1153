using SeccompEbpf.Bpf.Elf.Btf;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Elf;

/// <summary>
/// Collects an object's maps in libbpf's order (legacy <c>maps</c>, BTF <c>.maps</c>, then one
/// single-entry array per global-data section) and answers "which map is at this section and
/// offset", which is what relocations ask.
/// </summary>
internal sealed class ObjectMapTable
{
    /// <summary>Global data larger than this is refused: no real filter needs it, and a corrupt .bss size must not allocate gigabytes.</summary>
    public const ulong MaxGlobalDataSize = 16 << 20;

    /// <summary>BPF_F_RDONLY_PROG: the program may only read the map (.rodata).</summary>
    public const uint FlagReadOnlyProgram = 1 << 7;

    public const string LegacyMapsSection = "maps";
    public const string BtfMapsSection = ".maps";

    private readonly Dictionary<int, int> _dataMapBySection = new();

    public List<ObjectMap> Maps { get; } = new();

    public static BpfResult<ObjectMapTable> Build(ElfFile elf, BtfSpec? btf)
    {
        var table = new ObjectMapTable();
        foreach (var section in elf.Sections)
        {
            if (section.Name != LegacyMapsSection) continue;
            var legacy = LegacyMapReader.Read(elf, section);
            if (!legacy.IsOk) return legacy.Error!;
            table.Maps.AddRange(legacy.Value);
        }

        if (elf.FindSection(BtfMapsSection) is { } mapsSection)
        {
            var error = table.AddBtfMaps(elf, btf, mapsSection);
            if (error is not null) return error;
        }

        foreach (var section in elf.Sections)
        {
            if (!IsGlobalDataSection(section)) continue;
            var error = table.AddGlobalData(section);
            if (error is not null) return error;
        }
        return table;
    }

    /// <summary>.data, .rodata, .bss and their named variants (.data.foo, .rodata.str1.1, ...).</summary>
    public static bool IsGlobalDataSection(ElfSection s) =>
        (s.Flags & ElfConstants.FlagAlloc) != 0 && !s.IsExecutable
        && s.Type is ElfConstants.SectionProgBits or ElfConstants.SectionNoBits
        && (s.Name is ".data" or ".rodata" or ".bss"
            || s.Name.StartsWith(".data.", StringComparison.Ordinal)
            || s.Name.StartsWith(".rodata.", StringComparison.Ordinal)
            || s.Name.StartsWith(".bss.", StringComparison.Ordinal));

    /// <summary>The map defined at this offset of a map-definition section, or -1.</summary>
    public int FindDefinedMap(int sectionIndex, ulong offset)
    {
        for (int i = 0; i < Maps.Count; i++)
            if (Maps[i].Origin != MapOrigin.GlobalData && Maps[i].SectionIndex == sectionIndex && Maps[i].SectionOffset == offset)
                return i;
        return -1;
    }

    /// <summary>The global-data map of a section, or -1 when the section is not one.</summary>
    public int FindDataMap(int sectionIndex) => _dataMapBySection.TryGetValue(sectionIndex, out var i) ? i : -1;

    public bool IsMapDefinitionSection(ElfSection s) => s.Name is LegacyMapsSection or BtfMapsSection;

    private BpfError? AddBtfMaps(ElfFile elf, BtfSpec? btf, ElfSection section)
    {
        if (btf is null)
            return new BpfError($"section {BtfMapsSection} defines maps, but the object has no usable .BTF section to describe them (compile with -g)");
        var datasec = btf.FindDataSec(BtfMapsSection);
        if (datasec is null)
            return new BpfError($"section {BtfMapsSection} has no DATASEC in BTF (compile with -g)");
        foreach (var info in datasec.Variables)
        {
            if (btf[info.TypeId] is not BtfVar variable)
                return new BpfError($"BTF DATASEC {BtfMapsSection}: entry type id {info.TypeId} is not a VAR");
            // Prefer the symbol's offset: clang leaves DATASEC offsets for libbpf to fix up.
            var symbol = elf.Symbols.FirstOrDefault(s => s.SectionIndex == section.Index && s.Name == variable.Name && !s.IsSection);
            ulong offset = symbol?.Value ?? info.Offset;
            var map = BtfMapDefinitionReader.Read(btf, variable, section, offset);
            if (!map.IsOk) return map.Error;
            Maps.Add(map.Value);
        }
        return null;
    }

    private BpfError? AddGlobalData(ElfSection section)
    {
        if (section.Size == 0) return null;
        if (section.Size > MaxGlobalDataSize)
            return new BpfError($"global data section {section.Name} is {section.Size} bytes; at most {MaxGlobalDataSize} are supported");
        bool readOnly = !section.IsWritable;
        var initial = section.IsNoBits ? new byte[section.Size] : section.Contents.ToArray();
        var spec = new MapSpec(section.Name, MapType.Array, 4, (uint)section.Size, 1, readOnly ? FlagReadOnlyProgram : 0)
        {
            InitialValue = initial,
            ReadOnlyForProgram = readOnly,
        };
        _dataMapBySection[section.Index] = Maps.Count;
        Maps.Add(new ObjectMap(spec, MapOrigin.GlobalData, section.Index, section.Name, 0));
        return null;
    }
}
