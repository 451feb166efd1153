namespace SeccompEbpf.Bpf.Isa;

/// <summary>Addressing mode of a load or store: bits 5..7 of the opcode.</summary>
public enum MemMode : byte
{
    /// <summary>64-bit immediate load (<c>lddw</c>), two instruction slots.</summary>
    Imm = 0x00,
    /// <summary>Legacy packet load, absolute offset (decoded and reported, not supported by seccomp).</summary>
    Abs = 0x20,
    /// <summary>Legacy packet load, register-relative offset.</summary>
    Ind = 0x40,
    Mem = 0x60,
    /// <summary>Sign-extending load (LDX only).</summary>
    MemSx = 0x80,
    /// <summary>Atomic read-modify-write (STX only); the operation is in imm.</summary>
    Atomic = 0xc0,
}
