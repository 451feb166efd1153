namespace SeccompEbpf.Bpf.Isa;

/// <summary>Whole-opcode constants for the instructions that are named often.</summary>
public static class Opcodes
{
    public const byte SourceReg = 0x08;

    public const byte LdDw = (byte)OpClass.Ld | (byte)MemMode.Imm | (byte)MemSize.DW;   // 0x18
    public const byte Ja = (byte)OpClass.Jmp | (byte)JmpOp.Ja;                           // 0x05
    public const byte Ja32 = (byte)OpClass.Jmp32 | (byte)JmpOp.Ja;                       // 0x06 (gotol)
    public const byte Call = (byte)OpClass.Jmp | (byte)JmpOp.Call;                       // 0x85
    public const byte Callx = (byte)OpClass.Jmp | (byte)JmpOp.Call | SourceReg;          // 0x8d
    public const byte Exit = (byte)OpClass.Jmp | (byte)JmpOp.Exit;                       // 0x95

    public static byte Alu(OpClass cls, AluOp op, bool srcReg) => (byte)((byte)cls | (byte)op | (srcReg ? SourceReg : 0));
    public static byte Jump(OpClass cls, JmpOp op, bool srcReg) => (byte)((byte)cls | (byte)op | (srcReg ? SourceReg : 0));
    public static byte Mem(OpClass cls, MemMode mode, MemSize size) => (byte)((byte)cls | (byte)mode | (byte)size);
}
