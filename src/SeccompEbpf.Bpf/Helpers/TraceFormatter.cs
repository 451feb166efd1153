using System.Globalization;
using System.Text;
using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Bpf.Helpers;

/// <summary>
/// The format language of bpf_trace_printk: %d %i %u %x %X %c %s %p %% with the length modifiers
/// l and ll (and h, accepted and ignored as the kernel's vsnprintf does), at most three arguments.
/// </summary>
public static class TraceFormatter
{
    public const int MaxArguments = 3;
    public const int MaxStringLength = 256;

    /// <summary>Formats <paramref name="format"/>; null with <paramref name="error"/> when it is malformed.</summary>
    public static string? Format(BpfRunContext context, ReadOnlySpan<byte> format, ReadOnlySpan<ulong> args, out string? error)
    {
        error = null;
        int nul = format.IndexOf((byte)0);
        if (nul >= 0) format = format[..nul];
        var text = Encoding.UTF8.GetString(format);
        var output = new StringBuilder(text.Length + 16);
        int used = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '%') { output.Append(c); continue; }
            if (++i >= text.Length) { error = "format ends with a lone %"; return null; }
            if (text[i] == '%') { output.Append('%'); continue; }
            int longs = 0;
            while (i < text.Length && text[i] is 'l' or 'h') { if (text[i] == 'l') longs++; i++; }
            if (i >= text.Length) { error = "format ends inside a conversion"; return null; }
            if (used >= Math.Min(args.Length, MaxArguments)) { error = $"more than {MaxArguments} conversions in the format"; return null; }
            ulong arg = args[used++];
            ulong value = longs > 0 ? arg : (uint)arg;
            switch (text[i])
            {
                case 'd' or 'i':
                    output.Append(longs > 0 ? ((long)value).ToString(CultureInfo.InvariantCulture) : ((int)(uint)value).ToString(CultureInfo.InvariantCulture));
                    break;
                case 'u': output.Append(value.ToString(CultureInfo.InvariantCulture)); break;
                case 'x': output.Append(value.ToString("x", CultureInfo.InvariantCulture)); break;
                case 'X': output.Append(value.ToString("X", CultureInfo.InvariantCulture)); break;
                case 'c': output.Append((char)(byte)arg); break;
                case 'p':
                    // %pK, %ps and friends: print the value like a plain pointer.
                    while (i + 1 < text.Length && char.IsLetter(text[i + 1]) && text[i + 1] is 'K' or 's' or 'S' or 'B') i++;
                    output.Append("0x").Append(arg.ToString("x", CultureInfo.InvariantCulture));
                    break;
                case 's':
                    output.Append(ReadString(context, arg));
                    break;
                default:
                    error = $"unsupported conversion %{text[i]}";
                    return null;
            }
        }
        return output.ToString();
    }

    /// <summary>A NUL-terminated string from program memory, read byte by byte through the memory check.</summary>
    private static string ReadString(BpfRunContext context, ulong address)
    {
        if (address == 0) return "(null)";
        var bytes = new List<byte>();
        for (ulong i = 0; i < MaxStringLength; i++)
        {
            if (!context.TryGetSpan(address + i, 1, write: false, out var one)) return bytes.Count == 0 ? "(efault)" : Encoding.UTF8.GetString(bytes.ToArray());
            if (one[0] == 0) break;
            bytes.Add(one[0]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
