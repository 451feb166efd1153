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
