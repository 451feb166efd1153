using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Engine;

/// <summary>
/// A program ready to be prepared by an engine: instruction slots, the table of live maps that
/// lddw pseudo forms refer to by index (src=MapIdx/MapFd: imm = index, result = map handle;
/// src=MapIdxValue/MapValue: imm = index, next slot imm = offset, result = pointer into the
/// value of an array map), and the helpers it may call.
/// </summary>
public sealed class BpfProgram
{
    private MemoryRegion[]? _mapRegions;

    public BpfProgram(string name, Instruction[] instructions, IReadOnlyList<BpfMap>? maps = null, HelperTable? helpers = null)
    {
        Name = name;
        Instructions = instructions;
        Maps = maps ?? [];
        Helpers = helpers ?? HelperTable.Base;
    }

    public string Name { get; }
    public Instruction[] Instructions { get; }
    public IReadOnlyList<BpfMap> Maps { get; }
    public HelperTable Helpers { get; }

    /// <summary>Creates the live maps for <paramref name="specs"/> (as an ELF loader produces them) and builds the program.</summary>
    public static BpfResult<BpfProgram> Create(string name, Instruction[] instructions, IReadOnlyList<MapSpec> specs, HelperTable? helpers = null)
    {
        var maps = new List<BpfMap>(specs.Count);
        foreach (var spec in specs)
        {
            var map = MapFactory.Create(spec);
            if (!map.IsOk)
            {
                foreach (var m in maps) m.Dispose();
                return map.Error!;
            }
            maps.Add(map.Value);
        }
        return new BpfProgram(name, instructions, maps, helpers);
    }

    /// <summary>All memory regions of all maps in the table, computed once (map slabs never move).</summary>
    public MemoryRegion[] MapRegions => _mapRegions ??= Maps.SelectMany(m => m.Regions).ToArray();

    /// <summary>The map a handle from lddw src=MapIdx/MapFd denotes, or null for anything else.</summary>
    public BpfMap? ResolveMap(ulong handle) =>
        PseudoAddress.TryDecodeMap(handle, out int index) && index < Maps.Count ? Maps[index] : null;

    public override string ToString() => $"{Name}: {Instructions.Length} slots, {Maps.Count} maps";
}
