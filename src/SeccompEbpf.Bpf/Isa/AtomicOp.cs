namespace SeccompEbpf.Bpf.Isa;

/// <summary>Atomic operations, carried in the imm field of an STX|ATOMIC instruction (RFC 9669 §5.3).</summary>
public static class AtomicOp
{
    public const int Add = 0x00;
    public const int Or = 0x40;
    public const int And = 0x50;
    public const int Xor = 0xa0;
    /// <summary>Flag: the old value is returned in the source register.</summary>
    public const int Fetch = 0x01;
    public const int Xchg = 0xe0 | Fetch;
    public const int CmpXchg = 0xf0 | Fetch;

    public static bool IsValid(int imm) => imm is Add or Or or And or Xor
        or (Add | Fetch) or (Or | Fetch) or (And | Fetch) or (Xor | Fetch) or Xchg or CmpXchg;
}
