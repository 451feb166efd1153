using SeccompEbpf.Bpf.Verifier;

namespace SeccompEbpf.Bench;

/// <summary>
/// The `jit` benchmark's program type: a read-only 64-byte context readable at any in-bounds
/// offset and width, as the kernel's socket-filter column reads it (the seccomp-like program
/// loads argument halves, which the seccomp type's exact-field rule would refuse).
/// </summary>
internal sealed class BenchContextRules : IProgramTypeRules
{
    public static readonly BenchContextRules Instance = new();
    public string Name => "bench";
    public int ContextSize => BenchPrograms.ContextSize;
    public bool AllowsLegacyPacketLoads => false;

    public string? CheckContextAccess(int offset, int size, bool isWrite) =>
        isWrite ? "the context is read-only" : offset < 0 || offset + size > ContextSize ? "outside the context" : null;

    public string? CheckReturnValue(RegisterState r0) => r0.IsScalar ? null : "R0 must be a number";
}
