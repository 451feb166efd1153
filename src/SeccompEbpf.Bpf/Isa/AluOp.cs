namespace SeccompEbpf.Bpf.Isa;

/// <summary>Arithmetic operation codes: bits 4..7 of an ALU/ALU64 opcode (RFC 9669 §4.1).</summary>
public enum AluOp : byte
{
    Add = 0x00,
    Sub = 0x10,
    Mul = 0x20,
    /// <summary>Unsigned division; signed when the offset field is 1.</summary>
    Div = 0x30,
    Or = 0x40,
    And = 0x50,
    Lsh = 0x60,
    Rsh = 0x70,
    Neg = 0x80,
    /// <summary>Unsigned modulo; signed when the offset field is 1.</summary>
    Mod = 0x90,
    Xor = 0xa0,
    /// <summary>Move; sign-extending move when the offset field is 8, 16 or 32.</summary>
    Mov = 0xb0,
    Arsh = 0xc0,
    /// <summary>Byte swap; the source bit picks to-le (0) or to-be (1); in ALU64 it is an unconditional swap.</summary>
    End = 0xd0,
}
