using System.Globalization;

namespace SeccompEbpf.Bpf.Engine;

/// <summary>
/// Hex byte strings as command lines and the conformance runner write them: bytes separated by
/// white space ("b7 00 00 00"), or run together ("b7000000"), or mixed.
/// </summary>
public static class HexBytes
{
    public static BpfResult<byte[]> Parse(string text, string what = "hex")
    {
        var bytes = new List<byte>();
        foreach (var token in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var digits = token.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? token[2..] : token;
            if (digits.Length == 1) digits = "0" + digits;
            if (digits.Length % 2 != 0)
                return new BpfError($"{what}: '{token}' has an odd number of hex digits; write each byte as two digits");
            for (int i = 0; i < digits.Length; i += 2)
            {
                if (!byte.TryParse(digits.AsSpan(i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                    return new BpfError($"{what}: '{digits.Substring(i, 2)}' in '{token}' is not a hex byte");
                bytes.Add(b);
            }
        }
        return bytes.ToArray();
    }
}
