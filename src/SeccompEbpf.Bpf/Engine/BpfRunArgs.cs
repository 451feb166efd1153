namespace SeccompEbpf.Bpf.Engine;

/// <summary>
/// Inputs of one run: initial r1..r5 and the caller's memory the program may touch. Both regions
/// must stay alive and pinned for the duration of the run (stackalloc, fixed, or NativeMemory).
/// A region with Length 0 is absent.
/// </summary>
public readonly struct BpfRunArgs
{
    public ulong R1 { get; init; }
    public ulong R2 { get; init; }
    public ulong R3 { get; init; }
    public ulong R4 { get; init; }
    public ulong R5 { get; init; }

    /// <summary>The program's context (seccomp_data for seccomp filters).</summary>
    public MemoryRegion Context { get; init; }

    /// <summary>Other caller memory (the conformance suite's packet buffer).</summary>
    public MemoryRegion Memory { get; init; }

    /// <summary>r1 = context pointer, as for every kernel program type.</summary>
    public static unsafe BpfRunArgs ForContext(void* context, int length, bool writable = false) => new()
    {
        R1 = (ulong)context,
        Context = MemoryRegion.Of(context, (ulong)length, writable, MemoryRegionKind.Context, "context"),
    };

    /// <summary>r1 = memory pointer, r2 = its length (the conformance suite's convention); the memory is writable.</summary>
    public static unsafe BpfRunArgs ForMemory(void* memory, int length) => new()
    {
        R1 = length == 0 ? 0 : (ulong)memory,
        R2 = (ulong)length,
        Memory = MemoryRegion.Of(memory, (ulong)length, true, MemoryRegionKind.CallerMemory, "memory"),
    };
}
