namespace SeccompEbpf.Classic;

/// <summary>
/// Whole 16-bit classic BPF opcodes (class | size | mode | op | source) for every instruction the
/// Linux classic checker knows. Named once here so the checker, interpreter, assembler,
/// disassembler and translator agree on them.
/// </summary>
public static class ClassicOpcodes
{
    // Loads into A
    public const ushort LdImm = 0x00;       // ld #k
    public const ushort LdAbsW = 0x20;      // ld [k]
    public const ushort LdAbsH = 0x28;      // ldh [k]
    public const ushort LdAbsB = 0x30;      // ldb [k]
    public const ushort LdIndW = 0x40;      // ld [x + k]
    public const ushort LdIndH = 0x48;      // ldh [x + k]
    public const ushort LdIndB = 0x50;      // ldb [x + k]
    public const ushort LdMem = 0x60;       // ld M[k]
    public const ushort LdLen = 0x80;       // ld #len

    // Loads into X
    public const ushort LdxImm = 0x01;      // ldx #k
    public const ushort LdxMem = 0x61;      // ldx M[k]
    public const ushort LdxLen = 0x81;      // ldx #len
    public const ushort LdxMshB = 0xb1;     // ldxb 4*([k]&0xf)

    // Stores
    public const ushort St = 0x02;          // st M[k]
    public const ushort Stx = 0x03;         // stx M[k]

    // ALU: A op= K (…K) or A op= X (…X)
    public const ushort AddK = 0x04, AddX = 0x0c;
    public const ushort SubK = 0x14, SubX = 0x1c;
    public const ushort MulK = 0x24, MulX = 0x2c;
    public const ushort DivK = 0x34, DivX = 0x3c;
    public const ushort OrK = 0x44, OrX = 0x4c;
    public const ushort AndK = 0x54, AndX = 0x5c;
    public const ushort LshK = 0x64, LshX = 0x6c;
    public const ushort RshK = 0x74, RshX = 0x7c;
    public const ushort Neg = 0x84;
    public const ushort ModK = 0x94, ModX = 0x9c;
    public const ushort XorK = 0xa4, XorX = 0xac;

    // Jumps
    public const ushort Ja = 0x05;
    public const ushort JeqK = 0x15, JeqX = 0x1d;
    public const ushort JgtK = 0x25, JgtX = 0x2d;
    public const ushort JgeK = 0x35, JgeX = 0x3d;
    public const ushort JsetK = 0x45, JsetX = 0x4d;

    // Returns and register moves
    public const ushort RetK = 0x06;
    public const ushort RetA = 0x16;
    public const ushort Tax = 0x07;
    public const ushort Txa = 0x87;

    /// <summary>True for the conditional jumps (those that use jt and jf).</summary>
    public static bool IsConditionalJump(ushort code) => code is JeqK or JeqX or JgtK or JgtX or JgeK or JgeX or JsetK or JsetX;

    public static bool IsReturn(ushort code) => code is RetK or RetA;
}
