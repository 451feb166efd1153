using System.Buffers.Binary;

namespace SeccompEbpf.Classic;

/// <summary>
/// One classic BPF instruction, the kernel's <c>struct sock_filter</c>: u16 code, u8 jt, u8 jf,
/// u32 k (8 bytes, host order, little-endian here).
/// </summary>
public readonly record struct ClassicInstruction(ushort Code, byte Jt, byte Jf, uint K)
{
    public const int Size = 8;

    // Classes (code & 0x07)
    public const ushort Ld = 0x00, Ldx = 0x01, St = 0x02, Stx = 0x03, Alu = 0x04, Jmp = 0x05, Ret = 0x06, Misc = 0x07;
    // Sizes (code & 0x18) and modes (code & 0xe0)
    public const ushort W = 0x00, H = 0x08, B = 0x10;
    public const ushort Imm = 0x00, Abs = 0x20, Ind = 0x40, Mem = 0x60, Len = 0x80, Msh = 0xa0;
    // ALU ops (code & 0xf0)
    public const ushort Add = 0x00, Sub = 0x10, Mul = 0x20, Div = 0x30, Or = 0x40, And = 0x50, Lsh = 0x60, Rsh = 0x70, Neg = 0x80, Mod = 0x90, Xor = 0xa0;
    // Jumps (code & 0xf0)
    public const ushort Ja = 0x00, Jeq = 0x10, Jgt = 0x20, Jge = 0x30, Jset = 0x40;
    // Sources (code & 0x08) and RET sources (code & 0x18)
    public const ushort K_ = 0x00, X_ = 0x08, A_ = 0x10;
    // MISC (code & 0xf8)
    public const ushort Tax = 0x00, Txa = 0x80;

    /// <summary>Number of scratch memory words (M[0..15]).</summary>
    public const int ScratchWords = 16;
    public const int MaxInstructions = 4096;

    public ushort Class => (ushort)(Code & 0x07);

    public static ClassicInstruction Stmt(ushort code, uint k) => new(code, 0, 0, k);
    public static ClassicInstruction Jump(ushort code, uint k, byte jt, byte jf) => new(code, jt, jf, k);

    public void WriteTo(Span<byte> slot)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(slot, Code);
        slot[2] = Jt;
        slot[3] = Jf;
        BinaryPrimitives.WriteUInt32LittleEndian(slot[4..], K);
    }

    public static ClassicInstruction Read(ReadOnlySpan<byte> slot) =>
        new(BinaryPrimitives.ReadUInt16LittleEndian(slot), slot[2], slot[3], BinaryPrimitives.ReadUInt32LittleEndian(slot[4..]));

    public static byte[] ToBytes(IReadOnlyList<ClassicInstruction> program)
    {
        var bytes = new byte[program.Count * Size];
        for (int i = 0; i < program.Count; i++) program[i].WriteTo(bytes.AsSpan(i * Size));
        return bytes;
    }

    /// <summary>The inverse of <see cref="ToBytes"/>: whole 8-byte sock_filter entries (a trailing partial one is ignored).</summary>
    public static ClassicInstruction[] Decode(ReadOnlySpan<byte> bytes)
    {
        var program = new ClassicInstruction[bytes.Length / Size];
        for (int i = 0; i < program.Length; i++) program[i] = Read(bytes.Slice(i * Size, Size));
        return program;
    }

    public override string ToString() => $"{{ 0x{Code:x2}, {Jt}, {Jf}, 0x{K:x8} }}";
}
