namespace SeccompEbpf.Bpf.Engine;

/// <summary>
/// Values that lddw pseudo forms put in registers but that are not memory: map handles
/// (src=MapFd/MapIdx) and function addresses (src=Func). They carry a tag in the upper 32 bits
/// that is never a user-space address, so they can neither be confused with data pointers nor
/// pass the memory check.
/// </summary>
public static class PseudoAddress
{
    public const uint MapTag = 0xB9F0_0000;
    public const uint FunctionTag = 0xB9F1_0000;

    /// <summary>Handle of the map at <paramref name="index"/> in the running program's map table.</summary>
    public static ulong MapHandle(int index) => ((ulong)MapTag << 32) | (uint)index;

    public static bool TryDecodeMap(ulong value, out int index)
    {
        index = (int)(uint)value;
        return (uint)(value >> 32) == MapTag && index >= 0;
    }

    /// <summary>Address of the function that starts at instruction <paramref name="instructionIndex"/>.</summary>
    public static ulong Function(int instructionIndex) => ((ulong)FunctionTag << 32) | (uint)instructionIndex;

    public static bool TryDecodeFunction(ulong value, out int instructionIndex)
    {
        instructionIndex = (int)(uint)value;
        return (uint)(value >> 32) == FunctionTag && instructionIndex >= 0;
    }
}
