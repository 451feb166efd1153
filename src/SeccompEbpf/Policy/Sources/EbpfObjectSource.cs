using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Split;

namespace SeccompEbpf.Policy.Sources;

/// <summary>An eBPF seccomp program from a clang-built object: FILE.o[:SECTION] (<see cref="ObjectProgramSpec"/>).</summary>
public sealed class EbpfObjectSource : IPolicySource
{
    private readonly ObjectProgramSpec _spec;
    private readonly Func<BpfResult<BpfObject>> _read;

    public EbpfObjectSource(string spec) : this(ObjectProgramSpec.Parse(spec), null) { }

    private EbpfObjectSource(ObjectProgramSpec spec, byte[]? bytes)
    {
        _spec = spec;
        _read = bytes is null ? () => BpfObjectLoader.LoadFile(spec.Path) : () => BpfObjectLoader.Load(bytes, spec.Path);
    }

    /// <summary>An object already read (from standard input, say); <paramref name="spec"/>'s path names it in messages.</summary>
    public static EbpfObjectSource FromBytes(ObjectProgramSpec spec, byte[] bytes) => new(spec, bytes);

    public string Name => _spec.ToString();

    public BpfResult<IReadOnlyList<StackFilter>> Load(PolicyLoadContext context)
    {
        var obj = _read();
        if (!obj.IsOk) return obj.Error!;
        var chosen = _spec.SelectOne(obj.Value);
        if (!chosen.IsOk) return chosen.Error!;
        var program = chosen.Value;
        var filter = context.Ebpf($"{Path.GetFileName(_spec.Path)}:{program.Name}", program.Instructions, obj.Value.Maps, _spec.Path, program);
        if (!filter.IsOk) return filter.Error!;
        return new([filter.Value]);
    }
}
