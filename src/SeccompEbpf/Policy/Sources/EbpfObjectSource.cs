using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Split;

namespace SeccompEbpf.Policy.Sources;

/// <summary>An eBPF seccomp program from a clang-built object: FILE.o[:SECTION] (<see cref="ObjectProgramSpec"/>).</summary>
public sealed class EbpfObjectSource(string spec) : IPolicySource
{
    private readonly ObjectProgramSpec _spec = ObjectProgramSpec.Parse(spec);

    public string Name => _spec.ToString();

    public BpfResult<IReadOnlyList<StackFilter>> Load(PolicyLoadContext context)
    {
        var obj = BpfObjectLoader.LoadFile(_spec.Path);
        if (!obj.IsOk) return obj.Error!;
        var chosen = _spec.SelectOne(obj.Value);
        if (!chosen.IsOk) return chosen.Error!;
        var program = chosen.Value;
        var filter = context.Ebpf($"{Path.GetFileName(_spec.Path)}:{program.Name}", program.Instructions, obj.Value.Maps, _spec.Path, program);
        if (!filter.IsOk) return filter.Error!;
        return new([filter.Value]);
    }
}
