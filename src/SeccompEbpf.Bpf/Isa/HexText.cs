using System.Text;

namespace SeccompEbpf.Bpf.Isa;

/// <summary>
/// Bytecode as hex text, bytes in wire order: what <c>seccomp-ebpf asm</c> prints and
/// <c>disasm --hex-input</c> (and the conformance suite's plugin protocol) reads.
/// </summary>
public static class HexText
{
    /// <summary>One instruction slot per line: <c>b7 00 00 00 2a 00 00 00</c>.</summary>
    public static string FormatSlots(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        for (int i = 0; i < bytes.Length; i++)
        {
            text.Append(bytes[i].ToString("x2"));
            text.Append((i + 1) % Instruction.Size == 0 || i + 1 == bytes.Length ? '\n' : ' ');
        }
        return text.ToString();
    }

    /// <summary>Hex digits in pairs; white space and commas anywhere between them are ignored.</summary>
    public static BpfResult<byte[]> Parse(string text)
    {
        var digits = new StringBuilder(text.Length);
        int line = 1, column = 0;
        foreach (char c in text)
        {
            column++;
            if (c == '\n') { line++; column = 0; continue; }
            if (char.IsWhiteSpace(c) || c == ',') continue;
            if (!char.IsAsciiHexDigit(c))
                return new BpfError($"expected hex digits but found '{c}' (bytes are written as pairs like 'b7 00 2a')", Location: $"line {line}, column {column}");
            digits.Append(c);
        }
        if (digits.Length % 2 != 0)
            return new BpfError($"expected whole bytes (pairs of hex digits) but found {digits.Length} digits");
        return Convert.FromHexString(digits.ToString());
    }
}
