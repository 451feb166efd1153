using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Elf;

/// <summary>
/// A loaded object made live: one map per <see cref="BpfObject.Maps"/> entry (global data
/// initialised from the object), shared by every program taken from it — as programs of one
/// object share maps in the kernel. Fill maps from C# through <see cref="Map"/> before running.
/// </summary>
public sealed class BpfObjectInstance : IDisposable
{
    private readonly List<BpfMap> _maps;

    private BpfObjectInstance(BpfObject obj, List<BpfMap> maps)
    {
        Object = obj;
        _maps = maps;
    }

    public BpfObject Object { get; }

    /// <summary>The live maps, by the same index that lddw src=MapIdx/MapIdxValue uses.</summary>
    public IReadOnlyList<BpfMap> Maps => _maps;

    /// <summary>Creates every map of the object; fails (creating none) if any spec is not acceptable.</summary>
    public static BpfResult<BpfObjectInstance> Create(BpfObject obj)
    {
        var maps = new List<BpfMap>(obj.Maps.Count);
        foreach (var spec in obj.Maps)
        {
            var map = MapFactory.Create(spec);
            if (!map.IsOk)
            {
                foreach (var created in maps) created.Dispose();
                return map.Error! with { Location = obj.FileName };
            }
            maps.Add(map.Value);
        }
        return new BpfObjectInstance(obj, maps);
    }

    /// <summary>The map with this name (as in the C source, or ".rodata" etc. for global data), or null.</summary>
    public BpfMap? Map(string name) => _maps.FirstOrDefault(m => m.Name == name);

    /// <summary>An engine program for one of the object's programs, over this instance's maps.</summary>
    public BpfResult<Engine.BpfProgram> Program(string name, HelperTable? helpers = null)
    {
        var source = Object.FindProgram(name);
        if (source is null)
            return new BpfError($"no program '{name}' in the object (it has: {string.Join(", ", Object.Programs.Select(p => p.Name))})")
                { Location = Object.FileName };
        return new Engine.BpfProgram(source.Name, source.Instructions, _maps, helpers);
    }

    public void Dispose()
    {
        foreach (var map in _maps) map.Dispose();
        _maps.Clear();
    }
}
