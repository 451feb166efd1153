using System.Buffers.Binary;
using System.Globalization;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Conformance;

/// <summary>Reads the numeric sections of a conformance <c>.data</c> file (raw, mem, result).</summary>
internal static class ConformanceHex
{
    public static string StripComment(string line)
    {
        var hash = line.IndexOf('#');
        return hash >= 0 ? line[..hash] : line;
    }

    /// <summary>
    /// <c>-- raw</c>: 0x-prefixed tokens are whole slots read as little-endian 64-bit words
    /// (<c>0x5566778800000018</c>: the opcode is the lowest byte), as the suite's runner reads
    /// them; other tokens are single bytes in wire order (<c>04 10 00 00 01 00 00 00</c>).
    /// </summary>
    public static BpfResult<Instruction[]> ParseRaw(ConformanceSection section, string fileName)
    {
        var bytes = new List<byte>();
        Span<byte> slot = stackalloc byte[8];
        for (int i = 0; i < section.Lines.Count; i++)
            foreach (var (text, column) in Tokens(section.Lines[i]))
            {
                if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                {
                    if (text.Length == 2 || !ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var word))
                        return Error(fileName, section.FirstLine + i, column, $"expected a 64-bit hex word like 0x0000000000000095 but found '{text}'");
                    BinaryPrimitives.WriteUInt64LittleEndian(slot, word);
                    bytes.AddRange(slot);
                }
                else if (TryParseByte(text, out var b)) bytes.Add(b);
                else return Error(fileName, section.FirstLine + i, column, $"expected a hex byte like 95 or a 64-bit word like 0x0000000000000095 but found '{text}'");
            }
        if (bytes.Count % Instruction.Size != 0)
            return Error(fileName, section.HeaderLine, 1, $"the raw program has {bytes.Count} bytes, which is not a whole number of 8-byte instructions");
        return InstructionCodec.DecodeProgram(bytes.ToArray());
    }

    /// <summary><c>-- mem</c>: hex bytes separated by white space, any number per line.</summary>
    public static BpfResult<byte[]> ParseBytes(ConformanceSection section, string fileName)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < section.Lines.Count; i++)
            foreach (var (text, column) in Tokens(section.Lines[i]))
            {
                if (!TryParseByte(text, out var b))
                    return Error(fileName, section.FirstLine + i, column, $"expected a hex byte like 0a but found '{text}'");
                bytes.Add(b);
            }
        return bytes.ToArray();
    }

    /// <summary><c>-- result</c>: one value, hex with 0x or decimal (a leading '-' wraps to 64 bits).</summary>
    public static BpfResult<ulong> ParseResult(ConformanceSection section, string fileName)
    {
        ulong? value = null;
        for (int i = 0; i < section.Lines.Count; i++)
            foreach (var (text, column) in Tokens(section.Lines[i]))
            {
                var location = (line: section.FirstLine + i, column);
                if (value is not null)
                    return Error(fileName, location.line, column, $"expected one result value but found a second one, '{text}'");
                if (!TryParseValue(text, out var v))
                    return Error(fileName, location.line, column, $"expected a 64-bit value like 0x1 or 42 but found '{text}'");
                value = v;
            }
        return value is { } found ? found : Error(fileName, section.HeaderLine, 1, "expected a value after '-- result' but the section is empty");
    }

    private static bool TryParseValue(string text, out ulong value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && text.Length > 2;
        if (text.StartsWith('-'))
        {
            var ok = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var signed);
            value = (ulong)signed;
            return ok;
        }
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryParseByte(string text, out byte value)
    {
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        value = 0;
        return digits.Length is 1 or 2 &&
               byte.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>White-space separated tokens of a line (comment removed) with 1-based columns.</summary>
    private static List<(string Text, int Column)> Tokens(string line)
    {
        var content = StripComment(line);
        var tokens = new List<(string, int)>();
        int i = 0;
        while (i < content.Length)
        {
            if (char.IsWhiteSpace(content[i])) { i++; continue; }
            int start = i;
            while (i < content.Length && !char.IsWhiteSpace(content[i])) i++;
            tokens.Add((content[start..i], start + 1));
        }
        return tokens;
    }

    private static BpfError Error(string fileName, int line, int column, string message) =>
        new(message, Location: $"{fileName}:{line}:{column}");
}
