using System.Buffers.Binary;

namespace SeccompEbpf.Linux.Kernel;

/// <summary>
/// union bpf_attr laid out by hand: each command's fields at their offsets in a zeroed buffer
/// (the kernel requires the unused tail to be zero).
/// </summary>
internal static class BpfAttr
{
    public const int Size = 160;

    public static void U32(Span<byte> attr, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(attr[offset..], value);
    public static void U64(Span<byte> attr, int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(attr[offset..], value);
    public static uint ReadU32(ReadOnlySpan<byte> attr, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(attr[offset..]);

    public static void Name(Span<byte> attr, int offset, string name)
    {
        var field = attr.Slice(offset, 16);
        int n = 0;
        foreach (char c in name)
        {
            if (n == 15) break;
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.') field[n++] = (byte)c;
        }
    }

    // BPF_MAP_CREATE
    public const int MapType = 0, MapKeySize = 4, MapValueSize = 8, MapMaxEntries = 12, MapFlags = 16, MapName = 28;

    // BPF_MAP_UPDATE_ELEM
    public const int ElemMapFd = 0, ElemKey = 8, ElemValue = 16, ElemFlags = 24;

    // BPF_PROG_LOAD
    public const int ProgType = 0, InsnCnt = 4, Insns = 8, License = 16, LogLevel = 24, LogSize = 28, LogBuf = 32,
        KernVersion = 40, ProgFlags = 44, ProgName = 48;

    // BPF_PROG_TEST_RUN
    public const int TestProgFd = 0, TestRetval = 4, TestDataSizeIn = 8, TestDataSizeOut = 12, TestDataIn = 16, TestDataOut = 24,
        TestRepeat = 32, TestDuration = 36, TestCtxSizeIn = 40, TestCtxSizeOut = 44, TestCtxIn = 48, TestCtxOut = 56, TestFlags = 64;
}
