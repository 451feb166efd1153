using System.Runtime.InteropServices;

namespace SeccompEbpf.Bpf.Isa;

/// <summary>
/// One 8-byte instruction slot, exactly as on the wire: opcode, dst (low nibble), src (high
/// nibble), a signed 16-bit offset and a signed 32-bit immediate. A 64-bit immediate load
/// (<c>lddw</c>) takes two slots; the second holds the upper 32 bits in its imm and zeros
/// elsewhere. Jump offsets count slots, as in the kernel.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly record struct Instruction(byte Opcode, byte Dst, byte Src, short Offset, int Imm)
{
    public const int Size = 8;

    public OpClass Class => (OpClass)(Opcode & 0x07);

    /// <summary>ALU/JMP: true when the second operand is the src register (BPF_X), false for imm (BPF_K).</summary>
    public bool UsesSrcRegister => (Opcode & 0x08) != 0;

    public AluOp AluOp => (AluOp)(Opcode & 0xf0);
    public JmpOp JmpOp => (JmpOp)(Opcode & 0xf0);
    public MemSize MemSize => (MemSize)(Opcode & 0x18);
    public MemMode MemMode => (MemMode)(Opcode & 0xe0);

    public bool IsAlu => Class is OpClass.Alu or OpClass.Alu64;
    public bool IsJump => Class is OpClass.Jmp or OpClass.Jmp32;

    /// <summary>The first slot of a two-slot 64-bit immediate load.</summary>
    public bool IsLoadImm64 => Opcode == Opcodes.LdDw;
    public bool IsExit => Opcode == Opcodes.Exit;
    public bool IsCall => Opcode == Opcodes.Call;
    public bool IsCallx => Opcode == Opcodes.Callx;
    public bool IsHelperCall => Opcode == Opcodes.Call && Src == CallSource.Helper;
    public bool IsLocalCall => Opcode == Opcodes.Call && Src == CallSource.Local;

    /// <summary>Legacy packet loads (LD|ABS, LD|IND): decoded and reported, never executed here.</summary>
    public bool IsLegacyPacketLoad => Class == OpClass.Ld && MemMode is MemMode.Abs or MemMode.Ind;

    /// <summary>Conditional branch (not JA, CALL or EXIT).</summary>
    public bool IsConditionalJump => IsJump && JmpOp is not (JmpOp.Ja or JmpOp.Call or JmpOp.Exit);

    /// <summary>The 64-bit immediate formed with the following slot; only meaningful on an lddw.</summary>
    public static ulong Imm64(Instruction low, Instruction high) => (uint)low.Imm | ((ulong)(uint)high.Imm << 32);

    /// <summary>Builds the two slots of <c>lddw dst, value</c>.</summary>
    public static (Instruction Low, Instruction High) LoadImm64(byte dst, ulong value, byte src = LoadImmSource.Imm64) =>
        (new Instruction(Opcodes.LdDw, dst, src, 0, (int)(uint)value),
         new Instruction(0, 0, 0, 0, (int)(uint)(value >> 32)));

    public override string ToString() =>
        $"{{op=0x{Opcode:x2} dst=r{Dst} src=r{Src} off={Offset} imm={Imm}}}";
}
