namespace SeccompEbpf.Bpf.Verifier;

/// <summary>What is known about one stack byte.</summary>
public enum StackByte : byte
{
    /// <summary>Never written: reading it is an error.</summary>
    Invalid,
    /// <summary>Written with some unknown data.</summary>
    Misc,
    /// <summary>Written with zero.</summary>
    Zero,
    /// <summary>Part of an 8-byte register spill (the slot's register state says what).</summary>
    Spill,
}
