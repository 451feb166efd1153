using SeccompEbpf.Bpf;
using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Split;

namespace SeccompEbpf.Policy.Sources;

/// <summary>A classic filter file in any form <see cref="ClassicFilterFile"/> reads, checked with the kernel's rules.</summary>
public sealed class ClassicFilterSource(string path) : IPolicySource
{
    public string Name => path;

    public BpfResult<IReadOnlyList<StackFilter>> Load(PolicyLoadContext context)
    {
        var loaded = ClassicFilterFile.Load(path);
        if (!loaded.IsOk) return loaded.Error!;
        var program = ClassicChecker.Check(loaded.Value);
        if (!program.IsOk) return program.Error! with { Location = path };
        return new([new ClassicStackFilter(path, program.Value)]);
    }
}
