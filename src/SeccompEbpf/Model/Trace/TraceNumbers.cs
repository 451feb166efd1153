using System.Globalization;

namespace SeccompEbpf.Model.Trace;

/// <summary>Numbers as strace prints them: decimal, 0x hex, negative decimal, 0 octal.</summary>
public static class TraceNumbers
{
    public static bool TryParse(string text, out ulong value)
    {
        value = 0;
        text = text.Trim();
        if (text.Length == 0) return false;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return ulong.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        if (text[0] == '-')
        {
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long negative)) return false;
            value = (ulong)negative;
            return true;
        }
        if (text.Length > 1 && text[0] == '0' && text.All(c => c is >= '0' and <= '7'))
        {
            foreach (char c in text[1..]) value = value * 8 + (ulong)(c - '0');
            return true;
        }
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
