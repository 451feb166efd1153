namespace SeccompEbpf.Bpf.Isa;

/// <summary>Access width of a load or store: bits 3..4 of the opcode.</summary>
public enum MemSize : byte
{
    W = 0x00,
    H = 0x08,
    B = 0x10,
    DW = 0x18,
}

public static class MemSizeExtensions
{
    public static int Bytes(this MemSize size) => size switch
    {
        MemSize.B => 1,
        MemSize.H => 2,
        MemSize.W => 4,
        _ => 8,
    };

    /// <summary>The C type name used in the LLVM/kernel syntax, e.g. <c>u32</c>.</summary>
    public static string CTypeName(this MemSize size) => size switch
    {
        MemSize.B => "u8",
        MemSize.H => "u16",
        MemSize.W => "u32",
        _ => "u64",
    };
}
