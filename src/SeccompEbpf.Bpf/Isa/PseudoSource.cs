namespace SeccompEbpf.Bpf.Isa;

/// <summary>Meanings of the src field in a 64-bit immediate load (RFC 9669 §5.4, kernel BPF_PSEUDO_*).</summary>
public static class LoadImmSource
{
    public const byte Imm64 = 0;
    /// <summary>imm = map file descriptor; result is the map.</summary>
    public const byte MapFd = 1;
    /// <summary>imm = map fd, next imm = offset; result is a pointer into the map's value.</summary>
    public const byte MapValue = 2;
    public const byte BtfId = 3;
    /// <summary>imm = instruction offset of a function; result is a code pointer.</summary>
    public const byte Func = 4;
    /// <summary>imm = index into the program's map table.</summary>
    public const byte MapIdx = 5;
    public const byte MapIdxValue = 6;

    public static bool IsValid(byte src) => src <= MapIdxValue;
}

/// <summary>Meanings of the src field in a CALL instruction.</summary>
public static class CallSource
{
    /// <summary>imm is a helper id.</summary>
    public const byte Helper = 0;
    /// <summary>imm is a PC-relative offset to a local function (bpf-to-bpf call).</summary>
    public const byte Local = 1;
    /// <summary>imm is a BTF id of a kernel function (not supported here).</summary>
    public const byte Kfunc = 2;
}
