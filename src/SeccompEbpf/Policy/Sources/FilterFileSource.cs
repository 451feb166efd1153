using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Elf;

namespace SeccompEbpf.Policy.Sources;

/// <summary>
/// The rule for a file given as a filter (<c>--filter FILE</c>): an ELF object is an eBPF program
/// (FILE.o[:SECTION]); anything else is read as a classic filter (bpf_asm text, tcpdump -dd/-ddd, raw bytes).
/// </summary>
public static class FilterFileSource
{
    public static IPolicySource For(string spec)
    {
        var path = ObjectProgramSpec.Parse(spec).Path;
        // A missing FILE.o is still meant as an object: the object reader then names it.
        return IsElf(path) || (!File.Exists(path) && path.EndsWith(".o", StringComparison.Ordinal))
            ? new EbpfObjectSource(spec)
            : new ClassicFilterSource(spec);
    }

    /// <summary>The same rule for a file already read (<paramref name="spec"/>'s path names it); a section is for objects only.</summary>
    public static BpfResult<IPolicySource> FromBytes(ObjectProgramSpec spec, byte[] bytes)
    {
        if (ElfConstants.StartsWithMagic(bytes)) return new BpfResult<IPolicySource>(EbpfObjectSource.FromBytes(spec, bytes));
        if (spec.Section is not null)
            return new BpfError($"a section ({spec.Section}) can only be chosen in an ELF object; this is a classic filter", Location: spec.Path);
        return new BpfResult<IPolicySource>(ClassicFilterSource.FromBytes(spec.Path, bytes));
    }

    private static bool IsElf(string path)
    {
        if (!File.Exists(path)) return false;
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> start = stackalloc byte[4];
            return stream.ReadAtLeast(start, 4, throwOnEndOfStream: false) == 4 && ElfConstants.StartsWithMagic(start);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // the reader that follows names the file and the problem
        }
    }
}
