namespace SeccompEbpf.Bpf.Isa;

/// <summary>Branch operation codes: bits 4..7 of a JMP/JMP32 opcode (RFC 9669 §4.3).</summary>
public enum JmpOp : byte
{
    /// <summary>Unconditional jump; in JMP32 it is <c>gotol</c> with a 32-bit offset in imm.</summary>
    Ja = 0x00,
    Jeq = 0x10,
    Jgt = 0x20,
    Jge = 0x30,
    Jset = 0x40,
    Jne = 0x50,
    Jsgt = 0x60,
    Jsge = 0x70,
    Call = 0x80,
    Exit = 0x90,
    Jlt = 0xa0,
    Jle = 0xb0,
    Jslt = 0xc0,
    Jsle = 0xd0,
}
