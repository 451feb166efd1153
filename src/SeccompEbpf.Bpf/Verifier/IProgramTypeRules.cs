namespace SeccompEbpf.Bpf.Verifier;

/// <summary>What a program type allows; the verifier itself knows nothing about any program type.</summary>
public interface IProgramTypeRules
{
    /// <summary>A short name for messages, e.g. "seccomp".</summary>
    string Name { get; }

    /// <summary>Size in bytes of the context R1 points to at entry.</summary>
    int ContextSize { get; }

    /// <summary>Null when a context access of <paramref name="size"/> bytes at <paramref name="offset"/> is allowed; else why not.</summary>
    string? CheckContextAccess(int offset, int size, bool isWrite);

    /// <summary>Null when R0 at program exit is acceptable; else why not.</summary>
    string? CheckReturnValue(RegisterState r0);

    /// <summary>Whether LD_ABS/LD_IND (legacy packet loads) are allowed.</summary>
    bool AllowsLegacyPacketLoads { get; }
}
