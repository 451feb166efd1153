namespace SeccompEbpf.Bpf.Maps;

/// <summary>
/// What a map is, before it exists: the fields of the kernel's <c>bpf_map_def</c> / BTF map
/// definition. ELF loading produces these; <c>Maps.MapFactory</c> turns them into live maps.
/// </summary>
public sealed record MapSpec(
    string Name,
    MapType Type,
    uint KeySize,
    uint ValueSize,
    uint MaxEntries,
    uint Flags = 0)
{
    /// <summary>Initial contents for global-data maps (.data/.rodata): the section bytes.</summary>
    public byte[]? InitialValue { get; init; }

    /// <summary>True for .rodata-style maps that the program may read but not write.</summary>
    public bool ReadOnlyForProgram { get; init; }

    public override string ToString() =>
        $"{Name}: {Type} key={KeySize} value={ValueSize} max_entries={MaxEntries} flags=0x{Flags:x}";
}
