using SeccompEbpf.Bpf.Verifier;

namespace SeccompEbpf.Bpf.Tests.Verifier;

/// <summary>A generic program type for verifier tests: a 64-byte read-only context, any in-bounds read.</summary>
internal sealed class TestContextRules : IProgramTypeRules
{
    public static readonly TestContextRules Instance = new();
    public string Name => "test";
    public int ContextSize => 64;
    public bool AllowsLegacyPacketLoads => false;

    public string? CheckContextAccess(int offset, int size, bool isWrite) =>
        isWrite ? "read-only" : offset < 0 || offset + size > ContextSize ? "out of bounds" : null;

    public string? CheckReturnValue(RegisterState r0) => r0.IsScalar ? null : "R0 must be a scalar";
}
