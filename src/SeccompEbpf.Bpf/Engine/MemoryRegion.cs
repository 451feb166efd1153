namespace SeccompEbpf.Bpf.Engine;

/// <summary>What a region of program-visible memory is; used in error messages and by the verifier's model.</summary>
public enum MemoryRegionKind : byte
{
    Stack,
    Context,
    CallerMemory,
    MapValues,
    HelperMemory,
}

/// <summary>
/// A range of native memory a program may touch: [Start, Start+Length). Regions are backed by
/// memory that does not move (NativeMemory or memory the caller keeps alive and pinned for the run),
/// so programs see real addresses and a JIT may dereference them directly.
/// </summary>
public readonly record struct MemoryRegion(ulong Start, ulong Length, bool Writable, MemoryRegionKind Kind, string? Name = null)
{
    public ulong End => Start + Length;

    public static unsafe MemoryRegion Of(void* start, ulong length, bool writable, MemoryRegionKind kind, string? name = null) =>
        new((ulong)start, length, writable, kind, name);

    /// <summary>True when [address, address+size) lies inside the region; written so that no sum can overflow.</summary>
    public bool Contains(ulong address, ulong size)
    {
        ulong offset = address - Start;
        return offset < Length && size <= Length - offset;
    }

    public override string ToString() =>
        $"{Name ?? Kind.ToString().ToLowerInvariant()} [0x{Start:x}, 0x{End:x}){(Writable ? "" : " read-only")}";
}
