using System.Text;

namespace SeccompEbpf.Model.Trace;

/// <summary>
/// Decodes a string argument as strace prints it: C escapes (\n, \t, \", \\, \xNN, octal \NNN)
/// and a trailing "..." when strace cut it at -s bytes (the part shown is kept).
/// </summary>
public static class TraceStrings
{
    /// <summary>The bytes of <paramref name="text"/> followed by a NUL, when it is a quoted string.</summary>
    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.EndsWith("...", StringComparison.Ordinal)) text = text[..^3];
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"') return false;
        var output = new List<byte>(text.Length);
        var body = text.AsSpan(1, text.Length - 2);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c != '\\' || i + 1 >= body.Length)
            {
                int n = Encoding.UTF8.GetBytes([c], utf8);
                foreach (byte b in utf8[..n]) output.Add(b);
                continue;
            }
            char e = body[++i];
            switch (e)
            {
                case 'n': output.Add((byte)'\n'); break;
                case 't': output.Add((byte)'\t'); break;
                case 'r': output.Add((byte)'\r'); break;
                case 'v': output.Add((byte)'\v'); break;
                case 'f': output.Add((byte)'\f'); break;
                case 'x':
                    int hexEnd = i + 1;
                    while (hexEnd < body.Length && hexEnd < i + 3 && char.IsAsciiHexDigit(body[hexEnd])) hexEnd++;
                    if (hexEnd == i + 1) { output.Add((byte)'x'); break; }
                    output.Add(Convert.ToByte(body[(i + 1)..hexEnd].ToString(), 16));
                    i = hexEnd - 1;
                    break;
                case >= '0' and <= '7':
                    int octEnd = i;
                    while (octEnd < body.Length && octEnd < i + 3 && body[octEnd] is >= '0' and <= '7') octEnd++;
                    output.Add((byte)Convert.ToInt32(body[i..octEnd].ToString(), 8));
                    i = octEnd - 1;
                    break;
                default: output.Add((byte)e); break;
            }
        }
        output.Add(0);
        bytes = [.. output];
        return true;
    }
}
