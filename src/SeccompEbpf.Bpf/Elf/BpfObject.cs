using SeccompEbpf.Bpf.Elf.Btf;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Elf;

/// <summary>
/// A loaded BPF object file: programs ready to run (relocated, sub-programs appended), the maps
/// they refer to by index (lddw src=MapIdx/MapIdxValue, imm = index in <see cref="Maps"/>), and
/// the object's BTF.
/// </summary>
public sealed class BpfObject
{
    internal BpfObject(string fileName, ElfFile elf, string license, uint? kernelVersion,
        IReadOnlyList<ObjectProgram> programs, IReadOnlyList<ObjectMap> mapDefinitions, BtfSpec? btf, BtfExt btfExt,
        IReadOnlyList<string> warnings)
    {
        FileName = fileName;
        Elf = elf;
        License = license;
        KernelVersion = kernelVersion;
        Programs = programs;
        MapDefinitions = mapDefinitions;
        Maps = mapDefinitions.Select(m => m.Spec).ToList();
        Btf = btf;
        BtfExt = btfExt;
        Warnings = warnings;
    }

    public string FileName { get; }

    /// <summary>The raw ELF structure (sections, symbols, relocation tables), e.g. for objdump.</summary>
    public ElfFile Elf { get; }

    /// <summary>The text of the <c>license</c> section ("" when absent).</summary>
    public string License { get; }

    /// <summary>The <c>version</c> section, when present (only old kprobe loaders used it).</summary>
    public uint? KernelVersion { get; }

    public IReadOnlyList<ObjectProgram> Programs { get; }

    /// <summary>Map specifications by index, in libbpf's order: legacy <c>maps</c>, BTF <c>.maps</c>, then global data.</summary>
    public IReadOnlyList<MapSpec> Maps { get; }

    /// <summary>The same maps with where each came from and its BTF key/value types.</summary>
    public IReadOnlyList<ObjectMap> MapDefinitions { get; }

    public BtfSpec? Btf { get; }

    public BtfExt BtfExt { get; }

    /// <summary>Things that loaded but that a user may want to know (e.g. BTF that could not be read).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public ObjectProgram? FindProgram(string name) => Programs.FirstOrDefault(p => p.Name == name);

    /// <summary>The programs in section <paramref name="sectionOrName"/> or named so (users may give either).</summary>
    public IReadOnlyList<ObjectProgram> ProgramsMatching(string sectionOrName) =>
        Programs.Where(p => p.SectionName == sectionOrName || p.Name == sectionOrName).ToList();

    /// <summary>"name (section s), ..." or "none": what the object has, for messages.</summary>
    public string ProgramList() =>
        Programs.Count == 0 ? "none" : string.Join(", ", Programs.Select(p => $"{p.Name} (section {p.SectionName})"));

    public int FindMapIndex(string name)
    {
        for (int i = 0; i < Maps.Count; i++)
            if (Maps[i].Name == name) return i;
        return -1;
    }
}

/// <summary>Where a map came from in the object.</summary>
public enum MapOrigin { LegacyMapsSection, BtfMapsSection, GlobalData }

/// <summary>
/// One map of an object: its spec plus its origin (section and offset of its definition or data)
/// and, for BTF maps, the key and value type names.
/// </summary>
public sealed record ObjectMap(MapSpec Spec, MapOrigin Origin, int SectionIndex, string SectionName, ulong SectionOffset,
    string? KeyType = null, string? ValueType = null);
