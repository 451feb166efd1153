using SeccompEbpf.Bpf;
using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Split;

namespace SeccompEbpf.Policy.Sources;

/// <summary>A classic filter file in any form <see cref="ClassicFilterFile"/> reads, checked with the kernel's rules.</summary>
public sealed class ClassicFilterSource : IPolicySource
{
    private readonly Func<BpfResult<ClassicInstruction[]>> _read;

    public ClassicFilterSource(string path) : this(path, () => ClassicFilterFile.Load(path)) { }

    private ClassicFilterSource(string name, Func<BpfResult<ClassicInstruction[]>> read)
    {
        Name = name;
        _read = read;
    }

    /// <summary>A filter already read (from standard input, say); <paramref name="name"/> names it in messages.</summary>
    public static ClassicFilterSource FromBytes(string name, byte[] bytes) => new(name, () => ClassicFilterFile.Parse(bytes, name));

    public string Name { get; }

    public BpfResult<IReadOnlyList<StackFilter>> Load(PolicyLoadContext context)
    {
        var loaded = _read();
        if (!loaded.IsOk) return loaded.Error!;
        var program = ClassicChecker.Check(loaded.Value);
        if (!program.IsOk) return program.Error! with { Location = Name };
        return new([new ClassicStackFilter(Name, program.Value)]);
    }
}
