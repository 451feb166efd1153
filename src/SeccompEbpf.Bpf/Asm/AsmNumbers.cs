namespace SeccompEbpf.Bpf.Asm;

/// <summary>How numbers are printed, shared by both dialects so output stays readable and re-assemblable.</summary>
internal static class AsmNumbers
{
    /// <summary>A relative jump distance: always signed, <c>+2</c>, <c>-3</c>, <c>+0</c>.</summary>
    public static string Relative(long value) => value >= 0 ? $"+{value}" : value.ToString();

    /// <summary>
    /// A 32-bit immediate: small and negative values in decimal, larger positive ones in hex
    /// (masks and constants read better that way). int.MinValue prints as hex so it re-parses.
    /// </summary>
    public static string Imm(int value) => value switch
    {
        int.MinValue => "0x80000000",
        < 0 => value.ToString(),
        < 10 => value.ToString(),
        _ => $"0x{value:x}",
    };

    /// <summary>A signed memory offset inside brackets: <c>+8</c>, <c>-8</c>, <c>+0</c>.</summary>
    public static string MemOffset(short offset) => offset >= 0 ? $"+{offset}" : offset.ToString();
}
